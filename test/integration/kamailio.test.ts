// Interop: the widgets through Kamailio (a real SIP registrar/proxy with digest auth over WebSocket),
// in front of vinteo-dev-server: browser → Kamailio (WS) → conference server (UDP), and browser to
// browser. Real JsSIP and WebRTC. Kamailio is started by test/wtr-kamailio-plugin.mjs.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { control, expectVideoPlaying, serverCalls, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { failOnUncaught, part, reach } from '../helpers/integration.js';
import { kamailioContacts, kamailioEnv, restartKamailio, type KamailioEnv } from '../helpers/kamailio-env.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

/** Every value the element's `state` attribute takes from now on. */
function recordStates(el: Element): { states: string[]; stop: () => void } {
  const states: string[] = [el.getAttribute('state') ?? ''];
  const observer = new MutationObserver(() => {
    const state = el.getAttribute('state') ?? '';
    if (states.at(-1) !== state) states.push(state);
  });
  observer.observe(el, { attributes: true, attributeFilter: ['state'] });
  return { states, stop: () => observer.disconnect() };
}

/** A call the conference server received over its UDP listener, i.e. from Kamailio. */
const viaKamailio = (call: ServerCall & { flowId?: string }): boolean => (call.flowId ?? '').startsWith('udp');

/**
 * Sends one raw SIP request over a fresh WebSocket to Kamailio and resolves with the status of its
 * final response (`head`: the raw response head). For the routing rules JsSIP never exercises.
 */
async function rawSip(wsUrl: string, method: string, uri: string, fromUser: string, extra = ''): Promise<{ status: number; head: string }> {
  const ws = new WebSocket(wsUrl, 'sip');
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot open ${wsUrl}`));
  });
  const id = Math.random().toString(36).slice(2);
  const request = [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/WS ${id}.invalid;branch=z9hG4bK${id};rport`,
    'Max-Forwards: 70',
    `From: <sip:${fromUser}@vinteo.local>;tag=${id}`,
    `To: <${uri}>`,
    `Call-ID: ${id}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:${fromUser}@${id}.invalid;transport=ws>`,
    ...(extra ? [extra] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final response to ${method} ${uri}`)), 5000);
      ws.onmessage = (event: MessageEvent<string>) => {
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(event.data)?.[1]);
        if (status >= 200) {
          clearTimeout(timer);
          resolve({ status, head: event.data.split('\r\n\r\n')[0]! });
        }
      };
      ws.send(request);
    });
  } finally {
    ws.close();
  }
}

/** Loads test/kamailio/peer.html (its own widgets and client) in an iframe. */
async function secondPage(): Promise<{ frame: HTMLIFrameElement; doc: Document }> {
  const frame = document.createElement('iframe');
  frame.style.width = '480px';
  frame.style.height = '360px';
  frame.src = '/test/kamailio/peer.html';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const doc = frame.contentDocument!;
  await waitUntil(() => frame.contentWindow!.customElements.get('vinteo-call') !== undefined, 'second page never defined the elements', { timeout: 20_000 });
  return { frame, doc };
}

describe('interop: through Kamailio', function () {
  this.timeout(90_000);
  let k: KamailioEnv;

  before(async function () {
    const env = await kamailioEnv();
    if ('skip' in env) {
      console.warn(env.skip);
      this.skip();
    }
    k = env as KamailioEnv;
  });
  failOnUncaught();

  /** A registered session through Kamailio holding a <vinteo-call> of a new conference, joined (in-call). */
  async function joinRegistered(user: string, displayName?: string): Promise<{ conference: string; session: VinteoSession; el: VinteoCall }> {
    const conference = uniqueConference();
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${k.wsUrl} sip-domain=${k.sipDomain} user=${user} display-name=${ifDefined(displayName)} register .password=${k.users[user]}>
        <vinteo-call conference=${conference}></vinteo-call>
      </vinteo-session>
    `);
    const el = session.querySelector('vinteo-call')!;
    await el.join();
    await reach(el, 'in-call');
    return { conference, session, el };
  }

  it('registers through Kamailio with digest auth; Kamailio holds the WebSocket binding until disconnect', async () => {
    const session = await fixture<VinteoSession>(
      html`<vinteo-session ws-url=${k.wsUrl} sip-domain=${k.sipDomain} user="1001" display-name="Interop" register .password=${k.users['1001']}></vinteo-session>`,
    );
    await session.connect();
    expect(session.client.getSnapshot().connection.state).to.equal('registered');
    let contacts = await kamailioContacts('1001');
    expect(contacts.length, 'Kamailio has no binding for 1001').to.equal(1);
    const wsPort = new URL(k.wsUrl).port;
    // JsSIP's Contact, reachable through the WebSocket it came on (fix_nated_register).
    expect(contacts[0]!.contact).to.match(/;transport=ws$/);
    expect(contacts[0]!.received).to.match(/^sip:127\.0\.0\.1:\d+;transport=ws$/);
    expect(contacts[0]!.socket).to.equal(`tcp:127.0.0.1:${wsPort}`);
    expect(contacts[0]!.expires).to.be.within(30, 300);
    await session.disconnect();
    await waitUntil(async () => {
      contacts = await kamailioContacts('1001');
      return contacts.length === 0;
    }, 'Kamailio kept the binding after the un-REGISTER', { timeout: 10_000 });
  });

  it('Kamailio routing rules: OPTIONS answered, REGISTER and a listed user’s INVITE challenged, no relaying, unknown users', async () => {
    const domain = `sip:${k.sipDomain}`;
    expect((await rawSip(k.wsUrl, 'OPTIONS', domain, '555001')).status, 'OPTIONS to the domain').to.equal(200);
    const register = await rawSip(k.wsUrl, 'REGISTER', domain, '1001', 'Expires: 60');
    expect(register.status, 'REGISTER without credentials').to.equal(401);
    expect(register.head).to.match(/^WWW-Authenticate: Digest realm="vinteo\.local"/m);
    const invite = await rawSip(k.wsUrl, 'INVITE', `sip:${uniqueConference()}@${k.sipDomain}`, '1001');
    expect(invite.status, 'INVITE from a listed user without credentials').to.equal(407);
    expect(invite.head).to.match(/^Proxy-Authenticate: Digest realm="vinteo\.local"/m);
    expect((await rawSip(k.wsUrl, 'INVITE', 'sip:5000@example.com', '555001')).status, 'INVITE to another domain').to.equal(403);
    expect((await rawSip(k.wsUrl, 'INVITE', `sip:1003@${k.sipDomain}`, '555001')).status, 'INVITE to a listed user who is not registered').to.equal(480);
    expect((await rawSip(k.wsUrl, 'INVITE', `sip:nobody@${k.sipDomain}`, '555001')).status, 'INVITE to an unknown, non-numeric user').to.equal(404);
  });

  it('a wrong password gives vinteo-error authentication-failed and state="failed"', async () => {
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${k.wsUrl} sip-domain=${k.sipDomain} user="1001" register conference="1000"></vinteo-call>`,
    );
    el.password = `${k.users['1001']}-wrong`;
    const error = oneEvent(el, 'vinteo-error');
    await el.join();
    expect((await error).detail.reason).to.equal('authentication-failed');
    await reach(el, 'failed');
    expect(el.client!.getSnapshot().connection.state).to.equal('failed');
    expect(await kamailioContacts('1001')).to.deep.equal([]);
  });

  it('a guest joins a conference through Kamailio: media both ways, INFO both ways, hang-up', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${k.wsUrl} sip-domain=${k.sipDomain} conference=${conference} display-name="Guest via Kamailio" auto-join></vinteo-call>`,
    );
    await reach(el, 'in-call');
    const call = await waitForServerCall(
      (c) => c.conference === conference && c.state === 'confirmed' && c.media.length === 2 && c.media.every((m) => m.packetsReceived > 20),
      'the conference server did not receive audio and video',
    );
    expect(viaKamailio(call), 'the call did not come over the UDP leg from Kamailio').to.equal(true);
    expect(call.displayName, 'trimmed, each space as _ (protocol §1)').to.equal('Guest_via_Kamailio');
    await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
    // roomname and uselic INFOs went server → Kamailio → WebSocket (the aliased Contact).
    await waitUntil(() => part(el, 'room-name')?.textContent?.includes(conference), 'room name INFO never arrived', WAIT);
    await waitUntil(() => el.client!.getSnapshot().room.license === 'VIDEO', 'licence INFO never arrived', WAIT);
    const audio = await control<{ status: number }>(`/api/calls/${call.id}/info`, {
      contentType: 'application/vinteo.webrtc.uselic',
      headers: { 'X-WEBRTC-USE-LICENSE': 'AUDIO' },
    });
    expect(audio.status).to.equal(200);
    await waitUntil(() => el.client!.getSnapshot().room.license === 'AUDIO', 'licence AUDIO not applied', WAIT);
    // And browser → Kamailio → server: the mediastate INFO of the microphone toggle.
    part(el, 'microphone-button').click();
    const withInfo = await waitForServerCall(
      (c) => c.id === call.id && c.infoReceived.some((i) => i.contentType === 'application/vinteo.webrtc.mediastate'),
      'mediastate INFO did not reach the server',
    );
    const info = withInfo.infoReceived.find((i) => i.contentType === 'application/vinteo.webrtc.mediastate')!;
    const headers = Object.fromEntries(Object.entries(info.headers).map(([name, value]) => [name.toLowerCase(), value]));
    expect(headers['x-vinteo-mic-state']).to.equal('0');

    // A re-INVITE (ICE restart) through Kamailio; media keeps flowing.
    await el.client!.restartIce();
    const renegotiated = await waitForServerCall((c) => c.id === call.id && c.reinvites >= 1, 'the re-INVITE did not reach the server');
    const packets = renegotiated.media.find((m) => m.kind === 'video')!.packetsReceived;
    await waitForServerCall(
      (c) => c.id === call.id && c.media.find((m) => m.kind === 'video')!.packetsReceived > packets + 20,
      'video stopped after the re-INVITE',
    );

    const ended = oneEvent(el, 'vinteo-call-ended');
    part(el, 'join-button').click();
    expect((await ended).detail.reason).to.equal('local-hangup');
    const after = await waitForServerCall((c) => c.id === call.id && c.state === 'ended', 'the BYE did not reach the server');
    expect(after.endReason).to.equal('bye');
  });

  it('a registered user joins a conference through Kamailio (INVITE with proxy digest auth); a server hang-up ends it', async () => {
    const { conference, session, el } = await joinRegistered('1001', 'Registered');
    const call = await waitForServerCall(
      (c) => c.conference === conference && c.state === 'confirmed' && c.media.every((m) => m.packetsReceived > 20),
      'the conference server did not receive media',
    );
    expect(call.from).to.equal('1001');
    expect(viaKamailio(call)).to.equal(true);
    await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
    const ended = oneEvent(el, 'vinteo-call-ended');
    await control(`/api/calls/${call.id}/hangup`, {});
    expect((await ended).detail.reason).to.equal('remote-hangup');
    await reach(el, 'ended');
    await session.disconnect();
  });

  it('two <vinteo-call> in two pages call each other through Kamailio: ring, answer, media both ways, hang-up', async () => {
    const { frame, doc } = await secondPage();
    try {
      // B (1002) registers in the second page.
      doc.body.innerHTML = `<vinteo-session ws-url="${k.wsUrl}" sip-domain="${k.sipDomain}" user="1002" display-name="Bob" register>
        <vinteo-call></vinteo-call></vinteo-session>`;
      const sessionB = doc.querySelector('vinteo-session')! as VinteoSession;
      const b = doc.querySelector('vinteo-call')! as VinteoCall;
      sessionB.password = k.users['1002'];
      await sessionB.connect();
      expect(sessionB.client.getSnapshot().connection.state).to.equal('registered');
      await waitUntil(async () => (await kamailioContacts('1002')).length === 1, 'Kamailio has no binding for 1002', WAIT);
      // Guests call conferences only: a registered user is not theirs to ring.
      expect((await rawSip(k.wsUrl, 'INVITE', `sip:1002@${k.sipDomain}`, '555002')).status, 'a guest calling a registered user').to.equal(403);
      expect(b.getAttribute('state')).to.equal('idle');

      // A (1001) in this page dials 1002.
      const a = await fixture<VinteoCall>(
        html`<vinteo-call ws-url=${k.wsUrl} sip-domain=${k.sipDomain} user="1001" display-name="Alice" register conference="1002"></vinteo-call>`,
      );
      a.password = k.users['1001'];
      const incoming = oneEvent(b, 'vinteo-incoming-call');
      const before = (await serverCalls()).length;
      // join() settles with the call (answered or failed): B answers first.
      const joining = a.join();
      expect((await incoming).detail).to.deep.equal({ callerName: 'Alice', callerNumber: '1001' });
      await reach(b, 'ringing');
      expect(part(b, 'caller').textContent).to.contain('Alice');
      expect(a.getAttribute('state')).to.equal('calling');

      part(b, 'answer-button').click();
      await reach(b, 'in-call');
      await joining;
      await reach(a, 'in-call');
      await expectVideoPlaying(part<HTMLVideoElement>(a, 'remote-video'));
      await expectVideoPlaying(part<HTMLVideoElement>(b, 'remote-video'));
      // Media flows browser to browser: the conference server was never involved.
      expect((await serverCalls()).length).to.equal(before);

      const endedB = oneEvent(b, 'vinteo-call-ended');
      part(a, 'join-button').click();
      expect((await endedB).detail.reason).to.equal('remote-hangup');
      await reach(b, 'ended');
      await reach(a, 'ended');
      await sessionB.disconnect();
      await a.client!.disconnect();
    } finally {
      frame.remove();
    }
  });

  it('a Kamailio restart mid-call: reconnecting, then in-call again through the new Kamailio', async () => {
    const { conference, session, el } = await joinRegistered('1003');
    const first = await waitForServerCall(
      (c) => c.conference === conference && c.state === 'confirmed' && c.media.every((m) => m.packetsReceived > 20),
      'first call has no media on the server',
    );
    const seen = recordStates(el);
    const reconnected = oneEvent(session, 'vinteo-reconnected');
    await restartKamailio();
    await reconnected;
    await reach(el, 'in-call', 30_000);
    seen.stop();
    expect(seen.states, 'states during the restart').to.include('reconnecting');
    expect(seen.states.at(-1)).to.equal('in-call');
    // The redial is a new INVITE to the same conference, again through Kamailio, with media.
    const second = await waitForServerCall(
      (c) => c.conference === conference && c.id !== first.id && c.state === 'confirmed' && c.media.every((m) => m.packetsReceived > 20),
      'no redialled call with media on the server',
      30_000,
    );
    expect(viaKamailio(second)).to.equal(true);
    expect(second.from).to.equal('1003');
    await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
    expect(await kamailioContacts('1003')).to.have.length(1);
    await el.leave();
    await session.disconnect();
  });
});
