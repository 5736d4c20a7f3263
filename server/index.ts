/**
 * vinteo-dev-server: a local Vinteo-like conference server for tests and demos.
 * SIP over WebSocket (registrar with digest auth, conference calls answered by
 * a WebRTC echo peer, Vinteo INFO signalling) plus a JSON control API.
 * Listens on loopback only.
 */
import { isIP } from 'node:net';
import { CallManager } from './calls/manager.js';
import { ControlApi } from './control/api.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AddressEndpoint, addressPatch, type AddressOverrides } from './discovery.js';
import { LegEndpoint } from './spectator/endpoint.js';
import { createLogger, type LogLevel, type LogSink } from './log.js';
import { Notifier } from './notify.js';
import { Registrar } from './registrar.js';
import { attachSipRouter, type SignallingFaults } from './sip-router.js';
import { MessageLog } from './sip/message-log.js';
import { selfSignedCertificate, type TlsCredentials } from './sip/tls.js';
import { SipTransport } from './sip/ws-listener.js';
import { SipUdpListener } from './sip/udp-listener.js';
import { StunResponder } from './stun.js';

export type {
  CallDirection,
  CallInfo,
  CallState,
  ContentInfo,
  ContentResult,
  EndReason,
  InfoRecord,
  MediaEntry,
  PresentationInfo,
  PresentationPolicy,
  PresentationState,
  SentInfoRecord,
} from './calls/types.js';
export type { TokenMode } from './calls/rooms.js';
export type { MediaRole } from './media/types.js';
export type { VideoMode } from './media/video-fault.js';
export type { AddressFields, AddressOverrides, AddressSettings } from './discovery.js';
export type { LoggedMessage } from './sip/message-log.js';
export type { NotifyResult, NotifyRoute } from './notify.js';
export type { StunStats } from './stun.js';
export { MODERATOR_COMMANDS, type ModeratorCommand } from './commands.js';
export type { RegistrationInfo } from './registrar.js';
export type { LogLevel, LogSink } from './log.js';

export interface DevServerOptions {
  /** Loopback address to listen on (default 127.0.0.1). Anything that is not loopback is refused. */
  host?: string;
  /** SIP WebSocket port (default 8089; 0 = ephemeral). */
  port?: number;
  /** Control API port (default 8090; 0 = ephemeral). */
  controlPort?: number;
  /**
   * Plain SIP over UDP port for a SIP proxy in front of the server (e.g. Kamailio forwarding
   * conference calls from browsers). Off when undefined; 0 = ephemeral. Same host as the rest.
   */
  sipPort?: number;
  /** Registered users: user → password. */
  users?: Record<string, string>;
  /** SIP domain / digest realm (default 'vinteo.local'). */
  sipDomain?: string;
  /** Log sink, one line per call. Default: quiet. */
  log?: LogSink;
  /** Lowest level passed to `log`: 'debug' (default; includes every SIP request/response), 'info' or 'warn'. */
  logLevel?: LogLevel;
  /** Delay before answering each INVITE, ms (default 0). Also settable through POST /api/faults. */
  answerDelayMs?: number;
  /** How long to wait for the client's response to a server INFO, ms (default 5000). */
  infoTimeoutMs?: number;
  /**
   * Waiting room: guests (`X-Vinteo-Purgatory-Call: yes`) are answered at once,
   * then put in the room `purgatory` (state `waiting`) until admitted through the
   * control API (default false; also switchable with POST /api/waiting-room).
   */
  waitingRoom?: boolean;
  /** How long a server-initiated call may ring before the server cancels it, ms (default 60000). */
  ringTimeoutMs?: number;
  /**
   * Also serve HTTPS + secure WebSocket (wss://…/webrtc/wss/ and https://…/api/v1/address) on this
   * port, with a self-signed certificate made at start. Off when undefined; 0 = ephemeral.
   */
  tlsPort?: number;
  /** A UDP STUN binding responder on this port (0 = ephemeral); discovery then offers it in `iceServers`. Off when undefined. */
  stunPort?: number;
  /**
   * What `GET /api/v1/address` answers instead of its defaults (`ip` = sipDomain, `remoteAddress` =
   * the client's socket address, `iceServers` = the STUN responder if any, `unified: true`); `null`
   * removes a field. Also `status` and `rawBody`. Changeable at run time with POST /api/address.
   */
  address?: AddressOverrides;
}

export interface DevServer {
  /** ws://127.0.0.1:PORT/webrtc/wss/ */
  readonly wsUrl: string;
  /** http://127.0.0.1:CONTROL_PORT */
  readonly controlUrl: string;
  readonly port: number;
  readonly controlPort: number;
  /** The plain SIP (UDP) port, when `sipPort` was given. */
  readonly sipPort: number | undefined;
  /** sip:127.0.0.1:SIP_PORT (where a proxy forwards conference calls), when `sipPort` was given. */
  readonly sipUri: string | undefined;
  readonly host: string;
  readonly sipDomain: string;
  /** The TLS port (HTTPS + wss), when `tlsPort` was given. */
  readonly tlsPort: number | undefined;
  /** wss://127.0.0.1:TLS_PORT/webrtc/wss/, when `tlsPort` was given. */
  readonly wssUrl: string | undefined;
  /** 127.0.0.1:TLS_PORT: a client's `server` setting (it connects to wss://{server}/webrtc/wss/, fetches https://{server}/api/v1/address). */
  readonly tlsHost: string | undefined;
  /** The TLS listener's self-signed certificate (PEM) and its hashes (e.g. for Chromium's --ignore-certificate-errors-spki-list). */
  readonly tlsCertificate: { cert: string; spkiSha256: string; fingerprint256: string } | undefined;
  /** The STUN port, when `stunPort` was given. */
  readonly stunPort: number | undefined;
  /** stun:127.0.0.1:STUN_PORT, when `stunPort` was given. */
  readonly stunUrl: string | undefined;
  /** Closes every socket, peer connection and timer and frees both ports. Idempotent. */
  close(options?: { crash?: boolean }): Promise<void>;
}

export const DEFAULT_PORT = 8089;
export const DEFAULT_CONTROL_PORT = 8090;
export const DEFAULT_SIP_DOMAIN = 'vinteo.local';

/** Maps a host option to a loopback IP literal, or throws. */
export function normalizeLoopbackHost(host: string | undefined): string {
  const value = (host ?? '127.0.0.1').trim().replace(/^\[(.*)\]$/, '$1');
  if (value === 'localhost') return '127.0.0.1';
  if (isIP(value) === 4 && value.startsWith('127.')) return value;
  if (isIP(value) === 6 && (value === '::1' || value === '0:0:0:0:0:0:0:1')) return '::1';
  throw new Error(`host must be a loopback address (127.0.0.1, ::1 or localhost), got ${JSON.stringify(host)}`);
}

function checkPort(value: number | undefined, name: string, fallback: number): number {
  const port = value ?? fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be an integer between 0 and 65535, got ${String(value)}`);
  return port;
}

/** Validates a users map (user → password). */
export function validateUsers(users: unknown): Record<string, string> {
  if (users === undefined) return {};
  if (typeof users !== 'object' || users === null || Array.isArray(users)) throw new Error('users must be an object mapping user names to passwords');
  const result: Record<string, string> = {};
  for (const [user, password] of Object.entries(users)) {
    if (!/^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/.test(user)) throw new Error(`invalid user name ${JSON.stringify(user)} (must be a SIP URI user part)`);
    if (typeof password !== 'string' || password === '') throw new Error(`password of user ${JSON.stringify(user)} must be a non-empty string`);
    result[user] = password;
  }
  return result;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = normalizeLoopbackHost(options.host);
  const port = checkPort(options.port, 'port', DEFAULT_PORT);
  const controlPort = checkPort(options.controlPort, 'controlPort', DEFAULT_CONTROL_PORT);
  if (port !== 0 && port === controlPort) throw new Error(`port and controlPort must differ (both ${port})`);
  const sipPort = options.sipPort === undefined ? undefined : checkPort(options.sipPort, 'sipPort', 0);
  const sipDomain = options.sipDomain ?? DEFAULT_SIP_DOMAIN;
  if (!/^[A-Za-z0-9.-]+$/.test(sipDomain)) throw new Error(`invalid sipDomain ${JSON.stringify(sipDomain)}`);
  const users = validateUsers(options.users);
  if (options.answerDelayMs !== undefined && (!Number.isInteger(options.answerDelayMs) || options.answerDelayMs < 0)) {
    throw new Error('answerDelayMs must be a non-negative integer');
  }
  if (options.waitingRoom !== undefined && typeof options.waitingRoom !== 'boolean') throw new Error('waitingRoom must be a boolean');
  if (options.ringTimeoutMs !== undefined && (!Number.isInteger(options.ringTimeoutMs) || options.ringTimeoutMs < 1)) {
    throw new Error('ringTimeoutMs must be a positive integer');
  }
  const tlsPort = options.tlsPort === undefined ? undefined : checkPort(options.tlsPort, 'tlsPort', 0);
  const stunPort = options.stunPort === undefined ? undefined : checkPort(options.stunPort, 'stunPort', 0);
  const taken = [port, controlPort, tlsPort].filter((p): p is number => p !== undefined && p !== 0);
  if (new Set(taken).size !== taken.length) throw new Error(`port, controlPort and tlsPort must differ (${taken.join(', ')})`);
  let address: AddressOverrides | undefined;
  try {
    address = options.address === undefined ? undefined : addressPatch(options.address).patch;
  } catch (error) {
    throw new Error(`address: ${error instanceof Error ? error.message : String(error)}`);
  }

  const log = createLogger(options.log, options.logLevel ?? 'debug');
  const stun = stunPort === undefined ? undefined : new StunResponder({ host, port: stunPort, log: log.child('stun') });
  const discovery = new AddressEndpoint({ sipDomain, host, stunUrl: () => (stun?.port ? stun.url : undefined) }, address);
  // The spectators' receive legs (spectator/endpoint.ts) share the SIP ports with discovery; set once the calls exist.
  const legRef: { legs?: LegEndpoint } = {};
  const http = (req: IncomingMessage, res: ServerResponse): boolean => discovery.handle(req, res) || (legRef.legs?.handle(req, res) ?? false);
  const transport = new SipTransport({ host, port, log: log.child('sip'), http });
  let credentials: TlsCredentials | undefined;
  if (tlsPort !== undefined) credentials = await selfSignedCertificate(host);
  const tls = credentials && new SipTransport({ host, port: tlsPort!, log: log.child('sip-tls'), http, tls: credentials });
  const registrar = new Registrar({ realm: sipDomain, users, log: log.child('registrar') });
  const calls = new CallManager({
    mediaHost: host,
    sipDomain,
    waitingRoom: options.waitingRoom ?? false,
    log: log.child('calls'),
    ...(options.ringTimeoutMs !== undefined ? { ringTimeoutMs: options.ringTimeoutMs } : {}),
    ...(options.infoTimeoutMs !== undefined ? { infoTimeoutMs: options.infoTimeoutMs } : {}),
  });
  const legs = new LegEndpoint({ callForToken: (c, t) => calls.callForToken(c, t), calls: () => calls.liveCalls(), host, log: log.child('legs') });
  legRef.legs = legs;
  calls.onContentChange((call) => legs.contentChanged(call));
  if (options.answerDelayMs) calls.faults.answerDelayMs = options.answerDelayMs;
  const faults: SignallingFaults = { ignoreOptions: false, optionsStatus: null };
  const messages = new MessageLog();
  const udp = sipPort === undefined ? undefined : new SipUdpListener({ host, port: sipPort, log: log.child('sip-udp') });
  const listeners = [transport, ...(tls ? [tls] : []), ...(udp ? [udp] : [])];
  for (const listener of listeners) {
    const scope = listener === udp ? 'sip-udp' : listener === tls ? 'sip-tls' : 'sip';
    attachSipRouter({ transport: listener, registrar, calls, faults, log: log.child(scope) });
    listener.onMessage = (message, flow) => messages.record(message, flow);
  }
  const flows = {
    getFlow: (id: string) => listeners.map((l) => l.getFlow(id)).find((f) => f !== undefined),
    dropAll: () => transport.dropAll() + (tls?.dropAll() ?? 0),
  };
  const notifier = new Notifier({ registrar, calls, getFlow: flows.getFlow, sipDomain, timeoutMs: options.infoTimeoutMs ?? 5000, log: log.child('notify') });
  const stunInfo = () => (stun ? { ...stun.snapshot(), port: stun.port, url: stun.url } : undefined);
  const control = new ControlApi(
    { registrar, calls, transport: flows, faults, address: discovery, messages, notifier, stun: stunInfo, legs, log: log.child('control') },
    { host, port: controlPort },
  );

  // Started in order; on a failure every one tried so far (the failed one included: its socket) is closed again.
  const tried: Array<{ close(): Promise<void> }> = [];
  try {
    for (const service of [transport, ...(tls ? [tls] : []), ...(udp ? [udp] : []), ...(stun ? [stun] : []), control]) {
      tried.push(service);
      await service.listen();
    }
  } catch (error) {
    for (const service of tried.reverse()) await service.close();
    throw error;
  }

  const wsUrl = `ws://${urlHost(host)}:${transport.port}/webrtc/wss/`;
  const tlsHost = tls ? `${urlHost(host)}:${tls.port}` : undefined;
  const wssUrl = tlsHost ? `wss://${tlsHost}/webrtc/wss/` : undefined;
  const controlUrl = `http://${urlHost(host)}:${control.port}`;
  const sipUri = udp ? `sip:${urlHost(host)}:${udp.port}` : undefined;
  log.info(
    `SIP WebSocket ${wsUrl} (domain ${sipDomain}), ${wssUrl ? `TLS ${wssUrl}, ` : ''}${sipUri ? `SIP over UDP ${sipUri}, ` : ''}${stun ? `STUN ${stun.url}, ` : ''}control API ${controlUrl}`,
  );

  let closing: Promise<void> | undefined;
  return {
    wsUrl,
    controlUrl,
    port: transport.port,
    controlPort: control.port,
    sipPort: udp?.port,
    sipUri,
    host,
    sipDomain,
    tlsPort: tls?.port,
    wssUrl,
    tlsHost,
    tlsCertificate: credentials && { cert: credentials.cert, spkiSha256: credentials.spkiSha256, fingerprint256: credentials.fingerprint256 },
    stunPort: stun?.port,
    stunUrl: stun?.url,
    close(options: { crash?: boolean } = {}): Promise<void> {
      closing ??= (async () => {
        await calls.close(options);
        await legs.close();
        await transport.close();
        await tls?.close();
        await udp?.close();
        await stun?.close();
        await control.close();
        registrar.clear();
        log.info('stopped');
      })();
      return closing;
    },
  };
}
