/**
 * How the package exports the pure helpers: here (the ESM package, the one-file script) by name, and through
 * {@link loadHelpers}. The script-tag loader (`vite build --mode bundle`) puts `helpers-lazy.ts` in this
 * file's place: its global has `loadHelpers()` alone, which fetches them with the services.
 */
import * as helpers from './helpers.js';

export * from './helpers.js';

/** The pure helpers: `protocol`, `parseStats`, `sampleOf`, `assessQuality`, `QUALITY_THRESHOLDS`, `BITRATE_TABLE`, … */
export type VinteoHelpers = typeof helpers;

/**
 * The pure helpers, in every build: with the script-tag loader (`vinteo-widgets.js`) they are in its SIP
 * chunk, which this fetches (once for the page, shared with the clients); here they are at hand, so this
 * resolves at once. Rejects with a `connection-failed` VinteoError when the chunk cannot be fetched.
 */
export function loadHelpers(): Promise<VinteoHelpers> {
  return Promise.resolve(helpers);
}
