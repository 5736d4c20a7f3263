// The classic-script bundle (dist/vinteo-widgets.js) and the ESM build dropped into plain pages, as a CMS
// does: loaded twice, side by side, with no globals but one, no browser API touched while loading, and
// under a strict Content-Security-Policy with and without Trusted Types.
import { expect } from '@open-wc/testing';
import { addedGlobals, ELEMENT_NAMES, expectRendered, joinFromPage, openPage, optionalEnv, type DropInPage } from './helpers.js';

const page = (query: string): Promise<DropInPage> => openPage(`/__drop-in/page.html?${query}`);

function expectCleanRun(opened: DropInPage): void {
  expect(opened.probe.errors, 'uncaught errors').to.deep.equal([]);
  expect(opened.probe.violations, 'CSP violations').to.deep.equal([]);
}

function expectEachDefinedOnce(opened: DropInPage): void {
  const defines = opened.probe.defines.filter((name) => name.startsWith('vinteo-'));
  expect([...defines].sort()).to.deep.equal([...ELEMENT_NAMES].sort());
  for (const name of ELEMENT_NAMES) expect(opened.window.customElements.get(name), name).not.to.equal(undefined);
}

describe('drop-in: the script tag', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  it('adds exactly one global, VinteoWidgets, and touches no browser API while loading', async () => {
    opened = await page('scripts=bundle&elements=none');
    expectCleanRun(opened);
    expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
    expect(opened.probe.symbolMetadataAfter, 'Symbol.metadata left alone').to.equal(opened.probe.symbolMetadataBefore);
    // No sockets, media, storage, cookies, timers, listeners or DOM writes: only the six definitions.
    expect(opened.probe.importCalls).to.deep.equal([]);
    expectEachDefinedOnce(opened);
    const namespace = opened.window.VinteoWidgets!;
    expect(typeof namespace['VinteoClient']).to.equal('function');
    expect(namespace['VinteoCall']).to.equal(opened.window.customElements.get('vinteo-call'));
  });

  it('the ESM build adds no global of its own and touches no browser API while loading', async () => {
    opened = await page('scripts=esm&elements=none');
    expectCleanRun(opened);
    expect(opened.probe.importCalls).to.deep.equal([]);
    // Lit (the page's own copy, imported by the ESM build) keeps its documented interop globals.
    const lit = ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions', 'litPropertyMetadata'];
    expect(addedGlobals(opened.probe).filter((name) => !lit.includes(name))).to.deep.equal([]);
    expectEachDefinedOnce(opened);
  });

  it('loaded twice: nothing throws, each element is defined once, the second copy does nothing', async () => {
    opened = await page('scripts=bundle,bundle&elements=all');
    expectCleanRun(opened);
    expectEachDefinedOnce(opened);
    expect(addedGlobals(opened.probe)).to.deep.equal(['VinteoWidgets']);
    expect(opened.window.VinteoWidgets!['VinteoSession']).to.equal(opened.window.customElements.get('vinteo-session'));
    await expectRendered(opened.document);
  });

  for (const scripts of ['bundle,esm', 'esm,bundle-defer']) {
    it(`alongside the ESM build (${scripts.replace(',', ' then ')}): each element once, and they work together`, async () => {
      opened = await page(`scripts=${scripts}&elements=all`);
      expectCleanRun(opened);
      expectEachDefinedOnce(opened);
      await expectRendered(opened.document);
      const session = opened.document.querySelector('vinteo-session') as HTMLElement & { client: unknown };
      const call = opened.document.querySelector('vinteo-call') as HTMLElement & { client: unknown };
      expect(call.client).to.equal(session.client);
      for (const name of ['vinteo-dialpad', 'vinteo-devices', 'vinteo-stats', 'vinteo-presentation']) {
        expect((opened.document.querySelector(name) as HTMLElement & { client: unknown }).client, name).to.equal(session.client);
      }
    });
  }
});

describe('drop-in: strict Content-Security-Policy', () => {
  let opened: DropInPage | undefined;
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });

  const variants = [
    { name: 'strict CSP', query: 'csp=strict' },
    { name: "strict CSP with require-trusted-types-for 'script'", query: 'csp=strict&tt=1' },
    { name: 'strict CSP with Trusted Types limited to the lit-html policy', query: 'csp=strict&tt=lit-html' },
  ];
  for (const variant of variants) {
    it(`${variant.name}: every element renders and a call runs, with no violation`, async function () {
      const env = await optionalEnv();
      opened = await page(`${variant.query}&scripts=bundle&elements=all`);
      expect(opened.probe, 'the probe script ran (same-origin scripts are allowed)').not.to.equal(undefined);
      expectEachDefinedOnce(opened);
      await expectRendered(opened.document);
      if (env) await joinFromPage(opened, env);
      expectCleanRun(opened);
      if (!env) this.skip();
    });
  }

  it('the harness: the policy is enforced and the probe sees violations', async () => {
    opened = await page('csp=strict&tt=1&scripts=bundle&elements=none');
    const style = opened.document.createElement('style');
    style.textContent = 'body { color: red }';
    opened.document.head.append(style);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(opened.probe.violations.map((v) => v.directive)).to.include('style-src-elem');
    // Chromium names the type it wanted; Firefox reports a "sink type mismatch".
    expect(() => {
      opened!.document.body.innerHTML = '<b>not trusted</b>';
    }).to.throw(/TrustedHTML|Sink type mismatch/);
  });

  it('demo/cms.html, served with the strict CSP header, renders and joins', async function () {
    const env = await optionalEnv();
    opened = await openPage('/demo/cms.html');
    expect(opened.probe, 'the probe script ran').not.to.equal(undefined);
    await expectRendered(opened.document);
    const call = opened.document.querySelector('vinteo-call')!;
    // cms.html is in Russian.
    expect(call.shadowRoot!.querySelector('[part~="join-button"]')!.textContent!.trim()).to.equal('Войти');
    if (env) await joinFromPage(opened, env);
    expectCleanRun(opened);
    if (!env) this.skip();
  });
});
