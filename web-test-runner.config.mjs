// Web Test Runner: every test runs in Debian's Chromium and in Debian's Firefox ESR, with fake camera and
// microphone. VINTEO_BROWSER=chromium|firefox picks one (npm test runs one process per browser, in parallel:
// scripts/test-browsers.mjs); without it, Chromium.
// The local conference server is started in-process for the integration tests; tests find
// its URLs at /__vinteo/env.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Server as HttpServer } from 'node:http';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { jssipPlugin } from './test/wtr-jssip-plugin.mjs';
import { kamailioPlugin } from './test/wtr-kamailio-plugin.mjs';
import { pickFreePort } from './test/kamailio/launcher.mjs';
import { consolePlugin } from './test/wtr-console-plugin.mjs';
import { CHROMIUM, CHROMIUM_FLAGS, FIREFOX, FIREFOX_PREFS } from './scripts/devtools.mjs';

const browserName = process.env.VINTEO_BROWSER || 'chromium';
if (browserName !== 'chromium' && browserName !== 'firefox') {
  throw new Error(`VINTEO_BROWSER=${browserName}: expected chromium or firefox`);
}
if (browserName === 'chromium' && !existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROME_PATH`);
}
if (browserName === 'firefox' && !existsSync(FIREFOX)) {
  throw new Error(`Firefox not found at ${FIREFOX}: install Debian's firefox-esr package (apt-get install firefox-esr) or set FIREFOX_PATH`);
}
// VINTEO_NO_SERVER=1 runs unit and component tests without the conference server (quick iteration).
const withServer = process.env.VINTEO_NO_SERVER !== '1';
if (withServer && !existsSync('dist/server/index.js')) {
  throw new Error('dist/server/index.js is missing: run "npm run build:server" first (npm test does it)');
}

/*
 * The test pages' server: on a port the system hands out on 127.0.0.1 (Web Test Runner's own choice starts at 8000
 * and is not taken until it listens: npm test starts a run per browser at the same moment, and both once picked
 * 8000, the second stopping with EADDRINUSE in CI), and on loopback only: @web/dev-server-core listens without a
 * host when the hostname is 127.0.0.1 or localhost, i.e. on every interface, so its listen on this port is given
 * the host. (The conference server, started in this process too, names 127.0.0.1 itself.)
 */
const pagesPort = await pickFreePort();
const httpListen = HttpServer.prototype.listen;
HttpServer.prototype.listen = function listen(options, ...rest) {
  const pagesServer = options !== null && typeof options === 'object' && options.port === pagesPort && options.host === undefined;
  return httpListen.call(this, pagesServer ? { ...options, host: '127.0.0.1' } : options, ...rest);
};

// The scripts' flags (scripts/devtools.mjs; the launcher adds headless itself) plus screen capture without a prompt.
export const CHROMIUM_ARGS = [
  ...CHROMIUM_FLAGS.filter((flag) => flag !== '--headless'),
  '--auto-accept-this-tab-capture',
  '--auto-select-desktop-capture-source=Entire screen',
  // Tests only: the local server's TLS port (the `server` attribute path: wss:// and https://) has a
  // certificate made at start.
  '--ignore-certificate-errors',
];

/** What the dev-server plugin shares with the Kamailio plugin (started after it). */
const shared = { conferenceSipUri: undefined };

/** Starts vinteo-dev-server for the run and tells the browser where it is. */
function devServerPlugin() {
  let server;
  // Fresh random passwords every run: nothing secret is stored in the repo.
  const users = {
    1001: randomBytes(9).toString('base64url'),
    1002: randomBytes(9).toString('base64url'),
  };
  return {
    name: 'vinteo-dev-server',
    async serverStart() {
      const { startDevServer } = await import('./dist/server/index.js');
      // sipPort: plain SIP over UDP for Kamailio, which forwards conference calls to it; tlsPort: https
      // and wss as a real Vinteo server serves them (discovery, the `server` attribute); stunPort: the
      // STUN server discovery names.
      server = await startDevServer({ port: 0, controlPort: 0, sipPort: 0, tlsPort: 0, stunPort: 0, users });
      shared.conferenceSipUri = server.sipUri;
    },
    async serverStop() {
      await server?.close();
    },
    async serve(context) {
      // Fault injection: stop the conference server and start it again on the same ports.
      if (context.path === '/__vinteo/restart-server') {
        const { port, controlPort, sipPort, tlsPort, stunPort } = server;
        // Like a crash: no BYE, the sockets just close.
        await server.close({ crash: true });
        const { startDevServer } = await import('./dist/server/index.js');
        await new Promise((resolve) => setTimeout(resolve, Number(new URL(context.url, 'http://x').searchParams.get('downMs') ?? 0)));
        server = await startDevServer({ port, controlPort, sipPort, tlsPort, stunPort, users }); // same sipPort: Kamailio forwards there
        return { type: 'json', body: JSON.stringify({ ok: true }) };
      }
      if (context.path === '/__vinteo/env') {
        return {
          type: 'json',
          body: JSON.stringify({
            wsUrl: server.wsUrl,
            controlUrl: server.controlUrl,
            // The `server` attribute's value for the TLS port (discovery at https://{tlsHost}/api/v1/address).
            tlsHost: server.tlsHost,
            stunUrl: server.stunUrl,
            sipDomain: 'vinteo.local',
            users,
          }),
        };
      }
      return undefined;
    },
  };
}

export default {
  // Every server we start binds to loopback only.
  hostname: '127.0.0.1',
  port: pagesPort,
  files: ['src/**/*.test.ts', 'components/**/*.test.ts', 'test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  concurrency: 1,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 30_000 } },
  browsers: [
    browserName === 'firefox'
      ? // Firefox through puppeteer-core over WebDriver BiDi (the launcher's own puppeteer-core, no download).
        chromeLauncher({
          puppeteer: puppeteerCore,
          launchOptions: {
            browser: 'firefox',
            protocol: 'webDriverBiDi',
            executablePath: FIREFOX,
            headless: true,
            extraPrefsFirefox: FIREFOX_PREFS,
            // Tests only: the local server's TLS port has a certificate made at start.
            acceptInsecureCerts: true,
          },
          // puppeteer-core's BiDi keyboard lacks the 'Space' key name its CDP keyboard has (sendKeys({ press:
          // 'Space' })): the same key, by the character it types.
          createPage: async ({ context }) => {
            const page = await context.newPage();
            const { keyboard } = page;
            for (const method of ['press', 'down', 'up']) {
              const original = keyboard[method].bind(keyboard);
              keyboard[method] = (key, ...rest) => original(key === 'Space' ? ' ' : key, ...rest);
            }
            // Media emulation is CDP only in puppeteer: Firefox's prefers-color-scheme is pinned to light
            // (FIREFOX_PREFS), so emulateMedia({ colorScheme: 'light' }) holds already and anything else throws.
            page.emulateMediaFeatures = async (features = []) => {
              const other = features.filter(({ name, value }) => !(name === 'prefers-color-scheme' && value === 'light'));
              if (other.length > 0) throw new Error(`Firefox over WebDriver BiDi cannot emulate ${JSON.stringify(other)}`);
            };
            return page;
          },
        })
      : chromeLauncher({
          launchOptions: { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS },
        }),
  ],
  plugins: [
    jssipPlugin(),
    (await import('./test/drop-in/wtr-csp-plugin.mjs')).cspPlugin(),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    ...(withServer ? [devServerPlugin(), kamailioPlugin({ conferenceUri: () => shared.conferenceSipUri }), consolePlugin()] : []),
  ],
};
