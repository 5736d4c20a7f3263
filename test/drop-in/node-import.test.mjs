// Nothing touches browser APIs at import time: the ESM builds import in plain Node (server-side rendering:
// Next.js, Nuxt, Angular Universal), where there is no window, document or navigator. Each import runs
// in a fresh Node process, so that the globals it adds can be counted.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** Lit's server build (lit-html/node, @lit/reactive-element/node) installs these; our code adds none. */
const LIT_NODE_GLOBALS = ['litServerRoot', 'customElements', 'litPropertyMetadata', 'reactiveElementVersions', 'litHtmlVersions', 'litElementVersions'];

function importInNode(specifier, after = '') {
  const script = `
    const before = new Set(Reflect.ownKeys(globalThis));
    const browser = ['window', 'document', 'navigator', 'localStorage', 'RTCPeerConnection'].filter((name) => name in globalThis);
    const module = await import(${JSON.stringify(specifier)});
    ${after}
    const added = Reflect.ownKeys(globalThis).filter((key) => !before.has(key)).map(String);
    console.log(JSON.stringify({ exports: Object.keys(module), added, browser }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1));
}

test('dist/core.js (the core alone) imports in Node and adds no global', () => {
  assert.ok(existsSync('dist/core.js'), 'run npm run build first');
  const result = importInNode('./dist/core.js');
  assert.deepEqual(result.browser, [], 'this Node has browser globals: the test would prove nothing');
  assert.ok(result.exports.includes('VinteoClient'));
  assert.deepEqual(result.added, []);
});

test('dist/index.js (core and elements) imports in Node; only Lit adds its server-side globals', () => {
  const result = importInNode('./dist/index.js');
  assert.ok(result.exports.includes('VinteoCall') && result.exports.includes('VinteoSession'));
  assert.deepEqual(
    result.added.filter((name) => !LIT_NODE_GLOBALS.includes(name)),
    [],
  );
});

test('a VinteoClient can be created and configured in Node: nothing runs before connect()', () => {
  const result = importInNode(
    './dist/core.js',
    `const client = new module.VinteoClient({ server: 'vinteo.example.com', credentials: async () => ({ user: '1', password: 'x' }) });
     client.configure({ displayName: 'SSR' });
     if (client.getSnapshot().connection.state !== 'disconnected') throw new Error('not idle');
     client.destroy();`,
  );
  assert.deepEqual(result.added, []);
});
