/**
 * The script-tag loader's way to the services (vite.config.ts puts this file in place of
 * `core-module.ts`): the coordinator, the services and JsSIP are not inside `vinteo-widgets.js` but in
 * `vinteo-widgets-sip.js` next to it, an ES module imported from the script's own address when a client
 * first needs them (or the page is idle). A dynamic `import()` of a same-origin file is allowed by
 * `script-src 'self'` and is no Trusted Types sink.
 */
import { chunkLoader } from './chunk-loader.js';
import type * as Core from './core-entry.js';

export type CoreModule = typeof Core;

/** The chunk's file name, next to the script (vite.config.ts builds it under this name). */
export const CORE_CHUNK_FILE = 'vinteo-widgets-sip.js';

/** One load for the page, shared by every client (one chunk, one JsSIP). */
const chunk = chunkLoader<CoreModule>(CORE_CHUNK_FILE, () => import('./core-entry.js'));

/** The services, once a load has finished. */
export function loadedCore(): CoreModule | undefined {
  return chunk.loaded();
}

/** Imports the chunk, once for the page; after a failure, again with a new `retry` parameter. */
export function importCore(): Promise<CoreModule> {
  return chunk.load();
}
