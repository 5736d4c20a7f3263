import { checkDisplayName, checkPassword, checkSipUser } from './config.js';
import { VinteoError } from './errors.js';

/** A registered user's SIP credentials. */
export interface VinteoCredentials {
  readonly user: string;
  readonly password: string;
  /** Used when no display name is set otherwise. */
  readonly displayName?: string | undefined;
}

/** What a credentials function is given: `signal` aborts when the answer is no longer wanted. */
export interface CredentialsContext {
  /**
   * Aborted when the answer is no longer wanted: it took longer than `connectTimeoutMs`, or the user
   * left, the element was removed, `disconnect()` or `destroy()` was called. Pass it to `fetch`.
   */
  readonly signal: AbortSignal;
}

/**
 * Where a registered user's credentials come from: the credentials themselves, or a function that
 * fetches them (called on each connect, so they can be short-lived). Nothing has to be in HTML.
 */
export type CredentialsSource = VinteoCredentials | ((context: CredentialsContext) => VinteoCredentials | Promise<VinteoCredentials>);

/** What the functions made by credentialsFromUrl are called in messages (`credentials-url https://…/creds`). */
const descriptions = new WeakMap<object, string>();

/** How messages name a credentials function: `credentials-url https://…/creds` for one made by credentialsFromUrl. */
export function describeCredentialsSource(source: object): string | undefined {
  return descriptions.get(source);
}

/**
 * The page-relative address without userinfo, query or fragment (they may carry a token): for
 * messages. A URL that is not http(s) shows only its scheme: a `data:` URL's payload may be the
 * credentials themselves.
 */
function describe(url: string): string {
  try {
    const parsed = new URL(url, globalThis.location?.href ?? 'http://localhost/');
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol}…`;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'credentials-url';
  }
}

/**
 * Credentials from your own endpoint: `GET url` with the page's cookies (`credentials: 'include'`),
 * answering JSON `{ user, password, displayName? }`. 401/403 reject with `authentication-failed`,
 * other failures with `connection-failed`, a malformed answer (or a user, password or display name
 * that could break a SIP header) with `invalid-config`; no message ever contains the answer. The
 * request is aborted with the context's `signal` (the client's connect timeout, leave, disconnect).
 */
export function credentialsFromUrl(url: string): (context?: CredentialsContext) => Promise<VinteoCredentials> {
  const source = async (context?: CredentialsContext): Promise<VinteoCredentials> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'GET',
        credentials: 'include',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        ...(context?.signal ? { signal: context.signal } : {}),
      });
    } catch (error) {
      if (context?.signal.aborted) throw VinteoError.aborted('Fetching the credentials');
      throw VinteoError.connectionFailed(`could not fetch the credentials from ${describe(url)}`, error);
    }
    if (response.status === 401 || response.status === 403) throw VinteoError.authenticationFailed(response.status);
    if (!response.ok) throw VinteoError.connectionFailed(`${describe(url)} answered ${response.status} instead of the credentials`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      // No cause: the parser's message quotes the answer.
      throw VinteoError.invalidConfig(`credentials-url ${describe(url)} must answer JSON { user, password, displayName? }`);
    }
    return checkCredentials(body, `credentials-url ${describe(url)}`);
  };
  descriptions.set(source, `credentials-url ${describe(url)}`);
  return source;
}

/**
 * Validates credentials from any source: present, and nothing that could break a SIP header (the
 * user is checked after percent-decoding, as for the `user` attribute). Messages never quote them.
 * @throws VinteoError `invalid-config` naming what is wrong.
 */
export function checkCredentials(value: unknown, source = 'credentials'): VinteoCredentials {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { user, password, displayName } = candidate;
  if (typeof user !== 'string' || user.trim() === '') throw VinteoError.invalidConfig(`${source} must give a user (a non-empty string)`);
  if (typeof password !== 'string' || password === '') throw VinteoError.invalidConfig(`${source} must give a password (a non-empty string)`);
  if (displayName !== undefined && displayName !== null && typeof displayName !== 'string') {
    throw VinteoError.invalidConfig(`${source}: displayName must be a string`);
  }
  checkSipUser(user.trim(), `${source}: the user`, false);
  checkPassword(password, `${source}: the password`);
  if (typeof displayName === 'string') checkDisplayName(displayName.trim(), `${source}: displayName`);
  return typeof displayName === 'string' ? { user: user.trim(), password, displayName } : { user: user.trim(), password };
}
