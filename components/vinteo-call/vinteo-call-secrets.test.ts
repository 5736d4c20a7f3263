// The in-room credentials never reach the page: the enter-room bearer token and the
// ConferenceParticipantTokenIssued jwt (in-dialog INFO and NOTIFY outside a dialog) are looked for in
// every core event, every DOM event, the snapshot, the elements' DOM and the console, with debug logs on.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoCall } from './VinteoCall.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import { TypedEmitter } from '../../src/emitter.js';
import { logger } from '../../src/logger.js';
import { Header } from '../../src/protocol/headers.js';
import type { VinteoClientEvents } from '../../src/types.js';
import { fakeTransport, syntheticMedia } from '../../test/helpers/fake-transport.js';
import { reach } from '../../test/helpers/dom.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';
const BEARER = 'BEARER-5ecret-0f-the-r00m';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.JWT-in-dialog.s1gnature';
const JWT_NOTIFY = 'eyJhbGciOiJIUzI1NiJ9.JWT-outside-dialog.s1gnature';
const JWT_IGNORED = 'eyJhbGciOiJIUzI1NiJ9.JWT-of-an-unknown-command.s1gnature';
const SECRETS = [BEARER, JWT, JWT_NOTIFY, JWT_IGNORED];

/** Every header name the protocol knows, as written and in lower case (to probe `call:info`'s lookup). */
const HEADER_NAMES = Object.values(Header).flatMap((name) => [name, name.toLowerCase()]);

/** Every string reachable from `value`: fields, error messages and stacks, and what a `header` lookup answers. */
function strings(value: unknown, seen = new WeakSet<object>(), depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object' || depth > 10) return [];
  if (seen.has(value) || value instanceof Node || value instanceof MediaStream || value instanceof MediaStreamTrack) return [];
  seen.add(value);
  const out: string[] = [];
  if (value instanceof Error) out.push(value.message, String(value.stack));
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item === 'function' && key === 'header') {
      for (const name of HEADER_NAMES) out.push(String((item as (name: string) => unknown)(name) ?? ''));
    } else {
      out.push(...strings(item, seen, depth + 1));
    }
  }
  return out;
}

const leaks = (texts: readonly string[]): string[] => texts.filter((text) => SECRETS.some((secret) => text.includes(secret)));

describe('secrets: the bearer token and the jwt never reach the page', () => {
  const coreEvents: Array<{ type: string; payload: unknown }> = [];
  const domEvents: Array<{ type: string; detail: unknown }> = [];
  const consoleOutput: unknown[] = [];
  const restore: Array<() => void> = [];

  beforeEach(() => {
    coreEvents.length = 0;
    domEvents.length = 0;
    consoleOutput.length = 0;
    const emit = TypedEmitter.prototype.emit;
    TypedEmitter.prototype.emit = function (this: TypedEmitter<Record<string, unknown>>, type: never, payload: never) {
      coreEvents.push({ type: String(type), payload });
      emit.call(this, type, payload);
    } as typeof emit;
    restore.push(() => (TypedEmitter.prototype.emit = emit));
    const dispatch = EventTarget.prototype.dispatchEvent;
    EventTarget.prototype.dispatchEvent = function (this: EventTarget, event: Event) {
      if (event.type.startsWith('vinteo-')) domEvents.push({ type: event.type, detail: (event as CustomEvent).detail });
      return dispatch.call(this, event);
    };
    restore.push(() => (EventTarget.prototype.dispatchEvent = dispatch));
    for (const method of ['debug', 'info', 'log', 'warn', 'error'] as const) {
      const original = console[method];
      console[method] = (...args: unknown[]) => consoleOutput.push(...args);
      restore.push(() => (console[method] = original));
    }
    const level = logger.level;
    logger.level = 'debug';
    restore.push(() => (logger.level = level));
  });

  afterEach(() => {
    for (const undo of restore.splice(0).reverse()) undo();
  });

  it('an enter-room INFO with x-bearer-token and TokenIssued notifies (INFO and NOTIFY): only the services hold them', async () => {
    const transport = fakeTransport();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-session ws-url="${WS}" sip-domain="vinteo.local">
        <vinteo-call conference="1000"></vinteo-call>
      </vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    session.clientOptions = { userAgentFactory: transport.factory, mediaProvider: syntheticMedia };
    const el = holder.querySelector<VinteoCall>('vinteo-call')!;
    await el.join();
    await reach(el, 'in-call');
    const client = session.client;
    const agent = transport.agents[0]!;
    const call = agent.sessions[0]!;

    call.receiveInfo('application/vinteo.webrtc.roomname', {
      'X-WEBRTC-ENTER-ROOM': '1000',
      'X-WEBRTC-PARTICIPANT-NAME': 'Tester',
      'X-BEARER-TOKEN': BEARER,
    });
    expect(client.bearerToken, 'the conference keeps the bearer token').to.equal(BEARER);
    const notify = (jwt: string, cmd = 'ConferenceParticipantTokenIssued') =>
      JSON.stringify({ cmd, body: { conference: '1000', participant: 'Tester', jwt } });
    call.receiveInfo('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': notify(JWT) });
    expect(client.bearerToken, 'the conference keeps the jwt').to.equal(JWT);
    agent.receiveNotify(notify(JWT_NOTIFY));
    expect(client.bearerToken, 'the conference keeps the jwt of a NOTIFY').to.equal(JWT_NOTIFY);
    call.receiveInfo('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': notify(JWT_IGNORED, 'NoSuchCommand') });
    agent.receiveNotify(notify(JWT_IGNORED, 'NoSuchCommand'));
    await el.updateComplete;
    await waitUntil(() => domEvents.filter((e) => e.type === 'vinteo-notify').length === 2, 'no vinteo-notify');

    // What the page was told, masked.
    const types = new Set(coreEvents.map((e) => e.type));
    for (const type of ['call:info', 'conference:info', 'conference:enter-room', 'conference:notify', 'conference:ignored-info']) {
      expect(types.has(type), `${type} emitted`).to.equal(true);
    }
    const infos = coreEvents.filter((e) => e.type === 'conference:info').map((e) => e.payload as VinteoClientEvents['conference:info']);
    expect(infos.find((info) => info.type === 'enter-room')).to.include({ room: '1000', bearerToken: '***' });
    const issued = infos.find((info) => info.type === 'notify')!;
    expect(issued).to.deep.equal({
      type: 'notify',
      notification: { cmd: 'ConferenceParticipantTokenIssued', conference: '1000', participant: 'Tester', jwt: '***' },
    });
    const raw = coreEvents.filter((e) => e.type === 'call:info').map((e) => e.payload as VinteoClientEvents['call:info']);
    expect(raw[0]!.header('X-BEARER-TOKEN')).to.equal('***');
    expect(raw[0]!.header('x-webrtc-enter-room')).to.equal('1000');
    expect(JSON.parse(raw[1]!.header('X-VINTEO-NOTIFY')!)).to.deep.equal(JSON.parse(notify('***')));
    const notifies = domEvents.filter((e) => e.type === 'vinteo-notify').map((e) => e.detail);
    expect(notifies.every((detail) => JSON.stringify(detail).includes('"jwt":"***"'))).to.equal(true);

    // And nowhere the secrets themselves.
    expect(leaks(coreEvents.flatMap((e) => strings(e.payload))), 'core events').to.deep.equal([]);
    expect(leaks(domEvents.flatMap((e) => strings(e.detail))), 'DOM events').to.deep.equal([]);
    expect(leaks([JSON.stringify(client.getSnapshot())]), 'snapshot').to.deep.equal([]);
    expect(leaks(strings(client.getSnapshot())), 'snapshot fields').to.deep.equal([]);
    expect(leaks(strings(consoleOutput)), 'console').to.deep.equal([]);
    expect(consoleOutput.length, 'debug logs were on').to.be.greaterThan(0);
    expect(leaks([holder.outerHTML, el.shadowRoot!.innerHTML, session.shadowRoot?.innerHTML ?? '']), 'DOM').to.deep.equal([]);
    client.destroy();
  });
});
