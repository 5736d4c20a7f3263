import { HOST, type ResolvedConnectionConfig } from '../config.js';
import { logger } from '../logger.js';
import { CONTROL_CHARACTERS } from '../protocol/characters.js';
import { safeDelay } from '../timing.js';

/**
 * What `GET https://{server}/api/v1/address` tells a client before it connects (protocol §1): the
 * SIP domain, the client's public address as the server sees it, the ICE servers and whether the
 * server wants the Unified-Plan User-Agent. A failed discovery falls back, never fails the connect.
 */
export interface Discovery {
  /** The SIP domain of every URI (`ip`), or the server's host name when discovery gave none. */
  readonly sipDomain: string;
  /** Sent back as `X-Vinteo-Remote` on REGISTER and INVITE; absent when the server gave none. */
  readonly remoteAddress?: string;
  /** The ICE servers of every peer connection. */
  readonly iceServers: readonly RTCIceServer[];
  /** Picks the User-Agent (`ChromeNew - …` when true, `Chrome` otherwise). */
  readonly unified: boolean;
  /** Why the fallback was used (no answer, not JSON…); undefined when the server answered. */
  readonly fallback?: string;
}

const BARE_IPV6 = /^[0-9a-fA-F:.]+$/;
const MAX_REMOTE_LENGTH = 256;

/** `ip` as a URI host: an IPv6 address gets its brackets; anything else must be a host name or address. */
function uriHost(ip: unknown): string | undefined {
  if (typeof ip !== 'string') return undefined;
  const value = ip.trim();
  if (value.includes(':') && !value.startsWith('[') && BARE_IPV6.test(value)) return `[${value}]`;
  return HOST.test(value) ? value : undefined;
}

function validUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.trim() === '') return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** `iceServers` when every entry's `urls` parses as URLs (protocol §1); undefined otherwise. */
function iceServersOf(value: unknown): RTCIceServer[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const servers: RTCIceServer[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const record = entry as Record<string, unknown>;
    const urls = record['urls'];
    const list = Array.isArray(urls) ? (urls as unknown[]) : [urls];
    if (list.length === 0 || !list.every(validUrl)) return undefined;
    const server: RTCIceServer = { urls: Array.isArray(urls) ? (urls as string[]) : (urls as string) };
    if (typeof record['username'] === 'string') server.username = record['username'];
    if (typeof record['credential'] === 'string') server.credential = record['credential'];
    servers.push(server);
  }
  return servers;
}

/** The ICE servers a client uses when discovery named none it could use: STUN on the SIP domain. */
export function defaultIceServers(sipDomain: string): RTCIceServer[] {
  return [{ urls: [`stun:${sipDomain}:3478`] }];
}

/** The host name of `server` (`host[:port]`), brackets kept for IPv6: the SIP domain when discovery gives none. */
export function serverHostName(server: string): string {
  return new URL(`https://${server}/`).hostname;
}

/**
 * Reads the discovery answer, whatever its HTTP status (as the reference does). Missing or unusable
 * fields fall back one by one: `ip` to the server's host name, `iceServers` to `stun:{ip}:3478`,
 * `unified` to false; a `remoteAddress` that could break a header is dropped. Never throws.
 */
export function parseDiscovery(data: unknown, server: string): Discovery {
  const host = serverHostName(server);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fallbackDiscovery(server, 'the answer is not a JSON object');
  }
  const record = data as Record<string, unknown>;
  const ip = uriHost(record['ip']);
  if (record['ip'] !== undefined && !ip) logger.warn(`discovery: ip ${JSON.stringify(String(record['ip']).slice(0, 64))} is not a host name; using ${host}`);
  const sipDomain = ip ?? host;
  const remote = record['remoteAddress'];
  let remoteAddress: string | undefined;
  if (typeof remote === 'string' && remote.trim() !== '') {
    if (CONTROL_CHARACTERS.test(remote) || remote.length > MAX_REMOTE_LENGTH) logger.warn('discovery: remoteAddress is not a usable header value; it is not sent');
    else remoteAddress = remote.trim();
  }
  const iceServers = iceServersOf(record['iceServers']);
  if (record['iceServers'] !== undefined && !iceServers) logger.warn(`discovery: iceServers has an entry that is no URL; using stun:${sipDomain}:3478`);
  return {
    sipDomain,
    ...(remoteAddress ? { remoteAddress } : {}),
    iceServers: iceServers ?? defaultIceServers(sipDomain),
    unified: record['unified'] === true,
  };
}

/** What a client uses when the server did not answer discovery: its host name, STUN on it, `Chrome`. */
export function fallbackDiscovery(server: string, why: string): Discovery {
  const sipDomain = serverHostName(server);
  return { sipDomain, iceServers: defaultIceServers(sipDomain), unified: false, fallback: why };
}

export interface DiscoverOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * `GET https://{server}/api/v1/address` with no extra headers and no credentials, given up after
 * `timeoutMs` or on `signal`. Any failure (network, timeout, a body that is not JSON) falls back and
 * is logged as a warning; an abort by `signal` rethrows the abort.
 */
export async function discover(server: string, options: DiscoverOptions): Promise<Discovery> {
  const url = `https://${server}/api/v1/address`;
  const request = new AbortController();
  const onAbort = (): void => request.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) request.abort();
  const timer = setTimeout(() => request.abort(), safeDelay(options.timeoutMs));
  let result: Discovery;
  try {
    const response = await (options.fetch ?? globalThis.fetch)(url, { credentials: 'omit', cache: 'no-store', signal: request.signal });
    const text = await response.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    result = data === undefined ? fallbackDiscovery(server, `the answer (HTTP ${response.status}) is not JSON`) : parseDiscovery(data, server);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const why = request.signal.aborted ? `no answer within ${options.timeoutMs} ms` : 'the request failed';
    result = fallbackDiscovery(server, why);
    logger.debug('discovery request failed', error);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (result.fallback) {
    logger.warn(`discovery at https://${server}/api/v1/address failed (${result.fallback}); connecting to ${result.sipDomain} with STUN on it`);
  } else {
    logger.info(`discovery: SIP domain ${result.sipDomain}, ${result.iceServers.length} ICE server(s), ${result.unified ? 'unified' : 'legacy'} user agent`);
  }
  return result;
}

/**
 * The connection config with what discovery found: the SIP domain (unless `sip-domain` was set),
 * `X-Vinteo-Remote`, the ICE servers and the User-Agent style.
 */
export function withDiscovery(config: ResolvedConnectionConfig, discovery: Discovery): ResolvedConnectionConfig {
  return {
    ...config,
    sipDomain: config.sipDomainSet ? config.sipDomain : discovery.sipDomain,
    ...(discovery.remoteAddress ? { remoteAddress: discovery.remoteAddress } : {}),
    iceServers: discovery.iceServers,
    unified: discovery.unified,
  };
}
