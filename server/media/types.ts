/**
 * The media side's types: m-line roles, the counters and content status the
 * control API shows, the echo peer's options, ContentError, and what the
 * peer keeps per transceiver.
 */
import type { MediaStreamTrack, RTCRtpTransceiver } from 'werift';
import type { Logger } from '../log.js';

/**
 * Roles of the m-lines: audio m-lines and the first video m-line are `main`
 * (echoed); later video m-lines from the client are `presentation` (its
 * screen: counted, never echoed); a video m-line the server added itself is
 * `content` ("another participant's presentation"): its sender carries the
 * caller's own camera RTP, forwarded without decoding, after a
 * server-initiated re-offer (createContentOffer / createContentStopOffer).
 */
export type MediaRole = 'main' | 'presentation' | 'content';

/** The server's content sender (another participant's presentation played into this call). */
export interface ContentStatus {
  /** Forwarding the caller's camera RTP into the content m-line. */
  active: boolean;
  mid?: string;
  /** Encoding name of the content m-line (the camera's codec), e.g. `VP8`. */
  codec?: string;
  /** RTP packets forwarded since the last start. */
  packetsSent: number;
  /** Camera packets not forwarded because they use another codec than the content m-line. */
  packetsDropped: number;
}

/** Content cannot be started or stopped in the current state (no camera m-line, codec not negotiated …). */
export class ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentError';
  }
}

export interface MediaCounters {
  packetsReceived: number;
  bytesReceived: number;
  packetsEchoed: number;
  /**
   * Audio packets whose RFC 6464 audio level says they carry sound (any level above digital silence,
   * −127 dBov). A muted (disabled) microphone still sends packets, all at −127 dBov.
   */
  audiblePacketsReceived: number;
}

export interface EchoPeerOptions {
  log: Logger;
  /** Loopback address used for ICE host candidates (the only address bound). */
  host: string;
  /** Called for each RFC 4733 telephone-event digit received. */
  onDtmf?: (digit: string) => void;
  /** Called once when ICE/DTLS fails or the connection is lost for good. */
  onFailed?: (reason: string) => void;
  /** Called for each RTP packet the client sends on a presentation m-line (not echoed). */
  onPresentationRtp?: (mid: string) => void;
  iceGatheringTimeoutMs?: number;
}

/** What the echo peer keeps per transceiver. */
export interface TransceiverState {
  transceiver: RTCRtpTransceiver;
  track?: MediaStreamTrack;
  telephoneEventPts: Set<number>;
  lastDtmfTimestamp?: number;
  lastPliAt: number;
  firstRtpSeen: boolean;
  role: MediaRole;
  /** Added by the server (content sender), not negotiated from a client m-line. */
  isContent: boolean;
}

/** Transceiver directions in which we send / receive. */
export const SENDING = new Set(['sendonly', 'sendrecv']);
export const RECEIVING = new Set(['recvonly', 'sendrecv']);
