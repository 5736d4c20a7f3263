/**
 * When the `stats` INFO goes out (vinteo-protocol.md §9), as a pure function over two consecutive
 * samples of the candidate pair's `availableIncomingBitrate`.
 */

/** A change of a quarter or more between two consecutive samples sends the value. */
export const STATS_INFO_CHANGE_RATIO = 0.25;

/**
 * The previous sample's value, `undefined` before the first one (a new call, a new peer connection,
 * a leg opened or closed, a quality change).
 */
export type StatsInfoHistory = number | undefined;

export interface StatsInfoDecision {
  /** The value to send, or `undefined`: nothing goes out for this sample. */
  readonly send: number | undefined;
  /** What the next sample is compared with. */
  readonly history: StatsInfoHistory;
}

/**
 * Decides one sample. `value` is the candidate pair's `availableIncomingBitrate` as the browser
 * reported it, or `undefined` where it did not (never a substitute such as a received bitrate).
 *
 * - The first value is never sent: it only starts the history.
 * - A value is sent when it differs from the previous sample's by 25 % or more, or rises from 0.
 * - A sample without a value sends nothing and keeps the history: the next reported value is
 *   compared with the last one reported.
 */
export function decideStatsInfo(history: StatsInfoHistory, value: number | undefined): StatsInfoDecision {
  if (value === undefined || !Number.isFinite(value) || value < 0) return { send: undefined, history };
  if (history === undefined) return { send: undefined, history: value };
  const changed = history === 0 ? value > 0 : Math.abs(value - history) / history >= STATS_INFO_CHANGE_RATIO;
  return { send: changed ? value : undefined, history: value };
}
