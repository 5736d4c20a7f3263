/**
 * The signalling WebSocket opened ahead of a connect, while what connecting needs is still loading (the
 * script-tag loader's SIP chunk, or JsSIP itself): its handshake (TCP, TLS, the upgrade) overlaps that
 * download, the element's first render and, with `server`, discovery. The user agent's transport then takes
 * it over (`createJsSipUserAgent`) instead of opening its own. A socket no connect takes is closed.
 */
import { safeDelay } from '../timing.js';

/**
 * Opens a WebSocket to `wsUrl` with the subprotocol `sip`, as JsSIP's own; undefined where none can be
 * made (the transport then reports that as before).
 */
export function openSipSocket(wsUrl: string): WebSocket | undefined {
  try {
    if (typeof WebSocket !== 'function') return undefined;
    const ws = new WebSocket(wsUrl, 'sip');
    ws.binaryType = 'arraybuffer';
    return ws;
  } catch {
    return undefined;
  }
}

/** A socket opened ahead of the first connect, waiting for it; see {@link openSpareSocket}. */
export interface SpareSocket {
  /** The address it was opened to. */
  readonly url: string;
  /**
   * The socket for a connect to `wsUrl`, once: undefined (the socket closed) for another address, or
   * when it has closed or was closed meanwhile; later calls get undefined.
   */
  take(wsUrl: string): WebSocket | undefined;
  /** Closes it unless a connect took it. */
  close(): void;
}

/**
 * Opens the signalling WebSocket to `wsUrl` for the next connect; closed if no connect has taken it
 * within `unusedMs` (the connect timeout), so that a join that never came leaves nothing open.
 */
export function openSpareSocket(wsUrl: string, unusedMs: number): SpareSocket | undefined {
  let ws = openSipSocket(wsUrl);
  if (!ws) return undefined;
  const close = (): void => {
    clearTimeout(timer);
    ws?.close();
    ws = undefined;
  };
  const timer = setTimeout(close, safeDelay(unusedMs));
  return {
    url: wsUrl,
    take(target) {
      const socket = ws;
      if (!socket || target !== wsUrl || socket.readyState > WebSocket.OPEN) {
        close();
        return undefined;
      }
      clearTimeout(timer);
      ws = undefined;
      return socket;
    },
    close,
  };
}
