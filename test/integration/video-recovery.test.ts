// Integration: main-stream health (vinteo-protocol.md §11) against vinteo-dev-server. The server stops
// echoing the main video; the client notices it in its stats, shows "Restoring video…", sends exactly
// one plain re-INVITE (the same ICE credentials), and the video comes back.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoClient } from '../../src/client.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoVideoRecoveryEvent } from '../../components/shared/events.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { control, expectVideoPlaying, serverCalls, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';
import { openInFirefox } from '../helpers/browser.js';

/** The ICE user fragment of an SDP (the session-level one, else the first media's). */
const iceUfrag = (sdp: string | undefined): string | undefined => /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1];

/** The client's last offer as the server has it: the INVITE's, then each re-INVITE's. */
async function clientOffer(call: ServerCall): Promise<string | undefined> {
  const sdp = await control<Record<string, string>>(`/api/calls/${call.id}/sdp`);
  return sdp['remoteOffer'];
}

const serverCall = async (id: string): Promise<ServerCall> => (await serverCalls()).find((c) => c.id === id)!;

/** Records every text the `video-recovery` part shows, as it shows it (however briefly). */
function watchNotice(el: VinteoCall): { texts: string[]; stop: () => void } {
  const texts: string[] = [];
  const look = (): void => {
    const text = part(el, 'video-recovery')?.textContent?.trim() ?? '';
    if (text !== texts.at(-1)) texts.push(text);
  };
  const observer = new MutationObserver(look);
  observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
  look();
  return { texts, stop: () => observer.disconnect() };
}

describe('integration: the main video restored by a re-INVITE on vinteo-dev-server', function () {
  this.timeout(90_000);
  const env = useIntegrationEnv();

  /** A call whose main video plays, with the recovery events recorded and the server's view of it. */
  async function playingCall() {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div lang="en"></div>`);
    holder.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}">
      <vinteo-call conference="${conference}"></vinteo-call></vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    const el = holder.querySelector<VinteoCall>('vinteo-call')!;
    const phases: Array<VinteoVideoRecoveryEvent['detail']> = [];
    el.addEventListener('vinteo-video-recovery', (event) => phases.push(event.detail));
    await el.join();
    await reach(el, 'in-call');
    const video = part<HTMLVideoElement>(el, 'remote-video');
    await expectVideoPlaying(video);
    const call = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not confirmed on the server');
    const before = await serverCall(call.id);
    const ufrag = iceUfrag(await clientOffer(call));
    expect(ufrag, 'the INVITE carries an ICE user fragment').to.be.a('string');
    expect(phases, 'flowing video needs no recovery').to.deep.equal([]);
    return { session, el, phases, video, call, before, ufrag };
  }

  /**
   * Resolves once `done()` holds, checked on every stats sample of `client`; rejects with `message`
   * when `n` samples pass without it. The health check works in samples (3 in a row), and on a busy
   * machine the samples space out (2–4 s when a collection is slow): counting them, not seconds,
   * waits for what the mechanism does.
   */
  const withinSamples = (client: VinteoClient, n: number, done: () => boolean, message: string) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      let seen = 0;
      const off = client.on('stats:collected', () => {
        // The event's listeners run before the recovery it may start: look on the next task.
        setTimeout(() => {
          if (done()) {
            off();
            resolve();
          } else if (++seen >= n) {
            off();
            reject(new Error(`${message} within ${n} stats samples`));
          }
        });
      });
    });

  /** Resolves after `n` more stats samples of the session's client. */
  const samples = (session: VinteoSession, n: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const off = session.client.on('stats:collected', () => {
        seen += 1;
        if (seen >= n) {
          off();
          resolve();
        }
      });
    });

  for (const [mode, problem, what] of [
    ['stall', 'stalled', 'a stalled main video (no more packets)'],
    ['garble', 'invalid-frames', 'a main video whose packets keep coming but never decode (invalid frames)'],
  ] as const) {
    it(`${what}: "Restoring video…", exactly one re-INVITE without ICE restart, frames again, the notice gone`, async function () {
      if (mode === 'garble') {
        openInFirefox(this, "Firefox's fake camera sends one packet a frame and its inbound counters start again during the fault: the protocol's 500 packets before invalid frames count are not reached in time");
      } else {
        openInFirefox(this, 'Firefox drops the inbound video report a few seconds after its packets stop: a sample after that reads as no-traffic, not stalled (failed once in three runs)');
      }
      const { session, el, phases, video, call, before, ufrag } = await playingCall();
      const notice = watchNotice(el);
      try {
        if (mode === 'garble') {
          // Frames that stop count only once 500 packets arrived (protocol §11): let the call get there first.
          let packets = 0;
          const off = session.client.on('stats:collected', ({ stats }) => {
            packets = stats.inbound.video?.packets ?? 0;
          });
          await withinSamples(session.client, 120, () => packets >= 500, 'the main video never reached 500 packets');
          off();
        }
        await control(`/api/calls/${call.id}/video`, { mode });
        // 3 samples in a row show the problem (the first after the change may still show the last frames).
        await withinSamples(session.client, 8, () => phases.length >= 1, `no recovery started after the video went ${mode}`);
        expect(phases[0]).to.deep.equal({ problem, phase: 'started' });
        await waitUntil(() => phases.length >= 2, 'the recovery never finished', { timeout: 15_000 });
        expect(phases[1]).to.deep.equal({ problem, phase: 'done' });

        // The server resumed on the re-INVITE: frames advance again, the notice is gone.
        await expectVideoPlaying(video);
        await el.updateComplete;
        expect(notice.texts, 'shown while it ran, then cleared').to.deep.equal(['', 'Restoring video…', '']);
        expect(session.client.getSnapshot().call.videoRecovery).to.equal(undefined);
        expect(el.getAttribute('state')).to.equal('in-call');

        const after = await serverCall(call.id);
        expect(after.reinvites, 'exactly one re-INVITE').to.equal(before.reinvites + 1);
        expect(iceUfrag(await clientOffer(call)), 'no ICE restart: the same user fragment').to.equal(ufrag);
        // A few more stats samples of flowing video: still one recovery, one re-INVITE.
        await samples(session, 4);
        expect(phases).to.have.length(2);
        expect((await serverCall(call.id)).reinvites).to.equal(before.reinvites + 1);
      } finally {
        notice.stop();
      }
    });
  }

  it('a main video that never arrives (no traffic): one re-INVITE about 3 s in, then the video plays', async () => {
    await control('/api/faults', { videoStartsStalled: true });
    try {
      const conference = uniqueConference();
      const holder = await fixture<HTMLDivElement>(html`<div lang="en"></div>`);
      holder.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}">
        <vinteo-call conference="${conference}"></vinteo-call></vinteo-session>`;
      const el = holder.querySelector<VinteoCall>('vinteo-call')!;
      const phases: Array<VinteoVideoRecoveryEvent['detail']> = [];
      el.addEventListener('vinteo-video-recovery', (event) => phases.push(event.detail));
      await el.join();
      await reach(el, 'in-call');
      const call = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not confirmed on the server');
      await withinSamples(el.client!, 8, () => phases.length >= 2, 'no recovery of a video that never came');
      expect(phases).to.deep.equal([
        { problem: 'no-traffic', phase: 'started' },
        { problem: 'no-traffic', phase: 'done' },
      ]);
      await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
      expect((await serverCall(call.id)).reinvites).to.equal(1);
    } finally {
      await control('/api/faults', { videoStartsStalled: false });
    }
  });
});
