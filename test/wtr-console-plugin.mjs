// Web Test Runner plugin: drives the local server's moderator console (server/control/console-*.ts) in
// a real browser tab, for the tests that need a moderator's click. The console is on the control
// port, another origin than the test page, so the test asks the runner, which opens the tab with the
// launcher's puppeteer (Chromium over CDP, Firefox over WebDriver BiDi: only puppeteer's generic page API):
//   executeServerCommand('console-admit', { controlUrl, callId })
// opens `controlUrl` in a new tab of the test's browser, waits for that call's row to show its Admit
// button, clicks it, waits for the console to report the result and closes the tab. Resolves
// `{ ok: true, status }` (`status`: the console's status line) or throws with what went wrong.

/* global document -- the functions given to page.waitForFunction run in the console tab */

/** How long the console may take to list the call and to answer the click (below the runner's 20 s per command). */
const STEP_TIMEOUT_MS = 8000;

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function consolePlugin() {
  return {
    name: 'vinteo-console',
    async executeCommand({ command, payload, session }) {
      if (command !== 'console-admit') return undefined;
      const { controlUrl, callId } = payload ?? {};
      if (typeof controlUrl !== 'string' || typeof callId !== 'string') throw new Error('console-admit needs { controlUrl, callId }');
      if (session.browser.type !== 'puppeteer' || typeof session.browser.getPage !== 'function') {
        throw new Error(`console-admit needs the puppeteer launcher (web-test-runner.config.mjs), not ${session.browser.type}`);
      }
      const testPage = session.browser.getPage(session.id);
      const page = await testPage.browser().newPage();
      try {
        const url = new URL(controlUrl);
        url.pathname = '/';
        await page.goto(url.href, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
        // The row of the call (its `th` names the call id), and its visible Admit button: shown while the call waits.
        const button = await page.waitForFunction(
          (id) => {
            const row = [...document.querySelectorAll('tr')].find((tr) => tr.querySelector('th[scope="row"]')?.textContent === id);
            return [...(row?.querySelectorAll('button') ?? [])].find((b) => !b.hidden && !b.closest('[hidden]') && b.textContent?.startsWith('Admit /')) ?? false;
          },
          { timeout: STEP_TIMEOUT_MS, polling: 100 },
          callId,
        );
        await button.asElement().click();
        // The console says `Admit / Впустить (id): OK` (or the error) in its status line once the API answered.
        const status = await page.waitForFunction(
          (id) => [...document.querySelectorAll('[role="status"], [aria-live]')].map((el) => el.textContent ?? '').find((text) => text.includes(`Admit / Впустить (${id}):`)) ?? false,
          { timeout: STEP_TIMEOUT_MS, polling: 100 },
          callId,
        );
        const text = await status.jsonValue();
        if (!text.includes(': OK')) throw new Error(`the console's Admit failed: ${text}`);
        return { ok: true, status: text };
      } finally {
        await page.close();
        await testPage.bringToFront();
      }
    },
  };
}
