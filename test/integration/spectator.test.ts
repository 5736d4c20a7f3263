// Integration: roles without re-INVITE and the spectator's receive-only leg (protocol §6, §14.8) against
// vinteo-dev-server over TLS (`server`: discovery, wss, and the leg's HTTPS POST on the same port).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { CallStats } from '../../src/stats/types.js';
import { control, expectVideoPlaying, uniqueConference, videoFrameCounter, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { canvasStream, part, reach, sessionWithPresentation, useIntegrationEnv } from '../helpers/integration.js';
import { IN_FIREFOX } from '../helpers/browser.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

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
  open: Array<{
    callId: string;
    sourceCallId: string;
    contentStreamId?: string;
    contentCallId?: string;
    counters: { audioPacketsSent: number; videoPacketsSent: number; contentPacketsSent: number };
  }>;
}
/** What `content/start` and `content/stop` answer. */
interface ContentResult {
  status: number | null;
  reinviteStatus: number | null;
  content: { state: string; codec?: string };
  notified: Array<{ callId: string; status: number | null }>;
}

const legs = (): Promise<LegsInfo> => control<LegsInfo>('/api/legs');

/** `maxBitrate` of the first encoding of the call's audio and video senders. */
/**
 * Skips a test that opens the receive-only leg in Firefox, which cannot connect it to this test server. The leg's
 * offer carries no candidates (protocol §6: POSTed right after setLocalDescription), so the browser must start the
 * connectivity checks; the server binds 127.0.0.1 only, and Firefox never pairs a loopback remote candidate with a
 * non-loopback local one (nICEr's candidate pairing), while it gathers no loopback candidate of its own here
 * (media.peerconnection.ice.loopback and force_interface=lo change nothing), so no check is ever sent and the leg's
 * ICE fails. A real Vinteo server is not on loopback. The call itself connects: the server starts its checks to the
 * candidates in the INVITE's SDP.
 */
function legNeedsLoopbackIce(context: Mocha.Context): void {
  if (IN_FIREFOX) context.skip();
}

function caps(el: VinteoCall): { audio: number | undefined; video: number | undefined } {
  const senders = el.client!.peerConnection!.getSenders();
  const of = (kind: string) => senders.find((s) => s.track?.kind === kind)?.getParameters().encodings[0]?.maxBitrate;
  return { audio: of('audio'), video: of('video') };
}

const spectatorInfo = (callId: string, audioId?: string) =>
  control(`/api/calls/${callId}/info`, {
    contentType: 'application/vinteo.webrtc.partstate',
    headers: { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-SPECTATOR-MODE': '1', ...(audioId === undefined ? {} : { 'X-WEBRTC-AUDIOID': audioId }) },
  });
const legRequests = async (callId: string): Promise<LegRecord[]> => (await legs()).requests.filter((r) => r.callId === callId);
const openLeg = async (callId: string) => (await legs()).open.find((l) => l.callId === callId) as (LegsInfo['open'][number] & { quality?: string }) | undefined;

/** Resolves with the next `stats:collected` sample of `el`'s client that `predicate` accepts (samples come every second). */
async function nextStats(el: VinteoCall, predicate: (stats: CallStats) => boolean, message: string): Promise<CallStats> {
  let found: CallStats | undefined;
  const off = el.client!.on('stats:collected', ({ stats }) => {
    if (!found && predicate(stats)) found = stats;
  });
  try {
    await waitUntil(() => found !== undefined, message, { timeout: 15_000 });
  } finally {
    off();
  }
  return found!;
}

describe('integration: spectators on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  /**
   * Two `<vinteo-call>` in one conference over TLS, both in the call and in room; `target` is the
   * spectator element's server call, `source` the other's, `reinvites` the target's count so far.
   */
  async function twoInConference(): Promise<{ spectator: VinteoCall; other: VinteoCall; conference: string; target: ServerCall; source: ServerCall }> {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const attributes = `server="${env().tlsHost}" conference="${conference}" balancer="off"`;
    holder.innerHTML = `<vinteo-call id="spectator" ${attributes}></vinteo-call><vinteo-call id="other" ${attributes}></vinteo-call>`;
    const [spectator, other] = [...holder.querySelectorAll('vinteo-call')] as VinteoCall[];
    await Promise.all([spectator.join(), other!.join()]);
    await Promise.all([reach(spectator, 'in-call'), reach(other!, 'in-call')]);
    // Each element's call on the server, found by the ICE ufrag of its offer (the SDP the server received).
    const ufrag = (el: VinteoCall) => /a=ice-ufrag:(\S+)/.exec(el.client!.peerConnection!.localDescription!.sdp)![1]!;
    const wanted = [ufrag(spectator), ufrag(other!)];
    // Whose each server call is: read from its SDP once.
    const owner = new Map<string, string | undefined>();
    const serverCallOf = async (): Promise<Array<{ call: ServerCall; ufrag: string | undefined }>> => {
      const calls = (await control<ServerCall[]>('/api/calls')).filter((c) => c.conference === conference);
      return Promise.all(
        calls.map(async (call) => {
          if (!owner.has(call.id)) {
            const lines = Object.values(await control<Record<string, string>>(`/api/calls/${call.id}/sdp`)).join('\n').split(/\r?\n/);
            owner.set(call.id, wanted.find((u) => lines.includes(`a=ice-ufrag:${u}`)));
          }
          return { call, ufrag: owner.get(call.id) };
        }),
      );
    };
    let seen: Array<{ call: ServerCall; ufrag: string | undefined }> = [];
    const both = async () => {
      seen = await serverCallOf();
      return wanted.every((u) => seen.some((s) => s.ufrag === u && s.call.state === 'confirmed'));
    };
    await waitUntil(both, 'both calls confirmed', { timeout: 15_000, interval: 200 }).catch((error: Error) => {
      const states = seen.map((s) => `${s.call.id} ${s.call.state} ${s.call.room ?? '-'} ${s.ufrag === wanted[0] ? 'spectator' : s.ufrag === wanted[1] ? 'other' : 'neither'}`);
      throw new Error(`${error.message}: server calls [${states.join('; ')}], elements ${spectator.getAttribute('state')}/${other!.getAttribute('state')}`);
    });
    await waitUntil(() => spectator.getAttribute('room-access') === 'in-room' && other!.getAttribute('room-access') === 'in-room', 'not in room', WAIT);
    const target = seen.find((s) => s.ufrag === wanted[0] && s.call.state === 'confirmed')!.call;
    const source = seen.find((s) => s.ufrag === wanted[1] && s.call.state === 'confirmed')!.call;
    return { spectator: spectator, other: other!, conference, target, source };
  }

  /** SPECTATOR with audio id `7` on `target`; resolves once the leg is open and the spectator's element decodes it. */
  async function openedLeg(spectator: VinteoCall, target: ServerCall): Promise<void> {
    await spectatorInfo(target.id, '7');
    // Open, or failed (which fails the call): then say how, rather than time out.
    const settled = (): boolean => spectator.getAttribute('leg') === 'open' || spectator.getAttribute('leg') === 'failed' || spectator.getAttribute('state') !== 'in-call';
    await waitUntil(settled, 'the leg neither opened nor failed', { timeout: 15_000 });
    const snapshot = spectator.client!.getSnapshot();
    expect(spectator.getAttribute('leg'), `leg ${JSON.stringify(snapshot.call.leg)}, call ${snapshot.call.state} ${JSON.stringify(snapshot.call.error ?? null)}`).to.equal('open');
    const video = part<HTMLVideoElement>(spectator, 'remote-video');
    await waitUntil(() => {
      const leg = spectator.client!.getSnapshot().call.leg;
      return leg?.remoteStream !== undefined && video.srcObject === leg.remoteStream;
    }, 'the element does not show the leg', WAIT);
    await expectVideoPlaying(video);
  }

  it('SPECTATOR with an audio id: no re-INVITE, capped senders, the leg carries the other participant; PARTICIPANT closes it', async function () {
    legNeedsLoopbackIce(this);
    const { spectator, conference, target, source } = await twoInConference();
    const before = { [target.id]: target.reinvites };

    await control(`/api/calls/${target.id}/info`, {
      contentType: 'application/vinteo.webrtc.partstate',
      headers: { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-SPECTATOR-MODE': '1', 'X-WEBRTC-AUDIOID': '7' },
    });
    await waitUntil(() => spectator.getAttribute('conference-role') === 'spectator', 'not a spectator', WAIT);
    expect(spectator.hasAttribute('may-send')).to.equal(true);
    await waitUntil(() => {
      const c = caps(spectator);
      return c.audio === 6000 && c.video === 60_000;
    }, 'senders not capped', WAIT);
    await waitUntil(() => spectator.getAttribute('leg') === 'open', 'the leg never opened', { timeout: 15_000 });

    const info = await legs();
    const request = info.requests.find((r) => r.callId === target.id)!;
    expect(request).to.include({ conference, quality: 'high', audio: '7', status: 200, bearer: true, sourceCallId: source.id });
    // The other participant's video decodes in the spectator's element, from the leg.
    const video = part<HTMLVideoElement>(spectator, 'remote-video');
    const leg = spectator.client!.getSnapshot().call.leg!;
    await waitUntil(() => video.srcObject === leg.remoteStream && leg.remoteStream !== undefined, 'the element does not show the leg', WAIT);
    const counter = videoFrameCounter(video);
    await waitUntil(() => counter.frames() > 5, 'no frames decoded from the leg', { timeout: 15_000 }).finally(counter.stop);
    await waitUntil(async () => ((await legs()).open.find((l) => l.callId === target.id)?.counters.videoPacketsSent ?? 0) > 20, 'the server sent no video on the leg', WAIT);
    const after = await control<ServerCall>(`/api/calls/${target.id}`);
    expect(after.reinvites, 'no re-INVITE on SPECTATOR').to.equal(before[target.id]);

    await control(`/api/calls/${target.id}/info`, { contentType: 'application/vinteo.webrtc.partstate', headers: { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' } });
    await waitUntil(() => spectator.getAttribute('conference-role') === 'participant' && !spectator.hasAttribute('leg'), 'the leg did not close', WAIT);
    await waitUntil(() => {
      const c = caps(spectator);
      return c.audio === 520_000 && c.video === 4_000_000;
    }, 'limits not restored', WAIT);
    expect(spectator.client!.getSnapshot().call.leg).to.equal(undefined);
    expect((await legs()).requests.filter((r) => r.callId === target.id)).to.have.length(1);
    const last = await waitForServerCall((c) => c.id === target.id, 'call gone');
    expect(last.reinvites, 'no re-INVITE on PARTICIPANT').to.equal(before[target.id]);
    expect(spectator.getAttribute('state')).to.equal('in-call');
  });

  it('a quality change POSTs again with quality=low: the leg opens again and decodes, no re-INVITE', async function () {
    legNeedsLoopbackIce(this);
    const { spectator, target } = await twoInConference();
    await openedLeg(spectator, target);
    const first = spectator.client!.getSnapshot().call.leg!.remoteStream;
    expect((await legRequests(target.id)).map((r) => r.quality)).to.deep.equal(['high']);

    spectator.setAttribute('quality', 'low');
    await waitUntil(async () => (await legRequests(target.id)).some((r) => r.quality === 'low' && r.status === 200), 'no POST with quality=low', { timeout: 15_000 });
    const requests = await legRequests(target.id);
    expect(requests.map((r) => r.quality)).to.deep.equal(['high', 'low']);
    expect(requests[1]).to.include({ audio: '7', status: 200, bearer: true });
    await waitUntil(async () => (await openLeg(target.id))?.quality === 'low', 'the server has no open leg with quality=low', WAIT);
    await waitUntil(() => {
      const leg = spectator.client!.getSnapshot().call.leg;
      return spectator.getAttribute('leg') === 'open' && leg?.quality === 'low' && leg.remoteStream !== undefined && leg.remoteStream !== first;
    }, 'the leg did not open again', { timeout: 15_000 });
    const video = part<HTMLVideoElement>(spectator, 'remote-video');
    await waitUntil(() => video.srcObject === spectator.client!.getSnapshot().call.leg!.remoteStream, 'the element does not show the new leg', WAIT);
    await expectVideoPlaying(video);
    await waitUntil(async () => ((await openLeg(target.id))?.counters.videoPacketsSent ?? 0) > 20, 'the server sent no video on the new leg', WAIT);
    expect((await control<ServerCall>(`/api/calls/${target.id}`)).reinvites, 'no re-INVITE on a quality change').to.equal(target.reinvites);
  });

  it('SPECTATOR without an audio id: capped senders, no leg POST, no re-INVITE; an audio id then opens the leg; none again closes it and the caps stay', async function () {
    legNeedsLoopbackIce(this);
    const { spectator, target } = await twoInConference();
    await spectatorInfo(target.id);
    await waitUntil(() => spectator.getAttribute('conference-role') === 'spectator', 'not a spectator', WAIT);
    await waitUntil(() => {
      const c = caps(spectator);
      return c.audio === 6000 && c.video === 60_000;
    }, 'senders not capped', WAIT);
    // The caps are set after the leg decision (SpectatorService.roleChanged): a leg would be opening by now.
    expect(spectator.client!.getSnapshot().call.leg).to.equal(undefined);
    expect(spectator.hasAttribute('leg')).to.equal(false);
    expect(await legRequests(target.id)).to.deep.equal([]);
    expect((await control<ServerCall>(`/api/calls/${target.id}`)).reinvites, 'no re-INVITE on SPECTATOR').to.equal(target.reinvites);

    await openedLeg(spectator, target);
    expect((await legRequests(target.id)).map((r) => [r.audio, r.status])).to.deep.equal([['7', 200]]);

    await spectatorInfo(target.id);
    await waitUntil(() => !spectator.hasAttribute('leg'), 'the leg did not close', WAIT);
    expect(spectator.client!.getSnapshot().call.leg).to.equal(undefined);
    expect(spectator.getAttribute('conference-role')).to.equal('spectator');
    expect(caps(spectator)).to.deep.equal({ audio: 6000, video: 60_000 });
    expect(await legRequests(target.id)).to.have.length(1);
    expect((await control<ServerCall>(`/api/calls/${target.id}`)).reinvites, 'no re-INVITE at all').to.equal(target.reinvites);
    expect(spectator.getAttribute('state')).to.equal('in-call');
  });

  it('entering the spectator role while presenting stops the presentation: STOPPRESENTATION, idle, no re-INVITE', async () => {
    const conference = uniqueConference();
    const { call, presentation } = await sessionWithPresentation(env(), conference, { presentationRetryDelayMs: 50 });
    await call.join();
    await reach(call, 'in-call');
    const server = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
    const screen = canvasStream();
    try {
      presentation.source = screen.stream;
      await presentation.start();
      await reach(presentation, 'active');
      type Presenting = ServerCall & { presentation: { state: string; packetsReceived: number } };
      const active = (await waitForServerCall(
        (c) => c.id === server.id && (c as Presenting).presentation.state === 'active' && (c as Presenting).presentation.packetsReceived > 10,
        'no presentation packets',
      )) as Presenting;
      const shareStates = (c: ServerCall) =>
        c.infoReceived
          .filter((i) => i.contentType === 'application/vinteo.webrtc.sharedesktop')
          .map((i) => Object.entries(i.headers).find(([k]) => k.toLowerCase() === 'x-webrtc-share-state')?.[1]);
      expect(shareStates(active)).to.deep.equal(['LETMESTARTPRESENTATION']);

      const ended = oneEvent(presentation, 'vinteo-presentation-ended');
      await spectatorInfo(server.id);
      expect((await ended).detail.reason).to.equal('role');
      await reach(presentation, 'idle');
      await waitUntil(() => call.getAttribute('conference-role') === 'spectator', 'not a spectator', WAIT);
      const stopped = (await waitForServerCall(
        (c) => c.id === server.id && (c as Presenting).presentation.state === 'stopped',
        'the server did not see the stop',
      )) as Presenting;
      expect(shareStates(stopped)).to.deep.equal(['LETMESTARTPRESENTATION', 'STOPPRESENTATION']);
      expect(stopped.reinvites, 'no re-INVITE for the stop').to.equal(active.reinvites);
      expect(call.client!.getSnapshot().presentation.state).to.equal('idle');
      expect(call.getAttribute('state')).to.equal('in-call');
    } finally {
      screen.stop();
    }
  });

  it("the conference's content reaches the spectator on the leg (msid content_vp8): content-video decodes it; CONTENTEND hides it, the leg stays", async function () {
    legNeedsLoopbackIce(this);
    const { spectator, target, source } = await twoInConference();
    await openedLeg(spectator, target);
    const content = part<HTMLVideoElement>(spectator, 'content-video');
    expect(content.hidden, 'no content before the start').to.equal(true);
    expect((await openLeg(target.id))?.contentStreamId).to.equal('content_vp8');

    // The server plays content in the other participant's call and tells every call of the conference.
    const started = await control<ContentResult>(`/api/calls/${source.id}/content/start`, { codec: 'VP8' });
    expect(started).to.deep.include({ status: 200, reinviteStatus: 200 });
    expect(started.content.state).to.equal('active');
    expect(started.notified).to.deep.equal([{ callId: target.id, status: 200 }]);
    await waitUntil(() => spectator.client!.getSnapshot().presentation.contentAvailable, 'the spectator was not told YOUCANRECEIVECONTENT', WAIT);
    expect(spectator.client!.getSnapshot().presentation.contentCodec).to.equal('VP8');
    await waitUntil(() => {
      const leg = spectator.client!.getSnapshot().call.leg;
      return !content.hidden && leg?.contentStream !== undefined && content.srcObject === leg.contentStream;
    }, 'content-video does not show the leg\'s content stream', { timeout: 15_000 });
    const leg = spectator.client!.getSnapshot().call.leg!;
    expect(leg.contentStream!.id).to.equal('content_vp8');
    // Grouped by msid stream id (the leg's own receivers keep their track ids: the offerer made them).
    expect(leg.contentStream!.getTracks().map((t) => t.kind)).to.deep.equal(['video']);
    expect(leg.remoteStream!.getTracks()).to.not.include(leg.contentStream!.getVideoTracks()[0]);
    expect(leg.contentStream).to.not.equal(leg.remoteStream);
    expect(part<HTMLVideoElement>(spectator, 'remote-video').srcObject).to.equal(leg.remoteStream);
    // Frames decode from the leg's content m-line, and keep coming.
    const counter = videoFrameCounter(content);
    let decoded = 0;
    try {
      await waitUntil(() => counter.frames() > 5, 'no content frames decoded from the leg', { timeout: 15_000 });
      decoded = counter.frames();
      await waitUntil(() => counter.frames() > decoded + 5, 'content frames stopped rising', { timeout: 15_000 });
    } finally {
      counter.stop();
    }
    const playing = await openLeg(target.id);
    expect(playing?.contentCallId).to.equal(source.id);
    // Every decoded frame took at least one packet the server forwarded on the leg's content m-line.
    expect(playing!.counters.contentPacketsSent).to.be.at.least(decoded + 5);

    const stopped = await control<ContentResult>(`/api/calls/${source.id}/content/stop`, {});
    expect(stopped.content.state).to.equal('idle');
    expect(stopped.notified).to.deep.equal([{ callId: target.id, status: 200 }]);
    await waitUntil(() => content.hidden, 'content still shown after CONTENTEND', WAIT);
    expect(spectator.client!.getSnapshot().presentation.contentAvailable).to.equal(false);
    expect(spectator.client!.getSnapshot().call.leg?.contentStream).to.equal(undefined);
    expect((await openLeg(target.id))?.contentCallId).to.equal(undefined);
    // The leg stays open and its main video keeps decoding; no re-INVITE reached the spectator's call.
    expect(spectator.getAttribute('leg')).to.equal('open');
    await expectVideoPlaying(part<HTMLVideoElement>(spectator, 'remote-video'));
    type Reinvites = ServerCall & { serverReinvites: number };
    const after = await control<Reinvites>(`/api/calls/${target.id}`);
    expect([after.reinvites, after.serverReinvites], 'no re-INVITE either way on the spectator\'s call').to.deep.equal([target.reinvites, (target as Reinvites).serverReinvites]);
    expect(spectator.getAttribute('state')).to.equal('in-call');
  });

  it('stats come from the leg while it is open (its receive-only streams and rising counters), and from the call again after PARTICIPANT', async function () {
    legNeedsLoopbackIce(this);
    const { spectator, target } = await twoInConference();
    // Before: the call's peer connection, which sends the camera.
    const fromCall = await nextStats(spectator, (s) => s.outbound.video !== undefined && s.inbound.video !== undefined, 'no sample from the call');
    const callVideoTracks = spectator.client!.peerConnection!.getReceivers().map((r) => r.track.id);
    expect(callVideoTracks).to.include(fromCall.inbound.video?.trackIdentifier);

    await openedLeg(spectator, target);
    const legTrack = spectator.client!.getSnapshot().call.leg!.remoteStream!.getVideoTracks()[0]!.id;
    const fromLeg = (s: CallStats) => s.inbound.video?.trackIdentifier === legTrack;
    const first = await nextStats(spectator, (s) => fromLeg(s) && s.inbound.video!.packets > 0, 'no sample from the leg');
    // A receive-only leg sends nothing: no outbound stream at all in the sample.
    expect(first.outbound).to.deep.equal({ audio: undefined, video: undefined });
    expect(first.streams.every((stream) => stream.direction === 'inbound')).to.equal(true);
    const serverBefore = (await openLeg(target.id))!.counters.videoPacketsSent;
    const later = await nextStats(spectator, (s) => fromLeg(s) && s.inbound.video!.packets > first.inbound.video!.packets + 20, 'the leg\'s inbound video packets did not rise');
    expect(later.outbound.video).to.equal(undefined);
    await waitUntil(async () => ((await openLeg(target.id))?.counters.videoPacketsSent ?? 0) > serverBefore + 20, 'the server leg counters did not rise', WAIT);

    await control(`/api/calls/${target.id}/info`, { contentType: 'application/vinteo.webrtc.partstate', headers: { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' } });
    await waitUntil(() => !spectator.hasAttribute('leg'), 'the leg did not close', WAIT);
    const back = await nextStats(spectator, (s) => s.outbound.video !== undefined, 'stats did not come from the call again');
    expect(back.inbound.video?.trackIdentifier).to.not.equal(legTrack);
  });
});
