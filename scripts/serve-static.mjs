#!/usr/bin/env node
/* global console, process, URL -- a Node script */
// A plain static file server for the project folder, sending the strict Content-Security-Policy header
// with every response (scripts/csp-policy.mjs): how a locked-down CMS serves a page. No bundler, no
// transforms: what you see is what dist/vinteo-widgets.js does on such a site.
//   npx vinteo-dev-server &                      # the conference server demo/cms.html points at (8089)
//   node scripts/serve-static.mjs [--port 8080] [--trusted-types]
//   open http://127.0.0.1:8080/demo/cms.html
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { STRICT_CSP, trustedTypesCsp } from './csp-policy.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Starts the server; resolves to `{ url, close() }`. */
export function serveStatic({ root = process.cwd(), port = 8080, host = '127.0.0.1', trustedTypes = false } = {}) {
  const base = resolve(root);
  const policy = trustedTypes ? trustedTypesCsp() : STRICT_CSP;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const stat = statSync(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': stat.size,
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain', 'content-security-policy': policy }).end('not found');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolvePromise({ url: `http://${host}:${address.port}/`, policy, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, 'trusted-types': { type: 'boolean', default: false } } });
  const { url, policy } = await serveStatic({ port: Number(values.port), trustedTypes: values['trusted-types'] });
  console.log(`Serving ${process.cwd()} at ${url}`);
  console.log(`  Content-Security-Policy: ${policy}`);
  console.log(`  The CMS page: ${url}demo/cms.html (its vinteo-call connects to ws://127.0.0.1:8089: run npx vinteo-dev-server)`);
}
