/**
 * Plain SIP over UDP (RFC 3261 §18) on a loopback address, for a SIP proxy in
 * front of the server (e.g. Kamailio: browser → Kamailio over WebSocket →
 * this listener). It implements the same `SipListener` as the WebSocket
 * transport (and shares its plumbing, listener.ts), so the registrar and
 * the call manager treat both alike.
 *
 * The `sip` package's own transports listen on every interface, so this binds
 * its own `dgram` socket and only uses `sip.parse`/`sip.stringify` (through
 * message.ts, which writes a byte-correct Content-Length).
 *
 * A "flow" here is one remote address (the proxy's ip:port); it stays open
 * until the listener closes. Addressing follows a proxy in the path:
 * - responses go to the top Via (its `received`/`rport`, which are filled in
 *   on arrival, RFC 3581), i.e. back to the proxy;
 * - requests go to the first Route (loose routing: a dialog's Record-Route set
 *   as Route headers), else to the Request-URI when it is a UDP loopback
 *   address, else to the flow's remote address.
 * Only loopback destinations are ever used.
 *
 * UDP is unreliable, so the minimal transaction layer is here too: requests
 * we send are retransmitted (Timer A/E) until answered; retransmitted
 * requests we receive are absorbed and answered with our last response; a
 * final response to an INVITE is retransmitted until its ACK arrives (RFC 3261
 * §13.3.1.4 for a 2xx, Timer G for the others).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { listenOn, responseTransactionKey, SipListenerBase, type ClientTransaction, type Flow, type FlowCloseReason, type SipListener } from './listener.js';
import { isResponse, parseSipMessage, parseUri, serializeSipMessage, summarize, topViaBranch, type SipMessage, type SipRequest, type SipResponse } from './message.js';

/** RFC 3261 timers (ms). */
const T1 = 500;
const T2 = 4000;
/** How long a server transaction is remembered to absorb retransmissions (64·T1). */
const TRANSACTION_LINGER_MS = 64 * T1;
/** Largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65_507;
/** Remote addresses (flows) kept at most; new sources beyond it are ignored. */
const MAX_FLOWS = 1024;

interface Destination {
  host: string;
  port: number;
}

interface UdpFlow extends Flow {
  destination: Destination;
  isOpen: boolean;
  closeReason: FlowCloseReason | undefined;
}

interface ServerTransaction {
  /** The last response sent in it (retransmitted when the request comes again). */
  response?: { data: Buffer; destination: Destination };
  timer: NodeJS.Timeout;
}

interface UnackedFinal {
  data: Buffer;
  destination: Destination;
  timer: NodeJS.Timeout;
  interval: number;
  deadline: number;
}

export interface SipUdpListenerOptions {
  /** Prefix of flow ids (default 'udp'). */
  name?: string;
  /** Loopback address to bind. */
  host: string;
  port: number;
  log: Logger;
}

function isLoopback(host: string): boolean {
  const value = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(value) === 4) return value.startsWith('127.');
  if (isIP(value) === 6) return value === '::1' || value === '0:0:0:0:0:0:0:1';
  return false;
}

function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function key(destination: Destination): string {
  return `${destination.host.includes(':') ? `[${destination.host}]` : destination.host}:${destination.port}`;
}

export class SipUdpListener extends SipListenerBase<UdpFlow> implements SipListener {
  readonly viaTransport = 'UDP';

  private readonly socket: Socket;
  private readonly flowsByRemote = new Map<string, UdpFlow>();
  /** Requests received, by `${branch}|${METHOD}|${remote}`. */
  private readonly serverTransactions = new Map<string, ServerTransaction>();
  /** Our final responses to INVITEs not ACKed yet, by `${Call-ID}|${CSeq}` (an ACK has the INVITE's CSeq number). */
  private readonly unacked = new Map<string, UnackedFinal>();
  private flowSeq = 0;
  private boundPort = 0;
  private listening = false;
  private closing = false;

  constructor(private readonly options: SipUdpListenerOptions) {
    super(options.log);
    if (!isLoopback(options.host)) throw new Error(`the SIP UDP listener binds loopback addresses only, got ${options.host}`);
    this.socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket.on('message', (data, rinfo) => this.handleDatagram(data, rinfo));
  }

  get host(): string {
    return this.options.host;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Binds the socket; rejects with a clear error when the port is taken. */
  listen(): Promise<void> {
    const { host, port } = this.options;
    return listenOn(
      this.socket,
      () => this.socket.bind({ address: host, port, exclusive: true }),
      { host, port },
      { port: 'SIP UDP', service: 'SIP over UDP' },
      () => {
        this.socket.on('error', (error) => this.log.warn(`SIP UDP socket error: ${errorMessage(error)}`));
        this.boundPort = this.socket.address().port;
        this.listening = true;
      },
    );
  }

  /** Sends any SIP message; responses go to their top Via, requests to their first Route (or Request-URI). */
  override send(flow: Flow, message: SipMessage): boolean {
    const impl = this.flowsById.get(flow.id);
    if (!impl || !impl.isOpen || this.closing) {
      this.log.debug(`drop outgoing ${summarize(message)}: flow ${flow.id} is closed`);
      return false;
    }
    const destination = isResponse(message) ? this.responseDestination(message, impl) : this.requestDestination(message as SipRequest, impl);
    let data: Buffer;
    try {
      data = Buffer.from(serializeSipMessage(message), 'utf8');
    } catch (error) {
      this.log.warn(`cannot serialize ${summarize(message)}: ${errorMessage(error)}`);
      return false;
    }
    if (data.length > MAX_DATAGRAM) {
      this.log.warn(`cannot send ${summarize(message)}: ${data.length} bytes do not fit a UDP datagram`);
      return false;
    }
    if (isResponse(message)) this.rememberResponse(message, data, destination, impl);
    this.log.debug(`-> [${flow.id} ${key(destination)}] ${summarize(message)}`);
    this.transmit(data, destination);
    return true;
  }

  /** Sends a request of a new client transaction and retransmits it over UDP until a response arrives. */
  protected override transmitRequest(flow: Flow, request: SipRequest, tx: ClientTransaction): void {
    const { method } = tx;
    const impl = this.flowsById.get(flow.id);
    if (!impl || !impl.isOpen || this.closing) throw new Error(`cannot send ${method}: connection closed`);
    const destination = this.requestDestination(request, impl);
    let data: Buffer;
    try {
      data = Buffer.from(serializeSipMessage(request), 'utf8');
    } catch (error) {
      throw new Error(`cannot serialize ${method}: ${errorMessage(error)}`);
    }
    if (data.length > MAX_DATAGRAM) throw new Error(`${method} of ${data.length} bytes does not fit a UDP datagram`);
    this.log.debug(`-> [${flow.id} ${key(destination)}] ${summarize(request)}`);
    this.transmit(data, destination);
    // Timer A (INVITE) / Timer E (others): T1, doubling; non-INVITE capped at T2.
    const again = (interval: number): void => {
      tx.retransmit = setTimeout(() => {
        if (this.pending.get(tx.key) !== tx) return;
        this.log.debug(`retransmitting ${summarize(request)}`);
        this.transmit(data, destination);
        again(method === 'INVITE' ? interval * 2 : Math.min(interval * 2, T2));
      }, interval);
    };
    again(T1);
  }

  /** Stops every timer, fails pending transactions, closes every flow (their calls end) and frees the port. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.failTransactions(() => new Error('server closed'));
    for (const tx of this.serverTransactions.values()) clearTimeout(tx.timer);
    this.serverTransactions.clear();
    for (const pending of this.unacked.values()) clearTimeout(pending.timer);
    this.unacked.clear();
    for (const flow of [...this.flowsById.values()]) {
      flow.isOpen = false;
      flow.closeReason = 'server-closed';
      this.flowsById.delete(flow.id);
      this.flowsByRemote.delete(flow.remote);
      this.notifyFlowClosed(flow);
    }
    const wasListening = this.listening;
    this.listening = false;
    if (wasListening) {
      await new Promise<void>((resolve) => this.socket.close(() => resolve()));
      return;
    }
    try {
      this.socket.close(); // never bound (e.g. the port was taken)
    } catch {
      // already closed
    }
  }

  // ----------------------------------------------------------------- private

  private transmit(data: Buffer, destination: Destination): void {
    if (!this.listening) return;
    this.socket.send(data, destination.port, destination.host, (error) => {
      if (error) this.log.warn(`UDP send to ${key(destination)} failed: ${errorMessage(error)}`);
    });
  }

  private flowFor(rinfo: RemoteInfo): UdpFlow | undefined {
    const destination = { host: rinfo.address, port: rinfo.port };
    const remote = key(destination);
    const known = this.flowsByRemote.get(remote);
    if (known) return known;
    if (this.flowsByRemote.size >= MAX_FLOWS) return undefined;
    const flow: UdpFlow = {
      id: `${this.options.name ?? 'udp'}${++this.flowSeq}`,
      listener: this,
      remote,
      destination,
      openedAt: Date.now(),
      isOpen: true,
      closeReason: undefined,
    };
    this.flowsById.set(flow.id, flow);
    this.flowsByRemote.set(remote, flow);
    this.log.debug(`SIP over UDP: new peer ${remote} (${flow.id})`);
    return flow;
  }

  /** RFC 3261 §18.2.2 with RFC 3581: the top Via's received/rport, else its sent-by; only loopback. */
  private responseDestination(response: SipResponse, flow: UdpFlow): Destination {
    const via = response.headers.via?.[0];
    if (!via) return flow.destination;
    const host = unbracket(String(via.params?.received ?? via.host ?? ''));
    const rport = Number(via.params?.rport);
    const port = Number.isInteger(rport) && rport > 0 ? rport : (via.port ?? 5060);
    if (!isLoopback(host) || !Number.isInteger(port) || port < 1 || port > 65535) return flow.destination;
    return { host, port };
  }

  /** The first Route (a loose router), else a UDP loopback Request-URI, else the flow's remote address. */
  private requestDestination(request: SipRequest, flow: UdpFlow): Destination {
    const route = request.headers.route?.[0];
    const target = route ? parseUri(route.uri) : parseUri(request.uri);
    if (!target) return flow.destination;
    const transport = String(target.params?.transport ?? 'udp').toLowerCase();
    const host = unbracket(target.host ?? '');
    const port = target.port ?? 5060;
    if (transport !== 'udp' || !isLoopback(host)) return flow.destination;
    return { host, port };
  }

  private handleDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (this.closing) return;
    const text = data.toString('utf8');
    if (text.trim() === '') return; // keep-alive (CRLF)
    if (!isLoopback(rinfo.address)) {
      this.log.warn(`ignored a datagram from ${rinfo.address}:${rinfo.port} (not loopback)`);
      return;
    }
    const parsed = parseSipMessage(text);
    if ('error' in parsed) {
      this.log.warn(`ignored malformed message from ${rinfo.address}:${rinfo.port}: ${parsed.error}`);
      return;
    }
    const flow = this.flowFor(rinfo);
    if (!flow) {
      this.log.warn(`ignored a message from ${rinfo.address}:${rinfo.port}: too many peers`);
      return;
    }
    this.dispatchMessage(parsed.message, flow, (request) => this.handleRequest(request, flow, rinfo));
  }

  private handleRequest(request: SipRequest, flow: UdpFlow, rinfo: RemoteInfo): void {
    // RFC 3261 §18.2.1 / RFC 3581: note where the request really came from.
    const via = request.headers.via![0]!;
    via.params ??= {};
    if (unbracket(via.host) !== rinfo.address) via.params.received = rinfo.address;
    if ('rport' in via.params && !via.params.rport) via.params.rport = String(rinfo.port);

    const method = request.method.toUpperCase();
    if (this.rejectCSeqMismatch(request, flow, method)) return;
    if (method === 'ACK') {
      const pending = this.unacked.get(`${String(request.headers['call-id'])}|${request.headers.cseq!.seq}`);
      if (pending) {
        clearTimeout(pending.timer);
        this.unacked.delete(`${String(request.headers['call-id'])}|${request.headers.cseq!.seq}`);
      }
    } else {
      const branch = topViaBranch(request);
      const txKey = `${branch || `${String(request.headers['call-id'])}/${request.headers.cseq!.seq}`}|${method}|${flow.remote}`;
      const known = this.serverTransactions.get(txKey);
      if (known) {
        // A retransmission: answer it with our last response, or stay silent while working on it.
        this.log.debug(`retransmitted ${summarize(request)} absorbed`);
        if (known.response) this.transmit(known.response.data, known.response.destination);
        return;
      }
      this.serverTransactions.set(txKey, {
        timer: setTimeout(() => this.serverTransactions.delete(txKey), TRANSACTION_LINGER_MS),
      });
    }
    this.deliverRequest(request, flow, method);
  }

  /** Keeps a response for retransmitted requests and retransmits a final response to an INVITE until the ACK. */
  private rememberResponse(response: SipResponse, data: Buffer, destination: Destination, flow: UdpFlow): void {
    const method = String(response.headers.cseq?.method ?? '').toUpperCase();
    const txKey = `${topViaBranch(response) || `${String(response.headers['call-id'])}/${response.headers.cseq?.seq}`}|${method}|${flow.remote}`;
    const tx = this.serverTransactions.get(txKey);
    if (tx) {
      tx.response = { data, destination };
      if (response.status >= 200) {
        clearTimeout(tx.timer);
        tx.timer = setTimeout(() => this.serverTransactions.delete(txKey), TRANSACTION_LINGER_MS);
      }
    }
    if (method !== 'INVITE' || response.status < 200) return;
    const ackKey = `${String(response.headers['call-id'])}|${response.headers.cseq?.seq}`;
    const old = this.unacked.get(ackKey);
    if (old) clearTimeout(old.timer);
    const pending: UnackedFinal = { data, destination, interval: T1, deadline: Date.now() + TRANSACTION_LINGER_MS, timer: undefined as unknown as NodeJS.Timeout };
    const again = (): void => {
      pending.timer = setTimeout(() => {
        if (this.unacked.get(ackKey) !== pending) return;
        if (Date.now() >= pending.deadline) {
          this.unacked.delete(ackKey);
          return;
        }
        this.log.debug(`${response.status} to INVITE ${ackKey} not ACKed yet: retransmitting`);
        this.transmit(pending.data, pending.destination);
        pending.interval = Math.min(pending.interval * 2, T2);
        again();
      }, pending.interval);
    };
    this.unacked.set(ackKey, pending);
    again();
  }

  protected override answeredTransaction(response: SipResponse): ClientTransaction | undefined {
    const tx = this.pending.get(responseTransactionKey(response));
    // A provisional response stops INVITE retransmissions (Timer A); others go on at T2 (Timer E).
    if (tx && response.status < 200 && tx.method === 'INVITE' && tx.retransmit) {
      clearTimeout(tx.retransmit);
      tx.retransmit = undefined;
    }
    return tx;
  }
}
