#!/usr/bin/env node
/* global console, process, URL, Buffer -- a Node script (eslint.config.mjs gives browser globals here) */
// Takes the screenshots in docs/screenshots/ from the demo, in a call with the local conference server, in
// Debian's Chromium (fake camera and microphone) driven through the DevTools protocol:
//   vinteo-call.png, vinteo-presentation.png, vinteo-stats.png, vinteo-dialpad.png, vinteo-devices.png
//   (light theme, English), and vinteo-call-dark-ru.png, vinteo-stats-dark-ru.png (dark theme, Russian).
// Uses the demo at http://127.0.0.1:5173/ when `npm start` runs, otherwise starts it (and stops it after).
// Then run `npm run docs` so that docs/reference.md shows them.
//   node scripts/screenshot.mjs [--dir docs/screenshots] [--wait 8000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDemo, launchPage, sleep, waitFor } from './devtools.mjs';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'docs/screenshots' },
    wait: { type: 'string', default: '8000' },
  },
});

/** Captures one element (its border box) into `{dir}/{name}.png`. */
async function capture(page, selector, name) {
  const box = await page.evaluate(`(() => {
    // No scrollbar: capturing beyond the viewport would otherwise re-lay the page out without it.
    document.documentElement.style.overflow = 'hidden';
    const el = document.querySelector(${JSON.stringify(selector)});
    el.scrollIntoView({ block: 'start' });
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  })()`);
  await sleep(300);
  const { data } = await page.send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: Math.max(0, box.x), y: Math.max(0, box.y), width: Math.ceil(box.width), height: Math.ceil(box.height), scale: 1 },
  });
  const out = join(values.dir, `${name}.png`);
  writeFileSync(out, Buffer.from(data, 'base64'));
  console.log(`wrote ${out} (${Math.round(box.width)}×${Math.round(box.height)})`);
}

/** A slide drawn on a canvas, shared instead of a screen (headless Chromium has no screen to pick). */
const SHARE_A_SLIDE = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 720;
  const g = canvas.getContext('2d');
  let frame = 0;
  const draw = () => {
    frame += 1;
    g.fillStyle = '#f4f6fb'; g.fillRect(0, 0, 1280, 720);
    g.fillStyle = '#1a5fd0'; g.fillRect(0, 0, 1280, 110);
    g.fillStyle = '#ffffff'; g.font = 'bold 56px sans-serif'; g.fillText('Quarterly review', 60, 75);
    const bars = [320, 410, 380, 520, 600];
    bars.forEach((h, i) => { g.fillStyle = i === bars.length - 1 ? '#1a5fd0' : '#8aa4d6'; g.fillRect(140 + i * 210, 660 - h * 0.9, 140, h * 0.9); });
    g.fillStyle = '#1d2433'; g.font = '28px sans-serif'; g.fillText('Q1     Q2     Q3     Q4     Q5', 175, 700);
    g.fillStyle = frame % 2 ? '#1a5fd0' : '#f4f6fb'; g.fillRect(1240, 690, 12, 12);
  };
  draw();
  setInterval(draw, 200);
  const presentation = document.querySelector('vinteo-presentation');
  presentation.source = canvas.captureStream(5);
  await presentation.start();
})()`;

const demo = await ensureDemo();

// The first screen a visitor sees on a 1366×768 laptop: the lobby, above the fold.
const laptop = await launchPage({ width: 1366, height: 768 });
try {
  mkdirSync(values.dir, { recursive: true });
  await laptop.open(demo.url);
  await waitFor(laptop.page, `document.querySelector('vinteo-call')?.shadowRoot?.querySelector('[part~="lobby"]') !== null`, 'the lobby');
  await sleep(500);
  await capture(laptop.page, 'vinteo-call', 'vinteo-call-lobby');
  const joinBottom = await laptop.page.evaluate(`document.querySelector('vinteo-call').shadowRoot.querySelector('[part~="join-button"]').getBoundingClientRect().bottom`);
  console.log(`Join button bottom at 1366×768: ${Math.round(joinBottom)} px (viewport 768)`);
  if (!(joinBottom <= 768)) throw new Error(`the Join button is below the fold at 1366×768 (${joinBottom} px)`);
} finally {
  await laptop.close();
}

const chromium = await launchPage({ width: 1000, height: 1600 });
try {
  const { page } = chromium;
  mkdirSync(values.dir, { recursive: true });
  const inCall = `document.querySelector('vinteo-call')?.getAttribute('state') === 'in-call'`;

  // Light, English: every element.
  await chromium.open(new URL('?autojoin&open', demo.url).href);
  await waitFor(page, inCall, 'the call');
  await waitFor(page, `document.querySelector('vinteo-call').shadowRoot.querySelector('video.remote').videoWidth > 0`, 'the remote video');
  await sleep(1000);
  await capture(page, 'vinteo-call', 'vinteo-call');
  await page.evaluate(`document.querySelector('vinteo-dialpad').send('1000#')`);
  await capture(page, 'vinteo-dialpad', 'vinteo-dialpad');
  await waitFor(page, `document.querySelector('vinteo-devices').shadowRoot.querySelectorAll('option').length >= 3`, 'the device lists');
  await capture(page, 'vinteo-devices', 'vinteo-devices');
  // Let the charts fill a few seconds of history.
  await sleep(Number(values.wait));
  await waitFor(page, `document.querySelector('vinteo-stats')?.hasAttribute('quality')`, 'the quality badge');
  // The balancer's line appears when it starts (10 s after the call is confirmed by default).
  await waitFor(page, `document.querySelector('vinteo-call').client.getSnapshot().balancer.state !== 'waiting'`, 'the balancer');
  await sleep(500);
  await capture(page, 'vinteo-stats', 'vinteo-stats');
  await page.evaluate(SHARE_A_SLIDE);
  await waitFor(page, `document.querySelector('vinteo-presentation').getAttribute('state') === 'active'`, 'the presentation');
  await waitFor(page, `document.querySelector('vinteo-presentation').shadowRoot.querySelector('video.preview').videoWidth > 0`, 'the preview');
  await sleep(1000);
  await capture(page, 'vinteo-presentation', 'vinteo-presentation');

  // Dark, Russian: the call and the stats.
  await chromium.open(new URL('?autojoin&theme=dark&lang=ru', demo.url).href);
  await waitFor(page, inCall, 'the call (dark)');
  await waitFor(page, `document.querySelector('vinteo-call').shadowRoot.querySelector('video.remote').videoWidth > 0`, 'the remote video (dark)');
  await sleep(Number(values.wait));
  await waitFor(page, `document.querySelector('vinteo-stats')?.hasAttribute('quality')`, 'the quality badge (dark)');
  await capture(page, 'vinteo-call', 'vinteo-call-dark-ru');
  await capture(page, 'vinteo-stats', 'vinteo-stats-dark-ru');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await chromium.close();
  await demo.stop();
}
