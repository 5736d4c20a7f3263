/**
 * The core's pure helpers: the Vinteo protocol's parsers and builders, the stats parser and quality
 * assessment, the balancer's tables. They touch no browser API and hold no state. The services use them,
 * so the script-tag loader keeps them in its SIP chunk (see `helpers-lazy.ts`). With them, for the same
 * reason, `resolveCredentials` (a credentials source run with a time limit, as the client connects).
 */
export * as protocol from './protocol/index.js';
export { parseStats, sampleOf } from './stats/parse.js';
export { assessQuality, QUALITY_THRESHOLDS } from './stats/quality.js';
export { BITRATE_TABLE, maxBitrateForWidth } from './balancer/bitrate.js';
export { balancerParameters, fitScale } from './balancer/parameters.js';
export { resolveCredentials } from './credentials-resolve.js';
