// Integration: the client speaks Vinteo as the reference SDK does (protocol §1, §2, §4), checked on the wire
// against vinteo-dev-server over TLS, the way a real server is reached: the `server` attribute, discovery at
// https://{server}/api/v1/address, then wss://{server}/webrtc/wss/.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { VinteoClient } from '../../src/client.js';
import type { VinteoClientEvents } from '../../src/types.js';
import { control, uniqueConference, waitForServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

/** One SIP message as the server received it (`GET /api/messages`). */
interface ReceivedMessage {
  seq: number;
  kind: 'request' | 'response';
  method: string;
  status?: number;
  requestUri?: string;
  callId: string;
  headers: Record<string, string[]>;
}

const messages = (query: string): Promise<ReceivedMessage[]> => control<ReceivedMessage[]>(`/api/messages?${query}`);
/** The newest message number so far: later queries ask for what came after it. */
async function mark(): Promise<number> {
  const all = await control<ReceivedMessage[]>('/api/messages');
  return all.at(-1)?.seq ?? 0;
}
const first = (message: ReceivedMessage, name: string): string | undefined => message.headers[name]?.[0];
// The unified User-Agent names the browser running the tests (Chromium or Firefox: npm test runs both).
const UNIFIED = new RegExp(`^ChromeNew - ${navigator.userAgent.includes('Firefox/') ? 'Firefox' : 'Chrome'} \\d+, vinteo-widgets 0$`);

describe('integration: speaking Vinteo on the wire (discovery, identity, liveness, notifies)', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv({
    afterEach: async () => {
      await control('/api/address', { reset: true });
      await control('/api/faults', { optionsStatus: null });
    },
  });

  async function call(attributes: string): Promise<{ el: VinteoCall; conference: string }> {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-call server="${env().tlsHost}" conference="${conference}" ${attributes}></vinteo-call>`;
    return { el: holder.querySelector('vinteo-call')!, conference };
  }

  it('the server attribute: discovery, then REGISTER and INVITE to the discovered domain with X-Vinteo-Remote and the unified User-Agent', async () => {
    const since = await mark();
    const stunBefore = (await control<{ requests: number }>('/api/stun')).requests;
    const { el, conference } = await call('user="1001" register');
    el.password = env().users['1001']!;
    await el.join();
    await reach(el, 'in-call');
    await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not confirmed');

    const registers = await messages(`method=REGISTER&since=${since}`);
    expect(registers.length, 'REGISTER with its digest retry').to.be.greaterThan(0);
    for (const register of registers) {
      expect(register.requestUri).to.equal(`sip:${env().sipDomain}`);
      expect(first(register, 'x-vinteo-remote'), 'the remoteAddress discovery gave').to.equal('127.0.0.1');
      expect(first(register, 'user-agent')).to.match(UNIFIED);
      expect(first(register, 'from')).to.contain(`sip:1001@${env().sipDomain}`);
    }
    const invite = (await messages(`method=INVITE&since=${since}`)).find((m) => m.requestUri?.startsWith(`sip:${conference}@`))!;
    expect(invite.requestUri).to.equal(`sip:${conference}@${env().sipDomain}`);
    expect(first(invite, 'x-vinteo-remote')).to.equal('127.0.0.1');
    expect(first(invite, 'user-agent')).to.match(UNIFIED);
    expect(first(invite, 'x-vinteo-mic-state')).to.equal('1');
    expect(first(invite, 'x-vinteo-maincam-state')).to.equal('1');
    // The ICE servers discovery named (the server's STUN) were used by the peer connection.
    await waitUntil(async () => (await control<{ requests: number }>('/api/stun')).requests > stunBefore, 'the discovered STUN server was never asked', WAIT);
    const video = part<HTMLVideoElement>(el, 'remote-video');
    await waitUntil(() => video.videoWidth > 0, 'no remote video over the server path', WAIT);
  });

  it('OPTIONS to the own AOR right after connecting: Content-Type application/sdp, no body; a guest too', async () => {
    const since = await mark();
    const client = new VinteoClient({ server: env().tlsHost });
    try {
      await client.connect();
      const user = client.getSnapshot().connection.user!;
      expect(Number(user)).to.be.within(100_000, 99_999_998);
      let ping: ReceivedMessage | undefined;
      await waitUntil(async () => {
        ping = (await messages(`method=OPTIONS&since=${since}`)).find((m) => m.kind === 'request' && m.requestUri === `sip:${user}@${env().sipDomain}`);
        return ping !== undefined;
      }, 'no OPTIONS to the guest AOR after the connect', WAIT);
      expect(first(ping!, 'content-type')).to.equal('application/sdp');
      expect(first(ping!, 'content-length')).to.equal('0');
      expect(first(ping!, 'user-agent')).to.match(UNIFIED);
      expect(client.getSnapshot().connection.state).to.equal('connected');
    } finally {
      client.destroy();
    }
  });

  it('two non-2xx answers to OPTIONS in a row reconnect (one alone does not), and the session says so', async () => {
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-session server="${env().tlsHost}" ping-interval="1"></vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    await session.connect();
    const user = session.client.getSnapshot().connection.user!;
    const since = await mark();
    await control('/api/faults', { optionsStatus: 503 });
    const reconnecting = oneEvent(session, 'vinteo-reconnecting');
    await reconnecting;
    const pings = (await messages(`method=OPTIONS&since=${since}`)).filter((m) => m.kind === 'request' && m.requestUri === `sip:${user}@${env().sipDomain}`);
    expect(pings.length, 'two failed pings before the reconnect').to.be.at.least(2);
    await control('/api/faults', { optionsStatus: null });
    await oneEvent(session, 'vinteo-reconnected');
    expect(session.client.getSnapshot().connection.state).to.equal('connected');
  });

  it('a failed discovery falls back (host name, STUN on it, "Chrome") and the call still works', async () => {
    await control('/api/address', { status: 502, rawBody: '<h1>Bad gateway</h1>' });
    const since = await mark();
    const { el, conference } = await call('');
    const client = el.client!;
    const discovered = new Promise<VinteoClientEvents['connection:discovered']>((resolve) => client.on('connection:discovered', resolve));
    await el.join();
    await reach(el, 'in-call');
    const found = await discovered;
    expect(found.fallback).to.contain('not JSON');
    const invite = (await messages(`method=INVITE&since=${since}`)).find((m) => m.requestUri?.startsWith(`sip:${conference}@`))!;
    expect(invite.requestUri, 'the host name as SIP domain').to.equal(`sip:${conference}@127.0.0.1`);
    expect(first(invite, 'user-agent')).to.equal('Chrome');
    expect(invite.headers['x-vinteo-remote']).to.equal(undefined);
    expect(el.getAttribute('state')).to.equal('in-call');
  });

  it('unified false gives the "Chrome" User-Agent; sip-domain wins over the discovered ip', async () => {
    await control('/api/address', { unified: false, ip: '127.0.0.1' });
    const since = await mark();
    const { el, conference } = await call(`sip-domain="${env().sipDomain}"`);
    await el.join();
    await reach(el, 'in-call');
    const invite = (await messages(`method=INVITE&since=${since}`)).find((m) => m.requestUri?.startsWith(`sip:${conference}@`))!;
    expect(invite.requestUri).to.equal(`sip:${conference}@${env().sipDomain}`);
    expect(first(invite, 'user-agent')).to.equal('Chrome');
  });

  it('a WebSocket path other than /webrtc/wss/ is refused: the element shows the connection error', async () => {
    const wsUrl = env().wsUrl.replace('/webrtc/wss/', '/other/');
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-call ws-url="${wsUrl}" sip-domain="${env().sipDomain}" conference="${uniqueConference()}" auto-reconnect="off"></vinteo-call>`;
    const el = holder.querySelector<VinteoCall>('vinteo-call')!;
    const error = oneEvent(el, 'vinteo-error');
    el.join().catch(() => undefined);
    expect((await error).detail.reason).to.equal('connection-failed');
    await waitUntil(() => part(el, 'error') !== null, 'no error shown', WAIT);
  });

  it('a NOTIFY outside any dialog reaches vinteo-notify between calls; during a call the notify INFO does', async () => {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-session server="${env().tlsHost}" user="1002" register><vinteo-call conference="${conference}"></vinteo-call></vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    const callEl = holder.querySelector<VinteoCall>('vinteo-call')!;
    session.password = env().users['1002']!;
    await session.connect();
    await waitUntil(() => session.client.getSnapshot().connection.state === 'registered', 'not registered', WAIT);

    const moderator = oneEvent(session, 'vinteo-notify');
    const sent = await control<{ status: number; via: string }>('/api/registrations/1002/notify', { notify: { cmd: 'addedToListModerators', conference: '1000' } });
    expect(sent).to.deep.equal({ status: 200, via: 'notify' });
    expect((await moderator).detail.notification).to.deep.equal({ cmd: 'addedToListModerators', conference: '1000' });

    const token = oneEvent(session, 'vinteo-notify');
    await control('/api/registrations/1002/notify', {
      notify: { cmd: 'ConferenceParticipantTokenIssued', body: { conference: '1000', participant: 'p1', jwt: 'SECRET.JWT.VALUE' } },
    });
    const detail = (await token).detail;
    expect(detail.notification.cmd).to.equal('ConferenceParticipantTokenIssued');
    expect(JSON.stringify(detail)).not.to.contain('SECRET.JWT.VALUE');

    // Bad JSON is answered 200 and ignored.
    expect((await control<{ status: number }>('/api/registrations/1002/notify', { notify: '{not json' })).status).to.equal(200);

    await callEl.join();
    await reach(callEl, 'in-call');
    const inCall = oneEvent(session, 'vinteo-notify');
    const viaInfo = await control<{ status: number; via: string }>('/api/registrations/1002/notify', { notify: { cmd: 'accountChanged' } });
    expect(viaInfo).to.deep.equal({ status: 200, via: 'info' });
    expect((await inCall).detail.notification).to.deep.equal({ cmd: 'accountChanged' });
  });
});
