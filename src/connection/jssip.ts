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

/** The members of JsSIP's WebSocketInterface that taking over an open socket needs. */
interface SocketInternals {
  _ws: WebSocket | null;
  _onOpen(): void;
  _onClose(event: CloseEvent): void;
  _onMessage(event: MessageEvent): void;
  _onError(event: Event): void;
  connect(): void;
}

/**
 * JsSIP's WebSocketInterface whose first connect() takes over `spare` (opened by `openSipSocket`, spare-socket.ts)
 * while it is connecting or open; a closed one, or a JsSIP without these internals, gets a fresh socket.
 */
function takingOver(module: typeof JsSIP, wsUrl: string, spare: WebSocket): JsSIP.WebSocketInterface {
  const socket = new module.WebSocketInterface(wsUrl);
  const inner = socket as unknown as SocketInternals;
  const usable = ['_onOpen', '_onClose', '_onMessage', '_onError'].every((name) => typeof (inner as unknown as Record<string, unknown>)[name] === 'function');
  const connect = inner.connect.bind(socket);
  let waiting: WebSocket | undefined = spare;
  inner.connect = () => {
    const ws = waiting;
    waiting = undefined;
    if (!ws) return connect();
    if (!usable || inner._ws || ws.readyState > WebSocket.OPEN) {
      ws.close();
      return connect();
    }
    inner._ws = ws;
    ws.onopen = () => inner._onOpen();
    ws.onclose = (event) => inner._onClose(event);
    ws.onmessage = (event) => inner._onMessage(event);
    ws.onerror = (event) => inner._onError(event);
    // Already open: reported once the user agent's start() has returned, as a fresh socket's open would be.
    if (ws.readyState === WebSocket.OPEN) queueMicrotask(() => {
      if (inner._ws === ws && ws.readyState === WebSocket.OPEN) inner._onOpen();
    });
  };
  return socket;
}

/** The real transport: JsSIP over a WebSocket. Needs {@link loadJsSip} to have resolved. */
export const createJsSipUserAgent: UserAgentFactory = ({ wsUrl, configuration, registerHeaders, preconnected }) => {
  try {
    if (!jssip) throw new Error('JsSIP is not loaded yet');
    const socket = preconnected ? takingOver(jssip, wsUrl, preconnected) : new jssip.WebSocketInterface(wsUrl);
    const ua = new jssip.UA({ ...configuration, sockets: [socket] });
    if (registerHeaders?.length) ua.registrator().setExtraHeaders([...registerHeaders]);
    return ua as unknown as SipUserAgent;
  } catch (error) {
    // No user agent: the socket opened for it is not left open.
    preconnected?.close();
    throw error;
  }
};
