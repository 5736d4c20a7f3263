/**
 * The script-tag loader's way to the panels (vite.config.ts puts this file in place of
 * `panels-module.ts`): `<vinteo-session>`, `<vinteo-dialpad>`, `<vinteo-devices>`, `<vinteo-presentation>` and
 * `<vinteo-stats>` are not inside `vinteo-widgets.js` but in `vinteo-widgets-panels.js` next to it, imported
 * (which defines them) once one is on the page:
 *
 * - at once, when the document has one as the script runs (a `defer` script runs after parsing);
 * - when one appears beside a `<vinteo-call>` (or inside the session it is in): as a call connects, one is
 *   looked for in the same document or shadow root, and that root is watched (a MutationObserver, ended once
 *   the panels are in) for one added later;
 * - when a call inside a `<vinteo-session>` not yet defined joins (panels-hook.ts);
 * - on `VinteoWidgets.loadPanels()`, for a panel nowhere near a call.
 *
 * A page with neither a panel, a session nor a call never fetches the file, and loading the script starts no
 * observer. A failed fetch (`connection-failed`) is logged and fired as `vinteo-error` on the elements that wait
 * (an undefined element cannot show it; a call that joins inside a session shows it), `loadPanels()` rejects
 * with it, and the next one asks again (with a new `retry` parameter).
 */
import { chunkLoader } from '../src/chunk-loader.js';
import { VinteoError } from '../src/errors.js';
import { logger } from '../src/logger.js';
import { VinteoErrorEvent } from './shared/events.js';
import { onPanelsHost } from './shared/panels-hook.js';
import type * as Panels from './panels.js';

/** The chunk's file name, next to the script (vite.config.ts builds it under this name). */
export const PANELS_CHUNK_FILE = 'vinteo-widgets-panels.js';

const PANEL_SELECTOR = 'vinteo-session, vinteo-dialpad, vinteo-devices, vinteo-presentation, vinteo-stats';

const chunk = chunkLoader<typeof Panels>(PANELS_CHUNK_FILE, () => import('./panels.js'));

/** Watches the roots that hold a call or a session, for a panel added later; ended once the panels are in. */
let observer: MutationObserver | undefined;
const watched = new WeakSet<Node>();

/**
 * Fetches and defines the panels, once for the page; see {@link import('./panels-module.js').loadPanels}.
 * Rejects with a `connection-failed` VinteoError naming the file and where it was looked for.
 */
export function loadPanels(): Promise<void> {
  return chunk.load().then(
    () => {
      observer?.disconnect();
      observer = undefined;
    },
    (error: unknown) => {
      throw VinteoError.chunkUnavailable('The panels (<vinteo-session>, <vinteo-devices>, <vinteo-stats>…)', error);
    },
  );
}

/** Loads the panels for `waiting` (the panels found); a failure is logged and fired on each of them. */
function want(waiting: readonly Element[]): void {
  loadPanels().catch((error: VinteoError) => {
    logger.error(error.message);
    for (const panel of waiting) if (panel.isConnected) panel.dispatchEvent(new VinteoErrorEvent(error.toJSON()));
  });
}

/** The panels in (or at) `node`. */
function panelsIn(node: Node): Element[] {
  if (node instanceof Element && node.matches(PANEL_SELECTOR)) return [node];
  return node instanceof Element || node instanceof Document || node instanceof DocumentFragment ? [...node.querySelectorAll(PANEL_SELECTOR)] : [];
}

function watch(root: Node): void {
  if (chunk.loaded()) return;
  const present = panelsIn(root);
  if (present.length > 0) {
    want(present);
    return;
  }
  if (watched.has(root)) return;
  watched.add(root);
  observer ??= new MutationObserver((records) => {
    const added = records.flatMap((record) => [...record.addedNodes].flatMap(panelsIn));
    if (added.length > 0) want(added);
  });
  observer.observe(root, { childList: true, subtree: true });
}

if (typeof document !== 'undefined') {
  const present = panelsIn(document);
  if (present.length > 0) want(present);
  onPanelsHost((host) => watch(host.getRootNode()), loadPanels);
}
