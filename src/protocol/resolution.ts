/** A video resolution, `1280x720`: used by the balancer's INFO and by `<vinteo-presentation max-resolution>`. */
export interface Resolution {
  readonly width: number;
  readonly height: number;
}

const RESOLUTION = /^(\d{1,5})\s*[xX×]\s*(\d{1,5})$/;

/** Parses `1280x720`; undefined for anything else (zero, negative, absurd sizes). */
export function parseResolution(value: string | undefined): Resolution | undefined {
  const match = value ? RESOLUTION.exec(value.trim()) : null;
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width < 1 || height < 1 || width > 16_384 || height > 16_384) return undefined;
  return { width, height };
}
