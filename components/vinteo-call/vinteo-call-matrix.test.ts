// Every visible state of <vinteo-call> (issue #16) in every look: English and Russian, light and dark, a
// 375×812 phone and a 1366×768 laptop. In each: axe clean, no horizontal overflow, the visible controls
// inside the viewport, and the state's own text in the element's language. One table of states, each with
// a set-up on the fake transport that runs once per combination.
import { ContextProvider } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import { setViewport } from '@web/test-runner-commands';
import './vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoCall } from './VinteoCall.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import { VinteoClient } from '../../src/client.js';
import { vinteoClientContext } from '../../src/context.js';
import { logger } from '../../src/logger.js';
import { ExponentialBackoff } from '../../src/reconnect/policy.js';
import type { VinteoClientOptions } from '../../src/types.js';
import { FakeDevices, fakeTransport, type FakeBehaviour } from '../../test/helpers/fake-transport.js';
import { installVideoStats } from '../../test/helpers/fake-stats.js';
import { part, reach } from '../../test/helpers/dom.js';
import { humanError } from '../shared/human-errors.js';
import { labelsFor, type Labels, type Locale } from '../shared/i18n.js';

const WS = 'wss://vinteo.example.com/webrtc/wss/';
/** The longest a step on the fake transport may take: quick, but the machine may be busy with other suites. */
const STEP_MS = 3000;
const LANGS = ['en', 'ru'] as const;
const THEMES = ['light', 'dark'] as const;
const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 1366, height: 768 },
] as const;

interface Look {
  readonly lang: Locale;
  readonly theme: (typeof THEMES)[number];
}

/** Where a set-up puts its markup (a fixture, or a container of its own), and what to undo after its tests. */
interface Place {
  readonly mount: (template: TemplateResult) => Promise<HTMLElement>;
  readonly defer: (cleanup: () => void) => void;
}

/** A fresh device list for each element: a named microphone and camera (the lobby's selects show them). */
function devices(): FakeDevices {
  return new FakeDevices([
    { kind: 'audioinput', deviceId: 'mic-1', label: 'Desk microphone' },
    { kind: 'videoinput', deviceId: 'cam-1', label: 'Built-in camera' },
  ]);
}

/** A stand-alone `<vinteo-call>` on the fake transport, in `look`, with `attributes` set before it connects. */
async function standalone(place: Place, look: Look, behaviour: FakeBehaviour = {}, options: VinteoClientOptions = {}, attributes: Record<string, string> = {}) {
  const transport = fakeTransport(behaviour);
  const media = devices();
  const holder = await place.mount(html`<div></div>`);
  const el = document.createElement('vinteo-call') as VinteoCall;
  for (const [name, value] of Object.entries({ 'ws-url': WS, conference: '1000', 'display-name': 'Anna Petrova', lang: look.lang, theme: look.theme, ...attributes })) {
    el.setAttribute(name, value);
  }
  el.clientOptions = { userAgentFactory: transport.factory, mediaProvider: media, deviceProvider: media, ...options };
  holder.append(el);
  await el.updateComplete;
  return { el, transport };
}

/** A stand-alone element in a call. */
async function inCall(place: Place, look: Look, behaviour: FakeBehaviour = {}, options: VinteoClientOptions = {}) {
  const { el, transport } = await standalone(place, look, behaviour, options);
  await el.join();
  await reach(el, 'in-call', STEP_MS);
  await el.updateComplete;
  return { el, transport, session: transport.agents[0]!.sessions[0]! };
}

/** Waits for `el`'s part `name` to exist (after a render). */
async function shown(el: VinteoCall, name: string, timeout = STEP_MS): Promise<void> {
  await waitUntil(() => part(el, name) !== null, `part ${name} never showed (state ${el.getAttribute('state')})`, { timeout });
  await el.updateComplete;
}

/** One visible state: how to reach it, and where it says what it is. */
interface StateCase {
  readonly name: string;
  /** The `state` attribute it reflects. */
  readonly state: string;
  /** Puts a fresh element in the state, in `look`. */
  readonly setup: (look: Look, place: Place) => Promise<VinteoCall>;
  /** The part that carries the state's own text, and that text in a language. */
  readonly part: string;
  readonly text: (labels: Labels, lang: Locale) => readonly string[];
  /** Reading the text from an attribute (e.g. `aria-label`) rather than the text content. */
  readonly attribute?: string;
  /**
   * The set-up waits for a timer (the server's 5 s of silence): all combinations are set up at once
   * before their tests, each in a container of its own shown only during its test.
   */
  readonly slow?: true;
}

const STATES: readonly StateCase[] = [
  {
    name: 'lobby (before Join)',
    state: 'idle',
    setup: async (look, place) => (await standalone(place, look)).el,
    part: 'preview-button',
    text: (labels) => [labels.previewCamera],
  },
  {
    name: 'lobby with the camera preview open',
    state: 'idle',
    setup: async (look, place) => {
      const { el } = await standalone(place, look);
      part(el, 'preview-button')!.click();
      await waitUntil(() => part<HTMLVideoElement>(el, 'preview-video')!.srcObject instanceof MediaStream, 'no preview', { timeout: STEP_MS });
      await waitUntil(() => part(el, 'preview-button')!.getAttribute('aria-pressed') === 'true', 'the preview button never said so', { timeout: STEP_MS });
      return el;
    },
    part: 'preview-button',
    text: (labels) => [labels.stopPreview],
  },
  {
    name: 'connecting',
    state: 'connecting',
    setup: async (look, place) => {
      const { el } = await standalone(place, look, { connect: 'never' });
      void el.join();
      await reach(el, 'connecting', STEP_MS);
      await el.updateComplete;
      return el;
    },
    part: 'status',
    text: (labels) => [labels.statusConnecting],
  },
  {
    name: 'calling',
    state: 'calling',
    setup: async (look, place) => {
      const { el } = await standalone(place, look, { invite: 'never' });
      void el.join();
      await reach(el, 'calling', STEP_MS);
      // First "waiting for the camera and microphone", then calling the conference.
      await waitUntil(() => el.client!.getSnapshot().call.phase !== 'media', 'the media never opened', { timeout: STEP_MS });
      await el.updateComplete;
      return el;
    },
    part: 'status',
    text: (labels) => [labels.statusCalling],
  },
  {
    name: 'the server not answering (after 5 s)',
    state: 'connecting',
    slow: true,
    setup: async (look, place) => {
      const { el } = await standalone(place, look, { connect: 'never' });
      void el.join();
      await reach(el, 'connecting', STEP_MS);
      await waitUntil(() => part(el, 'server-not-answering') !== null, 'no notice after 5 s', { timeout: 7000, interval: 100 });
      await el.updateComplete;
      return el;
    },
    part: 'server-not-answering-text',
    text: (labels) => [labels.serverNotAnswering.replace('{server}', 'vinteo.example.com'), labels.serverNotAnsweringHint],
  },
  {
    name: 'waiting room',
    state: 'waiting',
    setup: async (look, place) => {
      const { el } = await standalone(place, look, { invite: 'waiting' });
      await el.join();
      await reach(el, 'waiting', STEP_MS);
      await shown(el, 'waiting');
      return el;
    },
    part: 'waiting',
    text: (labels) => [labels.statusWaiting],
  },
  {
    name: 'ringing (an incoming call)',
    state: 'ringing',
    setup: async (look, place) => {
      const { el, transport } = await standalone(place, look, {}, {}, { user: '1001', register: '' });
      el.password = 'pw';
      await el.client!.connect();
      transport.agents[0]!.receiveCall('Bob', '2000');
      await reach(el, 'ringing', STEP_MS);
      await shown(el, 'answer-button');
      return el;
    },
    part: 'caller',
    text: (labels) => [`${labels.incomingCall}: Bob (2000)`, labels.answer, labels.decline],
  },
  {
    name: 'in a call',
    state: 'in-call',
    setup: async (look, place) => (await inCall(place, look)).el,
    part: 'status',
    text: (labels) => [labels.statusInCall],
  },
  {
    name: 'in a call with microphone and camera off (the camera-off tile)',
    state: 'in-call',
    setup: async (look, place) => {
      const { el } = await inCall(place, look);
      part(el, 'microphone-button')!.click();
      part(el, 'camera-button')!.click();
      await waitUntil(() => part(el, 'microphone-button')!.getAttribute('aria-pressed') === 'false', 'the microphone stayed on', { timeout: STEP_MS });
      await shown(el, 'camera-off-tile');
      return el;
    },
    part: 'camera-off-tile',
    attribute: 'aria-label',
    text: (labels) => [labels.cameraOff],
  },
  {
    name: 'in a call with a moderator request (alertdialog)',
    state: 'in-call',
    setup: async (look, place) => {
      const { el, session } = await inCall(place, look);
      session.receiveInfo('application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTOPMIC' });
      await shown(el, 'moderator-request');
      return el;
    },
    part: 'moderator-request',
    text: (labels) => [labels.moderatorAsksMicrophoneOff, labels.accept, labels.decline],
  },
  {
    name: 'restoring the video',
    state: 'in-call',
    setup: async (look, place) => {
      const el = await restoringVideo(look, place);
      await waitUntil(() => part(el, 'video-recovery')!.textContent!.trim() !== '', 'no "Restoring video…"', { timeout: STEP_MS });
      await el.updateComplete;
      return el;
    },
    part: 'video-recovery',
    text: (labels) => [labels.restoringVideo],
  },
  {
    name: 'reconnecting (the overlay)',
    state: 'reconnecting',
    setup: async (look, place) => {
      const { el, transport } = await inCall(place, look, {}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 20_000, jitter: 0 }) });
      transport.agents[0]!.dropConnection();
      await reach(el, 'reconnecting', STEP_MS);
      await shown(el, 'reconnecting');
      return el;
    },
    part: 'reconnecting',
    text: (labels) => [labels.reconnectingAttempt.replace('{attempt}', '1'), labels.cancel],
  },
  {
    name: 'ended',
    state: 'ended',
    setup: async (look, place) => {
      const { el } = await inCall(place, look);
      await el.leave();
      await reach(el, 'ended', STEP_MS);
      await el.updateComplete;
      return el;
    },
    part: 'status',
    text: (labels) => [labels.endedLocal],
  },
  {
    name: 'failed, with the Details open',
    state: 'failed',
    setup: async (look, place) => {
      const { el } = await standalone(place, look, { register: 'wrong-password' }, {}, { user: '1001', register: '' });
      el.password = 'wrong';
      await el.join();
      await reach(el, 'failed', STEP_MS);
      await shown(el, 'error-details');
      part<HTMLDetailsElement>(el, 'error-details')!.open = true;
      return el;
    },
    part: 'error',
    // The sentence and Details in the element's language; the technical message as the client gave it.
    text: (labels, lang) => [humanError(lang, { reason: 'authentication-failed', message: '' }).text, labels.errorDetails, labelsFor('en').errorAuthenticationFailed],
  },
  {
    name: "busy (another element's call in the same session)",
    state: 'busy',
    setup: async (look, place) => {
      const transport = fakeTransport();
      const media = devices();
      const holder = await place.mount(html`<div></div>`);
      // The busy element first, so that it is where a page puts its call: at the top.
      holder.innerHTML = `<vinteo-session ws-url="${WS}" sip-domain="vinteo.local" display-name="Anna Petrova">
          <vinteo-call conference="2000" lang="${look.lang}" theme="${look.theme}"></vinteo-call>
          <vinteo-call conference="1000"></vinteo-call>
        </vinteo-session>`;
      const session = holder.querySelector('vinteo-session') as VinteoSession;
      session.clientOptions = { userAgentFactory: transport.factory, mediaProvider: media, deviceProvider: media };
      const [busy, owner] = [...holder.querySelectorAll('vinteo-call')] as [VinteoCall, VinteoCall];
      await Promise.all([session.updateComplete, busy.updateComplete, owner.updateComplete]);
      await owner.join();
      await reach(owner, 'in-call', STEP_MS);
      await reach(busy, 'busy', STEP_MS);
      await busy.updateComplete;
      return busy;
    },
    part: 'status',
    text: (labels) => [labels.statusBusy],
  },
  {
    name: 'a configuration notice (an invalid attribute)',
    // It cannot join as it is.
    state: 'failed',
    setup: async (look, place) => {
      const { el } = await standalone(place, look, {}, {}, { 'fast-ice': 'sometimes' });
      await shown(el, 'error-text');
      return el;
    },
    part: 'error-text',
    text: (labels) => [labels.configurationProblem],
  },
];

/**
 * A call whose main video stalls (three stalled samples): the element restores it. As in
 * vinteo-call-video-recovery.test.ts, on a client given through the context; `lang` on the holder.
 */
async function restoringVideo(look: Look, place: Place): Promise<VinteoCall> {
  const transport = fakeTransport();
  const media = devices();
  const client = new VinteoClient({
    wsUrl: WS,
    sipDomain: 'vinteo.local',
    displayName: 'Anna Petrova',
    userAgentFactory: transport.factory,
    mediaProvider: media,
    deviceProvider: media,
    statsIntervalMs: 600_000,
  });
  place.defer(() => client.destroy());
  const holder = await place.mount(html`<div lang=${look.lang}></div>`);
  new ContextProvider(holder, { context: vinteoClientContext, initialValue: client });
  const el = document.createElement('vinteo-call') as VinteoCall;
  el.conference = '1000';
  el.setAttribute('theme', look.theme);
  holder.append(el);
  const firstCollection = new Promise<void>((resolve) => {
    const off = client.on('stats:collected', () => {
      off();
      resolve();
    });
  });
  await el.join();
  await reach(el, 'in-call', STEP_MS);
  const session = transport.agents[0]!.sessions[0]!;
  installVideoStats(session, { packets: 100, bytes: 100_000, framesReceived: 10, framesDecoded: 10 });
  await firstCollection;
  // The re-INVITE is never answered: the notice stays.
  session.renegotiate = () => new Promise<boolean>(() => undefined);
  // Three stalled samples after the first with traffic (the first collection may or may not have seen it).
  for (let i = 0; i < 5 && client.getSnapshot().call.videoRecovery === undefined; i += 1) await client.collectStats();
  return el;
}

/** Runs of white space as one space, none at the ends. */
const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The rectangle lies inside the viewport. */
function inViewport(rect: DOMRect): boolean {
  return rect.left >= 0 && rect.top >= 0 && rect.right <= window.innerWidth && rect.bottom <= window.innerHeight;
}

/** What `el` shows in the combination: axe clean, no overflow, controls on screen, its text in its language. */
async function check(el: VinteoCall, state: StateCase, look: Look): Promise<void> {
  expect(el.getAttribute('state'), 'the state').to.equal(state.state);
  expect(getComputedStyle(el).colorScheme, 'the theme').to.equal(look.theme);

  // The state's own text, in the element's language.
  const carrier = part(el, state.part);
  expect(carrier, `part ${state.part}`).not.to.equal(null);
  const said = normalize((state.attribute ? carrier!.getAttribute(state.attribute) : carrier!.textContent) ?? '');
  for (const text of state.text(labelsFor(look.lang), look.lang)) expect(said, `${state.part} in ${look.lang}`).to.contain(normalize(text));

  // No horizontal overflow: the element, its base and the page.
  const base = part(el, 'base')!;
  expect(el.scrollWidth, 'the element scrolls sideways').to.be.at.most(el.clientWidth);
  expect(base.scrollWidth, 'the base scrolls sideways').to.be.at.most(base.clientWidth);
  expect(document.documentElement.scrollWidth, 'the page scrolls sideways').to.be.at.most(document.documentElement.clientWidth);

  // Every visible control inside the viewport.
  const controls = [...el.shadowRoot!.querySelectorAll<HTMLElement>('button, select, input, summary')].filter(
    (control) => control.checkVisibility({ visibilityProperty: true }) && control.getBoundingClientRect().width > 0,
  );
  expect(controls.length, 'visible controls').to.be.above(0);
  for (const control of controls) {
    const rect = control.getBoundingClientRect();
    const name = control.getAttribute('part') ?? control.localName;
    expect(inViewport(rect), `${name} at ${rect.left},${rect.top}–${rect.right},${rect.bottom} in ${window.innerWidth}×${window.innerHeight}`).to.equal(true);
  }

  await expect(el).to.be.accessible();
}

type Viewport = (typeof VIEWPORTS)[number];

/** The combinations, in the order the tests run (one viewport after the other: fewer resizes). */
const COMBINATIONS = VIEWPORTS.flatMap((viewport) => LANGS.flatMap((lang) => THEMES.map((theme) => ({ viewport, look: { lang, theme } as Look }))));

const key = (viewport: Viewport, look: Look): string => `${look.lang} ${look.theme} ${viewport.width}`;

/** What a test set up and must undo. */
const cleanups: Array<() => void> = [];
function runCleanups(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** A fixture: removed after the test (with what the set-up deferred). */
const fixturePlace: Place = { mount: (template) => fixture<HTMLElement>(template), defer: (cleanup) => cleanups.push(cleanup) };

/**
 * Sets up every combination of a slow state at once, each in its own container, hidden except during its
 * test (a `display: none` element keeps its state and timers; it is laid out again when shown).
 */
function prepareAll(state: StateCase, undo: Array<() => void>): Map<string, { holder: HTMLElement; el: Promise<VinteoCall> }> {
  const prepared = new Map<string, { holder: HTMLElement; el: Promise<VinteoCall> }>();
  for (const { viewport, look } of COMBINATIONS) {
    const holder = document.createElement('div');
    holder.hidden = true;
    document.body.append(holder);
    undo.push(() => holder.remove());
    const place: Place = {
      mount: (template) => {
        render(template, holder);
        return Promise.resolve(holder.firstElementChild as HTMLElement);
      },
      defer: (cleanup) => undo.push(cleanup),
    };
    const el = state.setup(look, place);
    // A failed set-up fails its test, not the hook.
    el.catch(() => undefined);
    prepared.set(key(viewport, look), { holder, el });
  }
  return prepared;
}

describe('<vinteo-call>: every state in every look (language, theme, viewport)', () => {
  let level: typeof logger.level;
  before(() => {
    level = logger.level;
    logger.level = 'error';
  });
  after(async () => {
    logger.level = level;
    await setViewport({ width: 800, height: 600 });
  });
  afterEach(runCleanups);

  for (const state of STATES) {
    describe(state.name, () => {
      let prepared: ReturnType<typeof prepareAll> | undefined;
      const undo: Array<() => void> = [];
      if (state.slow) {
        before(() => {
          prepared = prepareAll(state, undo);
        });
        after(() => {
          for (const cleanup of undo.splice(0)) cleanup();
        });
      }

      for (const { viewport, look } of COMBINATIONS) {
        it(`${look.lang}, ${look.theme}, ${viewport.width}×${viewport.height}`, async () => {
          await setViewport(viewport);
          if (!prepared) {
            await check(await state.setup(look, fixturePlace), state, look);
            return;
          }
          const { holder, el } = prepared.get(key(viewport, look))!;
          holder.hidden = false;
          try {
            await check(await el, state, look);
          } finally {
            holder.hidden = true;
          }
        });
      }
    });
  }
});
