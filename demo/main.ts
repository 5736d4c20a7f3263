import '../index.js';
import type { VinteoSession } from '../components/vinteo-session/VinteoSession.js';

const session = document.querySelector<VinteoSession>('#session')!;
const info = document.querySelector<HTMLElement>('#server-info')!;
const events = document.querySelector<HTMLOListElement>('#events')!;

for (const type of [
  'vinteo-connection-change',
  'vinteo-call-accepted',
  'vinteo-call-ended',
  'vinteo-call-failed',
  'vinteo-enter-room',
  'vinteo-incoming-call',
  'vinteo-role-change',
  'vinteo-moderator-command',
  'vinteo-license',
  'vinteo-notify',
  'vinteo-dtmf',
  'vinteo-device-change',
  'vinteo-balancer-update',
  'vinteo-error',
] as const) {
  session.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(event.detail)}`;
    events.prepend(item);
  });
}

// `npm start` serves the local server's URLs here; a real deployment sets server="..." in HTML instead.
try {
  const response = await fetch('/__vinteo/env');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const env = (await response.json()) as { wsUrl: string; controlUrl: string };
  session.wsUrl = env.wsUrl;
  // `?autojoin` joins without a click (screenshots, kiosks).
  if (new URLSearchParams(location.search).has('autojoin')) void document.querySelector('vinteo-call')?.join();
  info.textContent = `Local conference server: ${env.wsUrl} (control API ${env.controlUrl})`;
  const link = document.createElement('a');
  link.href = `${env.controlUrl}/`;
  link.textContent = 'Open the moderator console: stop your camera, move you to the spectators, call you…';
  document.querySelector('#console-link')!.append(link);
} catch (error) {
  info.textContent = `The local conference server is not running (${String(error)}); start the demo with "npm start".`;
}
