import type * as JsSIP from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { whenIdle } from '../timing.js';
import { importJsSip } from './jssip-module.js';
import { sipLibraryLoaded } from './sip-debug.js';
import type { SipUserAgent, UserAgentFactory } from './transport.js';

let jssip: typeof JsSIP | undefined;
let loading: Promise<void> | undefined;

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
      if (jssip) sipLibraryLoaded(jssip);
    },
    (error: unknown) => {
      loading = undefined;
      throw VinteoError.sipLibraryUnavailable(error);
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
