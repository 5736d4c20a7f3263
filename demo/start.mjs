// `npm start`: the local conference server on 127.0.0.1 plus the demo pages (Vite), for a fresh machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'vite';
import { STRICT_CSP } from '../scripts/csp-policy.mjs';

const port = Number(process.env.VINTEO_PORT ?? 8089);
const controlPort = Number(process.env.VINTEO_CONTROL_PORT ?? 8090);

function run(args) {
  execFileSync(process.execPath, args, { stdio: 'inherit' });
}

// The server and the classic-script loader with its SIP chunk are built on first start (and by `npm run build`).
if (!existsSync('dist/server/index.js')) run(['server/build.mjs']);
if (!existsSync('dist/vinteo-widgets.js')) run(['node_modules/vite/bin/vite.js', 'build', '--mode', 'bundle', '--logLevel', 'warn']);
if (!existsSync('dist/vinteo-widgets-sip.js')) run(['node_modules/vite/bin/vite.js', 'build', '--mode', 'sip', '--logLevel', 'warn']);

const { startDevServer } = await import('../dist/server/index.js');
let conference;
try {
  conference = await startDevServer({ port, controlPort, log: (line) => console.log(`[server] ${line}`) });
} catch (error) {
  console.error(`Could not start the local conference server: ${error.message}`);
  console.error('Set VINTEO_PORT / VINTEO_CONTROL_PORT to free ports and try again.');
  process.exit(1);
}

/** Serves the server's URLs to the demo page, and dist/ for the plain-HTML page. */
const demoPlugin = {
  name: 'vinteo-demo',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const url = (req.url ?? '').split('?')[0];
      // The plain-HTML page is served as a strict CMS would: no inline script or style, no eval.
      if (url === '/cms.html') res.setHeader('content-security-policy', STRICT_CSP);
      if (url === '/__vinteo/env') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ wsUrl: conference.wsUrl, controlUrl: conference.controlUrl }));
        return;
      }
      // The classic scripts as they are built (the loader, its SIP chunk, the one-file build), untransformed.
      if (/^\/dist\/vinteo-widgets(-sip|-single)?\.js(\.map)?$/.test(url) && existsSync(url.slice(1))) {
        res.setHeader('content-type', url.endsWith('.map') ? 'application/json' : 'text/javascript');
        res.end(readFileSync(url.slice(1)));
        return;
      }
      next();
    });
  },
};

const vite = await createServer({ configFile: 'vite.config.ts', plugins: [demoPlugin] });
await vite.listen();
const base = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
console.log('');
console.log(`  Demo:               ${base}`);
console.log(`  Plain HTML (CMS):   ${base}cms.html (served with a strict Content-Security-Policy)`);
console.log(`  Conference server:  ${conference.wsUrl}`);
console.log(`  Moderator console:  ${conference.controlUrl}/`);
console.log(`  Control API:        ${conference.controlUrl}/api/calls`);
console.log('  Press Ctrl+C to stop.');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([vite.close(), conference.close()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
