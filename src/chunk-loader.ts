/**
 * Loads one of the script-tag loader's chunks (an ES module next to `vinteo-widgets.js`): once per page,
 * shared by every caller, and again (with a new `retry` parameter) after a failure.
 *
 * Create it while the script is evaluated (at a module's top level): `document.currentScript` is read then,
 * and is null later. `<script src=".../vinteo-widgets.js?v=3">` gives `.../<file>?v=3`, so a version query
 * that busts caches applies to every file. Without the script's address (the loader was not loaded by a
 * `<script src>` tag) the chunk is looked for next to the page, through `fallback`, which is also what tells
 * the bundler that the chunk is a file of its own: `() => import('./core-entry.js')`.
 */
export interface ChunkLoader<T> {
  /** The module, once a load has finished. */
  loaded(): T | undefined;
  /** The module, importing it if needed; rejects with an Error naming the file and where it was looked for. */
  load(): Promise<T>;
}

export function chunkLoader<T>(file: string, fallback: () => Promise<unknown>): ChunkLoader<T> {
  const chunkUrl = ((): string | undefined => {
    if (typeof document === 'undefined') return undefined;
    const script = document.currentScript;
    const src = script instanceof HTMLScriptElement ? script.src : '';
    if (!src) return undefined;
    const url = new URL(file, src);
    url.search = new URL(src).search;
    return url.href;
  })();
  let module: T | undefined;
  /** The load in flight, shared by every caller. */
  let loading: Promise<T> | undefined;
  let attempts = 0;

  // A module that failed to load stays failed at its address for the page's lifetime, so each retry asks
  // for it with a new `retry` parameter.
  function start(): Promise<T> {
    attempts += 1;
    let where: string;
    let imported: Promise<unknown>;
    if (chunkUrl) {
      const url = new URL(chunkUrl);
      if (attempts > 1) url.searchParams.set('retry', String(attempts - 1));
      where = url.href;
      imported = import(/* @vite-ignore */ where);
    } else {
      where = `./${file} (next to the page: vinteo-widgets.js was not loaded by a <script src> tag)`;
      imported = fallback();
    }
    return imported.then(
      (value) => (module = value as T),
      (error: unknown) => {
        loading = undefined;
        throw new Error(`${file} could not be loaded from ${where}`, { cause: error });
      },
    );
  }

  return {
    loaded: () => module,
    load: () => {
      if (module) return Promise.resolve(module);
      loading ??= start();
      return loading;
    },
  };
}
