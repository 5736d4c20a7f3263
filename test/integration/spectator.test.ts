// Integration: roles without re-INVITE and the spectator's receive-only leg (protocol §6, §14.8) against
// vinteo-dev-server over TLS (`server`: discovery, wss, and the leg's HTTPS POST on the same port).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { control, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

interface LegRecord {
  conference: string;
  quality: string | null;
  audio: string | null;
  status: number;
  callId?: string;
  sourceCallId?: string;
  bearer: boolean;
}
interface LegsInfo {
  requests: LegRecord[];
  open: Array<{ callId: string; sourceCallId: string; counters: { audioPacketsSent: number; videoPacketsSent: number } }>;
}

const legs = (): Promise<LegsInfo> => control<LegsInfo>('/api/legs');

/** `maxBitrate` of the first encoding of the call's audio and video senders. */
function caps(el: VinteoCall): { audio: number | undefined; video: number | undefined } {
  const senders = el.client!.peerConnection!.getSenders();
  const of = (kind: string) => senders.find((s) => s.track?.kind === kind)?.getParameters().encodings[0]?.maxBitrate;
  return { audio: of('audio'), video: of('video') };
}

describe('integration: spectators on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  it('SPECTATOR with an audio id: no re-INVITE, capped senders, the leg carries the other participant; PARTICIPANT closes it', async () => {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const attributes = `server="${env().tlsHost}" conference="${conference}" balancer="off"`;
    holder.innerHTML = `<vinteo-call id="spectator" ${attributes}></vinteo-call><vinteo-call id="other" ${attributes}></vinteo-call>`;
    const [spectator, other] = [...holder.querySelectorAll('vinteo-call')] as VinteoCall[];
    await Promise.all([spectator!.join(), other!.join()]);
    await Promise.all([reach(spectator!, 'in-call'), reach(other!, 'in-call')]);
    const confirmed = (c: ServerCall) => c.conference === conference && c.state === 'confirmed';
    await waitUntil(async () => (await control<ServerCall[]>('/api/calls')).filter(confirmed).length === 2, 'both calls confirmed', { timeout: 15_000 });
    await waitUntil(() => spectator!.getAttribute('room-access') === 'in-room' && other!.getAttribute('room-access') === 'in-room', 'not in room');
    const calls = (await control<ServerCall[]>('/api/calls')).filter(confirmed);
    const before = Object.fromEntries(calls.map((c) => [c.id, c.reinvites]));
    // Which server call is the spectator's: both joined at once, so match its local SDP's ice-ufrag.
    const ufrag = /a=ice-ufrag:(\S+)/.exec(spectator!.client!.peerConnection!.localDescription!.sdp)![1]!;
    const sdps = await Promise.all(calls.map(async (c) => ({ id: c.id, sdp: await control<Record<string, string>>(`/api/calls/${c.id}/sdp`) })));
    const target = sdps.find((s) => Object.values(s.sdp).some((text) => typeof text === 'string' && text.includes(`a=ice-ufrag:${ufrag}`)))!;
    expect(target, 'the spectator call on the server').to.not.equal(undefined);
    const source = calls.find((c) => c.id !== target.id)!;

    await control(`/api/calls/${target.id}/info`, {
      contentType: 'application/vinteo.webrtc.partstate',
      headers: { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-SPECTATOR-MODE': '1', 'X-WEBRTC-AUDIOID': '7' },
    });
    await waitUntil(() => spectator!.getAttribute('conference-role') === 'spectator', 'not a spectator');
    expect(spectator!.hasAttribute('may-send')).to.equal(true);
    await waitUntil(() => {
      const c = caps(spectator!);
      return c.audio === 6000 && c.video === 60_000;
    }, 'senders not capped');
    await waitUntil(() => spectator!.getAttribute('leg') === 'open', 'the leg never opened', { timeout: 15_000 });

    const info = await legs();
    const request = info.requests.find((r) => r.callId === target.id)!;
    expect(request).to.include({ conference, quality: 'high', audio: '7', status: 200, bearer: true, sourceCallId: source.id });
    // The other participant's video decodes in the spectator's element, from the leg.
    const video = part<HTMLVideoElement>(spectator!, 'remote-video');
    const leg = spectator!.client!.getSnapshot().call.leg!;
    await waitUntil(() => video.srcObject === leg.remoteStream && leg.remoteStream !== undefined, 'the element does not show the leg');
    await waitUntil(() => video.getVideoPlaybackQuality().totalVideoFrames > 5, 'no frames decoded from the leg', { timeout: 15_000 });
    await waitUntil(async () => ((await legs()).open.find((l) => l.callId === target.id)?.counters.videoPacketsSent ?? 0) > 20, 'the server sent no video on the leg');
    const after = await control<ServerCall>(`/api/calls/${target.id}`);
    expect(after.reinvites, 'no re-INVITE on SPECTATOR').to.equal(before[target.id]);

    await control(`/api/calls/${target.id}/info`, { contentType: 'application/vinteo.webrtc.partstate', headers: { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' } });
    await waitUntil(() => spectator!.getAttribute('conference-role') === 'participant' && !spectator!.hasAttribute('leg'), 'the leg did not close');
    await waitUntil(() => {
      const c = caps(spectator!);
      return c.audio === 520_000 && c.video === 4_000_000;
    }, 'limits not restored');
    expect(spectator!.client!.getSnapshot().call.leg).to.equal(undefined);
    expect((await legs()).requests.filter((r) => r.callId === target.id)).to.have.length(1);
    const last = await waitForServerCall((c) => c.id === target.id, 'call gone');
    expect(last.reinvites, 'no re-INVITE on PARTICIPANT').to.equal(before[target.id]);
    expect(spectator!.getAttribute('state')).to.equal('in-call');
  });
});
