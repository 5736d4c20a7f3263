/**
 * The languages of the script tag's English-only loader, `vinteo-widgets.en.js` (vite.config.ts puts this file in
 * place of `tables.ts`): English alone, whatever `lang` says.
 */
import type { Locale } from '../i18n.js';
import { en, enSentences, type CallLabels, type Sentences } from './en.js';

export const TABLES: Readonly<Record<Locale, CallLabels>> = { en, ru: en };
export const SENTENCES: Readonly<Record<Locale, Sentences>> = { en: enSentences, ru: enSentences };
export const ONLY_LOCALE: Locale | undefined = 'en';
