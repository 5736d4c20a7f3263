// Debian's Chromium for the benchmarks, driven through the DevTools protocol with the `ws` package
// (no puppeteer). One browser-level connection with flattened sessions, so that one browser holds
// many pages (the scale figure). The flags are scripts/devtools.mjs's (the tests' flags) plus a few
// that keep pages that are not in front from being throttled.
import WebSocket from 'ws';
import { CHROMIUM, DevToolsConnection, removeProfile, startChromium } from '../../scripts/devtools.mjs';

export { CHROMIUM };

const EXTRA_FLAGS = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--mute-audio',
  // The local server's TLS port (the `server` attribute path) has a certificate made at start.
  '--ignore-certificate-errors',
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with `what` unless `promise` settles first. */
export function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

class Page {
  constructor(browser, targetId, sessionId) {
    this.browser = browser;
    this.targetId = targetId;
    this.sessionId = sessionId;
    this.closed = false;
  }

  send(method, params = {}) {
    return this.browser.send(method, params, this.sessionId);
  }

  on(method, listener) {
    return this.browser.on(method, listener, this.sessionId);
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  async evaluate(expression, timeoutMs = 60_000) {
    const { result, exceptionDetails } = await within(
      this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }),
      timeoutMs,
      `page: ${expression.slice(0, 80)}`,
    );
    if (exceptionDetails) throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  /** Navigates and waits for the load event. */
  async open(url, timeoutMs = 30_000) {
    const loaded = new Promise((resolve) => {
      const off = this.on('Page.loadEventFired', () => {
        off();
        resolve();
      });
    });
    const { errorText } = await this.send('Page.navigate', { url });
    if (errorText) throw new Error(`navigation to ${url} failed: ${errorText}`);
    await within(loaded, timeoutMs, `load of ${url}`);
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.browser.send('Target.closeTarget', { targetId: this.targetId }).catch(() => undefined);
  }
}

export class Browser {
  #connection;

  constructor(child, socket, profile) {
    this.child = child;
    this.profile = profile;
    this.#connection = new DevToolsConnection(socket);
    this.warnings = [];
  }

  /** Starts Chromium with a fresh profile; `close()` ends it and removes the profile. */
  static async launch({ width = 1280, height = 900 } = {}) {
    // Its own process group, so that close() (and the runner's exit handler) reach every child.
    const { child, profile, browserUrl } = await startChromium({ args: EXTRA_FLAGS, width, height, detached: true, prefix: 'vinteo-bench-chromium-' });
    // Killed (the whole group) by close() or, failing that, by the runner's exit handler.
    Browser.live.add(child);
    try {
      const socket = new WebSocket(browserUrl, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const browser = new Browser(child, socket, profile);
      browser.size = { width, height };
      return browser;
    } catch (error) {
      killGroup(child);
      Browser.live.delete(child);
      removeProfile(profile);
      throw error;
    }
  }

  send(method, params = {}, sessionId = undefined) {
    return this.#connection.send(method, params, sessionId);
  }

  on(method, listener, sessionId = undefined) {
    return this.#connection.on(method, listener, sessionId);
  }

  /** A new page (tab) with Page and Runtime enabled. */
  async newPage() {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank', newWindow: true });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, targetId, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Emulation.setDeviceMetricsOverride', { width: this.size.width, height: this.size.height, deviceScaleFactor: 1, mobile: false });
    page.on('Runtime.exceptionThrown', ({ exceptionDetails }) => {
      this.warnings.push(`page error: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`.slice(0, 500));
    });
    return page;
  }

  async close() {
    this.#connection.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      killGroup(this.child, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    // Always the whole group at the end: the browser process may be gone while its children are not.
    killGroup(this.child, 'SIGKILL');
    Browser.live.delete(this.child);
    await sleep(100);
    removeProfile(this.profile);
  }
}

/** Every Chromium this process started and that still runs (killed by the runner's exit handler). */
Browser.live = new Set();

export function killGroup(child, signal = 'SIGKILL') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}
