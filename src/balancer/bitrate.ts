/**
 * The video sending balancer's bitrate table: the highest bitrate (bps) for a sent width (px),
 * as the Vinteo reference client uses it.
 */
export const BITRATE_TABLE: ReadonlyArray<{ readonly maxWidth: number; readonly bitrate: number }> = [
  { maxWidth: 64, bitrate: 60_000 },
  { maxWidth: 128, bitrate: 120_000 },
  { maxWidth: 256, bitrate: 250_000 },
  { maxWidth: 384, bitrate: 320_000 },
  { maxWidth: 426, bitrate: 380_000 },
  { maxWidth: 640, bitrate: 500_000 },
  { maxWidth: 848, bitrate: 700_000 },
  { maxWidth: 1280, bitrate: 1_000_000 },
  { maxWidth: 1920, bitrate: 2_000_000 },
];

/** Above the table's last row (and when the width is unknown). */
export const TOP_BITRATE = 4_000_000;

/** AV1 needs less for the same picture. */
export const AV1_FACTOR = 0.6;

/** True for an AV1 codec name or MIME type (`AV1`, `video/AV1`, `video/av1x`). */
export function isAv1(codec: string | undefined): boolean {
  return codec !== undefined && /(^|\/)av1/i.test(codec.trim());
}

/**
 * The highest bitrate for a sent `width`: the first row whose width is at least it, the top bitrate
 * above 1920 or when the width is unknown; AV1 gets {@link AV1_FACTOR} of it.
 */
export function maxBitrateForWidth(width: number | undefined, codec?: string): number {
  let bitrate = TOP_BITRATE;
  if (width !== undefined && !Number.isNaN(width)) {
    bitrate = BITRATE_TABLE.find((row) => width <= row.maxWidth)?.bitrate ?? TOP_BITRATE;
  }
  return isAv1(codec) ? Math.round(bitrate * AV1_FACTOR) : bitrate;
}

/**
 * Whether the balancer leaves a codec alone: `ignore` (lower-case, e.g. `h264`; `''` ignores nothing)
 * found in the codec's MIME type. An unknown codec is balanced.
 */
export function isIgnoredCodec(codec: string | undefined, ignore: string): boolean {
  if (!codec || !ignore) return false;
  return codec.toLowerCase().replace(/^video\//, '') === ignore.toLowerCase().replace(/^video\//, '');
}
