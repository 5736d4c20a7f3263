/**
 * SIP over WebSocket (RFC 7118) transport: a `ws` server bound to a loopback
 * host that accepts any URL path and the `sip` subprotocol. Each WebSocket is
 * a "flow"; replies go back on the flow a request came in on, and
 * server-initiated requests are sent on a chosen flow (a dialog's or a
 * registration's). Also keeps a minimal client-transaction table so callers
 * can `await` the final response of a request they sent.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** Prefix of flow ids (default 'ws'); must be unique per listener. */
  name?: string;
  host: string;
  port: number;
  log: Logger;
  /** Largest accepted WebSocket message (bytes). */
  maxMessageBytes?: number;
}

export class SipTransport extends SipListenerBase<FlowImpl> implements SipListener {
  readonly viaTransport = 'WS';

  private readonly httpServer: Server;
  private readonly wss: WebSocketServer;
  private flowSeq = 0;
  private closing = false;
  private boundPort = 0;

  constructor(private readonly options: SipTransportOptions) {
    super(options.log);
    this.httpServer = createServer((req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      res.end('SIP over WebSocket endpoint: connect with a WebSocket (subprotocol "sip").\n');
    });
    this.wss = new WebSocketServer({
      server: this.httpServer,
      maxPayload: options.maxMessageBytes ?? 1024 * 1024,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
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
      { port: 'SIP WebSocket', service: 'SIP WebSocket' },
      () => {
        this.boundPort = (this.httpServer.address() as AddressInfo).port;
        this.httpServer.on('error', (error) => this.log.warn(`SIP http server error: ${errorMessage(error)}`));
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
    const id = `${this.options.name ?? 'ws'}${++this.flowSeq}`;
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
