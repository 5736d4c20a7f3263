/**
 * A spectator's receive-only leg, media side (protocol §6, §14.8): a werift
 * peer that answers the client's offer (audio recvonly, then video recvonly
 * ×4) ICE-lite style, with its host candidates in the answer and peer-reflexive
 * candidates accepted, and sends under msid stream id `default` the main
 * audio+video RTP another participant's call sends the server (forwarded as
 * it is: nothing is decoded or re-encoded).
 */
import { RTCPeerConnection, useAudioLevelIndication, useSdesMid, type RTCRtpCodecParameters, type RTCRtpTransceiver, type RtpPacket } from 'werift';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { echoCodecs } from '../media/codecs.js';
import type { EchoPeer } from '../media/echo-peer.js';
import { waitForGathering } from '../media/ice.js';
import { keyframeRequest } from '../media/rtp.js';
import { fixAnswerSdp } from '../sdp-info.js';

export interface LegPeerCounters {
  audioPacketsSent: number;
  videoPacketsSent: number;
  /** Source packets of a codec the leg did not negotiate (not forwarded). */
  packetsDropped: number;
}

export class LegPeer {
  private readonly pc: RTCPeerConnection;
  private audio?: RTCRtpTransceiver;
  private video?: RTCRtpTransceiver;
  private untap?: () => void;
  private closed = false;
  readonly counters: LegPeerCounters = { audioPacketsSent: 0, videoPacketsSent: 0, packetsDropped: 0 };

  /**
   * `source` is the call whose main RTP this leg carries; its camera codec is the only video codec
   * the leg accepts, so that the packets fit as they are.
   */
  constructor(
    private readonly source: EchoPeer,
    private readonly options: { host: string; log: Logger; iceGatheringTimeoutMs?: number },
  ) {
    const codecs = echoCodecs();
    const camera = source.cameraCodec();
    const video = camera ? codecs.video.filter((c) => c.name.toUpperCase() === camera) : codecs.video;
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [options.host],
      iceInterfaceAddresses: options.host.includes(':') ? { udp6: options.host } : { udp4: options.host },
      bundlePolicy: 'max-bundle',
      codecs: { audio: codecs.audio, video: video.length ? video : codecs.video },
      headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()], video: [useSdesMid()] },
    });
    this.pc.connectionStateChange.subscribe((state) => {
      options.log.debug(`leg peer connection ${state}`);
      if (state === 'connected') source.requestMainKeyframe('spectator leg connected');
    });
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /** Applies the client's offer and returns the complete answer (with candidates). */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    for (const transceiver of this.pc.getTransceivers()) {
      const first = transceiver.kind === 'audio' ? !this.audio : !this.video;
      // The first audio and the first video carry the main stream; the content m-lines stay unused.
      transceiver.setDirection(first ? 'sendonly' : 'inactive');
      if (!first) continue;
      transceiver.sender.streamId = 'default';
      if (transceiver.kind === 'audio') this.audio = transceiver;
      else this.video = transceiver;
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

  /** A keyframe request from the spectator's receiver goes to the source's camera. */
  private watchRtcp(): void {
    const dtls = this.video?.dtlsTransport;
    dtls?.onRtcp.subscribe((packet) => {
      if (keyframeRequest(packet)) this.source.requestMainKeyframe('keyframe request from a spectator');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.untap?.();
    try {
      await this.pc.close();
    } catch (error) {
      this.options.log.debug(`leg peer close: ${errorMessage(error)}`);
    }
  }
}
