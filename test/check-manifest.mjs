// Fails when custom-elements.json no longer matches the elements' JSDoc (run `npm run analyze`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// The analyzer resolves --outdir against the working directory, so the scratch folder lives in the (ignored) .vinteo-tmp.
mkdirSync('.vinteo-tmp', { recursive: true });
const out = mkdtempSync(join('.vinteo-tmp', 'cem-'));
try {
  execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--outdir', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const fresh = JSON.stringify(JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8')));
  const committed = JSON.stringify(JSON.parse(readFileSync('custom-elements.json', 'utf8')));
  if (fresh !== committed) {
    console.error('custom-elements.json is stale: run "npm run analyze" and commit the result.');
    process.exit(1);
  }
  console.log('custom-elements.json is up to date');
} finally {
  rmSync(out, { recursive: true, force: true });
}
