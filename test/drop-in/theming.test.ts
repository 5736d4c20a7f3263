// Theming: the design tokens (light, dark by attribute or by the system setting, page overrides), the
// documented ::part names against what the elements render, and exportparts through nested shadow trees.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { part } from '../helpers/dom.js';
import { LOOKS, SCENARIOS, WS } from './scenarios.js';

const LIGHT_BACKGROUND = 'rgb(255, 255, 255)';
const DARK_BACKGROUND = 'rgb(22, 26, 34)';

interface Manifest {
  modules: Array<{ declarations?: Array<{ tagName?: string; customElement?: boolean; cssParts?: Array<{ name: string }>; cssProperties?: Array<{ name: string }> }> }>;
}

async function manifestParts(): Promise<Map<string, Set<string>>> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
  const parts = new Map<string, Set<string>>();
  for (const mod of manifest.modules) {
    for (const declaration of mod.declarations ?? []) {
      if (declaration.customElement && declaration.tagName) parts.set(declaration.tagName, new Set((declaration.cssParts ?? []).map((p) => p.name)));
    }
  }
  return parts;
}

/** Parts that only a real call shows (stats, the balancer, an unsupported speaker): see live.test.ts. */
const LIVE_ONLY: Record<string, readonly string[]> = {
  'vinteo-stats': ['streams', 'streams-caption', 'stream-row', 'connection', 'balancer'],
  'vinteo-devices': ['speaker-hint'],
};

describe('drop-in: theming', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  async function call(): Promise<VinteoCall> {
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000"></vinteo-call>`);
    await el.updateComplete;
    return el;
  }

  it('light by default, dark with theme="dark"', async () => {
    const el = await call();
    expect(getComputedStyle(el).backgroundColor).to.equal(LIGHT_BACKGROUND);
    expect(getComputedStyle(el).colorScheme).to.equal('light');
    el.setAttribute('theme', 'dark');
    expect(getComputedStyle(el).backgroundColor).to.equal(DARK_BACKGROUND);
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
    // The buttons follow.
    expect(getComputedStyle(part(el, 'microphone-button')!).color).to.equal('rgb(232, 235, 241)');
  });

  it('follows prefers-color-scheme unless theme="light" says otherwise', async function () {
    // Firefox here is driven over WebDriver BiDi, which has no media-feature emulation (puppeteer's
    // emulateMediaFeatures is CDP only): the system's dark setting cannot be faked, so Chromium alone tests this.
    if (navigator.userAgent.includes('Firefox/')) this.skip();
    const el = await call();
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(el).backgroundColor).to.equal(DARK_BACKGROUND);
    el.setAttribute('theme', 'light');
    expect(getComputedStyle(el).backgroundColor).to.equal(LIGHT_BACKGROUND);
    el.removeAttribute('theme');
    await emulateMedia({ colorScheme: 'light' });
    expect(getComputedStyle(el).backgroundColor).to.equal(LIGHT_BACKGROUND);
  });

  it('--vinteo-* tokens set by the page win in both themes, inherited from an ancestor', async () => {
    const holder = await fixture<HTMLDivElement>(
      html`<div style="--vinteo-color-background: rgb(1, 2, 3); --vinteo-radius: 3px; --vinteo-font-family: monospace">
        <vinteo-call ws-url=${WS} conference="1000"></vinteo-call>
      </div>`,
    );
    const el = holder.querySelector('vinteo-call')!;
    await el.updateComplete;
    for (const theme of ['light', 'dark']) {
      el.setAttribute('theme', theme);
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(part(el, 'join-button')!).borderTopLeftRadius).to.equal('3px');
      expect(getComputedStyle(el).fontFamily).to.equal('monospace');
    }
  });

  it('every rendered part is documented in custom-elements.json, and every documented part is rendered in some state', async () => {
    const documented = await manifestParts();
    const rendered = new Map<string, Set<string>>();
    for (const scenario of SCENARIOS) {
      const { root } = await scenario.mount(LOOKS[0]!);
      for (const el of root.querySelectorAll('*')) {
        if (!el.shadowRoot || !documented.has(el.localName)) continue;
        const names = rendered.get(el.localName) ?? new Set<string>();
        for (const node of el.shadowRoot.querySelectorAll('[part]')) for (const name of node.getAttribute('part')!.split(/\s+/)) names.add(name);
        rendered.set(el.localName, names);
      }
    }
    for (const [tag, names] of rendered) {
      const known = documented.get(tag)!;
      expect([...names].filter((name) => !known.has(name)), `undocumented parts of <${tag}>`).to.deep.equal([]);
      const missing = [...known].filter((name) => !names.has(name) && !(LIVE_ONLY[tag] ?? []).includes(name));
      expect(missing, `documented parts of <${tag}> never rendered`).to.deep.equal([]);
    }
    for (const tag of ['vinteo-call', 'vinteo-presentation', 'vinteo-stats', 'vinteo-dialpad', 'vinteo-devices']) expect(rendered.has(tag), tag).to.equal(true);
  });

  it('parts reach through nested shadow trees with exportparts', async () => {
    if (!customElements.get('test-call-card')) {
      customElements.define(
        'test-call-card',
        class extends HTMLElement {
          constructor() {
            super();
            const root = this.attachShadow({ mode: 'open' });
            root.innerHTML = `<vinteo-call ws-url="${WS}" conference="1000" exportparts="join-button: call-join, status"></vinteo-call>`;
          }
        },
      );
    }
    const holder = await fixture<HTMLDivElement>(html`<div>
      <style>
        test-call-card::part(call-join) { background-color: rgb(1, 2, 3); }
        test-call-card::part(status) { color: rgb(4, 5, 6); }
      </style>
      <test-call-card></test-call-card>
    </div>`);
    const inner = holder.querySelector('test-call-card')!.shadowRoot!.querySelector('vinteo-call')!;
    await inner.updateComplete;
    expect(getComputedStyle(part(inner, 'join-button')!).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(part(inner, 'status')!).color).to.equal('rgb(4, 5, 6)');
  });
});
