/**
 * Where `<vinteo-call>` and `<vinteo-session>` tell the script-tag loader (components/panels-lazy.ts) that they
 * are on the page, so that it can fetch the panels when one is beside them. Nothing listens in the other
 * builds, whose panels are defined from the start.
 */
let listener: ((host: Element) => void) | undefined;

/** The loader's listener (one per page). */
export function onPanelsHost(callback: (host: Element) => void): void {
  listener = callback;
}

/** Called by `<vinteo-call>` and `<vinteo-session>` as they connect. */
export function panelsHostConnected(host: Element): void {
  listener?.(host);
}
