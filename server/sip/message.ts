/**
 * Helpers around the `sip` package: safe parsing, byte-correct serialization,
 * header accessors and identifiers. All SIP parsing/serializing goes through
 * `sip.parse` / `sip.stringify`; this module only guards and post-processes.
 */
import { randomBytes } from 'node:crypto';
import sip, { type SipAuthHeader, type SipMessage, type SipNameAddr, type SipRequest, type SipResponse, type SipUri } from 'sip';

export type { SipAuthHeader, SipMessage, SipNameAddr, SipRequest, SipResponse, SipUri };

export const ALLOWED_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'REGISTER'] as const;
export const ALLOW_HEADER = ALLOWED_METHODS.join(', ');
export const SUPPORTED_HEADER = 'outbound, path, gruu';
export const SERVER_NAME = 'vinteo-dev-server';

/** Methods that are valid SIP but that this server does not implement (answered 405, not 501). */
export const KNOWN_UNSUPPORTED_METHODS = new Set(['PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'REFER']);

export const REASON_PHRASES: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? (status < 300 ? 'OK' : status < 400 ? 'Redirect' : status < 500 ? 'Client Error' : status < 600 ? 'Server Error' : 'Global Failure');
}

export function isRequest(message: SipMessage): message is SipRequest {
  return typeof message.method === 'string' && message.uri !== undefined;
}

export function isResponse(message: SipMessage): message is SipResponse {
  return typeof message.status === 'number';
}

/**
 * Parses one SIP message (one WebSocket frame). Never throws: returns an error
 * string instead when the text is not a usable SIP message.
 */
export function parseSipMessage(text: string): { message: SipMessage } | { error: string } {
  let message: SipMessage | undefined;
  try {
    message = sip.parse(text);
  } catch (error) {
    return { error: `unparsable message (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!message || typeof message !== 'object' || !message.headers) return { error: 'not a SIP message' };
  const h = message.headers;
  const missing: string[] = [];
  if (!Array.isArray(h.via) || h.via.length === 0 || !h.via[0]?.host) missing.push('Via');
  if (!h.from || typeof h.from !== 'object' || !h.from.uri) missing.push('From');
  if (!h.to || typeof h.to !== 'object' || !h.to.uri) missing.push('To');
  if (typeof h['call-id'] !== 'string' || !h['call-id']) missing.push('Call-ID');
  if (!h.cseq || typeof h.cseq !== 'object' || !Number.isFinite(h.cseq.seq) || !h.cseq.method) missing.push('CSeq');
  if (missing.length) return { error: `missing or malformed header(s): ${missing.join(', ')}` };
  if (isRequest(message)) {
    // sip.parseUri cannot parse IPv6 references ([::1]), so only the scheme is checked here.
    if (typeof message.uri !== 'string' || !/^sips?:\S+$/i.test(message.uri)) return { error: 'malformed Request-URI' };
  } else if (!isResponse(message) || message.status < 100 || message.status > 699) {
    return { error: 'malformed start line' };
  }
  if (message.content === undefined) message.content = '';
  return { message };
}

/**
 * Serializes with `sip.stringify`, then writes a Content-Length counted in
 * UTF-8 bytes (sip.stringify counts UTF-16 code units). Throws if a header
 * value contains CR/LF (header injection guard).
 */
export function serializeSipMessage(message: SipMessage): string {
  const body = message.content ?? '';
  const headers: Record<string, unknown> = { ...message.headers };
  delete headers['content-length'];
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && /[\r\n]/.test(value)) throw new Error(`header ${name} contains CR/LF`);
  }
  const head = sip.stringify({ ...message, headers, content: '' });
  const tail = 'Content-Length: 0\r\n\r\n';
  if (!head.endsWith(tail)) throw new Error('unexpected serializer output');
  return `${head.slice(0, head.length - tail.length)}Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

/** A header's raw string value (generic headers are strings after parsing). */
export function headerValue(message: SipMessage, name: string): string | undefined {
  const value = message.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Media type of Content-Type without parameters, lower-cased ('' when absent). */
export function contentType(message: SipMessage): string {
  return (headerValue(message, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Every header whose (lower-cased) name starts with `prefix`, as name → value. */
export function headersWithPrefix(message: SipMessage, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (name.startsWith(prefix) && (typeof value === 'string' || typeof value === 'number')) result[name] = String(value);
  }
  return result;
}

/** Decodes a display name as parsed by `sip` (quoted-string with escapes, or tokens). */
export function decodeDisplayName(name: string | undefined): string {
  if (!name) return '';
  const trimmed = name.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return trimmed;
}

/** A display name as a quoted-string for From/To (quotes and backslashes escaped, control characters dropped). */
export function quoteDisplayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${clean.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function uriString(uri: string | SipUri | undefined): string {
  if (uri === undefined) return '';
  try {
    return sip.stringifyUri(uri);
  } catch {
    return '';
  }
}

export function parseUri(uri: string | SipUri | undefined): SipUri | undefined {
  if (uri === undefined) return undefined;
  try {
    return sip.parseUri(uri);
  } catch {
    return undefined;
  }
}

/** User part of a URI ('' when absent or unparsable). */
export function uriUser(uri: string | SipUri | undefined): string {
  const user = parseUri(uri)?.user;
  if (!user) return '';
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export function newBranch(): string {
  return `${sip.generateBranch()}.${randomBytes(5).toString('hex')}`;
}

export function topViaBranch(message: SipMessage): string {
  return String(message.headers.via?.[0]?.params?.branch ?? '');
}

export function tagOf(nameAddr: SipNameAddr | undefined): string {
  const tag = nameAddr?.params?.tag;
  return typeof tag === 'string' ? tag : '';
}

/** A copy of a name-addr with a (new) tag; never mutates the original (makeResponse shares objects). */
export function withTag(nameAddr: SipNameAddr, tag: string): SipNameAddr {
  return { ...nameAddr, params: { ...nameAddr.params, tag } };
}

export function makeResponse(request: SipRequest, status: number, extra?: { headers?: Record<string, unknown>; content?: string; reason?: string }): SipResponse {
  const response = sip.makeResponse(request, status, extra?.reason ?? reasonPhrase(status));
  response.headers = { ...response.headers, via: request.headers.via?.map((v) => ({ ...v, params: { ...v.params } })) };
  if (response.headers.to) response.headers.to = { ...response.headers.to, params: { ...response.headers.to.params } };
  Object.assign(response.headers, { server: SERVER_NAME }, extra?.headers ?? {});
  response.content = extra?.content ?? '';
  return response;
}

/**
 * Every header of a parsed message as lower-case name → values, each value
 * written back by `sip.stringify` (Via, Contact, Route … one value per entry;
 * other repeated headers come joined with "," as the parser gives them).
 * `authorization`/`proxy-authorization` go through `redactAuth` first.
 */
export function headerLines(message: SipMessage, redactAuth: (header: SipAuthHeader) => SipAuthHeader): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' || typeof value === 'number') {
      result[name] = [String(value)];
      continue;
    }
    const entries: unknown[] = Array.isArray(value) ? value : [value];
    const redacted = name === 'authorization' || name === 'proxy-authorization' ? entries.map((e) => redactAuth(e as SipAuthHeader)) : entries;
    result[name] = redacted.flatMap((entry) => {
      let text: string;
      try {
        text = sip.stringify({ status: 200, reason: 'OK', headers: { [name]: Array.isArray(value) ? [entry] : entry }, content: '' });
      } catch {
        return [];
      }
      // "SIP/2.0 200 OK", then "Name: value" line(s), then Content-Length.
      return text
        .split('\r\n')
        .slice(1)
        .filter((line) => line !== '' && !/^content-length:/i.test(line))
        .map((line) => line.slice(line.indexOf(':') + 1).trim());
    });
  }
  return result;
}

/** A short human summary for logs: never includes Authorization or bodies. */
export function summarize(message: SipMessage): string {
  const callId = String(message.headers['call-id'] ?? '-');
  const cseq = message.headers.cseq ? `${message.headers.cseq.seq} ${message.headers.cseq.method}` : '-';
  if (isRequest(message)) return `${message.method} ${uriString(message.uri)} (call-id ${callId}, cseq ${cseq})`;
  return `${message.status} ${message.reason ?? ''} (call-id ${callId}, cseq ${cseq})`;
}

/** RFC 3261 token (header names, methods). */
export const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
