import { expect } from '@open-wc/testing';
import { nextInterval, stretchFactor } from './interval.js';
import { parseStats, sampleOf, type StatsCounters } from './parse.js';
import { assessQuality } from './quality.js';
import { resolveCallSettings, DEFAULT_CALL_SETTINGS } from './settings.js';
import type { CallStats, RtpStreamStats } from './types.js';
import { logger } from '../logger.js';

type Report = Array<Record<string, unknown>>;
interface Fixture {
  browser: string;
  scenario: string;
  reports: Report[];
}

/** Real `getStats()` reports recorded from a call against vinteo-dev-server (scripts/record-stats-fixtures.mjs). */
async function fixture(name: 'start' | 'steady' | 'paused'): Promise<Fixture> {
  const response = await fetch(new URL(`../../test/fixtures/stats/chromium-call-${name}.json`, import.meta.url));
  expect(response.ok, `fixture ${name}`).to.equal(true);
  return (await response.json()) as Fixture;
}

const entry = (report: Report, type: string, kind?: string): Record<string, unknown> =>
  report.find((e) => e['type'] === type && (kind === undefined || e['kind'] === kind))!;

/** Parses reports in order, each with the previous one's counters. */
function parseAll(reports: readonly unknown[]): CallStats[] {
  let counters: StatsCounters | undefined;
  return reports.map((report) => {
    const parsed = parseStats(report, counters);
    counters = parsed.counters;
    return parsed.stats;
  });
}

describe('stats: interval stretching', () => {
  const cases: Array<[durationMs: number, factor: number]> = [
    [0, 1],
    [5, 1],
    [16, 1],
    [16.01, 2],
    [20, 2],
    [32, 2],
    [32.01, 3],
    [40, 3],
    [48, 3],
    [48.01, 4],
    [250, 4],
    [Number.POSITIVE_INFINITY, 4],
    [Number.NaN, 1],
    [-3, 1],
  ];
  for (const [duration, factor] of cases) {
    it(`a collection of ${duration} ms stretches the interval ${factor}×`, () => {
      expect(stretchFactor(duration)).to.equal(factor);
      expect(nextInterval(1000, duration)).to.equal(1000 * factor);
      expect(nextInterval(250, duration)).to.equal(250 * factor);
    });
  }
});

describe('stats: settings', () => {
  const warn = logger.level;
  before(() => {
    logger.level = 'silent';
  });
  after(() => {
    logger.level = warn;
  });
  const cases: Array<{ name: string; input: Parameters<typeof resolveCallSettings>[0]; expected: Partial<ReturnType<typeof resolveCallSettings>> }> = [
    { name: 'defaults', input: {}, expected: DEFAULT_CALL_SETTINGS },
    { name: 'a stats interval', input: { statsIntervalMs: 2500 }, expected: { statsIntervalMs: 2500 } },
    { name: 'a stats interval below 100 ms falls back', input: { statsIntervalMs: 10 }, expected: { statsIntervalMs: 1000 } },
    { name: 'NaN falls back', input: { statsIntervalMs: Number.NaN, balancerDelayMs: Number.NaN }, expected: { statsIntervalMs: 1000, balancerDelayMs: 10_000 } },
    { name: 'balancer off, no delay', input: { balancer: false, balancerDelayMs: 0 }, expected: { balancer: false, balancerDelayMs: 0 } },
    { name: 'a negative delay falls back', input: { balancerDelayMs: -1 }, expected: { balancerDelayMs: 10_000 } },
    { name: 'ignored codec, any case, with video/', input: { balancerIgnoreCodec: ' Video/VP9 ' }, expected: { balancerIgnoreCodec: 'vp9' } },
    { name: 'ignore nothing with none', input: { balancerIgnoreCodec: 'none' }, expected: { balancerIgnoreCodec: '' } },
    { name: 'ignore nothing with an empty string', input: { balancerIgnoreCodec: '' }, expected: { balancerIgnoreCodec: '' } },
    { name: 'no stats INFO', input: { statsInfoIntervalMs: 0 }, expected: { statsInfoIntervalMs: 0 } },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      expect(resolveCallSettings(input)).to.include(expected);
    });
  }
});

describe('stats: parsing recorded Chromium reports', () => {
  it('the first report of a call: no bitrate yet, counters and types parsed, nothing thrown', async () => {
    const { reports, browser } = await fixture('start');
    expect(browser).to.match(/Chromium/);
    const [first, second] = parseAll(reports);
    expect(first!.timestamp).to.be.greaterThan(1.7e12);
    expect(first!.sendBitrate).to.equal(undefined);
    expect(first!.receiveBitrate).to.equal(undefined);
    expect(first!.availableIncomingBitrate).to.equal(undefined);
    for (const stream of first!.streams) expect(stream.bitrate, stream.id).to.equal(undefined);
    // One second later every stream has a bitrate from the delta.
    expect(second!.outbound.video!.bitrate).to.be.greaterThan(0);
    expect(second!.outbound.audio!.bitrate).to.be.greaterThan(0);
    expect(second!.sendBitrate).to.be.greaterThan(0);
    // The received streams appeared only in the second report: their first delta comes with the third.
    expect(second!.inbound.video!.packets).to.be.greaterThan(0);
    expect(second!.inbound.video!.bitrate).to.equal(undefined);
    expect(second!.candidatePair!.availableIncomingBitrate).to.equal(undefined);
    expect(second!.availableIncomingBitrate).to.equal(undefined);
  });

  it('without a receive-side estimate there is no stats INFO value: never the bitrate received instead', async () => {
    const { reports } = await fixture('steady');
    const stripped = reports.map((report) => report.map(({ availableIncomingBitrate: _drop, ...rest }) => rest));
    const [, b] = parseAll(stripped);
    expect(b!.candidatePair!.availableIncomingBitrate).to.equal(undefined);
    expect(b!.receiveBitrate).to.be.greaterThan(0);
    expect(b!.availableIncomingBitrate).to.equal(undefined);
  });

  it('a steady call: bitrate from byte deltas, loss, jitter, fps, resolution, codec, NACK/PLI, candidate pair, transport', async () => {
    const { reports } = await fixture('steady');
    const [a, b, c] = parseAll(reports);
    for (const stats of [b!, c!]) {
      for (const [direction, kind] of [
        ['inbound', 'audio'],
        ['inbound', 'video'],
        ['outbound', 'audio'],
        ['outbound', 'video'],
      ] as const) {
        const stream = stats[direction][kind]!;
        expect(stream, `${direction} ${kind}`).not.to.equal(undefined);
        expect(stream.direction).to.equal(direction);
        expect(stream.kind).to.equal(kind);
        expect(stream.bitrate, `${direction} ${kind} bitrate`).to.be.greaterThan(0);
      }
    }
    // The bitrate is exactly 8 × Δbytes / Δt of the raw entries.
    const raw0 = entry(reports[0]!, 'inbound-rtp', 'video');
    const raw1 = entry(reports[1]!, 'inbound-rtp', 'video');
    const expected = Math.round(
      ((Number(raw1['bytesReceived']) - Number(raw0['bytesReceived'])) * 8) / ((Number(raw1['timestamp']) - Number(raw0['timestamp'])) / 1000),
    );
    expect(b!.inbound.video!.bitrate).to.equal(expected);
    expect(b!.receiveBitrate).to.equal(b!.inbound.video!.bitrate! + b!.inbound.audio!.bitrate!);
    expect(b!.sendBitrate).to.equal(b!.outbound.video!.bitrate! + b!.outbound.audio!.bitrate!);

    const video = c!.inbound.video!;
    expect(video.codec).to.equal('video/VP8');
    expect(c!.inbound.audio!.codec).to.equal('audio/opus');
    expect(video.width).to.equal(640);
    expect(video.height).to.equal(480);
    expect(video.framesPerSecond).to.be.within(1, 60);
    expect(video.lossPercent).to.equal(0);
    expect(video.jitterMs).to.equal(Number(entry(reports[2]!, 'inbound-rtp', 'video')['jitter']) * 1000);
    expect(video.nackCount).to.be.a('number');
    expect(video.pliCount).to.be.a('number');
    expect(video.firCount).to.be.a('number');
    expect(video.framesReceived).to.equal(entry(reports[2]!, 'inbound-rtp', 'video')['framesReceived']);
    expect(video.framesDecoded).to.equal(entry(reports[2]!, 'inbound-rtp', 'video')['framesDecoded']);
    expect(video.framesDecoded).to.be.greaterThan(0);
    expect(video.mid).to.equal('1');
    expect(c!.inbound.audio!.width).to.equal(undefined);
    const sent = c!.outbound.video!;
    expect(sent.codec).to.equal('video/VP8');
    expect(sent.width).to.equal(640);
    expect(sent.trackIdentifier).to.be.a('string');
    expect(sent.qualityLimitationReason).to.equal('none');
    expect(sent.roundTripTimeMs).to.be.a('number');
    expect(sent.lossPercent).to.equal(0);

    const pair = c!.candidatePair!;
    expect(pair.localCandidateType).to.equal('host');
    expect(pair.remoteCandidateType).to.equal('host');
    expect(pair.protocol).to.equal('udp');
    expect(pair.roundTripTimeMs).to.be.within(0, 100);
    expect(pair.availableOutgoingBitrate).to.be.greaterThan(0);
    // Chromium's receive-side estimate, once it has one, is what the stats INFO reports.
    const rawPair = reports[2]!.find((e) => e['id'] === pair.id)!;
    expect(pair.availableIncomingBitrate).to.equal(rawPair['availableIncomingBitrate']);
    expect(pair.availableIncomingBitrate).to.be.greaterThan(0);
    expect(c!.availableIncomingBitrate).to.equal(pair.availableIncomingBitrate);
    expect(c!.transport!.dtlsState).to.equal('connected');
    expect(c!.transport!.iceState).to.equal('connected');
    expect(c!.transport!.srtpCipher).to.be.a('string');
    expect(a!.streams.map((s) => `${s.direction} ${s.kind}`)).to.deep.equal(['inbound audio', 'inbound video', 'outbound audio', 'outbound video']);

    const sample = sampleOf(c!);
    expect(sample.sendBitrate).to.equal(c!.sendBitrate);
    expect(sample.receiveLossPercent).to.equal(0);
    expect(sample.roundTripTimeMs).to.equal(pair.roundTripTimeMs);
    expect(sample.receiveFramesPerSecond).to.equal(video.framesPerSecond);
    expect(assessQuality(c!)).to.deep.equal({ level: 'good', reasons: [] });
  });

  it('a paused camera: the tiny sent resolution and a bitrate an order of magnitude lower', async () => {
    const steady = parseAll((await fixture('steady')).reports)[2]!;
    const [, paused] = parseAll((await fixture('paused')).reports);
    expect(paused!.outbound.video!.width).to.be.below(40);
    expect(paused!.outbound.video!.bitrate! * 5).to.be.below(steady.outbound.video!.bitrate!);
  });

  it('the camera is picked by its track when a second video is sent', async () => {
    const report = (await fixture('steady')).reports[2]!;
    const camera = entry(report, 'outbound-rtp', 'video');
    const source = report.find((e) => e['id'] === camera['mediaSourceId'])!;
    // A presentation: another outbound video with a lower mid and its own source.
    const extra: Report = [
      ...report,
      { ...camera, id: 'OT01Vextra', ssrc: 1, mid: '0', mediaSourceId: 'SVextra' },
      { id: 'SVextra', type: 'media-source', kind: 'video', trackIdentifier: 'screen', timestamp: camera['timestamp'] },
    ];
    expect(parseStats(extra).stats.outbound.video!.id).to.equal('OT01Vextra');
    expect(parseStats(extra, undefined, { cameraTrackId: String(source['trackIdentifier']) }).stats.outbound.video!.id).to.equal(camera['id']);
    expect(parseStats(extra).stats.streams.filter((s) => s.direction === 'outbound' && s.kind === 'video')).to.have.length(2);
  });

  it('takes an RTCStatsReport-like Map as well as an array', async () => {
    const report = (await fixture('steady')).reports[1]!;
    const map = new Map(report.map((e) => [String(e['id']), e]));
    expect(parseStats(map).stats).to.deep.equal(parseStats(report).stats);
  });
});

describe('stats: malformed and partial reports never throw', () => {
  const base = (overrides: Record<string, unknown> = {}, at = 1000): Report => [
    { id: 'IV', type: 'inbound-rtp', kind: 'video', timestamp: at, bytesReceived: 1000, packetsReceived: 10, packetsLost: 0, ...overrides },
  ];

  const junk: Array<[string, unknown]> = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'stats'],
    ['an empty array', []],
    ['an array of junk', [null, 1, 'x', {}, { id: 'only-id' }, { type: 'inbound-rtp' }, { id: 3, type: 'inbound-rtp' }]],
    ['an object without values', { foo: 1 }],
    ['values() that throws', { values: () => { throw new Error('boom'); } }],
    ['an inbound stream without a kind', [{ id: 'x', type: 'inbound-rtp', timestamp: 1, bytesReceived: 5 }]],
    ['strings where numbers belong', base({ bytesReceived: '1000', packetsReceived: '10', jitter: 'high', frameWidth: '640' })],
    ['NaN and Infinity', base({ bytesReceived: Number.NaN, jitter: Number.POSITIVE_INFINITY, timestamp: Number.NaN })],
    ['a codec id that points nowhere', base({ codecId: 'missing' })],
    ['a remote id that points nowhere', [{ id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: 1, bytesSent: 1, remoteId: 'nope' }]],
    ['a transport naming a missing pair', [{ id: 'T', type: 'transport', selectedCandidatePairId: 'gone' }]],
    ['a pair without candidates', [{ id: 'CP', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 'x' }]],
  ];
  for (const [name, report] of junk) {
    it(name, () => {
      const { stats } = parseStats(report);
      expect(stats.streams.every((s) => typeof s.id === 'string')).to.equal(true);
      expect(() => sampleOf(stats)).not.to.throw();
      expect(() => assessQuality(stats)).not.to.throw();
    });
  }

  it('missing fields stay undefined; missing counters count as zero', () => {
    const { stats } = parseStats([{ id: 'IV', type: 'inbound-rtp', kind: 'video', timestamp: 5 }]);
    const video = stats.inbound.video!;
    expect(video.bytes).to.equal(0);
    expect(video.packets).to.equal(0);
    expect(video.jitterMs).to.equal(undefined);
    expect(video.width).to.equal(undefined);
    expect(video.codec).to.equal(undefined);
    expect(stats.candidatePair).to.equal(undefined);
    expect(stats.transport).to.equal(undefined);
  });

  it('zero deltas: the same timestamp gives no bitrate; no packets in an interval is 0 % loss', () => {
    const first = parseStats(base());
    const same = parseStats(base(), first.counters);
    expect(same.stats.inbound.video!.bitrate).to.equal(undefined);
    const idle = parseStats(base({}, 2000), first.counters);
    expect(idle.stats.inbound.video!.bitrate).to.equal(0);
    expect(idle.stats.inbound.video!.lossPercent).to.equal(0);
    expect(idle.stats.receiveBitrate).to.equal(0);
  });

  it('interval loss from packet deltas', () => {
    const first = parseStats(base());
    const next = parseStats(base({ bytesReceived: 2000, packetsReceived: 100, packetsLost: 10 }, 2000), first.counters);
    expect(next.stats.inbound.video!.lossPercent).to.equal(10);
    expect(next.stats.inbound.video!.bitrate).to.equal(8000);
  });

  it('a counter reset gives no bitrate once, then counts from the new baseline', () => {
    const first = parseStats(base({ bytesReceived: 50_000, packetsReceived: 500, packetsLost: 9 }));
    const reset = parseStats(base({ bytesReceived: 100, packetsReceived: 2, packetsLost: 0 }, 2000), first.counters);
    expect(reset.stats.inbound.video!.bitrate).to.equal(undefined);
    expect(reset.stats.inbound.video!.lossPercent).to.equal(undefined);
    const after = parseStats(base({ bytesReceived: 1100, packetsReceived: 12, packetsLost: 0 }, 3000), reset.counters);
    expect(after.stats.inbound.video!.bitrate).to.equal(8000);
    expect(after.stats.inbound.video!.lossPercent).to.equal(0);
  });

  it('a time that goes backwards gives no bitrate', () => {
    const first = parseStats(base({}, 5000));
    expect(parseStats(base({ bytesReceived: 9000 }, 4000), first.counters).stats.inbound.video!.bitrate).to.equal(undefined);
  });

  it('fraction lost is clamped to 0–100 %', () => {
    const report = [
      { id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: 1, bytesSent: 1, packetsSent: 1, remoteId: 'R' },
      { id: 'R', type: 'remote-inbound-rtp', kind: 'video', timestamp: 1, fractionLost: 7, packetsLost: -1, roundTripTime: 0.2 },
    ];
    const video = parseStats(report).stats.outbound.video!;
    expect(video.lossPercent).to.equal(100);
    expect(video.roundTripTimeMs).to.equal(200);
  });
});

describe('stats: quality', () => {
  const stream = (patch: Partial<RtpStreamStats>): RtpStreamStats => ({
    id: `${patch.direction ?? 'inbound'}-${patch.kind ?? 'video'}`,
    kind: 'video',
    direction: 'inbound',
    ssrc: 1,
    mid: '1',
    trackIdentifier: undefined,
    packets: 100,
    bytes: 10_000,
    bitrate: 500_000,
    packetsLost: 0,
    lossPercent: 0,
    jitterMs: 5,
    roundTripTimeMs: undefined,
    framesPerSecond: 25,
    width: 640,
    height: 480,
    codec: 'video/VP8',
    nackCount: 0,
    pliCount: 0,
    firCount: 0,
    framesDropped: 0,
    framesReceived: 1000,
    framesDecoded: 1000,
    qualityLimitationReason: undefined,
    ...patch,
  });
  const stats = (inbound: Partial<RtpStreamStats> = {}, outbound: Partial<RtpStreamStats> = {}, rtt = 20): CallStats => {
    const down = stream(inbound);
    const up = stream({ direction: 'outbound', qualityLimitationReason: 'none', ...outbound });
    return {
      timestamp: 1,
      inbound: { audio: undefined, video: down },
      outbound: { audio: undefined, video: up },
      streams: [down, up],
      candidatePair: {
        id: 'CP',
        state: 'succeeded',
        roundTripTimeMs: rtt,
        localCandidateType: 'host',
        remoteCandidateType: 'host',
        protocol: 'udp',
        availableOutgoingBitrate: 1e6,
        availableIncomingBitrate: undefined,
        bytesSent: 1,
        bytesReceived: 1,
      },
      transport: undefined,
      sendBitrate: up.bitrate,
      receiveBitrate: down.bitrate,
      availableIncomingBitrate: undefined,
    };
  };
  const cases: Array<{ name: string; stats: CallStats; level: string; codes: string[] }> = [
    { name: 'all fine', stats: stats(), level: 'good', codes: [] },
    { name: 'receive loss just under 2 %', stats: stats({ lossPercent: 1.99 }), level: 'good', codes: [] },
    { name: 'receive loss 2 %', stats: stats({ lossPercent: 2 }), level: 'fair', codes: ['receive-loss'] },
    { name: 'receive loss 10 %', stats: stats({ lossPercent: 10 }), level: 'poor', codes: ['receive-loss'] },
    { name: 'send loss 5 %', stats: stats({}, { lossPercent: 5 }), level: 'fair', codes: ['send-loss'] },
    { name: 'RTT 250 ms', stats: stats({}, {}, 250), level: 'fair', codes: ['round-trip-time'] },
    { name: 'RTT 500 ms', stats: stats({}, {}, 500), level: 'poor', codes: ['round-trip-time'] },
    { name: 'jitter 30 ms', stats: stats({ jitterMs: 30 }), level: 'fair', codes: ['jitter'] },
    { name: 'jitter 100 ms', stats: stats({ jitterMs: 100 }), level: 'poor', codes: ['jitter'] },
    { name: 'received video at 8 fps', stats: stats({ framesPerSecond: 8 }), level: 'fair', codes: ['frame-rate'] },
    { name: 'no frame rate judgement without video bitrate', stats: stats({ framesPerSecond: 1, bitrate: undefined }), level: 'good', codes: [] },
    { name: 'encoder limited by bandwidth', stats: stats({}, { qualityLimitationReason: 'bandwidth' }), level: 'fair', codes: ['send-limited'] },
    { name: 'nothing received', stats: stats({ bitrate: 0, framesPerSecond: 0 }), level: 'poor', codes: ['no-incoming-media'] },
    {
      name: 'several reasons, worst first',
      stats: stats({ lossPercent: 3, jitterMs: 150 }, {}, 300),
      level: 'poor',
      codes: ['jitter', 'receive-loss', 'round-trip-time'],
    },
  ];
  for (const { name, stats: input, level, codes } of cases) {
    it(name, () => {
      const quality = assessQuality(input);
      expect(quality.level).to.equal(level);
      expect(quality.reasons.map((r) => r.code)).to.deep.equal(codes);
    });
  }
});
