import { expect } from '@open-wc/testing';
import { VinteoError } from '../errors.js';
import { ExponentialBackoff, type BackoffOptions } from './policy.js';

const at = (attempt: number, elapsedMs = 0) => ({ attempt, elapsedMs, reason: 'connection-lost' });

describe('reconnect policy: exponential backoff', () => {
  it('doubles from the initial delay up to the cap (no jitter)', () => {
    const policy = new ExponentialBackoff({ initialDelayMs: 500, maxDelayMs: 4000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map((n) => policy.nextDelay(at(n)))).to.deep.equal([500, 1000, 2000, 4000, 4000, 4000]);
  });

  const jitterCases: Array<[number, number]> = [
    [0, 700],
    [0.5, 1000],
    [0.999999, 1300],
  ];
  for (const [random, expected] of jitterCases) {
    it(`spreads by ±30% (random ${random} → ${expected} ms)`, () => {
      const policy = new ExponentialBackoff({ initialDelayMs: 1000, random: () => random });
      expect(policy.nextDelay(at(1))).to.equal(expected);
    });
  }

  it('never exceeds the cap even with jitter', () => {
    const policy = new ExponentialBackoff({ initialDelayMs: 1000, maxDelayMs: 2000, random: () => 0.999 });
    expect(policy.nextDelay(at(10))).to.equal(2000);
  });

  it('gives up after maxAttempts or maxElapsedMs', () => {
    const policy = new ExponentialBackoff({ maxAttempts: 3, maxElapsedMs: 10_000, jitter: 0 });
    expect(policy.nextDelay(at(3))).to.equal(4000);
    expect(policy.nextDelay(at(4))).to.equal(null);
    expect(policy.nextDelay(at(1, 10_000))).to.equal(null);
  });

  it('defaults: 1 s, ×2, 30 s cap, never gives up', () => {
    const policy = new ExponentialBackoff({ jitter: 0 });
    expect(policy.nextDelay(at(1))).to.equal(1000);
    expect(policy.nextDelay(at(6))).to.equal(30_000);
    expect(policy.nextDelay(at(1000, 1e9))).to.equal(30_000);
  });

  const refused: Array<[string, BackoffOptions]> = [
    ['an initial delay past the timer limit', { initialDelayMs: 1e300 }],
    ['an initial delay of 0 (a retry loop)', { initialDelayMs: 0 }],
    ['a cap past the timer limit', { maxDelayMs: 3_000_000_000 }],
    ['a NaN cap', { maxDelayMs: Number.NaN }],
    ['a negative give-up time', { maxElapsedMs: -1 }],
    ['a factor below 1', { factor: 0.5 }],
    ['a jitter above 1', { jitter: 2 }],
    ['a fractional maxAttempts', { maxAttempts: 1.5 }],
  ];
  for (const [name, options] of refused) {
    it(`refuses ${name} with invalid-config`, () => {
      let error: unknown;
      try {
        new ExponentialBackoff(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(VinteoError);
      expect((error as VinteoError).reason).to.equal('invalid-config');
    });
  }
});
