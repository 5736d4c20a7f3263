/**
 * Collections slower than these (ms) stretch the next interval to 2×, 3× and 4×, so that stats never
 * take a noticeable share of a slow machine (as the reference SDK does).
 */
export const STRETCH_THRESHOLDS_MS = [16, 32, 48] as const;

/** The interval factor after a collection that took `durationMs`: 1, 2, 3 or 4 (strictly more than 16/32/48 ms). */
export function stretchFactor(durationMs: number): number {
  if (Number.isNaN(durationMs)) return 1;
  let factor = 1;
  for (const threshold of STRETCH_THRESHOLDS_MS) if (durationMs > threshold) factor += 1;
  return factor;
}

/** The next interval: the configured one, stretched after a slow collection. */
export function nextInterval(baseMs: number, durationMs: number): number {
  return baseMs * stretchFactor(durationMs);
}

/** How much history the charts keep. */
export const HISTORY_MS = 60_000;
