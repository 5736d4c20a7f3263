import { VinteoError } from './errors.js';
import { CONTROL_CHARACTERS } from './protocol/characters.js';
import { randomGuestUser } from './connection/guest.js';
import { checkTiming, TIMING_LIMITS } from './timing.js';

/** How to reach and identify with the server. Everything is optional until validated. */
export interface ConnectionOptions {
  /** Host (and optional port) of a Vinteo server: the WebSocket URL becomes `wss://{server}/webrtc/wss/`. */
  server?: string | undefined;
  /** Full WebSocket URL; overrides `server` (e.g. `ws://127.0.0.1:8089/webrtc/wss/`). */
  wsUrl?: string | undefined;
  /** Host used in SIP URIs (`sip:{user}@{domain}`); defaults to the server's host name. */
  sipDomain?: string | undefined;
  /** SIP user; required when `register` is true; guests get a random numeric id. */
  user?: string | undefined;
  displayName?: string | undefined;
  /** Register with digest auth (true) or join as an unregistered guest (false, the default). */
  register?: boolean | undefined;
  password?: string | undefined;
  /** Register expiry in seconds (default 300; a whole number from 30 to 86400). */
  registerExpires?: number | undefined;
}

export interface ResolvedConnectionConfig {
  readonly wsUrl: string;
  readonly sipDomain: string;
  readonly user: string;
  readonly displayName: string;
  readonly register: boolean;
  readonly password: string | undefined;
  readonly registerExpires: number;
  /**
   * `server` as written when the WebSocket URL comes from it: discovery (`/api/v1/address`) runs
   * then, and fills in the fields below. Undefined with `ws-url`.
   */
  readonly server: string | undefined;
  /** Whether `sip-domain` was set: it wins over the domain discovery gives. */
  readonly sipDomainSet: boolean;
  /** From discovery: sent as `X-Vinteo-Remote` on REGISTER and INVITE. */
  readonly remoteAddress?: string;
  /** From discovery: the ICE servers of every peer connection (the `iceServers` option wins). */
  readonly iceServers?: readonly RTCIceServer[];
  /** From discovery: the server wants the Unified-Plan User-Agent. False without discovery. */
  readonly unified: boolean;
}

/** A host name, IPv4 address or bracketed IPv6 address: what may stand after `@` in a SIP URI. */
export const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d+))?$/;
/** The port of a `ws://`/`wss://` URL as written (before `new URL`, which throws on a port above 65535). */
const URL_PORT = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/;
const SIP_USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;
/**
 * What must never reach a SIP header or URI, raw or percent-decoded: CR and LF (a new header line),
 * double quotes and backslashes (they close or escape a quoted string such as the digest `username`),
 * and every other control character (U+0000–U+001F, U+007F).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_HEADER = /[\u0000-\u001f\u007f"\\]/;
const DISPLAY_NAME_MAX = 128;

function clean(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}


function checkPort(port: string | undefined, what: string): void {
  if (port === undefined) return;
  const number = Number(port);
  if (!Number.isInteger(number) || number < 1 || number > 65_535) {
    throw VinteoError.invalidConfig(`${what}: the port must be between 1 and 65535 (got ${port})`);
  }
}

function parseWsUrl(value: string): URL {
  checkPort(URL_PORT.exec(value)?.[1], `ws-url ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw VinteoError.invalidConfig(`ws-url ${JSON.stringify(value)} is not a valid URL`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw VinteoError.invalidConfig(`ws-url must start with ws:// or wss:// (got ${JSON.stringify(value)})`);
  }
  return url;
}

function serverUrl(server: string): URL {
  const match = HOST_PORT.exec(server);
  if (!match) {
    throw VinteoError.invalidConfig(
      `server must be a host name with an optional port, such as "vinteo.example.com" (got ${JSON.stringify(server)})`,
    );
  }
  checkPort(match[3], `server ${JSON.stringify(server)}`);
  try {
    return new URL(`wss://${server}/webrtc/wss/`);
  } catch {
    throw VinteoError.invalidConfig(`server ${JSON.stringify(server)} is not a valid host name`);
  }
}

/**
 * Checks the user part of a SIP URI (a user, a conference): the characters a SIP user may have, and,
 * once percent-decoded (JsSIP decodes it and writes it raw into the digest `username="…"`), no line
 * break, quote, backslash or control character. `label` starts the message (`user`, `conference`…);
 * `quote` false keeps the value out of it (an answer from a credentials source).
 * @throws VinteoError `invalid-config`.
 */
export function checkSipUser(value: string, label: string, quote = true): void {
  const shown = quote ? ` ${JSON.stringify(value)}` : '';
  if (!SIP_USER.test(value)) throw VinteoError.invalidConfig(`${label}${shown} contains characters a SIP address cannot have`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw VinteoError.invalidConfig(`${label}${shown} has a malformed percent-encoding (each % must start a valid %XX escape)`);
  }
  if (UNSAFE_IN_HEADER.test(decoded)) {
    throw VinteoError.invalidConfig(`${label}${shown} percent-decodes to a line break, quote, backslash or control character`);
  }
}

/** Display names go into a quoted string (`From: "Ann" <sip:…>`). @throws VinteoError `invalid-config`. */
export function checkDisplayName(value: string, label = 'display-name'): void {
  if (UNSAFE_IN_HEADER.test(value) || value.length > DISPLAY_NAME_MAX) {
    throw VinteoError.invalidConfig(
      `${label} must be at most ${DISPLAY_NAME_MAX} characters without quotes, backslashes, line breaks or control characters`,
    );
  }
}

/** The password never goes on the wire as it is, but has no business holding control characters. Never quoted. */
export function checkPassword(value: string, label = 'password'): void {
  if (CONTROL_CHARACTERS.test(value)) throw VinteoError.invalidConfig(`${label} must not contain line breaks or control characters`);
}

/**
 * Checks every connection option that is set, without requiring anything (what is missing, such as
 * the server, is reported by resolveConnectionConfig on connect): the elements call it before Join so
 * that a mistake shows at once.
 * @throws VinteoError `invalid-config` naming the attribute.
 */
export function checkConnectionOptions(options: ConnectionOptions): void {
  const wsUrl = clean(options.wsUrl);
  const server = clean(options.server);
  if (wsUrl) parseWsUrl(wsUrl);
  else if (server) serverUrl(server);
  const sipDomain = clean(options.sipDomain);
  if (sipDomain !== undefined && !HOST.test(sipDomain)) {
    throw VinteoError.invalidConfig(`sip-domain must be a host name or IP address (got ${JSON.stringify(sipDomain)})`);
  }
  const user = clean(options.user);
  if (user !== undefined) checkSipUser(user, 'user');
  const displayName = clean(options.displayName);
  if (displayName !== undefined) checkDisplayName(displayName);
  if (typeof options.password === 'string' && options.password !== '') checkPassword(options.password);
  checkTiming('registerExpires', options.registerExpires);
}

/**
 * The signalling WebSocket's address: `ws-url`, else the one `server` names (discovery does not change it).
 * @throws VinteoError with reason `invalid-config` when neither is set or the one set is not valid.
 */
export function signallingUrl(options: ConnectionOptions): URL {
  const server = clean(options.server);
  const wsUrlOption = clean(options.wsUrl);
  if (wsUrlOption) return parseWsUrl(wsUrlOption);
  if (server) return serverUrl(server);
  throw VinteoError.invalidConfig('Set the server attribute (or ws-url) to say which Vinteo server to use');
}

/**
 * Validates connection options and fills in defaults.
 * @throws VinteoError with reason `invalid-config` and a message naming the attribute.
 */
export function resolveConnectionConfig(options: ConnectionOptions): ResolvedConnectionConfig {
  checkConnectionOptions(options);
  const server = clean(options.server);
  const wsUrlOption = clean(options.wsUrl);
  const wsUrl = signallingUrl(options);

  const sipDomain = clean(options.sipDomain) ?? wsUrl.hostname;
  if (!HOST.test(sipDomain)) {
    throw VinteoError.invalidConfig(`sip-domain must be a host name or IP address (got ${JSON.stringify(sipDomain)})`);
  }

  const register = options.register === true;
  const userOption = clean(options.user);
  if (register && !userOption) throw VinteoError.invalidConfig('register needs a user attribute');
  const password = options.password === undefined || options.password === '' ? undefined : String(options.password);
  if (register && password === undefined) {
    throw VinteoError.invalidConfig('register needs a password: set the password property from script');
  }

  return {
    wsUrl: wsUrl.toString(),
    sipDomain,
    user: userOption ?? randomGuestUser(),
    displayName: clean(options.displayName) ?? '',
    register,
    password,
    registerExpires: options.registerExpires ?? TIMING_LIMITS.registerExpires.fallback,
    server: wsUrlOption ? undefined : server,
    sipDomainSet: clean(options.sipDomain) !== undefined,
    unified: false,
  };
}

/**
 * Conference ids are SIP users: digits and letters, no spaces; percent-encoding must be well formed
 * and decode to nothing that could break a header.
 */
export function validateConference(conference: string | undefined | null): string {
  const value = clean(conference);
  if (!value) throw VinteoError.invalidConfig('Set the conference attribute to the number of the conference to join');
  checkSipUser(value, 'conference');
  return value;
}

/** Two resolved configs describe the same connection (same server, same identity). */
export function sameConnection(a: ResolvedConnectionConfig, b: ResolvedConnectionConfig): boolean {
  return (
    a.wsUrl === b.wsUrl &&
    a.sipDomain === b.sipDomain &&
    a.register === b.register &&
    (a.register ? a.user === b.user && a.password === b.password : true) &&
    a.displayName === b.displayName &&
    a.remoteAddress === b.remoteAddress &&
    a.unified === b.unified
  );
}
