// The services (the coordinator, JsSIP and everything a connection runs), as VinteoClient loads them:
// through `core-module.ts`, which holds them at once, or, in the script-tag build, `core-lazy.ts`, which
// fetches them from a file of their own next to the loader (vite.config.ts).
export { Coordinator } from './coordinator.js';
// The pure helpers, for the script-tag loader's loadHelpers() (helpers-lazy.ts).
export * as helpers from './helpers.js';
