// Accessibility of every element in each of its states (axe, through open-wc), in English with the light
// theme and in Russian with the dark one; keyboard operation with a visible focus ring; the call's
// state changes announced through one polite live region; toggles with aria-pressed.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { fakeTransport, syntheticMedia } from '../helpers/fake-transport.js';
import { part } from '../helpers/dom.js';
import { LOOKS, SCENARIOS, WS } from './scenarios.js';

describe('drop-in: accessibility of every element in each state', () => {
  for (const scenario of SCENARIOS) {
    for (const look of LOOKS) {
      it(`<${scenario.element}> ${scenario.state} (${look.lang}, ${look.theme})`, async () => {
        const { root } = await scenario.mount(look);
        await expect(root).to.be.accessible();
      });
    }
  }
});

/** The element inside the shadow roots that has focus. */
function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function expectVisibleFocus(control: Element): void {
  const style = getComputedStyle(control);
  const label = `${control.localName}[part=${control.getAttribute('part')}]`;
  expect(control.matches(':focus-visible'), `${label} matches :focus-visible`).to.equal(true);
  expect(style.outlineStyle, `${label} outline`).not.to.equal('none');
  expect(parseFloat(style.outlineWidth), `${label} outline width`).to.be.at.least(2);
}

/**
 * Tabs through the page from just before `root` and returns every control focused, in order, until focus
 * leaves `root`; each must show a visible focus ring when it gets focus.
 */
async function tabThrough(root: Element, max = 40): Promise<Element[]> {
  const before = document.createElement('button');
  before.textContent = 'before';
  root.before(before);
  // A control after it too, as on a real page: the Tab that leaves `root` stays in the page (Firefox moves
  // focus to its toolbar otherwise, and the page shows no focus ring again until it is focused anew).
  const after = document.createElement('button');
  after.textContent = 'after';
  root.after(after);
  before.focus();
  const seen: Element[] = [];
  try {
    for (let i = 0; i < max; i += 1) {
      await sendKeys({ press: 'Tab' });
      const active = deepActive();
      const host = active && active.getRootNode() instanceof ShadowRoot ? (active.getRootNode() as ShadowRoot).host : active;
      if (!active || !host || !root.contains(host)) break;
      expectVisibleFocus(active);
      seen.push(active);
    }
  } finally {
    before.remove();
    after.remove();
  }
  return seen;
}

async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

describe('drop-in: keyboard', () => {
  for (const look of LOOKS) {
    it(`every control of every element is reached with Tab and shows its focus (${look.theme})`, async () => {
      const scenario = SCENARIOS.find((s) => s.state === 'every element, in a call')!;
      const { root } = await scenario.mount(look);
      const focused = await tabThrough(root);
      // A control may carry several part names (the call's Join button is also `leave-button` in a call).
      const parts = focused.flatMap((el) => (el.getAttribute('part') ?? '').split(/\s+/));
      for (const expected of ['join-button', 'microphone-button', 'camera-button', 'share-button', 'input', 'send-button', 'camera-select', 'microphone-select']) {
        expect(parts, `${expected} is reachable by Tab`).to.include(expected);
      }
      expect(parts.filter((p) => p === 'key')).to.have.length(12);
    });
  }

  it('a call is joined, toggled and left with the keyboard alone', async () => {
    const transport = fakeTransport();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}></vinteo-call>`,
    );
    // The lobby's controls come first (name, preview, devices, mic and camera toggles), then Join.
    const stops = await tabThrough(el);
    const names = stops.map((stop) => stop.getAttribute('part') ?? '');
    const joinAt = names.findIndex((name) => name.split(/\s+/).includes('join-button'));
    expect(joinAt, `Join is reached by Tab (stops: ${names.join(', ')})`).to.be.greaterThan(-1);
    expect(names.slice(0, joinAt).every((name) => /preview-button|name-input|select|toggle/.test(name)), `only lobby controls before Join: ${names.join(', ')}`).to.equal(true);
    const join = stops[joinAt] as HTMLElement;
    join.focus();
    expectVisibleFocus(join);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.getAttribute('state') === 'in-call', 'Enter did not join');
    await el.updateComplete;
    // The same button, now Leave, keeps the focus (it is last in the bar: mic, camera, share, full screen, Leave).
    expect(deepActive()?.getAttribute('part')).to.contain('leave-button');
    for (let i = 0; i < 6 && deepActive()?.getAttribute('part') !== 'microphone-button'; i += 1) await shiftTab();
    expect(deepActive()!.getAttribute('part')).to.equal('microphone-button');
    expectVisibleFocus(deepActive()!);
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(part(el, 'microphone-button')!.getAttribute('aria-pressed')).to.equal('false');
    await sendKeys({ press: 'Tab' });
    expect(deepActive()!.getAttribute('part')).to.equal('camera-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(part(el, 'camera-button')!.getAttribute('aria-pressed')).to.equal('false');
    for (let i = 0; i < 6 && !deepActive()?.getAttribute('part')?.includes('leave-button'); i += 1) await sendKeys({ press: 'Tab' });
    expect(deepActive()!.getAttribute('part')).to.contain('leave-button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.getAttribute('state') === 'ended', 'Enter did not leave');
  });
});

describe('drop-in: announcements', () => {
  it("the call's state changes are announced through one polite live region", async () => {
    const transport = fakeTransport({ invite: 'waiting' });
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}></vinteo-call>`,
    );
    const region = part(el, 'status')!;
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.getAttribute('aria-live')).to.equal('polite');
    const texts = [region.textContent!.trim()];
    const record = new MutationObserver(() => {
      const text = part(el, 'status')!.textContent!.trim();
      if (texts.at(-1) !== text) texts.push(text);
    });
    record.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    void el.join();
    await waitUntil(() => el.getAttribute('state') === 'waiting', 'not waiting');
    transport.agents[0]!.sessions[0]!.admit();
    await waitUntil(() => el.getAttribute('state') === 'in-call', 'not in call');
    await el.updateComplete;
    await el.leave();
    await waitUntil(() => el.getAttribute('state') === 'ended', 'not ended');
    await el.updateComplete;
    record.disconnect();
    // The same node all along (a live region re-created on each change would not be announced).
    expect(part(el, 'status')).to.equal(region);
    expect(texts[0]).to.equal('Ready to join');
    expect(texts).to.include('Waiting for the moderator to let you in');
    expect(texts).to.include('In the conference');
    expect(texts.at(-1)).to.equal('You left the conference.');
  });

  it('toggles use aria-pressed, errors role=alert', async () => {
    const root = await SCENARIOS.find((s) => s.state === 'every element, in a call')!.mount(LOOKS[0]!);
    const call = root.root.querySelector('vinteo-call')!;
    const presentation = root.root.querySelector('vinteo-presentation')!;
    for (const [el, name] of [
      [call, 'microphone-button'],
      [call, 'camera-button'],
      [presentation, 'share-button'],
    ] as const) {
      expect(part(el, name)!.getAttribute('aria-pressed'), name).to.be.oneOf(['true', 'false']);
    }
  });
});
