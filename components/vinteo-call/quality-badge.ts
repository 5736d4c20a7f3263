import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { QualityLevel } from '../../src/stats/types.js';

/** The quality badge changes at most once in this many ms. */
export const QUALITY_BADGE_INTERVAL_MS = 10_000;

/** A value on show and since when (ms). */
export interface Shown<T> {
  readonly value: T;
  readonly since: number;
}

/**
 * A pure rate limiter: what to show given what is shown, the latest value and the time. The first value
 * shows at once; a different value replaces the shown one only once `minIntervalMs` have passed since
 * the shown one appeared (else the shown one stays, unchanged, same object).
 */
export function rateLimit<T>(shown: Shown<T> | undefined, next: T, now: number, minIntervalMs: number = QUALITY_BADGE_INTERVAL_MS): Shown<T> {
  if (shown === undefined) return { value: next, since: now };
  if (Object.is(shown.value, next) || now - shown.since < minIntervalMs) return shown;
  return { value: next, since: now };
}

/** Ms until `shown` may change (0: now). */
export function waitBeforeChange(shown: Shown<unknown>, now: number, minIntervalMs: number = QUALITY_BADGE_INTERVAL_MS): number {
  return Math.max(0, shown.since + minIntervalMs - now);
}

/**
 * The quality badge's level, limited by {@link rateLimit}: read before each render from `read` (the
 * client's `stats.quality.level` while a call runs, else undefined, which resets the badge). A change
 * refused for now shows when its time comes (a timer re-renders the host), if it still holds then.
 *
 * @internal
 */
export class QualityBadgeController implements ReactiveController {
  private shown: Shown<QualityLevel> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly read: () => QualityLevel | undefined,
    private readonly now: () => number = Date.now,
    private readonly minIntervalMs: number = QUALITY_BADGE_INTERVAL_MS,
  ) {
    host.addController(this);
  }

  /** The level the badge shows; undefined for no badge. */
  get level(): QualityLevel | undefined {
    return this.shown?.value;
  }

  hostUpdate(): void {
    const next = this.read();
    if (next === undefined) {
      this.shown = undefined;
      this.stop();
      return;
    }
    const now = this.now();
    this.shown = rateLimit(this.shown, next, now, this.minIntervalMs);
    if (this.shown.value !== next && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.host.requestUpdate();
      }, waitBeforeChange(this.shown, now, this.minIntervalMs));
    }
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
