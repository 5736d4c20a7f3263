/**
 * SIP over WebSocket (RFC 7118) transport: a `ws` server bound to a loopback
 * host, plain (ws://) or over TLS (wss://, `tls` option), that upgrades only
 * the path `/webrtc/wss/` (a real Vinteo server's; `/webrtc/wss` too, any
 * query string ignored) with the `sip` subprotocol: any other path gets an
 * HTTP 404 and no WebSocket. Plain HTTP requests go to the `http` hook first
 * (the discovery endpoint, discovery.ts). Each WebSocket is a "flow"; replies
 * go back on the flow a request came in on, and server-initiated requests are
 * sent on a chosen flow (a dialog's or a registration's). Also keeps a
 * minimal client-transaction table so callers can `await` the final response
 * of a request they sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { listenOn, responseTransactionKey, SipListenerBase, type ClientTransaction, type Flow, type FlowCloseReason, type SipListener } from './listener.js';
import { parseSipMessage, serializeSipMessage, summarize, type SipMessage, type SipRequest, type SipResponse } from './message.js';

interface FlowImpl extends Flow {
  ws: WebSocket;
  isOpen: boolean;
  closeReason: FlowCloseReason | undefined;
}

export interface SipTransportOptions {
  /** Prefix of flow ids (default 'ws', 'wss' with `tls`); must be unique per listener. */
  name?: string;
  host: string;
  port: number;
  log: Logger;
  /** Largest accepted WebSocket message (bytes). */
  maxMessageBytes?: number;
  /** Serve HTTPS and secure WebSockets (wss://) with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Plain HTTP requests (no upgrade) go here first; returns true when it answered the request. */
  http?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** The one WebSocket path a Vinteo server upgrades (with or without the final slash). */
export const SIP_WS_PATHS: readonly string[] = ['/webrtc/wss/', '/webrtc/wss'];

/** The path of a request target, without its query string ('' when unparsable). */
export function requestPath(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://path.invalid').pathname;
  } catch {
    return '';
  }
}

export class SipTransport extends SipListenerBase<FlowImpl> implements SipListener {
  /** Via transport token and Contact `transport=`: WS, or WSS over TLS. */
  readonly viaTransport: 'WS' | 'WSS';

  private readonly httpServer: Server;
  private readonly wss: WebSocketServer;
  private flowSeq = 0;
  private closing = false;
  private boundPort = 0;

  constructor(private readonly options: SipTransportOptions) {
    super(options.log);
    this.viaTransport = options.tls ? 'WSS' : 'WS';
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => this.handleHttp(req, res);
    this.httpServer = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createServer(onRequest);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes ?? 1024 * 1024,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    this.httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    this.wss.on('connection', (ws, req) => this.handleConnection(ws, req));
    // Listen errors are reported by listen(); ws re-emits them here too.
    this.wss.on('error', (error) => this.log.debug(`websocket server error: ${errorMessage(error)}`));
  }

  /** Starts listening; rejects with a clear error when the port is taken. */
  listen(): Promise<void> {
    const { host, port } = this.options;
    return listenOn(
      this.httpServer,
      () => this.httpServer.listen({ host, port, exclusive: true }),
      { host, port },
      this.options.tls ? { port: 'SIP secure WebSocket (TLS)', service: 'SIP secure WebSocket (TLS)' } : { port: 'SIP WebSocket', service: 'SIP WebSocket' },
      () => {
        this.boundPort = (this.httpServer.address() as AddressInfo).port;
        this.httpServer.on('error', (error) => this.log.warn(`SIP http server error: ${errorMessage(error)}`));
        // A client that does not trust our self-signed certificate aborts the handshake: not our error.
        this.httpServer.on('tlsClientError', (error: Error) => this.log.debug(`TLS handshake failed: ${errorMessage(error)}`));
      },
    );
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host;
  }

  /** Sends any SIP message on a flow. Returns false if the flow is gone. */
  override send(flow: Flow, message: SipMessage): boolean {
    const impl = this.flowsById.get(flow.id);
    if (!impl || !impl.isOpen) {
      this.log.debug(`drop outgoing ${summarize(message)}: flow ${flow.id} is closed`);
      return false;
    }
    let text: string;
    try {
      text = serializeSipMessage(message);
    } catch (error) {
      this.log.warn(`cannot serialize ${summarize(message)}: ${errorMessage(error)}`);
      return false;
    }
    this.log.debug(`-> [${flow.id}] ${summarize(message)}`);
    try {
      impl.ws.send(text);
      return true;
    } catch (error) {
      this.log.warn(`send failed on flow ${flow.id}: ${errorMessage(error)}`);
      return false;
    }
  }

  protected override transmitRequest(flow: Flow, request: SipRequest, tx: ClientTransaction): void {
    if (!this.send(flow, request)) throw new Error(`cannot send ${tx.method}: connection closed`);
  }

  /** Closes every WebSocket abruptly (as a network failure would). Returns how many were open. */
  dropAll(): number {
    let count = 0;
    for (const flow of this.flowsById.values()) {
      if (!flow.isOpen) continue;
      count++;
      this.closeFlow(flow, 'dropped');
    }
    return count;
  }

  /**
   * Closes every WebSocket (politely first: queued messages such as BYEs are
   * flushed and a close frame sent; sockets still open after `graceMs` are
   * destroyed), fails pending transactions and frees the port.
   */
  async close(graceMs = 250): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const open = [...this.flowsById.values()].filter((f) => f.isOpen);
    await Promise.all(
      open.map(
        (flow) =>
          new Promise<void>((resolve) => {
            flow.closeReason = 'server-closed';
            const timer = setTimeout(() => {
              flow.ws.terminate();
              resolve();
            }, graceMs);
            flow.ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            try {
              flow.ws.close(1001, 'server shutting down');
            } catch {
              flow.ws.terminate();
            }
          }),
      ),
    );
    for (const flow of [...this.flowsById.values()]) this.closeFlow(flow, 'server-closed');
    this.failTransactions(() => new Error('server closed'));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.httpServer.close(() => resolve());
      this.httpServer.closeAllConnections();
    });
  }

  /** A request without upgrade: the `http` hook (discovery), else 426 on the SIP path and 404 elsewhere. */
  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    try {
      if (this.options.http?.(req, res)) return;
    } catch (error) {
      this.log.warn(`HTTP handler failed: ${errorMessage(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
      return;
    }
    req.resume();
    if (SIP_WS_PATHS.includes(requestPath(req.url))) {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      res.end('SIP over WebSocket endpoint: connect with a WebSocket (subprotocol "sip").\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found\n');
  }

  /** Upgrades only the SIP path; any other path is answered 404 and closed, as a real server does. */
  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.log.debug(`upgrade socket error: ${errorMessage(error)}`));
    const path = requestPath(req.url);
    if (this.closing || !SIP_WS_PATHS.includes(path)) {
      this.log.debug(`WebSocket upgrade refused: ${this.closing ? 'closing' : `path ${JSON.stringify(path)}`}`);
      socket.end(`HTTP/1.1 ${this.closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private closeFlow(flow: FlowImpl, reason: FlowCloseReason): void {
    if (!flow.isOpen) return;
    flow.closeReason = reason;
    // terminate() destroys the socket at once; the 'close' event then runs the cleanup.
    flow.ws.terminate();
    this.finishFlow(flow);
  }

  private handleConnection(ws: WebSocket, req: IncomingMessage): void {
    if (this.closing) {
      ws.terminate();
      return;
    }
    const id = `${this.options.name ?? (this.options.tls ? 'wss' : 'ws')}${++this.flowSeq}`;
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const flow: FlowImpl = { id, listener: this, remote, openedAt: Date.now(), ws, isOpen: true, closeReason: undefined };
    this.flowsById.set(id, flow);
    this.log.debug(`websocket ${id} opened from ${remote} path ${req.url ?? '/'} protocol ${ws.protocol || '(none)'}`);
    ws.on('message', (data: RawData, isBinary: boolean) => this.handleData(flow, data, isBinary));
    ws.on('close', (code) => {
      this.log.debug(`websocket ${id} closed (code ${code})`);
      if (!flow.closeReason) flow.closeReason = 'closed';
      this.finishFlow(flow);
    });
    ws.on('error', (error) => this.log.debug(`websocket ${id} error: ${errorMessage(error)}`));
  }

  private finishFlow(flow: FlowImpl): void {
    if (!this.flowsById.has(flow.id)) return;
    flow.isOpen = false;
    this.flowsById.delete(flow.id);
    this.failTransactions(
      (tx) => new Error(`connection closed before the ${tx.method} was answered`),
      (tx) => tx.flowId === flow.id,
    );
    this.notifyFlowClosed(flow);
  }

  private handleData(flow: FlowImpl, data: RawData, isBinary: boolean): void {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(data).toString('utf8');
    if (text.trim() === '') {
      // RFC 5626 keep-alive: answer a double CRLF ping with a single CRLF pong.
      if (text === '\r\n\r\n' && flow.isOpen) flow.ws.send('\r\n');
      return;
    }
    const parsed = parseSipMessage(text);
    if ('error' in parsed) {
      this.log.warn(`ignored malformed message on ${flow.id}${isBinary ? ' (binary frame)' : ''}: ${parsed.error}`);
      return;
    }
    this.dispatchMessage(parsed.message, flow, (request) => {
      if (this.rejectCSeqMismatch(request, flow, request.method)) return;
      this.deliverRequest(request, flow, request.method);
    });
  }

  protected override answeredTransaction(response: SipResponse, flow: FlowImpl): ClientTransaction | undefined {
    const tx = this.pending.get(responseTransactionKey(response));
    // A response on another connection than the request's answers nothing of ours.
    return tx?.flowId === flow.id ? tx : undefined;
  }
}
