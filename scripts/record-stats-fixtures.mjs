#!/usr/bin/env node
/* global console, fetch, URL -- a Node script (eslint.config.mjs gives browser globals here) */
// Records real `RTCPeerConnection.getStats()` reports from a call of the demo against the local conference
// server, as the stats parser's test fixtures (test/fixtures/stats/*.json). Uses the running demo
// (`npm start`) or starts it. Run again after a Chromium upgrade: `node scripts/record-stats-fixtures.mjs`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CHROMIUM, ensureDemo, launchPage, sleep, waitFor } from './devtools.mjs';

const OUT = 'test/fixtures/stats';

/** Every entry of the call's current report, as plain JSON. */
const REPORT = `(async () => {
  const pc = document.querySelector('vinteo-call').client.peerConnection;
  return [...(await pc.getStats()).values()].map((entry) => JSON.parse(JSON.stringify(entry)));
})()`;

async function reports(page, count, gapMs) {
  const taken = [];
  for (let i = 0; i < count; i += 1) {
    if (i > 0) await sleep(gapMs);
    taken.push(await page.evaluate(REPORT));
  }
  return taken;
}

function save(name, scenario, taken) {
  const browser = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const file = `${OUT}/${name}.json`;
  writeFileSync(file, `${JSON.stringify({ browser, scenario, reports: taken }, null, 1)}\n`);
  console.log(`wrote ${file} (${taken.length} reports)`);
}

const demo = await ensureDemo();
const chromium = await launchPage();
try {
  mkdirSync(OUT, { recursive: true });
  const env = await (await fetch(new URL('/__vinteo/env', demo.url))).json();
  await chromium.open(`${demo.url}?autojoin`);
  await waitFor(chromium.page, `document.querySelector('vinteo-call')?.getAttribute('state') === 'in-call'`, 'the call');
  save('chromium-call-start', 'the first two reports, taken as the call is confirmed and 1 s later (counters near zero, fields still missing)', await reports(chromium.page, 2, 1000));

  await sleep(4000);
  save('chromium-call-steady', 'three reports 1 s apart, 6 s into an echoed call (VP8 640x480 from the fake camera)', await reports(chromium.page, 3, 1000));

  // The balancer starts 10 s after the call is confirmed; then the server pauses the camera.
  await waitFor(chromium.page, `document.querySelector('vinteo-call').client.getSnapshot().balancer.state === 'active'`, 'the balancer');
  const calls = await (await fetch(`${env.controlUrl}/api/calls`)).json();
  const call = calls.filter((c) => c.state === 'confirmed').at(-1);
  if (!call) throw new Error('the server lists no confirmed call');
  const answer = await fetch(`${env.controlUrl}/api/calls/${call.id}/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command: 'pause-camera' }),
  });
  if (!answer.ok) throw new Error(`pause-camera answered ${answer.status}`);
  await waitFor(
    chromium.page,
    `document.querySelector('vinteo-call').client.getSnapshot().balancer.parameters?.scaleResolutionDownBy === 200`,
    'the paused camera',
  );
  await sleep(3000);
  save('chromium-call-paused', 'two reports 1 s apart, 3 s after PAUSEMAINCAM (scaleResolutionDownBy 200, maxBitrate 60000)', await reports(chromium.page, 2, 1000));
} finally {
  await chromium.close();
  await demo.stop();
}
