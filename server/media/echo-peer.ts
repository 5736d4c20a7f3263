/**
 * The media side of a call: a werift peer connection that answers the
 * caller's offer (or, for server-initiated calls, offers and takes the
 * callee's answer) and echoes every received RTP packet back on the same
 * transceiver, without decoding or re-encoding. Keyframe requests from the
 * caller's receiver (PLI/FIR on our sender SSRCs) are forwarded to the caller's
 * sender as PLI. RFC 4733 telephone-events are consumed (reported as DTMF),
 * not echoed. M-line roles: see `MediaRole` (types.ts).
 */
import {
  RTCPeerConnection,
  RTCRtpHeaderExtensionParameters,
  RtpPacket,
  type MediaStreamTrack,
  type RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  type RtcpPacket,
} from 'werift';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { fixAnswerSdp, fixOfferSdp, parseOfferedMedia, sessionIdOf } from '../sdp-info.js';
import { cloneCodec, echoCodecs, loopbackPeerConfig } from './codecs.js';
import { resumeIceAfterRestart, waitForGathering } from './ice.js';
import { isAudible, isTelephoneEvent, keyframeRequest, requestKeyframe, telephoneEventDigit } from './rtp.js';
import { ContentError, RECEIVING, SENDING, type ContentStatus, type EchoPeerOptions, type MediaCounters, type MediaRole, type TransceiverState } from './types.js';
import { applyVideoMode, type VideoMode } from './video-fault.js';
import { nameSender } from './msid.js';

/** A listener of the caller's main RTP: a copy of each packet, and the codec it carries. */
export type MainRtpTap = (kind: 'audio' | 'video', rtp: RtpPacket, codec: RTCRtpCodecParameters) => void;

export class EchoPeer {
  private readonly pc: RTCPeerConnection;
  private readonly log: Logger;
  private readonly countersByMid = new Map<string, MediaCounters>();
  private readonly states = new Map<RTCRtpTransceiver, TransceiverState>();
  private readonly subscriptions: Array<() => void> = [];
  private readonly rtcpTransports = new Set<unknown>();
  private closed = false;
  private failedReported = false;
  private sessionVersion = 0;
  /** o= session id of our first SDP, kept for every later one (werift draws a new one each time). */
  private sessionId?: string;
  /** Mids of m-lines rejected (port 0) in the client's last SDP: they stay rejected in our offers. */
  private rejectedMids = new Set<string>();
  /** The content sender (created by the first createContentOffer). */
  private content?: TransceiverState;
  private contentActive = false;
  private contentCodec?: RTCRtpCodecParameters;
  private contentPacketsSent = 0;
  private contentPacketsDropped = 0;
  private contentMidSeq = 0;
  /** What the pending server offer does to the content sender. */
  private pendingContent?: 'start' | 'stop';
  videoMode: VideoMode = 'flow'; // what the main video m-line echoes (video-fault.ts)
  /** Listeners of the caller's main RTP (spectators' receive legs, server/spectator/). */
  private readonly taps = new Set<MainRtpTap>();

  constructor(private readonly options: EchoPeerOptions) {
    this.log = options.log;
    this.pc = new RTCPeerConnection(loopbackPeerConfig(options.host, echoCodecs()));
    this.subscriptions.push(
      this.pc.onRemoteTransceiverAdded.subscribe((t) => this.adoptTransceiver(t)).unSubscribe,
      this.pc.connectionStateChange.subscribe((state) => {
        this.log.debug(`peer connection ${state}`);
        if (state === 'failed') this.reportFailed('ICE/DTLS failed');
      }).unSubscribe,
    );
  }

  /**
   * Calls `tap` with a copy of every main audio/video RTP packet the caller sends (before any fault
   * or echo), with its codec. Returns the unsubscribe function.
   */
  tapMain(tap: MainRtpTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  /** Asks the caller's camera for a keyframe (a spectator's leg starts or its receiver asks); `force`: even within 200 ms of the last. */
  requestMainKeyframe(why: string, force = false): void {
    const main = this.mainVideo();
    if (main) requestKeyframe(main, why, this.log, force);
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /** Per-mid RTP counters of what the caller sent (kept across renegotiations). */
  counters(mid: string): MediaCounters {
    const c = this.countersByMid.get(mid) ?? { packetsReceived: 0, bytesReceived: 0, packetsEchoed: 0, audiblePacketsReceived: 0 };
    this.countersByMid.set(mid, c);
    return c;
  }

  /**
   * Applies an offer (initial or re-offer: added/removed m-lines, ICE restart)
   * and returns the complete answer SDP with candidates.
   */
  async answer(offerSdp: string): Promise<string> {
    if (this.closed) throw new Error('peer closed');
    if (this.content) {
      // Our content sender answers with what it does now (send while content
      // plays) and always accepts the client's screen on it (a client may reuse
      // this recvonly transceiver for its own presentation).
      this.content.transceiver.setDirection(this.contentActive ? 'sendrecv' : 'recvonly');
      this.forgetStaleContentIndex();
    }
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    await waitForGathering(this.pc, this.options.iceGatheringTimeoutMs ?? 3000, this.log);
    resumeIceAfterRestart(this.pc, this.log, (reason) => this.reportFailed(reason));
    this.watchRtcp();
    this.noteRemoteDescription(offerSdp);
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    this.sessionId ??= sessionIdOf(sdp);
    return fixAnswerSdp(offerSdp, sdp, this.origin());
  }

  /**
   * Server-initiated calls: creates an offer with one audio and one video
   * transceiver (sendrecv, the echo codecs, loopback host candidates only)
   * and returns it once ICE gathering is complete.
   */
  async offer(): Promise<string> {
    if (this.closed) throw new Error('peer closed');
    for (const kind of ['audio', 'video'] as const) this.adoptTransceiver(this.pc.addTransceiver(kind, { direction: 'sendrecv' }));
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await waitForGathering(this.pc, this.options.iceGatheringTimeoutMs ?? 3000, this.log);
    this.refreshRoles();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    this.sessionId ??= sessionIdOf(sdp);
    return fixOfferSdp(sdp, this.origin());
  }

  /**
   * Applies the client's answer to our offer (the initial one of a
   * server-initiated call, or a re-offer); echoing starts when its media
   * arrives; a content start takes effect here.
   */
  async acceptAnswer(answerSdp: string): Promise<void> {
    if (this.closed) throw new Error('peer closed');
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    this.watchRtcp();
    this.noteRemoteDescription(answerSdp);
    const pending = this.pendingContent;
    this.pendingContent = undefined;
    if (pending === 'start' && this.content) {
      const { transceiver } = this.content;
      this.contentActive = !this.rejectedMids.has(transceiver.mid ?? '') && SENDING.has(transceiver.currentDirection ?? '');
      this.contentPacketsSent = 0;
      this.contentPacketsDropped = 0;
      if (this.contentActive) {
        this.log.debug(`content: forwarding the camera into mid ${transceiver.mid}`);
        const main = this.mainVideo();
        if (main) requestKeyframe(main, 'content start', this.log, true);
      } else {
        this.log.warn(`content: the client did not accept the content m-line (${transceiver.currentDirection ?? 'no direction'})`);
      }
    }
  }

  /**
   * Starts "another participant's content": adds (or re-enables) a video
   * m-line whose sender will carry the caller's camera RTP, and returns the
   * complete re-offer. The codec must be negotiated on the camera m-line
   * (the packets are forwarded as they are). Forwarding starts with
   * acceptAnswer(); rollback() undoes the offer.
   */
  async createContentOffer(codecName: string): Promise<string> {
    if (this.closed) throw new Error('peer closed');
    const { main, codec } = this.contentSource(codecName);
    let state = this.content;
    if (!state || this.rejectedMids.has(state.transceiver.mid ?? '')) {
      const transceiver = this.pc.addTransceiver('video', { direction: 'sendonly' });
      // Our own mid namespace: never equal to a browser's numeric mids, even
      // if this offer is rolled back and the client later adds m-lines.
      transceiver.mid = `c${++this.contentMidSeq}`;
      state = this.adoptTransceiver(transceiver, true);
      this.content = state;
    }
    const { transceiver } = state;
    // Same payload type and header extension ids as the camera m-line: no
    // collision inside the BUNDLE group, and the forwarded packets fit as they are.
    transceiver.codecs = [cloneCodec(codec)];
    transceiver.headerExtensions = main.transceiver.headerExtensions.map((e) => new RTCRtpHeaderExtensionParameters({ id: e.id, uri: e.uri }));
    transceiver.setDirection(this.receivesOn(state) ? 'sendrecv' : 'sendonly');
    this.contentCodec = codec;
    this.pendingContent = 'start';
    return this.createReoffer();
  }

  /** Stops forwarding at once and returns the re-offer that sets the content m-line inactive (port 9, kept for reuse). */
  async createContentStopOffer(): Promise<string> {
    if (this.closed) throw new Error('peer closed');
    const state = this.content;
    if (!state) throw new ContentError('no content m-line');
    this.contentActive = false;
    state.transceiver.setDirection(this.receivesOn(state) ? 'recvonly' : 'inactive');
    this.pendingContent = 'stop';
    return this.createReoffer();
  }

  /** Stops forwarding camera RTP into the content m-line (the m-line stays until the next offer). */
  pauseContent(): void {
    this.contentActive = false;
  }

  /** Abandons our pending offer (the client declined it, or glare: it is sent again later). */
  async rollback(): Promise<void> {
    this.pendingContent = undefined;
    if (this.closed) return;
    if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
    this.forgetStaleContentIndex();
  }

  /** Throws ContentError when content in this codec cannot be played (no camera m-line, codec not negotiated on it). */
  checkContentCodec(codecName: string): void {
    this.contentSource(codecName);
  }

  /** The codec the camera m-line sends with (its first negotiated one), e.g. `VP8`. */
  cameraCodec(): string | undefined {
    return this.mainVideo()?.transceiver.codecs[0]?.name.toUpperCase();
  }

  private contentSource(codecName: string): { main: TransceiverState; codec: RTCRtpCodecParameters } {
    const main = this.mainVideo();
    if (!main) throw new ContentError('the call has no camera video m-line whose RTP could be forwarded');
    const mime = `video/${codecName}`.toLowerCase();
    const codec = main.transceiver.codecs.find((c) => c.mimeType.toLowerCase() === mime);
    if (!codec) {
      const negotiated = [...new Set(main.transceiver.codecs.map((c) => c.name.toUpperCase()))].join(', ');
      throw new ContentError(
        `${codecName} is not negotiated on the camera m-line (negotiated: ${negotiated || 'none'}); the content stream is the camera's RTP, forwarded without transcoding`,
      );
    }
    return { main, codec };
  }

  contentStatus(): ContentStatus {
    const mid = this.content?.transceiver.mid ?? undefined;
    return {
      active: this.contentActive,
      ...(mid ? { mid } : {}),
      ...(this.contentCodec ? { codec: this.contentCodec.name.toUpperCase() } : {}),
      packetsSent: this.contentPacketsSent,
      packetsDropped: this.contentPacketsDropped,
    };
  }

  /** Role of an m-line by mid (undefined when the peer has no transceiver for it). */
  roleOf(mid: string): MediaRole | undefined {
    for (const state of this.states.values()) if (state.transceiver.mid === mid) return state.role;
    return undefined;
  }

  private origin(): { version: number; sessionId?: string } {
    return { version: this.sessionVersion++, ...(this.sessionId ? { sessionId: this.sessionId } : {}) };
  }

  /** A re-offer from the current transceivers (server-initiated renegotiation), fixed up for Chromium. */
  private async createReoffer(): Promise<string> {
    for (const state of this.states.values()) {
      // werift would offer a rejected m-line again with its transceiver's
      // direction (reviving a mid the client stopped); keep it rejected.
      if (this.rejectedMids.has(state.transceiver.mid ?? '') && state !== this.content) state.transceiver.setDirection('inactive');
    }
    this.forgetStaleContentIndex();
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await waitForGathering(this.pc, this.options.iceGatheringTimeoutMs ?? 3000, this.log);
    this.refreshRoles();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    const contentMid = this.content?.transceiver.mid;
    const keepAlive = new Set(contentMid && !this.rejectedMids.has(contentMid) ? [contentMid] : []);
    return fixOfferSdp(sdp, this.origin(), keepAlive);
  }

  /**
   * werift finds transceivers by m-line index when it applies a local
   * description; a content transceiver whose offer was rolled back keeps the
   * index it was offered at, which a client m-line may take later. Forget it
   * until the content m-line is really negotiated.
   */
  private forgetStaleContentIndex(): void {
    if (this.content && !this.isNegotiated(this.content)) this.content.transceiver.mLineIndex = undefined;
  }

  /** True when the transceiver's m-line is part of the current local description. */
  private isNegotiated(state: TransceiverState): boolean {
    return parseOfferedMedia(this.pc.localDescription?.sdp ?? '').some((m) => m.mid === state.transceiver.mid);
  }

  /** Bookkeeping after a remote description: rejected m-lines and roles. */
  private noteRemoteDescription(sdp: string): void {
    this.rejectedMids = new Set(parseOfferedMedia(sdp).filter((m) => m.port === 0).map((m) => m.mid));
    this.refreshRoles();
  }

  /** Audio and the first (not rejected) client video m-line are main; later client video m-lines are presentations. */
  private refreshRoles(): void {
    const videos = [...this.states.values()]
      .filter((s) => s.transceiver.kind === 'video' && !s.isContent && s.transceiver.mLineIndex !== undefined && !this.rejectedMids.has(s.transceiver.mid ?? ''))
      .sort((a, b) => a.transceiver.mLineIndex! - b.transceiver.mLineIndex!);
    for (const state of this.states.values()) {
      state.role = state.isContent ? 'content' : state.transceiver.kind !== 'video' || state === videos[0] ? 'main' : 'presentation';
    }
  }

  private mainVideo(): TransceiverState | undefined {
    for (const state of this.states.values()) if (state.role === 'main' && state.transceiver.kind === 'video') return state;
    return undefined;
  }

  /**
   * True when the client sends on this m-line (we receive). werift also gives
   * never-negotiated transceivers a current direction when it applies an
   * answer, hence the check against the local description.
   */
  private receivesOn(state: TransceiverState): boolean {
    return RECEIVING.has(state.transceiver.currentDirection ?? '') && !this.rejectedMids.has(state.transceiver.mid ?? '') && this.isNegotiated(state);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.taps.clear();
    for (const unsubscribe of this.subscriptions.splice(0)) {
      try {
        unsubscribe();
      } catch {
        // ignore
      }
    }
    try {
      await this.pc.close();
    } catch (error) {
      this.log.debug(`peer close: ${errorMessage(error)}`);
    }
  }

  private reportFailed(reason: string): void {
    if (this.failedReported || this.closed) return;
    this.failedReported = true;
    this.options.onFailed?.(reason);
  }

  private adoptTransceiver(transceiver: RTCRtpTransceiver, isContent = false): TransceiverState {
    // Answer direction = our direction AND the reverse of the offered one,
    // so sendrecv here yields sendrecv/recvonly/sendonly/inactive as appropriate.
    if (!isContent) transceiver.setDirection('sendrecv');
    // werift bug workaround: addTransceiver() (also used for every m-line a
    // client adds) replaces any transceiver that is inactive and never sent,
    // of any kind, taking over its m-line index and mid. Mark ours as used.
    transceiver.usedForSender = true;
    const before = [...this.states.values()].filter((s) => s.isContent === isContent && s.transceiver.kind === transceiver.kind).length;
    nameSender(transceiver.sender, isContent ? 'content' : before === 0 ? 'main' : 'other', before);
    const state: TransceiverState = { transceiver, telephoneEventPts: new Set(), lastPliAt: 0, firstRtpSeen: false, role: isContent ? 'content' : 'main', isContent };
    this.states.set(transceiver, state);
    this.subscriptions.push(transceiver.onTrack.subscribe((track) => this.attachTrack(state, track)).unSubscribe);
    return state;
  }

  private attachTrack(state: TransceiverState, track: MediaStreamTrack): void {
    if (state.track === track) return;
    state.track = track;
    const { transceiver } = state;
    this.log.debug(`remote ${track.kind} track on mid ${transceiver.mid}`);
    this.subscriptions.push(
      track.onReceiveRtp.subscribe((rtp, extensions) => {
        try {
          this.onRtp(state, rtp, extensions);
        } catch (error) {
          this.log.debug(`rtp handling failed: ${errorMessage(error)}`);
        }
      }).unSubscribe,
    );
  }

  private onRtp(state: TransceiverState, rtp: RtpPacket, extensions?: Record<string, unknown>): void {
    if (this.closed) return;
    const { transceiver } = state;
    const mid = transceiver.mid ?? '?';
    const counters = this.counters(mid);
    counters.packetsReceived++;
    counters.bytesReceived += rtp.payload.length;
    if (isAudible(extensions)) counters.audiblePacketsReceived++;

    if (!state.firstRtpSeen) {
      state.firstRtpSeen = true;
      if (transceiver.kind === 'video') requestKeyframe(state, 'first packet', this.log);
    }

    const pt = rtp.header.payloadType;
    if (transceiver.kind === 'audio' && isTelephoneEvent(transceiver, pt)) {
      const digit = telephoneEventDigit(state, rtp);
      if (digit) this.options.onDtmf?.(digit);
      return;
    }
    if (state.role !== 'main') {
      // The client's screen (a presentation m-line, or our content m-line it
      // reused): counted, never echoed.
      this.options.onPresentationRtp?.(mid);
      return;
    }
    // Before the echo: it rewrites this packet's header in place.
    if (this.taps.size) {
      const codec = transceiver.codecs.find((c) => c.payloadType === pt);
      if (codec) for (const tap of this.taps) tap(transceiver.kind === 'video' ? 'video' : 'audio', RtpPacket.deSerialize(rtp.serialize()), codec);
    }
    if (this.contentActive && transceiver.kind === 'video') this.forwardToContent(state, rtp);
    const direction = transceiver.currentDirection ?? transceiver.direction;
    if (direction !== 'sendrecv' && direction !== 'sendonly') return;
    const codec = transceiver.codecs.find((c) => c.payloadType === pt)?.name ?? '';
    const echo = transceiver.kind === 'video' ? applyVideoMode(this.videoMode, codec, rtp) : rtp;
    if (!echo) return;
    // Let our sender write its own header extensions (mid, transport-cc) for this leg.
    echo.header.extensions = [];
    counters.packetsEchoed++;
    transceiver.sender.sendRtp(echo).catch((error: unknown) => this.log.debug(`echo send failed: ${errorMessage(error)}`));
  }

  /** Sends a copy of a camera packet on the content sender (same codec only: nothing is transcoded). */
  private forwardToContent(source: TransceiverState, rtp: RtpPacket): void {
    const content = this.content?.transceiver;
    if (!content || !SENDING.has(content.currentDirection ?? '')) return;
    const codec = source.transceiver.codecs.find((c) => c.payloadType === rtp.header.payloadType);
    if (!codec || codec.mimeType.toLowerCase() !== this.contentCodec?.mimeType.toLowerCase()) {
      this.contentPacketsDropped++;
      return;
    }
    const copy = RtpPacket.deSerialize(rtp.serialize());
    copy.header.extensions = [];
    this.contentPacketsSent++;
    content.sender.sendRtp(copy).catch((error: unknown) => this.log.debug(`content send failed: ${errorMessage(error)}`));
  }

  /** Subscribes once per DTLS transport to RTCP, to forward keyframe requests. */
  private watchRtcp(): void {
    for (const transceiver of this.pc.getTransceivers()) {
      const dtls = transceiver.dtlsTransport;
      if (!dtls || this.rtcpTransports.has(dtls)) continue;
      this.rtcpTransports.add(dtls);
      this.subscriptions.push(dtls.onRtcp.subscribe((packet) => this.onRtcp(packet)).unSubscribe);
    }
  }

  private onRtcp(packet: RtcpPacket): void {
    const request = keyframeRequest(packet);
    if (!request) return;
    const { targets, why } = request;
    for (const state of this.states.values()) {
      if (state.transceiver.kind !== 'video' || !targets.includes(state.transceiver.sender.ssrc)) continue;
      // The content sender carries the camera: ask the camera for the keyframe.
      const source = state.isContent ? this.mainVideo() : state;
      if (source) requestKeyframe(source, state.isContent ? `${why} on the content sender` : why, this.log);
    }
  }
}
