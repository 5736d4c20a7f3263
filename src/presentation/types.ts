import type { VinteoError, VinteoErrorInfo } from '../errors.js';
import type { ContentCodec, Resolution } from '../protocol/info.js';

export type PresentationState = 'idle' | 'starting' | 'active' | 'updating' | 'stopping' | 'failed';
/** `none` leaves the track's own hint alone. */
export type ContentHint = 'detail' | 'text' | 'motion' | 'none';
/** Why a presentation ended. */
export type PresentationEndReason = 'user' | 'browser' | 'server' | 'role' | 'call-ended' | 'cancelled';

export interface PresentationOptions {
  /** Cap on the sent bitrate, bps (applied to every encoding); the 1 Mbps cap always applies, a lower value wins. */
  maxBitrate?: number;
  /** `detail` (default), `text` or `motion`: how the browser trades sharpness for smoothness; `none` leaves the track alone. */
  contentHint?: ContentHint;
  degradationPreference?: RTCDegradationPreference;
  /** Largest capture size; the screen is scaled down to fit. */
  maxResolution?: Resolution;
  /** Simulcast/SVC layers for the presentation sender. */
  sendEncodings?: RTCRtpEncodingParameters[];
  /** Share this stream instead of asking the browser (a canvas, a camera…). */
  stream?: MediaStream;
  /** How many times a refused start is tried (default: the client's `presentationAttempts`, 1). */
  attempts?: number;
}

export interface PresentationSnapshot {
  readonly state: PresentationState;
  /** The screen this client shares (for a preview). */
  readonly localStream: MediaStream | undefined;
  /** Someone else's presentation is available (YOUCANRECEIVECONTENT until CONTENTEND). */
  readonly contentAvailable: boolean;
  readonly contentCodec: ContentCodec | undefined;
  readonly endReason: PresentationEndReason | undefined;
  readonly error: VinteoErrorInfo | undefined;
}

export const initialPresentationSnapshot: PresentationSnapshot = {
  state: 'idle',
  localStream: undefined,
  contentAvailable: false,
  contentCodec: undefined,
  endReason: undefined,
  error: undefined,
};

export interface PresentationEvents {
  'presentation:state': { state: PresentationState; previous: PresentationState };
  'presentation:start': Record<string, never>;
  'presentation:started': { contentHint: ContentHint };
  'presentation:ended': { reason: PresentationEndReason };
  'presentation:failed': { error: VinteoError };
  'presentation:must-stop': Record<string, never>;
  'presentation:content': { available: boolean; codec?: ContentCodec };
}

/** Where screens come from; swapped for a canvas in tests. */
export interface DisplayMediaProvider {
  getDisplayMedia(constraints: DisplayMediaStreamOptions): Promise<MediaStream>;
}
