import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import { safeDelay } from '../timing.js';
import { endSession, type Attempt } from './attempt.js';
import type { CallContext } from './context.js';
import type { Renegotiation } from './renegotiation.js';

/**
 * Keeps a call through a lost connection or failed media: an established outgoing call waits for the
 * connection (then redials the same conference, keeping camera, microphone and their settings), and
 * failed media first tries ICE restarts.
 */
export class CallRecovery {
  constructor(
    private readonly call: CallContext,
    private readonly renegotiation: Renegotiation,
  ) {}

  /**
   * The signalling connection went away under a call. An established outgoing call waits for the
   * connection to come back (then redials the same conference, keeping camera, microphone and their
   * settings) for up to the recovery timeout; anything else ends now.
   */
  connectionLost(reason = 'the connection was lost'): void {
    const { call } = this;
    const attempt = call.attempt;
    if (!attempt || !call.busy) return;
    const state = call.state;
    const recovery = call.deps.recovery();
    if (state === 'in-call' && recovery.blocked) logger.warn(`the call is not redialled: ${recovery.blocked}`);
    if (state === 'in-call' && attempt.direction === 'outgoing' && recovery.enabled && !recovery.blocked) {
      if (attempt.recovery) return;
      this.dropLeg(attempt);
      const timer = setTimeout(() => {
        if (call.attempt === attempt && attempt.recovery) {
          logger.warn('the call could not be recovered in time');
          attempt.aborted = true;
          call.finish(attempt, 'connection-lost');
        }
      }, safeDelay(recovery.timeoutMs));
      attempt.recovery = { since: Date.now(), timer };
      call.publish({ recoveringSince: attempt.recovery.since, remoteStream: undefined, contentStream: undefined });
      call.deps.emit('call:recovering', { conference: attempt.conference, reason });
      return;
    }
    call.finish(attempt, state === 'in-call' ? 'connection-lost' : VinteoError.connectionLost(reason));
  }

  /** The connection is back: a call in recovery calls the same conference again. */
  async connectionRestored(): Promise<void> {
    const { call } = this;
    const attempt = call.attempt;
    if (!attempt?.recovery || call.state !== 'in-call') return;
    try {
      call.publish({ phase: undefined });
      await call.invite(attempt, attempt.options, attempt.localStream);
    } catch (error) {
      if (call.attempt !== attempt || !attempt.recovery) return;
      const failure = VinteoError.from(error, 'call-failed');
      logger.warn(`redial failed: ${failure.message}`);
      attempt.aborted = true;
      call.finish(attempt, 'connection-lost');
    }
  }

  /** The connection will not come back: a call waiting for it ends. */
  connectionGaveUp(): void {
    const { call } = this;
    const attempt = call.attempt;
    if (!attempt?.recovery || !call.busy) return;
    call.finish(attempt, call.state === 'in-call' ? 'connection-lost' : VinteoError.connectionLost());
  }

  /**
   * Media stopped while signalling may still be up: first an ICE restart, then (if that fails or
   * the connection is gone too) a new call to the same conference.
   */
  async recoverMedia(attempt: Attempt): Promise<void> {
    const { call } = this;
    const since = Date.now();
    if (attempt.iceRestarts < 2 && call.deps.userAgent()?.isConnected()) {
      attempt.iceRestarts += 1;
      logger.warn('media connection failed: restarting ICE');
      try {
        await this.renegotiation.restartIce();
        if (call.attempt === attempt) {
          call.deps.emit('call:recovered', { conference: attempt.conference, downtimeMs: Date.now() - since, method: 'ice-restart' });
        }
        return;
      } catch (error) {
        logger.warn('ICE restart failed', error);
      }
    }
    if (call.attempt !== attempt || call.state !== 'in-call') return;
    this.connectionLost('media connection failed');
    if (call.deps.userAgent()?.isConnected()) void this.connectionRestored();
  }

  /** Forgets the current session and peer (their transport is gone) but keeps local media. */
  private dropLeg(attempt: Attempt): void {
    attempt.leg += 1;
    attempt.unwatch();
    attempt.peer = undefined;
    const session = attempt.session;
    attempt.session = undefined;
    endSession(session);
  }
}
