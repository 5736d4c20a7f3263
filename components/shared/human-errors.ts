import type { VinteoErrorReason } from '../../src/errors.js';
import { errorMessage, labelsFor, type Labels, type Locale } from './i18n.js';

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

type Sentences = Partial<Record<VinteoErrorReason, string>>;

/** What happened and what to do, by reason. `invalid-config` is the author notice (see {@link humanError}). */
const SENTENCES: Record<Locale, Sentences> = {
  en: {
    'connection-failed': 'Could not reach the conference server. Check your internet connection and try again.',
    'connection-lost': 'The connection to the conference server was lost. Check your internet connection and join again.',
    'authentication-failed': 'The server did not accept the user name or password. Check them, or ask the site’s administrator.',
    'registration-failed': 'Could not sign in to the conference server. Try again later, or ask the site’s administrator.',
    'call-rejected': 'The conference did not let you in. Check the conference number, or try again later.',
    'call-failed': 'The call could not be set up. Try again in a moment.',
    'media-permission-denied':
      'The browser does not let this page use your camera or microphone. Allow them in the site settings next to the address bar; until then you can watch and listen.',
    'media-unavailable': 'No camera or microphone was found. Connect one and try again; until then you can watch and listen.',
    'invalid-state': 'This cannot be done right now. Wait a moment and try again.',
    'protocol-error': 'The server sent something the call screen did not understand. Try again; if it keeps happening, tell the site’s administrator.',
    'presentation-declined': 'The conference does not allow screen sharing right now. Ask the moderator.',
    'presentation-failed': 'Screen sharing could not start. Try again.',
    aborted: 'Cancelled.',
  },
  ru: {
    'connection-failed': 'Не удалось связаться с сервером конференций. Проверьте подключение к интернету и повторите попытку.',
    'connection-lost': 'Связь с сервером конференций потеряна. Проверьте подключение к интернету и подключитесь снова.',
    'authentication-failed': 'Сервер не принял имя пользователя или пароль. Проверьте их или обратитесь к администратору сайта.',
    'registration-failed': 'Не удалось войти на сервер конференций. Повторите попытку позже или обратитесь к администратору сайта.',
    'call-rejected': 'Конференция не приняла вызов. Проверьте номер конференции или повторите попытку позже.',
    'call-failed': 'Не удалось установить вызов. Повторите попытку через минуту.',
    'media-permission-denied':
      'Нет доступа к камере или микрофону: браузер не разрешил их этой странице. Разрешите их в настройках сайта рядом с адресной строкой; пока вы можете смотреть и слушать.',
    'media-unavailable': 'Камера или микрофон не найдены. Подключите их и повторите попытку; пока вы можете смотреть и слушать.',
    'invalid-state': 'Действие сейчас недоступно. Подождите немного и повторите попытку.',
    'protocol-error': 'Сервер прислал непонятный ответ. Повторите попытку; если ошибка повторяется, сообщите администратору сайта.',
    'presentation-declined': 'Конференция сейчас не разрешает показ экрана. Обратитесь к модератору.',
    'presentation-failed': 'Не удалось начать показ экрана. Повторите попытку.',
    aborted: 'Действие отменено.',
  },
};

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
  const sentence = override ?? SENTENCES[locale][error.reason as VinteoErrorReason];
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
export const HUMAN_ERROR_REASONS = Object.keys(SENTENCES.en) as readonly VinteoErrorReason[];
