// A keyboard-only journey through <vinteo-call> against the local conference server (issue #16): Tab into
// the lobby, Join, mute, share a real screen, stop sharing, answer a moderator's request, leave. Only keys
// are pressed (real input through the browser), and after each step the test asserts where focus is: never
// on <body>, and on the control a keyboard user expects.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { control, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { IN_FIREFOX } from '../helpers/browser.js';
import { canvasStream, part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

/** The part names of what has focus inside `el`; fails when focus fell to <body>. */
function focusedPart(el: VinteoCall): string {
  expect(document.activeElement, 'focus fell to <body>').not.to.equal(document.body);
  expect(document.activeElement, 'focus left the element').to.equal(el);
  return el.shadowRoot!.activeElement?.getAttribute('part') ?? '';
}

/** Presses Tab (or Shift+Tab) until focus is on `name`, at most 12 times; each stop must be inside the element. */
async function tabTo(el: VinteoCall, name: string, backwards = false): Promise<void> {
  const visited: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    if (focusedPart(el).split(' ').includes(name)) return;
    visited.push(focusedPart(el));
    if (backwards) await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    if (backwards) await sendKeys({ up: 'Shift' });
  }
  expect.fail(`Tab never reached ${name}; visited ${visited.join(', ')}`);
}

const infoHeaders = (call: ServerCall, contentType: string) =>
  call.infoReceived.filter((i) => i.contentType === contentType).map((i) => Object.fromEntries(Object.entries(i.headers).map(([k, v]) => [k.toLowerCase(), v])));

describe('integration: a keyboard-only journey through <vinteo-call>', function () {
  this.timeout(90_000);
  const env = useIntegrationEnv();

  it('Tab in, Join, mute, share a screen, stop, answer a moderator request, leave: focus where expected after each', async () => {
    const conference = uniqueConference();
    // Chromium shares a real screen (Enter is the user gesture); headless Firefox has none to share, so there
    // the screen is a canvas (the keys and focus are the same).
    const screen = canvasStream();
    const clientOptions = IN_FIREFOX ? { displayMediaProvider: { getDisplayMedia: () => Promise.resolve(screen.stream) } } : {};
    const page = await fixture<HTMLDivElement>(html`<div>
      <button id="before">Before the widget</button>
      <vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} display-name="Keyboard user" .clientOptions=${clientOptions}></vinteo-call>
    </div>`);
    const el = page.querySelector<VinteoCall>('vinteo-call')!;
    await el.updateComplete;
    page.querySelector<HTMLButtonElement>('#before')!.focus();

    // Into the lobby and on to Join.
    await sendKeys({ press: 'Tab' });
    await tabTo(el, 'join-button');
    await sendKeys({ press: 'Enter' });
    await reach(el, 'in-call');
    const server = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
    await el.updateComplete;
    expect(focusedPart(el), 'after Join: the same button, now Leave').to.contain('leave-button');

    // Mute the microphone: focus stays, the server hears of it.
    await tabTo(el, 'microphone-button', true);
    await sendKeys({ press: 'Space' });
    await waitUntil(() => part(el, 'microphone-button').getAttribute('aria-pressed') === 'false', 'not muted', WAIT);
    expect(focusedPart(el), 'after Mute').to.contain('microphone-button');
    await waitForServerCall((c) => c.id === server.id && infoHeaders(c, 'application/vinteo.webrtc.mediastate').some((h) => h['x-vinteo-mic-state'] === '0'), 'no mediastate INFO with the microphone off');

    // Share a real screen (Enter is a user gesture); focus stays on the button, now "Stop sharing".
    await tabTo(el, 'share-button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.client!.getSnapshot().presentation.state === 'active', 'not sharing', WAIT);
    await el.updateComplete;
    expect(part(el, 'share-button').textContent!.trim()).to.equal('Stop sharing');
    expect(focusedPart(el), 'after Share').to.contain('share-button');
    await waitForServerCall((c) => c.id === server.id && c.media.filter((m) => m.kind === 'video').slice(1).some((m) => m.packetsReceived > 10), 'the server received no screen');

    // Stop sharing: focus stays on the button, "Share screen" again.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.client!.getSnapshot().presentation.state === 'idle', 'still sharing', WAIT);
    await el.updateComplete;
    expect(part(el, 'share-button').textContent!.trim()).to.equal('Share screen');
    expect(focusedPart(el), 'after Stop sharing').to.contain('share-button');

    // A moderator asks to turn the camera off: the request takes focus; Enter accepts; focus comes back.
    await control(`/api/calls/${server.id}/command`, { command: 'stop-camera' });
    await waitUntil(() => part(el, 'moderator-request') !== null, 'no moderator request', WAIT);
    await el.updateComplete;
    expect(focusedPart(el), 'the request takes focus').to.contain('moderator-accept-button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'moderator-request') === null, 'the request stayed', WAIT);
    await el.updateComplete;
    expect(part(el, 'camera-button').getAttribute('aria-pressed'), 'accepted: the camera is off').to.equal('false');
    expect(focusedPart(el), 'focus returns where it was').to.contain('share-button');

    // Leave.
    await tabTo(el, 'leave-button');
    await sendKeys({ press: 'Enter' });
    await reach(el, 'ended');
    await el.updateComplete;
    expect(focusedPart(el), 'after Leave').to.contain('join-button');
    await waitForServerCall((c) => c.id === server.id && c.state === 'ended', 'the call did not end on the server');
    screen.stop();
  });
});
