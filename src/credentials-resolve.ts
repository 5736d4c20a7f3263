/**
 * Runs a credentials source with a time limit (the client's connect; with the script-tag loader in its SIP chunk,
 * and on its global through `loadHelpers()`).
 */
import { checkCredentials, describeCredentialsSource, type CredentialsSource, type VinteoCredentials } from './credentials.js';
import { VinteoError } from './errors.js';
import { safeDelay } from './timing.js';

export interface ResolveCredentialsOptions {
  /** Give up after this long, ms (the client passes `connectTimeoutMs`): `connection-failed`, and the request is aborted. */
  timeoutMs?: number;
  /** Aborting it cancels the request (its own signal is aborted too): rejects with `aborted`. */
  signal?: AbortSignal;
}

/**
 * Calls a credentials function (or takes the object) and validates the result. A function is given
 * `{ signal }`; when it does not answer within `timeoutMs`, or `signal` aborts, the signal it was
 * given aborts and the promise rejects (`connection-failed` or `aborted`).
 */
export async function resolveCredentials(source: CredentialsSource, options: ResolveCredentialsOptions = {}): Promise<VinteoCredentials> {
  if (typeof source !== 'function') return checkCredentials(source);
  const { signal, timeoutMs } = options;
  if (signal?.aborted) throw VinteoError.aborted('Fetching the credentials');
  const what = describeCredentialsSource(source) ?? 'the credentials function';
  const request = new AbortController();
  let settle: (why: 'timeout' | 'aborted') => void = () => undefined;
  const stopped = new Promise<'timeout' | 'aborted'>((resolve) => {
    settle = resolve;
  });
  // The request is aborted at once (a fetch stops now), the promise rejects just after.
  const stop = (why: 'timeout' | 'aborted'): void => {
    request.abort();
    settle(why);
  };
  const onAbort = (): void => stop('aborted');
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), safeDelay(timeoutMs));
  let value: unknown;
  try {
    const work = (async () => source({ signal: request.signal }))().then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    );
    const outcome = await Promise.race([work, stopped]);
    if (outcome === 'timeout' || outcome === 'aborted') {
      if (outcome === 'aborted') throw VinteoError.aborted('Fetching the credentials');
      throw VinteoError.connectionFailed(`${what} did not answer within ${timeoutMs} ms`);
    }
    if ('error' in outcome) {
      if (outcome.error instanceof VinteoError) throw outcome.error;
      throw VinteoError.connectionFailed(`${what} failed`, outcome.error);
    }
    value = outcome.answer;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  return checkCredentials(value);
}
