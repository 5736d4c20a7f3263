/** The typed view of `RTCPeerConnection.getStats()` that the stats service publishes. */

export type MediaKind = 'audio' | 'video';
export type StreamDirection = 'inbound' | 'outbound';

/**
 * One RTP stream (an `inbound-rtp` or an `outbound-rtp` entry, with what the remote side reported
 * about it). Times are in milliseconds, bitrates in bits per second. A field the browser did not
 * report is `undefined`, never a guess.
 */
export interface RtpStreamStats {
  /** The stats id (`inbound-rtp` / `outbound-rtp`). */
  readonly id: string;
  readonly kind: MediaKind;
  readonly direction: StreamDirection;
  readonly ssrc: number | undefined;
  /** The SDP media id (`0`, `1`, …). */
  readonly mid: string | undefined;
  /** The local track: `trackIdentifier` of an inbound stream, or of the media source an outbound stream sends. */
  readonly trackIdentifier: string | undefined;
  /** Packets received (inbound) or sent (outbound), since the stream started. */
  readonly packets: number;
  /** Payload bytes received (inbound) or sent (outbound), since the stream started. */
  readonly bytes: number;
  /** From the byte delta since the previous collection; `undefined` on the first one and after a counter reset. */
  readonly bitrate: number | undefined;
  /** Packets lost: counted by this receiver (inbound), or as the remote side reported (outbound, RTCP). */
  readonly packetsLost: number | undefined;
  /** Loss in % over the last interval (inbound), or the remote side's last reported fraction lost (outbound). */
  readonly lossPercent: number | undefined;
  /** Interarrival jitter: measured here (inbound) or reported by the remote side (outbound). */
  readonly jitterMs: number | undefined;
  /** Round-trip time reported over RTCP for an outbound stream. */
  readonly roundTripTimeMs: number | undefined;
  /** Video: frames per second decoded (inbound) or encoded (outbound). */
  readonly framesPerSecond: number | undefined;
  /** Video: the frame size received or sent. */
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** The codec's MIME type, e.g. `video/VP8`, `audio/opus`. */
  readonly codec: string | undefined;
  readonly nackCount: number | undefined;
  readonly pliCount: number | undefined;
  readonly firCount: number | undefined;
  /** Inbound video: frames dropped before decoding. */
  readonly framesDropped: number | undefined;
  /** Inbound video: complete frames received, since the stream started. */
  readonly framesReceived: number | undefined;
  /** Inbound video: frames decoded, since the stream started. */
  readonly framesDecoded: number | undefined;
  /** Outbound video: what limits the encoder (`none`, `bandwidth`, `cpu`, `other`). */
  readonly qualityLimitationReason: string | undefined;
}

/** The ICE candidate pair in use. */
export interface CandidatePairStats {
  readonly id: string;
  readonly state: string | undefined;
  readonly roundTripTimeMs: number | undefined;
  /** `host`, `srflx`, `prflx` or `relay`. */
  readonly localCandidateType: string | undefined;
  readonly remoteCandidateType: string | undefined;
  /** `udp` or `tcp` (of the local candidate). */
  readonly protocol: string | undefined;
  /** The browser's estimate of the bandwidth it may send with. */
  readonly availableOutgoingBitrate: number | undefined;
  /** The browser's receive-side estimate, when it reports one (Chromium only once it has an estimate). */
  readonly availableIncomingBitrate: number | undefined;
  readonly bytesSent: number | undefined;
  readonly bytesReceived: number | undefined;
}

/** The ICE/DTLS transport. */
export interface TransportStats {
  readonly id: string;
  readonly iceState: string | undefined;
  readonly dtlsState: string | undefined;
  readonly iceRole: string | undefined;
  readonly dtlsRole: string | undefined;
  readonly tlsVersion: string | undefined;
  readonly dtlsCipher: string | undefined;
  readonly srtpCipher: string | undefined;
  readonly selectedCandidatePairChanges: number | undefined;
  readonly bytesSent: number | undefined;
  readonly bytesReceived: number | undefined;
}

/** One collection, parsed. */
export interface CallStats {
  /** When the browser took the report (ms since the epoch). */
  readonly timestamp: number;
  /** The main received streams (the first by media id; a presentation is another stream in `streams`). */
  readonly inbound: { readonly audio: RtpStreamStats | undefined; readonly video: RtpStreamStats | undefined };
  /** The sent microphone and camera (the camera is found by its track when the service knows it). */
  readonly outbound: { readonly audio: RtpStreamStats | undefined; readonly video: RtpStreamStats | undefined };
  /** Every RTP stream, inbound first, each ordered by media id. */
  readonly streams: readonly RtpStreamStats[];
  readonly candidatePair: CandidatePairStats | undefined;
  readonly transport: TransportStats | undefined;
  /** Sum of the outbound streams' bitrates. */
  readonly sendBitrate: number | undefined;
  /** Sum of the inbound streams' bitrates. */
  readonly receiveBitrate: number | undefined;
  /**
   * What the `stats` INFO reports: the candidate pair's `availableIncomingBitrate`, `undefined` where
   * the browser gives none (Chromium, until it has a receive-side estimate).
   */
  readonly availableIncomingBitrate: number | undefined;
}

/** One point of the charts' history. */
export interface StatsSample {
  readonly timestamp: number;
  readonly sendBitrate: number | undefined;
  readonly receiveBitrate: number | undefined;
  /** Highest loss the remote side reported about what we send. */
  readonly sendLossPercent: number | undefined;
  /** Highest loss over the last interval of what we receive. */
  readonly receiveLossPercent: number | undefined;
  /** Highest jitter of the received streams. */
  readonly jitterMs: number | undefined;
  readonly roundTripTimeMs: number | undefined;
  readonly sendFramesPerSecond: number | undefined;
  readonly receiveFramesPerSecond: number | undefined;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

export type QualityReasonCode =
  | 'receive-loss'
  | 'send-loss'
  | 'round-trip-time'
  | 'jitter'
  | 'frame-rate'
  | 'send-limited'
  | 'no-incoming-media';

export interface QualityReason {
  readonly code: QualityReasonCode;
  readonly level: Exclude<QualityLevel, 'good'>;
  /** The measured value (%, ms or fps), when there is one. */
  readonly value?: number;
  /** For `send-limited`: `bandwidth`, `cpu` or `other`. */
  readonly detail?: string;
}

/** The quality badge: the worst level of the reasons, worst first. */
export interface QualityAssessment {
  readonly level: QualityLevel;
  readonly reasons: readonly QualityReason[];
}

/** The `stats` slice of the client snapshot. */
export interface StatsSnapshot {
  /** True while a call runs and stats are collected. */
  readonly collecting: boolean;
  /** The interval in use: the configured one, stretched 2×/3×/4× after a slow collection. */
  readonly intervalMs: number;
  readonly latest: CallStats | undefined;
  /** The samples of the last 60 s, oldest first. */
  readonly history: readonly StatsSample[];
  readonly quality: QualityAssessment | undefined;
}

export const initialStatsSnapshot: StatsSnapshot = {
  collecting: false,
  intervalMs: 1000,
  latest: undefined,
  history: [],
  quality: undefined,
};

export interface StatsEvents {
  /** One collection, parsed; `durationMs` is how long `getStats()` took, `intervalMs` the next interval. */
  'stats:collected': { stats: CallStats; quality: QualityAssessment; durationMs: number; intervalMs: number };
  /**
   * The `stats` INFO went to the server (answered 2xx): the available incoming bitrate moved by 25 %
   * or more between two samples, or rose from 0.
   */
  'stats:info-sent': { availableIncomingBitrate: number };
}
