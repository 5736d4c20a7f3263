// Every element in each of its states, on the fake transport (no server needed): the accessibility,
// language and theming tests run through these. Each scenario mounts a fresh <div> holding the
// element(s), in a given language and theme, and drives them into the state it names.
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoDialpad } from '../../components/vinteo-dialpad/VinteoDialpad.js';
import type { VinteoDevices } from '../../components/vinteo-devices/VinteoDevices.js';
import type { VinteoPresentation } from '../../components/vinteo-presentation/VinteoPresentation.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { ExponentialBackoff } from '../../src/reconnect/policy.js';
import { deniedMedia, FakeDevices, fakeTransport, syntheticMedia, type FakeBehaviour, type FakeUserAgent } from '../helpers/fake-transport.js';
import { part, reach } from '../helpers/dom.js';
import { GOOD, installStats } from '../helpers/fake-stats.js';
import type { VinteoClientOptions } from '../../src/types.js';

export const WS = 'ws://127.0.0.1:1/webrtc/wss/';

export interface Look {
  readonly lang: 'en' | 'ru';
  readonly theme: 'light' | 'dark';
}

export const LOOKS: readonly Look[] = [
  { lang: 'en', theme: 'light' },
  { lang: 'ru', theme: 'dark' },
];

export interface Mounted {
  /** The wrapper: audit this. */
  readonly root: HTMLElement;
  /** The element the scenario is about. */
  readonly element: HTMLElement;
}

export interface Scenario {
  readonly element: string;
  readonly state: string;
  mount(look: Look): Promise<Mounted>;
}

const DEVICES = [
  { kind: 'videoinput', deviceId: 'cam-a', label: 'Front camera' },
  { kind: 'videoinput', deviceId: 'cam-b' },
  { kind: 'audioinput', deviceId: 'mic-a', label: 'Desk microphone' },
  { kind: 'audiooutput', deviceId: 'default', label: 'Default speaker' },
] as const;

/** Mounts `template` in a `<div lang>` and gives every Vinteo element in it the theme. */
async function mount(look: Look, template: TemplateResult): Promise<HTMLElement> {
  const root = await fixture<HTMLDivElement>(html`<div lang=${look.lang} style="max-width: 720px">${template}</div>`);
  for (const el of root.querySelectorAll<HTMLElement & { updateComplete?: Promise<unknown> }>('*')) {
    if (!el.localName.startsWith('vinteo-')) continue;
    el.setAttribute('theme', look.theme);
    await el.updateComplete;
  }
  return root;
}

async function settle(root: HTMLElement): Promise<void> {
  for (const el of root.querySelectorAll<HTMLElement & { updateComplete?: Promise<unknown> }>('*')) await el.updateComplete;
}

/** A stand-alone call on the fake transport, optionally driven by `drive`. */
function callScenario(
  state: string,
  drive: (call: VinteoCall, agent: () => FakeUserAgent) => Promise<void>,
  behaviour: FakeBehaviour = {},
  extra: VinteoClientOptions = {},
  attributes: Record<string, string> = {},
): Scenario {
  return {
    element: 'vinteo-call',
    state,
    async mount(look) {
      const transport = fakeTransport(behaviour);
      const clientOptions = { userAgentFactory: transport.factory, mediaProvider: syntheticMedia, ...extra };
      const root = await mount(look, html`<vinteo-call ws-url=${WS} conference="1000" display-name="Ann" .clientOptions=${clientOptions}></vinteo-call>`);
      const call = root.querySelector('vinteo-call')!;
      for (const [name, value] of Object.entries(attributes)) call.setAttribute(name, value);
      await drive(call, () => transport.agents[0]!);
      await settle(root);
      return { root, element: call };
    },
  };
}

const joined = async (call: VinteoCall): Promise<void> => {
  void call.join();
  await reach(call, 'in-call');
};

/** A session holding every element, on the fake transport with fake devices. */
async function sessionWithAll(look: Look) {
  const transport = fakeTransport();
  const devices = new FakeDevices([...DEVICES]);
  const clientOptions = { userAgentFactory: transport.factory, mediaProvider: devices, deviceProvider: devices };
  const root = await mount(
    look,
    html`<vinteo-session ws-url=${WS} display-name="Ann" .clientOptions=${clientOptions}>
      <vinteo-call conference="1000"></vinteo-call>
      <vinteo-presentation></vinteo-presentation>
      <vinteo-stats></vinteo-stats>
      <vinteo-dialpad></vinteo-dialpad>
      <vinteo-devices></vinteo-devices>
    </vinteo-session>`,
  );
  const session = root.querySelector<VinteoSession>('vinteo-session')!;
  const call = root.querySelector<VinteoCall>('vinteo-call')!;
  const devicesElement = root.querySelector<VinteoDevices>('vinteo-devices')!;
  await waitUntil(() => part<HTMLSelectElement>(devicesElement, 'camera-select')!.options.length === 2, 'devices were never listed');
  return { root, session, call, transport, devices };
}

function inSession(element: string, state: string, drive: (setup: Awaited<ReturnType<typeof sessionWithAll>>) => Promise<void> = async () => {}): Scenario {
  return {
    element,
    state,
    async mount(look) {
      const setup = await sessionWithAll(look);
      await drive(setup);
      await settle(setup.root);
      return { root: setup.root, element: setup.root.querySelector<HTMLElement>(element)! };
    },
  };
}

function unlinked(element: string): Scenario {
  return {
    element,
    state: 'not linked',
    async mount(look) {
      const root = await mount(look, html`${document.createElement(element)}`);
      return { root, element: root.querySelector<HTMLElement>(element)! };
    },
  };
}

export const SCENARIOS: readonly Scenario[] = [
  // <vinteo-call>
  callScenario('idle', async () => {}),
  callScenario('connecting', async (call) => {
    void call.join();
    await reach(call, 'connecting');
  }, { connect: 'never' }),
  callScenario('calling', async (call) => {
    void call.join();
    await reach(call, 'calling');
  }, { invite: 'never' }),
  callScenario('waiting', async (call) => {
    void call.join();
    await reach(call, 'waiting');
  }, { invite: 'waiting' }),
  callScenario(
    'ringing',
    async (call, agent) => {
      call.password = 'pw';
      await call.client!.connect();
      agent().receiveCall('Support', '2000');
      await reach(call, 'ringing');
    },
    {},
    {},
    { user: '1001', register: '' },
  ),
  callScenario('in-call', joined),
  callScenario('lobby, no display name', async (call) => {
    call.removeAttribute('display-name');
    await waitUntil(() => part(call, 'name-input') !== null, 'no name field without display-name');
  }),
  callScenario('connecting, the server not answering', async (call) => {
    void call.join();
    // The notice comes after 5 s of connecting without an answer.
    await waitUntil(() => part(call, 'retry-button') !== null, 'no "server not answering" notice', { timeout: 15_000 });
  }, { connect: 'never' }),
  callScenario(
    'in-call, camera off, quality known',
    async (call, agent) => {
      await joined(call);
      installStats(agent().sessions[0]!, { ...GOOD });
      part<HTMLButtonElement>(call, 'camera-button')!.click();
      await waitUntil(() => part(call, 'camera-off-tile') !== null, 'no camera-off tile');
      await waitUntil(() => part(call, 'quality-badge') !== null, 'no quality badge', { timeout: 15_000 });
    },
    {},
    { statsIntervalMs: 100 },
  ),
  callScenario('in-call, a moderator asks', async (call, agent) => {
    await joined(call);
    agent().sessions[0]!.receiveInfo('application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTOPMIC' });
    await waitUntil(() => part(call, 'moderator-request') !== null, 'no moderator request');
  }),
  callScenario('in-call, spectator', async (call, agent) => {
    await joined(call);
    agent().sessions[0]!.receiveInfo('application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR' });
    await waitUntil(() => call.getAttribute('conference-role') === 'spectator', 'not a spectator');
  }),
  callScenario('in-call, receive-only', joined, {}, { mediaProvider: deniedMedia }),
  callScenario(
    'reconnecting',
    async (call, agent) => {
      await joined(call);
      agent().dropConnection();
      await reach(call, 'reconnecting');
    },
    {},
    { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 600_000, jitter: 0 }) },
  ),
  callScenario('ended', async (call) => {
    await joined(call);
    await call.leave();
    await reach(call, 'ended');
  }),
  callScenario('failed', async (call) => {
    call.removeAttribute('ws-url');
    await call.join();
    await reach(call, 'failed');
  }),
  // <vinteo-presentation>, <vinteo-stats>, <vinteo-dialpad>, <vinteo-devices>: not linked, outside a call, in a call
  unlinked('vinteo-presentation'),
  unlinked('vinteo-stats'),
  unlinked('vinteo-dialpad'),
  unlinked('vinteo-devices'),
  inSession('vinteo-session', 'every element, before a call'),
  inSession('vinteo-session', 'every element, in a call', async ({ call }) => joined(call)),
  inSession('vinteo-dialpad', 'tones sent', async ({ call, root }) => {
    await joined(call);
    const dialpad = root.querySelector<VinteoDialpad>('vinteo-dialpad')!;
    await dialpad.updateComplete;
    dialpad.send('12#');
  }),
  inSession('vinteo-dialpad', 'refused characters', async ({ call, root }) => {
    await joined(call);
    const dialpad = root.querySelector<VinteoDialpad>('vinteo-dialpad')!;
    await dialpad.updateComplete;
    const input = part<HTMLInputElement>(dialpad, 'input')!;
    input.value = '12x';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }),
  inSession('vinteo-presentation', 'sharing refused outside a call', async ({ root }) => {
    await root.querySelector<VinteoPresentation>('vinteo-presentation')!.start();
  }),
  inSession('vinteo-devices', 'a refused switch', async ({ root, devices }) => {
    const element = root.querySelector<VinteoDevices>('vinteo-devices')!;
    await root.querySelector<VinteoCall>('vinteo-call')!.join();
    devices.failNext = 'NotAllowedError';
    await element.selectDevice('camera', 'cam-b');
  }),
  {
    element: 'vinteo-stats',
    state: 'compact',
    async mount(look) {
      const root = await mount(look, html`<vinteo-stats compact></vinteo-stats>`);
      return { root, element: root.querySelector<HTMLElement>('vinteo-stats')! };
    },
  },
];
