// Secrets that come in addresses never come out in messages: a ws-url with `user:password@` or a
// token in its query, a `data:` credentials-url. The element's error part, every vinteo-* event and
// the console (at debug level) show the address without them.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { VinteoIncomingCallEvent, VinteoReconnectingEvent } from '../../components/shared/events.js';
import { logger, type LogLevel } from '../../src/logger.js';
import { fakeTransport, syntheticMedia, type FakeBehaviour } from '../helpers/fake-transport.js';
import { part } from '../helpers/dom.js';

const SECRET = 'Tr0ub4dor-secret';
const base64 = (text: string): string => btoa(text);

/** Console output (every level, the library at debug) and every vinteo-* event, as text. */
function watchOutput(): { text(): string; stop(): void } {
  const seen: string[] = [];
  const methods = ['debug', 'info', 'log', 'warn', 'error'] as const;
  const originals = methods.map((method) => console[method]);
  const describe = (value: unknown): string => {
    if (value instanceof Error) return `${value.name}: ${value.message} ${String(value.stack)} ${describe(value.cause)}`;
    if (typeof value === 'string') return value;
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  };
  methods.forEach((method, index) => {
    console[method] = (...args: unknown[]) => {
      seen.push(args.map(describe).join(' '));
      originals[index]!.apply(console, args);
    };
  });
  const onEvent = (event: Event): void => {
    if (event.type.startsWith('vinteo-')) seen.push(`${event.type} ${describe((event as Event & { detail?: unknown }).detail)}`);
  };
  const types = ['vinteo-error', 'vinteo-connection-change', 'vinteo-call-failed', 'vinteo-call-ended', 'vinteo-reconnecting'];
  for (const type of types) document.addEventListener(type, onEvent, true);
  const level: LogLevel = logger.level;
  logger.level = 'debug';
  return {
    text: () => seen.join('\n'),
    stop(): void {
      logger.level = level;
      methods.forEach((method, index) => {
        console[method] = originals[index]!;
      });
      for (const type of types) document.removeEventListener(type, onEvent, true);
    },
  };
}

interface Scenario {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly behaviour?: FakeBehaviour;
  /** What must not show anywhere (besides SECRET). */
  readonly hidden?: string[];
  /** What the message still says, redacted. */
  readonly shows: RegExp;
}

const scenarios: Scenario[] = [
  {
    name: 'a ws-url with user:password@ that never answers',
    attributes: { 'ws-url': `ws://1001:${SECRET}@127.0.0.1:1/webrtc/wss/` },
    behaviour: { connect: 'never' },
    shows: /no answer from ws:\/\/\*\*\*@127\.0\.0\.1:1\/webrtc\/wss\//,
  },
  {
    name: 'a ws-url with a token in its query that never answers',
    attributes: { 'ws-url': `wss://127.0.0.1:1/webrtc/wss/?token=${SECRET}` },
    behaviour: { connect: 'never' },
    shows: /no answer from wss:\/\/127\.0\.0\.1:1\/webrtc\/wss\/\?\*\*\*/,
  },
  {
    name: 'an invalid ws-url with a password in it',
    attributes: { 'ws-url': `ws://1001:${SECRET}@host:99999/` },
    shows: /ws-url.*"ws:\/\/\*\*\*@host:99999\/"/,
  },
  {
    name: 'a data: credentials-url (JSON) without a user',
    attributes: { 'ws-url': 'ws://127.0.0.1:1/webrtc/wss/', 'credentials-url': `data:application/json,{"user":"","password":"${SECRET}"}` },
    shows: /credentials-url data:… must give a user/,
  },
  {
    name: 'a data: credentials-url (base64) without a user',
    attributes: {
      'ws-url': 'ws://127.0.0.1:1/webrtc/wss/',
      'credentials-url': `data:application/json;base64,${base64(JSON.stringify({ password: SECRET }))}`,
    },
    hidden: [base64(JSON.stringify({ password: SECRET })), base64(SECRET).slice(0, 12)],
    shows: /credentials-url data:… must give a user/,
  },
  {
    name: 'a data: credentials-url (base64) that is not JSON',
    attributes: { 'ws-url': 'ws://127.0.0.1:1/webrtc/wss/', 'credentials-url': `data:text/plain;base64,${base64(`password ${SECRET}`)}` },
    hidden: [base64(`password ${SECRET}`)],
    shows: /credentials-url data:… must answer JSON/,
  },
];

describe('drop-in: no secret from an address in any message', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: not in the error part, the vinteo-error event or the console`, async () => {
      const watch = watchOutput();
      try {
        const transport = fakeTransport(scenario.behaviour ?? {});
        const el = await fixture<VinteoCall>(
          html`<vinteo-call
            conference="1000"
            .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia, connectTimeoutMs: 200 }}
          ></vinteo-call>`,
        );
        for (const [name, value] of Object.entries(scenario.attributes)) el.setAttribute(name, value);
        const error = oneEvent(el, 'vinteo-error');
        await el.join();
        const { detail } = await error;
        await el.updateComplete;
        const shown = part(el, 'error')?.textContent ?? '';
        expect(detail.message).to.match(scenario.shows);
        expect(shown).to.match(scenario.shows);
        for (const secret of [SECRET, ...(scenario.hidden ?? [])]) {
          expect(detail.message, 'vinteo-error detail').not.to.contain(secret);
          expect(shown, 'error part').not.to.contain(secret);
          expect(el.shadowRoot!.innerHTML, 'shadow DOM').not.to.contain(secret);
          expect(JSON.stringify(el.client?.getSnapshot().connection ?? {}), 'snapshot').not.to.contain(secret);
          expect(watch.text(), 'console and events').not.to.contain(secret);
        }
      } finally {
        watch.stop();
      }
    });
  }
});

describe('drop-in: every vinteo-* event redacts addresses in its strings', () => {
  it('a reason quoting an address loses its userinfo and query; other strings stay as they are', () => {
    const event = new VinteoReconnectingEvent({ attempt: 1, delayMs: 10, reason: `closed by wss://1001:${SECRET}@host/?t=${SECRET}` });
    expect(event.detail).to.deep.equal({ attempt: 1, delayMs: 10, reason: 'closed by wss://***@host/?***' });
    expect(Object.isFrozen(event.detail)).to.equal(true);
    const detail = { callerName: 'Ann', callerNumber: '2000' };
    expect(new VinteoIncomingCallEvent(detail).detail, 'nothing to redact: the same object').to.equal(detail);
  });
});
