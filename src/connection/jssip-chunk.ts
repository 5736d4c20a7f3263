/**
 * The script-tag build's way to JsSIP (vite.config.ts puts this file in place of `jssip-module.ts`):
 * JsSIP is not inside `vinteo-widgets.js` but in `vinteo-widgets-sip.js` next to it, an ES module
 * imported from the script's own address when a connection needs it (or the page is idle). A dynamic
 * `import()` of a same-origin file is allowed by `script-src 'self'` and is no Trusted Types sink.
 */

/** The SIP chunk's file name, next to the script (vite.config.ts builds it under this name). */
export const SIP_CHUNK_FILE = 'vinteo-widgets-sip.js';

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
  const url = new URL(SIP_CHUNK_FILE, src);
  url.search = new URL(src).search;
  return url.href;
})();

let attempts = 0;

/**
 * Imports the SIP chunk. A module that failed to load stays failed at its address for the page's
 * lifetime, so each retry asks for it with a new `retry` parameter.
 */
export function importJsSip(): Promise<unknown> {
  if (!chunkUrl) {
    return Promise.reject(new Error(`${SIP_CHUNK_FILE} cannot be found: vinteo-widgets.js was not loaded by a <script src> tag`));
  }
  attempts += 1;
  const url = new URL(chunkUrl);
  if (attempts > 1) url.searchParams.set('retry', String(attempts - 1));
  return import(/* @vite-ignore */ url.href).catch((error: unknown) => {
    throw new Error(`${SIP_CHUNK_FILE} could not be loaded from ${url.href}`, { cause: error });
  });
}
