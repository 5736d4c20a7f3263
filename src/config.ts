import { VinteoError } from './errors.js';

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
  /** Register expiry in seconds (default 300). */
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
}

const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?$/;
const SIP_USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;

function clean(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A random numeric SIP user for guests (as Vinteo's own web client does). */
export function randomGuestUser(): string {
  const digits = new Uint32Array(1);
  crypto.getRandomValues(digits);
  return String(100_000_000 + (digits[0]! % 900_000_000));
}

/**
 * Validates connection options and fills in defaults.
 * @throws VinteoError with reason `invalid-config` and a message naming the attribute.
 */
export function resolveConnectionConfig(options: ConnectionOptions): ResolvedConnectionConfig {
  const server = clean(options.server);
  const wsUrlOption = clean(options.wsUrl);
  let wsUrl: URL;
  if (wsUrlOption) {
    try {
      wsUrl = new URL(wsUrlOption);
    } catch {
      throw VinteoError.invalidConfig(`ws-url ${JSON.stringify(wsUrlOption)} is not a valid URL`);
    }
    if (wsUrl.protocol !== 'ws:' && wsUrl.protocol !== 'wss:') {
      throw VinteoError.invalidConfig(`ws-url must start with ws:// or wss:// (got ${JSON.stringify(wsUrlOption)})`);
    }
  } else if (server) {
    if (!HOST_PORT.test(server)) {
      throw VinteoError.invalidConfig(
        `server must be a host name with an optional port, such as "vinteo.example.com" (got ${JSON.stringify(server)})`,
      );
    }
    wsUrl = new URL(`wss://${server}/webrtc/wss/`);
  } else {
    throw VinteoError.invalidConfig('Set the server attribute (or ws-url) to say which Vinteo server to use');
  }

  const sipDomain = clean(options.sipDomain) ?? wsUrl.hostname;
  if (!HOST.test(sipDomain)) {
    throw VinteoError.invalidConfig(`sip-domain must be a host name or IP address (got ${JSON.stringify(sipDomain)})`);
  }

  const register = options.register === true;
  const userOption = clean(options.user);
  if (userOption !== undefined && !SIP_USER.test(userOption)) {
    throw VinteoError.invalidConfig(`user ${JSON.stringify(userOption)} contains characters a SIP user cannot have`);
  }
  if (register && !userOption) throw VinteoError.invalidConfig('register needs a user attribute');
  const password = options.password === undefined || options.password === '' ? undefined : String(options.password);
  if (register && password === undefined) {
    throw VinteoError.invalidConfig('register needs a password: set the password property from script');
  }

  const displayName = clean(options.displayName) ?? '';
  if (/[\r\n\0"\\]/.test(displayName) || displayName.length > 128) {
    throw VinteoError.invalidConfig('display-name must be at most 128 characters without quotes, backslashes or line breaks');
  }

  const registerExpires = options.registerExpires ?? 300;
  if (!Number.isInteger(registerExpires) || registerExpires < 30 || registerExpires > 86_400) {
    throw VinteoError.invalidConfig('registerExpires must be a whole number of seconds between 30 and 86400');
  }

  return {
    wsUrl: wsUrl.toString(),
    sipDomain,
    user: userOption ?? randomGuestUser(),
    displayName,
    register,
    password,
    registerExpires,
  };
}

/** Conference ids are SIP users: digits and letters, no spaces. */
export function validateConference(conference: string | undefined | null): string {
  const value = clean(conference);
  if (!value) throw VinteoError.invalidConfig('Set the conference attribute to the number of the conference to join');
  if (!SIP_USER.test(value)) {
    throw VinteoError.invalidConfig(`conference ${JSON.stringify(value)} contains characters a SIP address cannot have`);
  }
  return value;
}

/** Two resolved configs describe the same connection (same server, same identity). */
export function sameConnection(a: ResolvedConnectionConfig, b: ResolvedConnectionConfig): boolean {
  return (
    a.wsUrl === b.wsUrl &&
    a.sipDomain === b.sipDomain &&
    a.register === b.register &&
    (a.register ? a.user === b.user && a.password === b.password : true) &&
    a.displayName === b.displayName
  );
}
