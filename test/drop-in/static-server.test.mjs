// demo/cms.html from a plain static server (scripts/serve-static.mjs) sending the strict CSP header, in
// Chromium: the page renders, loads the SIP chunk from next to the script, joins a call on the local
// conference server, and no CSP violation fires.
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchPage, waitFor } from '../../scripts/devtools.mjs';
import { serveStatic } from '../../scripts/serve-static.mjs';
import { STRICT_CSP } from '../../scripts/csp-policy.mjs';

/** Runs in the page before its own scripts (DevTools-injected scripts are not subject to the page's CSP). */
const RECORDER = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.__errors = [];
  window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
`;

test('demo/cms.html from a plain static server with the strict CSP header renders and joins', async () => {
  assert.ok(existsSync('dist/vinteo-widgets.js') && existsSync('dist/server/index.js'), 'run npm run build first');
  const { startDevServer } = await import('../../dist/server/index.js');
  const conference = await startDevServer({ port: 0, controlPort: 0 });
  const files = await serveStatic({ port: 0 });
  const chromium = await launchPage({ width: 900, height: 800 });
  try {
    const response = await fetch(`${files.url}demo/cms.html`);
    assert.equal(response.headers.get('content-security-policy'), STRICT_CSP);
    // The loader and the chunks it imports from next to itself (modules: they must be served as JavaScript).
    for (const file of ['vinteo-widgets.js', 'vinteo-widgets-sip.js', 'vinteo-widgets-panels.js']) {
      const script = await fetch(`${files.url}dist/${file}`);
      assert.equal(script.status, 200, file);
      assert.match(script.headers.get('content-type'), /javascript/, file);
    }

    const { page } = chromium;
    await page.send('Page.addScriptToEvaluateOnNewDocument', { source: RECORDER });
    await chromium.open(`${files.url}demo/cms.html`);
    await waitFor(page, `customElements.get('vinteo-call') && document.querySelector('vinteo-call').shadowRoot?.querySelector('[part~="join-button"]')`, 'the element');
    const label = await page.evaluate(`document.querySelector('vinteo-call').shadowRoot.querySelector('[part~="join-button"]').textContent.trim()`);
    assert.equal(label, 'Войти');
    // cms.html points at the default port 8089; this run's server is elsewhere.
    await page.evaluate(`(() => {
      const call = document.querySelector('vinteo-call');
      call.setAttribute('ws-url', ${JSON.stringify(conference.wsUrl)});
      return call.updateComplete.then(() => call.shadowRoot.querySelector('[part~="join-button"]').click());
    })()`);
    await waitFor(page, `document.querySelector('vinteo-call').getAttribute('state') === 'in-call'`, 'the call', 20_000);
    await waitFor(page, `document.querySelector('vinteo-call').shadowRoot.querySelector('video.remote').videoWidth > 0`, 'the remote video', 20_000);
    const sip = await page.evaluate(`performance.getEntriesByType('resource').map((e) => e.name).filter((name) => name.includes('vinteo-widgets-sip.js'))`);
    assert.deepEqual(sip, [`${files.url}dist/vinteo-widgets-sip.js`], 'the SIP chunk, from next to the script');
    assert.deepEqual(await page.evaluate('window.__violations'), []);
    assert.deepEqual(await page.evaluate('window.__errors'), []);
  } finally {
    await chromium.close();
    await files.close();
    await conference.close();
  }
});
