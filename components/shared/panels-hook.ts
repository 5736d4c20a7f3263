/**
 * Where `<vinteo-call>` and `<vinteo-session>` tell the script-tag loader (components/panels-lazy.ts) that they
 * are on the page, so that it can fetch the panels chunk (the panels and `<vinteo-session>`) when one is beside
 * them, and where a call inside a `<vinteo-session>` not yet defined asks for that chunk. Nothing listens in the
 * other builds, whose elements are defined from the start.
 */
let listener: ((host: Element) => void) | undefined;
let loader: (() => Promise<void>) | undefined;

/** The loader's listener and its way to fetch the chunk (one per page). */
export function onPanelsHost(callback: (host: Element) => void, load: () => Promise<void>): void {
  listener = callback;
  loader = load;
}

/** Called by `<vinteo-call>` and `<vinteo-session>` as they connect. */
export function panelsHostConnected(host: Element): void {
  listener?.(host);
}

/** Whether the script-tag loader is here to fetch the panels chunk (false in the other builds). */
export function panelsChunkLoader(): boolean {
  return loader !== undefined;
}

/**
 * With the script-tag loader, fetches the chunk that defines `<vinteo-session>` and the panels (once for the
 * page; rejects with `connection-failed` when it cannot be fetched). Undefined in the other builds.
 */
export function loadPanelsChunk(): Promise<void> | undefined {
  return loader?.();
}
