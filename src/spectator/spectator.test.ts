import { expect, waitUntil } from '@open-wc/testing';
import type { VinteoError } from '../errors.js';
import { capSenders, restoreSenders, type SavedLimits } from './caps.js';
import { legBaseUrl, legUrl, ReceiveLeg, wireQuality, type LegDeps } from './leg.js';
import { SpectatorService, type SpectatorDeps } from './SpectatorService.js';
import type { LegSnapshot } from './types.js';

/** A peer connection with just what the leg uses; the test drives its connection state. */
class FakePeer extends EventTarget {
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly transceivers: Array<{ kind: string; direction: string }> = [];
  closed = false;
  /** Runs right after the answer is applied (sets the state the leg then waits on). */
  afterAnswer: ((peer: FakePeer) => void) | undefined;
  addTransceiver(kind: string, init: { direction: string }): void {
    this.transceivers.push({ kind, direction: init.direction });
  }
  createOffer(): Promise<RTCSessionDescriptionInit> {
    return Promise.resolve({ type: 'offer', sdp: 'v=0 offer' });
  }
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = description;
    return Promise.resolve();
  }
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    this.afterAnswer?.(this);
    return Promise.resolve();
  }
  close(): void {
    this.closed = true;
    this.connectionState = 'closed';
  }
  set(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

type Reply = number | 'network';
/** A fetch that answers each call with the next reply (the last one repeats): a status, or a network error. */
function fakeFetch(replies: Reply[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = ((url: string, init: RequestInit) => {
    calls.push({ url, init });
    const reply = replies[Math.min(calls.length - 1, replies.length - 1)]!;
    if (reply === 'network') return Promise.reject(new TypeError('Failed to fetch'));
    const body = reply === 200 ? JSON.stringify({ type: 'answer', sdp: 'v=0 answer' }) : '{}';
    return Promise.resolve(new Response(body, { status: reply }));
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function makeLeg(replies: Reply[], timing: Partial<LegDeps['timing']> = {}) {
  const peer = new FakePeer();
  const { fetch, calls } = fakeFetch(replies);
  const leg = new ReceiveLeg({
    iceServers: [],
    fetch,
    createPeer: () => peer as unknown as RTCPeerConnection,
    timing: { tries: 10, retryDelayMs: 1, connectTimeoutMs: 5000, ...timing },
    changed: () => undefined,
    lost: () => undefined,
  });
  return { leg, peer, calls };
}

describe('spectator: the receive leg (fakes)', () => {
  it('builds the URL and the base from server or ws-url; auto is sent as high', () => {
    expect(wireQuality('auto')).to.equal('high');
    expect(wireQuality('low')).to.equal('low');
    expect(legBaseUrl({ server: 'vinteo.example' })).to.equal('https://vinteo.example');
    expect(legBaseUrl({ wsUrl: 'ws://127.0.0.1:8088/webrtc/wss/' })).to.equal('http://127.0.0.1:8088');
    expect(legBaseUrl({ wsUrl: 'wss://v.example:443/webrtc/wss/' })).to.equal('https://v.example');
    expect(legUrl('https://v', 'Room 1/x', 'auto', '17')).to.equal('https://v/api/v2/rtp2webrtc/offer/Room%201%2Fx?quality=high&audio=17');
  });

  it('audio recvonly then video recvonly ×4; the same offer again after a non-2xx or a network error', async () => {
    const { leg, peer, calls } = makeLeg([500, 'network', 503, 200]);
    const opened = leg.open({ url: 'https://v/api/v2/rtp2webrtc/offer/1?quality=high&audio=7', token: 'secret' });
    await waitUntil(() => peer.remoteDescription !== null, 'no answer applied');
    peer.set('connecting');
    peer.set('connected');
    await opened;
    expect(peer.transceivers).to.deep.equal([
      { kind: 'audio', direction: 'recvonly' },
      ...Array.from({ length: 4 }, () => ({ kind: 'video', direction: 'recvonly' })),
    ]);
    expect(calls).to.have.length(4);
    for (const call of calls) {
      expect(call.init.method).to.equal('POST');
      expect(call.init.headers).to.deep.equal({ 'Content-Type': 'application/json', Authorization: 'Bearer secret' });
      expect(JSON.parse(call.init.body as string)).to.deep.equal({ type: 'offer', sdp: 'v=0 offer' });
    }
    expect(peer.remoteDescription).to.deep.equal({ type: 'answer', sdp: 'v=0 answer' });
  });

  it('10 failed tries reject (the call will fail)', async () => {
    const { leg, calls } = makeLeg([404]);
    let error: VinteoError | undefined;
    await leg.open({ url: 'https://v/x', token: 't' }).catch((e: VinteoError) => (error = e));
    expect(calls).to.have.length(10);
    expect(error?.reason).to.equal('protocol-error');
  });

  it('not connected within the timeout rejects; `new` at that moment is accepted; `failed` rejects at once', async () => {
    const stuck = makeLeg([200], { connectTimeoutMs: 30 });
    stuck.peer.afterAnswer = (peer) => peer.set('connecting');
    let error: VinteoError | undefined;
    await stuck.leg.open({ url: 'https://v/x', token: 't' }).catch((e: VinteoError) => (error = e));
    expect(error?.message).to.contain('did not connect');

    const fresh = makeLeg([200], { connectTimeoutMs: 30 });
    await fresh.leg.open({ url: 'https://v/x', token: 't' });
    expect(fresh.peer.connectionState).to.equal('new');

    const failing = makeLeg([200]);
    failing.peer.afterAnswer = (peer) => queueMicrotask(() => peer.set('failed'));
    let failure: VinteoError | undefined;
    await failing.leg.open({ url: 'https://v/x', token: 't' }).catch((e: VinteoError) => (failure = e));
    expect(failure?.message).to.contain('failed');
  });
});

/** A sender with one encoding whose parameters the test reads back. */
function fakeSender(kind: 'audio' | 'video', maxBitrate?: number, mimeType = kind === 'audio' ? 'audio/opus' : 'video/VP8') {
  let parameters = { encodings: [maxBitrate === undefined ? {} : { maxBitrate }], codecs: [{ mimeType }] } as unknown as RTCRtpSendParameters;
  return {
    track: { kind },
    getParameters: () => structuredClone(parameters),
    setParameters: (next: RTCRtpSendParameters) => {
      parameters = next;
      return Promise.resolve();
    },
  } as unknown as RTCRtpSender;
}
const peerWith = (...senders: RTCRtpSender[]) => ({ getSenders: () => senders }) as unknown as RTCPeerConnection;
const limit = (sender: RTCRtpSender) => sender.getParameters().encodings[0]!.maxBitrate;

describe('spectator: send caps (fakes)', () => {
  it('caps audio at 6000 and video at 60000, then restores what was saved, else the defaults (AV1 ×0.6)', async () => {
    const audio = fakeSender('audio');
    const video = fakeSender('video', 1_000_000);
    const av1 = fakeSender('video', undefined, 'video/AV1');
    const saved: SavedLimits = new Map();
    const peer = peerWith(audio, video, av1);
    await capSenders(peer, saved);
    expect([limit(audio), limit(video), limit(av1)]).to.deep.equal([6000, 60_000, 60_000]);
    await capSenders(peer, saved); // A second SPECTATOR keeps the participant's limits saved.
    await restoreSenders(peer, saved);
    expect([limit(audio), limit(video), limit(av1)]).to.deep.equal([520_000, 1_000_000, 2_400_000]);
  });
});

describe('spectator: the service (fakes)', () => {
  function service(overrides: Partial<SpectatorDeps> & { inRoom?: () => boolean } = {}) {
    const peers: FakePeer[] = [];
    const { fetch, calls } = fakeFetch([200]);
    const legs: Array<LegSnapshot | undefined> = [];
    const failures: VinteoError[] = [];
    const events: unknown[] = [];
    const spectator = new SpectatorService({
      callPeer: () => peerWith(fakeSender('audio'), fakeSender('video')),
      stopPresentation: () => undefined,
      iceServers: () => [],
      baseUrl: () => 'https://v',
      credentials: () => ({ token: 'secret', conference: '1000' }),
      inRoom: () => true,
      quality: () => 'auto',
      content: () => false,
      fetch: () => fetch,
      createPeer: () => {
        const peer = new FakePeer();
        peers.push(peer);
        return peer as unknown as RTCPeerConnection;
      },
      timing: { retryDelayMs: 1 },
      failCall: (error) => failures.push(error),
      update: (leg) => legs.push(leg),
      emit: (_type, payload) => events.push(payload),
      ...overrides,
    });
    return { spectator, peers, calls, legs, failures, events };
  }

  it('waits for the in-room state, then POSTs; PARTICIPANT closes the leg', async () => {
    let inRoom = false;
    const { spectator, peers, calls, events } = service({ inRoom: () => inRoom });
    await spectator.roleChanged('spectator', '7');
    expect(spectator.current?.state).to.equal('opening');
    expect(calls).to.have.length(0);
    inRoom = true;
    spectator.accessChanged();
    await waitUntil(() => peers[0]?.remoteDescription !== null && peers.length === 1);
    peers[0]!.set('connected');
    await waitUntil(() => spectator.current?.state === 'open');
    expect(calls[0]!.url).to.equal('https://v/api/v2/rtp2webrtc/offer/1000?quality=high&audio=7');
    expect(spectator.peerConnection).to.equal(peers[0]);
    await spectator.roleChanged('participant', undefined);
    expect(spectator.current).to.equal(undefined);
    expect(peers[0]!.closed).to.equal(true);
    expect(JSON.stringify(events)).to.not.contain('secret');
    expect(events.map((e) => (e as { state: string }).state)).to.deep.equal(['opening', 'open', 'closed']);
  });

  it('a leg that cannot open fails the whole call', async () => {
    const { fetch } = fakeFetch(['network']);
    const { spectator, failures } = service({ fetch: () => fetch });
    await spectator.roleChanged('spectator', '7');
    await waitUntil(() => failures.length === 1, 'the call did not fail');
    expect(spectator.current?.state).to.equal('failed');
  });

  /** Opens the leg of `spectator` (SPECTATOR with `audioId`) and connects its newest peer. */
  async function opened(spectator: SpectatorService, peers: FakePeer[], audioId = '7'): Promise<void> {
    const count = peers.length;
    await spectator.roleChanged('spectator', audioId);
    await waitUntil(() => peers.length === count + 1 && peers[count]!.remoteDescription !== null, 'no answer applied');
    peers[count]!.set('connected');
    await waitUntil(() => spectator.current?.state === 'open', 'the leg did not open');
  }

  /** Connects the newest peer once its answer is applied, and waits for the leg to be open on it. */
  async function reopened(spectator: SpectatorService, peers: FakePeer[], count: number): Promise<void> {
    await waitUntil(() => peers.length === count && peers[count - 1]!.remoteDescription !== null, 'no new POST answered');
    peers[count - 1]!.set('connected');
    await waitUntil(() => spectator.current?.state === 'open' && spectator.peerConnection === (peers[count - 1] as unknown as RTCPeerConnection), 'the leg did not open again');
  }

  it("recovery (§11) is a new POST of the same kind of offer to the same URL on a new peer; without a leg it declines", async () => {
    const { spectator, peers, calls, failures } = service();
    expect(spectator.recover(), 'no leg: the caller re-INVITEs instead').to.equal(false);
    expect(calls).to.have.length(0);
    await opened(spectator, peers);
    expect(spectator.recover()).to.equal(true);
    expect(peers[0]!.closed, 'the broken leg is closed').to.equal(true);
    expect(spectator.current?.state).to.equal('opening');
    await reopened(spectator, peers, 2);
    expect(calls).to.have.length(2);
    expect(calls[1]!.url).to.equal(calls[0]!.url);
    expect(calls[1]!.init.method).to.equal('POST');
    expect(calls[1]!.init.headers).to.deep.equal(calls[0]!.init.headers);
    expect(JSON.parse(calls[1]!.init.body as string)).to.deep.equal({ type: 'offer', sdp: 'v=0 offer' });
    expect(peers[1]!.transceivers).to.deep.equal(peers[0]!.transceivers);
    expect(failures).to.deep.equal([]);
  });

  it('a new conference in the credentials POSTs again; a new token alone does not', async () => {
    let credentials = { token: 'secret', conference: '1000' };
    const { spectator, peers, calls } = service({ credentials: () => credentials });
    await opened(spectator, peers);
    credentials = { token: 'renewed', conference: '1000' };
    spectator.accessChanged();
    expect(calls).to.have.length(1);
    expect(peers).to.have.length(1);
    expect(spectator.current?.state).to.equal('open');
    expect(peers[0]!.closed).to.equal(false);

    credentials = { token: 'other', conference: '2000' };
    spectator.accessChanged();
    await reopened(spectator, peers, 2);
    expect(calls).to.have.length(2);
    expect(calls[1]!.url).to.equal('https://v/api/v2/rtp2webrtc/offer/2000?quality=high&audio=7');
    expect((calls[1]!.init.headers as Record<string, string>).Authorization).to.equal('Bearer other');
    expect(peers[0]!.closed).to.equal(true);
  });

  it('a new audio id opens the leg again; the same audio id again does not', async () => {
    const { spectator, peers, calls } = service();
    await opened(spectator, peers);
    await spectator.roleChanged('spectator', '7');
    expect(calls).to.have.length(1);
    expect(peers[0]!.closed).to.equal(false);
    await spectator.roleChanged('spectator', '8');
    await reopened(spectator, peers, 2);
    expect(calls.map((c) => c.url)).to.deep.equal([
      'https://v/api/v2/rtp2webrtc/offer/1000?quality=high&audio=7',
      'https://v/api/v2/rtp2webrtc/offer/1000?quality=high&audio=8',
    ]);
    expect(peers[0]!.closed).to.equal(true);
  });

  it('a quality change POSTs again with the new quality', async () => {
    let quality: 'auto' | 'low' = 'auto';
    const { spectator, peers, calls } = service({ quality: () => quality });
    spectator.qualityChanged();
    expect(calls, 'no leg wanted: nothing to POST').to.have.length(0);
    await opened(spectator, peers);
    quality = 'low';
    spectator.qualityChanged();
    await reopened(spectator, peers, 2);
    expect(calls[1]!.url).to.equal('https://v/api/v2/rtp2webrtc/offer/1000?quality=low&audio=7');
    expect(spectator.current?.quality).to.equal('low');
  });

  it('spectator with an audio id → spectator without one: the leg closes and the caps stay', async () => {
    const audio = fakeSender('audio', 300_000);
    const video = fakeSender('video', 2_000_000);
    const peer = peerWith(audio, video);
    const { spectator, peers, calls, events } = service({ callPeer: () => peer });
    await opened(spectator, peers);
    expect([limit(audio), limit(video)]).to.deep.equal([6000, 60_000]);
    await spectator.roleChanged('spectator', undefined);
    expect(spectator.current).to.equal(undefined);
    expect(spectator.active).to.equal(false);
    expect(spectator.peerConnection).to.equal(undefined);
    expect(peers[0]!.closed).to.equal(true);
    expect([limit(audio), limit(video)]).to.deep.equal([6000, 60_000]);
    expect(calls).to.have.length(1);
    expect(events.map((e) => (e as { state: string }).state)).to.deep.equal(['opening', 'open', 'closed']);
    // The participant's own limits were kept through both SPECTATORs.
    await spectator.roleChanged('participant', undefined);
    expect([limit(audio), limit(video)]).to.deep.equal([300_000, 2_000_000]);
  });
});
