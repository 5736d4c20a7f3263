// The stats service (collection on a timer, stretching, history) and the `stats` INFO (vinteo-protocol.md §9).
import { expect, waitUntil } from '@open-wc/testing';
import { decideStatsInfo } from './info-policy.js';
import { resolveCallSettings } from './settings.js';
import { StatsService } from './StatsService.js';
import type { StatsEvents, StatsSnapshot } from './types.js';
import type { OutgoingInfo } from '../protocol/outgoing.js';

type Report = Array<Record<string, unknown>>;

describe('stats: when the stats INFO goes out (decideStatsInfo)', () => {
  const cases: Array<[history: number | undefined, value: number | undefined, send: number | undefined, next: number | undefined]> = [
    [undefined, 100, undefined, 100],
    [undefined, undefined, undefined, undefined],
    [100, undefined, undefined, 100],
    [100, 100, undefined, 100],
    [100, 124, undefined, 124],
    [100, 125, 125, 125],
    [100, 76, undefined, 76],
    [100, 75, 75, 75],
    [100, 0, 0, 0],
    [0, 0, undefined, 0],
    [0, 1, 1, 1],
    [100, Number.NaN, undefined, 100],
    [100, Number.POSITIVE_INFINITY, undefined, 100],
    [100, -5, undefined, 100],
  ];
  for (const [history, value, send, next] of cases) {
    it(`after ${String(history)}, ${String(value)} ${send === undefined ? 'sends nothing' : `sends ${send}`}`, () => {
      expect(decideStatsInfo(history, value)).to.deep.equal({ send, history: next });
    });
  }
});

describe('StatsService', () => {
  /** A peer connection whose getStats() returns the given reports in turn and takes `took` ms of the fake clock. */
  function fakePeer(reports: readonly unknown[], took: () => number) {
    let clock = 0;
    let index = 0;
    const peer = {
      calls: 0,
      getStats: () => {
        peer.calls += 1;
        clock += took();
        const report = reports[Math.min(index, reports.length - 1)];
        index += 1;
        return Promise.resolve(report);
      },
    };
    return { peer, now: () => clock };
  }

  /** Timers that never fire by themselves: collections happen when the test calls collect(). */
  const manualTimers = { set: () => ({}), clear: () => {} };

  function service(
    reports: readonly unknown[],
    options: { took?: () => number; infoEvery?: number; interval?: number; realTimers?: boolean } = {},
  ) {
    const { peer, now } = fakePeer(reports, options.took ?? (() => 2));
    const infos: OutgoingInfo[] = [];
    const events: Array<StatsEvents['stats:collected']> = [];
    let snapshot: StatsSnapshot | undefined;
    const stats = new StatsService({
      peerConnection: () => peer as unknown as RTCPeerConnection,
      cameraTrack: () => undefined,
      sendInfo: (info) => {
        infos.push(info);
        return Promise.resolve();
      },
      settings: () => resolveCallSettings({ statsIntervalMs: options.interval ?? 60_000, statsInfoIntervalMs: options.infoEvery ?? 10_000 }),
      update: (next) => {
        snapshot = next;
      },
      emit: (type, payload) => {
        if (type === 'stats:collected') events.push(payload as StatsEvents['stats:collected']);
      },
      now,
      ...(options.realTimers ? {} : { timers: manualTimers }),
    });
    return { stats, peer, infos, events, snapshot: () => snapshot! };
  }

  const report = (at: number, bytes: number): Report => [
    { id: 'IV', type: 'inbound-rtp', kind: 'video', timestamp: at, bytesReceived: bytes, packetsReceived: bytes / 100, packetsLost: 0 },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: at, bytesSent: bytes * 2, packetsSent: bytes / 50 },
  ];
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('collects nothing before start and after stop', async () => {
    const { stats, peer } = service([report(1000, 1000)]);
    expect(await stats.collect()).to.equal(undefined);
    stats.start();
    expect(await stats.collect()).not.to.equal(undefined);
    stats.stop();
    const calls = peer.calls;
    expect(await stats.collect()).to.equal(undefined);
    expect(peer.calls).to.equal(calls);
  });

  const stretches: Array<[took: number, interval: number]> = [
    [10, 1000],
    [20, 2000],
    [40, 3000],
    [60, 4000],
  ];
  for (const [took, interval] of stretches) {
    it(`a collection that takes ${took} ms sets the next interval to ${interval} ms`, async () => {
      const { stats, snapshot, events } = service([report(1000, 1000)], { took: () => took, interval: 1000 });
      stats.start();
      await stats.collect();
      expect(snapshot().intervalMs).to.equal(interval);
      expect(events.at(-1)!.intervalMs).to.equal(interval);
      expect(events.at(-1)!.durationMs).to.equal(took);
      stats.stop();
    });
  }

  it('publishes latest stats, quality and a 60 s history', async () => {
    const reports = [report(1000, 1000), report(2000, 11_000), report(3000, 21_000), report(4000, 40_000), report(70_000, 50_000)];
    const { stats, snapshot, infos } = service(reports);
    stats.start();
    await stats.collect();
    expect(snapshot().collecting).to.equal(true);
    expect(snapshot().history).to.have.length(1);
    await stats.collect();
    expect(snapshot().latest!.receiveBitrate).to.equal(80_000);
    expect(snapshot().quality!.level).to.equal('good');
    await stats.collect();
    await stats.collect();
    expect(snapshot().history).to.have.length(4);
    // 66 s later: the old samples are out of the 60 s window.
    await stats.collect();
    expect(snapshot().history.map((s) => s.timestamp)).to.deep.equal([70_000]);
    await tick();
    // The received bitrate rose from 80 to 152 kbit/s, but the browser reported no estimate: no INFO.
    expect(infos).to.deep.equal([]);
    stats.stop();
    expect(snapshot().collecting).to.equal(false);
    expect(snapshot().latest).not.to.equal(undefined);
  });

  /** Reports whose candidate pair gives these `availableIncomingBitrate` values in turn (`undefined`: not reported). */
  const estimates = (values: ReadonlyArray<number | undefined>): Report[] =>
    values.map((value, i) => [
      ...report(1000 * (i + 1), 1000 * (i + 1)),
      { id: 'T', type: 'transport', timestamp: 1000 * (i + 1), selectedCandidatePairId: 'CP' },
      {
        id: 'CP',
        type: 'candidate-pair',
        timestamp: 1000 * (i + 1),
        state: 'succeeded',
        nominated: true,
        ...(value === undefined ? {} : { availableIncomingBitrate: value }),
      },
    ]);

  /** Collects once per report and returns the INFO values sent (numbers) after each collection. */
  async function sentAfterEach(stats: StatsService, infos: OutgoingInfo[], count: number): Promise<number[][]> {
    const values = (): number[] => infos.map((i) => Number(i.headers[0]!.split(': ')[1]));
    const seen: number[][] = [];
    for (let i = 0; i < count; i += 1) {
      await stats.collect();
      await tick();
      seen.push(values());
    }
    return seen;
  }

  it('the stats INFO: the first value never; a change of 25 % between two samples or a rise from 0; nothing periodic', async () => {
    const values = [100_000, 100_000, 120_000, 150_000, 150_000, 150_000, 150_000, 0, 0, 10, 12, 13];
    const { stats, infos } = service(estimates(values), { infoEvery: 1000 });
    stats.start();
    const seen = await sentAfterEach(stats, infos, values.length);
    const sent = seen.at(-1)!;
    // 100k first (not sent), 100k same, 120k +20 %, 150k +25 % (sent), 150k ×3 (no heartbeat), 0 −100 % (sent),
    // 0 same, 10 up from 0 (sent), 12 +20 %, 13 +8 %.
    expect(sent).to.deep.equal([150_000, 0, 10]);
    expect(seen.map((s) => s.length)).to.deep.equal([0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3]);
    expect(infos[0]).to.deep.equal({ contentType: 'application/vinteo.webrtc.stats', headers: ['x-webrtc-available-incoming-bitrate: 150000'] });
    stats.stop();
  });

  it('compares consecutive samples, not the last value sent: a slow drift sends nothing', async () => {
    // Each step is +20 %: never a quarter between two samples, though 100k → 249k in all.
    const values = [100_000, 120_000, 144_000, 172_800, 207_360, 248_832];
    const { stats, infos } = service(estimates(values));
    stats.start();
    await sentAfterEach(stats, infos, values.length);
    expect(infos).to.deep.equal([]);
    stats.stop();
  });

  it('nothing is sent while the browser reports no estimate, whatever the received bitrate does; a sample without one keeps the history', async () => {
    const values = [undefined, undefined, 100_000, undefined, 200_000, undefined];
    const { stats, infos } = service(estimates(values));
    stats.start();
    const seen = await sentAfterEach(stats, infos, values.length);
    // 100k is the first value; 200k is compared with it (+100 %): sent.
    expect(seen.map((s) => s.length)).to.deep.equal([0, 0, 0, 0, 1, 1]);
    expect(infos[0]!.headers).to.deep.equal(['x-webrtc-available-incoming-bitrate: 200000']);
    stats.stop();
  });

  it('the history starts again with each call and with resetInfoHistory(): the next value is a first value', async () => {
    const { stats, infos } = service(estimates([100_000, 300_000, 900_000, 100, 2_700_000]));
    stats.start();
    await stats.collect();
    stats.stop();
    // A new call: 300k is its first value.
    stats.start();
    await stats.collect();
    await tick();
    expect(infos).to.deep.equal([]);
    // A leg opened or closed: 900k is a first value too.
    stats.resetInfoHistory();
    await stats.collect();
    await tick();
    expect(infos).to.deep.equal([]);
    await stats.collect();
    await tick();
    expect(infos.map((i) => i.headers)).to.deep.equal([['x-webrtc-available-incoming-bitrate: 100']]);
    stats.stop();
  });

  it('a new peer connection (a redial) starts a new history', async () => {
    const first = fakePeer(estimates([100_000, 100_000]), () => 1);
    const second = fakePeer(estimates([400_000, 400_000]), () => 1);
    let peer = first.peer;
    const infos: OutgoingInfo[] = [];
    const stats = new StatsService({
      peerConnection: () => peer as unknown as RTCPeerConnection,
      cameraTrack: () => undefined,
      sendInfo: (info) => {
        infos.push(info);
        return Promise.resolve();
      },
      settings: () => resolveCallSettings({ statsIntervalMs: 60_000 }),
      update: () => {},
      emit: () => {},
      now: first.now,
      timers: manualTimers,
    });
    stats.start();
    await stats.collect();
    peer = second.peer;
    await stats.collect();
    await stats.collect();
    await tick();
    expect(infos).to.deep.equal([]);
    stats.stop();
  });

  it('emits stats:info-sent once the server answered', async () => {
    const events: unknown[] = [];
    const { peer, now } = fakePeer(estimates([1000, 5000]), () => 1);
    const stats = new StatsService({
      peerConnection: () => peer as unknown as RTCPeerConnection,
      cameraTrack: () => undefined,
      sendInfo: () => Promise.resolve(),
      settings: () => resolveCallSettings({ statsIntervalMs: 60_000 }),
      update: () => {},
      emit: (type, payload) => {
        if (type === 'stats:info-sent') events.push(payload);
      },
      now,
      timers: manualTimers,
    });
    stats.start();
    await stats.collect();
    await stats.collect();
    await tick();
    expect(events).to.deep.equal([{ availableIncomingBitrate: 5000 }]);
    stats.stop();
  });

  it('statsInfoIntervalMs 0 never sends the INFO', async () => {
    const { stats, infos } = service(estimates([1000, 100_000]), { infoEvery: 0 });
    stats.start();
    await stats.collect();
    await stats.collect();
    await tick();
    expect(infos).to.deep.equal([]);
    stats.stop();
  });

  it('a getStats that rejects or a peer without getStats is skipped quietly', async () => {
    const failing = new StatsService({
      peerConnection: () => ({ getStats: () => Promise.reject(new Error('closed')) }) as unknown as RTCPeerConnection,
      cameraTrack: () => undefined,
      sendInfo: () => Promise.resolve(),
      settings: () => resolveCallSettings({}),
      update: () => {},
      emit: () => {},
    });
    failing.start();
    expect(await failing.collect()).to.equal(undefined);
    failing.stop();
    const bare = new StatsService({
      peerConnection: () => ({}) as RTCPeerConnection,
      cameraTrack: () => undefined,
      sendInfo: () => Promise.resolve(),
      settings: () => resolveCallSettings({}),
      update: () => {},
      emit: () => {},
    });
    bare.start();
    expect(await bare.collect()).to.equal(undefined);
    bare.stop();
  });

  it('runs on its own timer at the configured interval', async () => {
    const reports = Array.from({ length: 50 }, (_, i) => report(1000 * (i + 1), 1000 * (i + 1)));
    const { stats, peer, snapshot } = service(reports, { interval: 100, realTimers: true });
    stats.start();
    await waitUntil(() => peer.calls >= 3, 'fewer than three collections');
    expect(snapshot().latest).not.to.equal(undefined);
    stats.stop();
    const calls = peer.calls;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peer.calls).to.equal(calls);
  });
});
