/**
 * The message log: every SIP request and response the server receives, on
 * any listener, kept in a ring buffer (the last MAX_MESSAGES) for tests to
 * read through `GET /api/messages`. Header values are written back from the
 * parsed message (message.ts `headerLines`); Authorization and
 * Proxy-Authorization keep only their scheme and username, never a digest
 * response, nonce or anything else.
 */
import type { Flow } from './listener.js';
import { headerLines, isRequest, uriString, type SipAuthHeader, type SipMessage } from './message.js';

export const MAX_MESSAGES = 1000;

export interface LoggedMessage {
  /** 1, 2, 3 … in order of arrival (not reset by clear()). */
  seq: number;
  /** When it arrived (ISO 8601). */
  at: string;
  /** The connection it came on (`ws3`, `wss1`, `udp1` …). */
  flowId: string;
  kind: 'request' | 'response';
  /** The request's method, or the CSeq method a response answers. */
  method: string;
  /** Responses only. */
  status?: number;
  reason?: string;
  /** Requests only. */
  requestUri?: string;
  callId: string;
  /** Lower-case header name → values as received (Authorization redacted). */
  headers: Record<string, string[]>;
  /** Body size in UTF-8 bytes (the body itself is not kept). */
  bodyBytes: number;
}

export interface MessageFilter {
  /** Method, any case (a response matches its CSeq method). */
  method?: string;
  /** Only messages with a larger seq. */
  since?: number;
  callId?: string;
  kind?: 'request' | 'response';
  flowId?: string;
}

/** Scheme and username only: `Digest username="1001"`. */
export function redactAuthorization(header: SipAuthHeader): SipAuthHeader {
  return { scheme: header.scheme, ...(header.username !== undefined ? { username: header.username } : {}) };
}

export class MessageLog {
  private readonly entries: LoggedMessage[] = [];
  private seq = 0;

  constructor(private readonly capacity = MAX_MESSAGES) {}

  /** The seq of the newest message recorded so far (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  record(message: SipMessage, flow: Flow): void {
    const request = isRequest(message);
    const entry: LoggedMessage = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      flowId: flow.id,
      kind: request ? 'request' : 'response',
      method: request ? message.method : String(message.headers.cseq?.method ?? ''),
      ...(request ? { requestUri: uriString(message.uri) } : { status: message.status, reason: message.reason ?? '' }),
      callId: String(message.headers['call-id'] ?? ''),
      headers: headerLines(message, redactAuthorization),
      bodyBytes: Buffer.byteLength(message.content ?? '', 'utf8'),
    };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Recorded messages matching every given criterion, oldest first (copies). */
  list(filter: MessageFilter = {}): LoggedMessage[] {
    const method = filter.method?.toUpperCase();
    return this.entries
      .filter(
        (e) =>
          (method === undefined || e.method.toUpperCase() === method) &&
          (filter.since === undefined || e.seq > filter.since) &&
          (filter.callId === undefined || e.callId === filter.callId) &&
          (filter.kind === undefined || e.kind === filter.kind) &&
          (filter.flowId === undefined || e.flowId === filter.flowId),
      )
      .map((e) => ({ ...e, headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k, [...v]])) }));
  }

  /** Forgets every recorded message (seq numbers go on); returns how many there were. */
  clear(): number {
    const count = this.entries.length;
    this.entries.length = 0;
    return count;
  }
}
