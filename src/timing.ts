import { VinteoError } from './errors.js';
import { logger } from './logger.js';

/**
 * The longest delay browsers keep: `setTimeout`/`setInterval` with more than 2^31 − 1 ms (about 24.8
 * days), with NaN or with a negative delay fire at once.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A delay that is safe to hand to `setTimeout`/`setInterval`: clamped to [0, 2^31 − 1] ms, and
 * `fallback` when it is no number at all (NaN, undefined). Every timer in `src/` whose delay comes from
 * options, a policy or the server goes through it, so that no such timer ever fires at once by mistake.
 */
export function safeDelay(ms: number | undefined, fallback = 0): number {
  const value = typeof ms === 'number' && !Number.isNaN(ms) ? ms : fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) return 0;
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(0, value));
}

/**
 * Runs `callback` when the page is next idle, within `timeoutMs` at the latest (made safe, see
 * {@link safeDelay}); where the browser has no idle callbacks, after a 0 ms timer. Returns its cancel function.
 */
export function whenIdle(callback: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(callback, { timeout: safeDelay(timeoutMs) });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(callback, 0);
  return () => clearTimeout(id);
}

/** Resolves after `ms` (made safe for the timer, see {@link safeDelay}). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, safeDelay(ms)));
}

/** The range of one time-valued option. Values are in the option's unit (ms; `registerExpires` s). */
export interface TimingLimit {
  /** The attribute that carries it on `<vinteo-session>` and a stand-alone `<vinteo-call>`, if any. */
  readonly attribute?: string;
  /** The unit messages use: the attribute's (`ping-interval` is in seconds), else the option's. */
  readonly unit: 'ms' | 's';
  /** How many option units one message unit is (1000 for `ping-interval`: seconds of a ms option). */
  readonly scale: number;
  readonly min: number;
  readonly max: number;
  /** Used when unset (and, with a warning, when a running service reads a value out of range). */
  readonly fallback: number;
  /** 0 is accepted as well, and turns the feature off (the text says what 0 means). */
  readonly zeroOff?: string;
  /** Whole numbers only. */
  readonly integer?: boolean;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Every time-valued client option and attribute, with its range: the one table that attribute
 * parsing, client option validation (on `connect()`/`join()`/`answer()` and in the elements before
 * Join) and running services read. Out of range is refused with `invalid-config`; README.md
 * ("Time-valued settings") lists the same table.
 */
export const TIMING_LIMITS = {
  /** How long connect() waits for the server, and a `credentials` function or `credentials-url` for its answer. */
  connectTimeoutMs: { unit: 'ms', scale: 1, min: 100, max: 5 * MINUTE, fallback: 15 * SECOND },
  /** How long discovery (`GET https://{server}/api/v1/address`) waits before falling back. */
  discoveryTimeoutMs: { unit: 'ms', scale: 1, min: 100, max: MINUTE, fallback: 5 * SECOND },
  /** The pause after each OPTIONS ping completes (0 off); the `ping-interval` attribute is in seconds. */
  pingIntervalMs: { attribute: 'ping-interval', unit: 's', scale: SECOND, min: SECOND, max: HOUR, fallback: 15 * SECOND, zeroOff: 'off' },
  /** How long an OPTIONS ping waits for its answer. */
  pingTimeoutMs: { unit: 'ms', scale: 1, min: 100, max: MINUTE, fallback: 10 * SECOND },
  /** How long a call waits for its lost connection to come back. */
  redialTimeoutMs: { unit: 'ms', scale: 1, min: 0, max: HOUR, fallback: MINUTE },
  /** Pause between tries of a refused presentation start (protocol §8: 300 ms). */
  presentationRetryDelayMs: { unit: 'ms', scale: 1, min: 0, max: MINUTE, fallback: 300 },
  /** getStats period during a call. */
  statsIntervalMs: { attribute: 'stats-interval', unit: 'ms', scale: 1, min: 100, max: 10 * MINUTE, fallback: SECOND },
  /** The `stats` INFO: 0 never sends it; any other value sends it on a change (there is no heartbeat, see stats/info-policy.ts). */
  statsInfoIntervalMs: { unit: 'ms', scale: 1, min: SECOND, max: HOUR, fallback: 10 * SECOND, zeroOff: 'never' },
  /** How long after the call is confirmed the balancer starts. */
  balancerDelayMs: { attribute: 'balancer-delay', unit: 'ms', scale: 1, min: 0, max: 10 * MINUTE, fallback: 10 * SECOND },
  /** REGISTER expiry, in seconds. */
  registerExpires: { unit: 's', scale: 1, min: 30, max: 86_400, fallback: 300, integer: true },
  /** `sendDTMF(tones, { duration })`: how long each tone lasts (JsSIP's own limits). */
  dtmfDurationMs: { unit: 'ms', scale: 1, min: 70, max: 6 * SECOND, fallback: 120 },
  /** `sendDTMF(tones, { interToneGap })`: the pause between tones. */
  dtmfInterToneGapMs: { unit: 'ms', scale: 1, min: 50, max: 10 * SECOND, fallback: 600 },
  /** ExponentialBackoff: the first delay. */
  initialDelayMs: { unit: 'ms', scale: 1, min: 1, max: HOUR, fallback: SECOND },
  /** ExponentialBackoff: the largest delay. */
  maxDelayMs: { unit: 'ms', scale: 1, min: 1, max: HOUR, fallback: 30 * SECOND },
  /** ExponentialBackoff: give up this long after the loss (default never). */
  maxElapsedMs: { unit: 'ms', scale: 1, min: 0, max: Number.POSITIVE_INFINITY, fallback: Number.POSITIVE_INFINITY },
} as const satisfies Record<string, TimingLimit>;

export type TimingName = keyof typeof TIMING_LIMITS;

function limitOf(name: TimingName): TimingLimit {
  return TIMING_LIMITS[name];
}

/** `1000` ms → `1 s`, `3600000` → `1 h`; seconds options → `30 s`. */
function human(value: number, limit: TimingLimit): string {
  if (!Number.isFinite(value)) return 'no limit';
  const ms = limit.unit === 's' && limit.scale === 1 ? value * SECOND : value;
  if (limit.unit === 's' && limit.scale === 1) return `${value} s`;
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms >= MINUTE && ms % MINUTE === 0) return `${ms / MINUTE} min`;
  if (ms >= SECOND && ms % SECOND === 0) return `${ms / SECOND} s`;
  return `${ms} ms`;
}

function describeRange(limit: TimingLimit): string {
  const range = Number.isFinite(limit.max)
    ? `between ${human(limit.min, limit)} and ${human(limit.max, limit)}`
    : `at least ${human(limit.min, limit)}`;
  const whole = limit.integer ? 'a whole number of seconds ' : '';
  return limit.zeroOff ? `0 (${limit.zeroOff}) or ${whole}${range}` : `${whole}${range}`;
}

function inRange(value: unknown, limit: TimingLimit): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (limit.integer && !Number.isInteger(value)) return false;
  if (value === 0 && limit.zeroOff) return true;
  return value >= limit.min && value <= limit.max;
}

/** The value as the user wrote it: in the attribute's unit (`0.001 s` for `ping-interval`). */
function shown(value: unknown, limit: TimingLimit): string {
  if (typeof value !== 'number') return JSON.stringify(value) ?? String(value);
  if (Number.isNaN(value)) return 'not a number';
  return `${limit.scale === 1 ? value : value / limit.scale} ${limit.unit}`;
}

/**
 * Checks one time-valued option against its range. Unset (undefined or null) passes.
 * @throws VinteoError `invalid-config` naming the attribute (if any) and the option, the range and the value.
 */
export function checkTiming(name: TimingName, value: unknown): void {
  if (value === undefined || value === null) return;
  const limit = limitOf(name);
  if (inRange(value, limit)) return;
  const label = limit.attribute ? `${limit.attribute} (${name})` : name;
  throw VinteoError.invalidConfig(`${label} must be ${describeRange(limit)} (got ${shown(value, limit)})`);
}

/** Checks every time-valued option that is set. @throws VinteoError `invalid-config` for the first out of range. */
export function checkTimingOptions(options: Partial<Record<TimingName, unknown>>): void {
  for (const name of Object.keys(TIMING_LIMITS) as TimingName[]) checkTiming(name, options[name]);
}

/**
 * The value a running service uses: the option when it is in range, the default when unset, and the
 * default with a warning when it is out of range (a value changed by `configure()` after the checks of
 * `connect()`/`join()`: it is never used). Never throws.
 */
export function timingSetting(name: TimingName, value: number | undefined | null): number {
  const limit = limitOf(name);
  if (value === undefined || value === null) return limit.fallback;
  if (inRange(value, limit)) return value;
  logger.warn(`${limit.attribute ?? name} must be ${describeRange(limit)} (got ${shown(value, limit)}); using the default ${human(limit.fallback, limit)}`);
  return limit.fallback;
}
