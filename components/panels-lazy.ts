/**
 * The script-tag loader's way to the panels (vite.config.ts puts this file in place of
 * `panels-module.ts`): `<vinteo-dialpad>`, `<vinteo-devices>`, `<vinteo-presentation>` and `<vinteo-stats>` are
 * not inside `vinteo-widgets.js` but in `vinteo-widgets-panels.js` next to it, imported (which defines them)
 * once one is on the page:
 *
 * - at once, when the document has one as the script runs (a `defer` script runs after parsing);
 * - when one appears beside a `<vinteo-call>` or `<vinteo-session>`: as either connects it is looked for in
 *   the same document or shadow root, and that root is watched (a MutationObserver, ended once the panels
 *   are in) for one added later;
 * - on `VinteoWidgets.loadPanels()`, for a panel nowhere near either.
 *
 * A page with neither a panel nor a call never fetches the file, and loading the script starts no observer.
 * A failed fetch is logged and tried again (with a new `retry` parameter) when the next panel appears.
 */
import { chunkLoader } from '../src/chunk-loader.js';
import { logger } from '../src/logger.js';
import { onPanelsHost } from './shared/panels-hook.js';
import type * as Panels from './panels.js';

/** The chunk's file name, next to the script (vite.config.ts builds it under this name). */
export const PANELS_CHUNK_FILE = 'vinteo-widgets-panels.js';

const PANEL_SELECTOR = 'vinteo-dialpad, vinteo-devices, vinteo-presentation, vinteo-stats';

const chunk = chunkLoader<typeof Panels>(PANELS_CHUNK_FILE, () => import('./panels.js'));

/** Watches the roots that hold a call or a session, for a panel added later; ended once the panels are in. */
let observer: MutationObserver | undefined;
const watched = new WeakSet<Node>();

/** Fetches and defines the panels, once for the page; see {@link import('./panels-module.js').loadPanels}. */
export function loadPanels(): Promise<void> {
  return chunk.load().then(() => {
    observer?.disconnect();
    observer = undefined;
  });
}

function want(): void {
  loadPanels().catch((error: unknown) => logger.error('The panels (<vinteo-devices>, <vinteo-stats>…) could not be loaded', error));
}

function holdsPanel(node: Node): boolean {
  return node instanceof Element && (node.matches(PANEL_SELECTOR) || node.querySelector(PANEL_SELECTOR) !== null);
}

function watch(root: Node): void {
  if (chunk.loaded()) return;
  if ((root instanceof Document || root instanceof DocumentFragment) && root.querySelector(PANEL_SELECTOR)) {
    want();
    return;
  }
  if (watched.has(root)) return;
  watched.add(root);
  observer ??= new MutationObserver((records) => {
    if (records.some((record) => [...record.addedNodes].some(holdsPanel))) want();
  });
  observer.observe(root, { childList: true, subtree: true });
}

if (typeof document !== 'undefined') {
  if (document.querySelector(PANEL_SELECTOR)) want();
  onPanelsHost((host) => watch(host.getRootNode()));
}
