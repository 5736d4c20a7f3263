// Integration: real JsSIP, real WebRTC (fake camera and microphone), against vinteo-dev-server on 127.0.0.1.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import type { PeerConnectionEvent, SendingEvent } from '@krivega/jssip';
import { createJsSipUserAgent, loadJsSip } from '../../src/connection/jssip.js';
import type { UserAgentFactory } from '../../src/connection/transport.js';
import { control, expectVideoPlaying, serverCalls, uniqueConference, waitForServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

describe('integration: joining a conference on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  it('a guest joins with one tag: in-call, room shown, remote video decodes, server receives audio and video', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} display-name="Guest" auto-join></vinteo-call>`,
    );
    await reach(el, 'in-call');
    await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
    await waitUntil(() => part(el, 'room-name')?.textContent?.includes(conference), 'room name not shown', WAIT);
    expect(el.client!.getSnapshot().room.license).to.equal('VIDEO');

    const call = await waitForServerCall(
      (c) => c.conference === conference && c.media.every((m) => m.packetsReceived > 20),
      'server did not receive audio and video packets',
    );
    expect(call.state).to.equal('confirmed');
    expect(call.displayName).to.equal('Guest');
    expect(call.media.map((m) => m.kind).sort()).to.deep.equal(['audio', 'video']);
    expect(call.media.every((m) => m.direction === 'sendrecv')).to.equal(true);
    const headers = Object.fromEntries(Object.entries(call.inviteHeaders).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['x-vinteo-purgatory-call']).to.equal('yes');
    expect(headers['x-vinteo-mic-state']).to.equal('1');
    expect(headers['x-vinteo-maincam-state']).to.equal('1');
  });

  it('by default the INVITE goes out at the first ICE candidate; fast-ice="off" waits for gathering; both get media', async () => {
    await loadJsSip();
    for (const mode of ['default', 'off'] as const) {
      // Real JsSIP, watched: the gathering state of the peer connection when the INVITE leaves.
      const invites: Array<{ gathering: RTCIceGatheringState | undefined; candidates: number }> = [];
      const watched: UserAgentFactory = (params) => {
        const ua = createJsSipUserAgent(params);
        const call = ua.call.bind(ua);
        ua.call = (target, options = {}) => {
          let peer: RTCPeerConnection | undefined;
          const handlers = options.eventHandlers ?? {};
          return call(target, {
            ...options,
            eventHandlers: {
              ...handlers,
              peerconnection: (event: PeerConnectionEvent) => {
                peer = event.peerconnection;
                handlers.peerconnection?.(event);
              },
              sending: (event: SendingEvent) => {
                invites.push({ gathering: peer?.iceGatheringState, candidates: (String(event.request.body).match(/^a=candidate:/gm) ?? []).length });
                handlers.sending?.(event);
              },
            },
          });
        };
        return ua;
      };
      const conference = uniqueConference();
      const el = await fixture<VinteoCall>(
        mode === 'off'
          ? html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} fast-ice="off" .clientOptions=${{ userAgentFactory: watched }}></vinteo-call>`
          : html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} .clientOptions=${{ userAgentFactory: watched }}></vinteo-call>`,
      );
      await el.join();
      await reach(el, 'in-call');
      await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
      const call = await waitForServerCall((c) => c.conference === conference && c.media.every((m) => m.packetsReceived > 20), `no media (${mode})`);
      expect(call.state).to.equal('confirmed');
      expect(invites.length, mode).to.equal(1);
      expect(invites[0]!.candidates, `candidates in the INVITE (${mode})`).to.be.greaterThan(0);
      if (mode === 'default') expect(invites[0]!.gathering, 'the default INVITE waited for ICE gathering').to.equal('gathering');
      else expect(invites[0]!.gathering, 'fast-ice="off" did not wait for ICE gathering').to.equal('complete');
      await el.leave();
      el.remove();
    }
  });

  it('leaving ends the call on the server too', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} auto-join></vinteo-call>`,
    );
    await reach(el, 'in-call');
    const ended = oneEvent(el, 'vinteo-call-ended');
    part(el, 'join-button').click();
    expect((await ended).detail.reason).to.equal('local-hangup');
    await reach(el, 'ended');
    const call = await waitForServerCall((c) => c.conference === conference && c.state === 'ended', 'server still has the call');
    expect(call.state).to.equal('ended');
  });

  it('a registered user registers with digest auth and joins', async () => {
    const conference = uniqueConference();
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${env().wsUrl} sip-domain=${env().sipDomain} user="1001" display-name="Registered" register .password=${env().users['1001']}>
        <vinteo-call conference=${conference}></vinteo-call>
      </vinteo-session>
    `);
    const el = session.querySelector('vinteo-call')!;
    const registered = new Promise<void>((resolve) => {
      session.addEventListener('vinteo-connection-change', (event) => {
        if (event.detail.state === 'registered') resolve();
      });
    });
    await el.join();
    await registered;
    await reach(el, 'in-call');
    const registrations = await control<Array<{ user: string }>>('/api/registrations');
    expect(registrations.map((r) => r.user)).to.include('1001');
    const call = await waitForServerCall((c) => c.conference === conference, 'call not on the server');
    expect(call.from).to.equal('1001');
    expect(Object.keys(call.inviteHeaders).map((k) => k.toLowerCase())).not.to.include('x-vinteo-purgatory-call');
    await session.disconnect();
    await waitUntil(
      async () => !(await control<Array<{ user: string }>>('/api/registrations')).some((r) => r.user === '1001'),
      'registration not removed after disconnect', WAIT);
  });

  it('a wrong password gives vinteo-error with a reason and state="failed"', async () => {
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} user="1001" register conference="1000"></vinteo-call>`,
    );
    el.password = 'definitely-wrong';
    const error = oneEvent(el, 'vinteo-error');
    await el.join();
    expect((await error).detail.reason).to.equal('authentication-failed');
    await reach(el, 'failed');
    expect(part(el, 'error').textContent).to.contain('refused the user name or password');
    expect(el.client!.getSnapshot().connection.state).to.equal('failed');
  });

  it('a server-side drop mid-call (auto-reconnect off) ends in a visible state with no uncaught error', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} .clientOptions=${{ autoReconnect: false }}></vinteo-call>`,
    );
    await el.join();
    await reach(el, 'in-call');
    const ended = oneEvent(el, 'vinteo-call-ended');
    await control('/api/connections/drop', {});
    expect((await ended).detail.reason).to.equal('connection-lost');
    await reach(el, 'ended');
    expect(part(el, 'status').textContent).to.contain('connection to the server was lost');
  });

  it('a server-side drop mid-call is recovered: reconnecting, then in-call again with media', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} auto-join></vinteo-call>`,
    );
    await reach(el, 'in-call');
    const first = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
    const reconnected = oneEvent(el, 'vinteo-reconnected');
    await control('/api/connections/drop', {});
    await reach(el, 'reconnecting');
    await reconnected;
    await reach(el, 'in-call');
    const second = await waitForServerCall(
      (c) => c.conference === conference && c.id !== first.id && c.state === 'confirmed' && c.media.every((m) => m.packetsReceived > 20),
      'no redialled call with media on the server',
    );
    expect(second.media.length).to.equal(2);
    await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
  });

  it('a hang-up by the server ends the call', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} auto-join></vinteo-call>`,
    );
    await reach(el, 'in-call');
    const call = await waitForServerCall((c) => c.conference === conference, 'call not on the server');
    const ended = oneEvent(el, 'vinteo-call-ended');
    await control(`/api/calls/${call.id}/hangup`, {});
    expect((await ended).detail.reason).to.equal('remote-hangup');
    await reach(el, 'ended');
  });

  it('a rejected INVITE gives call-rejected with the SIP status', async () => {
    await control('/api/calls/reject-next', { count: 1, status: 486 });
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${uniqueConference()}></vinteo-call>`,
    );
    const failed = oneEvent(el, 'vinteo-call-failed');
    await el.join();
    const detail = (await failed).detail;
    expect(detail.error.reason).to.equal('call-rejected');
    expect(detail.error.statusCode).to.equal(486);
    await reach(el, 'failed');
  });

  it('server INFO reaches the client, malformed INFO is ignored, and toggles send mediastate INFO', async () => {
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} auto-join></vinteo-call>`,
    );
    await reach(el, 'in-call');
    const call = await waitForServerCall((c) => c.conference === conference, 'call not on the server');
    await waitUntil(() => el.client!.getSnapshot().room.license === 'VIDEO', 'licence INFO not applied', WAIT);

    const malformed = await control<{ status: number }>(`/api/calls/${call.id}/info`, {
      contentType: 'application/vinteo.webrtc.uselic',
      headers: { 'X-WEBRTC-USE-LICENSE': 'NOT-A-LICENCE' },
    });
    expect(malformed.status).to.equal(200);
    const audio = await control<{ status: number }>(`/api/calls/${call.id}/info`, {
      contentType: 'application/vinteo.webrtc.uselic',
      headers: { 'X-WEBRTC-USE-LICENSE': 'AUDIO' },
    });
    expect(audio.status).to.equal(200);
    await waitUntil(() => el.client!.getSnapshot().room.license === 'AUDIO', 'licence AUDIO not applied', WAIT);
    expect(el.getAttribute('state')).to.equal('in-call');

    part(el, 'microphone-button').click();
    const withInfo = await waitForServerCall(
      (c) => c.id === call.id && c.infoReceived.some((i) => i.contentType === 'application/vinteo.webrtc.mediastate'),
      'mediastate INFO not received',
    );
    const info = withInfo.infoReceived.find((i) => i.contentType === 'application/vinteo.webrtc.mediastate')!;
    const headers = Object.fromEntries(Object.entries(info.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['x-vinteo-mic-state']).to.equal('0');
    expect(headers['x-vinteo-maincam-state']).to.equal('1');
  });

  it('the plain classic-script build joins from a bare HTML page', async () => {
    const conference = uniqueConference();
    const frame = document.createElement('iframe');
    frame.style.width = '640px';
    frame.style.height = '480px';
    frame.srcdoc = `<!doctype html><html lang="en"><body>
      <script src="/dist/vinteo-widgets.js"></script>
      <vinteo-call ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}" conference="${conference}" display-name="Guest" auto-join></vinteo-call>
    </body></html>`;
    document.body.append(frame);
    try {
      await waitUntil(() => frame.contentDocument?.querySelector('vinteo-call')?.getAttribute('state') === 'in-call', 'bundle page never reached in-call', {
        timeout: 20_000,
      });
      const el = frame.contentDocument!.querySelector('vinteo-call')!;
      await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
      // The loader defines the call; <vinteo-session> comes with the panels chunk, which a call alone never fetches.
      expect(frame.contentWindow!.customElements.get('vinteo-call')).not.to.equal(undefined);
      expect(frame.contentWindow!.customElements.get('vinteo-session')).to.equal(undefined);
      await waitForServerCall(
        (c) => c.conference === conference && c.media.length === 2 && c.media.every((m) => m.packetsReceived > 20),
        'server did not receive media from the bundle page',
      );
    } finally {
      frame.remove();
    }
    const after = await waitForServerCall((c) => c.conference === conference, 'call missing');
    expect(['confirmed', 'ended']).to.include(after.state);
    expect((await serverCalls()).length).to.be.greaterThan(0);
  });
});
