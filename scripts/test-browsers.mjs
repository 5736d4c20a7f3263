/* global process, console, URL -- Node script (eslint.config.mjs gives browser globals here) */
// npm test's last step: Web Test Runner once per browser (web-test-runner.config.mjs reads VINTEO_BROWSER), each
// with its own conference server and Kamailio on free ports, in parallel. Each line is prefixed with the browser's
// name; the exit code is non-zero when either run fails. Arguments go to both runs (e.g. --files 'src/**/*.test.ts').
//   VINTEO_BROWSERS=firefox npm test      one browser only (default: chromium,firefox)
//   VINTEO_SERIAL=1                       one browser after the other
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const browsers = (process.env.VINTEO_BROWSERS || 'chromium,firefox').split(',').map((name) => name.trim()).filter(Boolean);
const serial = process.env.VINTEO_SERIAL === '1';
const args = process.argv.slice(2);
const wtr = new URL('../node_modules/@web/test-runner/dist/bin.js', import.meta.url).pathname;

/** Runs wtr for `browser`; resolves with its exit code and the time it took. */
function run(browser) {
  const started = Date.now();
  const child = spawn(process.execPath, [wtr, ...args], {
    env: { ...process.env, VINTEO_BROWSER: browser },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${browser}] `;
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ browser, code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

let results;
if (serial) {
  results = [];
  for (const browser of browsers) results.push(await run(browser));
} else {
  results = await Promise.all(browsers.map(run));
}
for (const { browser, code, seconds } of results) {
  console.log(`${browser}: ${code === 0 ? 'passed' : `failed (exit code ${code})`} in ${seconds} s`);
}
process.exitCode = results.every(({ code }) => code === 0) ? 0 : 1;
