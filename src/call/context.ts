import type { RTCSession } from '@krivega/jssip';
import type { SipUserAgent } from '../connection/transport.js';
import type { Emit } from '../emitter.js';
import type { VinteoError } from '../errors.js';
import type { AsyncQueue } from '../queue.js';
import type { Attempt } from './attempt.js';
import type { FastIce } from './fast-ice.js';
import type { MediaProvider } from './media-provider.js';
import type { ReceivedInfoMessage } from '../protocol/route.js';
import type { CallEndReason, CallEvents, CallSnapshot, CallState, JoinOptions } from './types.js';

/** What the call service needs from outside (the coordinator builds it). */
export interface CallDeps {
  readonly userAgent: () => SipUserAgent | undefined;
  readonly sipDomain: () => string;
  readonly registered: () => boolean;
  readonly media: MediaProvider;
  readonly pcConfig: () => RTCConfiguration;
  /** `X-Vinteo-Remote` for the INVITE: the client's public address from discovery, if any. */
  readonly remoteAddress?: () => string | undefined;
  /** Serializes renegotiations with the connection's other operations. */
  readonly queue: AsyncQueue;
  /**
   * When the INVITE (or answer) goes out: at the first usable ICE candidate, or once gathering
   * completes (see {@link FastIce}).
   */
  readonly fastIce: () => FastIce;
  /** Whether a call survives a lost connection (redial), and for how long it may try (ms). */
  /** Whether a lost call is redialled, for how long, and what keeps it from arming now (a spectator with an audio id, protocol §6). */
  readonly recovery: () => { enabled: boolean; timeoutMs: number; blocked?: string | undefined };
  /** The local SIP user (a registered user's, or the guest's random id): the `roomname` INFO names it. */
  readonly localUser: () => string;
  /**
   * Every INFO the server sends in the call, as it came (secrets included: only the services that
   * keep them see this); the `call:info` event carries it with the secrets masked.
   */
  readonly receivedInfo: (message: ReceivedInfoMessage) => void;
  readonly update: (next: CallSnapshot) => void;
  readonly emit: Emit<CallEvents>;
}

/** The call service's state as its parts (recovery, renegotiation) see it. */
export interface CallContext {
  readonly deps: CallDeps;
  /** The current call, if any. */
  readonly attempt: Attempt | undefined;
  readonly state: CallState;
  /** A call is being set up, rings or runs. */
  readonly busy: boolean;
  /** The established session (not while recovering). */
  readonly session: RTCSession | undefined;
  readonly snapshot: CallSnapshot;
  publish(patch: Partial<CallSnapshot>): void;
  transition(to: CallState): void;
  /** Tells the server the microphone and camera settings (a `mediastate` INFO), in a call. */
  sendMediaState(): void;
  /** The call was confirmed (first time or redial): the `roomname` INFO, and a fresh start for stream health. */
  confirmed(attempt: Attempt): void;
  /** Re-applies the user's microphone and camera settings to the local tracks. */
  applyMute(attempt: Attempt | undefined): void;
  /** Ends the call (see CallService). */
  finish(attempt: Attempt, outcome: CallEndReason | VinteoError): void;
  /** Sends an INVITE for `attempt` (a new leg) and waits for it to be answered. */
  invite(attempt: Attempt, options: JoinOptions, media: MediaStream | undefined): Promise<void>;
}
