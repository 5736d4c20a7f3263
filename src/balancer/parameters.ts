import type { BalancerCommand, Resolution } from '../protocol/info.js';
import { maxBitrateForWidth } from './bitrate.js';

/** What the balancer sets on every encoding of the camera sender. */
export interface BalancerParameters {
  readonly scaleResolutionDownBy: number;
  /** Bits per second. */
  readonly maxBitrate: number;
}

/** A paused camera sends a minimal picture: its resolution divided by this. */
export const PAUSE_SCALE = 200;

/** The track's own size (`getSettings()`), each side possibly unknown. */
export interface TrackSize {
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

function known(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/**
 * How much to scale a track down so that it fits `target` keeping its aspect ratio: the larger of
 * width/targetWidth and height/targetHeight, never below 1 (a smaller track is not scaled up).
 * An unknown side does not constrain.
 */
export function fitScale(track: TrackSize, target: Resolution): number {
  const byWidth = known(track.width) && target.width > 0 ? track.width / target.width : 1;
  const byHeight = known(track.height) && target.height > 0 ? track.height / target.height : 1;
  return Math.max(byWidth, byHeight, 1);
}

/**
 * The encoding parameters for the current command:
 * - no command yet, or `RESUMEMAINCAM`: the track's own resolution (scale 1) and the table's bitrate for its width;
 * - `PAUSEMAINCAM`: scale down by 200 and the table's bitrate for the resulting width;
 * - `MAXMAINCAMRESOLUTION WxH`: scale down to fit W×H (aspect ratio kept) and the table's bitrate for W
 *   (or the track's width when it is narrower).
 * AV1 gets 0.6 of the table's bitrate.
 */
export function balancerParameters(
  command: BalancerCommand | undefined,
  track: TrackSize,
  codec: string | undefined,
  maxResolution?: Resolution,
): BalancerParameters {
  const width = known(track.width) ? track.width : undefined;
  if (command === 'PAUSEMAINCAM') {
    return { scaleResolutionDownBy: PAUSE_SCALE, maxBitrate: maxBitrateForWidth((width ?? 0) / PAUSE_SCALE, codec) };
  }
  if (command === 'MAXMAINCAMRESOLUTION' && maxResolution) {
    const sentWidth = width === undefined ? maxResolution.width : Math.min(width, maxResolution.width);
    return { scaleResolutionDownBy: fitScale(track, maxResolution), maxBitrate: maxBitrateForWidth(sentWidth, codec) };
  }
  return { scaleResolutionDownBy: 1, maxBitrate: maxBitrateForWidth(width, codec) };
}
