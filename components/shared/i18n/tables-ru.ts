/**
 * The languages of the script tag's Russian-only loader, `vinteo-widgets.ru.js` (vite.config.ts puts this file in
 * place of `tables.ts`): Russian alone, whatever `lang` says.
 */
import type { Locale } from '../i18n.js';
import type { CallLabels, Sentences } from './en.js';
import { ru, ruSentences } from './ru.js';

export const TABLES: Readonly<Record<Locale, CallLabels>> = { en: ru, ru };
export const SENTENCES: Readonly<Record<Locale, Sentences>> = { en: ruSentences, ru: ruSentences };
export const ONLY_LOCALE: Locale | undefined = 'ru';
