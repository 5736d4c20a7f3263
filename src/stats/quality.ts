import type { CallStats, QualityAssessment, QualityLevel, QualityReason } from './types.js';

/** Where `fair` and `poor` start. Loss in %, times in ms, frame rate in fps (below it). */
export const QUALITY_THRESHOLDS = {
  lossPercent: { fair: 2, poor: 10 },
  roundTripTimeMs: { fair: 250, poor: 500 },
  jitterMs: { fair: 30, poor: 100 },
  /** Received video below this frame rate is `fair` (never `poor`: a paused or muted camera sends few frames). */
  framesPerSecond: { fair: 10 },
} as const;

const RANK: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2 };

function above(value: number | undefined, limits: { fair: number; poor: number }): Exclude<QualityLevel, 'good'> | undefined {
  if (value === undefined) return undefined;
  if (value >= limits.poor) return 'poor';
  if (value >= limits.fair) return 'fair';
  return undefined;
}

function maxOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.max(...defined);
}

/**
 * Rates one collection: `good`, `fair` or `poor`, with every reason that is not good, worst first.
 * Loss, round-trip time, jitter, a low received frame rate, an encoder limited by bandwidth or CPU,
 * and nothing received at all.
 */
export function assessQuality(stats: CallStats): QualityAssessment {
  const reasons: QualityReason[] = [];
  const inbound = stats.streams.filter((s) => s.direction === 'inbound');
  const outbound = stats.streams.filter((s) => s.direction === 'outbound');

  if (inbound.length > 0 && stats.receiveBitrate === 0) reasons.push({ code: 'no-incoming-media', level: 'poor', value: 0 });

  const receiveLoss = maxOf(inbound.map((s) => s.lossPercent));
  const receiveLossLevel = above(receiveLoss, QUALITY_THRESHOLDS.lossPercent);
  if (receiveLossLevel) reasons.push({ code: 'receive-loss', level: receiveLossLevel, value: receiveLoss! });

  const sendLoss = maxOf(outbound.map((s) => s.lossPercent));
  const sendLossLevel = above(sendLoss, QUALITY_THRESHOLDS.lossPercent);
  if (sendLossLevel) reasons.push({ code: 'send-loss', level: sendLossLevel, value: sendLoss! });

  const rtt = stats.candidatePair?.roundTripTimeMs ?? maxOf(outbound.map((s) => s.roundTripTimeMs));
  const rttLevel = above(rtt, QUALITY_THRESHOLDS.roundTripTimeMs);
  if (rttLevel) reasons.push({ code: 'round-trip-time', level: rttLevel, value: rtt! });

  const jitter = maxOf(inbound.map((s) => s.jitterMs));
  const jitterLevel = above(jitter, QUALITY_THRESHOLDS.jitterMs);
  if (jitterLevel) reasons.push({ code: 'jitter', level: jitterLevel, value: jitter! });

  const video = stats.inbound.video;
  const fps = video?.framesPerSecond;
  if (video && fps !== undefined && (video.bitrate ?? 0) > 0 && fps < QUALITY_THRESHOLDS.framesPerSecond.fair) {
    reasons.push({ code: 'frame-rate', level: 'fair', value: fps });
  }

  const limitation = stats.outbound.video?.qualityLimitationReason;
  if (limitation === 'bandwidth' || limitation === 'cpu') reasons.push({ code: 'send-limited', level: 'fair', detail: limitation });

  reasons.sort((a, b) => RANK[b.level] - RANK[a.level]);
  const level: QualityLevel = reasons[0]?.level ?? 'good';
  return { level, reasons };
}
