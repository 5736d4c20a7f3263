// `npm run bench`: figures as ratios against baselines measured in the same run.
// Size: min+gzip of our builds against @krivega/jssip alone and lit alone, each bundled by esbuild now.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

if (!existsSync('dist/vinteo-widgets.js') || !existsSync('dist/core.js')) {
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}

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

const jssip = gz(await bundle("export * as JsSIP from '@krivega/jssip';"));
const lit = gz(await bundle("export * from 'lit'; export * from '@lit/context';"));
const widgets = gz(readFileSync('dist/vinteo-widgets.js'));
// The core alone: dist/core.js with JsSIP bundled in (no Lit, no elements).
const core = gz(await bundle("export * from './dist/core.js';"));

const rows = [
  { name: 'baseline: @krivega/jssip alone', bytes: jssip },
  { name: 'baseline: lit + @lit/context alone', bytes: lit },
  { name: 'baseline: JsSIP + Lit', bytes: jssip + lit },
  { name: 'core (VinteoClient + JsSIP, no elements)', bytes: core },
  { name: 'dist/vinteo-widgets.js (everything)', bytes: widgets },
];
const ratio = (bytes) => (bytes / (jssip + lit)).toFixed(3);
const results = {
  date: new Date().toISOString(),
  size: {
    unit: 'bytes min+gzip',
    rows: rows.map((row) => ({ ...row, ratioToJsSipPlusLit: Number(ratio(row.bytes)) })),
    overheadOverJsSipPlusLit: widgets - (jssip + lit),
  },
};

console.log('| size (min+gzip) | bytes | ratio to JsSIP + Lit |');
console.log('|---|---:|---:|');
for (const row of rows) console.log(`| ${row.name} | ${row.bytes} | ${ratio(row.bytes)} |`);
console.log(`\nOur overhead over JsSIP + Lit: ${results.size.overheadOverJsSipPlusLit} bytes.`);
console.log('(Join latency, recovery, resource and scale figures come with the benchmark issue.)');

mkdirSync('bench', { recursive: true });
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
