/**
 * Main-stream health (vinteo-protocol.md §11), as pure functions: each stats sample of the first
 * inbound video is classified, and the same problem in 3 samples in a row asks for one recovery
 * per episode, at most one every 4 s, none while another runs.
 */

/** What can be wrong with the main video. */
export type VideoProblem = 'stalled' | 'no-traffic' | 'invalid-frames';

/** One sample of the main (first) inbound video: its cumulative counters. */
export interface MainVideoSample {
  readonly packets: number;
  readonly bytes: number;
  /** `undefined` where the browser does not report it. */
  readonly framesReceived: number | undefined;
  readonly framesDecoded: number | undefined;
}

export const STREAM_HEALTH_LIMITS = {
  /** Samples in a row with the same problem before a recovery. */
  samples: 3,
  /** The shortest time between the starts of two recoveries (ms). */
  minRecoveryIntervalMs: 4000,
  /** Invalid frames count only once this many packets arrived. */
  invalidFramesMinPackets: 500,
} as const;

/** What the detector remembers between samples. */
export interface StreamHealth {
  readonly previous: MainVideoSample | undefined;
  /** The problem of the current episode (the run of samples with the same problem), if any. */
  readonly problem: VideoProblem | undefined;
  /** Samples in a row with `problem`. */
  readonly count: number;
  /** The current episode already had its recovery. */
  readonly recovered: boolean;
}

/** Nothing seen yet: a new call, the call confirmed again, a quality change, the call's end. */
export const initialStreamHealth: StreamHealth = { previous: undefined, problem: undefined, count: 0, recovered: false };

/** True when `key` was reported in both samples and did not rise. */
function notRising(previous: MainVideoSample, sample: MainVideoSample, key: 'framesReceived' | 'framesDecoded'): boolean {
  const before = previous[key];
  const now = sample[key];
  return before !== undefined && now !== undefined && now <= before;
}

/**
 * The problem one sample shows, given the one before it (`undefined`: the first), if any:
 * - `no-traffic`: packets and bytes are both 0;
 * - `stalled`: packets and bytes are unchanged since the previous sample, after traffic had been seen;
 * - `invalid-frames`: frames received or decoded do not rise, while packets are at least 500 and still
 *   rising. The reference also requires the main remote video track to be muted, but Chromium never
 *   mutes a track whose packets keep coming, however broken they are (checked against the local
 *   server's `garble` mode for 15 s): with that condition the check could never fire there. So a
 *   muted track is not required; frames that stop while packets flow are broken either way.
 */
export function classifyVideoSample(previous: MainVideoSample | undefined, sample: MainVideoSample): VideoProblem | undefined {
  if (sample.packets === 0 && sample.bytes === 0) return 'no-traffic';
  if (!previous) return undefined;
  if (sample.packets === previous.packets && sample.bytes === previous.bytes) return 'stalled';
  if (
    sample.packets >= STREAM_HEALTH_LIMITS.invalidFramesMinPackets &&
    sample.packets > previous.packets &&
    (notRising(previous, sample, 'framesReceived') || notRising(previous, sample, 'framesDecoded'))
  ) {
    return 'invalid-frames';
  }
  return undefined;
}

/** What else a decision depends on. */
export interface RecoveryContext {
  /** A monotonic clock, in ms. */
  readonly now: number;
  /** When the last recovery started (same clock), if any. */
  readonly lastRecoveryAt: number | undefined;
  /** A recovery is running. */
  readonly recovering: boolean;
}

export interface HealthDecision {
  readonly health: StreamHealth;
  /** The problem this sample shows, if any. */
  readonly problem: VideoProblem | undefined;
  /** Start a recovery for this problem now; `undefined`: not now. */
  readonly recover: VideoProblem | undefined;
}

/**
 * Takes one sample (`undefined`: the call has no inbound video, which forgets everything) and says
 * whether to recover now. An episode ends when a sample shows no problem or another problem; a
 * recovery that cannot start yet (another runs, or the last started less than 4 s ago) starts on a
 * later sample of the same episode.
 */
export function checkStreamHealth(health: StreamHealth, sample: MainVideoSample | undefined, context: RecoveryContext): HealthDecision {
  if (!sample) return { health: initialStreamHealth, problem: undefined, recover: undefined };
  const problem = classifyVideoSample(health.previous, sample);
  const sameEpisode = problem !== undefined && problem === health.problem;
  const count = problem === undefined ? 0 : sameEpisode ? health.count + 1 : 1;
  const recovered = sameEpisode && health.recovered;
  const allowed =
    !context.recovering &&
    (context.lastRecoveryAt === undefined || context.now - context.lastRecoveryAt >= STREAM_HEALTH_LIMITS.minRecoveryIntervalMs);
  const recover = problem !== undefined && count >= STREAM_HEALTH_LIMITS.samples && !recovered && allowed ? problem : undefined;
  return {
    health: { previous: sample, problem, count, recovered: recovered || recover !== undefined },
    problem,
    recover,
  };
}
