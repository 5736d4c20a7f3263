/**
 * The media side of a call: a werift peer connection that answers the
 * caller's offer (or, for server-initiated calls, offers and takes the
 * callee's answer) and echoes every received RTP packet back on the same
 * transceiver, without decoding or re-encoding. Keyframe requests from the
 * caller's receiver (PLI/FIR on our sender SSRCs) are forwarded to the caller's
 * sender as PLI. RFC 4733 telephone-events are consumed (reported as DTMF),
 * not echoed.
 */
import {
  PictureLossIndication,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpPayloadSpecificFeedback,
  useSdesMid,
  type MediaStreamTrack,
  type RTCRtpTransceiver,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import type { Logger } from './log.js';
import { errorMessage } from './log.js';
import { fixAnswerSdp, setSessionVersion } from './sdp-info.js';

export interface MediaCounters {
  packetsReceived: number;
  bytesReceived: number;
  packetsEchoed: number;
}

export interface EchoPeerOptions {
  log: Logger;
  /** Loopback address used for ICE host candidates (the only address bound). */
  host: string;
  /** Called for each RFC 4733 telephone-event digit received. */
  onDtmf?: (digit: string) => void;
  /** Called once when ICE/DTLS fails or the connection is lost for good. */
  onFailed?: (reason: string) => void;
  iceGatheringTimeoutMs?: number;
}

const VIDEO_FEEDBACK = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb' },
  { type: 'transport-cc' },
];

/** Codecs the echo peer accepts; everything else in an offer is rejected by werift's negotiation. */
function echoCodecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return {
    audio: [
      new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, rtcpFeedback: [{ type: 'transport-cc' }], parameters: 'minptime=10;useinbandfec=1' }),
      new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1 }),
    ],
    video: [
      new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: VIDEO_FEEDBACK }),
      new RTCRtpCodecParameters({
        mimeType: 'video/H264',
        clockRate: 90000,
        rtcpFeedback: VIDEO_FEEDBACK,
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      }),
    ],
  };
}

const DTMF_EVENTS = '0123456789*#ABCD';
const PLI_MIN_INTERVAL_MS = 200;

interface TransceiverState {
  transceiver: RTCRtpTransceiver;
  track?: MediaStreamTrack;
  telephoneEventPts: Set<number>;
  lastDtmfTimestamp?: number;
  lastPliAt: number;
  firstRtpSeen: boolean;
}

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

  constructor(private readonly options: EchoPeerOptions) {
    this.log = options.log;
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [options.host],
      iceInterfaceAddresses: options.host.includes(':') ? { udp6: options.host } : { udp4: options.host },
      bundlePolicy: 'max-bundle',
      codecs: echoCodecs(),
      // transport-cc is deliberately not negotiated: werift's TWCC feedback makes
      // Chromium's send-side BWE collapse (target bitrate keeps falling); without
      // it Chromium uses loss-based estimation from our receiver reports and ramps up.
      headerExtensions: { audio: [useSdesMid()], video: [useSdesMid()] },
    });
    this.subscriptions.push(
      this.pc.onRemoteTransceiverAdded.subscribe((t) => this.adoptTransceiver(t)).unSubscribe,
      this.pc.connectionStateChange.subscribe((state) => {
        this.log.debug(`peer connection ${state}`);
        if (state === 'failed') this.reportFailed('ICE/DTLS failed');
      }).unSubscribe,
    );
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /** Per-mid RTP counters of what the caller sent (kept across renegotiations). */
  counters(mid: string): MediaCounters {
    let c = this.countersByMid.get(mid);
    if (!c) {
      c = { packetsReceived: 0, bytesReceived: 0, packetsEchoed: 0 };
      this.countersByMid.set(mid, c);
    }
    return c;
  }

  /**
   * Applies an offer (initial or re-offer: added/removed m-lines, ICE restart)
   * and returns the complete answer SDP with candidates.
   */
  async answer(offerSdp: string): Promise<string> {
    if (this.closed) throw new Error('peer closed');
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    await this.waitForGathering();
    this.resumeIceAfterRestart();
    this.watchRtcp();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return fixAnswerSdp(offerSdp, sdp, this.sessionVersion++);
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
    await this.waitForGathering();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return setSessionVersion(sdp, this.sessionVersion++);
  }

  /** Applies the callee's answer to our offer; echoing starts when its media arrives. */
  async acceptAnswer(answerSdp: string): Promise<void> {
    if (this.closed) throw new Error('peer closed');
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    this.watchRtcp();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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

  /**
   * werift bug workaround: after an ICE restart the ICE agent is reset, but
   * RTCPeerConnection.connect() skips transports whose DTLS is already
   * connected, so connectivity checks never run again and media stops.
   * Restart the checks ourselves (DTLS keeps its session).
   */
  private resumeIceAfterRestart(): void {
    for (const dtls of this.pc.dtlsTransports) {
      const ice = dtls.iceTransport;
      if (dtls.state !== 'connected' || ice.connection.nominated || ice.state === 'checking') continue;
      this.log.debug('ICE restart: running connectivity checks again');
      ice.start().catch((error: unknown) => {
        this.log.warn(`ICE restart failed: ${errorMessage(error)}`);
        this.reportFailed('ICE restart failed');
      });
    }
  }

  private reportFailed(reason: string): void {
    if (this.failedReported || this.closed) return;
    this.failedReported = true;
    this.options.onFailed?.(reason);
  }

  private async waitForGathering(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return;
    const timeoutMs = this.options.iceGatheringTimeoutMs ?? 3000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sub.unSubscribe();
        this.log.warn('ICE gathering did not complete in time; answering with the candidates gathered so far');
        resolve();
      }, timeoutMs);
      const sub = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          clearTimeout(timer);
          sub.unSubscribe();
          resolve();
        }
      });
      if (this.pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      }
    });
  }

  private adoptTransceiver(transceiver: RTCRtpTransceiver): void {
    // Answer direction = our direction AND the reverse of the offered one,
    // so sendrecv here yields sendrecv/recvonly/sendonly/inactive as appropriate.
    transceiver.setDirection('sendrecv');
    const state: TransceiverState = { transceiver, telephoneEventPts: new Set(), lastPliAt: 0, firstRtpSeen: false };
    this.states.set(transceiver, state);
    this.subscriptions.push(transceiver.onTrack.subscribe((track) => this.attachTrack(state, track)).unSubscribe);
  }

  private attachTrack(state: TransceiverState, track: MediaStreamTrack): void {
    if (state.track === track) return;
    state.track = track;
    const { transceiver } = state;
    this.log.debug(`remote ${track.kind} track on mid ${transceiver.mid}`);
    this.subscriptions.push(
      track.onReceiveRtp.subscribe((rtp) => {
        try {
          this.onRtp(state, rtp);
        } catch (error) {
          this.log.debug(`rtp handling failed: ${errorMessage(error)}`);
        }
      }).unSubscribe,
    );
  }

  private onRtp(state: TransceiverState, rtp: RtpPacket): void {
    if (this.closed) return;
    const { transceiver } = state;
    const mid = transceiver.mid ?? '?';
    const counters = this.counters(mid);
    counters.packetsReceived++;
    counters.bytesReceived += rtp.payload.length;

    if (!state.firstRtpSeen) {
      state.firstRtpSeen = true;
      if (transceiver.kind === 'video') this.requestKeyframe(state, 'first packet');
    }

    const pt = rtp.header.payloadType;
    if (transceiver.kind === 'audio' && this.isTelephoneEvent(transceiver, pt)) {
      this.onTelephoneEvent(state, rtp);
      return;
    }
    const direction = transceiver.currentDirection ?? transceiver.direction;
    if (direction !== 'sendrecv' && direction !== 'sendonly') return;
    // Let our sender write its own header extensions (mid, transport-cc) for this leg.
    rtp.header.extensions = [];
    counters.packetsEchoed++;
    transceiver.sender.sendRtp(rtp).catch((error: unknown) => this.log.debug(`echo send failed: ${errorMessage(error)}`));
  }

  private isTelephoneEvent(transceiver: RTCRtpTransceiver, pt: number): boolean {
    const codec = transceiver.codecs.find((c) => c.payloadType === pt);
    return !!codec && codec.mimeType.toLowerCase() === 'audio/telephone-event';
  }

  private onTelephoneEvent(state: TransceiverState, rtp: RtpPacket): void {
    const payload = rtp.payload;
    if (payload.length < 4) return;
    const event = payload[0]!;
    if (state.lastDtmfTimestamp === rtp.header.timestamp) return;
    state.lastDtmfTimestamp = rtp.header.timestamp;
    const digit = DTMF_EVENTS[event];
    if (digit) this.options.onDtmf?.(digit);
  }

  private requestKeyframe(state: TransceiverState, why: string): void {
    const ssrc = state.track?.ssrc;
    if (ssrc === undefined) return;
    const now = Date.now();
    if (now - state.lastPliAt < PLI_MIN_INTERVAL_MS) return;
    state.lastPliAt = now;
    this.log.debug(`PLI to caller ssrc ${ssrc} (mid ${state.transceiver.mid}, ${why})`);
    state.transceiver.receiver.sendRtcpPLI(ssrc).catch(() => {});
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
    if (packet.type !== RtcpPayloadSpecificFeedback.type) return;
    const feedback = (packet as RtcpPayloadSpecificFeedback).feedback as
      | (PictureLossIndication & { fir?: undefined })
      | { count: number; mediaSsrc: number; fir?: Array<{ ssrc: number }> }
      | undefined;
    if (!feedback) return;
    let targets: number[] = [];
    if (feedback.count === PictureLossIndication.count) targets = [feedback.mediaSsrc];
    else if (feedback.count === 4 && Array.isArray(feedback.fir)) targets = feedback.fir.map((f) => f.ssrc);
    else return;
    for (const state of this.states.values()) {
      if (state.transceiver.kind === 'video' && targets.includes(state.transceiver.sender.ssrc)) {
        this.requestKeyframe(state, feedback.count === 4 ? 'FIR from caller' : 'PLI from caller');
      }
    }
  }
}
