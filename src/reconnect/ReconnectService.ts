import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { ReconnectPolicy } from './policy.js';
import { safeDelay } from '../timing.js';
import { type ConnectionState, TERMINAL_REASONS } from '../connection/types.js';
import type { NetworkSignals, ReconnectEvents, ReconnectInfo } from './types.js';
import type { Emit } from '../emitter.js';

/** The wait before a retry when a reconnect policy answers no number (NaN). */
const RETRY_FALLBACK_MS = 1000;

export const browserNetworkSignals: NetworkSignals = {
  onOnline: (listener) => {
    if (typeof window === 'undefined') return () => undefined;
    window.addEventListener('online', listener);
    return () => window.removeEventListener('online', listener);
  },
  onVisible: (listener) => {
    if (typeof document === 'undefined') return () => undefined;
    let hiddenAt = document.visibilityState === 'hidden' ? Date.now() : undefined;
    const onChange = (): void => {
      if (document.visibilityState === 'hidden') hiddenAt = Date.now();
      else if (hiddenAt !== undefined) {
        const hiddenMs = Date.now() - hiddenAt;
        hiddenAt = undefined;
        listener(hiddenMs);
      }
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  },
};

export interface ReconnectDeps {
  readonly policy: ReconnectPolicy;
  readonly signals: NetworkSignals;
  readonly connection: {
    state(): ConnectionState;
    recover(): Promise<void>;
    giveUp(error: VinteoError): Promise<void>;
    checkNow(): void;
  };
  readonly update: (info: ReconnectInfo | undefined) => void;
  readonly emit: Emit<ReconnectEvents>;
  /** A page hidden this long is checked at once when it comes back (default 30 s). */
  readonly longSleepMs: number;
}

/** Brings a lost connection back: backoff with jitter, at once on `online`, one attempt at a time. */
export class ReconnectService {
  private running = false;
  private generation = 0;
  private wake: (() => void) | undefined;
  private detach: Array<() => void> = [];

  constructor(private readonly deps: ReconnectDeps) {}

  get active(): boolean {
    return this.running;
  }

  /** Starts following `online` and visibility (idempotent). */
  watch(): void {
    if (this.detach.length > 0) return;
    this.detach.push(
      this.deps.signals.onOnline(() => this.nudge('the browser is online again')),
      this.deps.signals.onVisible((hiddenMs) => {
        if (hiddenMs >= this.deps.longSleepMs) this.nudge(`the page was hidden for ${Math.round(hiddenMs / 1000)} s`);
      }),
    );
  }

  /** The connection was lost: retry until it is back, the policy gives up, or an error is terminal. */
  start(reason: string): void {
    if (this.running) return;
    this.running = true;
    const generation = ++this.generation;
    void this.loop(generation, reason);
  }

  /** The user disconnected: stop trying. */
  cancel(): void {
    if (!this.running) return;
    this.running = false;
    this.generation += 1;
    this.wake?.();
    this.deps.update(undefined);
  }

  /** Stops retrying and following the browser's signals (until the next watch()). */
  dispose(): void {
    this.cancel();
    for (const off of this.detach.splice(0)) off();
  }

  /** A hint that the network may be back: retry now, or check a connection that looks alive. */
  private nudge(why: string): void {
    if (this.running) {
      logger.info(`${why}: reconnecting now`);
      this.wake?.();
    } else {
      this.deps.connection.checkNow();
    }
  }

  private async loop(generation: number, firstReason: string): Promise<void> {
    const since = Date.now();
    let reason = firstReason;
    const current = (): boolean => this.running && this.generation === generation;
    for (let attempt = 1; current(); attempt += 1) {
      const next = this.deps.policy.nextDelay({ attempt, elapsedMs: Date.now() - since, reason });
      if (next === null) {
        this.running = false;
        this.deps.update(undefined);
        await this.deps.connection.giveUp(VinteoError.connectionLost(`gave up reconnecting after ${attempt - 1} attempts (${reason})`));
        return;
      }
      // A custom policy may answer NaN, a negative or a huge number: never a timer that fires at once.
      const delayMs = safeDelay(next, RETRY_FALLBACK_MS);
      this.deps.update({ attempt, nextAttemptAt: Date.now() + delayMs, reason, since });
      this.deps.emit('connection:reconnecting', { attempt, delayMs, reason });
      await this.sleep(delayMs);
      if (!current()) return;
      this.deps.update({ attempt, nextAttemptAt: undefined, reason, since });
      try {
        await this.deps.connection.recover();
        if (!current()) return;
        this.running = false;
        this.deps.update(undefined);
        this.deps.emit('connection:reconnected', { attempts: attempt, downtimeMs: Date.now() - since });
        return;
      } catch (error) {
        const failure = VinteoError.from(error, 'connection-failed');
        if (TERMINAL_REASONS.has(failure.reason) || this.deps.connection.state() !== 'reconnecting') {
          this.running = false;
          this.deps.update(undefined);
          return;
        }
        reason = failure.message;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, safeDelay(ms, RETRY_FALLBACK_MS));
      this.wake = done;
    });
  }
}
