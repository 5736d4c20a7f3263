import { expect } from '@open-wc/testing';
import { RTCSession } from '@krivega/jssip';
import { disarmUnusableInviteExpiry, MIN_PLAUSIBLE_REFRESH_MS, registrationRefreshDelay } from './server-timers.js';

describe('registrationRefreshDelay', () => {
  // [ms between the grant and JsSIP's refresh request, requested expiry (s), expected delay (ms)]
  const cases: Array<[string, number, number, number]> = [
    ['a 300 s grant, refreshed after 150 s: now', 150_000, 300, 0],
    ['the shortest grant JsSIP accepts (10 s → 5 s): now', 5_000, 300, 0],
    ['at the threshold: now', MIN_PLAUSIBLE_REFRESH_MS, 300, 0],
    ['expires=abc (NaN → at once): half the requested 300 s', 1, 300, 149_999],
    ['at once, exactly: half the requested 300 s', 0, 300, 150_000],
    ['a grant too long for a timer (fires at once): half the requested 60 s', 3, 60, 29_997],
    ['just under the threshold: the rest of half the requested 30 s', MIN_PLAUSIBLE_REFRESH_MS - 1, 30, 15_000 - MIN_PLAUSIBLE_REFRESH_MS + 1],
    ['no grant time known (NaN): half the requested 300 s', Number.NaN, 300, 150_000],
    ['a clock that went back: half the requested 300 s', -50, 300, 150_000],
    ['a requested expiry under the threshold still waits the threshold', 0, 4, MIN_PLAUSIBLE_REFRESH_MS],
  ];
  for (const [name, since, requested, expected] of cases) {
    it(name, () => {
      expect(registrationRefreshDelay(since, requested)).to.equal(expected);
    });
  }

  it('never 0 for a refresh asked for sooner than the threshold', () => {
    for (let since = 0; since < MIN_PLAUSIBLE_REFRESH_MS; since += 250) {
      expect(registrationRefreshDelay(since, 30)).to.be.greaterThan(0);
    }
  });
});

describe('disarmUnusableInviteExpiry', () => {
  type Timers = { expiresTimer: ReturnType<typeof setTimeout> | null };

  /** A real JsSIP session with its Expires timer armed as `init_incoming` arms it. */
  function ringing(expires: string | undefined): { session: RTCSession; request: { getHeader(name: string): string | undefined }; fired: () => number } {
    const session = new RTCSession({ configuration: { session_timers: false } } as never);
    const timers = (session as unknown as { _timers: Timers })._timers;
    expect(timers, "JsSIP's timer field").to.have.property('expiresTimer');
    let fired = 0;
    const ms = expires === undefined ? 0 : Number(expires) * 1000;
    if (ms) timers.expiresTimer = setTimeout(() => (fired += 1), ms);
    return { session, request: { getHeader: (name) => (name === 'expires' ? expires : undefined) }, fired: () => fired };
  }

  const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

  // Past the timer range (JsSIP's timer would fire at once), or negative: disarmed.
  for (const expires of ['99999999', '1e9', '2147484', '-1']) {
    it(`Expires: ${expires} is disarmed`, async () => {
      const { session, request, fired } = ringing(expires);
      expect(disarmUnusableInviteExpiry({ session, request })).to.equal(true);
      await tick();
      expect(fired()).to.equal(0);
      expect((session as unknown as { _timers: Timers })._timers.expiresTimer).to.equal(null);
    });
  }

  // Usable, or no timer armed at all: left alone.
  for (const expires of ['60', '2147483', 'abc', '0', undefined]) {
    it(`Expires: ${String(expires)} is left alone`, () => {
      const { session, request } = ringing(expires);
      const timers = (session as unknown as { _timers: Timers })._timers;
      const before = timers.expiresTimer;
      expect(disarmUnusableInviteExpiry({ session, request })).to.equal(false);
      expect(timers.expiresTimer).to.equal(before);
      if (before !== null) clearTimeout(before);
    });
  }
});
