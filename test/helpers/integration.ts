// Helpers for the integration tests against the real conference server: parts of live elements, state
// waits sized for real calls, and the describe-level hooks every suite there repeats.
import { expect } from '@open-wc/testing';
import { part as findPart, reach as reachState } from './dom.js';
import { testEnv, watchUncaught, type TestEnv } from './env.js';

/** The part `name` of `el`'s shadow root, typed as present (null at run time when it is not). */
export const part = <T extends Element = HTMLElement>(el: Element, name: string): T => findPart<T>(el, name) as T;

/** Waits until `el`'s `state` attribute is `state`: within 20 s unless `timeout` (ms) says otherwise. */
export async function reach(el: Element, state: string, timeout = 20_000): Promise<void> {
  await reachState(el, state, timeout);
}

export interface UncaughtOptions {
  /** Runs after each test once the watch has stopped, before the errors are checked (e.g. resetting server faults). */
  readonly afterEach?: () => unknown;
}

/** Registers hooks in the calling describe: each test fails if the page saw an uncaught error or unhandled rejection. */
export function failOnUncaught(options: UncaughtOptions = {}): void {
  let uncaught: ReturnType<typeof watchUncaught>;
  beforeEach(() => {
    uncaught = watchUncaught();
  });
  afterEach(async () => {
    uncaught.stop();
    await options.afterEach?.();
    expect(uncaught.errors, 'uncaught errors on the page').to.deep.equal([]);
  });
}

/** Registers a `before` hook in the calling describe that fetches the server's test environment; returns its getter. */
export function useTestEnv(): () => TestEnv {
  let env: TestEnv | undefined;
  before(async () => {
    env = await testEnv();
  });
  return () => {
    if (!env) throw new Error('the test environment is read before the describe\'s before hook ran');
    return env;
  };
}

/** `useTestEnv()` and `failOnUncaught(options)` in the calling describe: the usual set-up of an integration suite. */
export function useIntegrationEnv(options: UncaughtOptions = {}): () => TestEnv {
  const env = useTestEnv();
  failOnUncaught(options);
  return env;
}
