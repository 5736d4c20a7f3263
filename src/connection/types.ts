import type { VinteoError, VinteoErrorInfo } from '../errors.js';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'registered' | 'reconnecting' | 'failed';

/** Errors no retry can fix. */
export const TERMINAL_REASONS: ReadonlySet<string> = new Set(['authentication-failed', 'invalid-config']);

export interface ConnectionSnapshot {
  readonly state: ConnectionState;
  /** The SIP user in use (a random number for guests); undefined while disconnected. */
  readonly user: string | undefined;
  readonly registered: boolean;
  /** The display name the conference sees (the options', or the credentials'); undefined while disconnected or without one. */
  readonly displayName: string | undefined;
  readonly error: VinteoErrorInfo | undefined;
}

export const initialConnectionSnapshot: ConnectionSnapshot = {
  state: 'disconnected',
  user: undefined,
  registered: false,
  displayName: undefined,
  error: undefined,
};

export interface ConnectionEvents {
  'connection:state': { state: ConnectionState; previous: ConnectionState; error?: VinteoError };
  'connection:registered': { user: string };
  /**
   * Discovery (`/api/v1/address`) ran before a connect with `server`: the SIP domain and how many ICE
   * servers it gave, the User-Agent style, and why it fell back, if it did. Never their credentials.
   */
  'connection:discovered': { sipDomain: string; iceServers: number; unified: boolean; remoteAddress: boolean; fallback?: string };
  /** The connection was lost after having been up (socket closed, or two OPTIONS pings in a row failed). */
  'connection:lost': { code?: number; reason: string };
}
