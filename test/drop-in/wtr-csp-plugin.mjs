// Web Test Runner plugin for test/drop-in/: pages that embed the widgets the way a CMS page does, served
// with the strict Content-Security-Policy header (optionally with Trusted Types enforced).
//
//   /__drop-in/page.html?scripts=bundle,bundle&elements=all&csp=strict&tt=1&lang=ru
//     scripts   comma-separated, in order: bundle (the classic-script loader, which imports JsSIP from
//               dist/vinteo-widgets-sip.js), bundle-defer, bundle-ru / bundle-en (the one-language loaders),
//               single (the one-file build), esm (<script
//               type=module> of dist/index.js), sip-404 / sip-404-once (the loader from a folder whose
//               SIP chunk is missing: always / until the first retry); test/drop-in/pages/probe.js runs
//               before them, after-import.js after them
//     elements  none | call | panel (a <vinteo-dialpad> alone) | all (a <vinteo-session> with one of each element)
//     csp       strict: the header from scripts/csp-policy.mjs; tt=1 adds require-trusted-types-for 'script',
//               tt=lit-html also limits the policy names to lit-html
//   /__drop-in/moved/vinteo-widgets.js?sip=404|404-once: the loader; /__drop-in/moved/vinteo-widgets-sip.js
//               answers 404 (with 404-once: until the loader asks again with its `retry` parameter).
//               ?panels=404|404-once does the same to /__drop-in/moved/vinteo-widgets-panels.js (script
//               panels-404-once).
//   scripts=sip-held&hold=ID: the loader from that folder whose chunk (?sip=held&hold=ID, the loader's query)
//               is answered only once the page has fetched /__drop-in/release-sip?hold=ID (before or after);
//               scripts=panels-held&hold=ID does the same to its panels chunk (?panels=held&hold=ID);
//               scripts=panels-404 is the loader whose panels chunk is always missing.
//   /demo/cms.html is served as it is (plus the probe script), with the strict CSP header.
//   /__drop-in/credentials: a site's credentials endpoint (see credentials() below).
import { readFile } from 'node:fs/promises';
import { STRICT_CSP, trustedTypesCsp } from '../../scripts/csp-policy.mjs';

const SCRIPTS = {
  bundle: '<script src="/dist/vinteo-widgets.js"></script>',
  'bundle-defer': '<script defer src="/dist/vinteo-widgets.js"></script>',
  'bundle-ru': '<script src="/dist/vinteo-widgets.ru.js"></script>',
  'bundle-en': '<script src="/dist/vinteo-widgets.en.js"></script>',
  single: '<script src="/dist/vinteo-widgets-single.js"></script>',
  esm: '<script type="module" src="/dist/index.js"></script>',
  'sip-404': '<script src="/__drop-in/moved/vinteo-widgets.js?sip=404"></script>',
  'sip-404-once': '<script src="/__drop-in/moved/vinteo-widgets.js?sip=404-once"></script>',
  'panels-404-once': '<script src="/__drop-in/moved/vinteo-widgets.js?panels=404-once"></script>',
  'panels-404': '<script src="/__drop-in/moved/vinteo-widgets.js?panels=404"></script>',
};

const ELEMENTS = {
  none: '',
  call: '<vinteo-call id="call" conference="1000" display-name="Guest"></vinteo-call>',
  panel: '<vinteo-dialpad></vinteo-dialpad>',
  all: `<vinteo-session id="session" sip-domain="vinteo.local" display-name="Guest">
      <vinteo-call id="call" conference="1000"></vinteo-call>
      <vinteo-presentation></vinteo-presentation>
      <vinteo-stats></vinteo-stats>
      <vinteo-dialpad></vinteo-dialpad>
      <vinteo-devices></vinteo-devices>
    </vinteo-session>`,
};

/** The dev server appends a module script to every HTML page; a CMS page has none, so it is taken out again. */
const INJECTED = /<!-- injected by web-dev-server -->\s*<script type="module" src="\/__web-dev-server__web-socket\.js"><\/script>/;

function policy(params) {
  if (params.get('csp') !== 'strict') return undefined;
  const tt = params.get('tt');
  if (!tt) return STRICT_CSP;
  return trustedTypesCsp(tt === '1' ? undefined : tt.split(','));
}

/** Chunk requests held until their page releases them, by hold id; and the ids released so far. */
const held = new Map();
const released = new Set();

/** Resolves once the chunk held under `hold` may be answered. */
function heldUntilReleased(hold) {
  if (released.has(hold)) return Promise.resolve();
  return new Promise((resolve) => held.set(hold, [...(held.get(hold) ?? []), resolve]));
}

function release(hold) {
  released.add(hold);
  for (const resolve of held.get(hold) ?? []) resolve();
  held.delete(hold);
}

function page(params) {
  const scripts = (params.get('scripts') ?? 'bundle').split(',').filter(Boolean);
  const hold = params.get('hold') ?? '';
  if (!/^\w*$/.test(hold)) throw new Error(`bad hold id ${hold}`);
  const tags = {
    ...SCRIPTS,
    'sip-held': `<script src="/__drop-in/moved/vinteo-widgets.js?sip=held&amp;hold=${hold}"></script>`,
    'panels-held': `<script src="/__drop-in/moved/vinteo-widgets.js?panels=held&amp;hold=${hold}"></script>`,
  };
  for (const name of scripts) if (!tags[name]) throw new Error(`unknown script ${name}`);
  const elements = ELEMENTS[params.get('elements') ?? 'none'];
  if (elements === undefined) throw new Error(`unknown elements ${params.get('elements')}`);
  const lang = /^[a-z-]{2,8}$/i.test(params.get('lang') ?? '') ? params.get('lang') : 'en';
  // after-import.js must run after the scripts under test: deferred with them when any of them is deferred.
  const deferred = scripts.some((name) => tags[name].includes(' defer ') || tags[name].includes('type="module"'));
  const after = deferred ? '<script type="module" src="/test/drop-in/pages/after-import.js"></script>' : '<script src="/test/drop-in/pages/after-import.js"></script>';
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8" />
    <title>Vinteo widgets dropped into a page</title>
    <script src="/test/drop-in/pages/probe.js"></script>
    ${scripts.map((name) => tags[name]).join('\n    ')}
    ${after}
  </head>
  <body>
    ${elements}
  </body>
</html>
`;
}

/**
 * A stand-in for a site's own credentials endpoint: answers with the credentials the test put in the
 * `vinteo-drop-in-credentials` cookie (base64url JSON), and 401 without it, as a logged-out visitor
 * gets. `?status=500` fails, `?malformed` answers something that is not JSON.
 */
function credentials(context) {
  const params = new URL(context.url, 'http://localhost').searchParams;
  // A serve result is always a 200: the status goes in a header that transform() below applies.
  const json = (status) => ({ type: 'json', headers: { 'cache-control': 'no-store', ...(status ? { 'x-drop-in-status': String(status) } : {}) } });
  if (params.has('status')) return { ...json(Number(params.get('status'))), body: JSON.stringify({ error: 'failed' }) };
  const cookie = context.cookies.get('vinteo-drop-in-credentials');
  if (!cookie) return { ...json(401), body: JSON.stringify({ error: 'log in first' }) };
  if (params.has('malformed')) return { ...json(), body: `not json ${Buffer.from(cookie, 'base64url').toString('utf8')}` };
  return { ...json(), body: Buffer.from(cookie, 'base64url').toString('utf8') };
}

/** A serve result is always a 200: the 404 goes in a header that transform() below applies. */
const NOT_FOUND = { body: '/* not found */', type: 'js', headers: { 'x-drop-in-status': '404' } };

/** Whether a moved chunk is missing: always (`404`), or until the loader asks again (`404-once`). */
function missing(mode, params) {
  return mode === '404' || (mode === '404-once' && !params.has('retry'));
}

export function cspPlugin() {
  return {
    name: 'vinteo-drop-in-pages',
    async serve(context) {
      if (context.path === '/demo/cms.html') {
        // The page as it is, plus the (same-origin, passive) probe that records violations and errors.
        const body = (await readFile('demo/cms.html', 'utf8')).replace(/<head>/, '<head>\n    <script src="/test/drop-in/pages/probe.js"></script>');
        return { body, type: 'html', headers: { 'content-security-policy': STRICT_CSP } };
      }
      if (context.path === '/__drop-in/credentials') return credentials(context);
      if (context.path === '/__drop-in/moved/vinteo-widgets.js') return { body: await readFile('dist/vinteo-widgets.js', 'utf8'), type: 'js' };
      if (context.path === '/__drop-in/moved/vinteo-widgets-sip.js') {
        const params = new URL(context.url, 'http://localhost').searchParams;
        if (params.get('sip') === 'held') await heldUntilReleased(params.get('hold') ?? '');
        else if (missing(params.get('sip'), params)) return NOT_FOUND;
        return { body: await readFile('dist/vinteo-widgets-sip.js', 'utf8'), type: 'js' };
      }
      if (context.path === '/__drop-in/moved/vinteo-widgets-panels.js') {
        const params = new URL(context.url, 'http://localhost').searchParams;
        if (params.get('panels') === 'held') await heldUntilReleased(params.get('hold') ?? '');
        else if (missing(params.get('panels'), params)) return NOT_FOUND;
        return { body: await readFile('dist/vinteo-widgets-panels.js', 'utf8'), type: 'js' };
      }
      if (context.path === '/__drop-in/release-sip') {
        release(new URL(context.url, 'http://localhost').searchParams.get('hold') ?? '');
        return { body: 'released', type: 'text', headers: { 'cache-control': 'no-store' } };
      }
      if (context.path !== '/__drop-in/page.html') return undefined;
      const params = new URL(context.url, 'http://localhost').searchParams;
      const csp = policy(params);
      return { body: page(params), type: 'html', headers: csp ? { 'content-security-policy': csp } : {} };
    },
    transform(context) {
      if (context.path === '/__drop-in/credentials' || context.path.startsWith('/__drop-in/moved/vinteo-widgets-')) {
        const status = context.response.get('x-drop-in-status');
        if (status) context.status = Number(status);
        return undefined;
      }
      if (context.path !== '/__drop-in/page.html' && context.path !== '/demo/cms.html') return undefined;
      if (typeof context.body !== 'string') return undefined;
      return { body: context.body.replace(INJECTED, '') };
    },
  };
}
