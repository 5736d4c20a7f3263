// Checks on the sources that need no browser: colours only in the token file, the reference docs and the
// README screenshots current, the type maps complete, the CMS page ready for a strict CSP.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const elements = manifest.modules.flatMap((mod) => mod.declarations ?? []).filter((d) => d.customElement && d.tagName);
const VISUAL = ['vinteo-call', 'vinteo-presentation', 'vinteo-stats', 'vinteo-dialpad', 'vinteo-devices'];

function files(dir, keep) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path, keep) : keep(path) ? [path] : [];
  });
}

test('no colour is written down outside components/shared/tokens.styles.ts', () => {
  const sources = files('components', (path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('tokens.styles.ts'));
  const found = [];
  for (const path of sources) {
    const text = readFileSync(path, 'utf8');
    const colour = path.endsWith('.styles.ts') ? /#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|oklch|lab)\(/g : /\b(?:fill|stroke|color|background)\s*[=:]\s*["'`]?\s*(?:#[0-9a-fA-F]{3,8}\b|rgba?\()/g;
    for (const match of text.matchAll(colour)) found.push(`${path}: ${match[0]}`);
  }
  assert.deepEqual(found, []);
});

test('docs/reference.md matches custom-elements.json', () => {
  execFileSync(process.execPath, ['scripts/generate-docs.mjs', '--check'], { stdio: 'pipe' });
});

test('the README shows a screenshot of each element, and the files exist', () => {
  const readme = readFileSync('README.md', 'utf8');
  for (const tag of VISUAL) {
    const path = `docs/screenshots/${tag}.png`;
    assert.ok(readme.includes(`](${path})`), `README does not show ${path}`);
    assert.ok(existsSync(path), `${path} is missing: run node scripts/screenshot.mjs`);
  }
  for (const match of readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.ok(existsSync(match[1]), `README shows a missing image ${match[1]}`);
});

test('HTMLElementTagNameMap declares every element, and each is defined only when not defined yet', () => {
  for (const element of elements) {
    const path = `components/${element.tagName}/${element.tagName}.ts`;
    const text = readFileSync(path, 'utf8');
    assert.match(text, new RegExp(`interface HTMLElementTagNameMap \\{[^}]*'${element.tagName}': ${element.name};`), path);
    assert.match(text, new RegExp(`!customElements\\.get\\('${element.tagName}'\\)\\)\\s*\\{\\s*customElements\\.define\\('${element.tagName}'`), path);
    assert.match(text, /typeof customElements !== 'undefined'/, `${path}: no guard for servers without customElements`);
  }
});

test('GlobalEventHandlersEventMap declares every event the elements fire', () => {
  const text = readFileSync('components/shared/events.ts', 'utf8');
  const declared = new Map();
  for (const block of text.matchAll(/interface GlobalEventHandlersEventMap \{([^}]*)\}/g)) {
    for (const entry of block[1].matchAll(/'(vinteo-[\w-]+)': (\w+);/g)) declared.set(entry[1], entry[2]);
  }
  for (const element of elements) {
    for (const event of element.events ?? []) {
      assert.equal(declared.get(event.name), event.type?.text, `<${element.tagName}> fires ${event.name}`);
    }
  }
});

test('demo/cms.html needs nothing a strict CSP forbids: no inline script or style, same-origin scripts only', () => {
  const html = readFileSync('demo/cms.html', 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline script');
  assert.doesNotMatch(html, /<style\b|\sstyle=/i, 'inline style');
  assert.doesNotMatch(html, /\son\w+=/i, 'inline event handler');
  for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/gi)) assert.doesNotMatch(match[1], /^(https?:)?\/\//, 'a script from another origin');
  assert.match(html, /<script src="[^"]*dist\/vinteo-widgets\.js"><\/script>/);
});
