// Helpers for the integration tests against the real conference server: parts of live elements, state
// waits sized for real calls, and the describe-level hooks every suite there repeats.
import { expect, fixture, html } from '@open-wc/testing';
import { part as findPart, reach as reachState } from './dom.js';
import { testEnv, watchUncaught, type TestEnv } from './env.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoPresentation } from '../../components/vinteo-presentation/VinteoPresentation.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import type { VinteoClientOptions } from '../../src/types.js';

/** The part `name` of `el`'s shadow root, typed as present (null at run time when it is not). */
export const part = <T extends Element = HTMLElement>(el: Element, name: string): T => findPart<T>(el, name) as T;

/** Waits until `el`'s `state` attribute is `state`: within 20 s unless `timeout` (ms) says otherwise (a timeout says what the client had). */
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

/** A screen stand-in: a canvas that changes every frame (so it encodes to real, large packets). */
export function canvasStream(fps = 10): { stream: MediaStream; stop: () => void } {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${Math.random() * 360} 80% 50%)`;
    context.fillRect(Math.random() * 300, Math.random() * 160, 40, 40);
  }, 50);
  const stream = canvas.captureStream(fps);
  return {
    stream,
    stop: () => {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

/**
 * A `<vinteo-session>` on the test server holding a `<vinteo-call>` for `conference` and a
 * `<vinteo-presentation>`; `options` are the session's client options (set before its client is made).
 */
export async function sessionWithPresentation(
  env: TestEnv,
  conference: string,
  options: VinteoClientOptions,
): Promise<{ session: VinteoSession; call: VinteoCall; presentation: VinteoPresentation }> {
  const holder = await fixture<HTMLDivElement>(html`<div></div>`);
  const template = document.createElement('template');
  template.innerHTML = `<vinteo-session ws-url="${env.wsUrl}" sip-domain="${env.sipDomain}">
    <vinteo-call conference="${conference}"></vinteo-call><vinteo-presentation></vinteo-presentation></vinteo-session>`;
  const fragment = document.importNode(template.content, true);
  fragment.querySelector('vinteo-session')!.clientOptions = options;
  holder.append(fragment);
  return {
    session: holder.querySelector('vinteo-session')!,
    call: holder.querySelector('vinteo-call')!,
    presentation: holder.querySelector('vinteo-presentation')!,
  };
}
