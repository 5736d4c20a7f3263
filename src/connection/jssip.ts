import type * as JsSIP from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { whenIdle } from '../timing.js';
import { importJsSip } from './jssip-module.js';
import type { SipUserAgent, UserAgentFactory } from './transport.js';

let jssip: typeof JsSIP | undefined;
let loading: Promise<void> | undefined;

/** The part of JsSIP's logger (the npm `debug` module, exported by JsSIP as `debug`) used here. */
interface DebugModule {
  enable(namespaces: string): void;
  save?: (namespaces: string) => void;
  namespaces?: unknown;
}

/** JsSIP's log namespaces (`JsSIP`, `JsSIP:Transport`, `JsSIP:WARN:…`), as a `debug` template. */
const JSSIP_NAMESPACES = 'JsSIP*';
let sipDebug = false;

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
function applySipDebug(module: typeof JsSIP): void {
  const debug = (module as unknown as { debug?: DebugModule }).debug;
  if (!debug || typeof debug.enable !== 'function') return;
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

/**
 * Lets JsSIP log to the console (its `debug` namespaces, `JsSIP*`), now or as soon as it loads: for
 * development only. Unsafe anywhere else: that log shows every SIP message, with the digest
 * authentication of each request (enough to try passwords offline) and the SDP. Without this call
 * JsSIP stays silent, even when `localStorage.debug` asks for it. `enableSipDebug(false)` silences it again.
 */
export function enableSipDebug(on = true): void {
  sipDebug = on;
  if (jssip) applySipDebug(jssip);
}

/**
 * Loads JsSIP on first connect rather than at import time: its modules read `navigator` as they are
 * evaluated, which breaks server-side rendering, and a page that never connects need not run them.
 * Returns `undefined` once loaded (so callers add no await), else a promise that rejects with a
 * `connection-failed` VinteoError when the module cannot be loaded; the next call tries again.
 */
export function loadJsSip(): Promise<void> | undefined {
  if (jssip) return undefined;
  loading ??= importJsSip().then(
    (module) => {
      // CommonJS interop: the named exports, or the same object as `default`.
      const namespace = module as typeof JsSIP & { default?: typeof JsSIP };
      jssip = typeof namespace.UA === 'function' ? namespace : namespace.default;
      if (jssip) applySipDebug(jssip);
    },
    (error: unknown) => {
      loading = undefined;
      // The script-tag build fetches JsSIP from a file of its own: say which and from where.
      const why = error instanceof Error && error.message ? ` (${error.message})` : '';
      throw new VinteoError('connection-failed', `Cannot connect: the SIP library (JsSIP) could not be loaded${why}`, { cause: error });
    },
  );
  return loading;
}

/**
 * Loads JsSIP when the browser is next idle (at the latest within `timeoutMs`), so that a later
 * connect starts at once. Never rejects: a failure is reported by the connect that needs it.
 */
export function preloadJsSip(timeoutMs = 2000): void {
  if (jssip || loading) return;
  const load = (): void => {
    loadJsSip()?.catch(() => undefined);
  };
  whenIdle(load, timeoutMs);
}

/** The real transport: JsSIP over a WebSocket. Needs {@link loadJsSip} to have resolved. */
export const createJsSipUserAgent: UserAgentFactory = ({ wsUrl, configuration, registerHeaders }) => {
  if (!jssip) throw new Error('JsSIP is not loaded yet');
  const socket = new jssip.WebSocketInterface(wsUrl);
  const ua = new jssip.UA({ ...configuration, sockets: [socket] });
  if (registerHeaders?.length) ua.registrator().setExtraHeaders([...registerHeaders]);
  return ua as unknown as SipUserAgent;
};
