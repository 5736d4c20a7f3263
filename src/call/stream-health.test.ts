// Main-stream health (vinteo-protocol.md §11): sequences of samples → problems and recovery decisions.
import { expect } from '@open-wc/testing';
import {
  checkStreamHealth,
  classifyVideoSample,
  initialStreamHealth,
  STREAM_HEALTH_LIMITS,
  type MainVideoSample,
  type StreamHealth,
  type VideoProblem,
} from './stream-health.js';

/** A sample: packets, bytes, frames received, frames decoded. */
const s = (packets: number, bytes: number, received = packets / 10, decoded = received): MainVideoSample => ({
  packets,
  bytes,
  framesReceived: received,
  framesDecoded: decoded,
});

/** Flowing video: `n` seconds of 100 packets and 10 frames a second. */
const flowing = (n: number): MainVideoSample => s(100 * n, 100_000 * n, 10 * n, 10 * n);

describe('stream health: one sample against the one before', () => {
  const cases: Array<[name: string, previous: MainVideoSample | undefined, sample: MainVideoSample, problem: VideoProblem | undefined]> = [
    ['the first sample of flowing video', undefined, flowing(1), undefined],
    ['flowing video', flowing(1), flowing(2), undefined],
    ['both counters 0 (first sample)', undefined, s(0, 0, 0, 0), 'no-traffic'],
    ['both counters 0 again', s(0, 0, 0, 0), s(0, 0, 0, 0), 'no-traffic'],
    ['packets and bytes unchanged after traffic', flowing(5), flowing(5), 'stalled'],
    ['packets unchanged but bytes moved', flowing(5), s(500, 500_100, 50, 50), undefined],
    ['bytes unchanged but packets moved', flowing(5), s(501, 500_000, 51, 51), undefined],
    ['600 packets rising, frames received stuck', s(500, 1e6, 50, 50), s(600, 1.1e6, 50, 60), 'invalid-frames'],
    ['600 packets rising, frames decoded stuck', s(500, 1e6, 50, 50), s(600, 1.1e6, 60, 50), 'invalid-frames'],
    ['600 packets rising, frames rising', s(500, 1e6, 50, 50), s(600, 1.1e6, 60, 60), undefined],
    ['both frame counters stuck (the track need not be muted: Chromium never mutes it)', s(500, 1e6, 50, 50), s(600, 1.1e6, 50, 50), 'invalid-frames'],
    ['frames stuck, but fewer than 500 packets', s(300, 1e5, 5, 5), s(499, 2e5, 5, 5), undefined],
    ['frames stuck, exactly 500 packets', s(300, 1e5, 5, 5), s(500, 2e5, 5, 5), 'invalid-frames'],
    ['frames stuck, packets not rising (that is a stall)', s(600, 1e6, 5, 5), s(600, 1e6, 5, 5), 'stalled'],
    ['frame counters not reported', s(500, 1e6, Number.NaN, Number.NaN), { packets: 600, bytes: 1.1e6, framesReceived: undefined, framesDecoded: undefined }, undefined],
  ];
  for (const [name, previous, sample, problem] of cases) {
    it(`${name}: ${problem ?? 'healthy'}`, () => {
      expect(classifyVideoSample(previous, sample)).to.equal(problem);
    });
  }
});

describe('stream health: sequences of samples → recoveries', () => {
  /**
   * Feeds `samples` one a second (from `start` ms) with no recovery running unless `recovering(i)`;
   * a recovery started is remembered for the 4 s limit. Returns each sample's decision (the problem
   * it started a recovery for, or '-').
   */
  function run(samples: ReadonlyArray<MainVideoSample | undefined>, options: { recovering?: (i: number) => boolean; lastRecoveryAt?: number; stepMs?: number } = {}): string[] {
    let health: StreamHealth = initialStreamHealth;
    let lastRecoveryAt = options.lastRecoveryAt;
    return samples.map((sample, i) => {
      const now = 10_000 + i * (options.stepMs ?? 1000);
      const decision = checkStreamHealth(health, sample, { now, lastRecoveryAt, recovering: options.recovering?.(i) ?? false });
      health = decision.health;
      if (decision.recover) lastRecoveryAt = now;
      return decision.recover ?? '-';
    });
  }

  it('flowing video never recovers', () => {
    expect(run([1, 2, 3, 4, 5, 6, 7, 8].map(flowing))).to.deep.equal(['-', '-', '-', '-', '-', '-', '-', '-']);
  });

  it('a stall recovers on its third sample in a row, once per episode however long it lasts', () => {
    const stalled = flowing(3);
    expect(run([flowing(1), flowing(2), stalled, stalled, stalled, stalled, stalled, stalled, stalled, stalled])).to.deep.equal([
      '-', // flowing
      '-', // flowing
      '-', // the last sample that moved
      '-', // stalled 1
      '-', // stalled 2
      'stalled', // stalled 3
      '-',
      '-',
      '-',
      '-',
    ]);
  });

  it('two samples of a stall, then video, then a stall again: the counter starts over', () => {
    const a = flowing(3);
    const b = flowing(4);
    expect(run([flowing(1), a, a, a, b, b, b, b])).to.deep.equal(['-', '-', '-', '-', '-', '-', '-', 'stalled']);
  });

  it('the video comes back after the recovery and stalls again later: a new episode, a new recovery', () => {
    const a = flowing(2);
    const b = flowing(10);
    expect(run([flowing(1), a, a, a, a, flowing(8), flowing(9), b, b, b, b])).to.deep.equal(['-', '-', '-', '-', 'stalled', '-', '-', '-', '-', '-', 'stalled']);
  });

  it('no traffic at all: a recovery on the third sample', () => {
    const zero = s(0, 0, 0, 0);
    expect(run([zero, zero, zero, zero, zero])).to.deep.equal(['-', '-', 'no-traffic', '-', '-']);
  });

  it('invalid frames (packets rising, frames stuck): a recovery on the third sample', () => {
    const garbled = (n: number): MainVideoSample => s(500 + 100 * n, 1e6 + 1e5 * n, 40, 40);
    expect(run([garbled(0), garbled(1), garbled(2), garbled(3), garbled(4)])).to.deep.equal(['-', '-', '-', 'invalid-frames', '-']);
  });

  it('a problem that changes starts a new episode: no traffic twice, then stalled three times', () => {
    const zero = s(0, 0, 0, 0);
    const stuck = flowing(1);
    expect(run([zero, zero, flowing(1), stuck, stuck, stuck])).to.deep.equal(['-', '-', '-', '-', '-', 'stalled']);
  });

  it('none while another recovery runs: it starts on a later sample of the same episode', () => {
    const a = flowing(2);
    const running = (i: number): boolean => i >= 3 && i <= 5;
    expect(run([flowing(1), a, a, a, a, a, a, a], { recovering: running })).to.deep.equal(['-', '-', '-', '-', '-', '-', 'stalled', '-']);
  });

  it('at most one recovery every 4 s: a new episode within 4 s of the last recovery waits for the limit', () => {
    const a = flowing(2);
    const b = flowing(3);
    // Samples every 500 ms: the first recovery at 12 000 ms (sample 4); the next episode is ripe at
    // 14 000 ms (sample 8) but waits until 16 000 ms (sample 12).
    const decisions = run([flowing(1), a, a, a, a, b, b, b, b, b, b, b, b, b], { stepMs: 500 });
    expect(decisions).to.deep.equal(['-', '-', '-', '-', 'stalled', '-', '-', '-', '-', '-', '-', '-', 'stalled', '-']);
    expect(STREAM_HEALTH_LIMITS.minRecoveryIntervalMs).to.equal(4000);
  });

  it('a recovery from before (a previous episode) less than 4 s ago holds the next one back', () => {
    const a = flowing(2);
    // The last recovery was at 11 000 ms; the samples come at 10 000, 11 000, …: ripe at 14 000, allowed at 15 000.
    expect(run([flowing(1), a, a, a, a, a, a], { lastRecoveryAt: 11_000 })).to.deep.equal(['-', '-', '-', '-', '-', 'stalled', '-']);
  });

  it('a call without inbound video forgets the episode', () => {
    const a = flowing(2);
    expect(run([flowing(1), a, a, undefined, a, a, a, a])).to.deep.equal(['-', '-', '-', '-', '-', '-', '-', 'stalled']);
  });
});
