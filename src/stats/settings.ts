import { logger } from '../logger.js';

/**
 * Per-call settings of the stats collection and the video sending balancer: client options, and the
 * `stats-interval`, `balancer`, `balancer-delay` and `balancer-ignore-codec` attributes of
 * `<vinteo-session>` and of a stand-alone `<vinteo-call>`. They may change at any time; the stats
 * interval applies from the next collection, the balancer settings from the next call (the ignored
 * codec from the next balancing).
 */
export interface CallSettings {
  /** How often `getStats()` runs during a call, in ms (default 1000, at least 100). Slow collections stretch it. */
  statsIntervalMs?: number;
  /**
   * The `stats` INFO (available incoming bitrate) is sent when the value first exists, when it moves by
   * a quarter, and otherwise at least this often, in ms (default 10000; 0 never sends it).
   */
  statsInfoIntervalMs?: number;
  /** The video sending balancer (default on; `false` leaves the camera's encoding alone). */
  balancer?: boolean;
  /** How long after the call is confirmed the balancer starts, in ms (default 10000). */
  balancerDelayMs?: number;
  /** A codec the balancer leaves alone, matched in the MIME type (default `H264`; `''` or `none` balances every codec). */
  balancerIgnoreCodec?: string;
}

export interface ResolvedCallSettings {
  readonly statsIntervalMs: number;
  readonly statsInfoIntervalMs: number;
  readonly balancer: boolean;
  readonly balancerDelayMs: number;
  /** Lower-case; `''` ignores nothing. */
  readonly balancerIgnoreCodec: string;
}

export const DEFAULT_CALL_SETTINGS: ResolvedCallSettings = {
  statsIntervalMs: 1000,
  statsInfoIntervalMs: 10_000,
  balancer: true,
  balancerDelayMs: 10_000,
  balancerIgnoreCodec: 'h264',
};

export const MIN_STATS_INTERVAL_MS = 100;

function duration(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    logger.warn(`${name} must be a number of milliseconds ≥ ${min} (got ${String(value)}); using ${fallback}`);
    return fallback;
  }
  return value;
}

/** Fills in defaults; out-of-range values fall back to the default with a warning (never throws). */
export function resolveCallSettings(options: CallSettings): ResolvedCallSettings {
  const ignore = (options.balancerIgnoreCodec ?? DEFAULT_CALL_SETTINGS.balancerIgnoreCodec).trim().toLowerCase();
  return {
    statsIntervalMs: duration('statsIntervalMs', options.statsIntervalMs, DEFAULT_CALL_SETTINGS.statsIntervalMs, MIN_STATS_INTERVAL_MS),
    statsInfoIntervalMs: duration('statsInfoIntervalMs', options.statsInfoIntervalMs, DEFAULT_CALL_SETTINGS.statsInfoIntervalMs, 0),
    balancer: options.balancer ?? DEFAULT_CALL_SETTINGS.balancer,
    balancerDelayMs: duration('balancerDelayMs', options.balancerDelayMs, DEFAULT_CALL_SETTINGS.balancerDelayMs, 0),
    balancerIgnoreCodec: ignore === 'none' ? '' : ignore.replace(/^video\//, ''),
  };
}
