import { logger } from '../logger.js';
import { safeDelay } from '../timing.js';
import type { OptionsHandlers } from './transport.js';

/** Failed pings in a row that make the connection count as lost (protocol §2). */
export const PING_FAILURES_ALLOWED = 2;

export interface LivenessDeps {
  /** Sends one OPTIONS to the client's own AOR; throws when it cannot be sent. */
  readonly send: (handlers: OptionsHandlers) => void;
  /** The pause after each ping completes (0: no periodic ping, probes only) and how long an answer may take. */
  readonly intervalMs: () => number;
  readonly timeoutMs: () => number;
  /** The connection is to be given up: two pings in a row failed, or a probe failed. */
  readonly onDead: (reason: string) => void;
}

/**
 * The OPTIONS ping of one user agent (protocol §2): one right after the connect, then one
 * `intervalMs` after each completes, in calls too. Only a 2xx counts as an answer; a non-2xx final
 * answer, no answer within `timeoutMs` or a transport error is a failure, and two failures in a row
 * give the connection up. A success resets the count. A {@link probe} (the network came back, the
 * page became visible) pings at once and gives up after one failure.
 */
export class Liveness {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private inFlight = false;
  /** The ping in flight was asked for by a probe: one failure is enough. */
  private probing = false;
  private stopped = false;

  constructor(private readonly deps: LivenessDeps) {}

  /** Pings now and keeps pinging (unless the interval is 0). */
  start(): void {
    if (this.deps.intervalMs() > 0) this.ping();
  }

  /** Pings now (or makes the ping in flight count as the probe); one failure gives the connection up. */
  probe(): void {
    if (this.stopped) return;
    this.probing = true;
    if (!this.inFlight) this.ping();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private ping(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = true;
    let done = false;
    const timeoutMs = this.deps.timeoutMs();
    const finish = (ok: boolean, why?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      this.inFlight = false;
      if (this.stopped) return;
      this.completed(ok, why ?? '');
    };
    const timeout = setTimeout(() => finish(false, `no answer to the OPTIONS ping within ${timeoutMs} ms`), safeDelay(timeoutMs));
    try {
      this.deps.send({
        succeeded: () => finish(true),
        failed: (event) =>
          finish(false, event.response ? `the OPTIONS ping was answered ${event.response.status_code}` : `the OPTIONS ping failed (${event.cause})`),
      });
    } catch (error) {
      logger.debug('OPTIONS ping could not be sent', error);
      finish(false, 'the OPTIONS ping could not be sent');
    }
  }

  private completed(ok: boolean, why: string): void {
    const probing = this.probing;
    this.probing = false;
    if (ok) {
      this.failures = 0;
    } else {
      this.failures++;
      if (probing || this.failures >= PING_FAILURES_ALLOWED) {
        this.stop();
        this.deps.onDead(this.failures > 1 ? `${why} (${this.failures} pings in a row failed)` : why);
        return;
      }
      logger.warn(`${why}; the connection is given up if the next ping fails too`);
    }
    const interval = this.deps.intervalMs();
    if (interval > 0) this.timer = setTimeout(() => this.ping(), safeDelay(interval));
  }
}
