/**
 * Discovery, as a Vinteo server serves it next to its WebSocket:
 * `GET /api/v1/address` → `{ ip, remoteAddress, iceServers?, unified }`, on
 * the same port as the SIP WebSocket (plain and TLS listeners alike), open to
 * any origin (`Access-Control-Allow-Origin: *`, OPTIONS preflight answered).
 *
 * Defaults: `ip` = the SIP domain, `remoteAddress` = the requesting socket's
 * address, `iceServers` = our STUN responder when it runs (else absent),
 * `unified: true`. Each field can be overridden or removed (`null`) through
 * the `address` option or `POST /api/address`; `status` and `rawBody` serve
 * another HTTP status or a verbatim body, for clients' fallback paths.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestPath } from './sip/ws-listener.js';

export const ADDRESS_PATH = '/api/v1/address';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** The fields of the answer; each may be overridden, or removed with null. */
export interface AddressFields {
  ip: string;
  remoteAddress: string;
  iceServers: unknown[];
  unified: boolean;
}

export const ADDRESS_FIELDS = ['ip', 'remoteAddress', 'iceServers', 'unified'] as const;

/** What the `address` option and `POST /api/address` take. */
export type AddressOverrides = { [K in keyof AddressFields]?: AddressFields[K] | null } & {
  /** HTTP status of the answer (default 200). */
  status?: number | null;
  /** Serve this text verbatim (Content-Type text/plain) instead of the JSON. */
  rawBody?: string | null;
};

/** `GET /api/address`: the overrides in force and what a client on the listening address gets. */
export interface AddressSettings {
  /** Fields set (a value) or removed (null); absent fields take their default. */
  overrides: { [K in keyof AddressFields]?: AddressFields[K] | null };
  status: number;
  rawBody: string | null;
  /** The JSON a client connecting from the server's own address would get now. */
  answer: Partial<AddressFields>;
  /** GET/HEAD requests of /api/v1/address answered so far (both listeners). */
  requests: number;
}

const MAX_FIELD_CHARS = 1024;

/**
 * Checks `address` overrides (the option, or a `POST /api/address` body with
 * `reset?`); throws an Error naming the first bad field.
 */
export function addressPatch(input: unknown): { patch: AddressOverrides; reset: boolean } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('address must be a JSON object');
  const body = input as Record<string, unknown>;
  const known = new Set<string>([...ADDRESS_FIELDS, 'status', 'rawBody', 'reset']);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`unknown field(s): ${unknown.join(', ')}; allowed: ${[...known].join(', ')}`);
  const patch: AddressOverrides = {};
  for (const field of ['ip', 'remoteAddress'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'string' || value.length > MAX_FIELD_CHARS)) throw new Error(`${field} must be a string or null`);
    patch[field] = value;
  }
  if (body.iceServers !== undefined) {
    if (body.iceServers !== null && !Array.isArray(body.iceServers)) throw new Error('iceServers must be an array or null');
    patch.iceServers = body.iceServers;
  }
  if (body.unified !== undefined) {
    if (body.unified !== null && typeof body.unified !== 'boolean') throw new Error('unified must be a boolean or null');
    patch.unified = body.unified;
  }
  if (body.status !== undefined) {
    const status = body.status;
    if (status !== null && (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)) throw new Error('status must be an integer between 200 and 599, or null');
    patch.status = status;
  }
  if (body.rawBody !== undefined) {
    if (body.rawBody !== null && (typeof body.rawBody !== 'string' || body.rawBody.length > 16 * 1024)) throw new Error('rawBody must be a string (at most 16 KiB) or null');
    patch.rawBody = body.rawBody;
  }
  if (body.reset !== undefined && typeof body.reset !== 'boolean') throw new Error('reset must be a boolean');
  return { patch, reset: body.reset === true };
}

/** Strips the IPv4-mapped prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

export class AddressEndpoint {
  private overrides: AddressSettings['overrides'] = {};
  private status = 200;
  private rawBody: string | null = null;
  private requests = 0;

  constructor(
    private readonly defaults: {
      sipDomain: string;
      /** The listening address (the `answer` preview's remote address). */
      host: string;
      /** The STUN responder's URL, once it runs. */
      stunUrl: () => string | undefined;
    },
    initial?: AddressOverrides,
  ) {
    if (initial) this.update(initial);
  }

  /** Applies overrides (`reset` first restores every default). Input is validated by the caller. */
  update(patch: AddressOverrides, reset = false): AddressSettings {
    if (reset) {
      this.overrides = {};
      this.status = 200;
      this.rawBody = null;
    }
    for (const field of ADDRESS_FIELDS) {
      if (patch[field] !== undefined) (this.overrides as Record<string, unknown>)[field] = patch[field];
    }
    if (patch.status !== undefined) this.status = patch.status ?? 200;
    if (patch.rawBody !== undefined) this.rawBody = patch.rawBody;
    return this.settings();
  }

  settings(): AddressSettings {
    return {
      overrides: JSON.parse(JSON.stringify(this.overrides)) as AddressSettings['overrides'],
      status: this.status,
      rawBody: this.rawBody,
      answer: this.answer(this.defaults.host),
      requests: this.requests,
    };
  }

  /** The JSON answer for a client at `remoteAddress`. */
  answer(remoteAddress: string): Partial<AddressFields> {
    const stun = this.defaults.stunUrl();
    const defaults: Partial<AddressFields> = {
      ip: this.defaults.sipDomain,
      remoteAddress,
      ...(stun ? { iceServers: [{ urls: stun }] } : {}),
      unified: true,
    };
    const result: Record<string, unknown> = {};
    for (const field of ADDRESS_FIELDS) {
      const value = field in this.overrides ? this.overrides[field] : defaults[field];
      if (value !== null && value !== undefined) result[field] = value;
    }
    return result as Partial<AddressFields>;
  }

  /** The SIP listeners' `http` hook: answers the address path (true), leaves anything else (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (requestPath(req.url) !== ADDRESS_PATH) return false;
    req.resume();
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
      const asked = req.headers['access-control-request-headers'];
      if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain' }).end('Method Not Allowed\n');
      return true;
    }
    this.requests++;
    const body = this.rawBody ?? JSON.stringify(this.answer(plainAddress(req.socket.remoteAddress)));
    res.writeHead(this.status, {
      'Content-Type': this.rawBody === null ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}
