import { MAX_TIMER_DELAY_MS } from '../timing.js';

/**
 * Timers whose length the server sets. JsSIP hands such values to `setTimeout` unchecked, and a
 * timer given NaN, a negative number or more than 2^31 − 1 ms (about 24.8 days) fires at once. Every
 * one that can run in this library is guarded here:
 *
 * - REGISTER refresh: JsSIP arms it from the REGISTER 2xx (the Contact's `expires`, else the
 *   `Expires` header, else the expiry it asked for; a 423's `Min-Expires` becomes the expiry it asks
 *   for). `expires=abc` is NaN: it would refresh at once, as fast as the server answers (hundreds of
 *   REGISTERs a second). The connection listens to JsSIP's `registrationExpiring` (JsSIP then leaves
 *   the refresh to it) and checks how soon after the grant JsSIP asks ({@link registrationRefreshDelay}).
 * - An incoming INVITE's `Expires`: JsSIP arms a timer that cancels the ringing call (487); a value
 *   past the timer range or negative would cancel it at once. Such a timer is disarmed
 *   ({@link disarmUnusableInviteExpiry}); the call rings until answered, declined or cancelled.
 *
 * Not armed at all here: RFC 4028 session timers (`Session-Expires`, `Min-SE`; `session_timers` is
 * off), SUBSCRIBE/NOTIFY expiries (never used), `Retry-After` (JsSIP does not act on it). JsSIP's
 * transaction and transport timers are constants or client options.
 */


/**
 * A refresh asked for sooner than this after the grant (ms) comes from an unusable grant: JsSIP never
 * asks sooner than 5 s after a 2xx it could read (its minimum expiry, 10 s, less its 5 s margin).
 */
export const MIN_PLAUSIBLE_REFRESH_MS = 4_000;

/**
 * How long to wait before refreshing a registration JsSIP says is expiring, ms: 0 (now) when it asks
 * `sinceGrantMs` after the last grant (or refresh sent) and that is plausible; else the rest of half
 * the requested expiry (seconds), as if the server had granted that: never at once.
 */
export function registrationRefreshDelay(sinceGrantMs: number, requestedExpires: number): number {
  const since = Number.isFinite(sinceGrantMs) ? Math.max(0, sinceGrantMs) : 0;
  if (since >= MIN_PLAUSIBLE_REFRESH_MS) return 0;
  return Math.max(MIN_PLAUSIBLE_REFRESH_MS, requestedExpires * 500) - since;
}

/** The slice of a JsSIP incoming session and its INVITE used here (`_timers` is JsSIP's own). */
interface IncomingInvite {
  readonly session: unknown;
  readonly request: { getHeader?(name: string): string | undefined } | undefined;
}

/**
 * JsSIP has just armed the timer of an incoming INVITE's `Expires` (`Expires` × 1000 ms, when that is
 * not 0 or NaN): disarms it when it would fire at once (negative, or past the timer range). Returns
 * whether it did. Never throws.
 */
export function disarmUnusableInviteExpiry({ session, request }: IncomingInvite): boolean {
  try {
    const raw = request?.getHeader?.('expires');
    if (raw === undefined) return false;
    // What JsSIP computes (`getHeader('expires') * 1000`).
    const ms = Number(raw) * 1000;
    if (!ms || (ms > 0 && ms <= MAX_TIMER_DELAY_MS)) return false;
    const timers = (session as { _timers?: { expiresTimer?: ReturnType<typeof setTimeout> | null } })._timers;
    if (!timers || timers.expiresTimer === undefined || timers.expiresTimer === null) return false;
    clearTimeout(timers.expiresTimer);
    timers.expiresTimer = null;
    return true;
  } catch {
    return false;
  }
}
