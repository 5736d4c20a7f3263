// The strict Content-Security-Policy the widgets are tested under (test/drop-in/, scripts/serve-static.mjs).
// No inline script or style, no eval; WebSockets to any host (the Vinteo server); camera streams as media.

/** The policy from the "drop into any page" issue, one directive per entry. */
export const STRICT_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "media-src 'self' blob: mediastream:",
];

export const STRICT_CSP = STRICT_CSP_DIRECTIVES.join('; ');

/** The strict policy with Trusted Types enforced; `policies` (e.g. `['lit-html']`) also limits the policy names. */
export function trustedTypesCsp(policies) {
  const directives = [...STRICT_CSP_DIRECTIVES, "require-trusted-types-for 'script'"];
  if (policies) directives.push(`trusted-types ${policies.join(' ')}`);
  return directives.join('; ');
}
