import type { VinteoErrorReason } from '../../src/errors.js';
import { errorMessage, labelsFor, sentencesFor, type Labels, type Locale } from './i18n.js';

/**
 * An error as a visitor reads it: what happened, in plain words, and what to do; the technical
 * detail (the error's own message: a URL, a SIP code) apart, for a "Details" disclosure.
 *
 * @internal Shared by the elements; not part of the public API.
 */
export interface HumanError {
  /** What happened and what to do, in the element's language. */
  readonly text: string;
  /** The technical message (already redacted by `VinteoError`); undefined when `text` already says it all. */
  readonly detail: string | undefined;
  /** A mistake of the page author (bad attributes), not of the visitor: shown as a configuration notice. */
  readonly author: boolean;
}

/** `connection-failed` → `errorConnectionFailed`: the label that overrides the reason's text. */
function overrideKey(reason: string): keyof Labels {
  return `error${reason.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase())}` as keyof Labels;
}

/**
 * The error as a visitor reads it (see {@link HumanError}). An `error*` label set on the element (e.g.
 * `label-error-connection-failed`) replaces the sentence. `invalid-config` is a notice for the page
 * author: "Configuration problem (a note for the page author):" and what to fix (the message in English,
 * the attribute to check in Russian).
 */
export function humanError(
  locale: Locale,
  error: { readonly reason: string; readonly message: string; readonly statusCode?: number | undefined },
  overrides: Partial<Record<keyof Labels, string>> = {},
): HumanError {
  const labels = labelsFor(locale);
  if (error.reason === 'invalid-config') {
    // An author who set their own `errorInvalidConfig` label chose the whole wording.
    const prefix = overrides.errorInvalidConfig === undefined ? `${overrides.configurationProblem ?? labels.configurationProblem} ` : '';
    return { text: `${prefix}${errorMessage(locale, error, overrides)}`, detail: undefined, author: true };
  }
  const override = overrides[overrideKey(error.reason)];
  const sentence = override ?? sentencesFor(locale)[error.reason as VinteoErrorReason];
  if (sentence === undefined) return { text: errorMessage(locale, error, overrides), detail: undefined, author: false };
  return { text: sentence, detail: technicalDetail(error, sentence), author: false };
}

/** The message, with the SIP status code when it has one and does not say it already: "… Not Found (SIP 404)". */
function technicalDetail(error: { readonly message: string; readonly statusCode?: number | undefined }, sentence: string): string | undefined {
  const code = error.statusCode;
  const message = error.message && error.message !== sentence ? error.message : '';
  if (code === undefined || message.includes(String(code))) return message || undefined;
  return message ? `${message} (SIP ${code})` : `SIP ${code}`;
}

/** Every reason with a sentence, in both languages (for tests and documentation). */
export const HUMAN_ERROR_REASONS = Object.keys(sentencesFor('en')) as readonly VinteoErrorReason[];
