// `npm run bench`: what users feel, always as ratios against a baseline measured in the same run
// (absolute times on shared machines are noisy). Writes bench/results.json and prints markdown tables.
//
//  1. Size: min+gzip of our builds (the script-tag loader, its SIP chunk, the one-file build, the core)
//     against @krivega/jssip alone and lit alone, each bundled by esbuild now.
//  2. Join latency: alternating runs of <vinteo-call auto-join> (dist/vinteo-widgets.js) and of a minimal
//     raw JsSIP page (bench/pages/raw.html + bench/raw.js), against the local conference server and
//     against Kamailio; plus raw JsSIP sending its INVITE at the first ICE candidate, and ours with
//     `fast-ice="off"` (waiting for ICE gathering, as JsSIP does). Leave → ended, removal → disconnected.
//  2b. The join under CPU throttling (4× and 6×; BENCH_THROTTLE, BENCH_THROTTLE_RUNS), ours and raw JsSIP
//     alternating, local server and Kamailio: ratios, long tasks, and the main thread by origin.
//  3. Recovery after a server drop, after a server crash + restart, and after a Kamailio restart.
//  4. Resources during a held call (60 s; BENCH_CALL_SECONDS) with <vinteo-stats>, and over 50
//     join/leave cycles (BENCH_CYCLES) after 60 warm-up cycles (BENCH_CYCLES_WARMUP).
//  5. Scale: N widgets (pages in one browser) joining at once.
//
// Environment: BENCH_ONLY=size,join,kamailio,throttle,recovery,resources,cycles,scale (default: all);
// BENCH_RUNS (join runs per variant, default 10); BENCH_CALL_SECONDS (60); BENCH_CYCLES (50);
// BENCH_RECOVERY_RUNS (5 per fault); BENCH_SCALE (1,2,4,8); BENCH_TIME_LIMIT_S (800: the whole run,
// build included; sections that no longer fit are cut short or skipped and say so; whatever still runs
// 40 s after it is stopped); BENCH_BUILD=1 rebuilds dist/ first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Browser, CHROMIUM, killGroup, within } from './lib/browser.mjs';
import { latencyProxy } from './lib/latency.mjs';
import { startPageServer } from './lib/http.mjs';
import { attribute, loadBundleMap, traceSelfTimes } from './lib/profile.mjs';
import { fmtMs, fmtRatio, fmtSpread, median, ratio, summary } from './lib/stats.mjs';

/** A byte count with its sign: +123, -45. */
const signed = (value) => (typeof value === 'number' && value >= 0 ? `+${fmtMs(value)}` : fmtMs(value));

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);
const STARTED = Date.now();
const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === '' ? fallback : process.env[name]);
const LIMIT_MS = Number(env('BENCH_TIME_LIMIT_S', 800)) * 1000;
const DEADLINE = STARTED + LIMIT_MS;
const RUNS = Math.max(1, Number(env('BENCH_RUNS', 10)));
const CALL_SECONDS = Math.max(1, Number(env('BENCH_CALL_SECONDS', 60)));
const CYCLES = Math.max(1, Number(env('BENCH_CYCLES', 50)));
// V8 is still compiling and tiering up the join's code (ours and JsSIP's) up to about cycle 60: measured from
// cycle 10, that compiled code was 3 KB of ours' 4.5 KB a cycle and 2.3 of raw's 2.5; from cycle 60, neither grows.
const WARMUP_CYCLES = Math.max(1, Number(env('BENCH_CYCLES_WARMUP', 60)));
// The wait before each heap measurement of the cycles (ms).
const SETTLE_MS = Math.max(2500, Number(env('BENCH_CYCLES_SETTLE_MS', 10_000)));
const RECOVERY_RUNS = Math.max(1, Number(env('BENCH_RECOVERY_RUNS', 5)));
const SCALE = env('BENCH_SCALE', '1,2,4,8').split(',').map(Number).filter((n) => n > 0);
// CPU throttling rates of the throttled join (DevTools Emulation.setCPUThrottlingRate; 4× is Lighthouse's mobile setting).
const THROTTLE = env('BENCH_THROTTLE', '4,6').split(',').map(Number).filter((n) => n >= 1);
const THROTTLE_RUNS = Math.max(1, Number(env('BENCH_THROTTLE_RUNS', 6)));
// The throttled join's signalling through a latency proxy (bench/lib/latency.mjs): this round trip in ms, and
// two more before a new connection's first request (a wss:// connection's TCP and TLS handshakes). 0: none.
const RTT_MS = Math.max(0, Number(env('BENCH_RTT_MS', 0)));
// Both pages open with the same heading and paragraph (instrument.js), as a page that embeds a call has text of
// its own: the first text layout's set-up (fonts) is then the page's, on both sides, not our element's alone.
const PAGE_TEXT = env('BENCH_PAGE_TEXT', '0') === '1';
// A real camera's start-up (the fake one opens in a few ms): getUserMedia resolves no sooner than this after the call, on both pages.
const CAMERA_MS = Number(env('BENCH_CAMERA_MS', '0'));
// A/B: another build's dist/ (e.g. of the previous commit, in a worktree), joined as the variant `ours-b`
// next to ours in the join and throttled sections; BENCH_B_LABEL names it in the tables.
const BENCH_B = process.env.BENCH_B ? resolve(process.env.BENCH_B) : undefined;
const BENCH_B_LABEL = env('BENCH_B_LABEL', BENCH_B ?? '');
const ONLY = new Set(env('BENCH_ONLY', 'size,join,kamailio,throttle,recovery,resources,cycles,scale').split(','));
const SIP_DOMAIN = 'vinteo.local';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const left = () => DEADLINE - Date.now();
const log = (...args) => console.error(`[bench ${((Date.now() - STARTED) / 1000).toFixed(0).padStart(4)} s]`, ...args);

const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, chromium: undefined, platform: process.platform },
  config: { runs: RUNS, callSeconds: CALL_SECONDS, cycles: CYCLES, recoveryRuns: RECOVERY_RUNS, scale: SCALE, throttle: THROTTLE, throttleRuns: THROTTLE_RUNS, rttMs: RTT_MS, pageText: PAGE_TEXT, cameraMs: CAMERA_MS, timeLimitS: LIMIT_MS / 1000 },
  notes: [],
};
const output = [];
const print = (line = '') => {
  output.push(line);
  console.log(line);
};

// ---------------------------------------------------------------- cleanup: on exit, errors, SIGINT
const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await within(Promise.resolve().then(fn), 10_000, 'cleanup');
      } catch (error) {
        log(`cleanup: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
process.on('exit', () => {
  for (const child of Browser.live) killGroup(child);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    log(`${signal}: stopping Chromium, Kamailio and the servers`);
    results.aborted = signal;
    writeResults();
    await cleanup();
    process.exit(130);
  });
}
// The hard limit: whatever still runs 40 s after the time limit is stopped.
const hardStop = setTimeout(async () => {
  log('hard time limit reached: stopping');
  results.aborted = 'time limit';
  writeResults();
  await cleanup();
  process.exit(1);
}, LIMIT_MS + 40_000);
hardStop.unref();

function writeResults() {
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
}

// ---------------------------------------------------------------- build
const builtFiles = ['dist/vinteo-widgets.js', 'dist/vinteo-widgets.ru.js', 'dist/vinteo-widgets.en.js', 'dist/vinteo-widgets-sip.js', 'dist/vinteo-widgets-panels.js', 'dist/vinteo-widgets-single.js', 'dist/core.js', 'dist/server/index.js'];
if (process.env.BENCH_BUILD === '1' || builtFiles.some((file) => !existsSync(file))) {
  log('building (npm run build)…');
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 2, 2] });
}
// Read once: other builds may rewrite dist/ during the run; the pages and the source map stay this build's.
const widgetsBytes = readFileSync('dist/vinteo-widgets.js');
const widgetsMap = readFileSync('dist/vinteo-widgets.js.map', 'utf8');
// The loader's SIP chunk (JsSIP), imported by the page from next to dist/vinteo-widgets.js; the one-file build.
const sipBytes = readFileSync('dist/vinteo-widgets-sip.js');
const sipMap = readFileSync('dist/vinteo-widgets-sip.js.map', 'utf8');
// The loader's panels chunk (<vinteo-dialpad>, <vinteo-devices>, <vinteo-presentation>, <vinteo-stats>), which
// the pages fetch with stats=1.
const panelsBytes = readFileSync('dist/vinteo-widgets-panels.js');
const panelsMap = readFileSync('dist/vinteo-widgets-panels.js.map', 'utf8');
const singleBytes = readFileSync('dist/vinteo-widgets-single.js');
const widgetsSource = widgetsBytes.toString('utf8');
// The `fast-ice` attribute (INVITE at the first usable ICE candidate by default), when this build has it.
const HAS_FAST_ICE = widgetsSource.includes('fast-ice');
function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
results.build = {
  commit: git(['rev-parse', '--short', 'HEAD']),
  // Uncommitted changes in what the bundle is built from (the figures may not match the commit).
  dirty: Boolean(git(['status', '--porcelain', '--', 'src', 'components', 'index.ts', 'vite.config.ts'])),
  widgetsBytes: widgetsBytes.length,
  sipChunkBytes: sipBytes.length,
  panelsChunkBytes: panelsBytes.length,
  singleFileBytes: singleBytes.length,
  fastIceOption: HAS_FAST_ICE,
};

// ---------------------------------------------------------------- 1. size
async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].contents;
}

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Issue #18's targets for the script tag, bytes min+gzip (KB of 1000 bytes, as the sizes are quoted). */
const SIZE_TARGETS = { loader: 35_000, everything: 90_000 };

async function sizeSection() {
  const jssip = gz(await bundle("export * as JsSIP from '@krivega/jssip';"));
  const lit = gz(await bundle("export * from 'lit'; export * from '@lit/context';"));
  const loader = gz(widgetsBytes);
  const sip = gz(sipBytes);
  const panels = gz(panelsBytes);
  // The one-language loaders (the same chunks).
  const loaderRu = gz(readFileSync('dist/vinteo-widgets.ru.js'));
  const loaderEn = gz(readFileSync('dist/vinteo-widgets.en.js'));
  const single = gz(singleBytes);
  // The core alone: dist/core.js with JsSIP bundled in (no Lit, no elements).
  const core = gz(await bundle("export * from './dist/core.js';"));
  // The label sets with their error sentences, each alone: the loader's part (both in the default loader), and
  // with the panels' labels, which travel in the panels chunk.
  const labels = async (locale) => gz(await bundle(`export * from './components/shared/i18n/${locale}.ts';`));
  const allLabels = async (locale) =>
    gz(await bundle(`export * from './components/shared/i18n/${locale}.ts'; export * from './components/shared/i18n/${locale}-panels.ts';`));
  const en = await labels('en');
  const ru = await labels('ru');
  const enAll = await allLabels('en');
  const ruAll = await allLabels('ru');
  const r = (bytes) => (bytes / (jssip + lit)).toFixed(3);
  const rows = [
    { name: 'baseline: @krivega/jssip alone', bytes: jssip },
    { name: 'baseline: lit + @lit/context alone', bytes: lit },
    { name: 'baseline: JsSIP + Lit', bytes: jssip + lit },
    { name: 'core (VinteoClient + JsSIP, no elements)', bytes: core },
    { name: "labels and error sentences in the loader: English alone / Russian alone (with the panels' labels)", bytes: `${en} / ${ru} (${enAll} / ${ruAll})`, ratio: '–' },
    { name: 'dist/vinteo-widgets.js (the loader: <vinteo-call>, Lit, the client, both label sets; before Join)', bytes: loader },
    { name: 'dist/vinteo-widgets.ru.js / .en.js (the loader with one label set)', bytes: `${loaderRu} / ${loaderEn}`, ratio: `${r(loaderRu)} / ${r(loaderEn)}` },
    { name: 'dist/vinteo-widgets-sip.js (the services, the pure helpers and JsSIP; fetched when idle or on Join)', bytes: sip },
    { name: "dist/vinteo-widgets-panels.js (<vinteo-session> and the four panels, with their labels; fetched when one is on the page)", bytes: panels },
    { name: 'loader + SIP chunk (a page with a call)', bytes: loader + sip },
    { name: 'one-language loader + SIP chunk (a page with a call, Russian / English)', bytes: `${loaderRu + sip} / ${loaderEn + sip}`, ratio: `${r(loaderRu + sip)} / ${r(loaderEn + sip)}` },
    { name: 'loader + SIP chunk + panels chunk (everything)', bytes: loader + sip + panels },
    { name: 'dist/vinteo-widgets-single.js (everything, one file)', bytes: single },
  ];
  results.size = {
    unit: 'bytes min+gzip',
    rows: rows.map((row) => ({ name: row.name, bytes: row.bytes, ratioToJsSipPlusLit: typeof row.bytes === 'number' ? Number(r(row.bytes)) : undefined })),
    overheadOverJsSipPlusLit: loader + sip + panels - (jssip + lit),
    targets: {
      loader: { bytes: SIZE_TARGETS.loader, measured: loader, met: loader <= SIZE_TARGETS.loader },
      oneLanguageLoader: { bytes: SIZE_TARGETS.loader, measured: Math.max(loaderRu, loaderEn), met: Math.max(loaderRu, loaderEn) <= SIZE_TARGETS.loader },
      everything: { bytes: SIZE_TARGETS.everything, measured: loader + sip + panels, met: loader + sip + panels <= SIZE_TARGETS.everything },
    },
  };
  print('### Size');
  print();
  print('| size (min+gzip) | bytes | ratio to JsSIP + Lit |');
  print('|---|---:|---:|');
  for (const row of rows) print(`| ${row.name} | ${row.bytes} | ${row.ratio ?? r(row.bytes)} |`);
  print();
  print(`Our overhead over JsSIP + Lit (all three files): ${results.size.overheadOverJsSipPlusLit} bytes.`);
  const verdict = ({ bytes, measured, met }) => `${measured} bytes against ≤ ${bytes}: ${met ? 'met' : `not met (+${measured - bytes})`}`;
  print(
    `Targets (issue #18): loader ${verdict(results.size.targets.loader)} (one language: ${verdict(results.size.targets.oneLanguageLoader)}); ` +
      `everything ${verdict(results.size.targets.everything)}.`,
  );
  print();
}

// ---------------------------------------------------------------- the environment for the browser figures
// Random passwords per run. 1001–1031: join, recovery, resources, cycles; 1101…/1201…: scale (ours/raw).
const users = {};
const password = () => Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 8);
for (let i = 1001; i <= 1031; i += 1) users[String(i)] = password();
for (let i = 0; i < 16; i += 1) {
  users[String(1101 + i)] = password();
  users[String(1201 + i)] = password();
}
let devServer;
let kamailio;
let pages;
let conferenceCounter = 0;
/** (url, line, column) of a profiled JS frame → { category: ours | jssip | lit | page | other, source }. */
let classifyFrame;
const nextConference = () => String(200_000 + (conferenceCounter += 1));

async function startServers() {
  const { startDevServer } = await import(resolve(ROOT, 'dist/server/index.js'));
  // tlsPort + stunPort: the `server` attribute path (discovery over https, wss, the STUN server it names).
  devServer = await startDevServer({ port: 0, controlPort: 0, sipPort: 0, tlsPort: 0, stunPort: 0, users, logLevel: 'warn' });
  cleanups.push(() => devServer.close());
  const raw = await build({
    entryPoints: ['bench/raw.js'],
    bundle: true,
    minify: true,
    sourcemap: 'external',
    outfile: 'bench/out/raw.js',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const rawBundle = raw.outputFiles.find((file) => file.path.endsWith('.js')).contents;
  const rawMap = loadBundleMap(raw.outputFiles.find((file) => file.path.endsWith('.map')).text, /^bench\//);
  const oursMap = loadBundleMap(widgetsMap);
  const oursSipMap = loadBundleMap(sipMap);
  const oursPanelsMap = loadBundleMap(panelsMap);
  classifyFrame = (url, line, column) => {
    if (url.includes('/dist/vinteo-widgets-sip.js')) return oursSipMap(line, column);
    if (url.includes('/dist/vinteo-widgets-panels.js')) return oursPanelsMap(line, column);
    if (url.includes('/dist/vinteo-widgets.js')) return oursMap(line, column);
    if (url.includes('/out/raw.js')) return rawMap(line, column);
    if (url.includes('/pages/')) return { category: 'page', source: new URL(url).pathname };
    return { category: 'other', source: url.slice(0, 80) };
  };
  if (results.size) results.size.rawPageBundle = gz(rawBundle);
  if (BENCH_B && !existsSync(resolve(BENCH_B, 'vinteo-widgets.js'))) throw new Error(`BENCH_B: no vinteo-widgets.js in ${BENCH_B}`);
  pages = await startPageServer({
    root: ROOT,
    extraMounts: BENCH_B ? { '/b/': BENCH_B } : {},
    generated: {
      '/out/raw.js': rawBundle,
      '/dist/vinteo-widgets.js': widgetsBytes,
      '/dist/vinteo-widgets-sip.js': sipBytes,
      '/dist/vinteo-widgets-panels.js': panelsBytes,
      // Build B's page: ours.html with the script from /b/ (BENCH_B's dist/, which fetches its own SIP chunk there).
      ...(BENCH_B ? { '/pages/ours-b.html': readFileSync(resolve(ROOT, 'bench/pages/ours.html'), 'utf8').replace('src="/dist/vinteo-widgets.js"', 'src="/b/vinteo-widgets.js"') } : {}),
    },
    actions: {
      drop: async () => {
        const response = await fetch(`${devServer.controlUrl}/api/connections/drop`, { method: 'POST' });
        if (!response.ok) throw new Error(`drop: ${response.status}`);
      },
      'kamailio-restart': async () => {
        if (!kamailio) throw new Error('Kamailio is not running');
        await kamailio.restart();
      },
      restart: async () => {
        const { port, controlPort, sipPort, tlsPort, stunPort } = devServer;
        await devServer.close({ crash: true });
        devServer = await startDevServer({ port, controlPort, sipPort, tlsPort, stunPort, users, logLevel: 'warn' });
      },
    },
  });
  cleanups.push(() => pages.close());
}

async function startKamailioIfPossible() {
  const launcherPath = resolve(ROOT, 'test/kamailio/launcher.mjs');
  if (!existsSync(launcherPath)) return { skipped: 'test/kamailio/launcher.mjs is missing (the Kamailio setup is not in this checkout)' };
  let launcher;
  try {
    launcher = await import(launcherPath);
  } catch (error) {
    return { skipped: `test/kamailio/launcher.mjs did not load: ${error.message}` };
  }
  const found = launcher.findKamailio();
  if (!found.ok) return { skipped: found.reason };
  if (!devServer.sipUri) return { skipped: 'the conference server has no plain SIP (UDP) listener for Kamailio to forward to' };
  try {
    const kamailioUsers = Object.fromEntries(Object.entries(users).slice(0, 20));
    kamailio = await launcher.startKamailio({
      wsPort: await launcher.pickFreePort('tcp'),
      sipPort: await launcher.pickFreePort('udp'),
      conferenceUri: devServer.sipUri,
      users: kamailioUsers,
      sipDomain: SIP_DOMAIN,
    });
    const started = kamailio;
    cleanups.push(() => started.stop());
    return { wsUrl: kamailio.wsUrl };
  } catch (error) {
    return { skipped: `Kamailio did not start: ${error.message.split('\n')[0]}` };
  }
}

function pageUrl(kind, params) {
  const query = new URLSearchParams({ domain: SIP_DOMAIN, ...(PAGE_TEXT ? { text: '1' } : {}), ...(CAMERA_MS > 0 ? { camera: String(CAMERA_MS) } : {}), ...params });
  return `${pages.url}/pages/${kind}.html?${query}`;
}

async function launchBrowser() {
  const browser = await Browser.launch();
  browser.cleanup = () => browser.close();
  cleanups.push(browser.cleanup);
  if (!results.machine.chromium) {
    const version = await browser.send('Browser.getVersion');
    results.machine.chromium = version.product;
  }
  return browser;
}

async function closeBrowser(browser) {
  const index = cleanups.indexOf(browser.cleanup);
  if (index >= 0) cleanups.splice(index, 1);
  await browser.close();
}

/** Opens a page, waits for its run (__bench.started), returns { page, bench }. */
async function openBenchPage(browser, url, timeoutMs = 40_000, throttle = 1) {
  const page = await browser.newPage();
  if (throttle > 1) await page.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await page.open(url);
  const bench = await page.evaluate('window.__bench.started.then(() => ({ t: __bench.t, log: __bench.log, error: __bench.error }))', timeoutMs);
  return { page, bench };
}

/** Table cells: ms of self time for each origin in `keys` (0 where none). */
const originCells = (byOrigin, keys) => keys.map((key) => fmtMs(byOrigin[key] ?? 0)).join(' | ');
/** A table cell: functions and their self time (`|` in names would end the cell). */
const topCell = (functions) => functions.map((f) => `${f.name.replace(/\|/g, '/')} ${fmtMs(f.ms)}`).join('; ');

// ---------------------------------------------------------------- 2. join latency
const JOIN_STEPS = [
  ['bundle:start', 'bundle requested (parser reached the script)'],
  ['script', 'bundle ran (elements defined / JsSIP loaded)'],
  ['append', 'element appended (ours)'],
  ['chunk:requested', 'SIP chunk requested (ours)'],
  ['rendered', 'element first rendered (ours)'],
  ['chunk:fetched', 'SIP chunk fetched (ours)'],
  ['ua:start', 'new UA() + ua.start() (raw)'],
  ['ws:new', 'WebSocket created'],
  ['ws:open', 'WebSocket open'],
  ['sip>REGISTER', 'REGISTER sent'],
  ['sip<401 REGISTER', 'REGISTER 401 (digest challenge)'],
  ['sip<200 REGISTER', 'REGISTER 200'],
  ['registered', 'registered (event)'],
  ['gum:start', 'getUserMedia called'],
  ['gum:done', 'getUserMedia resolved'],
  ['pc:created', 'RTCPeerConnection created'],
  ['pc:setLocalDescription', 'setLocalDescription'],
  ['ice:first-candidate', 'first ICE candidate'],
  ['ice:gathering-complete', 'ICE gathering complete'],
  ['sip>INVITE', 'INVITE sent'],
  ['sip<407 INVITE', 'INVITE 407 (proxy auth)'],
  ['sip<200 INVITE', 'INVITE 200'],
  ['in-call', 'in-call / confirmed'],
  ['pcstate:connected', 'peer connection connected'],
  ['track:unmute-video', 'first video packet (track unmute)'],
  ['frame', 'first remote frame presented'],
];

function joinVariants(target) {
  const variants = [
    { name: 'ours', page: 'ours', user: '1001', label: '`<vinteo-call auto-join>`' },
    { name: 'raw', page: 'raw', user: '1002', label: 'raw JsSIP' },
    { name: 'raw-early', page: 'raw', user: '1003', early: true, label: 'raw JsSIP, INVITE at first ICE candidate' },
  ];
  // The camera-while-registering variant only on the local server (it answers the same question there).
  if (target === 'local') variants.push({ name: 'raw-fast', page: 'raw', user: '1005', early: true, pregum: true, label: 'raw JsSIP, early INVITE + camera opened while registering' });
  // The way a real server is reached: `server` only, discovery first (its STUN server on loopback), wss.
  if (target === 'local' && devServer.tlsHost) variants.push({ name: 'ours-server', page: 'ours', user: '1006', server: devServer.tlsHost, label: '`<vinteo-call auto-join server>` (discovery over https, its STUN server, wss)' });
  if (BENCH_B) variants.push({ name: 'ours-b', page: 'ours-b', user: '1007', label: `\`<vinteo-call auto-join>\`, build B (${BENCH_B_LABEL})` });
  if (HAS_FAST_ICE) variants.push({ name: 'ours-waitIce', page: 'ours', user: '1004', waitIce: true, label: '`<vinteo-call auto-join fast-ice="off">` (INVITE after ICE gathering, as JsSIP)' });
  return variants;
}

function variantUrl(variant, wsUrl, extra = {}) {
  return pageUrl(variant.page, {
    ws: wsUrl,
    user: variant.user,
    pw: users[variant.user],
    conf: nextConference(),
    ...(variant.early ? { early: 1 } : {}),
    ...(variant.pregum ? { pregum: 1 } : {}),
    ...(variant.waitIce ? { fastice: 'off' } : {}),
    ...(variant.server ? { server: variant.server } : {}),
    // BENCH_RAW_HD=1: the raw pages ask for the camera as ours does (the scale section always does).
    ...(variant.page === 'raw' && process.env.BENCH_RAW_HD === '1' ? { hd: 1 } : {}),
    ...extra,
  });
}

function joinFigures(t) {
  const d = (a, b) => (Number.isFinite(t[a]) && Number.isFinite(t[b]) ? t[a] - t[b] : undefined);
  return {
    registered: t.registered,
    inCall: t['in-call'],
    frame: t.frame,
    // From the bundle having run (page load and parse left out).
    fromScriptInCall: d('in-call', 'script'),
    fromScriptFrame: d('frame', 'script'),
    registeredToInCall: d('in-call', 'registered'),
    inCallToFrame: d('frame', 'in-call'),
    leave: d('left', 'leave'),
    disconnect: d('disconnected', 'remove'),
    socketClosed: d('ws:close', 'remove'),
    iceWait: d('sip>INVITE', 'ice:first-candidate'),
    gum: d('gum:done', 'gum:start'),
  };
}

async function joinSection(target, wsUrl, perRunBudgetMs) {
  const variants = joinVariants(target);
  const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
  const failures = [];
  const profiles = {};
  const browser = await launchBrowser();
  let done = 0;
  try {
    // Warm-up (not counted): the first page of a fresh browser pays for process start-up and caches.
    for (const variant of variants) {
      const { page } = await openBenchPage(browser, variantUrl(variant, wsUrl)).catch((error) => {
        failures.push(`warm-up ${variant.name}: ${error.message}`);
        return {};
      });
      await page?.close();
    }
    for (let i = 0; i < RUNS; i += 1) {
      if (left() < perRunBudgetMs * variants.length + 60_000 && done >= 3) {
        results.notes.push(`join (${target}): stopped after ${i} runs per variant (time limit)`);
        break;
      }
      // Alternate, and rotate the order so that no variant always goes first.
      const order = variants.map((_, k) => variants[(k + i) % variants.length]);
      for (const variant of order) {
        const url = variantUrl(variant, wsUrl);
        let page;
        try {
          const opened = await openBenchPage(browser, url);
          page = opened.page;
          const { bench } = opened;
          if (bench.error) throw new Error(bench.error.split('\n')[0]);
          // The socket closes after JsSIP's un-REGISTER wait: timed on the first runs only.
          if (i < 2) {
            await page.evaluate(`__bench.until(() => __bench.t['ws:close'], 'socket close', 4000).catch(() => 0)`, 6000);
            bench.t = await page.evaluate('__bench.t');
          }
          runs[variant.name].push({ t: bench.t, figures: joinFigures(bench.t), log: i === 0 ? bench.log : undefined });
        } catch (error) {
          failures.push(`${variant.name} run ${i + 1}: ${error.message}`);
          log(`join ${target} ${variant.name} run ${i + 1} failed: ${error.message}`);
        } finally {
          await page?.close();
        }
      }
      done += 1;
      log(`join ${target}: ${i + 1}/${RUNS} rounds`);
    }
    if (target === 'local' && left() > 120_000) {
      // Diagnostics, not counted: one join of each under the CPU profiler (0.1 ms sampling).
      for (const variant of variants.filter((v) => v.name === 'ours' || v.name === 'raw')) {
        try {
          profiles[variant.name] = await profileJoin(browser, variant, wsUrl, 3);
        } catch (error) {
          failures.push(`profiled ${variant.name}: ${error.message}`);
        }
      }
    }
  } finally {
    await closeBrowser(browser);
  }
  const out = { target, wsUrl, variants: {}, failures, profiles };
  for (const variant of variants) {
    const list = runs[variant.name];
    const figures = {};
    for (const key of Object.keys(joinFigures({}))) figures[key] = summary(list.map((r) => r.figures[key]));
    const steps = {};
    for (const [mark] of JOIN_STEPS) {
      const values = list.map((r) => r.t[mark]).filter((v) => typeof v === 'number');
      if (values.length) steps[mark] = Math.round(median(values));
    }
    out.variants[variant.name] = {
      label: variant.label,
      n: list.length,
      figures,
      steps,
      gumVideo: list[0]?.t.gumVideo,
      runs: list.map((r) => Object.fromEntries(Object.entries(r.figures).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Math.round(v * 10) / 10]))),
      firstRunLog: list[0]?.log,
    };
  }
  const base = out.variants.raw.figures;
  out.ratios = {};
  for (const variant of variants) {
    const f = out.variants[variant.name].figures;
    out.ratios[variant.name] = {
      registered: ratio(f.registered.median, base.registered.median),
      inCall: ratio(f.inCall.median, base.inCall.median),
      frame: ratio(f.frame.median, base.frame.median),
      registeredToInCall: ratio(f.registeredToInCall.median, base.registeredToInCall.median),
    };
  }
  return out;
}

/**
 * The join on the page's main thread (diagnostics): pages opened in `scale` mode, so that the join
 * starts on `go()` after the page has loaded. `reps` joins with Performance.getMetrics around the
 * join (main-thread task, script, style and layout time), then `reps` joins under the CPU profiler
 * (0.1 ms sampling) whose samples are mapped through the source maps to ours / Lit / JsSIP.
 */
async function profileJoin(browser, variant, wsUrl, reps = 3, throttle = 1) {
  const round = (v) => Math.round(v * 10) / 10;
  const metricSums = {};
  const categories = {};
  const top = new Map();
  // Each long task (over 50 ms) of the profiled joins up to the first frame, with its self time by origin.
  const longTasks = [];
  // Self time by origin from in-call to the first frame.
  const afterInCall = {};
  const join = async (page) => {
    if (throttle > 1) await page.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.open(variantUrl(variant, wsUrl, { mode: 'scale' }));
    await page.send('Performance.enable', { timeDomain: 'timeTicks' });
    await pageReady(page);
    await sleep(300);
  };
  for (let rep = 0; rep < reps; rep += 1) {
    let page = await browser.newPage();
    try {
      await join(page);
      const m0 = await metrics(page);
      const t = await page.evaluate('__bench.go()', 40_000);
      const m1 = await metrics(page);
      if (t.error) throw new Error(t.error);
      // The metrics end a moment after in-call: scale them to the join (go → in-call) is not possible,
      // so the window is go → in-call plus one DevTools round trip (a few ms).
      for (const name of ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration']) {
        metricSums[name] = (metricSums[name] ?? 0) + ((m1[name] - m0[name]) * 1000) / reps;
      }
      metricSums.windowMs = (metricSums.windowMs ?? 0) + (t['in-call'] - t.go) / reps;
      await page.evaluate('__bench.leaveAll()', 15_000).catch(() => undefined);
    } finally {
      await page.close();
    }
    page = await browser.newPage();
    try {
      await join(page);
      await page.send('Profiler.enable');
      await page.send('Profiler.setSamplingInterval', { interval: 100 });
      const offset = await pageTimeOffset(page);
      await page.send('Profiler.start');
      const t = await page.evaluate('__bench.go()', 40_000);
      const { profile } = await page.send('Profiler.stop');
      const attributed = attribute(profile, classifyFrame, offset);
      for (const [category, ms] of Object.entries(attributed.between(t.go, t['in-call']))) categories[category] = (categories[category] ?? 0) + ms / reps;
      for (const { name, ms } of attributed.top(t.go, t['in-call'], 200)) top.set(name, (top.get(name) ?? 0) + ms / reps);
      const end = t.frame ?? t['in-call'];
      for (const [category, ms] of Object.entries(attributed.between(t['in-call'], end))) afterInCall[category] = (afterInCall[category] ?? 0) + ms / reps;
      afterInCall.windowMs = (afterInCall.windowMs ?? 0) + (end - t['in-call']) / reps;
      const tasks = await page.evaluate('__bench.longTasks');
      for (const [start, duration] of tasks) {
        if (start + duration < t.go || start > end) continue;
        const byOrigin = Object.fromEntries(Object.entries(attributed.between(start, start + duration)).map(([k, v]) => [k, round(v)]));
        longTasks.push({
          start: round(start - t.go),
          duration,
          byOrigin,
          top: attributed.top(start, start + duration, 5),
          topOurs: attributed.top(start, start + duration, 5, 'ours'),
        });
      }
      await page.evaluate('__bench.leaveAll()', 15_000).catch(() => undefined);
    } finally {
      await page.close();
    }
  }
  return {
    reps,
    throttle,
    longTasks,
    afterInCall: Object.fromEntries(Object.entries(afterInCall).map(([k, v]) => [k, round(v)])),
    metrics: Object.fromEntries(Object.entries(metricSums).map(([k, v]) => [k, round(v)])),
    profile: {
      busyMs: round(Object.entries(categories).filter(([k]) => k !== 'idle').reduce((sum, [, v]) => sum + v, 0)),
      byCategory: Object.fromEntries(Object.entries(categories).map(([k, v]) => [k, round(v)])),
    },
    top: [...top.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, ms]) => ({ name, ms: round(ms) })),
  };
}

/** ms to subtract from a DevTools time in ms (TimeTicks) for the page's `performance.now()` (needs `Performance.enable` in `timeTicks`). */
async function pageTimeOffset(page) {
  const { metrics } = await page.send('Performance.getMetrics');
  const pageNow = await page.evaluate('performance.now()');
  return metrics.find((m) => m.name === 'Timestamp').value * 1000 - pageNow;
}

/**
 * One auto-join page load of `variant` in a new page (CPU-throttled by `throttle`): `record.start(page)` runs
 * before navigation and `record.stop(page)` once the first remote frame showed. Returns the page's marks,
 * what `stop` returned and the page's time offset ({@link pageTimeOffset}).
 */
async function recordLoad(browser, variant, wsUrl, throttle, record) {
  const page = await browser.newPage();
  try {
    if (throttle > 1) await page.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.send('Performance.enable', { timeDomain: 'timeTicks' });
    await record.start(page);
    await page.open(variantUrl(variant, wsUrl));
    const t = await page.evaluate(`__bench.started.then(() => __bench.until(() => __bench.t.frame, 'first frame', 20000)).then(() => __bench.t)`, 60_000);
    const recording = await record.stop(page);
    return { t, recording, offset: await pageTimeOffset(page) };
  } finally {
    await page.close();
  }
}

/**
 * Diagnostics (BENCH_PROFILE_LOAD=1): one whole page load of `variant` (auto-join) under the CPU profiler,
 * started before navigation; self time by origin and the top functions in each window between join steps.
 */
async function profileLoad(browser, variant, wsUrl, throttle) {
  const { t, recording: profile, offset } = await recordLoad(browser, variant, wsUrl, throttle, {
    start: async (page) => {
      await page.send('Profiler.enable');
      await page.send('Profiler.setSamplingInterval', { interval: 100 });
      await page.send('Profiler.start');
    },
    stop: async (page) => (await page.send('Profiler.stop')).profile,
  });
  const attributed = attribute(profile, classifyFrame, offset);
  const marks = ['script', 'gum:start', 'rendered', 'ws:new', 'registered', 'gum:done', 'pc:created', 'pc:setLocalDescription', 'ice:first-candidate', 'sip>INVITE', 'in-call', 'frame'].filter((m) => typeof t[m] === 'number').sort((a, b) => t[a] - t[b]);
  const round = (v) => Math.round(v * 10) / 10;
  const windows = [];
  let from = 0;
  for (const mark of marks) {
    windows.push({
      window: `${from === 0 ? 'start' : windows.at(-1).to} → ${mark}`,
      to: mark,
      ms: Math.round(t[mark] - from),
      byOrigin: Object.fromEntries(Object.entries(attributed.between(from, t[mark])).map(([k, v]) => [k, round(v)])),
      top: attributed.top(from, t[mark], 40),
    });
    from = t[mark];
  }
  if (process.env.BENCH_TRACE_LOAD === '1') await traceLoad(browser, variant, wsUrl, throttle, windows);
  return { windows };
}

/**
 * The same page load under a Chromium trace (`BENCH_TRACE_LOAD=1`, a second load, not profiled): the
 * main thread's self time by trace event (compiling, evaluating, style, layout…) in the windows of
 * {@link profileLoad}, added to each window as `trace`.
 */
async function traceLoad(browser, variant, wsUrl, throttle, windows) {
  const events = [];
  let complete;
  const { t, offset } = await recordLoad(browser, variant, wsUrl, throttle, {
    start: async (page) => {
      const offData = page.on('Tracing.dataCollected', ({ value }) => events.push(...value));
      complete = new Promise((resolve) => {
        const off = page.on('Tracing.tracingComplete', () => {
          off();
          offData();
          resolve();
        });
      });
      await page.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading', 'disabled-by-default-v8.compile'] }, transferMode: 'ReportEvents' });
    },
    stop: async (page) => {
      await page.send('Tracing.end');
      await within(complete, 30_000, 'trace');
    },
  });
  const trace = traceSelfTimes(events, offset);
  let from = 0;
  for (const window of windows) {
    const to = t[window.to];
    if (typeof to === 'number') window.trace = { ms: Math.round(to - from), top: trace.between(from, to, 12) };
    from = to ?? from;
  }
}

function printJoin(section) {
  const { variants } = section;
  print(`### Join latency: ${section.target === 'local' ? 'local conference server' : 'through Kamailio'}`);
  print();
  print(`Median (interquartile range) in ms from navigation start; ${variants.raw.n} runs of each, alternating; ratio = ours / raw JsSIP, same run.`);
  print();
  print('| variant | registered | in-call | first remote frame | registered → in-call | ratio registered | ratio in-call | ratio frame | ratio registered → in-call |');
  print('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, v] of Object.entries(variants)) {
    const r = section.ratios[name];
    print(
      `| ${v.label} | ${fmtSpread(v.figures.registered)} | ${fmtSpread(v.figures.inCall)} | ${fmtSpread(v.figures.frame)} | ${fmtSpread(v.figures.registeredToInCall)} | ${fmtRatio(r.registered)} | ${fmtRatio(r.inCall)} | ${fmtRatio(r.frame)} | ${fmtRatio(r.registeredToInCall)} |`,
    );
  }
  print();
  print('| variant | leave() → ended | removal/stop → disconnected | removal/stop → socket closed | getUserMedia | ICE wait before INVITE |');
  print('|---|---:|---:|---:|---:|---:|');
  for (const v of Object.values(variants)) {
    const f = v.figures;
    print(`| ${v.label} | ${fmtSpread(f.leave)} | ${fmtSpread(f.disconnect)} | ${fmtSpread(f.socketClosed)} | ${fmtSpread(f.gum)} | ${fmtSpread(f.iceWait)} |`);
  }
  print();
}

function printProfiles(section) {
  const { ours, raw } = section.profiles ?? {};
  if (!ours || !raw) return;
  print(
    `The join on the page's main thread (diagnostics, not counted above): the page loads first (ours with its element on the page, without \`auto-join\`), then joins on a signal; ${ours.reps} joins of each with \`Performance.getMetrics\` around them, ${ours.reps} under the CPU profiler (0.1 ms sampling) mapped through the source maps. ms, averaged, from the start of the join to \`in-call\`.`,
  );
  print();
  print('| page | join → in-call | main-thread tasks | script | style | layout | CPU profile: ours | Lit | JsSIP | bench page | browser (native) | GC |');
  print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, p] of [['ours', ours], ['raw', raw]]) {
    const m = p.metrics;
    const c = p.profile.byCategory;
    print(
      `| ${name} | ${fmtMs(m.windowMs)} | ${fmtMs(m.TaskDuration)} | ${fmtMs(m.ScriptDuration)} | ${fmtMs(m.RecalcStyleDuration)} | ${fmtMs(m.LayoutDuration)} | ${originCells(c, ['ours', 'lit', 'jssip', 'page', 'browser', 'gc'])} |`,
    );
  }
  print();
}

function printBreakdown(section) {
  const names = Object.keys(section.variants);
  print(`Where the time goes (${section.target}): median ms from navigation start of each step.`);
  print();
  print(`| step | ${names.join(' | ')} |`);
  print(`|---|${names.map(() => '---:').join('|')}|`);
  for (const [mark, label] of JOIN_STEPS) {
    const values = names.map((name) => section.variants[name].steps[mark]);
    if (values.every((v) => v === undefined)) continue;
    print(`| ${label} | ${values.map(fmtMs).join(' | ')} |`);
  }
  print();
}

// ---------------------------------------------------------------- 2b. join under CPU throttling
/**
 * The join on a slow CPU: DevTools' `Emulation.setCPUThrottlingRate` (4× is Lighthouse's mobile setting)
 * on each page before it loads, ours and raw JsSIP alternating. Per run: the join's figures and the long
 * tasks (over 50 ms) from the script running to the first frame. Then, not counted, a profiled join of
 * each per rate: the main thread by metric and by origin, and each long task's self time by origin
 * (up to the first frame).
 */
async function throttleSection(target, wsUrl) {
  const variants = joinVariants(target).filter((v) => ['ours', 'raw', 'ours-b'].includes(v.name));
  const out = { target, wsUrl, rates: {}, failures: [] };
  const browser = await launchBrowser();
  try {
    for (const rate of THROTTLE) {
      const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
      for (const variant of variants) {
        const opened = await openBenchPage(browser, variantUrl(variant, wsUrl), 60_000, rate).catch((error) => {
          out.failures.push(`warm-up ${variant.name} ${rate}×: ${error.message}`);
          return {};
        });
        await opened.page?.close();
      }
      for (let i = 0; i < THROTTLE_RUNS; i += 1) {
        if (left() < 120_000 && i >= 3) {
          results.notes.push(`throttle (${target}, ${rate}×): stopped after ${i} runs per variant (time limit)`);
          break;
        }
        // Rotate the order so that no variant always goes first.
        const order = variants.map((_, k) => variants[(k + i) % variants.length]);
        for (const variant of order) {
          let page;
          try {
            const opened = await openBenchPage(browser, variantUrl(variant, wsUrl), 60_000, rate);
            page = opened.page;
            if (opened.bench.error) throw new Error(opened.bench.error.split('\n')[0]);
            // The first frame comes after `started`: wait for it (the run's figures need it).
            const t = await page.evaluate(`__bench.until(() => __bench.t.frame, 'first frame', 20000).then(() => __bench.t)`, 30_000);
            const tasks = (await page.evaluate('__bench.longTasks')).filter(([start, duration]) => start + duration >= (t.script ?? 0) && start <= t.frame);
            runs[variant.name].push({
              t,
              ...joinFigures(t),
              rendered: t.rendered,
              longTasks: tasks.length,
              longestTask: tasks.reduce((max, [, duration]) => Math.max(max, duration), 0),
              longTaskMs: tasks.reduce((sum, [, duration]) => sum + duration, 0),
            });
          } catch (error) {
            out.failures.push(`${variant.name} ${rate}× run ${i + 1}: ${error.message}`);
            log(`throttle ${target} ${rate}× ${variant.name} run ${i + 1} failed: ${error.message}`);
          } finally {
            await page?.close();
          }
        }
        log(`throttle ${target} ${rate}×: ${i + 1}/${THROTTLE_RUNS} rounds`);
      }
      const figures = {};
      for (const variant of variants) {
        const list = runs[variant.name];
        figures[variant.name] = { n: list.length };
        for (const key of ['registered', 'inCall', 'frame', 'gum', 'rendered', 'longTasks', 'longestTask', 'longTaskMs']) {
          figures[variant.name][key] = summary(list.map((r) => r[key]));
        }
      }
      const ratios = {};
      const ratiosB = {};
      for (const key of ['registered', 'inCall', 'frame', 'gum']) {
        ratios[key] = ratio(figures.ours[key].median, figures.raw[key].median);
        if (figures['ours-b']) ratiosB[key] = ratio(figures['ours-b'][key].median, figures.raw[key].median);
      }
      // Median time of each join step, per page (where the time goes under throttling).
      const steps = {};
      for (const variant of variants) {
        steps[variant.name] = {};
        for (const [mark] of JOIN_STEPS) {
          const values = runs[variant.name].map((r) => r.t[mark]).filter((v) => typeof v === 'number');
          if (values.length) steps[variant.name][mark] = Math.round(median(values));
        }
        for (const run of runs[variant.name]) delete run.t;
      }
      const profiles = {};
      if (left() > 150_000) {
        for (const variant of variants.filter((v) => v.name !== 'ours-b')) {
          try {
            profiles[variant.name] = await profileJoin(browser, variant, wsUrl, 2, rate);
          } catch (error) {
            out.failures.push(`profiled ${variant.name} ${rate}×: ${error.message}`);
          }
        }
      }
      if (process.env.BENCH_PROFILE_LOAD === '1') {
        for (const variant of variants) {
          try {
            profiles[`${variant.name}:load`] = await profileLoad(browser, variant, wsUrl, rate);
          } catch (error) {
            out.failures.push(`profiled load ${variant.name} ${rate}×: ${error.message}`);
          }
        }
      }
      out.rates[rate] = { figures, ratios, ...(figures['ours-b'] ? { ratiosB } : {}), steps, profiles, runs };
    }
  } finally {
    await closeBrowser(browser);
  }
  return out;
}

/** The throttled section against `wsUrl`, through a latency proxy with BENCH_RTT_MS. */
async function throttleThrough(target, wsUrl) {
  if (!RTT_MS) return throttleSection(target, wsUrl);
  const proxy = await latencyProxy(wsUrl, RTT_MS);
  try {
    return { ...(await throttleSection(target, proxy.wsUrl)), rttMs: RTT_MS };
  } finally {
    proxy.close();
  }
}

function printThrottle(section) {
  const where = section.target === 'local' ? 'local conference server' : 'through Kamailio';
  print(`### Join under CPU throttling: ${where}`);
  print();
  print(
    'DevTools `Emulation.setCPUThrottlingRate` on each page before it loads (4× is Lighthouse\'s mobile setting); ours and raw JsSIP alternate. Medians in ms from navigation start (spread: min–max), ratio ours / raw. Targets at 4×: registered ≤ 1.0, in-call and first frame ≤ 0.8.' +
      (PAGE_TEXT ? ' Both pages open with the same heading and paragraph (BENCH_PAGE_TEXT=1).' : '') +
      (CAMERA_MS > 0 ? ` Each getUserMedia resolves no sooner than ${CAMERA_MS} ms after it was called, as a real camera starts up (BENCH_CAMERA_MS).` : '') +
      (section.rttMs ? ` The signalling WebSocket goes through a latency proxy (BENCH_RTT_MS): ${section.rttMs} ms round trip, and two more round trips before a new connection's first request (as a wss:// connection's TCP and TLS handshakes); media does not.` : ''),
  );
  print();
  const withB = Object.values(section.rates).some((r) => r.ratiosB);
  const bHead = withB ? ` build B (${BENCH_B_LABEL}) | B / raw |` : '';
  const bRule = withB ? '---:|---:|' : '';
  print(`| throttle | figure | ours | raw JsSIP | ours / raw |${bHead}`);
  print(`|---|---|---:|---:|---:|${bRule}`);
  const tasks = (f) => `${fmtMs(f.longTasks.median)} / ${fmtMs(f.longestTask.median)} / ${fmtMs(f.longTaskMs.median)}`;
  for (const [rate, r] of Object.entries(section.rates)) {
    const { ours, raw } = r.figures;
    const b = r.figures['ours-b'];
    for (const [key, label] of [
      ['registered', 'registered'],
      ['inCall', 'in call'],
      ['frame', 'first remote frame'],
      ['gum', 'getUserMedia'],
    ]) {
      print(`| ${rate}× | ${label} | ${fmtSpread(ours[key])} | ${fmtSpread(raw[key])} | ${fmtRatio(r.ratios[key])} |${b ? ` ${fmtSpread(b[key])} | ${fmtRatio(r.ratiosB[key])} |` : ''}`);
    }
    print(`| ${rate}× | element first rendered (ours) | ${fmtSpread(ours.rendered)} | — | — |${b ? ` ${fmtSpread(b.rendered)} | — |` : ''}`);
    print(`| ${rate}× | long tasks (> 50 ms), script → first frame: count / longest / total ms | ${tasks(ours)} | ${tasks(raw)} | — |${b ? ` ${tasks(b)} | — |` : ''}`);
  }
  print();
  const rates = Object.entries(section.rates);
  print(`Where the time goes under throttling (${section.target}): median ms from navigation start of each step.`);
  print();
  const names = Object.keys(rates[0]?.[1].steps ?? {});
  print(`| step | ${rates.flatMap(([rate]) => names.map((name) => `${name} ${rate}×`)).join(' | ')} |`);
  print(`|---|${rates.flatMap(() => names.map(() => '---:')).join('|')}|`);
  for (const [mark, label] of JOIN_STEPS) {
    const values = rates.flatMap(([, r]) => names.map((name) => r.steps[name][mark]));
    if (values.every((v) => v === undefined)) continue;
    print(`| ${label} | ${values.map(fmtMs).join(' | ')} |`);
  }
  print();
  const profiled = Object.entries(section.rates).filter(([, r]) => r.profiles.ours && r.profiles.raw);
  if (profiled.length === 0) return;
  print('The throttled join on the main thread (diagnostics; the page loaded first, then the join on a signal, as in the unthrottled table above): ms from the start of the join to `in-call`, averaged over the profiled joins; then every long task of those joins with its self time by origin.');
  print();
  print('| throttle | page | join → in-call | tasks | script | style | layout | ours | Lit | JsSIP | browser | GC |');
  print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [rate, r] of profiled) {
    for (const name of ['ours', 'raw']) {
      const m = r.profiles[name].metrics;
      const c = r.profiles[name].profile.byCategory;
      print(
        `| ${rate}× | ${name} | ${fmtMs(m.windowMs)} | ${fmtMs(m.TaskDuration)} | ${fmtMs(m.ScriptDuration)} | ${fmtMs(m.RecalcStyleDuration)} | ${fmtMs(m.LayoutDuration)} | ${originCells(c, ['ours', 'lit', 'jssip', 'browser', 'gc'])} |`,
      );
    }
  }
  print();
  print('From `in-call` to the first frame, self time by origin (ms, averaged):');
  print();
  print('| throttle | page | in-call → first frame | ours | Lit | JsSIP | browser | GC | idle |');
  print('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [rate, r] of profiled) {
    for (const name of ['ours', 'raw']) {
      const a = r.profiles[name].afterInCall;
      print(`| ${rate}× | ${name} | ${fmtMs(a.windowMs ?? 0)} | ${originCells(a, ['ours', 'lit', 'jssip', 'browser', 'gc', 'idle'])} |`);
    }
  }
  print();
  print('| throttle | page | long task (ms after the join started, duration) | ours | Lit | JsSIP | browser | GC | most self time | most self time in our code |');
  print('|---|---|---|---:|---:|---:|---:|---:|---|---|');
  for (const [rate, r] of profiled) {
    for (const name of ['ours', 'raw']) {
      for (const task of r.profiles[name].longTasks) {
        const o = task.byOrigin;
        print(
          `| ${rate}× | ${name} | at ${fmtMs(task.start)}, ${fmtMs(task.duration)} | ${originCells(o, ['ours', 'lit', 'jssip', 'browser', 'gc'])} | ${topCell(task.top)} | ${task.topOurs?.length ? topCell(task.topOurs) : '–'} |`,
        );
      }
    }
  }
  print();
  const loads = Object.entries(section.rates).filter(([, r]) => Object.keys(r.profiles ?? {}).some((k) => k.endsWith(':load')));
  if (loads.length) {
    print('A whole auto-join page load under the profiler (`BENCH_PROFILE_LOAD=1`, one per page and rate): self time by origin between the join\'s steps.');
    print();
    print('| throttle | page | window | ms | ours | Lit | JsSIP | browser | page script | idle | most self time |');
    print('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const [rate, r] of loads) {
      for (const [key, profile] of Object.entries(r.profiles).filter(([k]) => k.endsWith(':load'))) {
        for (const w of profile.windows) {
          const o = w.byOrigin;
          const top = w.top.filter((f) => !/^\(program\)/.test(f.name)).slice(0, 4);
          print(
            `| ${rate}× | ${key.replace(':load', '')} | ${w.window} | ${fmtMs(w.ms)} | ${originCells(o, ['ours', 'lit', 'jssip', 'browser', 'page', 'idle'])} | ${topCell(top)} |`,
          );
        }
      }
    }
    print();
  }
}

// ---------------------------------------------------------------- 3. recovery
async function recoverySection() {
  const out = { runs: {}, failures: [] };
  // The conference server's faults directly, and a restart of the SIP proxy in front of it.
  const targets = [{ ws: devServer.wsUrl, faults: ['drop', 'restart'] }];
  if (ONLY.has('kamailio') || ONLY.has('recovery')) {
    const k = kamailio ? { wsUrl: kamailio.wsUrl } : await startKamailioIfPossible();
    if (k.skipped) out.failures.push(`Kamailio restart: skipped (${k.skipped})`);
    else targets.push({ ws: k.wsUrl, faults: ['kamailio-restart'] });
  }
  const browser = await launchBrowser();
  try {
    for (const target of targets) {
      for (const kind of ['ours', 'raw']) {
        const user = kind === 'ours' ? '1010' : '1011';
        const { page, bench } = await openBenchPage(browser, pageUrl(kind, { ws: target.ws, user, pw: users[user], conf: nextConference(), mode: 'recover' }));
        try {
          if (bench.error) throw new Error(bench.error.split('\n')[0]);
          for (let i = 0; i < RECOVERY_RUNS; i += 1) {
            for (const fault of target.faults) {
              if (left() < 60_000) {
                out.failures.push(`${kind} ${fault}: stopped after ${i} runs (time limit)`);
                break;
              }
              await sleep(1000);
              try {
                const r = await page.evaluate(`__bench.recover(${JSON.stringify(fault)})`, 90_000);
                (out.runs[`${kind}:${fault}`] ??= []).push(r);
              } catch (error) {
                out.failures.push(`${kind} ${fault} ${i + 1}: ${error.message}`);
                log(`recovery ${kind} ${fault} failed: ${error.message}`);
              }
            }
          }
          await page.evaluate('__bench.leaveAll()', 15_000).catch(() => undefined);
        } finally {
          await page.close();
        }
        log(`recovery: ${kind} (${target.faults.join(', ')}) done`);
      }
    }
  } finally {
    await closeBrowser(browser);
    if (kamailio) {
      await kamailio.stop();
      kamailio = undefined;
    }
  }
  out.summary = {};
  for (const [key, list] of Object.entries(out.runs)) {
    out.summary[key] = {
      registered: summary(list.map((r) => r.registered)),
      inCall: summary(list.map((r) => r.inCall)),
      frame: summary(list.map((r) => r.frame)),
    };
  }
  return out;
}

function printRecovery(section, joinLocal) {
  const s = section.summary;
  print('### Recovery');
  print();
  print(`Median (IQR) ms from the fault to registered again, to \`in-call\` again and to the first remote frame again; ${RECOVERY_RUNS} runs each. Raw baseline: JsSIP's own transport recovery (reconnect + re-REGISTER) plus a redial once registered. Ratio = ours / raw.`);
  print();
  print('| fault | ours: registered | ours: in-call | ours: frame | raw: registered | raw: in-call | raw: frame | ratio registered | ratio in-call |');
  print('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const FAULTS = { drop: 'server drops every WebSocket', restart: 'server crash + restart', 'kamailio-restart': 'Kamailio (SIP proxy) restart' };
  for (const [fault, label] of Object.entries(FAULTS)) {
    const o = s[`ours:${fault}`];
    const r = s[`raw:${fault}`];
    if (!o && !r) continue;
    print(
      `| ${label} | ${fmtSpread(o?.registered)} | ${fmtSpread(o?.inCall)} | ${fmtSpread(o?.frame)} | ${fmtSpread(r?.registered)} | ${fmtSpread(r?.inCall)} | ${fmtSpread(r?.frame)} | ${fmtRatio(ratio(o?.registered.median, r?.registered.median))} | ${fmtRatio(ratio(o?.inCall.median, r?.inCall.median))} |`,
    );
  }
  if (joinLocal) {
    const fresh = joinLocal.variants.ours.figures.inCall.median - joinLocal.variants.ours.figures.registered.median;
    print();
    print(`For scale: a fresh join from registered to \`in-call\` takes ${fmtMs(fresh)} ms (ours, same run); the rest of the recovery time is the backoff delay (1 s ± 30 % for ours; JsSIP's own recovery waits 2–4 s).`);
  }
  print();
}

// ---------------------------------------------------------------- 4. resources
async function metrics(page) {
  const { metrics: list } = await page.send('Performance.getMetrics');
  return Object.fromEntries(list.map(({ name, value }) => [name, value]));
}

async function heap(page) {
  await page.send('HeapProfiler.collectGarbage');
  await sleep(200);
  await page.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await page.send('Runtime.getHeapUsage');
  return { usedSize, totalSize };
}

async function holdOne(browser, kind) {
  const user = kind === 'ours' ? '1020' : '1021';
  const { page, bench } = await openBenchPage(browser, pageUrl(kind, { ws: devServer.wsUrl, user, pw: users[user], conf: nextConference(), mode: 'hold', stats: 1 }));
  try {
    if (bench.error) throw new Error(bench.error.split('\n')[0]);
    await page.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.send('HeapProfiler.enable');
    await page.send('Profiler.enable');
    await page.send('Profiler.setSamplingInterval', { interval: 500 });
    await sleep(1000);
    const heap0 = await heap(page);
    const m0 = await metrics(page);
    const pageNow0 = await page.evaluate('performance.now()');
    const renders0 = await page.evaluate('__bench.renders ?? 0');
    const offsetMs = m0.Timestamp * 1000 - pageNow0;
    await page.send('Profiler.start');
    await sleep(CALL_SECONDS * 1000);
    const { profile } = await page.send('Profiler.stop');
    const m1 = await metrics(page);
    const pageNow1 = await page.evaluate('performance.now()');
    const renders = (await page.evaluate('__bench.renders ?? 0')) - renders0;
    const heap1 = await heap(page);
    const longTasks = (await page.evaluate('__bench.longTasks')).filter(([start]) => start >= pageNow0 && start <= pageNow1);
    const state = await page.evaluate(`document.querySelector('vinteo-call')?.getAttribute('state') ?? 'raw'`);
    const seconds = m1.Timestamp - m0.Timestamp;
    const delta = (name) => ((m1[name] ?? 0) - (m0[name] ?? 0)) * 1000;
    const attributed = attribute(profile, classifyFrame, offsetMs);
    const tasks = longTasks.map(([start, duration]) => {
      const by = attributed.between(start, start + duration);
      const js = ['ours', 'jssip', 'lit', 'page', 'other'].map((c) => [c, by[c] ?? 0]).sort((a, b) => b[1] - a[1]);
      return { start, duration, by, mostly: js[0][1] > 0 ? js[0][0] : 'browser' };
    });
    await page.evaluate('__bench.leaveAll()', 15_000).catch(() => undefined);
    const round = (v) => Math.round(v * 10) / 10;
    return {
      seconds: round(seconds),
      state,
      busyMs: round(delta('TaskDuration')),
      scriptMs: round(delta('ScriptDuration')),
      layoutStyleMs: round(delta('LayoutDuration') + delta('RecalcStyleDuration')),
      busyPercent: round((delta('TaskDuration') / (seconds * 1000)) * 100),
      profileMs: Object.fromEntries(Object.entries(attributed.byCategory).map(([k, v]) => [k, round(v)])),
      topFunctions: attributed.top(pageNow0, pageNow1, 12),
      profileAlignmentMs: round(profile.startTime / 1000 - offsetMs - pageNow0),
      longTasks: {
        count: tasks.length,
        totalMs: tasks.reduce((sum, task) => sum + task.duration, 0),
        ours: tasks.filter((task) => task.mostly === 'ours').length,
        list: tasks.slice(0, 50),
      },
      heapUsedStart: heap0.usedSize,
      heapUsedEnd: heap1.usedSize,
      heapUsedEndMB: round(heap1.usedSize / 1048576),
      renders: kind === 'ours' ? renders : undefined,
      domNodes: m1.Nodes,
      jsEventListeners: m1.JSEventListeners,
    };
  } finally {
    await page.close();
  }
}

async function resourcesSection() {
  const browser = await launchBrowser();
  try {
    const out = {};
    // Raw first, then ours: the same browser, one call at a time.
    for (const kind of ['raw', 'ours']) {
      out[kind] = await holdOne(browser, kind);
      log(`resources: ${kind} held ${out[kind].seconds} s`);
    }
    return out;
  } finally {
    await closeBrowser(browser);
  }
}

/** Self size and count of the heap's objects by constructor (a heap snapshot, aggregated). */
async function heapByConstructor(page, saveTo) {
  const chunks = [];
  const off = page.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  try {
    await page.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    off();
  }
  if (saveTo) writeFileSync(saveTo, chunks.join(''));
  const snapshot = JSON.parse(chunks.join(''));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map();
  const nodes = snapshot.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = type === 'object' || type === 'closure' || type === 'native' ? snapshot.strings[nodes[i + nameAt]] : `(${type})`;
    const key = `${type === 'closure' ? 'closure ' : ''}${name}`.slice(0, 80);
    const entry = out.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += nodes[i + sizeAt];
    out.set(key, entry);
  }
  return out;
}

const total = (snapshot) => [...snapshot.values()].reduce((sum, entry) => sum + entry.size, 0);

/** The constructors whose objects grew the most between two heap snapshots. */
function heapGrowth(before, after, n = 8) {
  const rows = [];
  for (const [name, entry] of after) {
    const prior = before.get(name) ?? { count: 0, size: 0 };
    rows.push({ name, count: entry.count - prior.count, bytes: entry.size - prior.size });
  }
  return rows.sort((a, b) => b.bytes - a.bytes).slice(0, n);
}

/** How many objects with `prototypeExpression` in their prototype chain the page's heap holds. */
async function countInstances(page, prototypeExpression) {
  try {
    const { result } = await page.send('Runtime.evaluate', { expression: prototypeExpression });
    if (!result.objectId) return undefined;
    const { objects } = await page.send('Runtime.queryObjects', { prototypeObjectId: result.objectId });
    const { result: length } = await page.send('Runtime.callFunctionOn', { objectId: objects.objectId, functionDeclaration: 'function () { return this.length; }', returnByValue: true });
    await page.send('Runtime.releaseObject', { objectId: objects.objectId });
    await page.send('Runtime.releaseObject', { objectId: result.objectId });
    return length.value;
  } catch {
    return undefined;
  }
}

/** Live instances after a GC: what a join/leave cycle may leave behind. */
async function instanceCounts(page, kind) {
  const prototypes = {
    RTCPeerConnection: 'RTCPeerConnection.prototype',
    MediaStreamTrack: 'MediaStreamTrack.prototype',
    MediaStream: 'MediaStream.prototype',
    WebSocket: 'WebSocket.prototype',
    ...(kind === 'ours'
      ? { VinteoClient: 'VinteoWidgets.VinteoClient.prototype', 'vinteo-call element': "customElements.get('vinteo-call').prototype" }
      : { 'JsSIP UA': '__bench.UA.prototype' }),
  };
  const out = {};
  for (const [name, expression] of Object.entries(prototypes)) out[name] = await countInstances(page, expression);
  return out;
}

async function cyclesOne(browser, kind) {
  const user = kind === 'ours' ? '1030' : '1031';
  const { page } = await openBenchPage(browser, pageUrl(kind, { ws: devServer.wsUrl, user, pw: users[user], conf: nextConference(), mode: 'cycles' }));
  try {
    await page.send('HeapProfiler.enable');
    const t0 = Date.now();
    // Warm-up cycles first: V8 compiles and tiers up the code a join runs over its first cycles (compiled
    // code is most of the early growth), so the measured cycles show what each cycle keeps.
    await page.evaluate(`__bench.cycles(${WARMUP_CYCLES})`, WARMUP_CYCLES * 30_000);
    const perCycle = (Date.now() - t0) / WARMUP_CYCLES;
    // JsSIP closes the socket 2 s after stop() (un-REGISTER); Chromium's getUserMedia promise tracker holds
    // each result (the stream, its tracks, their ImageCapture) for a while after it settled
    // (BENCH_CYCLES_SETTLE_MS): both snapshots wait it out, so that the growth is what the cycles keep.
    await sleep(SETTLE_MS);
    const heap0 = await heap(page);
    const left0 = await page.evaluate('__bench.leftovers()');
    const instances0 = await instanceCounts(page, kind);
    const saveSnapshot = (when) => (process.env.BENCH_HEAP_SNAPSHOT ? `${process.env.BENCH_HEAP_SNAPSHOT}.${kind}.${when}.heapsnapshot` : undefined);
    const snapshot0 = await heapByConstructor(page, saveSnapshot('warm')).catch(() => undefined);
    const budget = left() - 90_000;
    const n = Math.max(1, Math.min(CYCLES, Math.floor(budget / Math.max(perCycle * 1.3, 500))));
    const t1 = Date.now();
    await page.evaluate(`__bench.cycles(${n})`, n * 30_000);
    const seconds = (Date.now() - t1) / 1000;
    await sleep(SETTLE_MS);
    const heap1 = await heap(page);
    const left1 = await page.evaluate('__bench.leftovers()');
    const instances1 = await instanceCounts(page, kind);
    const snapshot1 = snapshot0 ? await heapByConstructor(page, saveSnapshot('last')).catch(() => undefined) : undefined;
    const error = await page.evaluate('__bench.error');
    // Each layout shift stays in the page's performance buffer: what moved, in the first few.
    const layoutShifts = await page.evaluate('({ count: __bench.layoutShifts.length, first: __bench.layoutShifts.slice(0, 3) })');
    const snapshotGrowth = snapshot1 ? total(snapshot1) - total(snapshot0) : undefined;
    const codeGrowth = snapshot1 ? (snapshot1.get('(code)')?.size ?? 0) - (snapshot0.get('(code)')?.size ?? 0) : undefined;
    return {
      warmupCycles: WARMUP_CYCLES,
      cycles: n,
      secondsPerCycle: Math.round((seconds / n) * 100) / 100,
      heapAfterFirst: heap0.usedSize,
      heapAfterLast: heap1.usedSize,
      heapGrowthBytes: heap1.usedSize - heap0.usedSize,
      heapGrowthPerCycleBytes: Math.round((heap1.usedSize - heap0.usedSize) / n),
      leftoversAfterFirst: left0,
      leftovers: left1,
      instancesAfterFirst: instances0,
      instances: instances1,
      heapGrowthByConstructor: snapshot1 ? heapGrowth(snapshot0, snapshot1) : undefined,
      // Snapshot totals: how much of the growth is compiled code (V8 tiering up), not objects.
      snapshotGrowthBytes: snapshotGrowth,
      snapshotCodeGrowthBytes: codeGrowth,
      // What the cycles keep besides compiled code, per cycle.
      objectGrowthPerCycleBytes: snapshot1 ? Math.round((snapshotGrowth - codeGrowth) / n) : undefined,
      layoutShifts,
      error,
    };
  } finally {
    await page.close();
  }
}

async function cyclesSection() {
  const browser = await launchBrowser();
  try {
    const out = {};
    for (const kind of ['raw', 'ours']) {
      out[kind] = await cyclesOne(browser, kind);
      log(`cycles: ${kind} ${out[kind].cycles} cycles`);
    }
    return out;
  } finally {
    await closeBrowser(browser);
  }
}

function printResources(resources, cycles) {
  if (resources) {
    const { ours, raw } = resources;
    print(`### Resources during a ${CALL_SECONDS} s call`);
    print();
    print('Ours: `<vinteo-call>` with a visible `<vinteo-stats>`; raw: a plain JsSIP call (remote video + local preview). Main-thread figures from `Performance.getMetrics` over the window; JS self time by origin from a CPU profile mapped through the bundle\'s source map; heap after a forced GC.');
    print();
    print('| figure | ours | raw JsSIP | ratio |');
    print('|---|---:|---:|---:|');
    const row = (label, a, b, fmt = fmtMs) => print(`| ${label} | ${fmt(a)} | ${fmt(b)} | ${fmtRatio(ratio(a, b))} |`);
    row('main-thread busy, ms (all tasks)', ours.busyMs, raw.busyMs);
    row('main-thread busy, % of the window', ours.busyPercent, raw.busyPercent, (v) => (Number.isFinite(v) ? v.toFixed(2) : '–'));
    row('script, ms', ours.scriptMs, raw.scriptMs);
    row('style + layout, ms', ours.layoutStyleMs, raw.layoutStyleMs);
    row('JS self time in our code (src/, components/), ms', ours.profileMs.ours ?? 0, raw.profileMs.ours ?? 0);
    row('JS self time in JsSIP, ms', ours.profileMs.jssip ?? 0, raw.profileMs.jssip ?? 0);
    row('JS self time in Lit, ms', ours.profileMs.lit ?? 0, raw.profileMs.lit ?? 0);
    row('long tasks (> 50 ms), count', ours.longTasks.count, raw.longTasks.count);
    row('long tasks mostly in our code, count', ours.longTasks.ours, raw.longTasks.ours);
    print(`| \`<vinteo-call>\` renders during the window | ${ours.renders ?? '–'} | – | – |`);
    row('JS heap used at the end, MB', ours.heapUsedEndMB, raw.heapUsedEndMB, (v) => (Number.isFinite(v) ? v.toFixed(2) : '–'));
    print();
  }
  if (cycles) {
    const { ours, raw } = cycles;
    print(`### After join/leave cycles (each a new element/client or a new UA; in-call, first frame, leave, removal)`);
    print();
    print(`Measured over the cycles after ${ours.warmupCycles} warm-up cycles (V8 compiles and tiers up the join's code over the first ones); heap after a forced GC.`);
    print();
    print('| figure | ours | raw JsSIP |');
    print('|---|---:|---:|');
    print(`| measured cycles (after the warm-up) | ${ours.cycles} | ${raw.cycles} |`);
    print(`| seconds per cycle | ${ours.secondsPerCycle} | ${raw.secondsPerCycle} |`);
    print(`| heap growth after GC over the measured cycles, KB | ${(ours.heapGrowthBytes / 1024).toFixed(1)} | ${(raw.heapGrowthBytes / 1024).toFixed(1)} |`);
    print(`| heap growth per cycle, bytes | ${ours.heapGrowthPerCycleBytes} | ${raw.heapGrowthPerCycleBytes} |`);
    print(`| objects kept per cycle (snapshot growth without compiled code), bytes | ${ours.objectGrowthPerCycleBytes ?? '–'} | ${raw.objectGrowthPerCycleBytes ?? '–'} |`);
    const kb = (v) => (Number.isFinite(v) ? (v / 1024).toFixed(1) : '–');
    print(`| of the heap snapshot growth, KB: compiled code / everything else | ${kb(ours.snapshotCodeGrowthBytes)} / ${kb(ours.snapshotGrowthBytes - ours.snapshotCodeGrowthBytes)} | ${kb(raw.snapshotCodeGrowthBytes)} / ${kb(raw.snapshotGrowthBytes - raw.snapshotCodeGrowthBytes)} |`);
    print(`| peer connections left open | ${ours.leftovers.peerConnections} (of ${ours.leftovers.peersCreated}) | ${raw.leftovers.peerConnections} (of ${raw.leftovers.peersCreated}) |`);
    print(`| camera/microphone tracks left live | ${ours.leftovers.tracks} (of ${ours.leftovers.tracksCreated}) | ${raw.leftovers.tracks} (of ${raw.leftovers.tracksCreated}) |`);
    print(`| WebSockets left open | ${ours.leftovers.sockets} | ${raw.leftovers.sockets} |`);
    const names = [...new Set([...Object.keys(ours.instances ?? {}), ...Object.keys(raw.instances ?? {})])];
    for (const name of names) {
      const cell = (r) => (r.instances?.[name] === undefined ? '–' : `${r.instancesAfterFirst?.[name] ?? '?'} → ${r.instances[name]}`);
      print(`| live ${name} objects after GC, after the warm-up → after the last cycle | ${cell(ours)} | ${cell(raw)} |`);
    }
    print();
  }
}

/** Waits for a scale-mode page to be ready for go(): ours once its element's services have loaded. */
function pageReady(page) {
  return page.evaluate('Promise.resolve(window.__bench.ready).then(() => true)', 30_000);
}

// ---------------------------------------------------------------- 5. scale
async function scaleRound(browser, kind, n, conf) {
  const list = [];
  try {
    for (let k = 0; k < n; k += 1) {
      const user = String((kind === 'ours' ? 1101 : 1201) + k);
      const page = await browser.newPage();
      list.push(page);
      // Raw asks for the camera as ours does (hd=1: 1280×720 at 30 fps), so that both encode and decode the same video.
      await page.open(pageUrl(kind, { ws: devServer.wsUrl, user, pw: users[user], conf, mode: 'scale', ...(kind === 'raw' ? { hd: '1' } : {}) }));
    }
    for (const page of list) await pageReady(page);
    // All at once: the go() calls are sent back to back, without waiting for each other.
    const joined = await Promise.all(list.map((page) => page.evaluate('__bench.go()', 150_000)));
    const figures = joined.map((t) => ({
      registered: t.registered - t.go,
      inCall: t['in-call'] - t.go,
      frame: t.frame - t.go,
      steps: Object.fromEntries(JOIN_STEPS.filter(([mark]) => typeof t[mark] === 'number').map(([mark]) => [mark, t[mark] - t.go])),
    }));
    const errors = await Promise.all(list.map((page) => page.evaluate('__bench.error')));
    await Promise.all(list.map((page) => page.evaluate('__bench.leaveAll()', 15_000).catch(() => undefined)));
    return { figures, errors: errors.filter(Boolean).map((e) => e.split('\n')[0]) };
  } finally {
    await Promise.all(list.map((page) => page.close()));
  }
}

async function scaleSection() {
  const browser = await launchBrowser();
  const out = { byN: {}, notes: [] };
  const levels = [...SCALE];
  try {
    for (let index = 0; index < levels.length; index += 1) {
      const n = levels[index];
      const reps = n === 1 ? 5 : n <= 2 ? 3 : 2;
      const all = { ours: [], raw: [] };
      const errors = [];
      for (let rep = 0; rep < reps; rep += 1) {
        if (left() < 30_000 + n * 6000) {
          out.notes.push(`N=${n}: stopped after ${rep} rounds (time limit)`);
          break;
        }
        // Alternating ours and raw, each round its own conference.
        for (const kind of rep % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours']) {
          const round = await scaleRound(browser, kind, n, nextConference());
          all[kind].push(...round.figures);
          errors.push(...round.errors.map((e) => `${kind}: ${e}`));
          await sleep(2500); // JsSIP closes the sockets 2 s after stop()
        }
      }
      if (all.ours.length === 0) continue;
      const entry = { pages: all.ours.length, errors };
      for (const kind of ['ours', 'raw']) {
        const steps = {};
        for (const [mark] of JOIN_STEPS) {
          const values = all[kind].map((f) => f.steps[mark]).filter((v) => typeof v === 'number');
          if (values.length) steps[mark] = Math.round(median(values));
        }
        entry[kind] = {
          registered: summary(all[kind].map((f) => f.registered)),
          inCall: summary(all[kind].map((f) => f.inCall)),
          frame: summary(all[kind].map((f) => f.frame)),
          steps,
        };
      }
      out.byN[n] = entry;
      log(`scale: N=${n} in-call median ours ${fmtMs(entry.ours.inCall.median)} ms, raw ${fmtMs(entry.raw.inCall.median)} ms`);
      // Not doubled yet at the last level: go further while there is time.
      const base = out.byN[levels[0]]?.ours.inCall.median;
      if (!process.env.BENCH_SCALE && index === levels.length - 1 && entry.ours.inCall.median < 2 * base && n < 16 && left() > 200_000) levels.push(Math.min(16, n + 4));
    }
  } finally {
    await closeBrowser(browser);
  }
  const ns = Object.keys(out.byN).map(Number).sort((a, b) => a - b);
  out.doubling = {};
  for (const kind of ['ours', 'raw']) {
    const base = out.byN[ns[0]]?.[kind].inCall.median;
    let doubling;
    let previous;
    for (const n of ns) {
      const value = out.byN[n][kind].inCall.median;
      out.byN[n][kind].ratioToN1 = ratio(value, base);
      if (doubling === undefined && value >= 2 * base) {
        // Linear interpolation between the last N below 2× and this one.
        if (previous) {
          const [pn, pv] = previous;
          doubling = { atN: n, interpolatedN: Math.round((pn + ((2 * base - pv) / (value - pv)) * (n - pn)) * 10) / 10 };
        } else doubling = { atN: n };
      }
      previous = [n, value];
    }
    out.doubling[kind] = doubling ?? { notReached: ns.at(-1) };
  }
  return out;
}

function printScale(section) {
  print('### Scale: N widgets joining at once (N pages in one browser, local server)');
  print();
  print('Median (IQR) ms from the common start (`go`, sent to every page at once) to `in-call` and to the first remote frame, over every page of every round; ours and raw JsSIP in alternating rounds. Each page is loaded before the start, as a page with a Join button: ours with its `<vinteo-call>` (no `auto-join`) on it, joining by `join()`; raw with JsSIP loaded, creating its UA at the start, and asking for the camera as ours does (1280×720 at 30 fps ideal, `hd=1`; by default the browser gives 640×480). Ratios: ours in-call at N / ours at N = 1, and ours / raw at the same N.');
  print();
  print('| N | pages (ours) | ours: in-call | ours: first frame | raw: in-call | raw: first frame | ours in-call / N=1 | raw in-call / N=1 | ours / raw |');
  print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [n, s] of Object.entries(section.byN)) {
    print(
      `| ${n} | ${s.pages} | ${fmtSpread(s.ours.inCall)} | ${fmtSpread(s.ours.frame)} | ${fmtSpread(s.raw.inCall)} | ${fmtSpread(s.raw.frame)} | ${fmtRatio(s.ours.ratioToN1)} | ${fmtRatio(s.raw.ratioToN1)} | ${fmtRatio(ratio(s.ours.inCall.median, s.raw.inCall.median))} |`,
    );
  }
  print();
  for (const kind of ['ours', 'raw']) {
    const d = section.doubling[kind];
    const who = kind === 'ours' ? 'Ours' : 'Raw JsSIP';
    if (d.atN) print(`${who}: join latency (in-call) doubles at N = ${d.atN}${d.interpolatedN ? ` (≈ ${d.interpolatedN} by linear interpolation)` : ''}.`);
    else print(`${who}: join latency did not double up to N = ${d.notReached}.`);
  }
  print();
}

// ---------------------------------------------------------------- summary
function printSummary() {
  const lines = [];
  const med = (section, name, key) => section?.variants?.[name]?.figures?.[key]?.median;
  const pct = (a, b) => `${Math.round(((b - a) / b) * 100)} %`;
  for (const [label, section] of [['local server', results.joinLocal], ['Kamailio', results.joinKamailio]]) {
    if (!section?.variants) continue;
    const r = section.ratios.ours;
    lines.push(`Join (${label}): ours / raw JsSIP = ${fmtRatio(r.registered)} to registered, ${fmtRatio(r.inCall)} to in-call, ${fmtRatio(r.frame)} to the first remote frame.`);
    for (const [fast, slow, what] of [
      ['raw-early', 'raw', 'raw JsSIP'],
      ['ours', 'ours-waitIce', 'ours (default fast-ice="auto" against fast-ice="off")'],
    ]) {
      const a = med(section, fast, 'registeredToInCall');
      const b = med(section, slow, 'registeredToInCall');
      const fa = med(section, fast, 'frame') - med(section, fast, 'registered');
      const fb = med(section, slow, 'frame') - med(section, slow, 'registered');
      if (Number.isFinite(a) && Number.isFinite(b)) {
        lines.push(
          `INVITE at the first ICE candidate, ${what}, ${label}: registered → in-call ${fmtMs(b)} → ${fmtMs(a)} ms (−${fmtMs(b - a)} ms, −${pct(a, b)}); registered → first frame ${fmtMs(fb)} → ${fmtMs(fa)} ms. JsSIP waited ${fmtMs(med(section, slow, 'iceWait'))} ms for ICE gathering, i.e. ${pct(b - med(section, slow, 'iceWait'), b)} of its call setup.`,
        );
      }
    }
    const pre = med(section, 'raw-fast', 'inCall');
    const early = med(section, 'raw-early', 'inCall');
    if (Number.isFinite(pre) && Number.isFinite(early)) {
      const delta = pre - early;
      lines.push(
        `Camera opened while registering (raw JsSIP, early INVITE too), ${label}: in-call ${fmtMs(early)} → ${fmtMs(pre)} ms (${delta <= 0 ? '−' : '+'}${fmtMs(Math.abs(delta))} ms; the fake camera opens in about ${fmtMs(med(section, 'raw', 'gum'))} ms, a real one takes longer).`,
      );
    }
  }
  const o = results.joinLocal?.variants?.ours?.figures;
  const w = results.joinLocal?.variants?.raw?.figures;
  if (o && w) {
    lines.push(
      `Leave: leave() → ended ${fmtMs(o.leave.median)} ms (raw ${fmtMs(w.leave.median)}); removal → disconnected ${fmtMs(o.disconnect.median)} ms, while raw ua.stop() → 'disconnected' takes ${fmtMs(w.disconnect.median)} ms (the un-REGISTER wait; our socket closes after ${fmtMs(o.socketClosed.median)} ms in the background).`,
    );
  }
  const rec = results.recovery?.summary;
  if (rec?.['ours:drop'] && rec?.['raw:drop']) {
    lines.push(
      `Recovery: in-call again ${fmtMs(rec['ours:drop'].inCall.median)} ms after a drop and ${fmtMs(rec['ours:restart']?.inCall.median)} ms after a restart (raw JsSIP + redial: ${fmtMs(rec['raw:drop'].inCall.median)} / ${fmtMs(rec['raw:restart']?.inCall.median)} ms).`,
    );
    if (rec['ours:kamailio-restart']) {
      lines.push(
        `Recovery through Kamailio: in-call again ${fmtMs(rec['ours:kamailio-restart'].inCall.median)} ms after a Kamailio restart (raw JsSIP + redial: ${fmtMs(rec['raw:kamailio-restart']?.inCall.median)} ms).`,
      );
    }
  }
  const res = results.resources;
  if (res?.ours && res?.raw) {
    lines.push(
      `Held call: main thread ${res.ours.busyPercent} % busy (raw ${res.raw.busyPercent} %), ${res.ours.longTasks.count} long tasks, ${fmtMs(res.ours.profileMs.ours ?? 0)} ms of JS in our code over ${res.ours.seconds} s; \`<vinteo-call>\` rendered ${res.ours.renders} times.`,
    );
  }
  const cyc = results.cycles;
  if (cyc?.ours?.leftovers) {
    const l = cyc.ours.leftovers;
    lines.push(`After ${cyc.ours.cycles} join/leave cycles: ${l.peerConnections} peer connections, ${l.tracks} live tracks, ${l.sockets} sockets left; heap ${signed(cyc.ours.heapGrowthPerCycleBytes)} bytes per cycle after ${cyc.ours.warmupCycles} warm-up cycles (raw ${signed(cyc.raw?.heapGrowthPerCycleBytes)}), objects without compiled code ${signed(cyc.ours.objectGrowthPerCycleBytes)} (raw ${signed(cyc.raw?.objectGrowthPerCycleBytes)}).`);
  }
  const sc = results.scale;
  if (sc?.doubling) {
    const d = (x) => (x?.atN ? `doubles at N = ${x.atN}${x.interpolatedN ? ` (≈ ${x.interpolatedN})` : ''}` : `does not double up to N = ${x?.notReached}`);
    lines.push(`Scale: join latency ${d(sc.doubling.ours)} for ours and ${d(sc.doubling.raw)} for raw JsSIP.`);
  }
  results.summary = lines;
  if (lines.length === 0) return;
  print('### Summary');
  print();
  for (const line of lines) print(`- ${line}`);
  print();
  if (results.notes.length) {
    print(`Notes: ${results.notes.join('; ')}.`);
    print();
  }
}

// ---------------------------------------------------------------- main
async function main() {
  print(`## Benchmark results (${results.date.slice(0, 10)}, ${results.machine.cpus} CPUs, Node ${process.version})`);
  print();
  if (ONLY.has('size')) await sizeSection();
  const needBrowser = ['join', 'kamailio', 'throttle', 'recovery', 'resources', 'cycles', 'scale'].some((s) => ONLY.has(s));
  if (!needBrowser) return;
  if (!existsSync(CHROMIUM)) {
    results.notes.push(`skipped every browser figure: Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROME_PATH)`);
    print(`Browser figures skipped: Chromium not found at ${CHROMIUM}.`);
    return;
  }
  await startServers();
  results.fastIceInBuild = HAS_FAST_ICE;

  if (ONLY.has('join')) {
    results.joinLocal = await joinSection('local', devServer.wsUrl, 4000);
    printJoin(results.joinLocal);
    printBreakdown(results.joinLocal);
    printProfiles(results.joinLocal);
    writeResults();
  }
  if (ONLY.has('kamailio')) {
    const k = await startKamailioIfPossible();
    if (k.skipped) {
      results.joinKamailio = { skipped: k.skipped };
      print('### Join latency: through Kamailio');
      print();
      print(`skipped: ${k.skipped}`);
      print();
    } else if (left() < 120_000) {
      results.joinKamailio = { skipped: 'time limit' };
      print('### Join latency: through Kamailio\n\nskipped: time limit\n');
    } else {
      results.joinKamailio = await joinSection('kamailio', k.wsUrl, 4500);
      printJoin(results.joinKamailio);
      printBreakdown(results.joinKamailio);
      // Kept for the recovery section's Kamailio restart.
      if (!ONLY.has('recovery')) {
        await kamailio.stop();
        kamailio = undefined;
      }
    }
    writeResults();
  }
  if (ONLY.has('throttle')) {
    results.throttleLocal = await throttleThrough('local', devServer.wsUrl);
    printThrottle(results.throttleLocal);
    writeResults();
    // Kamailio still runs when the recovery section is to restart it.
    const k = kamailio ? { wsUrl: kamailio.wsUrl } : await startKamailioIfPossible();
    if (k.skipped) {
      results.throttleKamailio = { skipped: k.skipped };
      print(`### Join under CPU throttling: through Kamailio\n\nskipped: ${k.skipped}\n`);
    } else {
      results.throttleKamailio = await throttleThrough('kamailio', k.wsUrl);
      printThrottle(results.throttleKamailio);
      if (!ONLY.has('recovery')) {
        await kamailio.stop();
        kamailio = undefined;
      }
    }
    writeResults();
  }
  const guarded = async (name, needMs, fn) => {
    if (!ONLY.has(name)) return undefined;
    if (left() < needMs) {
      results[name] = { skipped: `time limit (${Math.round(left() / 1000)} s left, needs about ${Math.round(needMs / 1000)} s)` };
      print(`### ${name}\n\nskipped: ${results[name].skipped}\n`);
      return undefined;
    }
    try {
      results[name] = await fn();
    } catch (error) {
      results[name] = { failed: error.message };
      print(`### ${name}\n\nfailed: ${error.message}\n`);
      log(error.stack);
      return undefined;
    }
    writeResults();
    return results[name];
  };
  const recovery = await guarded('recovery', 90_000, recoverySection);
  if (recovery) printRecovery(recovery, results.joinLocal);
  const resources = await guarded('resources', CALL_SECONDS * 2000 + 60_000, resourcesSection);
  const cycles = await guarded('cycles', 120_000, cyclesSection);
  printResources(resources, cycles);
  const scale = await guarded('scale', 90_000, scaleSection);
  if (scale) printScale(scale);
  printSummary();
}

try {
  await main();
} catch (error) {
  results.failed = error.stack ?? String(error);
  log(error.stack ?? error);
  process.exitCode = 1;
} finally {
  results.seconds = Math.round((Date.now() - STARTED) / 1000);
  results.table = output.join('\n');
  writeResults();
  await cleanup();
  clearTimeout(hardStop);
  log(`done in ${results.seconds} s; wrote bench/results.json`);
}
