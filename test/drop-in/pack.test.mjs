// What `npm pack` would publish: the exports map, the types, the classic scripts (the loader with its SIP
// and panels chunks, and the one-file build), the manifest and the
// docs are in it; tests, sources, the dev server's tests and anything secret are not.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const files = new Set(report.files.map((file) => file.path));

/** Every file path an exports map names (conditions nested). */
function targets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value ?? {}).flatMap(targets);
}

test('every target of the exports map is packed', () => {
  assert.ok(pkg.exports['.'] && pkg.exports['./core'] && pkg.exports['./react'] && pkg.exports['./vue'] && pkg.exports['./vinteo-widgets.js']);
  assert.ok(pkg.exports['./vinteo-widgets-sip.js'] && pkg.exports['./vinteo-widgets-panels.js'] && pkg.exports['./vinteo-widgets-single.js']);
  assert.ok(pkg.exports['./vinteo-widgets.ru.js'] && pkg.exports['./vinteo-widgets.en.js']);
  for (const target of targets(pkg.exports)) {
    const path = target.replace(/^\.\//, '');
    assert.ok(files.has(path), `${target} is not in the package`);
  }
});

test('types for every entry: the elements, the core, React and Vue', () => {
  assert.equal(pkg.exports['.'].types, './dist/types/index.d.ts');
  const index = readFileSync('dist/types/index.d.ts', 'utf8');
  assert.match(index, /components\/index\.js/, 'the main types include the elements');
  for (const entry of ['.', './core', './react', './vue']) assert.ok(files.has(pkg.exports[entry].types.slice(2)), entry);
  for (const path of ['dist/types/components/vinteo-call/vinteo-call.d.ts', 'dist/types/src/client.d.ts', 'dist/types/src/credentials.d.ts']) assert.ok(files.has(path), path);
  assert.match(readFileSync('dist/types/react.d.ts', 'utf8'), /'vinteo-call': VinteoCallProps;/);
  assert.match(readFileSync('dist/types/vue.d.ts', 'utf8'), /'vinteo-call': VinteoVueElement<VinteoCall, VinteoCallVueProps>;/);
});

test('the classic scripts, the manifest, the README with its screenshots, the reference, the dev server', () => {
  for (const path of ['dist/vinteo-widgets.js', 'dist/vinteo-widgets.ru.js', 'dist/vinteo-widgets.en.js', 'dist/vinteo-widgets-sip.js', 'dist/vinteo-widgets-panels.js', 'dist/vinteo-widgets-single.js', 'dist/index.js', 'dist/core.js', 'custom-elements.json', 'README.md', 'docs/reference.md', 'package.json', pkg.customElements, pkg.bin['vinteo-dev-server'].slice(2), 'dist/server/index.js']) {
    assert.ok(files.has(path), `${path} is not in the package`);
  }
  for (const match of readFileSync('README.md', 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.ok(files.has(match[1]), `README image ${match[1]}`);
  for (const field of ['main', 'module']) assert.ok(files.has(pkg[field].slice(2)), field);
});

test('no tests, no TypeScript sources, no scratch files, nothing secret', () => {
  const unwanted = [...files].filter(
    (path) =>
      /(^|\/)(test|tests|__tests__|fixtures)\//.test(path) ||
      /\.test\.|\.spec\./.test(path) ||
      /^(src|components|server|scripts|bench|demo|\.ci|\.vinteo-tmp)\//.test(path) ||
      (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)) ||
      /(^|\/)(\.env[^/]*|\.npmrc|users\.json|id_rsa[^/]*|[^/]+\.(pem|key|p12|pfx|crt))$/.test(path),
  );
  assert.deepEqual(unwanted, []);
  for (const path of files) {
    if (!/\.(js|mjs|json|md|d\.ts)$/.test(path) || !existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${path} holds a private key`);
  }
});

test('the loader imports its chunks by the file names they are built under; the one-file build imports nothing', () => {
  const loader = readFileSync('dist/vinteo-widgets.js', 'utf8');
  assert.match(loader, /vinteo-widgets-sip\.js/);
  assert.match(loader, /vinteo-widgets-panels\.js/);
  // `JsSIP Internal Error` is the reason phrase of SIP 500 in JsSIP's constants.
  assert.doesNotMatch(loader, /JsSIP Internal Error/, 'JsSIP itself is not in the loader');
  assert.ok(!/\bimport\s*\{|\bexport\s*\{/.test(loader), 'the loader is a classic script');
  const chunk = readFileSync('dist/vinteo-widgets-sip.js', 'utf8');
  assert.ok(/export\s*\{[^}]*\bCoordinator\b[^}]*\}/.test(chunk), 'the chunk is an ES module exporting the services');
  assert.ok(!/\bfrom\s*["'`][^"'`]*vinteo-widgets\.js/.test(chunk), 'the chunk takes what it shares with the loader from the loader object, not by a static import');
  assert.match(chunk, /JsSIP Internal Error/);
  const panels = readFileSync('dist/vinteo-widgets-panels.js', 'utf8');
  assert.ok(/export\s*\{[^}]*\bVinteoStats\b[^}]*\}/.test(panels), 'the panels chunk is an ES module exporting the panels');
  assert.ok(!/\bfrom\s*["'`]/.test(panels), 'the panels chunk imports nothing statically: it takes what it shares from the loader object');
  const single = readFileSync('dist/vinteo-widgets-single.js', 'utf8');
  assert.doesNotMatch(single, /vinteo-widgets-sip\.js/);
  assert.doesNotMatch(single, /vinteo-widgets-panels\.js/);
  assert.doesNotMatch(single, /\bimport\(/, 'the one-file build imports nothing');
  assert.match(single, /JsSIP Internal Error/);
});

test('the one-language loaders hold their own labels and error sentences alone', () => {
  const ru = readFileSync('dist/vinteo-widgets.ru.js', 'utf8');
  const en = readFileSync('dist/vinteo-widgets.en.js', 'utf8');
  const both = readFileSync('dist/vinteo-widgets.js', 'utf8');
  // statusIdle and the connection-failed sentence, in each language.
  const russian = ['Готов к подключению', 'Не удалось связаться с сервером конференций'];
  const english = ['Ready to join', 'Could not reach the conference server. Check your internet connection'];
  for (const text of [...russian, ...english]) assert.ok(both.includes(text), `the default loader has ${text}`);
  for (const text of russian) assert.ok(ru.includes(text) && !en.includes(text), text);
  for (const text of english) assert.ok(en.includes(text) && !ru.includes(text), text);
  for (const loader of [ru, en]) assert.ok(loader.length < both.length);
});

test("the panels' labels travel in the panels chunk, both languages, and in no loader", () => {
  const panels = readFileSync('dist/vinteo-widgets-panels.js', 'utf8');
  // statsUnavailable and dtmfInvalid, in each language.
  const texts = ['Statistics appear during a call.', 'Статистика появится во время звонка.', 'Only 0–9, A–D, *, # and , (pause) can be sent.', 'Можно отправить только 0–9, A–D, *, # и , (пауза).'];
  for (const text of texts) assert.ok(panels.includes(text), `the panels chunk has ${text}`);
  for (const file of ['dist/vinteo-widgets.js', 'dist/vinteo-widgets.ru.js', 'dist/vinteo-widgets.en.js']) {
    const loader = readFileSync(file, 'utf8');
    for (const text of texts) assert.ok(!loader.includes(text), `${file} has ${text}`);
  }
});

test('the loader holds the call and the client; the services and JsSIP are in one chunk, the panels and the session in another; no module is in two files', () => {
  const sources = (file) => new Set(JSON.parse(readFileSync(`${file}.map`, 'utf8')).sources.map((source) => source.replace(/^(\.\.\/)+/, '')));
  const loader = sources('dist/vinteo-widgets.js');
  const chunk = sources('dist/vinteo-widgets-sip.js');
  const panels = sources('dist/vinteo-widgets-panels.js');
  const files = { loader, chunk, panels };
  for (const [name, a] of Object.entries(files)) {
    for (const [other, b] of Object.entries(files)) {
      if (name >= other) continue;
      const both = [...a].filter((source) => b.has(source) && !source.startsWith('\0') && !source.includes('rolldown'));
      assert.deepEqual(both, [], `modules in both ${name} and ${other}`);
    }
  }
  for (const module of ['src/client.ts', 'src/errors.ts', 'src/logger.ts', 'src/connection/sip-debug.ts', 'components/vinteo-call/VinteoCall.ts']) {
    assert.ok(loader.has(module), `${module} is in the loader`);
  }
  for (const module of ['components/vinteo-session/VinteoSession.ts', 'components/vinteo-stats/VinteoStats.ts', 'components/vinteo-devices/VinteoDevices.ts', 'components/vinteo-dialpad/VinteoDialpad.ts', 'components/vinteo-presentation/VinteoPresentation.ts']) {
    assert.ok(panels.has(module), `${module} is in the panels chunk`);
    assert.ok(!loader.has(module), `${module} is not in the loader`);
  }
  // Also what only the chunk runs of modules the loader shares (their checks stay in the loader: fast-ice.ts, codec-list.ts, guest.ts, media-provider.ts).
  for (const module of ['src/coordinator.ts', 'src/call/CallService.ts', 'src/connection/ConnectionService.ts', 'src/connection/jssip.ts', 'src/call/ice.ts', 'src/call/codecs.ts', 'src/connection/identity.ts', 'src/call/media.ts', 'src/credentials-resolve.ts']) {
    assert.ok(chunk.has(module), `${module} is in the chunk`);
    assert.ok(!loader.has(module), `${module} is not in the loader`);
  }
  assert.ok([...chunk].some((source) => /@krivega\/jssip\/lib\/UA\.js$/.test(source)), 'JsSIP is in the chunk');
});

test("the loaders' and the panels' templates carry no source indentation and no CSS comments", () => {
  for (const file of ['dist/vinteo-widgets.js', 'dist/vinteo-widgets.ru.js', 'dist/vinteo-widgets.en.js', 'dist/vinteo-widgets-panels.js']) {
    const code = readFileSync(file, 'utf8');
    assert.doesNotMatch(code, /\n[ \t]{2,}/, `${file}: indentation left (see compactTemplates in vite.config.ts)`);
    assert.deepEqual(code.match(/\/\*(?! @__PURE__ \*\/| @vite-ignore \*\/)[\s\S]*?\*\//g) ?? [], [], `${file}: comments left`);
  }
});

test('no script build carries V8\'s compile hint, and the source maps of the SIP chunk and the one-file build point at JsSIP', () => {
  for (const file of ['dist/vinteo-widgets.js', 'dist/vinteo-widgets-sip.js', 'dist/vinteo-widgets-panels.js', 'dist/vinteo-widgets-single.js']) {
    // See the note above PRODUCTION in vite.config.ts: unthrottled, the hint made the join later.
    assert.doesNotMatch(readFileSync(file, 'utf8'), /allFunctionsCalledOnLoad/, file);
  }
  for (const file of ['dist/vinteo-widgets-sip.js', 'dist/vinteo-widgets-single.js']) {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    assert.match(map.mappings, /^[A-Za-z0-9+/]/, `${file}: its mappings start on the first line`);
    assert.ok(map.sources.some((source) => /@krivega\/jssip\/lib\/UA\.js$/.test(source)), file);
  }
});
