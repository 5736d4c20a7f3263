#!/usr/bin/env node
/* global console, process, URL, Buffer -- a Node script (eslint.config.mjs gives browser globals here) */
// Takes docs/screenshots/vinteo-stats.png: the demo's <vinteo-stats> during a call with the local conference
// server, in Debian's Chromium (fake camera and microphone) driven through the DevTools protocol.
// Uses the demo at http://127.0.0.1:5173/ when `npm start` runs, otherwise starts it (and stops it after).
//   node scripts/screenshot.mjs [--out docs/screenshots/vinteo-stats.png] [--wait 8000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDemo, launchPage, sleep, waitFor } from './devtools.mjs';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/screenshots/vinteo-stats.png' },
    wait: { type: 'string', default: '8000' },
  },
});

const demo = await ensureDemo();
const chromium = await launchPage({ width: 1000, height: 1400 });
try {
  const { page } = chromium;
  await chromium.open(new URL('?autojoin', demo.url).href);
  await waitFor(page, `document.querySelector('vinteo-call')?.getAttribute('state') === 'in-call'`, 'the call');
  // Let the charts fill a few seconds of history.
  await sleep(Number(values.wait));
  await waitFor(page, `document.querySelector('vinteo-stats')?.hasAttribute('quality')`, 'the quality badge');
  // The balancer's line appears when it starts (10 s after the call is confirmed by default).
  await waitFor(page, `document.querySelector('vinteo-call').client.getSnapshot().balancer.state !== 'waiting'`, 'the balancer');
  await sleep(500);
  const box = await page.evaluate(`(() => {
    const el = document.querySelector('vinteo-stats');
    el.scrollIntoView({ block: 'start' });
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  })()`);
  const margin = 0;
  const { data } = await page.send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: Math.max(0, box.x - margin), y: Math.max(0, box.y - margin), width: box.width + 2 * margin, height: box.height + 2 * margin, scale: 1 },
  });
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, Buffer.from(data, 'base64'));
  console.log(`wrote ${values.out} (${Math.round(box.width)}×${Math.round(box.height)})`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await chromium.close();
  await demo.stop();
}
