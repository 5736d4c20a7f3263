import type { RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import { hangUp } from './hang-up.js';
import { stopStream } from './media.js';
import type { CallDirection, CallEndReason, JoinOptions } from './types.js';

/** The last call id given out; ids are unique across clients on the page. */
let lastCallId = 0;

/** One call (outgoing or incoming) and everything it owns. */
export class Attempt {
  readonly id = ++lastCallId;
  aborted = false;
  session: RTCSession | undefined;
  peer: RTCPeerConnection | undefined;
  localStream: MediaStream | undefined;
  /** Remote tracks: `main` (the conference mix) or `content` (someone's presentation). */
  readonly remoteTracks = new Map<MediaStreamTrack, 'main' | 'content'>();
  readonly cleanups: Array<() => void> = [];
  /** Settles the join() or answer() waiting for this call (see {@link Attempt.settled}). */
  settle: ((error?: VinteoError) => void) | undefined;
  /** Increments with every INVITE of this call (redials): events of older sessions are ignored. */
  leg = 0;
  options: JoinOptions = {};
  /** Set while the call is being recovered after a lost connection. */
  recovery: { since: number; timer: ReturnType<typeof setTimeout> } | undefined;
  iceRestarts = 0;
  unwatchPeer: (() => void) | undefined;
  private markOver: (() => void) | undefined;
  /** Resolves when the call is over (left, failed, ended), so that waits in join() end with it. */
  readonly over = new Promise<void>((resolve) => {
    this.markOver = resolve;
  });

  constructor(
    readonly conference: string,
    readonly direction: CallDirection,
    /** Not registered: follows the connection until the INVITE goes out. */
    public guest: boolean,
  ) {}

  /** Runs `start` (which sends an INVITE or an answer) and waits until {@link Attempt.settle} is called. */
  settled(start: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.settle = (error) => {
        this.settle = undefined;
        if (error) reject(error);
        else resolve();
      };
      start();
    });
  }

  /** Ends the call's session, if it still runs (see {@link endSession}). Never throws. */
  endSession(response?: SessionResponse): void {
    endSession(this.session, response);
  }

  /** Ends a recovery (the call is back or over); returns how long the call was down, in ms. */
  endRecovery(): number {
    const recovery = this.recovery;
    if (!recovery) return 0;
    clearTimeout(recovery.timer);
    this.recovery = undefined;
    return Date.now() - recovery.since;
  }

  /** Stops watching the peer connection and forgets its remote tracks (the peer stays readable). */
  unwatch(): void {
    this.unwatchPeer?.();
    this.unwatchPeer = undefined;
    this.remoteTracks.clear();
  }

  dispose(): void {
    this.markOver?.();
    this.endRecovery();
    this.unwatch();
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch (error) {
        logger.debug('call cleanup threw', error);
      }
    }
    stopStream(this.localStream);
  }
}

/** A final response to a ringing incoming call (486 busy, 603 decline). */
export interface SessionResponse {
  readonly status_code: number;
  readonly reason_phrase: string;
}

/**
 * The one way a call ends a JsSIP session, whatever its state: hang-up, cancel, or a rejection of a
 * ringing call with `response` (see {@link hangUp} for the late 2xx JsSIP would leave behind).
 * Does nothing for a session already over. Never throws.
 */
export function endSession(session: RTCSession | undefined, response?: SessionResponse): void {
  if (!session || session.isEnded()) return;
  try {
    hangUp(session, response);
  } catch (error) {
    logger.debug('terminate threw', error);
  }
}

/** JsSIP causes that mean the connection, not the other side, ended the call. */
const LOST_CAUSES = new Set(['Connection Error', 'Request Timeout', 'RTP Timeout', 'Dialog Error', 'No ACK']);

/** Why an established call ended, from JsSIP's `ended` event. */
export function endReason(originator: string, cause: string): CallEndReason {
  if (LOST_CAUSES.has(cause)) return 'connection-lost';
  return originator === 'local' ? 'local-hangup' : 'remote-hangup';
}

/** The error for a call that failed before it was established, from JsSIP's `failed` cause. */
export function causeToError(cause: string, statusCode: number | undefined): VinteoError {
  switch (cause) {
    case 'Busy':
    case 'Rejected':
    case 'Not Found':
    case 'Unavailable':
    case 'Redirected':
    case 'Address Incomplete':
    case 'Authentication Error':
      return VinteoError.callRejected(cause, statusCode);
    case 'User Denied Media Access':
      return VinteoError.mediaPermissionDenied();
    case 'Connection Error':
    case 'Request Timeout':
      return VinteoError.connectionLost(cause);
    default:
      return VinteoError.callFailed(cause, statusCode);
  }
}
