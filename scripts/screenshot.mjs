#!/usr/bin/env node
/* global console, process, URL, Buffer, fetch -- a Node script (eslint.config.mjs gives browser globals here) */
// Takes the screenshots in docs/screenshots/ from the demo, in a call with the local conference server, in
// Debian's Chromium (fake camera and microphone) driven through the DevTools protocol:
//   vinteo-call-lobby.png (the lobby at 1366×768: it fails if Join is below the fold),
//   vinteo-call.png, vinteo-presentation.png, vinteo-stats.png, vinteo-dialpad.png, vinteo-devices.png
//   (light theme, English), vinteo-call-dark-ru.png, vinteo-stats-dark-ru.png (dark theme, Russian), and the
//   call's states (light, English): vinteo-call-muted.png (microphone and camera turned off with the call's
//   buttons), vinteo-call-reconnecting.png (the server drops the WebSocket through its control API while the
//   page is offline, so the retries fail), vinteo-call-error.png (the server refuses the INVITE with 404
//   through its control API; "Details" opened) and vinteo-call-phone.png (in a call at 375×812).
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

/** The local conference server's control API (README "Control API"): POSTs `body` as JSON to `path`. */
async function control(controlUrl, path, body = undefined) {
  const response = await fetch(`${controlUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control API ${path}: HTTP ${response.status}`);
  return response.json();
}

/** An expression for the first element of `<vinteo-call>`'s shadow root with this part. */
const callPart = (part) => `document.querySelector('vinteo-call').shadowRoot.querySelector('[part~="${part}"]')`;

/** The browser's network on or off (DevTools network emulation): offline, no new WebSocket gets through. */
async function setOffline(page, offline) {
  await page.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
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
/** The local conference server's URLs, as the demo page gets them. */
const env = await (await fetch(new URL('/__vinteo/env', demo.url))).json();

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
  // The element as its docs show it, with its Share button (the demo hides it: the call's bar has one).
  await page.evaluate(`document.head.insertAdjacentHTML('beforeend', '<style>vinteo-presentation::part(share-button) { display: inline-flex !important; }</style>')`);
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

  // The call's states (light, English). Muted: the call's own Microphone and Camera buttons.
  await chromium.open(new URL('?autojoin', demo.url).href);
  await waitFor(page, inCall, 'the call (muted)');
  await waitFor(page, `${callPart('remote-video')}.videoWidth > 0`, 'the remote video (muted)');
  await page.evaluate(`${callPart('controls')}.querySelector('[part~="microphone-button"]').click()`);
  await page.evaluate(`${callPart('controls')}.querySelector('[part~="camera-button"]').click()`);
  await waitFor(
    page,
    `${callPart('controls')}.querySelector('[part~="microphone-button"]').getAttribute('aria-pressed') === 'false' &&
      ${callPart('controls')}.querySelector('[part~="camera-button"]').getAttribute('aria-pressed') === 'false' &&
      ${callPart('camera-off-tile')} !== null`,
    'the microphone and camera off, and the camera-off tile',
  );
  await sleep(1000);
  await capture(page, 'vinteo-call', 'vinteo-call-muted');

  // Reconnecting: the server drops the WebSocket (control API) while the browser is offline (DevTools
  // network emulation), so each attempt fails and the overlay stays over the last frame; then back online.
  await chromium.open(new URL('?autojoin', demo.url).href);
  await waitFor(page, inCall, 'the call (reconnecting)');
  await waitFor(page, `${callPart('remote-video')}.videoWidth > 0`, 'the remote video (reconnecting)');
  await sleep(1000);
  await page.send('Network.enable');
  await setOffline(page, true);
  try {
    const { dropped } = await control(env.controlUrl, '/api/connections/drop');
    if (!(dropped > 0)) throw new Error('the server had no WebSocket to drop');
    await waitFor(
      page,
      `document.querySelector('vinteo-call').getAttribute('state') === 'reconnecting' &&
        document.querySelector('vinteo-call').client.getSnapshot().reconnect?.attempt >= 2 && ${callPart('reconnecting')} !== null`,
      'the reconnecting overlay (attempt 2)',
    );
    await sleep(300);
    await capture(page, 'vinteo-call', 'vinteo-call-reconnecting');
  } finally {
    await setOffline(page, false);
  }
  await waitFor(page, inCall, 'the call back after reconnecting', 60_000);

  // An error: the server refuses the next INVITE with 404 (control API); "Details" opened.
  await control(env.controlUrl, '/api/calls/reject-next', { count: 1, status: 404 });
  await chromium.open(new URL('?autojoin', demo.url).href);
  await waitFor(page, `document.querySelector('vinteo-call')?.getAttribute('state') === 'failed' && ${callPart('error-details')} !== null`, 'the error');
  await page.evaluate(`${callPart('error-details')}.open = true`);
  await sleep(500);
  await capture(page, 'vinteo-call', 'vinteo-call-error');

  // Phone width: in a call at 375×812 (the element fits its container), at a phone's 2 device pixels per CSS pixel.
  const phone = await launchPage({ width: 375, height: 812 });
  try {
    await phone.page.send('Emulation.setDeviceMetricsOverride', { width: 375, height: 812, deviceScaleFactor: 2, mobile: true });
    await phone.open(new URL('?autojoin', demo.url).href);
    await waitFor(phone.page, inCall, 'the call (phone)');
    await waitFor(phone.page, `${callPart('remote-video')}.videoWidth > 0`, 'the remote video (phone)');
    await sleep(1000);
    await capture(phone.page, 'vinteo-call', 'vinteo-call-phone');
  } finally {
    await phone.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await chromium.close();
  await demo.stop();
}
