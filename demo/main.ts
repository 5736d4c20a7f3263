import '../index.js';
import type { VinteoSession } from '../components/vinteo-session/VinteoSession.js';

const session = document.querySelector<VinteoSession>('#session')!;
const info = document.querySelector<HTMLElement>('#server-info')!;
const events = document.querySelector<HTMLOListElement>('#events')!;
const themeSelect = document.querySelector<HTMLSelectElement>('#theme')!;
const langSelect = document.querySelector<HTMLSelectElement>('#lang')!;
const params = new URLSearchParams(location.search);

/** The theme switcher: `theme` on every element (none follows the system), and the page around them. */
function applyTheme(theme: string): void {
  for (const el of document.querySelectorAll('vinteo-call, vinteo-presentation, vinteo-stats, vinteo-dialpad, vinteo-devices')) {
    if (theme) el.setAttribute('theme', theme);
    else el.removeAttribute('theme');
  }
  if (theme) document.documentElement.dataset['theme'] = theme;
  else delete document.documentElement.dataset['theme'];
  themeSelect.value = theme;
}

/** The language switcher: the elements follow the document's `lang`. */
function applyLang(lang: string): void {
  document.documentElement.lang = lang;
  langSelect.value = lang;
}

themeSelect.addEventListener('change', () => applyTheme(themeSelect.value));
langSelect.addEventListener('change', () => applyLang(langSelect.value));
// `?theme=dark&lang=ru` (screenshots, links).
applyTheme(['light', 'dark'].includes(params.get('theme') ?? '') ? params.get('theme')! : '');
applyLang(params.get('lang') === 'ru' ? 'ru' : 'en');
if (params.has('open')) document.querySelector<HTMLDetailsElement>('#more')!.open = true;

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
  'vinteo-presentation-started',
  'vinteo-presentation-ended',
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
  if (params.has('autojoin')) void document.querySelector('vinteo-call')?.join();
  info.textContent = `Local conference server: ${env.wsUrl} (control API ${env.controlUrl})`;
  const link = document.createElement('a');
  link.href = `${env.controlUrl}/`;
  link.textContent = 'Open the moderator console: stop your camera, move you to the spectators, call you…';
  document.querySelector('#console-link')!.append(link);
} catch (error) {
  info.textContent = `The local conference server is not running (${String(error)}); start the demo with "npm start".`;
}
