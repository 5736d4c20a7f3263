/**
 * The languages in this build: both. The script tag's one-language loaders (`vinteo-widgets.ru.js`,
 * `vinteo-widgets.en.js`, vite.config.ts) put `tables-ru.ts` or `tables-en.ts` in this file's place.
 */
import type { Locale } from '../i18n.js';
import { en, enSentences, type CallLabels, type Sentences } from './en.js';
import { ru, ruSentences } from './ru.js';

/** The loader's labels by language (the panels add theirs, `panel-labels.ts`). */
export const TABLES: Readonly<Record<Locale, CallLabels>> = { en, ru };
/** The error sentences by language. */
export const SENTENCES: Readonly<Record<Locale, Sentences>> = { en: enSentences, ru: ruSentences };
/** The one language of a one-language build, used whatever `lang` says; undefined: both, chosen by `lang`. */
export const ONLY_LOCALE: Locale | undefined = undefined;
