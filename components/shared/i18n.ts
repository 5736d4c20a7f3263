import type { Labels, Sentences } from './i18n/en.js';
import type { PanelLabels } from './i18n/en-panels.js';
import { ONLY_LOCALE, SENTENCES, TABLES } from './i18n/tables.js';

export type { Labels, Sentences };
export type Locale = 'en' | 'ru';

/** The labels by language: the loader's, then the panels' once a panel's module has run (`addLabels`). */
const tables: Record<Locale, Record<string, string>> = { en: { ...TABLES.en }, ru: { ...TABLES.ru } };
const keys: Array<keyof Labels> = Object.keys(TABLES.en) as Array<keyof Labels>;

/**
 * Every label key, e.g. `join`, `statusInCall`, `errorConnectionFailed`: those of `<vinteo-call>`,
 * `<vinteo-session>` and the errors, and the panels' once a panel is defined.
 */
export const LABEL_KEYS: ReadonlyArray<keyof Labels> = keys;

/** Whether `key` is a label key (of the tables as they are now). */
const isKey = (key: string): key is keyof Labels => Object.hasOwn(tables.en, key);

/** The attribute that overrides a label: `statusInCall` → `label-status-in-call`. */
export function labelAttribute(key: string): string {
  return `label-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

const KEY_BY_ATTRIBUTE: Map<string, keyof Labels> = new Map(keys.map((key) => [labelAttribute(key), key]));
const attributes = [...KEY_BY_ATTRIBUTE.keys()];

/** Every `label-*` attribute the elements understand (an element defined later may understand more). */
export const LABEL_ATTRIBUTES: readonly string[] = attributes;

/**
 * Adds the panels' labels (`panel-labels.ts`) to the tables; again is harmless. A one-language build takes its
 * language's for both. The script tag's loader does not carry them: they arrive with the panels' chunk.
 */
export function addLabels(extra: Readonly<Record<Locale, PanelLabels>>): void {
  const added = (Object.keys(extra.en) as Array<keyof Labels>).filter((key) => !isKey(key));
  for (const locale of ['en', 'ru'] as const) Object.assign(tables[locale], extra[ONLY_LOCALE ?? locale]);
  for (const key of added) {
    keys.push(key);
    KEY_BY_ATTRIBUTE.set(labelAttribute(key), key);
    attributes.push(labelAttribute(key));
  }
}

/**
 * The element's language: its own or nearest `lang`, then the document's; Russian for `ru*`, else English.
 * A one-language build (the script tag's `vinteo-widgets.ru.js` / `.en.js`) always answers its language.
 */
export function localeOf(element: Element): Locale {
  if (ONLY_LOCALE) return ONLY_LOCALE;
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? element.ownerDocument?.documentElement.lang ?? '';
  return lang.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The labels of a language (a panel's appear once a panel's module has run). */
export function labelsFor(locale: Locale): Labels {
  return tables[locale] as Labels;
}

/** The error sentences a visitor reads, by reason (see `humanError`). */
export function sentencesFor(locale: Locale): Sentences {
  return SENTENCES[locale];
}

/** The overrides an element carries: its `label-*` attributes, then its `labels` property (which wins). */
export function labelOverrides(element: Element, property: Partial<Labels> | undefined): Partial<Record<keyof Labels, string>> {
  const overrides: Partial<Record<keyof Labels, string>> = {};
  for (const attribute of element.attributes) {
    const key = attribute.name.startsWith('label-') ? KEY_BY_ATTRIBUTE.get(attribute.name) : undefined;
    if (key) overrides[key] = attribute.value;
  }
  if (property) {
    for (const [key, value] of Object.entries(property)) {
      if (typeof value === 'string' && isKey(key)) overrides[key] = value;
    }
  }
  return overrides;
}

function errorKey(reason: string): keyof Labels | undefined {
  const key = `error${reason.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase())}`;
  return isKey(key) ? key : undefined;
}

/** Attribute names that configuration errors mention (their messages are English, for developers). */
const NAMED_ATTRIBUTE =
  /\b(ws-url|server|sip-domain|display-name|register|user|conference|credentials-url|credentials|preferred-codecs|exclude-codecs|max-bitrate|content-hint|degradation-preference|max-resolution|ping-interval|stats-interval|balancer-delay|fast-ice|for)\b/;

/**
 * The text shown for an error. Not overridden: in English the error's own message; in Russian the table's
 * text. Overridden (an `error*` label set on the element): that label. For `invalid-config` a label is
 * followed by the detail: the message itself when it is already in the element's language (and the
 * label is not overridden), else which attribute to check (the `errorCheckAttribute` label).
 */
export function errorMessage(
  locale: Locale,
  error: { reason: string; message: string },
  overrides: Partial<Record<keyof Labels, string>> = {},
): string {
  const key = errorKey(error.reason);
  const override = key === undefined ? undefined : overrides[key];
  if (override === undefined && locale === 'en') return error.message;
  const text = override ?? (key === undefined ? undefined : tables.ru[key]);
  if (text === undefined) return error.message;
  if (error.reason !== 'invalid-config') return text;
  if (override === undefined && /[а-яё]/i.test(error.message)) return `${text}: ${error.message}`;
  const attribute = NAMED_ATTRIBUTE.exec(error.message)?.[1];
  const check = overrides.errorCheckAttribute ?? TABLES[locale].errorCheckAttribute;
  return attribute ? `${text}: ${check.replace('{attribute}', attribute)}` : text;
}
