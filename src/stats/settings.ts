import { TIMING_LIMITS, timingSetting } from '../timing.js';
import { parseLegQuality, type LegQuality } from '../spectator/quality.js';

/**
 * Per-call settings of the stats collection and the video sending balancer: client options, and the
 * `stats-interval`, `balancer`, `balancer-delay` and `balancer-ignore-codec` attributes of
 * `<vinteo-session>` and of a stand-alone `<vinteo-call>`. They may change at any time; the stats
 * interval applies from the next collection, the balancer settings from the next call (the ignored
 * codec from the next balancing).
 */
export interface CallSettings {
  /** How often `getStats()` runs during a call, in ms (default 1000; 100 ms – 10 min). Slow collections stretch it. */
  statsIntervalMs?: number;
  /**
   * `0` turns the `stats` INFO (the available incoming bitrate) off. Any other value (default 10000; 1 s – 1 h,
   * kept for compatibility) sends it as the protocol says: when the browser's estimate moves by a quarter
   * between two samples or rises from 0, never periodically (see info-policy.ts).
   */
  statsInfoIntervalMs?: number;
  /** The video sending balancer (default on; `false` leaves the camera's encoding alone). */
  balancer?: boolean;
  /** How long after the call is confirmed the balancer starts, in ms (default 10000; 0 – 10 min). */
  balancerDelayMs?: number;
  /** A codec the balancer leaves alone, matched in the MIME type (default `H264`; `''` or `none` balances every codec). */
  balancerIgnoreCodec?: string;
  /**
   * What a spectator's receive leg asks the server for (protocol §6): `low`, `medium`, `high` or
   * `auto` (the default, sent as `high`). Anything else counts as `auto`. A change re-POSTs the leg.
   */
  quality?: string;
}

export interface ResolvedCallSettings {
  readonly statsIntervalMs: number;
  readonly statsInfoIntervalMs: number;
  readonly balancer: boolean;
  readonly balancerDelayMs: number;
  /** Lower-case; `''` ignores nothing. */
  readonly balancerIgnoreCodec: string;
  readonly quality: LegQuality;
}

export const DEFAULT_CALL_SETTINGS: ResolvedCallSettings = {
  statsIntervalMs: TIMING_LIMITS.statsIntervalMs.fallback,
  statsInfoIntervalMs: TIMING_LIMITS.statsInfoIntervalMs.fallback,
  balancer: true,
  balancerDelayMs: TIMING_LIMITS.balancerDelayMs.fallback,
  balancerIgnoreCodec: 'h264',
  quality: 'auto',
};

/**
 * Fills in defaults. Never throws: the client refuses out-of-range values on connect and join (and
 * the elements before Join); one set later by `configure()` falls back to the default with a warning.
 */
export function resolveCallSettings(options: CallSettings): ResolvedCallSettings {
  const ignore = (options.balancerIgnoreCodec ?? DEFAULT_CALL_SETTINGS.balancerIgnoreCodec).trim().toLowerCase();
  return {
    statsIntervalMs: timingSetting('statsIntervalMs', options.statsIntervalMs),
    statsInfoIntervalMs: timingSetting('statsInfoIntervalMs', options.statsInfoIntervalMs),
    balancer: options.balancer ?? DEFAULT_CALL_SETTINGS.balancer,
    balancerDelayMs: timingSetting('balancerDelayMs', options.balancerDelayMs),
    balancerIgnoreCodec: ignore === 'none' ? '' : ignore.replace(/^video\//, ''),
    quality: parseLegQuality(options.quality),
  };
}
