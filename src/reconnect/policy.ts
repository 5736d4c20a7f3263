import { VinteoError } from '../errors.js';
import { checkTiming, TIMING_LIMITS } from '../timing.js';

/** What a reconnect policy knows when asked for the next delay. */
export interface ReconnectContext {
  /** 1 for the first retry after the loss. */
  readonly attempt: number;
  /** Time since the connection was lost, ms. */
  readonly elapsedMs: number;
  /** Why the last try failed (or why the connection was lost). */
  readonly reason: string;
}

/** Decides when to try again: a delay in ms, or null to give up (LiveKit-style pluggable policy). */
export interface ReconnectPolicy {
  nextDelay(context: ReconnectContext): number | null;
}

export interface BackoffOptions {
  /** First delay, ms (default 1000; 1 ms – 1 h). */
  initialDelayMs?: number;
  /** Largest delay, ms (default 30000; 1 ms – 1 h). */
  maxDelayMs?: number;
  /** Growth per attempt (default 2; 1–10). */
  factor?: number;
  /** ± share of random spread so that many clients do not retry in step (default 0.3; 0–1). */
  jitter?: number;
  /** Give up after this many attempts (default: never; a whole number ≥ 1). */
  maxAttempts?: number;
  /** Give up this long after the loss, ms (default: never; ≥ 0). */
  maxElapsedMs?: number;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

function checkNumber(name: string, value: number | undefined, min: number, max: number, integer = false): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw VinteoError.invalidConfig(`ExponentialBackoff ${name} must be ${integer ? 'a whole number ' : ''}between ${min} and ${max} (got ${String(value)})`);
  }
}

/** Exponential backoff with jitter, capped; optionally bounded in attempts or time. */
export class ExponentialBackoff implements ReconnectPolicy {
  private readonly initial: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly maxAttempts: number;
  private readonly maxElapsed: number;
  private readonly random: () => number;

  /**
   * @throws VinteoError `invalid-config` for an option out of its range: `initialDelayMs` and
   * `maxDelayMs` 1 ms – 1 h, `maxElapsedMs` ≥ 0 (the table in `src/timing.ts`), `factor` 1–10,
   * `jitter` 0–1, `maxAttempts` a whole number ≥ 1.
   */
  constructor(options: BackoffOptions = {}) {
    checkTiming('initialDelayMs', options.initialDelayMs);
    checkTiming('maxDelayMs', options.maxDelayMs);
    checkTiming('maxElapsedMs', options.maxElapsedMs);
    checkNumber('factor', options.factor, 1, 10);
    checkNumber('jitter', options.jitter, 0, 1);
    if (options.maxAttempts !== undefined && options.maxAttempts !== Number.POSITIVE_INFINITY) {
      checkNumber('maxAttempts', options.maxAttempts, 1, Number.MAX_SAFE_INTEGER, true);
    }
    this.initial = options.initialDelayMs ?? TIMING_LIMITS.initialDelayMs.fallback;
    this.max = options.maxDelayMs ?? TIMING_LIMITS.maxDelayMs.fallback;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.3;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.maxElapsed = options.maxElapsedMs ?? TIMING_LIMITS.maxElapsedMs.fallback;
    this.random = options.random ?? Math.random;
  }

  nextDelay({ attempt, elapsedMs }: ReconnectContext): number | null {
    if (attempt > this.maxAttempts || elapsedMs >= this.maxElapsed) return null;
    const base = Math.min(this.max, this.initial * this.factor ** Math.max(0, attempt - 1));
    const spread = base * this.jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(this.max, base + spread)));
  }
}
