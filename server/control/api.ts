/**
 * Control API: JSON over HTTP on a loopback port, used by tests to inspect
 * and drive the server, plus the moderator console page (`GET /`) that uses
 * it. CORS is granted only to loopback origins; requests from any other
 * origin are refused. The routes are in routes.ts, the HTTP plumbing in http.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { listenOn } from '../sip/listener.js';
import { CONSOLE_CSP, CONSOLE_HTML, CONSOLE_JS } from './console-page.js';
import { HttpError, isLoopbackHostHeader, isLoopbackOrigin, readJson, sendJson, type Json, type Route } from './http.js';
import { controlRoutes, type ControlApiDeps } from './routes.js';
import { signallingRoutes } from './signalling-routes.js';
import type { LegEndpoint } from '../spectator/endpoint.js';

export { isLoopbackOrigin, MAX_BODY_BYTES } from './http.js';
export type { ControlApiDeps } from './routes.js';

/** Static pages of the console: path → [content type, body]. */
const STATIC_PAGES: Record<string, [string, string]> = {
  '/': ['text/html; charset=utf-8', CONSOLE_HTML],
  '/console.js': ['text/javascript; charset=utf-8', CONSOLE_JS],
};

export class ControlApi {
  private readonly server: Server;
  private readonly routes: Route[];
  private readonly log: Logger;
  private boundPort = 0;

  constructor(
    private readonly deps: ControlApiDeps & { legs?: Pick<LegEndpoint, 'snapshot'> },
    private readonly listenOptions: { host: string; port: number },
  ) {
    this.log = deps.log;
    const legs = deps.legs;
    // The spectators' receive legs: every POST and the legs open now (spectator/endpoint.ts).
    const legRoutes: Route[] = legs ? [{ method: 'GET', pattern: /^\/api\/legs$/, handler: () => [200, legs.snapshot()] }] : [];
    this.routes = [...controlRoutes(deps), ...signallingRoutes(deps), ...legRoutes];
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log.warn(`control API error: ${errorMessage(error)}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
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
    return listenOn(
      this.server,
      () => this.server.listen({ host, port, exclusive: true }),
      { host, port },
      { port: 'control', service: 'the control API' },
      () => {
        this.boundPort = (this.server.address() as AddressInfo).port;
        this.server.on('error', (error) => this.log.warn(`control server error: ${errorMessage(error)}`));
      },
    );
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

  // ---------------------------------------------------------------- plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (!isLoopbackHostHeader(req.headers.host)) {
      sendJson(res, 403, { error: 'forbidden host' });
      return;
    }
    if (origin !== undefined) {
      if (!isLoopbackOrigin(origin)) {
        sendJson(res, 403, { error: 'origin not allowed' });
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
        sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
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
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
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
      sendJson(res, 404, { error: `no such endpoint: ${path}` });
      return;
    }
    const hit = matching.find((m) => m.route.method === req.method);
    if (!hit) {
      res.setHeader('Allow', [...new Set(matching.map((m) => m.route.method)), 'OPTIONS'].join(', '));
      sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
      return;
    }
    let params: string[];
    try {
      params = hit.match.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      sendJson(res, 400, { error: 'malformed path' });
      return;
    }
    let bodyPromise: Promise<Json> | undefined;
    const body = (): Promise<Json> => (bodyPromise ??= readJson(req));
    try {
      const [status, payload] = await hit.route.handler(params, body, url.searchParams);
      sendJson(res, status, payload);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 413) res.setHeader('Connection', 'close');
        sendJson(res, error.status, { error: error.message, ...error.extra });
      } else {
        throw error;
      }
    } finally {
      // Drain an unread body so keep-alive connections stay usable.
      if (!bodyPromise && !req.readableEnded) req.resume();
    }
  }
}
