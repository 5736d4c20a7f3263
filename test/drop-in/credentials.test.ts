// Credentials without secrets in HTML: guests need none; registered users through `credentials-url` (GET
// with the page's cookies), the `credentials` property (object or async function) or the client option;
// the unsafe `password` attribute is read once and removed; no password in the DOM, logs or events.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { VinteoClient } from '../../src/client.js';
import { credentialsFromUrl } from '../../src/credentials.js';
import { logger, type LogLevel } from '../../src/logger.js';
import { fakeTransport, syntheticMedia } from '../helpers/fake-transport.js';
import { uniqueConference, waitForServerCall } from '../helpers/env.js';
import { optionalEnv } from './helpers.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';
const COOKIE = 'vinteo-drop-in-credentials';
const ENDPOINT = '/__drop-in/credentials';

function setCredentialsCookie(value: unknown): void {
  const encoded = btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  document.cookie = `${COOKIE}=${encoded}; path=/; SameSite=Strict`;
}

function clearCredentialsCookie(): void {
  document.cookie = `${COOKIE}=; path=/; max-age=0`;
}

function fakeOptions() {
  const transport = fakeTransport();
  return { transport, clientOptions: { userAgentFactory: transport.factory, mediaProvider: syntheticMedia } };
}

/** Everything a page could see: console output, every vinteo-* event detail, the DOM with shadow roots. */
async function watchForSecrets() {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as {
    modules: Array<{ declarations?: Array<{ events?: Array<{ name: string }> }> }>;
  };
  const eventNames = new Set(manifest.modules.flatMap((m) => (m.declarations ?? []).flatMap((d) => (d.events ?? []).map((e) => e.name))));
  const seen: string[] = [];
  const methods = ['debug', 'info', 'log', 'warn', 'error'] as const;
  const originals = methods.map((method) => console[method]);
  methods.forEach((method, index) => {
    console[method] = (...args: unknown[]) => {
      seen.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${String(arg.cause)}` : typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
      originals[index]!.apply(console, args);
    };
  });
  const onEvent = (event: Event): void => {
    seen.push(`${event.type} ${safeJson((event as Event & { detail?: unknown }).detail)}`);
  };
  for (const name of eventNames) document.addEventListener(name, onEvent, true);
  const level: LogLevel = logger.level;
  logger.level = 'debug';
  return {
    eventNames,
    seen,
    stop(): void {
      logger.level = level;
      methods.forEach((method, index) => {
        console[method] = originals[index]!;
      });
      for (const name of eventNames) document.removeEventListener(name, onEvent, true);
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The element's markup with its shadow roots, as a script on the page could read it. */
function deepMarkup(el: Element): string {
  let out = el.outerHTML;
  for (const node of [el, ...el.querySelectorAll('*')]) if (node.shadowRoot) out += node.shadowRoot.innerHTML;
  return out;
}

describe('drop-in: credentials', () => {
  afterEach(clearCredentialsCookie);

  it('a guest needs none: no registration, no password', async () => {
    const { transport, clientOptions } = fakeOptions();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    await el.join();
    await waitUntil(() => el.getAttribute('state') === 'in-call');
    const configuration = transport.agents[0]!.params.configuration;
    expect(configuration.register).to.equal(false);
    expect(configuration.password).to.equal(undefined);
    expect(configuration.uri).to.match(/^sip:\d+@127\.0\.0\.1$/);
  });

  it('the credentials property, an object: registers with it', async () => {
    const { transport, clientOptions } = fakeOptions();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    el.credentials = { user: '1001', password: 'object-secret', displayName: 'Ann' };
    await el.join();
    await waitUntil(() => el.getAttribute('state') === 'in-call');
    const configuration = transport.agents[0]!.params.configuration;
    expect(configuration).to.include({ uri: 'sip:1001@127.0.0.1', password: 'object-secret', register: true, display_name: 'Ann' });
    expect(el.client!.getSnapshot().connection).to.include({ user: '1001', registered: true });
  });

  it('the credentials property, an async function: called on connect, once per connection', async () => {
    const { transport, clientOptions } = fakeOptions();
    let calls = 0;
    const session = await fixture<VinteoSession>(
      html`<vinteo-session ws-url=${WS} display-name="Page name" .clientOptions=${clientOptions}><vinteo-call conference="1000"></vinteo-call></vinteo-session>`,
    );
    session.credentials = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { user: '1002', password: `function-secret-${calls}`, displayName: 'Ignored: the attribute wins' };
    };
    await session.updateComplete;
    expect(calls, 'not called before connecting').to.equal(0);
    const call = session.querySelector('vinteo-call')!;
    await call.join();
    await waitUntil(() => call.getAttribute('state') === 'in-call');
    expect(calls).to.equal(1);
    expect(transport.agents[0]!.params.configuration).to.include({ password: 'function-secret-1', display_name: 'Page_name' });
    await call.leave();
    await call.join();
    await waitUntil(() => call.getAttribute('state') === 'in-call');
    expect(calls, 'the live connection is reused').to.equal(1);
    await session.disconnect();
    await session.connect();
    expect(calls, 'a new connection fetches again').to.equal(2);
    expect(transport.agents.at(-1)!.params.configuration.password).to.equal('function-secret-2');
  });

  it('credentials-url: fetched with the page cookies when connecting', async () => {
    setCredentialsCookie({ user: '1001', password: 'cookie-secret', displayName: 'From the site' });
    const { transport, clientOptions } = fakeOptions();
    const session = await fixture<VinteoSession>(html`<vinteo-session ws-url=${WS} credentials-url=${ENDPOINT} .clientOptions=${clientOptions}></vinteo-session>`);
    const changes: string[] = [];
    session.addEventListener('vinteo-connection-change', (event) => changes.push(event.detail.state));
    await session.connect();
    expect(changes.at(-1)).to.equal('registered');
    expect(transport.agents[0]!.params.configuration).to.include({ uri: 'sip:1001@127.0.0.1', password: 'cookie-secret', display_name: 'From_the_site' });
  });

  it('credentials-url answering 401 (logged out): vinteo-error authentication-failed, no retry', async () => {
    const { transport, clientOptions } = fakeOptions();
    const session = await fixture<VinteoSession>(html`<vinteo-session ws-url=${WS} credentials-url=${ENDPOINT} .clientOptions=${clientOptions}></vinteo-session>`);
    const error = oneEvent(session, 'vinteo-error');
    await session.connect();
    expect((await error).detail).to.include({ reason: 'authentication-failed', statusCode: 401 });
    expect(transport.agents).to.have.length(0);
  });

  it('credentials-url failing or answering garbage: clear errors that never quote the answer', async () => {
    setCredentialsCookie({ user: '1001', password: 'garbage-secret' });
    await expectRejection(credentialsFromUrl(`${ENDPOINT}?status=500`)(), 'connection-failed', /answered 500/);
    await expectRejection(credentialsFromUrl(`${ENDPOINT}?malformed`)(), 'invalid-config', /must answer JSON/);
    setCredentialsCookie({ user: '1001' });
    await expectRejection(credentialsFromUrl(ENDPOINT)(), 'invalid-config', /must give a password/);
    await expectRejection(credentialsFromUrl('http://127.0.0.1:1/nothing-here')(), 'connection-failed', /could not fetch/);
  });

  it('credentials-url answering a user that would inject a header or break the digest quote: invalid-config, nothing sent', async () => {
    for (const user of ['1001%0D%0AX-Injected%3A%20yes', '1001\r\nX-Injected: yes', '1001%22', '1001"', 'a%zz']) {
      setCredentialsCookie({ user, password: 'injected-secret' });
      const { transport, clientOptions } = fakeOptions();
      const session = await fixture<VinteoSession>(html`<vinteo-session ws-url=${WS} credentials-url=${ENDPOINT} .clientOptions=${clientOptions}></vinteo-session>`);
      const error = oneEvent(session, 'vinteo-error');
      await session.connect();
      const { detail } = await error;
      expect(detail.reason, user).to.equal('invalid-config');
      expect(detail.message, user).to.contain('credentials-url');
      expect(detail.message, 'the answer is quoted').not.to.contain('injected-secret');
      expect(transport.agents, user).to.have.length(0);
    }
  });

  it('credentials in clientOptions apply when the element has none, also again after its own are removed', async () => {
    const { transport, clientOptions } = fakeOptions();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${{ ...clientOptions, credentials: { user: '1004', password: 'options-secret' } }}></vinteo-call>`,
    );
    await el.client!.connect();
    expect(transport.agents.at(-1)!.params.configuration).to.include({ uri: 'sip:1004@127.0.0.1', register: true });
    el.credentials = { user: '1005', password: 'element-secret' };
    await el.client!.connect();
    expect(transport.agents.at(-1)!.params.configuration).to.include({ uri: 'sip:1005@127.0.0.1', password: 'element-secret' });
    el.credentials = undefined;
    await el.client!.connect();
    expect(transport.agents.at(-1)!.params.configuration).to.include({ uri: 'sip:1004@127.0.0.1', password: 'options-secret' });
  });

  it('the client option: new VinteoClient({ credentials })', async () => {
    const { transport, clientOptions } = fakeOptions();
    const client = new VinteoClient({ wsUrl: WS, ...clientOptions, credentials: async () => ({ user: '1003', password: 'client-secret' }) });
    await client.connect();
    expect(client.getSnapshot().connection).to.include({ state: 'registered', user: '1003' });
    expect(transport.agents[0]!.params.configuration.password).to.equal('client-secret');
    client.destroy();
  });

  it('a password attribute is read once, removed from the DOM at once, never reflected, warned about without its value', async () => {
    const watch = await watchForSecrets();
    try {
      const { transport, clientOptions } = fakeOptions();
      const holder = await fixture<HTMLDivElement>(html`<div></div>`);
      holder.innerHTML = '<vinteo-call ws-url="ws://127.0.0.1:1/webrtc/wss/" conference="1000" user="1001" register password="attribute-secret"></vinteo-call>';
      const el = holder.querySelector('vinteo-call')!;
      expect(el.hasAttribute('password'), 'removed on upgrade').to.equal(false);
      expect(el.password).to.equal('attribute-secret');
      el.clientOptions = clientOptions;
      await el.join();
      await waitUntil(() => el.getAttribute('state') === 'in-call');
      expect(transport.agents[0]!.params.configuration.password).to.equal('attribute-secret');
      el.password = 'property-secret';
      await el.updateComplete;
      expect(el.hasAttribute('password'), 'never reflected').to.equal(false);
      el.setAttribute('password', 'later-secret');
      expect(el.hasAttribute('password')).to.equal(false);
      expect(el.password).to.equal('later-secret');
      expect(watch.seen.some((line) => line.includes('password attribute is unsafe'))).to.equal(true);
      for (const secret of ['attribute-secret', 'property-secret', 'later-secret']) {
        expect(watch.seen.filter((line) => line.includes(secret)), `${secret} in logs or events`).to.deep.equal([]);
        expect(deepMarkup(holder), `${secret} in the DOM`).not.to.contain(secret);
      }
    } finally {
      watch.stop();
    }
  });

  it('no password in the DOM, logs or events, from any source, also when it is refused', async () => {
    setCredentialsCookie({ user: '1001', password: 'url-secret' });
    const watch = await watchForSecrets();
    try {
      const wrong = fakeTransport({ register: 'wrong-password' });
      const holder = await fixture<HTMLDivElement>(html`<div>
        <vinteo-session ws-url=${WS} credentials-url=${ENDPOINT} .clientOptions=${{ userAgentFactory: wrong.factory, mediaProvider: syntheticMedia }}>
          <vinteo-call conference="1000"></vinteo-call>
        </vinteo-session>
        <vinteo-call ws-url=${WS} conference="1000" .credentials=${{ user: '1002', password: 'object-secret' }} .clientOptions=${fakeOptions().clientOptions}></vinteo-call>
      </div>`);
      const [inSession, standalone] = [...holder.querySelectorAll('vinteo-call')] as [VinteoCall, VinteoCall];
      const failed = oneEvent(inSession, 'vinteo-call-failed');
      void inSession.join();
      expect((await failed).detail.error.reason).to.equal('authentication-failed');
      await standalone.join();
      await waitUntil(() => standalone.getAttribute('state') === 'in-call');
      expect(watch.seen.length, 'something was logged or dispatched').to.be.greaterThan(3);
      for (const secret of ['url-secret', 'object-secret']) {
        expect(watch.seen.filter((line) => line.includes(secret)), `${secret} in logs or events`).to.deep.equal([]);
        expect(deepMarkup(holder), `${secret} in the DOM`).not.to.contain(secret);
        expect(safeJson(standalone.client!.getSnapshot()), `${secret} in a snapshot`).not.to.contain(secret);
      }
    } finally {
      watch.stop();
    }
  });

  it('with the conference server: credentials-url registers a real user, who then joins', async function () {
    const env = await optionalEnv();
    if (!env) this.skip();
    const password = env!.users['1001']!;
    setCredentialsCookie({ user: '1001', password, displayName: 'Registered from the site' });
    const watch = await watchForSecrets();
    try {
      const conference = uniqueConference();
      const session = await fixture<VinteoSession>(
        html`<vinteo-session ws-url=${env!.wsUrl} sip-domain=${env!.sipDomain} credentials-url=${ENDPOINT}><vinteo-call conference=${conference}></vinteo-call></vinteo-session>`,
      );
      const call = session.querySelector('vinteo-call')!;
      await call.join();
      await waitUntil(() => call.getAttribute('state') === 'in-call', 'not in call', { timeout: 15_000 });
      expect(session.client.getSnapshot().connection).to.include({ state: 'registered', user: '1001' });
      const server = await waitForServerCall((c) => c.conference === conference, 'the server saw no call');
      expect(server.from).to.contain('1001');
      expect(server.displayName).to.equal('Registered_from_the_site', 'the display name on the wire: each space as _ (protocol §1)');
      await session.disconnect();
      expect(watch.seen.filter((line) => line.includes(password)), 'the password in logs or events').to.deep.equal([]);
      expect(deepMarkup(session)).not.to.contain(password);
    } finally {
      watch.stop();
    }
  });
});

async function expectRejection(promise: Promise<unknown>, reason: string, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { reason: string; message: string; cause?: unknown };
    expect(failure.reason).to.equal(reason);
    expect(failure.message).to.match(message);
    expect(`${failure.message} ${String(failure.cause)}`).not.to.contain('garbage-secret');
    return;
  }
  throw new Error(`expected a ${reason} rejection`);
}
