/**
 * The script-tag loader's way to the services (vite.config.ts puts this file in place of
 * `core-module.ts`): the coordinator, the services and JsSIP are not inside `vinteo-widgets.js` but in
 * `vinteo-widgets-sip.js` next to it, an ES module imported from the script's own address when a client
 * first needs them (or the page is idle). A dynamic `import()` of a same-origin file is allowed by
 * `script-src 'self'` and is no Trusted Types sink.
 */
import type * as Core from './core-entry.js';

export type CoreModule = typeof Core;

/** The chunk's file name, next to the script (vite.config.ts builds it under this name). */
export const CORE_CHUNK_FILE = 'vinteo-widgets-sip.js';

/**
 * The script's address, read while the script is evaluated (`document.currentScript` is null later):
 * `<script src=".../vinteo-widgets.js?v=3">` gives `.../vinteo-widgets-sip.js?v=3`, so a version query
 * that busts caches applies to both files.
 */
const chunkUrl = ((): string | undefined => {
  if (typeof document === 'undefined') return undefined;
  const script = document.currentScript;
  const src = script instanceof HTMLScriptElement ? script.src : '';
  if (!src) return undefined;
  const url = new URL(CORE_CHUNK_FILE, src);
  url.search = new URL(src).search;
  return url.href;
})();

let loaded: CoreModule | undefined;
/** The load in flight, shared by every client of the page (one chunk, one JsSIP). */
let loading: Promise<CoreModule> | undefined;
let attempts = 0;

/** The services, once a load has finished. */
export function loadedCore(): CoreModule | undefined {
  return loaded;
}

/**
 * Imports the chunk, once for the page. A module that failed to load stays failed at its address for the
 * page's lifetime, so each retry asks for it with a new `retry` parameter. Without the script's address
 * (the loader was not loaded by a `<script src>` tag) the chunk is looked for next to the page.
 */
export function importCore(): Promise<CoreModule> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= load();
  return loading;
}

function load(): Promise<CoreModule> {
  attempts += 1;
  let where: string;
  let imported: Promise<CoreModule>;
  if (chunkUrl) {
    const url = new URL(chunkUrl);
    if (attempts > 1) url.searchParams.set('retry', String(attempts - 1));
    where = url.href;
    imported = import(/* @vite-ignore */ where) as Promise<CoreModule>;
  } else {
    where = `./${CORE_CHUNK_FILE} (next to the page: vinteo-widgets.js was not loaded by a <script src> tag)`;
    // Also what tells the bundler that the services are a chunk of their own, loaded after this file.
    imported = import('./core-entry.js');
  }
  return imported.then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw new Error(`${CORE_CHUNK_FILE} could not be loaded from ${where}`, { cause: error });
    },
  );
}
