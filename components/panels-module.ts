/**
 * How the package reaches the panels: here (the ESM package, the one-file script) they are part of the
 * same bundle, defined from the start. The script-tag loader (`vite build --mode bundle`) puts
 * `panels-lazy.ts` in this file's place, which fetches them when one is on the page.
 */
export * from './panels.js';

/**
 * Defines `<vinteo-session>`, `<vinteo-dialpad>`, `<vinteo-devices>`, `<vinteo-presentation>` and
 * `<vinteo-stats>` if they are not yet: with the script-tag loader, which fetches them
 * (`vinteo-widgets-panels.js`) only once one is on the page, for one the loader cannot see (inside a shadow
 * root with no `<vinteo-call>` in it). Here they are always defined: resolves at once.
 */
export function loadPanels(): Promise<void> {
  return Promise.resolve();
}
