import { expect } from '@open-wc/testing';
import { VinteoError } from './errors.js';
import { logger } from './logger.js';
import { checkTimingOptions, MAX_TIMER_DELAY_MS, safeDelay, TIMING_LIMITS, timingSetting, type TimingLimit, type TimingName } from './timing.js';

function refusal(options: Parameters<typeof checkTimingOptions>[0]): VinteoError {
  try {
    checkTimingOptions(options);
  } catch (error) {
    expect(error).to.be.instanceOf(VinteoError);
    return error as VinteoError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('timing: safeDelay', () => {
  const cases: Array<[unknown, number, number]> = [
    [1500, 0, 1500],
    [0, 1000, 0],
    [-5, 1000, 0],
    [Number.NaN, 1000, 1000],
    [undefined, 250, 250],
    ['12' as unknown, 250, 250],
    [1e300, 0, MAX_TIMER_DELAY_MS],
    [Number.POSITIVE_INFINITY, 0, MAX_TIMER_DELAY_MS],
    [3_000_000_000, 0, MAX_TIMER_DELAY_MS],
    [Number.NEGATIVE_INFINITY, 0, 0],
  ];
  for (const [input, fallback, expected] of cases) {
    it(`${String(input)} (fallback ${fallback}) → ${expected}`, () => {
      expect(safeDelay(input as number, fallback)).to.equal(expected);
    });
  }

  it('the limit is the largest delay browsers keep: 2^31 − 1 ms', () => {
    expect(MAX_TIMER_DELAY_MS).to.equal(2 ** 31 - 1);
  });
});

describe('timing: the ranges of time-valued options', () => {
  it('every range stays below the browser timer limit and contains its default', () => {
    for (const [name, limit] of Object.entries(TIMING_LIMITS) as Array<[string, TimingLimit]>) {
      if (Number.isFinite(limit.max)) expect(limit.max, name).to.be.at.most(MAX_TIMER_DELAY_MS);
      expect(limit.min, name).to.be.at.least(0);
      if (limit.fallback !== undefined && !(limit.zeroOff && limit.fallback === 0)) {
        expect(limit.fallback, name).to.be.within(limit.min, limit.max);
      }
    }
  });

  const refused: Array<[string, Parameters<typeof checkTimingOptions>[0], RegExp]> = [
    ['a ping every millisecond (ping-interval="0.001")', { pingIntervalMs: 1 }, /ping-interval/],
    ['a ping interval past the timer limit (ping-interval="1e300")', { pingIntervalMs: 1e303 }, /ping-interval/],
    ['a ping interval of 3000000 s', { pingIntervalMs: 3_000_000_000 }, /ping-interval/],
    ['a negative ping interval', { pingIntervalMs: -1000 }, /ping-interval/],
    ['a ping interval that is no number', { pingIntervalMs: Number.NaN }, /ping-interval/],
    ['a stats interval of 0', { statsIntervalMs: 0 }, /stats-interval/],
    ['a stats interval past the timer limit', { statsIntervalMs: 3_000_000_000 }, /stats-interval/],
    ['a balancer delay past the timer limit', { balancerDelayMs: 1e300 }, /balancer-delay/],
    ['a negative balancer delay', { balancerDelayMs: -1 }, /balancer-delay/],
    ['a connect timeout past the limit', { connectTimeoutMs: 1e300 }, /connectTimeoutMs/],
    ['a connect timeout of 0', { connectTimeoutMs: 0 }, /connectTimeoutMs/],
    ['a ping timeout of 1 ms', { pingTimeoutMs: 1 }, /pingTimeoutMs/],
    ['a redial timeout past the limit', { redialTimeoutMs: 2 ** 31 }, /redialTimeoutMs/],
    ['a presentation retry delay past the limit', { presentationRetryDelayMs: 1e12 }, /presentationRetryDelayMs/],
    ['a stats INFO interval of 1 ms', { statsInfoIntervalMs: 1 }, /statsInfoIntervalMs/],
    ['register expiry below 30 s', { registerExpires: 5 }, /registerExpires/],
    ['register expiry not whole', { registerExpires: 300.5 }, /registerExpires/],
    ['a string', { pingIntervalMs: '30000' as unknown as number }, /ping-interval/],
  ];
  for (const [name, options, pattern] of refused) {
    it(`refuses ${name} with invalid-config`, () => {
      const error = refusal(options);
      expect(error.reason).to.equal('invalid-config');
      expect(error.message).to.match(pattern);
    });
  }

  it('says the range and the value in the attribute unit', () => {
    expect(refusal({ pingIntervalMs: 1 }).message).to.equal('ping-interval (pingIntervalMs) must be 0 (off) or between 1 s and 1 h (got 0.001 s)');
    expect(refusal({ statsIntervalMs: 3_000_000 }).message).to.equal('stats-interval (statsIntervalMs) must be between 100 ms and 10 min (got 3000000 ms)');
  });

  it('accepts the limits, 0 where it means off, and unset values', () => {
    expect(() =>
      checkTimingOptions({
        pingIntervalMs: 0,
        statsInfoIntervalMs: 0,
        balancerDelayMs: 0,
        redialTimeoutMs: 0,
        presentationRetryDelayMs: 0,
        statsIntervalMs: 100,
        connectTimeoutMs: undefined,
      }),
    ).not.to.throw();
    for (const [name, limit] of Object.entries(TIMING_LIMITS) as Array<[string, TimingLimit]>) {
      expect(() => checkTimingOptions({ [name]: limit.min }), `${name} min`).not.to.throw();
      if (Number.isFinite(limit.max)) expect(() => checkTimingOptions({ [name]: limit.max }), `${name} max`).not.to.throw();
    }
  });

  describe('timingSetting (read by running services: never throws)', () => {
    const level = logger.level;
    before(() => {
      logger.level = 'silent';
    });
    after(() => {
      logger.level = level;
    });
    const cases: Array<[TimingName, unknown, number]> = [
      ['pingIntervalMs', undefined, 15_000],
      ['pingIntervalMs', 0, 0],
      ['pingIntervalMs', 60_000, 60_000],
      ['pingIntervalMs', 1, 15_000],
      ['pingIntervalMs', 1e300, 15_000],
      ['connectTimeoutMs', Number.NaN, 15_000],
      ['statsIntervalMs', 10, 1000],
      ['balancerDelayMs', -1, 10_000],
    ];
    for (const [name, value, expected] of cases) {
      it(`${name} ${String(value)} → ${expected}`, () => {
        expect(timingSetting(name, value as number)).to.equal(expected);
      });
    }
  });
});
