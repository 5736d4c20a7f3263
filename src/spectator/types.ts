import type { LegQuality } from './quality.js';

export type { LegQuality } from './quality.js';

/** The receive-only leg of a spectator with an audio id (protocol §6). */
export interface LegSnapshot {
  /** `opening` (POST under way, or waiting for the in-room state), `open` (connected), `failed`. */
  readonly state: 'opening' | 'open' | 'failed';
  readonly quality: LegQuality;
  /** True once an audio and a video track arrived on it. */
  readonly started: boolean;
  /** The main audio+video (msid stream id `default`). */
  readonly remoteStream: MediaStream | undefined;
  /** The content (msid stream id `content_{codec}`), while the server says content is available. */
  readonly contentStream: MediaStream | undefined;
}

export interface SpectatorEvents {
  /** The receive leg changed: opening, open, closed (`state: 'closed'`) or failed. No token, no audio id. */
  'spectator:leg': { state: 'opening' | 'open' | 'closed' | 'failed'; quality: LegQuality; reason?: string };
}
