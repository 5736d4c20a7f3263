// The browser running the tests: npm test runs every browser suite in Chromium and in Firefox ESR.
export const IN_FIREFOX = navigator.userAgent.includes('Firefox/');

/**
 * Skips the running test in Firefox for a difference not resolved yet (issue #17): `reason` says what fails
 * there, and the README's browser support table lists it. Not for what headless Firefox cannot do at all:
 * those tests skip where they are, saying why.
 */
export function openInFirefox(context: Mocha.Context, reason: string): void {
  if (!IN_FIREFOX) return;
  console.warn(`[firefox: open] ${context.test?.title ?? ''}: ${reason}`);
  context.skip();
}
