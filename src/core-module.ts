/**
 * How VinteoClient reaches the services: here (the ESM package, the one-file script) they are part of
 * the same bundle, at hand from the start. The script-tag loader (`vite build --mode bundle`) puts
 * `core-lazy.ts` in this file's place, which fetches them when first needed.
 */
import * as core from './core-entry.js';

export type CoreModule = typeof core;

/** The services when they are loaded; in this build always. */
export function loadedCore(): CoreModule | undefined {
  return core;
}

/** Loads the services (here: they are already loaded). */
export function importCore(): Promise<CoreModule> {
  return Promise.resolve(core);
}
