import { VinteoError } from './errors.js';

/** A registered user's SIP credentials. */
export interface VinteoCredentials {
  readonly user: string;
  readonly password: string;
  /** Used when no display name is set otherwise. */
  readonly displayName?: string | undefined;
}

/**
 * Where a registered user's credentials come from: the credentials themselves, or a function that
 * fetches them (called on each connect, so they can be short-lived). Nothing has to be in HTML.
 */
export type CredentialsSource = VinteoCredentials | (() => VinteoCredentials | Promise<VinteoCredentials>);

/** The page-relative address without query or fragment (they may carry a token): for messages. */
function describe(url: string): string {
  try {
    const parsed = new URL(url, globalThis.location?.href ?? 'http://localhost/');
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'credentials-url';
  }
}

/**
 * Credentials from your own endpoint: `GET url` with the page's cookies (`credentials: 'include'`),
 * answering JSON `{ user, password, displayName? }`. 401/403 reject with `authentication-failed`,
 * other failures with `connection-failed`, a malformed answer with `invalid-config`; no message
 * ever contains the answer.
 */
export function credentialsFromUrl(url: string): () => Promise<VinteoCredentials> {
  return async () => {
    let response: Response;
    try {
      response = await fetch(url, { method: 'GET', credentials: 'include', cache: 'no-store', headers: { accept: 'application/json' } });
    } catch (error) {
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
}

/** Validates credentials from any source. @throws VinteoError `invalid-config` naming what is missing. */
export function checkCredentials(value: unknown, source = 'credentials'): VinteoCredentials {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { user, password, displayName } = candidate;
  if (typeof user !== 'string' || user.trim() === '') throw VinteoError.invalidConfig(`${source} must give a user (a non-empty string)`);
  if (typeof password !== 'string' || password === '') throw VinteoError.invalidConfig(`${source} must give a password (a non-empty string)`);
  if (displayName !== undefined && displayName !== null && typeof displayName !== 'string') {
    throw VinteoError.invalidConfig(`${source}: displayName must be a string`);
  }
  return typeof displayName === 'string' ? { user: user.trim(), password, displayName } : { user: user.trim(), password };
}

/** Calls a credentials function (or takes the object) and validates the result. */
export async function resolveCredentials(source: CredentialsSource): Promise<VinteoCredentials> {
  let value: unknown;
  try {
    value = typeof source === 'function' ? await source() : source;
  } catch (error) {
    if (error instanceof VinteoError) throw error;
    throw VinteoError.connectionFailed('the credentials function failed', error);
  }
  return checkCredentials(value);
}
