/**
 * A spectator's receive-only leg, media side (protocol §6, §14.8): a werift
 * peer that answers the client's offer (audio recvonly, then video recvonly
 * ×4) ICE-lite style, with its host candidates in the answer and peer-reflexive
 * candidates accepted. It sends under msid stream id `default` the main
 * audio+video RTP another participant's call sends the server, and on the
 * second video m-line (declared `sendonly` from the start, msid stream id
 * `content_{codec}`: the leg has no signalling after its POST) the
 * conference's content while it plays: the camera RTP of the call the server
 * plays content in (calls/content.ts), forwarded the same way. Nothing is
 * decoded or re-encoded; werift's senders rewrite SSRC and payload type, and
 * each new content source continues the content SSRC's sequence numbers and
 * timestamps. Keyframe requests go to the camera the requested SSRC carries.
 */
import { RTCPeerConnection, type RTCRtpCodecParameters, type RTCRtpTransceiver, type RtpPacket } from 'werift';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { echoCodecs, loopbackPeerConfig } from '../media/codecs.js';
import type { EchoPeer } from '../media/echo-peer.js';
import { waitForGathering } from '../media/ice.js';
import { keyframeRequest } from '../media/rtp.js';
import { fixAnswerSdp } from '../sdp-info.js';

export interface LegPeerCounters {
  audioPacketsSent: number;
  videoPacketsSent: number;
  /** Content RTP packets sent on the content m-line (all content sources together). */
  contentPacketsSent: number;
  /** Source packets of a codec the leg did not negotiate (not forwarded), main and content. */
  packetsDropped: number;
}

/** The msid stream id of the leg's content m-line for a codec, e.g. `content_vp8` (protocol §6). */
export function contentStreamId(codec: string): string {
  return `content_${codec.toLowerCase()}`;
}

export class LegPeer {
  private readonly pc: RTCPeerConnection;
  private audio?: RTCRtpTransceiver;
  private video?: RTCRtpTransceiver;
  /** The second video m-line: the conference's content. */
  private content?: RTCRtpTransceiver;
  private untap?: () => void;
  /** The call whose camera plays as content now, and its tap. */
  private contentSource?: { peer: EchoPeer; untap: () => void; fresh: boolean; seqOffset: number; timestampOffset: number };
  /** Sequence number and timestamp of the last content packet sent (werift's sender adds no offsets of its own). */
  private contentLast?: { seq: number; timestamp: number };
  private closed = false;
  readonly counters: LegPeerCounters = { audioPacketsSent: 0, videoPacketsSent: 0, contentPacketsSent: 0, packetsDropped: 0 };

  /**
   * `source` is the call whose main RTP this leg carries; its camera codec is the only video codec
   * the leg accepts (main and content), so that the packets fit as they are.
   */
  constructor(
    private readonly source: EchoPeer,
    private readonly options: { host: string; log: Logger; iceGatheringTimeoutMs?: number },
  ) {
    const codecs = echoCodecs();
    const camera = source.cameraCodec();
    const video = camera ? codecs.video.filter((c) => c.name.toUpperCase() === camera) : codecs.video;
    this.pc = new RTCPeerConnection(loopbackPeerConfig(options.host, { audio: codecs.audio, video: video.length ? video : codecs.video }));
    this.pc.connectionStateChange.subscribe((state) => {
      options.log.debug(`leg peer connection ${state}`);
      if (state !== 'connected') return;
      source.requestMainKeyframe('spectator leg connected');
      this.contentSource?.peer.requestMainKeyframe('spectator leg connected (content)');
    });
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /** The content m-line's codec (e.g. `VP8`), once answered with one. */
  get contentCodec(): string | undefined {
    return this.content?.codecs[0]?.name.toUpperCase();
  }

  /** Applies the client's offer and returns the complete answer (with candidates). */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.kind === 'audio' && !this.audio) {
        this.audio = this.sendOn(transceiver, 'default');
      } else if (transceiver.kind === 'video' && !this.video) {
        this.video = this.sendOn(transceiver, 'default');
      } else if (transceiver.kind === 'video' && !this.content && transceiver.codecs.length) {
        // The first video m-line after the main one carries the content: sendonly from the start,
        // whether or not content plays now, so that the msid is in the answer.
        const codec = transceiver.codecs[0]!.name;
        this.content = this.sendOn(transceiver, contentStreamId(codec));
        // werift's trackId is typed readonly but is a plain field; it becomes the msid track id (`dual`: content, §8).
        (transceiver.sender as { trackId: string }).trackId = `${contentStreamId(codec)}-dual`;
      } else {
        // The other content m-lines stay unused.
        transceiver.setDirection('inactive');
      }
    }
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    await waitForGathering(this.pc, this.options.iceGatheringTimeoutMs ?? 3000, this.options.log);
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    this.watchRtcp();
    this.untap = this.source.tapMain((kind, rtp, codec) => this.forward(kind, rtp, codec));
    return fixAnswerSdp(offerSdp, sdp, 0);
  }

  /**
   * The call whose camera plays as the conference's content (undefined: none plays): its video RTP
   * is forwarded on the content m-line from now on, and its camera asked for a keyframe.
   */
  setContent(peer: EchoPeer | undefined): void {
    if (this.closed || peer === this.contentSource?.peer) return;
    this.contentSource?.untap();
    this.contentSource = undefined;
    if (!peer || !this.content) {
      this.options.log.debug('leg content: none plays');
      return;
    }
    const untap = peer.tapMain((kind, rtp, codec) => {
      if (kind === 'video') this.forwardContent(rtp, codec);
    });
    this.contentSource = { peer, untap, fresh: true, seqOffset: 0, timestampOffset: 0 };
    this.options.log.debug(`leg content: forwarding into mid ${this.content.mid} as ${this.content.sender.streamId}`);
    // Forced: the content start's own keyframe (calls/content.ts) may have gone by just before.
    peer.requestMainKeyframe('content on a spectator leg', true);
  }

  private sendOn(transceiver: RTCRtpTransceiver, streamId: string): RTCRtpTransceiver {
    transceiver.setDirection('sendonly');
    transceiver.sender.streamId = streamId;
    return transceiver;
  }

  private forward(kind: 'audio' | 'video', rtp: RtpPacket, codec: RTCRtpCodecParameters): void {
    if (this.closed) return;
    const transceiver = kind === 'audio' ? this.audio : this.video;
    const sender = transceiver?.sender;
    if (!sender?.codec) return;
    if (sender.codec.mimeType.toLowerCase() !== codec.mimeType.toLowerCase()) {
      this.counters.packetsDropped++;
      return;
    }
    rtp.header.extensions = [];
    if (kind === 'audio') this.counters.audioPacketsSent++;
    else this.counters.videoPacketsSent++;
    sender.sendRtp(rtp).catch((error: unknown) => this.options.log.debug(`leg send failed: ${errorMessage(error)}`));
  }

  private forwardContent(rtp: RtpPacket, codec: RTCRtpCodecParameters): void {
    const source = this.contentSource;
    const sender = this.content?.sender;
    if (this.closed || !source || !sender?.codec) return;
    if (sender.codec.mimeType.toLowerCase() !== codec.mimeType.toLowerCase()) {
      this.counters.packetsDropped++;
      return;
    }
    const { header } = rtp;
    if (source.fresh) {
      // A new source (or the same one again): continue the content SSRC's sequence numbers and
      // timestamps (one frame, 1/30 s at 90 kHz, after the last) instead of jumping to the camera's.
      source.fresh = false;
      const last = this.contentLast;
      source.seqOffset = last ? (last.seq + 1 - header.sequenceNumber) & 0xffff : 0;
      source.timestampOffset = last ? (last.timestamp + 3000 - header.timestamp) >>> 0 : 0;
    }
    header.sequenceNumber = (header.sequenceNumber + source.seqOffset) & 0xffff;
    header.timestamp = (header.timestamp + source.timestampOffset) >>> 0;
    this.contentLast = { seq: header.sequenceNumber, timestamp: header.timestamp };
    header.extensions = [];
    this.counters.contentPacketsSent++;
    sender.sendRtp(rtp).catch((error: unknown) => this.options.log.debug(`leg content send failed: ${errorMessage(error)}`));
  }

  /** A keyframe request from the spectator's receiver goes to the camera behind the SSRC it names. */
  private watchRtcp(): void {
    const dtls = this.video?.dtlsTransport;
    dtls?.onRtcp.subscribe((packet) => {
      const request = keyframeRequest(packet);
      if (!request) return;
      const content = this.content?.sender.ssrc;
      if (content !== undefined && request.targets.includes(content)) {
        this.contentSource?.peer.requestMainKeyframe('keyframe request from a spectator on the content');
      } else {
        this.source.requestMainKeyframe('keyframe request from a spectator');
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.untap?.();
    this.contentSource?.untap();
    this.contentSource = undefined;
    try {
      await this.pc.close();
    } catch (error) {
      this.options.log.debug(`leg peer close: ${errorMessage(error)}`);
    }
  }
}
