/**
 * Whether JsSIP may log: {@link enableSipDebug}. Kept apart from `jssip.ts`, which loads JsSIP, so that
 * the script-tag loader can offer the switch without holding JsSIP (or the services) itself.
 */

/** The part of JsSIP's logger (the npm `debug` module, exported by JsSIP as `debug`) used here. */
export interface DebugModule {
  enable(namespaces: string): void;
  save?: (namespaces: string) => void;
  namespaces?: unknown;
}

/** JsSIP's log namespaces (`JsSIP`, `JsSIP:Transport`, `JsSIP:WARN:…`), as a `debug` template. */
const JSSIP_NAMESPACES = 'JsSIP*';
let sipDebug = false;
/** The loaded JsSIP's `debug`, once JsSIP is loaded. */
let loadedDebug: DebugModule | undefined;

/** Runs `debug.enable(namespaces)` without `debug` writing `localStorage.debug` (the page's setting stays as it is). */
function enableWithoutSaving(debug: DebugModule, namespaces: string): void {
  const save = debug.save;
  debug.save = () => undefined;
  try {
    debug.enable(namespaces);
  } finally {
    debug.save = save;
  }
}

/**
 * JsSIP logs through `debug`, which switches itself on from `localStorage.debug` (`JsSIP:*`, or a
 * page's `*` meant for other libraries) as it loads. That log holds every SIP message, with the
 * digest authentication of each request and the SDP. So once JsSIP is loaded its namespaces are
 * turned off again, unless the page asked for them with {@link enableSipDebug}; other namespaces keep
 * their setting, and nothing is written to storage. Never throws: the log is not worth a failed connect.
 */
function applySipDebug(debug: DebugModule): void {
  try {
    const current = typeof debug.namespaces === 'string' ? debug.namespaces : '';
    const others = current
      .split(/[\s,]+/)
      .filter((namespace) => namespace !== '' && !/^-?JsSIP/.test(namespace))
      .join(',');
    const jssipNamespaces = sipDebug ? JSSIP_NAMESPACES : `-${JSSIP_NAMESPACES}`;
    enableWithoutSaving(debug, others ? `${others},${jssipNamespaces}` : jssipNamespaces);
  } catch {
    // A foreign `debug` build: leave it alone.
  }
}

/** Called by `jssip.ts` when JsSIP has loaded: its log follows {@link enableSipDebug} from now on. */
export function sipLibraryLoaded(module: unknown): void {
  const debug = (module as { debug?: DebugModule } | undefined)?.debug;
  if (!debug || typeof debug.enable !== 'function') return;
  loadedDebug = debug;
  applySipDebug(debug);
}

/**
 * Lets JsSIP log to the console (its `debug` namespaces, `JsSIP*`), now or as soon as it loads: for
 * development only. Unsafe anywhere else: that log shows every SIP message, with the digest
 * authentication of each request (enough to try passwords offline) and the SDP. Without this call
 * JsSIP stays silent, even when `localStorage.debug` asks for it. `enableSipDebug(false)` silences it again.
 */
export function enableSipDebug(on = true): void {
  sipDebug = on;
  if (loadedDebug) applySipDebug(loadedDebug);
}
