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
  /** First delay, ms (default 1000). */
  initialDelayMs?: number;
  /** Largest delay, ms (default 30000). */
  maxDelayMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** ± share of random spread so that many clients do not retry in step (default 0.3). */
  jitter?: number;
  /** Give up after this many attempts (default: never). */
  maxAttempts?: number;
  /** Give up this long after the loss, ms (default: never). */
  maxElapsedMs?: number;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
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

  constructor(options: BackoffOptions = {}) {
    this.initial = options.initialDelayMs ?? 1000;
    this.max = options.maxDelayMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(Math.max(options.jitter ?? 0.3, 0), 1);
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.maxElapsed = options.maxElapsedMs ?? Number.POSITIVE_INFINITY;
    this.random = options.random ?? Math.random;
  }

  nextDelay({ attempt, elapsedMs }: ReconnectContext): number | null {
    if (attempt > this.maxAttempts || elapsedMs >= this.maxElapsed) return null;
    const base = Math.min(this.max, this.initial * this.factor ** Math.max(0, attempt - 1));
    const spread = base * this.jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(this.max, base + spread)));
  }
}
