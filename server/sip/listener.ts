/**
 * What a SIP listener is (`SipListener`, `SipListenerHooks`, `Flow`) and the
 * plumbing the two listeners share: the WebSocket transport (ws-listener.ts)
 * and the UDP listener behind a proxy (udp-listener.ts). Shared: the hooks
 * `attachSipRouter` sets, the flows by id, the client-transaction key, how a
 * received response reaches its transaction and a received request reaches
 * `onRequest`, and how `listen()` reports a port it cannot take. How bytes
 * move (WebSocket framing and keep-alives; UDP addressing, retransmissions and
 * absorbed retransmitted requests) stays in each listener.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { isRequest, isResponse, makeResponse, summarize, topViaBranch, type SipMessage, type SipRequest, type SipResponse } from './message.js';

export type FlowCloseReason = 'closed' | 'dropped' | 'server-closed';

/**
 * What the call/registrar logic needs from a SIP listener. The WebSocket
 * transport is one; another listener (e.g. behind a SIP proxy) implements the
 * same interface and shares the registrar and call manager.
 */
export interface SipListener {
  /** Loopback address the listener is bound to (used in Via/Contact). */
  readonly host: string;
  readonly port: number;
  /** Via transport token and Contact `transport=` value, e.g. 'WS'. */
  readonly viaTransport: string;
  send(flow: Flow, message: SipMessage): boolean;
  /**
   * Sends a request and resolves with its final response; `onProvisional`
   * sees every 1xx of the transaction (INVITE: 100, 180, 183 …).
   */
  request(flow: Flow, request: SipRequest, timeoutMs?: number, onProvisional?: (response: SipResponse) => void): Promise<SipResponse>;
}

/** Callbacks a listener drives; `attachSipRouter` sets them. */
export interface SipListenerHooks {
  /** Called for every well-formed request. Exceptions are caught and answered 500. */
  onRequest: (request: SipRequest, flow: Flow) => void;
  /** Called once per flow when it closes (for any reason). */
  onFlowClosed: (flow: Flow) => void;
  /** Called for a response that matches no pending transaction. */
  onStrayResponse: (response: SipResponse, flow: Flow) => void;
  /** Called first for every well-formed message received, request or response (the message log). */
  onMessage: (message: SipMessage, flow: Flow) => void;
}

export interface Flow {
  readonly id: string;
  /** The listener that owns this connection (replies and in-dialog requests go through it). */
  readonly listener: SipListener;
  /** "ip:port" of the peer, for logs. */
  readonly remote: string;
  readonly openedAt: number;
  readonly isOpen: boolean;
  /** Why the flow closed (set once closed). */
  readonly closeReason: FlowCloseReason | undefined;
}

export class TransactionTimeoutError extends Error {
  constructor(method: string, timeoutMs: number) {
    super(`no final response to ${method} within ${timeoutMs} ms`);
    this.name = 'TransactionTimeoutError';
  }
}

/** A request we sent, waiting for its final response (keyed by `clientTransactionKey`). */
export interface ClientTransaction {
  /** Its key in the listener's table. */
  key: string;
  flowId: string;
  /** Upper-cased. */
  method: string;
  onProvisional?: (response: SipResponse) => void;
  resolve: (response: SipResponse) => void;
  reject: (error: Error) => void;
  timeout: NodeJS.Timeout;
  /** UDP only: the next retransmission (Timer A/E). */
  retransmit?: NodeJS.Timeout;
}

/** Client transactions are keyed `${branch}|${METHOD}` (a CANCEL shares its INVITE's branch). */
export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}|${method.toUpperCase()}`;
}

/** The key of the client transaction a response answers (its top Via branch and CSeq method). */
export function responseTransactionKey(response: SipResponse): string {
  return clientTransactionKey(topViaBranch(response), String(response.headers.cseq?.method ?? ''));
}

/**
 * Calls `start` (a server's listen or a socket's bind) and settles on the first
 * 'listening' or 'error'. On 'listening', `onListening` runs before the promise
 * resolves; an error rejects with a readable message: `${names.port} port … is
 * already in use` for a taken port, `cannot listen for ${names.service} on …`
 * for anything else.
 */
export function listenOn(
  target: EventEmitter,
  start: () => void,
  where: { host: string; port: number },
  names: { port: string; service: string },
  onListening: () => void,
): Promise<void> {
  const { host, port } = where;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      target.off('listening', onListen);
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`${names.port} port ${port} on ${host} is already in use`)
          : new Error(`cannot listen for ${names.service} on ${host}:${port}: ${error.message}`),
      );
    };
    const onListen = (): void => {
      target.off('error', onError);
      onListening();
      resolve();
    };
    target.once('error', onError);
    target.once('listening', onListen);
    start();
  });
}

/**
 * The part of a SIP listener that does not depend on how bytes move: the
 * hooks, the flows by id, and the dispatch of received messages to client
 * transactions and to `onRequest`. Every handler exception is logged, never
 * thrown into the socket's event loop.
 */
export abstract class SipListenerBase<F extends Flow> implements SipListenerHooks {
  /** Called for every well-formed request. Exceptions are caught and answered 500. */
  onRequest: (request: SipRequest, flow: Flow) => void = () => {};
  /** Called once per flow when it closes (for any reason). */
  onFlowClosed: (flow: Flow) => void = () => {};
  /**
   * Called for a response that matches no pending transaction (e.g. a
   * retransmitted 2xx to an INVITE that must be ACKed again).
   */
  onStrayResponse: (response: SipResponse, flow: Flow) => void = () => {};
  /** Called first for every well-formed message received, request or response (the message log). */
  onMessage: (message: SipMessage, flow: Flow) => void = () => {};

  protected readonly flowsById = new Map<string, F>();
  /** Our requests waiting for a final response, by `clientTransactionKey`. */
  protected readonly pending = new Map<string, ClientTransaction>();

  protected constructor(protected readonly log: Logger) {}

  abstract send(flow: Flow, message: SipMessage): boolean;

  /**
   * Puts a request of a new client transaction on the wire (the UDP listener
   * also schedules its retransmissions); throws a readable error when it
   * cannot be sent (the transaction then fails with it).
   */
  protected abstract transmitRequest(flow: Flow, request: SipRequest, tx: ClientTransaction): void;

  /**
   * Sends a request and resolves with its final response (1xx go to
   * `onProvisional`). Rejects on timeout, when it cannot be sent, when its
   * flow closes, or when the listener closes.
   */
  request(flow: Flow, request: SipRequest, timeoutMs = 8000, onProvisional?: (response: SipResponse) => void): Promise<SipResponse> {
    const branch = topViaBranch(request);
    const method = request.method.toUpperCase();
    const key = clientTransactionKey(branch, method);
    return new Promise<SipResponse>((resolve, reject) => {
      if (!branch) {
        reject(new Error('request without a Via branch'));
        return;
      }
      if (this.pending.has(key)) {
        reject(new Error(`a ${method} with branch ${branch} is already pending`));
        return;
      }
      const tx: ClientTransaction = {
        key,
        flowId: flow.id,
        method,
        resolve,
        reject,
        timeout: setTimeout(() => {
          this.finishTransaction(tx);
          reject(new TransactionTimeoutError(method, timeoutMs));
        }, timeoutMs),
        ...(onProvisional ? { onProvisional } : {}),
      };
      this.pending.set(key, tx);
      try {
        this.transmitRequest(flow, request, tx);
      } catch (error) {
        this.finishTransaction(tx);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Ends a client transaction: stops its timers and forgets it. */
  protected finishTransaction(tx: ClientTransaction): void {
    clearTimeout(tx.timeout);
    if (tx.retransmit) clearTimeout(tx.retransmit);
    if (this.pending.get(tx.key) === tx) this.pending.delete(tx.key);
  }

  /** Fails every pending transaction that `match` selects (all by default) with `error(tx)`. */
  protected failTransactions(error: (tx: ClientTransaction) => Error, match: (tx: ClientTransaction) => boolean = () => true): void {
    for (const tx of [...this.pending.values()]) {
      if (!match(tx)) continue;
      this.finishTransaction(tx);
      tx.reject(error(tx));
    }
  }

  flows(): Flow[] {
    return [...this.flowsById.values()];
  }

  getFlow(id: string): Flow | undefined {
    return this.flowsById.get(id);
  }

  /** Tells `onFlowClosed` that a flow has closed. */
  protected notifyFlowClosed(flow: F): void {
    try {
      this.onFlowClosed(flow);
    } catch (error) {
      this.log.warn(`flow close handler failed: ${errorMessage(error)}`);
    }
  }

  /**
   * The client transaction a received response answers, if any (the UDP
   * listener also stops an INVITE's retransmissions on its first 1xx).
   */
  protected abstract answeredTransaction(response: SipResponse, flow: F): ClientTransaction | undefined;

  /**
   * Logs a well-formed received message and routes it: a response to the
   * client transaction it answers (`settleResponse`), a request to `onRequest`
   * (the listener's own checks before `deliverRequest`).
   */
  protected dispatchMessage(message: SipMessage, flow: F, onRequest: (request: SipRequest) => void): void {
    this.log.debug(`<- [${flow.id}] ${summarize(message)}`);
    try {
      this.onMessage(message, flow);
    } catch (error) {
      this.log.warn(`message hook failed: ${errorMessage(error)}`);
    }
    if (isResponse(message)) {
      const response = message as SipResponse;
      this.settleResponse(response, flow, this.answeredTransaction(response, flow));
      return;
    }
    if (isRequest(message)) onRequest(message);
  }

  /**
   * Routes a received response to `tx`, the client transaction it answers
   * (undefined when it answers none: it goes to `onStrayResponse`). A 1xx goes
   * to the transaction's `onProvisional`; a final response ends it (timers
   * stopped, forgotten) and resolves it.
   */
  protected settleResponse(response: SipResponse, flow: F, tx: ClientTransaction | undefined): void {
    if (!tx) {
      this.log.debug(`response without a pending transaction: ${summarize(response)}`);
      try {
        this.onStrayResponse(response, flow);
      } catch (error) {
        this.log.warn(`stray response handler failed: ${errorMessage(error)}`);
      }
      return;
    }
    if (response.status < 200) {
      try {
        tx.onProvisional?.(response);
      } catch (error) {
        this.log.warn(`provisional response handler failed: ${errorMessage(error)}`);
      }
      return;
    }
    this.finishTransaction(tx);
    tx.resolve(response);
  }

  /**
   * Answers 400 to a request whose CSeq method is not its own (nothing to an
   * ACK) and says whether it did. `method` is the request's method as the
   * listener compares it: the WebSocket transport passes it as received, the
   * UDP listener upper-cased (so only there does an `ack` count as an ACK).
   */
  protected rejectCSeqMismatch(request: SipRequest, flow: F, method: string): boolean {
    if (request.headers.cseq!.method.toUpperCase() === method.toUpperCase()) return false;
    if (method !== 'ACK') this.send(flow, makeResponse(request, 400, { reason: 'CSeq Method Mismatch' }));
    return true;
  }

  /** Hands a request to `onRequest`; an exception is logged and answered 500 (nothing to an ACK; `method` as above). */
  protected deliverRequest(request: SipRequest, flow: F, method: string): void {
    try {
      this.onRequest(request, flow);
    } catch (error) {
      this.log.warn(`error handling ${summarize(request)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (method !== 'ACK') this.send(flow, makeResponse(request, 500));
    }
  }
}
