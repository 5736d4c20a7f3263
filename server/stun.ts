/**
 * A STUN binding responder (RFC 5389) on a loopback UDP port: every Binding
 * request is answered with a Binding success response carrying
 * XOR-MAPPED-ADDRESS (the sender's address and port), SOFTWARE and
 * FINGERPRINT, in the same transaction. What a client's `iceServers` entry
 * (`stun:127.0.0.1:PORT`) needs to gather a server-reflexive candidate. The
 * messages are read and written with werift's STUN classes. Requests are
 * counted, so tests can tell that a client used it.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { classes, Message, methods, parseMessage } from 'werift';
import type { Logger } from './log.js';
import { errorMessage } from './log.js';
import { SERVER_NAME } from './sip/message.js';
import { listenOn } from './sip/listener.js';

export interface StunStats {
  /** Binding requests answered. */
  requests: number;
  /** Datagrams that were not a STUN Binding request (ignored). */
  ignored: number;
  /** When the last Binding request arrived (ISO 8601). */
  lastRequestAt?: string;
  /** `ip:port` of its sender. */
  lastFrom?: string;
}

/** The Binding success response to a Binding request from `from` (werift's encoder). */
export function bindingResponse(request: Message, from: { address: string; port: number }): Buffer {
  const response = new Message(methods.BINDING, classes.RESPONSE, request.transactionId);
  response.setAttribute('XOR-MAPPED-ADDRESS', [from.address, from.port]);
  response.setAttribute('SOFTWARE', SERVER_NAME);
  response.addFingerprint();
  return response.bytes;
}

export class StunResponder {
  private readonly socket: Socket;
  private readonly stats: StunStats = { requests: 0, ignored: 0 };
  private boundPort = 0;
  private closed = false;

  constructor(private readonly options: { host: string; port: number; log: Logger }) {
    this.socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
    this.socket.on('message', (data, rinfo) => this.handle(data, rinfo));
  }

  get port(): number {
    return this.boundPort;
  }

  /** stun:127.0.0.1:PORT (an IPv6 host in brackets). */
  get url(): string {
    const { host } = this.options;
    return `stun:${host.includes(':') ? `[${host}]` : host}:${this.boundPort}`;
  }

  snapshot(): StunStats {
    return { ...this.stats };
  }

  listen(): Promise<void> {
    const { host, port } = this.options;
    return listenOn(
      this.socket,
      () => this.socket.bind({ address: host, port, exclusive: true }),
      { host, port },
      { port: 'STUN', service: 'STUN' },
      () => {
        this.boundPort = (this.socket.address() as AddressInfo).port;
        this.socket.on('error', (error) => this.options.log.warn(`STUN socket error: ${errorMessage(error)}`));
      },
    );
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // never bound
      }
    });
  }

  private handle(data: Buffer, rinfo: RemoteInfo): void {
    let request: Message | undefined;
    try {
      request = parseMessage(data);
    } catch {
      request = undefined;
    }
    if (!request || request.messageMethod !== methods.BINDING || request.messageClass !== classes.REQUEST) {
      this.stats.ignored++;
      return;
    }
    this.stats.requests++;
    this.stats.lastRequestAt = new Date().toISOString();
    this.stats.lastFrom = `${rinfo.address}:${rinfo.port}`;
    this.options.log.debug(`STUN Binding request from ${this.stats.lastFrom}`);
    this.socket.send(bindingResponse(request, rinfo), rinfo.port, rinfo.address, (error) => {
      if (error) this.options.log.debug(`STUN response failed: ${errorMessage(error)}`);
    });
  }
}
