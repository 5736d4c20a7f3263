// The classic-script loader (dist/vinteo-widgets.js, which imports JsSIP from dist/vinteo-widgets-sip.js
// next to itself), the one-file build (dist/vinteo-widgets-single.js) and the ESM build dropped into plain
// pages, as a CMS does: loaded twice, side by side, with no globals but one, no browser API touched while
// loading, under a strict Content-Security-Policy with and without Trusted Types, and with the SIP chunk
// missing.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { VinteoErrorEvent } from '../../components/shared/events.js';
import { uniqueConference } from '../helpers/env.js';
import { addedGlobals, ELEMENT_NAMES, expectRendered, joinFromPage, openPage, optionalEnv, part, type DropInPage } from './helpers.js';

const page = (query: string): Promise<DropInPage> => openPage(`/__drop-in/page.html?${query}`);

function expectCleanRun(opened: DropInPage): void {
  expect(opened.probe.errors, 'uncaught errors').to.deep.equal([]);
  expect(opened.probe.violations, 'CSP violations').to.deep.equal([]);
}

/** What the loader defines as it runs; the panels and `<vinteo-session>` come from its panels chunk once one is on the page. */
const LOADER_ELEMENTS = ['vinteo-call'];

/** Each of `names` gets defined (the panels once their chunk has run), and once only. */
async function expectEachDefinedOnce(opened: DropInPage, names: readonly string[] = ELEMENT_NAMES): Promise<void> {
  for (const name of names) {
    await waitUntil(() => opened.window.customElements.get(name) !== undefined, `<${name}> was not defined`, { timeout: 10_000 });
  }
  const defines = opened.probe.defines.filter((name) => name.startsWith('vinteo-'));
  expect([...defines].sort()).to.deep.equal([...names].sort());
}

/** The requests the page made for one of the loader's chunks (failed ones included). */
function chunkRequests(opened: DropInPage, file: string): string[] {
  return opened.window.performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.includes(file));
}

const sipRequests = (opened: DropInPage): string[] => chunkRequests(opened, 'vinteo-widgets-sip.js');
const panelsRequests = (opened: DropInPage): string[] => chunkRequests(opened, 'vinteo-widgets-panels.js');

/** A WebSocket address where nothing answers: a connect fails at once, after JsSIP has loaded. */
const NOWHERE = 'ws://127.0.0.1:9/webrtc/wss/';

/** A `VinteoClient` of the page's `VinteoWidgets` (of {@link NOWHERE} unless `options` say otherwise), typed as what the test uses of it. */
function pageClient<T>(opened: DropInPage, options: object = {}): T {
  const VinteoClient = opened.window.VinteoWidgets!['VinteoClient'] as new (options: object) => T;
  return new VinteoClient({ wsUrl: NOWHERE, sipDomain: 'vinteo.local', autoReconnect: false, ...options });
}

/**
 * Connects a client of the page's `VinteoWidgets` to {@link NOWHERE}: the error says whether JsSIP
 * could be loaded (a SIP library error) or was loaded and the socket failed (any other message).
 */
async function connectNowhere(opened: DropInPage): Promise<{ reason: string; message: string }> {
  const client = pageClient<{ connect(): Promise<void>; destroy(): void }>(opened);
  try {
    await client.connect();
    throw new Error('connected to nowhere');
  } catch (error) {
    return error as { reason: string; message: string };
  } finally {
    client.destroy();
  }
}

describe('drop-in: the script tag', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  it('adds exactly one global, VinteoWidgets, and touches no browser API while loading', async () => {
    opened = await page('scripts=bundle&elements=none');
    expectCleanRun(opened);
    expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
    expect(opened.probe.symbolMetadataAfter, 'Symbol.metadata left alone').to.equal(opened.probe.symbolMetadataBefore);
    // No sockets, media, storage, cookies, timers, listeners, observers or DOM writes: only the two definitions.
    expect(opened.probe.importCalls).to.deep.equal([]);
    await expectEachDefinedOnce(opened, LOADER_ELEMENTS);
    const namespace = opened.window.VinteoWidgets!;
    expect(typeof namespace['VinteoClient']).to.equal('function');
    expect(typeof namespace['loadPanels']).to.equal('function');
    expect(typeof namespace['loadHelpers']).to.equal('function');
    // The pure helpers are in the SIP chunk, with the services that use them (loadHelpers() below).
    for (const name of ['protocol', 'parseStats', 'sampleOf', 'assessQuality', 'QUALITY_THRESHOLDS', 'BITRATE_TABLE', 'maxBitrateForWidth', 'balancerParameters', 'fitScale', 'resolveCredentials']) {
      expect(namespace[name], name).to.equal(undefined);
    }
    expect(namespace['VinteoCall']).to.equal(opened.window.customElements.get('vinteo-call'));
    // <vinteo-session> comes with the panels: a page with a call alone does not need it.
    expect(opened.window.customElements.get('vinteo-session')).to.equal(undefined);
    expect(namespace['VinteoSession']).to.equal(undefined);
    expect(panelsRequests(opened), 'no panel, no panels chunk').to.deep.equal([]);
  });

  it('the loader asks for the SIP chunk only once an element is on the page, and from next to itself', async () => {
    opened = await page('scripts=bundle&elements=none');
    await new Promise((resolve) => opened!.window.requestIdleCallback(resolve, { timeout: 2000 }));
    expect(sipRequests(opened), 'no element, no SIP chunk').to.deep.equal([]);
    const call = opened.document.createElement('vinteo-call');
    call.setAttribute('conference', '1000');
    opened.document.body.append(call);
    // <vinteo-call> loads JsSIP when the browser is next idle.
    await waitUntil(() => sipRequests(opened!).length > 0, 'the SIP chunk was not requested', { timeout: 10_000 });
    expect(sipRequests(opened)).to.deep.equal([new URL('/dist/vinteo-widgets-sip.js', opened.window.location.href).href]);
    const error = await connectNowhere(opened);
    expect(error.reason).to.equal('connection-failed');
    expect(error.message, 'JsSIP was loaded').not.to.contain('SIP library');
    expectCleanRun(opened);
  });

  it("the loader's compacted templates still style the element: a rule after a removed comment, a container query", async () => {
    // vite.config.ts (compactTemplates) takes the comments and indentation out of the script builds' styles.
    opened = await page('scripts=bundle&elements=none');
    const box = opened.document.createElement('div');
    box.style.width = '400px';
    const call = opened.document.createElement('vinteo-call');
    call.setAttribute('conference', '1000');
    box.append(call);
    opened.document.body.append(box);
    await waitUntil(() => call.shadowRoot?.querySelector('[part~="controls"] .label'), 'no control label', { timeout: 10_000 });
    const label = call.shadowRoot!.querySelector('[part~="controls"] .label')!;
    expect(opened.window.getComputedStyle(call).getPropertyValue('--_chrome').trim()).to.equal('9rem');
    // At phone width the lobby's buttons are compact: their labels leave the flow (shown as tooltips).
    expect(opened.window.getComputedStyle(label).position).to.equal('absolute');
    box.style.width = '900px';
    await waitUntil(() => opened!.window.getComputedStyle(label).position === 'static', 'the labels stayed compact at 900 px', { timeout: 10_000 });
    expectCleanRun(opened);
  });

  /** The loader's client class, with what these tests use of it. */
  type LoaderClient = {
    getSnapshot(): { connection: { state: string }; call: { state: string; microphoneEnabled: boolean } };
    subscribe<T>(selector: (snapshot: ReturnType<LoaderClient['getSnapshot']>) => T, listener: (value: T) => void): () => void;
    readonly peerConnection: unknown;
    readonly listenerCount: number;
    prepare(when?: 'now' | 'idle'): void;
    connect(): Promise<void>;
    leave(): Promise<void>;
    disconnect(): Promise<void>;
    collectStats(): Promise<unknown>;
    sendDTMF(tones: string): void;
    setMicrophoneEnabled(enabled: boolean): void;
    destroy(): void;
  };
  const loaderClient = (opened: DropInPage): LoaderClient => pageClient<LoaderClient>(opened);

  it("the loader's client before its services have loaded: reads, leave and disconnect load nothing; a setting made meanwhile applies once they have", async () => {
    opened = await page('scripts=bundle&elements=none');
    const client = loaderClient(opened);
    expect(client.getSnapshot().connection.state).to.equal('disconnected');
    expect(client.getSnapshot().call.state).to.equal('idle');
    expect(client.peerConnection).to.equal(undefined);
    expect(() => client.sendDTMF('1'), 'no call').to.throw(/Cannot send DTMF/);
    expect(await client.collectStats()).to.equal(undefined);
    await client.leave();
    await client.disconnect();
    expect(sipRequests(opened), 'nothing needed the services').to.deep.equal([]);
    let unsubscribe = (): void => undefined;
    const muted = new Promise<boolean>((resolve) => {
      unsubscribe = client.subscribe((snapshot) => snapshot.call.microphoneEnabled, resolve);
    });
    client.setMicrophoneEnabled(false);
    expect(client.getSnapshot().call.microphoneEnabled, 'applied by the services, which are on their way').to.equal(true);
    expect(await muted).to.equal(false);
    expect(sipRequests(opened), 'loaded once, for the setting').to.have.length(1);
    unsubscribe();
    client.destroy();
    expect(client.listenerCount, 'the services let go of the snapshot and the events').to.equal(0);
    expectCleanRun(opened);
  });

  it("the loader's client destroyed while its services load: nothing is left, and a connect says it is destroyed", async () => {
    opened = await page('scripts=bundle&elements=none');
    const client = loaderClient(opened);
    client.prepare('now');
    client.destroy();
    // Once a second client of the page has its services, the chunk has run and the first client's load has ended.
    const other = loaderClient(opened);
    const muted = new Promise<boolean>((resolve) => other.subscribe((snapshot) => snapshot.call.microphoneEnabled, resolve));
    other.setMicrophoneEnabled(false);
    expect(await muted).to.equal(false);
    expect(sipRequests(opened), 'one request for both').to.have.length(1);
    expect(client.listenerCount).to.equal(0);
    const error = (await client.connect().then(
      () => undefined,
      (failure: unknown) => failure,
    )) as { reason?: string } | undefined;
    expect(error?.reason).to.equal('invalid-state');
    other.destroy();
    expectCleanRun(opened);
  });

  it('the one-file build: one global, each element once, JsSIP inside (no request for the SIP chunk)', async () => {
    opened = await page('scripts=single&elements=all');
    expectCleanRun(opened);
    expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
    expect(opened.probe.importCalls).to.deep.equal([]);
    await expectEachDefinedOnce(opened);
    await expectRendered(opened.document);
    const namespace = opened.window.VinteoWidgets!;
    const helpers = await (namespace['loadHelpers'] as () => Promise<Record<string, unknown>>)();
    expect(typeof helpers['protocol']).to.equal('object');
    expect(helpers['protocol'], 'the helpers by name too').to.equal(namespace['protocol']);
    expect(helpers['assessQuality']).to.be.a('function');
    expect(helpers['assessQuality']).to.equal(namespace['assessQuality']);
    const error = await connectNowhere(opened);
    expect(error.reason).to.equal('connection-failed');
    expect(error.message, 'JsSIP was loaded').not.to.contain('SIP library');
    expect(sipRequests(opened)).to.deep.equal([]);
    expectCleanRun(opened);
  });

  for (const scripts of ['bundle,single', 'single,bundle']) {
    it(`the loader and the one-file build on one page (${scripts.replace(',', ' then ')}): the first wins, the second does nothing`, async () => {
      opened = await page(`scripts=${scripts}&elements=all`);
      expectCleanRun(opened);
      await expectEachDefinedOnce(opened);
      expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
      await expectRendered(opened.document);
      const error = await connectNowhere(opened);
      expect(error.message, 'JsSIP was loaded').not.to.contain('SIP library');
      // The loader came first: its SIP chunk is used; the one-file build first: no chunk at all.
      expect(sipRequests(opened).length > 0).to.equal(scripts.startsWith('bundle'));
      expectCleanRun(opened);
    });
  }

  it('the ESM build adds no global of its own and touches no browser API while loading', async () => {
    opened = await page('scripts=esm&elements=none');
    expectCleanRun(opened);
    expect(opened.probe.importCalls).to.deep.equal([]);
    // Lit (the page's own copy, imported by the ESM build) keeps its documented interop globals.
    const lit = ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions', 'litPropertyMetadata'];
    expect(addedGlobals(opened.probe).filter((name) => !lit.includes(name))).to.deep.equal([]);
    await expectEachDefinedOnce(opened);
  });

  it('loaded twice: nothing throws, each element is defined once, the second copy does nothing', async () => {
    opened = await page('scripts=bundle,bundle&elements=all');
    expectCleanRun(opened);
    await expectEachDefinedOnce(opened);
    expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
    expect(opened.window.VinteoWidgets!['VinteoCall']).to.equal(opened.window.customElements.get('vinteo-call'));
    await expectRendered(opened.document);
    const error = await connectNowhere(opened);
    expect(error.message, 'JsSIP was loaded').not.to.contain('SIP library');
    expect(sipRequests(opened), 'the SIP chunk, once').to.have.length(1);
    expectCleanRun(opened);
  });

  for (const [only, other, join, statsPanel] of [
    ['ru', 'en', 'Войти', 'Качество связи'],
    ['en', 'ru', 'Join', 'Call quality'],
  ] as const) {
    it(`the ${only === 'ru' ? 'Russian' : 'English'}-only loader: its language whatever lang says, the default loader's chunks`, async () => {
      opened = await page(`scripts=bundle-${only}&elements=all&lang=${other}`);
      expectCleanRun(opened);
      expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
      await expectEachDefinedOnce(opened);
      await expectRendered(opened.document);
      const call = opened.document.querySelector('vinteo-call')!;
      expect(part(call, 'join-button').textContent!.trim()).to.equal(join);
      // A panel's labels come with the panels chunk, in the loader's language.
      expect(part(opened.document.querySelector('vinteo-stats')!, 'base').getAttribute('aria-label')).to.equal(statsPanel);
      const error = await connectNowhere(opened);
      expect(error.message, 'JsSIP was loaded').not.to.contain('SIP library');
      const here = (file: string): string => new URL(`/dist/${file}`, opened!.window.location.href).href;
      expect(sipRequests(opened)).to.deep.equal([here('vinteo-widgets-sip.js')]);
      expect(panelsRequests(opened)).to.deep.equal([here('vinteo-widgets-panels.js')]);
      expectCleanRun(opened);
    });
  }

  for (const scripts of ['bundle,esm', 'esm,bundle-defer']) {
    it(`alongside the ESM build (${scripts.replace(',', ' then ')}): each element once, and they work together`, async () => {
      opened = await page(`scripts=${scripts}&elements=all`);
      expectCleanRun(opened);
      await expectEachDefinedOnce(opened);
      await expectRendered(opened.document);
      const session = opened.document.querySelector('vinteo-session') as HTMLElement & { client: unknown };
      const call = opened.document.querySelector('vinteo-call') as HTMLElement & { client: unknown };
      expect(call.client).to.equal(session.client);
      for (const name of ['vinteo-dialpad', 'vinteo-devices', 'vinteo-stats', 'vinteo-presentation']) {
        expect((opened.document.querySelector(name) as HTMLElement & { client: unknown }).client, name).to.equal(session.client);
      }
    });
  }
});

describe('drop-in: the panels chunk (<vinteo-dialpad>, <vinteo-devices>, <vinteo-presentation>, <vinteo-stats>)', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  function add(parent: ParentNode, name: string): HTMLElement {
    const element = opened!.document.createElement(name);
    if (name === 'vinteo-call') element.setAttribute('conference', '1000');
    parent.append(element);
    return element;
  }

  async function expectUpgraded(element: HTMLElement): Promise<void> {
    await waitUntil(() => element.shadowRoot !== null, `<${element.localName}> was not upgraded`, { timeout: 10_000 });
    await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    part(element, 'base');
  }

  it('the loader fetches them from next to itself only once one is beside a call', async () => {
    opened = await page('scripts=bundle&elements=none');
    add(opened.document.body, 'vinteo-call');
    // The call's SIP chunk is asked for when the page is next idle: by then a panel would have been seen.
    await waitUntil(() => sipRequests(opened!).length > 0, 'the SIP chunk was not requested', { timeout: 10_000 });
    expect(panelsRequests(opened), 'a call alone, no panels chunk').to.deep.equal([]);
    expect(opened.window.customElements.get('vinteo-stats')).to.equal(undefined);
    const stats = add(opened.document.body, 'vinteo-stats');
    await expectUpgraded(stats);
    expect(panelsRequests(opened)).to.deep.equal([new URL('/dist/vinteo-widgets-panels.js', opened.window.location.href).href]);
    await expectEachDefinedOnce(opened);
    // Added after the chunk has run: defined at once, nothing fetched again.
    const dialpad = add(opened.document.body, 'vinteo-dialpad');
    await expectUpgraded(dialpad);
    expect(panelsRequests(opened)).to.have.length(1);
    expectCleanRun(opened);
  });

  it('a panel alone in the document as the (deferred) loader runs', async () => {
    opened = await page('scripts=bundle-defer&elements=panel');
    await expectUpgraded(opened.document.querySelector('vinteo-dialpad')!);
    expect(panelsRequests(opened)).to.have.length(1);
    expectCleanRun(opened);
  });

  it('a panel beside a call inside a shadow root', async () => {
    opened = await page('scripts=bundle&elements=none');
    const host = add(opened.document.body, 'div');
    const root = host.attachShadow({ mode: 'open' });
    add(root, 'vinteo-call');
    const devices = add(root, 'vinteo-devices');
    await expectUpgraded(devices);
    expect(panelsRequests(opened)).to.have.length(1);
    expectCleanRun(opened);
  });

  it('VinteoWidgets.loadPanels() defines them on a page without any element, once', async () => {
    opened = await page('scripts=bundle&elements=none');
    const loadPanels = opened.window.VinteoWidgets!['loadPanels'] as () => Promise<void>;
    await loadPanels();
    await expectEachDefinedOnce(opened);
    await loadPanels();
    expect(panelsRequests(opened)).to.have.length(1);
    expect(sipRequests(opened), 'the panels need no SIP chunk').to.deep.equal([]);
    // The global holds the loader's exports; a panel's class is the registry's.
    expect(opened.window.VinteoWidgets!['VinteoStats']).to.equal(undefined);
    expectCleanRun(opened);
  });

  it('VinteoWidgets.loadHelpers() fetches the SIP chunk once and resolves with the pure helpers', async () => {
    opened = await page('scripts=bundle&elements=none');
    const namespace = opened.window.VinteoWidgets!;
    type Helpers = { protocol: { parseResolution(value: string): unknown; parseReceivedInfo: unknown }; assessQuality: unknown; BITRATE_TABLE: unknown; resolveCredentials: unknown };
    const loadHelpers = namespace['loadHelpers'] as () => Promise<Helpers>;
    const [helpers, again] = await Promise.all([loadHelpers(), loadHelpers()]);
    expect(again).to.equal(helpers);
    expect(helpers.protocol.parseResolution('1280x720')).to.deep.equal({ width: 1280, height: 720 });
    expect(helpers.protocol.parseReceivedInfo).to.be.a('function');
    expect(helpers.assessQuality).to.be.a('function');
    expect(helpers.BITRATE_TABLE).to.be.an('array');
    expect(helpers.resolveCredentials).to.be.a('function');
    // parseResolution lives in the loader (<vinteo-presentation> checks max-resolution with it): the chunk's is the same function.
    expect(helpers.protocol.parseResolution).to.equal(namespace['parseResolution']);
    expect(sipRequests(opened), 'the SIP chunk, once').to.have.length(1);
    expect(panelsRequests(opened)).to.deep.equal([]);
    expectCleanRun(opened);
  });

  it('a chunk that cannot be fetched is logged, throws nothing, and is asked for again by the next panel', async () => {
    opened = await page('scripts=panels-404-once&elements=none');
    const logged: string[] = [];
    opened.window.console.error = (...args: unknown[]) => logged.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
    const errors: Array<{ target: EventTarget | null; reason: string; message: string }> = [];
    opened.document.addEventListener('vinteo-error', (event) => {
      const { reason, message } = (event as VinteoErrorEvent).detail;
      errors.push({ target: event.target, reason, message });
    });
    add(opened.document.body, 'vinteo-call');
    const stats = add(opened.document.body, 'vinteo-stats');
    await waitUntil(() => logged.length > 0, 'the failure was not logged', { timeout: 10_000 });
    expect(logged[0]).to.contain('could not be loaded').and.to.contain('vinteo-widgets-panels.js');
    // The page hears it too: vinteo-error on the panel that waits (it is undefined, so it cannot show it).
    await waitUntil(() => errors.length > 0, 'no vinteo-error', { timeout: 10_000 });
    expect(errors).to.have.length(1);
    expect(errors[0]!.target).to.equal(stats);
    expect(errors[0]!.reason).to.equal('connection-failed');
    expect(errors[0]!.message).to.contain('vinteo-widgets-panels.js');
    expect(opened.window.customElements.get('vinteo-stats')).to.equal(undefined);
    const presentation = add(opened.document.body, 'vinteo-presentation');
    await expectUpgraded(presentation);
    const base = new URL('/__drop-in/moved/vinteo-widgets-panels.js?panels=404-once', opened.window.location.href).href;
    expect(panelsRequests(opened)).to.deep.equal([base, `${base}&retry=1`]);
    await expectUpgraded(opened.document.querySelector('vinteo-stats')!);
    expectCleanRun(opened);
  });

  /** A `<vinteo-session>` (signalling at a closed port) with a `<vinteo-call>` inside, added to the page. */
  function addSessionWithCall(into: DropInPage): { session: HTMLElement & { client?: unknown }; call: HTMLElement & { client?: unknown; updateComplete: Promise<boolean> } } {
    const session = into.document.createElement('vinteo-session');
    session.setAttribute('ws-url', 'ws://127.0.0.1:9/');
    const call = into.document.createElement('vinteo-call') as HTMLElement & { client?: unknown; updateComplete: Promise<boolean> };
    call.setAttribute('conference', '1000');
    session.append(call);
    into.document.body.append(session);
    return { session, call };
  }

  it('<vinteo-session> comes with the panels chunk: Join in a session on its way waits as connecting, then goes through its client', async () => {
    const hold = Math.random().toString(36).slice(2);
    opened = await page(`scripts=panels-held&hold=${hold}&elements=none`);
    const { session, call } = addSessionWithCall(opened);
    await call.updateComplete;
    expect(opened.window.customElements.get('vinteo-session')).to.equal(undefined);
    expect(call.getAttribute('state')).to.equal('idle');
    part<HTMLButtonElement>(call, 'join-button').click();
    await call.updateComplete;
    expect(call.getAttribute('state'), 'connecting while the session is on its way').to.equal('connecting');
    const failed = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
    await opened.window.fetch(`/__drop-in/release-sip?hold=${hold}`);
    // Its join went through the session's client (a call alone, with no ws-url, would have no client at all).
    const error = (await failed).detail;
    expect(error.reason).to.equal('connection-failed');
    expect(call.client).to.be.an('object');
    expect(call.client).to.equal(session.client);
    // The call, beside the session, asked for the chunk once.
    expect(panelsRequests(opened)).to.have.length(1);
    expectCleanRun(opened);
  });

  it('a session whose chunk cannot be fetched: the call inside shows connection-failed on Join, nothing uncaught', async () => {
    opened = await page('scripts=panels-404&elements=none');
    opened.window.console.error = () => undefined;
    const { call } = addSessionWithCall(opened);
    await call.updateComplete;
    const failed = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
    part<HTMLButtonElement>(call, 'join-button').click();
    const error = (await failed).detail;
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('vinteo-widgets-panels.js');
    await call.updateComplete;
    expect(call.getAttribute('state')).to.equal('failed');
    expect(part(call, 'error').textContent).to.contain('conference server');
    expectCleanRun(opened);
  });
});

describe("drop-in: JsSIP's log in the script builds (debug-shim.cjs in place of the debug module)", () => {
  let opened: DropInPage | undefined;
  let stored: string | null;
  beforeEach(() => {
    stored = localStorage.getItem('debug');
  });
  afterEach(() => {
    opened?.close();
    opened = undefined;
    if (stored === null) localStorage.removeItem('debug');
    else localStorage.setItem('debug', stored);
  });

  for (const scripts of ['bundle', 'single']) {
    it(`${scripts}: silent whatever localStorage.debug says; enableSipDebug() turns JsSIP's namespaces on and off; the setting stays`, async () => {
      // The frame shares the test page's origin, so its localStorage too (restored after the test).
      localStorage.setItem('debug', 'JsSIP:*,page:*');
      opened = await page(`scripts=${scripts}&elements=none`);
      const lines: string[] = [];
      const frameConsole = opened.window.console;
      for (const method of ['debug', 'info', 'log', 'warn', 'error'] as const) {
        // Before JsSIP loads: its loggers bind the console's methods as they are made.
        frameConsole[method] = (...args: unknown[]) => lines.push(args.map(String).join(' '));
      }
      const enableSipDebug = opened.window.VinteoWidgets!['enableSipDebug'] as (on?: boolean) => void;
      const jssipLines = () => lines.filter((line) => /\bJsSIP\b/.test(line));

      expect((await connectNowhere(opened)).message, 'JsSIP was loaded').not.to.contain('SIP library');
      expect(jssipLines(), 'no JsSIP log by default').to.deep.equal([]);

      enableSipDebug(true);
      await connectNowhere(opened);
      const logged = jssipLines();
      expect(logged.some((line) => line.startsWith('JsSIP:UA ')), `the UA's log, namespace first: ${logged.slice(0, 3).join(' | ')}`).to.equal(true);
      expect(logged.some((line) => line.includes(NOWHERE)), "the transport's address in its log").to.equal(true);

      enableSipDebug(false);
      const count = jssipLines().length;
      await connectNowhere(opened);
      expect(jssipLines().length, 'silent again').to.equal(count);
      expect(localStorage.getItem('debug'), 'the page setting is left as it was').to.equal('JsSIP:*,page:*');
      expectCleanRun(opened);
    });
  }
});

describe('drop-in: strict Content-Security-Policy', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  const variants = [
    { name: 'strict CSP', query: 'csp=strict' },
    { name: "strict CSP with require-trusted-types-for 'script'", query: 'csp=strict&tt=1' },
    { name: 'strict CSP with Trusted Types limited to the lit-html policy', query: 'csp=strict&tt=lit-html' },
  ];
  for (const variant of variants) {
    it(`${variant.name}: every element renders, the SIP chunk loads and a call runs, with no violation`, async function () {
      const env = await optionalEnv();
      opened = await page(`${variant.query}&scripts=bundle&elements=all`);
      expect(opened.probe, 'the probe script ran (same-origin scripts are allowed)').not.to.equal(undefined);
      await expectEachDefinedOnce(opened);
      await expectRendered(opened.document);
      // import() of the same-origin chunk: allowed by script-src 'self', and no Trusted Types sink.
      const error = await connectNowhere(opened);
      expect(error.message, 'JsSIP was loaded').not.to.contain('SIP library');
      expect(sipRequests(opened)).not.to.deep.equal([]);
      if (env) await joinFromPage(opened, env);
      expectCleanRun(opened);
      if (!env) this.skip();
    });

    it(`${variant.name}: the one-file build renders and a call runs, with no violation`, async function () {
      const env = await optionalEnv();
      opened = await page(`${variant.query}&scripts=single&elements=all`);
      await expectEachDefinedOnce(opened);
      await expectRendered(opened.document);
      if (env) await joinFromPage(opened, env);
      expectCleanRun(opened);
      if (!env) this.skip();
    });
  }

  it('the harness: the policy is enforced and the probe sees violations', async () => {
    opened = await page('csp=strict&tt=1&scripts=bundle&elements=none');
    const style = opened.document.createElement('style');
    style.textContent = 'body { color: red }';
    opened.document.head.append(style);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(opened.probe.violations.map((v) => v.directive)).to.include('style-src-elem');
    // Chromium names the type it wanted; Firefox reports a "sink type mismatch".
    expect(() => {
      opened!.document.body.innerHTML = '<b>not trusted</b>';
    }).to.throw(/TrustedHTML|Sink type mismatch/);
  });

  it('demo/cms.html, served with the strict CSP header, renders and joins', async function () {
    const env = await optionalEnv();
    opened = await openPage('/demo/cms.html');
    expect(opened.probe, 'the probe script ran').not.to.equal(undefined);
    await expectRendered(opened.document);
    const call = opened.document.querySelector('vinteo-call')!;
    // cms.html is in Russian.
    expect(call.shadowRoot!.querySelector('[part~="join-button"]')!.textContent!.trim()).to.equal('Войти');
    if (env) await joinFromPage(opened, env);
    expectCleanRun(opened);
    if (!env) this.skip();
  });
});

describe('drop-in: the SIP chunk cannot be loaded', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  type CallElement = HTMLElement & { updateComplete: Promise<unknown>; leave(): Promise<void> };

  /** Adds `<vinteo-call auto-join>` to the page and waits for its `vinteo-error`. */
  async function joinFails(wsUrl: string, sipDomain: string): Promise<{ call: CallElement; error: VinteoErrorEvent['detail'] }> {
    const call = opened!.document.createElement('vinteo-call') as CallElement;
    call.setAttribute('ws-url', wsUrl);
    call.setAttribute('sip-domain', sipDomain);
    call.setAttribute('conference', uniqueConference());
    call.setAttribute('auto-join', '');
    const failed = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
    opened!.document.body.append(call);
    const error = (await failed).detail;
    await call.updateComplete;
    return { call, error };
  }

  function expectShownAsMissingChunk(call: CallElement, error: VinteoErrorEvent['detail']): void {
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('the SIP library (JsSIP) could not be loaded');
    expect(error.message).to.contain('vinteo-widgets-sip.js');
    expect(call.getAttribute('state')).to.equal('failed');
    expect(part(call, 'error').getAttribute('role')).to.equal('alert');
    expect(part(call, 'error-text').textContent).to.equal('Could not reach the conference server. Check your internet connection and try again.');
    expect(part(call, 'error-details').textContent).to.contain('vinteo-widgets-sip.js');
  }

  it('a 404: a visible error and vinteo-error, nothing uncaught; Join again asks for the chunk again', async () => {
    opened = await page('scripts=sip-404&elements=none');
    const { call, error } = await joinFails(NOWHERE, 'vinteo.local');
    expectShownAsMissingChunk(call, error);
    const asked = sipRequests(opened).length;
    expect(asked).to.equal(1);
    const again = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
    part<HTMLButtonElement>(call, 'join-button').click();
    expectShownAsMissingChunk(call, (await again).detail);
    await call.updateComplete;
    expect(sipRequests(opened).length).to.equal(asked + 1);
    expectCleanRun(opened);
  });

  it('loadHelpers() with the SIP chunk missing: a connection-failed rejection naming the file, nothing uncaught', async () => {
    opened = await page('scripts=sip-404&elements=none');
    const loadHelpers = opened.window.VinteoWidgets!['loadHelpers'] as () => Promise<unknown>;
    const error = await loadHelpers().then(
      () => {
        throw new Error('loadHelpers() resolved without its chunk');
      },
      (reason: { reason: string; message: string }) => reason,
    );
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('The helpers (protocol, parseStats…) could not be loaded');
    expect(error.message).to.contain('vinteo-widgets-sip.js');
    expect(sipRequests(opened)).to.have.length(1);
    expectCleanRun(opened);
  });

  it("a client's setting deferred until the services load: a 404 comes as the client's error event, nothing uncaught", async () => {
    opened = await page('scripts=sip-404&elements=none');
    type Client = { setMicrophoneEnabled(on: boolean): void; on(type: 'error', listener: (payload: { error: { reason: string; message: string } }) => void): () => void; destroy(): void };
    const client = pageClient<Client>(opened);
    const reported = new Promise<{ reason: string; message: string }>((resolve) => client.on('error', ({ error }) => resolve(error)));
    client.setMicrophoneEnabled(false);
    const error = await reported;
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('vinteo-widgets-sip.js');
    client.destroy();
    expectCleanRun(opened);
  });

  it('found on the retry: Join again loads it and joins', async function () {
    const env = await optionalEnv();
    opened = await page('scripts=sip-404-once&elements=none');
    const { call, error } = await joinFails(env?.wsUrl ?? NOWHERE, env?.sipDomain ?? 'vinteo.local');
    expectShownAsMissingChunk(call, error);
    if (env) {
      part<HTMLButtonElement>(call, 'join-button').click();
      await waitUntil(() => call.getAttribute('state') === 'in-call', `the call stayed ${call.getAttribute('state')}`, { timeout: 20_000 });
      await call.leave();
    } else {
      const again = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
      part<HTMLButtonElement>(call, 'join-button').click();
      expect((await again).detail.message, 'JsSIP was loaded; the socket failed').not.to.contain('SIP library');
    }
    expect(sipRequests(opened).length).to.equal(2);
    expectCleanRun(opened);
  });
});

describe('drop-in: the SIP chunk arrives late', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  type CallElement = HTMLElement & {
    updateComplete: Promise<unknown>;
    leave(): Promise<void>;
    readonly client: { getSnapshot(): { call: { state: string }; connection: { state: string } }; loadServices(): Promise<void> | undefined } | undefined;
  };

  /** A page whose SIP chunk is answered only once {@link releaseChunk} is called. */
  async function heldPage(): Promise<{ opened: DropInPage; releaseChunk: () => Promise<unknown> }> {
    const hold = Math.random().toString(36).slice(2);
    const held = await page(`scripts=sip-held&hold=${hold}&elements=none`);
    return { opened: held, releaseChunk: () => held.window.fetch(`/__drop-in/release-sip?hold=${hold}`) };
  }

  function addCall(into: DropInPage, wsUrl: string, sipDomain: string, autoJoin: boolean): CallElement {
    const call = into.document.createElement('vinteo-call') as CallElement;
    call.setAttribute('ws-url', wsUrl);
    call.setAttribute('sip-domain', sipDomain);
    call.setAttribute('conference', uniqueConference());
    if (autoJoin) call.setAttribute('auto-join', '');
    into.document.body.append(call);
    return call;
  }

  /** Adds a `<vinteo-call>` and clicks Join while the chunk is held: connecting at once, Leave offered. */
  async function joinWhileHeld(into: DropInPage, wsUrl: string, sipDomain: string): Promise<CallElement> {
    const call = addCall(into, wsUrl, sipDomain, false);
    await call.updateComplete;
    expect(call.getAttribute('state')).to.equal('idle');
    part<HTMLButtonElement>(call, 'join-button').click();
    await call.updateComplete;
    expect(call.getAttribute('state'), 'shown as connecting while the chunk loads').to.equal('connecting');
    expect(part(call, 'join-button').getAttribute('part')).to.contain('leave-button');
    return call;
  }

  /** A held page (see {@link heldPage}) that records its WebSockets (see {@link recordSockets}). */
  async function heldRecordingPage(): Promise<{ held: Awaited<ReturnType<typeof heldPage>>; made: WebSocket[] }> {
    const held = await heldPage();
    return { held, made: recordSockets(held.opened) };
  }

  /** Every WebSocket the page makes from now on (the loader's and JsSIP's), in order. */
  function recordSockets(into: DropInPage): WebSocket[] {
    const made: WebSocket[] = [];
    const Native = into.window.WebSocket;
    into.window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        made.push(this);
      }
    };
    return made;
  }

  /** Every camera-and-microphone request the page makes from now on, and the streams it got. */
  function recordMedia(into: DropInPage): { asked: MediaStreamConstraints[]; streams: MediaStream[] } {
    const asked: MediaStreamConstraints[] = [];
    const streams: MediaStream[] = [];
    const devices = into.window.navigator.mediaDevices;
    const native = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      asked.push(constraints ?? {});
      const stream = await native(constraints);
      streams.push(stream);
      return stream;
    };
    return { asked, streams };
  }

  it("a client's join() then destroy() while it is on its way: the join says the client is destroyed, and no camera opens", async () => {
    const held = await heldPage();
    opened = held.opened;
    const media = recordMedia(opened);
    const client = pageClient<{ join(conference: string): Promise<void>; destroy(): void }>(opened, {});
    const joining = client.join('1000').then(
      () => 'joined',
      (error: { reason: string }) => error.reason,
    );
    client.destroy();
    await held.releaseChunk();
    expect(await joining).to.equal('invalid-state');
    expect(media.asked, 'the released services opened no camera').to.deep.equal([]);
    expectCleanRun(opened);
  });


  it('Join while it is on its way opens the signalling WebSocket at once, and the call takes it over', async function () {
    const env = await optionalEnv();
    if (!env) this.skip();
    const { held, made } = await heldRecordingPage();
    opened = held.opened;
    const call = await joinWhileHeld(opened, env.wsUrl, env.sipDomain);
    expect(made.map((ws) => ws.url)).to.deep.equal([env.wsUrl]);
    // Its handshake completes while the chunk is still held (nothing of the services has run).
    await waitUntil(() => made[0]!.readyState === WebSocket.OPEN, 'the socket opened for Join did not open', { timeout: 10_000 });
    expect(made[0]!.protocol).to.equal('sip');
    expect(call.client!.getSnapshot().connection.state).to.equal('disconnected');
    await held.releaseChunk();
    await waitUntil(() => call.getAttribute('state') === 'in-call', `the call stayed ${call.getAttribute('state')}`, { timeout: 20_000 });
    expect(made, "JsSIP's transport took it over: no second socket").to.have.length(1);
    expect(made[0]!.readyState).to.equal(WebSocket.OPEN);
    await call.leave();
    expectCleanRun(opened);
  });

  it("a client's connect() while it is on its way opens the socket at once; destroy() closes it, nothing uncaught", async () => {
    const env = await optionalEnv();
    const { held, made } = await heldRecordingPage();
    opened = held.opened;
    const client = pageClient<{ connect(): Promise<void>; destroy(): void }>(opened, env ? { wsUrl: env.wsUrl, sipDomain: env.sipDomain } : {});
    const connecting = client.connect().then(
      () => 'connected',
      (error: { reason: string }) => error.reason,
    );
    expect(made.map((ws) => ws.url), 'opened before the chunk arrived').to.deep.equal([env?.wsUrl ?? NOWHERE]);
    client.destroy();
    await waitUntil(() => made[0]!.readyState === WebSocket.CLOSED, 'destroy() left the socket open', { timeout: 10_000 });
    await held.releaseChunk();
    expect(await connecting, 'a destroyed client does not connect').not.to.equal('connected');
    expect(made, 'no socket after the chunk arrived').to.have.length(1);
    expectCleanRun(opened);
  });

  it('Join while it is on its way: connecting at once (Leave offered), then the call once it arrives', async function () {
    const env = await optionalEnv();
    const held = await heldPage();
    opened = held.opened;
    const call = await joinWhileHeld(opened, env?.wsUrl ?? NOWHERE, env?.sipDomain ?? 'vinteo.local');
    if (env) {
      await held.releaseChunk();
      await waitUntil(() => call.getAttribute('state') === 'in-call', `the call stayed ${call.getAttribute('state')}`, { timeout: 20_000 });
      await call.leave();
    } else {
      const failed = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
      await held.releaseChunk();
      expect((await failed).detail.message, 'the chunk arrived; the socket failed').not.to.contain('SIP library');
    }
    expectCleanRun(opened);
  });

  it('auto-join while it is on its way: the first render already shows connecting, not the Join screen', async () => {
    const held = await heldPage();
    opened = held.opened;
    const call = addCall(opened, NOWHERE, 'vinteo.local', true);
    const failed = oneEvent(call, 'vinteo-error') as Promise<VinteoErrorEvent>;
    await call.updateComplete;
    expect(call.getAttribute('state')).to.equal('connecting');
    await held.releaseChunk();
    expect((await failed).detail.message, 'the chunk arrived; the socket failed').not.to.contain('SIP library');
    expectCleanRun(opened);
  });

  it('Leave while it is on its way: back to the start, the socket opened for Join closed, and no call starts when it arrives', async () => {
    const env = await optionalEnv();
    const { held, made } = await heldRecordingPage();
    opened = held.opened;
    const call = await joinWhileHeld(opened, env?.wsUrl ?? NOWHERE, env?.sipDomain ?? 'vinteo.local');
    expect(made, 'opened as Join started').to.have.length(1);
    part<HTMLButtonElement>(call, 'join-button').click();
    await call.updateComplete;
    expect(call.getAttribute('state'), 'Leave cancelled the join').to.equal('idle');
    await waitUntil(() => made[0]!.readyState === WebSocket.CLOSED, 'the socket opened for Join stayed open after Leave', { timeout: 10_000 });
    await held.releaseChunk();
    // The element's own wait for the services ends before this one (it asked first).
    await call.client!.loadServices();
    await call.updateComplete;
    expect(call.getAttribute('state')).to.equal('idle');
    expect(call.client!.getSnapshot().call.state, 'no call').to.equal('idle');
    expect(call.client!.getSnapshot().connection.state, 'no connection').to.equal('disconnected');
    expect(made, 'no socket after the chunk arrived').to.have.length(1);
    expectCleanRun(opened);
  });
});
