/**
 * Registrar with digest authentication (RFC 3261 §10, RFC 2617 via `sip/digest.js`).
 * Bindings live in memory, expire lazily and are removed when their WebSocket closes.
 */
import digest from 'sip/digest.js';
import type { Flow } from './sip/listener.js';
import type { Logger } from './log.js';
import { errorMessage } from './log.js';
import {
  headerValue,
  makeResponse,
  uriString,
  uriUser,
  type SipNameAddr,
  type SipRequest,
  type SipResponse,
} from './sip/message.js';

export const DEFAULT_REGISTER_EXPIRES = 300;
const MAX_REGISTER_EXPIRES = 86_400;
const NONCE_LIFETIME_MS = 5 * 60_000;

export interface RegistrationInfo {
  user: string;
  /** The contact URI the UA registered. */
  contact: string;
  /** Granted expiry, seconds. */
  expires: number;
  registeredAt: string;
  expiresAt: string;
  /** Id of the WebSocket the registration came on (calls to this user go there). */
  flowId: string;
  instanceId?: string;
  userAgent?: string;
  /** The REGISTER's `X-Vinteo-Remote` (the address discovery told the client), when it sent one. */
  remote?: string;
}

interface Binding {
  user: string;
  contact: SipNameAddr;
  contactUri: string;
  expires: number;
  registeredAt: number;
  expiresAt: number;
  flowId: string;
  instanceId?: string;
  userAgent?: string;
  remote?: string;
}

/** Fault injection knobs (driven through the control API). */
export interface RegistrarFaults {
  /** Answer the next `count` REGISTERs with `status` instead of processing them. */
  rejectNext: { count: number; status: number };
  /**
   * The expiry a REGISTER 200 gives, written as it is (the Contact's `expires` param and an `Expires`
   * header), e.g. `abc`, in place of the seconds granted; `''`: no expiry at all; null: the seconds granted.
   */
  grantExpires: string | null;
  /** The `Min-Expires` header of a 423 from `rejectNext`, written as it is; null: none. */
  minExpires: string | null;
}

export interface RegistrarOptions {
  realm: string;
  users: Record<string, string>;
  log: Logger;
}

function unq(value: string | undefined): string {
  if (value === undefined) return '';
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

export class Registrar {
  readonly faults: RegistrarFaults = { rejectNext: { count: 0, status: 503 }, grantExpires: null, minExpires: null };
  private readonly users: Map<string, string>;
  private readonly bindings = new Map<string, Binding>();
  private readonly realm: string;
  private readonly log: Logger;

  constructor(options: RegistrarOptions) {
    this.realm = options.realm;
    this.users = new Map(Object.entries(options.users));
    this.log = options.log;
  }

  /** Processes a REGISTER and returns the response to send. */
  handle(request: SipRequest, flow: Flow): SipResponse {
    if (this.faults.rejectNext.count > 0) {
      this.faults.rejectNext.count--;
      const { status } = this.faults.rejectNext;
      const minExpires = status === 423 ? this.faults.minExpires : null;
      this.log.info(`REGISTER rejected by fault injection with ${status}${minExpires === null ? '' : ` (Min-Expires: ${minExpires})`}`);
      return makeResponse(request, status, minExpires === null ? undefined : { headers: { 'min-expires': minExpires } });
    }
    const user = uriUser(request.headers.to?.uri);
    if (!user) return makeResponse(request, 400, { reason: 'Missing user in To' });

    const credentials = (request.headers.authorization ?? []).find(
      (a) => a.scheme?.toLowerCase() === 'digest' && unq(a.realm) === this.realm,
    );
    if (!credentials) return this.challenge(request, false);

    const nonce = unq(credentials.nonce);
    let issuedAt: Date | false | undefined;
    try {
      issuedAt = digest.extractNonceTimestamp(nonce, this.realm);
    } catch {
      issuedAt = undefined;
    }
    if (!issuedAt || Number.isNaN(issuedAt.getTime())) return this.challenge(request, false);
    if (Date.now() - issuedAt.getTime() > NONCE_LIFETIME_MS) return this.challenge(request, true);

    const username = unq(credentials.username);
    if (username !== user) {
      this.log.info(`REGISTER for ${user} with credentials of another user refused`);
      return makeResponse(request, 403, { reason: 'Username Does Not Match' });
    }
    const password = this.users.get(username);
    if (password === undefined) {
      this.log.info(`REGISTER for unknown user ${username} refused`);
      return makeResponse(request, 404, { reason: 'User Not Found' });
    }
    const algorithm = unq(credentials.algorithm).toLowerCase();
    if (algorithm && algorithm !== 'md5') return makeResponse(request, 403, { reason: 'Unsupported Algorithm' });
    const qop = unq(credentials.qop).toLowerCase();
    let expected: string;
    try {
      expected = digest.calculateDigest({
        ha1: digest.calculateUserRealmPasswordHash(username, this.realm, password),
        method: request.method,
        uri: unq(credentials.uri),
        nonce,
        nc: qop ? unq(credentials.nc) : undefined,
        cnonce: qop ? unq(credentials.cnonce) : undefined,
        qop: qop || undefined,
        entity: request.content ?? '',
      });
    } catch (error) {
      this.log.debug(`digest computation failed: ${errorMessage(error)}`);
      return makeResponse(request, 400, { reason: 'Malformed Authorization' });
    }
    if (expected !== unq(credentials.response).toLowerCase()) {
      this.log.info(`REGISTER for ${user}: wrong password`);
      return makeResponse(request, 403, { reason: 'Wrong Password' });
    }
    return this.updateBindings(request, flow, user);
  }

  /** Bindings of a user that are still valid (for calls to registered users). */
  lookup(user: string): RegistrationInfo[] {
    return this.list().filter((b) => b.user === user);
  }

  list(): RegistrationInfo[] {
    this.prune();
    return [...this.bindings.values()].map((b) => ({
      user: b.user,
      contact: b.contactUri,
      expires: b.expires,
      registeredAt: new Date(b.registeredAt).toISOString(),
      expiresAt: new Date(b.expiresAt).toISOString(),
      flowId: b.flowId,
      ...(b.instanceId ? { instanceId: b.instanceId } : {}),
      ...(b.userAgent ? { userAgent: b.userAgent } : {}),
      ...(b.remote ? { remote: b.remote } : {}),
    }));
  }

  /** Drops every binding made over a WebSocket that closed. */
  removeFlow(flowId: string): void {
    for (const [key, binding] of this.bindings) {
      if (binding.flowId === flowId) {
        this.bindings.delete(key);
        this.log.info(`registration of ${binding.user} removed (connection closed)`);
      }
    }
  }

  clear(): void {
    this.bindings.clear();
  }

  private challenge(request: SipRequest, stale: boolean): SipResponse {
    const nonce = digest.generateNonce(this.realm);
    return makeResponse(request, 401, {
      headers: {
        'www-authenticate': [
          {
            scheme: 'Digest',
            realm: `"${this.realm}"`,
            nonce: `"${nonce}"`,
            qop: '"auth"',
            algorithm: 'MD5',
            ...(stale ? { stale: 'true' } : {}),
          },
        ],
      },
    });
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, binding] of this.bindings) {
      if (binding.expiresAt <= now) {
        this.bindings.delete(key);
        this.log.info(`registration of ${binding.user} expired`);
      }
    }
  }

  private updateBindings(request: SipRequest, flow: Flow, user: string): SipResponse {
    this.prune();
    const contacts = request.headers.contact;
    const expiresHeader = headerValue(request, 'expires');
    const parseExpires = (raw: string | null | undefined): number | undefined => {
      if (raw === undefined || raw === null || raw === '') return undefined;
      if (!/^\d+$/.test(raw.trim())) return Number.NaN;
      return Math.min(Number(raw.trim()), MAX_REGISTER_EXPIRES);
    };
    const headerExpires = parseExpires(expiresHeader);
    if (Number.isNaN(headerExpires)) return makeResponse(request, 400, { reason: 'Malformed Expires' });

    if (contacts === '*') {
      if (headerExpires !== 0) return makeResponse(request, 400, { reason: 'Wildcard Contact Requires Expires 0' });
      for (const [key, binding] of this.bindings) if (binding.user === user) this.bindings.delete(key);
      this.log.info(`${user} unregistered (all contacts)`);
      return this.okResponse(request, user);
    }
    const userAgent = headerValue(request, 'user-agent');
    const remote = headerValue(request, 'x-vinteo-remote')?.trim();
    for (const contact of contacts ?? []) {
      const contactUri = uriString(contact.uri);
      if (!contactUri) return makeResponse(request, 400, { reason: 'Malformed Contact' });
      const expires = parseExpires(contact.params?.expires) ?? headerExpires ?? DEFAULT_REGISTER_EXPIRES;
      if (Number.isNaN(expires)) return makeResponse(request, 400, { reason: 'Malformed Expires' });
      const key = `${user}\n${contactUri}`;
      if (expires === 0) {
        if (this.bindings.delete(key)) this.log.info(`${user} unregistered ${contactUri}`);
        continue;
      }
      const now = Date.now();
      const existing = this.bindings.get(key);
      const instance = contact.params?.['+sip.instance'];
      this.bindings.set(key, {
        user,
        contact: { uri: contact.uri, params: { ...contact.params } },
        contactUri,
        expires,
        registeredAt: existing?.registeredAt ?? now,
        expiresAt: now + expires * 1000,
        flowId: flow.id,
        ...(instance ? { instanceId: unq(instance).replace(/^<|>$/g, '') } : {}),
        ...(userAgent ? { userAgent } : {}),
        ...(remote ? { remote } : {}),
      });
      if (!existing) this.log.info(`${user} registered ${contactUri} for ${expires} s on ${flow.id}`);
    }
    return this.okResponse(request, user);
  }

  private okResponse(request: SipRequest, user: string): SipResponse {
    const now = Date.now();
    const forced = this.faults.grantExpires;
    const contact = [...this.bindings.values()]
      .filter((b) => b.user === user)
      .map((b) => {
        const { expires: _requested, ...params } = b.contact.params ?? {};
        const granted = forced ?? String(Math.max(0, Math.round((b.expiresAt - now) / 1000)));
        return { name: b.contact.name, uri: b.contact.uri, params: granted === '' ? params : { ...params, expires: granted } };
      });
    if (forced !== null) this.log.info(`REGISTER 200 with ${forced === '' ? 'no expiry' : `expires=${forced}`} by fault injection`);
    return makeResponse(request, 200, {
      headers: { ...(contact.length ? { contact } : {}), ...(forced ? { expires: forced } : {}) },
    });
  }
}
