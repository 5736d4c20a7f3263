import type { StatsSample } from '../../src/stats/types.js';
import type { Labels, Locale } from '../shared/i18n.js';

/** The charts' drawing box (SVG user units); the SVG stretches it to the element's size without layout reads. */
export const CHART_WIDTH = 300;
export const CHART_HEIGHT = 60;
/** What the charts show: the last minute. */
export const CHART_WINDOW_MS = 60_000;

export type Metric = 'bitrate' | 'loss' | 'jitter' | 'rtt' | 'fps';

export interface SeriesSpec {
  readonly id: 'sent' | 'received';
  readonly pick: (sample: StatsSample) => number | undefined;
}

export interface ChartSpec {
  readonly metric: Metric;
  readonly series: readonly SeriesSpec[];
  /** The smallest top of the y scale, so that a flat line at 0 stays at the bottom and small noise stays small. */
  readonly floor: number;
}

export const CHARTS: readonly ChartSpec[] = [
  {
    metric: 'bitrate',
    floor: 100_000,
    series: [
      { id: 'sent', pick: (s) => s.sendBitrate },
      { id: 'received', pick: (s) => s.receiveBitrate },
    ],
  },
  {
    metric: 'loss',
    floor: 5,
    series: [
      { id: 'sent', pick: (s) => s.sendLossPercent },
      { id: 'received', pick: (s) => s.receiveLossPercent },
    ],
  },
  { metric: 'jitter', floor: 30, series: [{ id: 'received', pick: (s) => s.jitterMs }] },
  { metric: 'rtt', floor: 100, series: [{ id: 'sent', pick: (s) => s.roundTripTimeMs }] },
  {
    metric: 'fps',
    floor: 30,
    series: [
      { id: 'sent', pick: (s) => s.sendFramesPerSecond },
      { id: 'received', pick: (s) => s.receiveFramesPerSecond },
    ],
  },
];

/** 1, 2 or 5 × a power of ten at or above `value` (and at least `floor`). */
export function niceMax(value: number, floor: number): number {
  const top = Math.max(value, floor);
  if (!(top > 0) || !Number.isFinite(top)) return floor > 0 ? floor : 1;
  const power = 10 ** Math.floor(Math.log10(top));
  for (const step of [1, 2, 5, 10]) if (step * power >= top) return step * power;
  return 10 * power;
}

/** The defined values of one series, oldest first. */
export function valuesOf(samples: readonly StatsSample[], pick: SeriesSpec['pick']): number[] {
  const values: number[] = [];
  for (const sample of samples) {
    const value = pick(sample);
    if (value !== undefined && Number.isFinite(value)) values.push(value);
  }
  return values;
}

/**
 * The SVG path of a series over the last minute ending at `end`: `M x y L x y …`, starting a new
 * segment after a gap (a sample without a value). Empty when nothing is defined.
 */
export function seriesPath(samples: readonly StatsSample[], pick: SeriesSpec['pick'], end: number, top: number): string {
  const start = end - CHART_WINDOW_MS;
  let path = '';
  let drawing = false;
  for (const sample of samples) {
    const value = pick(sample);
    if (sample.timestamp < start || value === undefined || !Number.isFinite(value)) {
      drawing = false;
      continue;
    }
    const x = ((sample.timestamp - start) / CHART_WINDOW_MS) * CHART_WIDTH;
    const y = CHART_HEIGHT - (Math.min(Math.max(value, 0), top) / top) * CHART_HEIGHT;
    path += `${drawing ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    drawing = true;
  }
  return path;
}

/** Number formats are costly to create: one per locale and precision, made on first use. */
const formats = new Map<string, Intl.NumberFormat>();

/** `value` with at most `digits` decimals, in the locale's way. */
export function formatNumber(locale: Locale, value: number, digits: number): string {
  const key = `${locale}:${digits}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    formats.set(key, format);
  }
  return format.format(value);
}

/** A value of a metric with its unit, for people: `1.2 Mbit/s`, `350 kbit/s`, `2.5 %`, `40 ms`, `25 fps`. */
export function formatValue(metric: Metric, value: number | undefined, locale: Locale, labels: Labels): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  switch (metric) {
    case 'bitrate':
      if (value >= 1_000_000) return `${formatNumber(locale, value / 1_000_000, 2)} ${labels.unitMbps}`;
      if (value >= 1000) return `${formatNumber(locale, value / 1000, 0)} ${labels.unitKbps}`;
      return `${formatNumber(locale, value, 0)} ${labels.unitBps}`;
    case 'loss':
      return `${formatNumber(locale, value, 1)} %`;
    case 'jitter':
    case 'rtt':
      return `${formatNumber(locale, value, value < 10 ? 1 : 0)} ${labels.unitMs}`;
    case 'fps':
      return `${formatNumber(locale, value, 0)} ${labels.unitFps}`;
  }
}

export function chartTitle(metric: Metric, labels: Labels): string {
  switch (metric) {
    case 'bitrate':
      return labels.chartBitrate;
    case 'loss':
      return labels.chartLoss;
    case 'jitter':
      return labels.chartJitter;
    case 'rtt':
      return labels.chartRoundTripTime;
    case 'fps':
      return labels.chartFrameRate;
  }
}

/**
 * The chart's text alternative: `Bitrate, last 60 s: sent now 1.2 Mbit/s, min 0.8 Mbit/s, max 1.4 Mbit/s;
 * received …`.
 */
export function chartSummary(chart: ChartSpec, samples: readonly StatsSample[], locale: Locale, labels: Labels): string {
  const parts = chart.series.map((series) => {
    const values = valuesOf(samples, series.pick);
    const name = series.id === 'sent' ? labels.seriesSent : labels.seriesReceived;
    if (values.length === 0) return chart.series.length > 1 ? `${name}: ${labels.noData}` : labels.noData;
    const format = (value: number) => formatValue(chart.metric, value, locale, labels);
    const text = labels.nowMinMax
      .replace('{now}', format(values.at(-1)!))
      .replace('{min}', format(Math.min(...values)))
      .replace('{max}', format(Math.max(...values)));
    return chart.series.length > 1 ? `${name} ${text}` : text;
  });
  return `${chartTitle(chart.metric, labels)}, ${labels.lastMinute}: ${parts.join('; ')}`;
}
