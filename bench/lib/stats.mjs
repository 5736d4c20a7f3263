// Small statistics for the benchmark tables: medians and spread of a few samples.

export function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export const median = (values) => quantile(values, 0.5);

/** `{ n, median, p25, p75, iqr, min, max }` (ms, rounded to 0.1) of the finite values. */
export function summary(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { n: 0 };
  const round = (v) => Math.round(v * 10) / 10;
  const p25 = quantile(finite, 0.25);
  const p75 = quantile(finite, 0.75);
  return {
    n: finite.length,
    median: round(median(finite)),
    p25: round(p25),
    p75: round(p75),
    iqr: round(p75 - p25),
    min: round(Math.min(...finite)),
    max: round(Math.max(...finite)),
  };
}

/** `a / b` to 2 decimals, or undefined. */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return undefined;
  return Math.round((a / b) * 100) / 100;
}

export const fmtMs = (v) => (Number.isFinite(v) ? `${Math.round(v)}` : '–');
export const fmtRatio = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');
/** "412 (395–440)": median and interquartile range. */
export const fmtSpread = (s) => (s && s.n ? `${Math.round(s.median)} (${Math.round(s.p25)}–${Math.round(s.p75)})` : '–');
