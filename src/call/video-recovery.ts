import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { CallStats } from '../stats/types.js';
import type { Attempt } from './attempt.js';
import type { CallContext } from './context.js';
import type { Renegotiation } from './renegotiation.js';
import { checkStreamHealth, initialStreamHealth, type MainVideoSample, type StreamHealth, type VideoProblem } from './stream-health.js';

/**
 * The sample of the call's main video in one stats collection; `undefined` without inbound video.
 * Chromium reports no inbound-rtp entry before the first packet: a call whose main remote video track
 * exists (negotiated) but has no entry has received nothing, which is the protocol's "no traffic".
 */
export function mainVideoSample(stats: CallStats, attempt: Attempt): MainVideoSample | undefined {
  const video = stats.inbound.video;
  if (video) return { packets: video.packets, bytes: video.bytes, framesReceived: video.framesReceived, framesDecoded: video.framesDecoded };
  const expected = [...attempt.remoteTracks].some(([track, role]) => role === 'main' && track.kind === 'video' && track.readyState === 'live');
  return expected ? { packets: 0, bytes: 0, framesReceived: 0, framesDecoded: 0 } : undefined;
}

/**
 * Watches the main video of the established call on every stats sample (see stream-health.ts) and,
 * when it stays broken, recovers it with a plain re-INVITE (no ICE restart) on the connection's
 * queue, so that it never overlaps another renegotiation. While it runs the snapshot says so
 * (`call.videoRecovery`), and `call:video-recovery` reports `started`, then `done` or `failed`.
 */
export class VideoRecovery {
  private health: StreamHealth = initialStreamHealth;
  private lastRecoveryAt: number | undefined;
  /** The call whose recovery runs, if one does. */
  private running: Attempt | undefined;

  constructor(
    private readonly call: CallContext,
    private readonly renegotiation: Renegotiation,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Checks one stats sample of the call (of the spectator's receive leg while it is open: then
   * `recoverLeg` is the recovery, a new POST instead of the re-INVITE, protocol §11).
   */
  sample(stats: CallStats, recoverLeg?: () => boolean): void {
    const attempt = this.call.attempt;
    // Only an established call, not one whose connection is being recovered.
    if (!attempt || !this.call.session || attempt.recovery) {
      this.health = initialStreamHealth;
      return;
    }
    const decision = checkStreamHealth(this.health, mainVideoSample(stats, attempt), {
      now: this.now(),
      lastRecoveryAt: this.lastRecoveryAt,
      recovering: this.running === attempt,
    });
    if (decision.problem && decision.problem !== this.health.problem) logger.debug(`main video: ${decision.problem}`);
    this.health = decision.health;
    if (decision.recover && recoverLeg) this.recoverLeg(attempt, decision.recover, recoverLeg);
    else if (decision.recover) void this.recover(attempt, decision.recover);
  }

  /** A spectator's recovery: the leg is POSTed again (no re-INVITE); done once the POST went out. */
  private recoverLeg(attempt: Attempt, problem: VideoProblem, recoverLeg: () => boolean): void {
    this.lastRecoveryAt = this.now();
    this.call.deps.emit('call:video-recovery', { problem, phase: 'started' });
    const done = recoverLeg();
    if (this.call.attempt !== attempt) return;
    this.call.deps.emit('call:video-recovery', { problem, phase: done ? 'done' : 'failed' });
  }

  /** Forgets the samples seen: the call was confirmed, the quality changed, or the call ended. */
  reset(): void {
    this.health = initialStreamHealth;
  }

  private async recover(attempt: Attempt, problem: VideoProblem): Promise<void> {
    this.running = attempt;
    this.lastRecoveryAt = this.now();
    logger.warn(`main video ${problem}: recovering it with a re-INVITE`);
    this.call.publish({ videoRecovery: { problem } });
    this.call.deps.emit('call:video-recovery', { problem, phase: 'started' });
    let phase: 'done' | 'failed' = 'done';
    try {
      await this.renegotiation.renegotiate('recover the video', (session) => session.renegotiate());
    } catch (error) {
      phase = 'failed';
      logger.warn(`video recovery failed: ${VinteoError.from(error).message}`);
    } finally {
      if (this.running === attempt) this.running = undefined;
    }
    // A call that ended meanwhile has cleared its snapshot already; a new call is not this one's.
    if (this.call.attempt !== attempt || attempt.aborted) return;
    this.call.publish({ videoRecovery: undefined });
    this.call.deps.emit('call:video-recovery', { problem, phase });
  }
}
