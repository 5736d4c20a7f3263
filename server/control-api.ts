/**
 * Control API: JSON over HTTP on a loopback port, used by tests to inspect
 * and drive the server, plus the moderator console page (`GET /`) that uses
 * it. CORS is granted only to loopback origins; requests from any other
 * origin are refused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_CODECS, CallError, RESERVED_HEADERS, type CallManager, type PresentationPolicy } from './calls.js';
import { buildCommandInfo, CommandError } from './commands.js';
import { CONSOLE_CSP, CONSOLE_HTML, CONSOLE_JS } from './console-page.js';
import type { Logger } from './log.js';
import { errorMessage } from './log.js';
import type { Registrar } from './registrar.js';
import type { SignallingFaults } from './sip-router.js';
import { TOKEN_RE } from './sip-message.js';
import { TransactionTimeoutError } from './sip-listener.js';
import type { SipTransport } from './sip-transport.js';

export const MAX_BODY_BYTES = 64 * 1024;
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface ControlApiDeps {
  registrar: Registrar;
  calls: CallManager;
  /** Flows of every listener (registrations name theirs) and the WebSocket drop. */
  transport: Pick<SipTransport, 'getFlow' | 'dropAll'>;
  faults: SignallingFaults;
  log: Logger;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra fields of the JSON error body. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A SIP URI user part we are willing to put in From (the `from` of a server-initiated call). */
const FROM_USER_RE = /^[A-Za-z0-9._~+-]{1,64}$/;
const MAX_DISPLAY_NAME_CHARS = 128;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_RE = /[\u0000-\u001f\u007f]/;

/** Static pages of the console: path → [content type, body]. */
const STATIC_PAGES: Record<string, [string, string]> = {
  '/': ['text/html; charset=utf-8', CONSOLE_HTML],
  '/console.js': ['text/javascript; charset=utf-8', CONSOLE_JS],
};

type Json = unknown;
type Handler = (params: string[], body: () => Promise<Json>) => Promise<[number, Json]> | [number, Json];

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intInRange(value: unknown, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** True when an Origin header value names a loopback page (any scheme/port). */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
  } catch {
    return false;
  }
}

function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return true;
  try {
    const hostname = new URL(`http://${host}`).hostname;
    return LOOPBACK_HOSTNAMES.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
  } catch {
    return false;
  }
}

export class ControlApi {
  private readonly server: Server;
  private readonly routes: Route[];
  private readonly log: Logger;
  private boundPort = 0;

  constructor(
    private readonly deps: ControlApiDeps,
    private readonly listenOptions: { host: string; port: number },
  ) {
    this.log = deps.log;
    this.routes = this.buildRoutes();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log.warn(`control API error: ${errorMessage(error)}`);
        if (!res.headersSent) this.sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.server.keepAliveTimeout = 2_000;
  }

  get port(): number {
    return this.boundPort;
  }

  listen(): Promise<void> {
    const { host, port } = this.listenOptions;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        this.server.off('listening', onListening);
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`control port ${port} on ${host} is already in use`)
            : new Error(`cannot listen for the control API on ${host}:${port}: ${error.message}`),
        );
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.boundPort = (this.server.address() as AddressInfo).port;
        this.server.on('error', (error) => this.log.warn(`control server error: ${errorMessage(error)}`));
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen({ host, port, exclusive: true });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------------ routes

  private buildRoutes(): Route[] {
    const { registrar, calls, transport, faults } = this.deps;
    return [
      { method: 'GET', pattern: /^\/api\/health$/, handler: () => [200, { ok: true }] },
      { method: 'GET', pattern: /^\/api\/registrations$/, handler: () => [200, registrar.list()] },
      {
        method: 'POST',
        pattern: /^\/api\/registrations\/([^/]+)\/call$/,
        handler: async ([user], body) => {
          const input = await body();
          if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object');
          const displayName = input?.displayName;
          if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length > MAX_DISPLAY_NAME_CHARS || CONTROL_CHARS_RE.test(displayName))) {
            throw new HttpError(400, `displayName must be a string of at most ${MAX_DISPLAY_NAME_CHARS} characters without control characters (CR, LF …)`);
          }
          const from = input?.from ?? 'vinteo';
          if (typeof from !== 'string' || !FROM_USER_RE.test(from)) throw new HttpError(400, 'from must be a SIP user part of 1–64 letters, digits and . _ ~ + -');
          if (input?.welcome !== undefined && typeof input.welcome !== 'boolean') throw new HttpError(400, 'welcome must be a boolean');
          // The most recent binding whose WebSocket is still open.
          const binding = registrar
            .lookup(user!)
            .filter((b) => transport.getFlow(b.flowId)?.isOpen)
            .sort((a, b) => b.registeredAt.localeCompare(a.registeredAt))[0];
          const flow = binding && transport.getFlow(binding.flowId);
          if (!binding || !flow) throw new HttpError(404, `user ${user} is not registered`);
          try {
            const call = calls.callUser({
              flow,
              target: binding.contact,
              user: user!,
              from,
              ...(displayName ? { displayName } : {}),
              ...(input?.welcome === true ? { welcome: true } : {}),
            });
            return [201, { id: call.id }];
          } catch (error) {
            if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
            throw error;
          }
        },
      },
      { method: 'GET', pattern: /^\/api\/waiting-room$/, handler: () => [200, { enabled: calls.waitingRoom }] },
      {
        method: 'POST',
        pattern: /^\/api\/waiting-room$/,
        handler: async (_p, body) => {
          const input = await body();
          if (!isObject(input) || typeof input.enabled !== 'boolean') throw new HttpError(400, 'body must be { "enabled": true | false }');
          calls.waitingRoom = input.enabled;
          this.log.info(`waiting room ${input.enabled ? 'enabled' : 'disabled'}`);
          return [200, { enabled: calls.waitingRoom }];
        },
      },
      { method: 'GET', pattern: /^\/api\/calls$/, handler: () => [200, calls.list()] },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/reject-next$/,
        handler: async (_p, body) => {
          const input = await body();
          if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object');
          const count = intInRange(input?.count, 'count', 0, 1000, 1);
          const status = intInRange(input?.status, 'status', 400, 699, 486);
          calls.rejectNext(count, status);
          this.log.info(`next ${count} INVITE(s) will be answered ${status}`);
          return [200, { ok: true, count, status }];
        },
      },
      {
        method: 'GET',
        pattern: /^\/api\/calls\/([^/]+)$/,
        handler: ([id]) => {
          const call = calls.get(id!);
          if (!call) throw new HttpError(404, `unknown call ${id}`);
          return [200, call];
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/info$/,
        handler: async ([id], body) => {
          if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
          const info = this.validateInfo(await body());
          const record = await this.sendInfo(id!, info);
          return [200, { status: record.status }];
        },
      },
      {
        method: 'GET',
        pattern: /^\/api\/calls\/([^/]+)\/sdp$/,
        handler: ([id]) => {
          try {
            return [200, calls.sdp(id!)];
          } catch (error) {
            if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
            throw error;
          }
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/command$/,
        handler: async ([id], body) => {
          if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
          const input = await body();
          if (!isObject(input)) throw new HttpError(400, 'body must be a JSON object { "command": "…" }');
          let info;
          try {
            info = buildCommandInfo(input);
          } catch (error) {
            if (error instanceof CommandError) throw new HttpError(400, error.message, error.validCommands ? { validCommands: error.validCommands } : {});
            throw error;
          }
          const record = await this.sendInfo(id!, info);
          return [200, { status: record.status, command: input.command, contentType: info.contentType, headers: info.headers }];
        },
      },
      { method: 'GET', pattern: /^\/api\/presentation-policy$/, handler: () => [200, { ...calls.presentationPolicy }] },
      {
        method: 'POST',
        pattern: /^\/api\/presentation-policy$/,
        handler: async (_p, body) => {
          const { patch } = this.policyPatch(await body(), false);
          return [200, calls.setDefaultPresentationPolicy(patch)];
        },
      },
      {
        method: 'GET',
        pattern: /^\/api\/calls\/([^/]+)\/presentation-policy$/,
        handler: ([id]) => {
          const call = calls.get(id!);
          if (!call) throw new HttpError(404, `unknown call ${id}`);
          return [200, call.presentationPolicy];
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/presentation-policy$/,
        handler: async ([id], body) => {
          if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
          const { patch, reset } = this.policyPatch(await body(), true);
          return [200, this.callOp(() => calls.setCallPresentationPolicy(id!, patch, reset))];
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/presentation\/stop$/,
        handler: async ([id]) => {
          if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
          const record = await this.sendInfo(id!, buildCommandInfo({ command: 'stop-presentation' }));
          return [200, { status: record.status }];
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/content\/start$/,
        handler: async ([id], body) => {
          if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
          const input = await body();
          if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object { "codec"?: "VP8" }');
          const unknown = Object.keys(input ?? {}).filter((k) => k !== 'codec');
          if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);
          let codec: string | undefined;
          if (input?.codec !== undefined) {
            codec = typeof input.codec === 'string' ? input.codec.toUpperCase() : '';
            if (!(CONTENT_CODECS as readonly string[]).includes(codec)) {
              throw new HttpError(400, `codec must be one of ${CONTENT_CODECS.join(', ')} (the content m-line forwards the caller's camera RTP, so only codecs the server negotiates work)`);
            }
          }
          return [200, await this.contentOp(() => calls.startContent(id!, codec))];
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/content\/stop$/,
        handler: async ([id]) => {
          if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
          return [200, await this.contentOp(() => calls.stopContent(id!))];
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/admit$/,
        handler: async ([id]) => {
          try {
            const call = await calls.admit(id!);
            return [200, { ok: call.state !== 'ended', state: call.state }];
          } catch (error) {
            if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
            throw error;
          }
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/calls\/([^/]+)\/hangup$/,
        handler: async ([id]) => {
          try {
            const result = await calls.hangup(id!);
            return [200, { ok: true, status: result.status }];
          } catch (error) {
            if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
            throw error;
          }
        },
      },
      {
        method: 'POST',
        pattern: /^\/api\/connections\/drop$/,
        handler: () => {
          const dropped = transport.dropAll();
          this.log.info(`dropped ${dropped} connection(s)`);
          return [200, { ok: true, dropped }];
        },
      },
      { method: 'GET', pattern: /^\/api\/faults$/, handler: () => [200, this.faultsSnapshot()] },
      {
        method: 'POST',
        pattern: /^\/api\/faults$/,
        handler: async (_p, body) => {
          const input = await body();
          if (!isObject(input)) throw new HttpError(400, 'body must be a JSON object');
          const known = new Set(['answerDelayMs', 'ignoreOptions', 'ignoreCancel', 'rejectNextInvites', 'rejectNextRegisters', 'registerExpires', 'registerMinExpires']);
          const unknown = Object.keys(input).filter((k) => !known.has(k));
          if (unknown.length) throw new HttpError(400, `unknown fault(s): ${unknown.join(', ')}`);
          const answerDelayMs = input.answerDelayMs === undefined ? undefined : intInRange(input.answerDelayMs, 'answerDelayMs', 0, 60_000);
          if (input.ignoreOptions !== undefined && typeof input.ignoreOptions !== 'boolean') throw new HttpError(400, 'ignoreOptions must be a boolean');
          if (input.ignoreCancel !== undefined && typeof input.ignoreCancel !== 'boolean') throw new HttpError(400, 'ignoreCancel must be a boolean');
          const rejectSpec = (value: unknown, name: string): { count: number; status: number } | undefined => {
            if (value === undefined) return undefined;
            if (!isObject(value)) throw new HttpError(400, `${name} must be an object { count, status }`);
            return { count: intInRange(value.count, `${name}.count`, 0, 1000, 1), status: intInRange(value.status, `${name}.status`, 400, 699) };
          };
          const invites = rejectSpec(input.rejectNextInvites, 'rejectNextInvites');
          const registers = rejectSpec(input.rejectNextRegisters, 'rejectNextRegisters');
          // Written into SIP headers as they are: visible ASCII, no line breaks, at most 32 characters.
          const headerText = (value: unknown, name: string): string | null | undefined => {
            if (value === undefined || value === null) return value;
            if (typeof value !== 'string' || !/^[\x21-\x7e]{0,32}$/.test(value)) throw new HttpError(400, `${name} must be null or up to 32 visible ASCII characters`);
            return value;
          };
          const registerExpires = headerText(input.registerExpires, 'registerExpires');
          const registerMinExpires = headerText(input.registerMinExpires, 'registerMinExpires');
          if (answerDelayMs !== undefined) calls.faults.answerDelayMs = answerDelayMs;
          if (typeof input.ignoreOptions === 'boolean') faults.ignoreOptions = input.ignoreOptions;
          if (typeof input.ignoreCancel === 'boolean') calls.faults.ignoreCancel = input.ignoreCancel;
          if (invites) calls.rejectNext(invites.count, invites.status);
          if (registers) registrar.faults.rejectNext = registers;
          if (registerExpires !== undefined) registrar.faults.grantExpires = registerExpires;
          if (registerMinExpires !== undefined) registrar.faults.minExpires = registerMinExpires;
          return [200, this.faultsSnapshot()];
        },
      },
    ];
  }

  /** Sends an INFO through the call manager, mapping its errors to HTTP ones. */
  private async sendInfo(id: string, info: { contentType: string; headers: Record<string, string>; body: string }): Promise<{ status: number | null }> {
    try {
      return await this.deps.calls.sendInfo(id, info);
    } catch (error) {
      if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
      if (error instanceof TransactionTimeoutError) throw new HttpError(504, 'the client did not answer the INFO in time');
      throw new HttpError(502, errorMessage(error));
    }
  }

  /** Runs a call manager operation, mapping CallError to its HTTP status. */
  private callOp<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
      throw error;
    }
  }

  /** Runs a content start/stop: CallError → its status, no answer from the client → 504, other failures → 502. */
  private async contentOp<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
      if (error instanceof TransactionTimeoutError) throw new HttpError(504, `the client did not answer in time (${error.message})`);
      throw new HttpError(502, errorMessage(error));
    }
  }

  /** Validates `{ accept?, status?, failNext? }` (plus `reset?` for a call). */
  private policyPatch(input: Json, allowReset: boolean): { patch: Partial<PresentationPolicy>; reset: boolean } {
    if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object { "accept"?: boolean, "status"?: 400–699, "failNext"?: count }');
    const body = input ?? {};
    const known = new Set(['accept', 'status', 'failNext', ...(allowReset ? ['reset'] : [])]);
    const unknown = Object.keys(body).filter((k) => !known.has(k));
    if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}; allowed: ${[...known].join(', ')}`);
    const patch: Partial<PresentationPolicy> = {};
    if (body.accept !== undefined) {
      if (typeof body.accept !== 'boolean') throw new HttpError(400, 'accept must be a boolean');
      patch.accept = body.accept;
    }
    if (body.status !== undefined) patch.status = intInRange(body.status, 'status', 400, 699);
    if (body.failNext !== undefined) patch.failNext = intInRange(body.failNext, 'failNext', 0, 1000);
    if (body.reset !== undefined && typeof body.reset !== 'boolean') throw new HttpError(400, 'reset must be a boolean');
    return { patch, reset: body.reset === true };
  }

  private faultsSnapshot(): Json {
    const { calls, registrar, faults } = this.deps;
    return {
      answerDelayMs: calls.faults.answerDelayMs,
      ignoreOptions: faults.ignoreOptions,
      ignoreCancel: calls.faults.ignoreCancel,
      rejectNextInvites: { ...calls.faults.rejectNext },
      rejectNextRegisters: { ...registrar.faults.rejectNext },
      registerExpires: registrar.faults.grantExpires,
      registerMinExpires: registrar.faults.minExpires,
    };
  }

  private validateInfo(input: Json): { contentType: string; headers: Record<string, string>; body: string } {
    if (!isObject(input)) throw new HttpError(400, 'body must be a JSON object');
    const { contentType, headers = {}, body = '' } = input;
    if (typeof contentType !== 'string' || !/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;[^\r\n]*)?$/.test(contentType.trim())) {
      throw new HttpError(400, 'contentType is required and must be a media type such as application/vinteo.webrtc.maincam');
    }
    if (!isObject(headers)) throw new HttpError(400, 'headers must be an object of header name → string value');
    const clean: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!TOKEN_RE.test(name)) throw new HttpError(400, `invalid header name ${JSON.stringify(name)}`);
      if (RESERVED_HEADERS.has(name.toLowerCase())) throw new HttpError(400, `header ${name} cannot be set`);
      if (typeof value !== 'string' && typeof value !== 'number') throw new HttpError(400, `header ${name} must have a string value`);
      const text = String(value);
      if (/[\r\n\0]/.test(text)) throw new HttpError(400, `header ${name} must not contain CR, LF or NUL`);
      clean[name] = text;
    }
    if (typeof body !== 'string') throw new HttpError(400, 'body must be a string');
    return { contentType: contentType.trim(), headers: clean, body };
  }

  // ---------------------------------------------------------------- plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (!isLoopbackHostHeader(req.headers.host)) {
      this.sendJson(res, 403, { error: 'forbidden host' });
      return;
    }
    if (origin !== undefined) {
      if (!isLoopbackOrigin(origin)) {
        this.sendJson(res, 403, { error: 'origin not allowed' });
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const url = new URL(req.url ?? '/', 'http://control.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';

    const page = STATIC_PAGES[path];
    if (page || path === '/favicon.ico') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        this.sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
        return;
      }
      req.resume();
      if (!page) {
        res.writeHead(204, { 'Cache-Control': 'max-age=86400' }).end();
        return;
      }
      const [type, text] = page;
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': Buffer.byteLength(text),
        'Content-Security-Policy': CONSOLE_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }

    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type');
      res.setHeader('Access-Control-Max-Age', '600');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
      res.writeHead(204).end();
      return;
    }

    const matching = this.routes
      .map((route) => ({ route, match: route.pattern.exec(path) }))
      .filter((m): m is { route: Route; match: RegExpExecArray } => m.match !== null);
    if (matching.length === 0) {
      this.sendJson(res, 404, { error: `no such endpoint: ${path}` });
      return;
    }
    const hit = matching.find((m) => m.route.method === req.method);
    if (!hit) {
      res.setHeader('Allow', [...new Set(matching.map((m) => m.route.method)), 'OPTIONS'].join(', '));
      this.sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
      return;
    }
    let params: string[];
    try {
      params = hit.match.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      this.sendJson(res, 400, { error: 'malformed path' });
      return;
    }
    let bodyPromise: Promise<Json> | undefined;
    const body = (): Promise<Json> => (bodyPromise ??= this.readJson(req));
    try {
      const [status, payload] = await hit.route.handler(params, body);
      this.sendJson(res, status, payload);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 413) res.setHeader('Connection', 'close');
        this.sendJson(res, error.status, { error: error.message, ...error.extra });
      } else {
        throw error;
      }
    } finally {
      // Drain an unread body so keep-alive connections stay usable.
      if (!bodyPromise && !req.readableEnded) req.resume();
    }
  }

  private readJson(req: IncomingMessage): Promise<Json> {
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > MAX_BODY_BYTES) {
        req.resume();
        reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      req.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          failed = true;
          chunks.length = 0;
          reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', (error) => {
        if (!failed) reject(new HttpError(400, `cannot read body: ${error.message}`));
        failed = true;
      });
      req.on('end', () => {
        if (failed) return;
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.trim() === '') {
          resolve(undefined);
          return;
        }
        try {
          resolve(JSON.parse(text) as Json);
        } catch (error) {
          reject(new HttpError(400, `malformed JSON: ${errorMessage(error)}`));
        }
      });
    });
  }

  private sendJson(res: ServerResponse, status: number, payload: Json): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(text);
  }
}
