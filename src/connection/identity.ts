import { CONTROL_CHARACTERS } from '../protocol/characters.js';

/**
 * How the client names itself on the wire (protocol §1): the User-Agent of every SIP request, the
 * display name in From, and the random user part of a guest.
 */

/** Our name and version, the default `{app} {appMajor}` of the unified User-Agent. */
export const APP_NAME = 'vinteo-widgets';
export const APP_VERSION = '0.1.0';

export interface BrowserIdentity {
  readonly name: string;
  readonly major: string;
}

/** Browsers in the order their tokens must be tested (Edge, Opera and Yandex also say `Chrome/`). */
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bYaBrowser\/(\d+)/, 'Yandex'],
  [/\bEdgA?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\bFxiOS\/(\d+)/, 'Firefox'],
  [/\b(?:Headless)?Chrome\/(\d+)/, 'Chrome'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

/** The browser and its major version from a User-Agent string; undefined for one we do not know. */
export function detectBrowser(userAgent: string | undefined): BrowserIdentity | undefined {
  if (!userAgent) return undefined;
  for (const [pattern, name] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) return { name, major: match[1]! };
  }
  return undefined;
}

/** The major version: what stands before the first dot (`3` of `3.1.4`). */
function major(version: string): string {
  return version.trim().split('.')[0] ?? '';
}

export interface UserAgentOptions {
  /** The server's `unified` answer from discovery (false when there was none). */
  readonly unified: boolean;
  readonly appName?: string | undefined;
  readonly appVersion?: string | undefined;
  /** `navigator.userAgent`; the browser part is left out when it is not one we know. */
  readonly browserUserAgent?: string | undefined;
}

/**
 * The User-Agent of every SIP request. With `unified`:
 * `ChromeNew - {browser} {browserMajor}, {app} {appMajor}` (`ChromeNew - {app} {appMajor}` without a
 * known browser), with `@*!|` in the app name turned into `_`; otherwise `Chrome`.
 */
export function userAgentString(options: UserAgentOptions): string {
  if (!options.unified) return 'Chrome';
  const name = (options.appName?.trim() || APP_NAME).replace(/[@*!|]/g, '_').replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), '');
  const app = `${name} ${major(options.appVersion ?? APP_VERSION)}`.trim();
  const browser = detectBrowser(options.browserUserAgent);
  return browser ? `ChromeNew - ${browser.name} ${browser.major}, ${app}` : `ChromeNew - ${app}`;
}

/** The display name as it goes into From: trimmed, with each space turned into `_`. */
export function sipDisplayName(name: string | undefined): string {
  return (name ?? '').trim().replace(/ /g, '_');
}
