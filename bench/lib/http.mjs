// The benchmark pages' HTTP server: 127.0.0.1 on an ephemeral port, nothing cached.
//   /pages/*            bench/pages (ours.html, raw.html, instrument.js, ours.js); ours-b.html is generated (BENCH_B)
//   /dist/*             the built package (dist/vinteo-widgets.js)
//   /out/raw.js         the raw JsSIP page's code, bundled by esbuild in this run
//   POST /__bench/drop      the conference server closes every WebSocket (POST /api/connections/drop)
//   POST /__bench/restart   the conference server crashes and starts again on the same ports
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.json': 'application/json' };

/**
 * @param {object} options
 * @param {string} options.root the project root
 * @param {Record<string, string | Uint8Array>} options.generated path → body served from memory
 * @param {Record<string, () => Promise<unknown>>} options.actions POST /__bench/{name} → action()
 * @param {Record<string, string>} [options.extraMounts] URL prefix → directory (e.g. `/b/` → another build's dist/)
 */
export async function startPageServer({ root, generated, actions, extraMounts = {} }) {
  const mounts = { '/pages/': resolve(root, 'bench/pages'), '/dist/': resolve(root, 'dist'), ...extraMounts };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    try {
      if (url.pathname.startsWith('/__bench/') && request.method === 'POST') {
        const action = actions[url.pathname.slice('/__bench/'.length)];
        if (!action) return send(404, 'no such action');
        const started = Date.now();
        const result = await action();
        return send(200, JSON.stringify({ ok: true, ms: Date.now() - started, ...(result ?? {}) }), TYPES['.json']);
      }
      if (url.pathname in generated) return send(200, generated[url.pathname], TYPES[extname(url.pathname)] ?? 'application/octet-stream');
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (!url.pathname.startsWith(prefix)) continue;
        const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
        if (!file.startsWith(dir)) return send(403, 'forbidden');
        return send(200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream');
      }
      if (url.pathname === '/favicon.ico') return send(204, '');
      return send(404, 'not found');
    } catch (error) {
      return send(error.code === 'ENOENT' ? 404 : 500, String(error.message ?? error));
    }
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolveListen);
  });
  server.keepAliveTimeout = 1000;
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}
