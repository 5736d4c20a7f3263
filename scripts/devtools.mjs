/* global process, console, setTimeout, clearTimeout, fetch, URL, AbortSignal -- Node scripts (eslint.config.mjs gives browser globals here) */
// Shared by the scripts in this folder: Debian's Chromium driven through the DevTools protocol (the `ws`
// package; no puppeteer), and the demo (`node demo/start.mjs`) started on demand.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
export const DEMO_URL = process.env.VINTEO_DEMO_URL || 'http://127.0.0.1:5173/';

/** The flags the tests use: fake camera and microphone, loopback WebRTC, a quiet network. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
];

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** Firefox's equivalents of the flags above (the tests' Firefox, driven over WebDriver BiDi). */
export const FIREFOX_PREFS = {
  // Fake camera and microphone, no permission prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // getDisplayMedia on (headless Firefox has no screen to share all the same: NotFoundError).
  'media.getdisplaymedia.enabled': true,
  // WebRTC on loopback: host candidates on 127.0.0.1.
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.no_host': false,
  'media.peerconnection.ice.default_address_only': false,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Media plays without a gesture.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // A mock audio output: with no sound device (a headless machine) an AudioContext never leaves 'suspended',
  // so Web Audio (the lobby's microphone level) would hear nothing. Chromium headless has a fake output built in.
  'media.cubeb.force_mock_context': true,
  // prefers-color-scheme: light, whatever the system says (WebDriver BiDi has no way to emulate it).
  'layout.css.prefers-color-scheme.content-override': 1,
  // A failed WebSocket connect to a host and port delays the next one to them, longer each time (from 0.2 s,
  // growing by half, up to 60 s; forgotten a minute after the last failure). The tests connect to the same
  // closed port again and again (a dead server, test by test), which would add up to tens of seconds and
  // time a test out; a visitor's browser keeps it, and a connect then fails by the client's timeout.
  'network.websocket.delay-failed-reconnects': false,
  // A quiet network.
  'network.http.http3.enable': false,
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `url` answers 2xx, within `timeoutMs`. */
async function reachable(url, timeoutMs = 1000) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Uses the demo at DEMO_URL when it already runs (`npm start`), otherwise starts `node demo/start.mjs`
 * and waits for the URL it prints. `stop()` ends only the process started here.
 */
export async function ensureDemo() {
  if (await reachable(new URL('/__vinteo/env', DEMO_URL).href)) {
    console.log(`Using the running demo at ${DEMO_URL}`);
    return { url: DEMO_URL, stop: async () => {} };
  }
  console.log('Starting the demo (node demo/start.mjs)…');
  const child = spawn(process.execPath, ['demo/start.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the demo did not start in 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Demo:\s+(http\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with code ${code}:\n${output}`));
    });
  });
  child.stdout.resume();
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * One DevTools-protocol connection: `send(method, params, sessionId?)` and `on(event, listener,
 * sessionId?)` (a browser-level connection with flattened sessions reaches many pages; a page's own
 * connection needs no session id). Pending commands reject when the connection closes.
 */
export class DevToolsConnection {
  #socket;
  #nextId = 1;
  #pending = new Map();
  #listeners = new Map();

  constructor(socket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (!pending) return;
        if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
        else pending.resolve(message.result);
        return;
      }
      const key = `${message.sessionId ?? ''}|${message.method}`;
      for (const listener of [...(this.#listeners.get(key) ?? [])]) listener(message.params);
    });
    socket.on('close', () => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`${pending.method}: the browser connection closed`));
      this.#pending.clear();
    });
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.#nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#socket.send(JSON.stringify(message), (error) => {
        if (error) {
          this.#pending.delete(id);
          reject(error);
        }
      });
    });
  }

  /** Returns a function that removes the listener. */
  on(method, listener, sessionId = undefined) {
    const key = `${sessionId ?? ''}|${method}`;
    const set = this.#listeners.get(key) ?? new Set();
    set.add(listener);
    this.#listeners.set(key, set);
    return () => set.delete(listener);
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  close() {
    try {
      this.#socket.close();
    } catch {
      // gone
    }
  }
}

/**
 * Starts Chromium (the tests' flags plus `args`) with a fresh profile and a DevTools port; resolves
 * with the process, the profile folder and the browser's DevTools URL once Chromium listens. On
 * failure the process is killed and the profile removed. `detached` puts Chromium in its own process
 * group (so that a caller can end it with all its helpers).
 */
export async function startChromium({ args = [], width = 1280, height = 1000, detached = false, prefix = 'vinteo-chromium-' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), prefix));
  const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, ...args, '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached,
  });
  try {
    const browserUrl = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port:\n${output.slice(-2000)}`)), 30_000);
      child.stderr.on('data', (chunk) => {
        output += chunk;
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Chromium could not start (${CHROMIUM}): ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited with code ${code}:\n${output.slice(-2000)}`));
      });
    });
    child.stderr.resume();
    return { child, profile, browserUrl };
  } catch (error) {
    try {
      if (detached) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // gone
    }
    removeProfile(profile);
    throw error;
  }
}

/** Removes a Chromium profile; its helper processes may still write for a moment, so it retries and never throws. */
export function removeProfile(profile) {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.warn(`could not remove the Chromium profile ${profile}: ${error.message}`);
  }
}

/**
 * Starts Chromium with a fresh profile and opens one page; returns the page's DevTools session and
 * `close()`, which ends the browser (the process started here) and removes the profile.
 */
export async function launchPage({ width = 1280, height = 1000 } = {}) {
  const { child: browser, profile, browserUrl } = await startChromium({ width, height });
  const { port } = new URL(browserUrl);
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const pageTarget = targets.find((target) => target.type === 'page');
  if (!pageTarget) throw new Error('Chromium opened no page');
  const socket = new WebSocket(pageTarget.webSocketDebuggerUrl, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const page = new DevToolsConnection(socket);
  await page.send('Page.enable');
  await page.send('Runtime.enable');
  await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  page.on('Runtime.exceptionThrown', ({ exceptionDetails }) => {
    console.warn(`page error: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  });
  return {
    page,
    /** Navigates and waits for the load event. */
    async open(url) {
      const loaded = new Promise((resolve) => page.on('Page.loadEventFired', resolve));
      await page.send('Page.navigate', { url });
      await loaded;
    },
    async close() {
      page.close();
      if (browser.exitCode === null) {
        const exited = new Promise((resolve) => browser.once('exit', resolve));
        browser.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (browser.exitCode === null) browser.kill('SIGKILL');
      }
      removeProfile(profile);
    },
  };
}

/** Polls `expression` in the page until it is truthy. */
export async function waitFor(page, expression, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
