/**
 * The script-tag loader's way to the pure helpers (vite.config.ts puts this file in place of
 * `helpers-module.ts`): they are in `vinteo-widgets-sip.js` with the services that use them, so the loader's
 * global holds `loadHelpers()` and not the helpers themselves.
 */
import { importCore } from './core-lazy.js';
import { VinteoError } from './errors.js';
import type { VinteoHelpers } from './helpers-module.js';

export type { VinteoHelpers } from './helpers-module.js';

/** Fetches the SIP chunk (once for the page) and resolves with its helpers; see {@link import('./helpers-module.js').loadHelpers}. */
export function loadHelpers(): Promise<VinteoHelpers> {
  return importCore().then(
    (core) => core.helpers,
    (error: unknown) => {
      throw VinteoError.chunkUnavailable('The helpers (protocol, parseStats…)', error);
    },
  );
}
