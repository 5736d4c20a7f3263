// Every visible label and message in Russian and English, chosen by `lang`, and each one overridable by a
// `label-*` attribute or the `labels` property. Each element is rendered in each of its states (the
// scenarios of the accessibility test) in both languages.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoDialpad } from '../../components/vinteo-dialpad/VinteoDialpad.js';
import { LABEL_ATTRIBUTES, LABEL_KEYS, labelAttribute, labelsFor, type Labels } from '../../components/shared/i18n.js';
import { fakeTransport, syntheticMedia } from '../helpers/fake-transport.js';
import { part } from '../helpers/dom.js';
import { LOOKS, SCENARIOS, WS } from './scenarios.js';

/**
 * Not labels: names the tests give, device labels (also Chromium's fake devices'), codecs, candidate types; tag and attribute names in
 * messages (code); RTT, the acronym Russian uses too.
 */
const DATA_WORDS = new Set(
  'Ann Support Front camera Desk microphone Default speaker VP8 opus host relay srflx prflx UDP TCP server ws-url for id vinteo-session vinteo-call RTT'.split(' ').concat(
    // Device labels of Chromium's fake devices, which the lobby's device lists show ("Fake Default Audio Input", "fake_device_0").
    'Fake Audio Input fake device'.split(' '),
    // The camera-off tile's initials of "Ann".
    ['A'],
  ),
);

/** Every text node and accessible-name attribute under `root`, through shadow roots. */
function visibleTexts(root: Element): string[] {
  const out: string[] = [];
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent!.replace(/\s+/g, ' ').trim();
      if (text) out.push(text);
      return;
    }
    if (node instanceof Element) {
      if (node.localName === 'style' || node.localName === 'script') return;
      // The technical detail behind an error's Details disclosure is the error's own message (the event's), by design.
      if (node.parentElement?.matches('[part~="error-details"]') && node.localName !== 'summary') return;
      for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'aria-valuetext', 'aria-roledescription']) {
        const value = node.getAttribute(name);
        if (value) out.push(value);
      }
      if (node.shadowRoot) visit(node.shadowRoot);
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return out;
}

const latinWords = (text: string): string[] => (text.match(/[A-Za-z][A-Za-z-]+/g) ?? []).filter((word) => !DATA_WORDS.has(word));

/** The fixed parts of the English labels that differ from the Russian ones (placeholders cut out). */
const englishChunks = LABEL_KEYS.flatMap((key) => {
  const en = labelsFor('en')[key];
  if (en === labelsFor('ru')[key]) return [];
  return en.split(/\{\w+\}/).map((chunk) => chunk.trim()).filter((chunk) => chunk.length >= 4 && /[a-z]{3}/i.test(chunk));
});

describe('drop-in: languages', () => {
  it('both tables have every key, and every Russian label is Russian', () => {
    const ru = labelsFor('ru');
    const en = labelsFor('en');
    expect(Object.keys(ru).sort()).to.deep.equal(Object.keys(en).sort());
    for (const key of LABEL_KEYS) {
      expect(ru[key], key).to.match(/[а-яё]|^[\d\s,.:;/{}()×—-]*$/i);
      expect(en[key], key).not.to.match(/[а-яё]/i);
      // Placeholders are kept by translations.
      expect((ru[key].match(/\{\w+\}/g) ?? []).sort(), key).to.deep.equal((en[key].match(/\{\w+\}/g) ?? []).sort());
    }
  });

  it('label attributes are the keys in kebab case, one each', () => {
    expect(labelAttribute('statusInCall')).to.equal('label-status-in-call');
    expect(labelAttribute('join')).to.equal('label-join');
    expect(new Set(LABEL_ATTRIBUTES).size).to.equal(LABEL_KEYS.length);
  });

  for (const scenario of SCENARIOS) {
    it(`<${scenario.element}> ${scenario.state}: English and Russian renders, nothing of the other language`, async () => {
      for (const look of LOOKS) {
        const { root } = await scenario.mount(look);
        const texts = visibleTexts(root);
        expect(texts.length, 'rendered text').to.be.greaterThan(0);
        if (look.lang === 'en') {
          expect(texts.filter((t) => /[а-яё]/i.test(t)), 'Russian in the English render').to.deep.equal([]);
        } else {
          expect(texts.some((t) => /[а-яё]/i.test(t)), 'Russian text').to.equal(true);
          const english = texts.filter((t) => englishChunks.some((chunk) => t.includes(chunk)) || latinWords(t).length > 0);
          expect(english, 'English in the Russian render').to.deep.equal([]);
        }
      }
    });

    it(`<${scenario.element}> ${scenario.state}: every text comes from an overridable label`, async () => {
      const { root } = await scenario.mount(LOOKS[0]!);
      const marked = Object.fromEntries(LABEL_KEYS.map((key) => [key, `«${key}»`])) as unknown as Labels;
      for (const el of root.querySelectorAll<HTMLElement & { labels?: Partial<Labels>; updateComplete?: Promise<unknown> }>('*')) {
        if (!el.localName.startsWith('vinteo-') || el.localName === 'vinteo-session') continue;
        el.labels = marked;
        await el.updateComplete;
      }
      const leftovers = visibleTexts(root)
        .map((text) => text.replace(/«\w+»/g, ''))
        .flatMap((text) => (text.match(/[\p{L}][\p{L}-]*/gu) ?? []).filter((word) => !DATA_WORDS.has(word)));
      expect(leftovers, 'words not from a label').to.deep.equal([]);
    });
  }

  it('label-* attributes and the labels property override, the property winning; removing them restores', async () => {
    const transport = fakeTransport();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}></vinteo-call>`,
    );
    const join = (): string => part(el, 'join-button')!.textContent!.trim();
    expect(join()).to.equal('Join');
    el.setAttribute('label-join', 'Подключиться');
    await el.updateComplete;
    expect(join()).to.equal('Подключиться');
    el.labels = { join: 'Enter the room' };
    await el.updateComplete;
    expect(join()).to.equal('Enter the room');
    el.labels = undefined;
    await el.updateComplete;
    expect(join()).to.equal('Подключиться');
    el.removeAttribute('label-join');
    await el.updateComplete;
    expect(join()).to.equal('Join');
    // Messages too: an error label, with the attribute to check after it.
    el.setAttribute('label-error-invalid-config', 'Настройте виджет');
    el.setAttribute('label-error-check-attribute', 'атрибут {attribute}');
    el.removeAttribute('ws-url');
    await el.updateComplete;
    await el.join();
    await el.updateComplete;
    expect(part(el, 'error')!.textContent!.trim()).to.equal('Настройте виджет: атрибут server');
  });

  it("follows the element's lang and the document's lang as they change", async () => {
    const transport = fakeTransport();
    const previous = document.documentElement.lang;
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}></vinteo-call>`,
    );
    const join = (): string => part(el, 'join-button')!.textContent!.trim();
    try {
      document.documentElement.lang = 'en';
      await el.updateComplete;
      expect(join()).to.equal('Join');
      document.documentElement.lang = 'ru-RU';
      await new Promise((resolve) => setTimeout(resolve, 0));
      await el.updateComplete;
      expect(join()).to.equal('Войти');
      el.lang = 'en';
      await el.updateComplete;
      expect(join()).to.equal('Join');
      el.removeAttribute('lang');
      await el.updateComplete;
      expect(join()).to.equal('Войти');
    } finally {
      document.documentElement.lang = previous;
    }
  });

  it('a dialpad in Russian, overridden key names included', async () => {
    const el = await fixture<VinteoDialpad>(html`<vinteo-dialpad lang="ru" label-key-star="звезда"></vinteo-dialpad>`);
    expect(part(el, 'hint')!.textContent).to.contain('Элемент не связан');
    const star = el.shadowRoot!.querySelector('[data-tone="*"]')!;
    expect(star.getAttribute('aria-label')).to.equal('звезда');
  });
});
