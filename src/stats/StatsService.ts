import { logger } from '../logger.js';
import { statsInfo, type OutgoingInfo } from '../protocol/outgoing.js';
import { decideStatsInfo, type StatsInfoHistory } from './info-policy.js';
import { HISTORY_MS, nextInterval } from './interval.js';
import { parseStats, sampleOf, type StatsCounters } from './parse.js';
import { assessQuality } from './quality.js';
import type { ResolvedCallSettings } from './settings.js';
import { safeDelay, whenIdle } from '../timing.js';
import { type CallStats, initialStatsSnapshot, type QualityAssessment, type StatsEvents, type StatsSnapshot } from './types.js';
import type { Emit } from '../emitter.js';

export interface StatsDeps {
  /** The call's peer connection, while there is one. */
  readonly peerConnection: () => RTCPeerConnection | undefined;
  /** The sent camera track (tells the camera's stream from a presentation's). */
  readonly cameraTrack: () => MediaStreamTrack | undefined;
  readonly sendInfo: (info: OutgoingInfo) => Promise<void>;
  readonly settings: () => ResolvedCallSettings;
  readonly update: (next: StatsSnapshot) => void;
  readonly emit: Emit<StatsEvents>;
  /** A monotonic clock in ms (default `performance.now()`); tests inject one. */
  readonly now?: () => number;
  /** Timers (default `setTimeout`/`clearTimeout`); tests inject manual ones. */
  readonly timers?: Timers;
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  /** Runs `callback` when the page is next idle, within `timeoutMs` at the latest (default: `set(callback, 0)`). */
  idle?(callback: () => void, timeoutMs: number): unknown;
  clear(handle: unknown): void;
}

/** The real timers' handle is the function that cancels it. */
const realTimers: Timers = {
  set: (callback, ms) => {
    const id = setTimeout(callback, safeDelay(ms));
    return () => clearTimeout(id);
  },
  idle: whenIdle,
  clear: (handle) => (handle as () => void)(),
};

/**
 * Collects `getStats()` on the call's peer connection while a call runs: parsed stats, 60 s of
 * history and a quality rating in the snapshot, `stats:collected` per collection, and the `stats`
 * INFO with the available incoming bitrate when it changes by a quarter (see info-policy.ts).
 */
export class StatsService {
  private snapshot: StatsSnapshot = initialStatsSnapshot;
  private running = false;
  private timer: unknown;
  private counters: StatsCounters | undefined;
  private inFlight: Promise<CallStats | undefined> | undefined;
  /** Bumped on every start and stop: a collection from an earlier call is dropped. */
  private generation = 0;
  /** The previous sample of the available incoming bitrate (what the `stats` INFO compares with). */
  private infoHistory: StatsInfoHistory;
  /** The peer connection the counters and the INFO history belong to. */
  private peer: RTCPeerConnection | undefined;

  private readonly timers: Timers;

  constructor(private readonly deps: StatsDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  get state(): StatsSnapshot {
    return this.snapshot;
  }

  /** Starts collecting (the call is established). A running collection keeps going. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation += 1;
    this.counters = undefined;
    this.infoHistory = undefined;
    this.peer = undefined;
    const intervalMs = this.deps.settings().statsIntervalMs;
    this.publish({ ...initialStatsSnapshot, collecting: true, intervalMs });
    // The first collection as soon as the page is idle (within one interval): its counters are the baseline
    // for the first bitrates, and it does not compete with the work of showing the first frame.
    this.schedule(intervalMs, true);
  }

  /** Stops collecting (the call ended). The last stats stay in the snapshot until the next call. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation += 1;
    this.clearTimer();
    this.inFlight = undefined;
    this.publish({ collecting: false });
  }

  /** Applies a changed interval now instead of after the current wait. */
  settingsChanged(): void {
    if (!this.running || this.inFlight) return;
    this.schedule(this.deps.settings().statsIntervalMs);
  }

  /**
   * Collects once now (sharing a collection that is already running). Resolves to `undefined`
   * outside a call or when the browser cannot report; never rejects.
   */
  collect(): Promise<CallStats | undefined> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * Forgets the previous sample of the available incoming bitrate, so that the next value starts a
   * new history and is not sent: the call was confirmed again (a redial), a receive leg opened or
   * closed, or the quality changed.
   */
  resetInfoHistory(): void {
    this.infoHistory = undefined;
  }

  dispose(): void {
    this.stop();
  }

  /** The next collection in `delayMs`, or when the page is next idle within `delayMs` (`whenIdle`). */
  private schedule(delayMs: number, whenIdle = false): void {
    this.clearTimer();
    if (!this.running) return;
    const run = (): void => {
      this.timer = undefined;
      void this.collect().then(() => {
        if (this.running && this.timer === undefined && !this.inFlight) this.schedule(this.snapshot.intervalMs);
      });
    };
    this.timer = whenIdle ? (this.timers.idle?.(run, delayMs) ?? this.timers.set(run, 0)) : this.timers.set(run, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<CallStats | undefined> {
    const peer = this.deps.peerConnection();
    if (!this.running || !peer || typeof peer.getStats !== 'function') return undefined;
    const generation = this.generation;
    const now = this.deps.now ?? (() => performance.now());
    const started = now();
    let report: unknown;
    try {
      report = await peer.getStats();
    } catch (error) {
      logger.debug('getStats failed', error);
      return undefined;
    }
    const durationMs = now() - started;
    if (generation !== this.generation || !this.running) return undefined;
    if (peer !== this.peer) {
      // A new peer connection (a redial): its counters and its bitrate estimate start afresh.
      this.peer = peer;
      this.counters = undefined;
      this.infoHistory = undefined;
    }

    let stats: CallStats;
    let quality: QualityAssessment;
    try {
      const parsed = parseStats(report, this.counters, { cameraTrackId: this.deps.cameraTrack()?.id });
      this.counters = parsed.counters;
      stats = parsed.stats;
      quality = assessQuality(stats);
    } catch (error) {
      // parseStats is written not to throw; this is the belt to its braces.
      logger.warn('could not parse stats', error);
      return undefined;
    }
    const intervalMs = nextInterval(this.deps.settings().statsIntervalMs, durationMs);
    if (intervalMs !== this.deps.settings().statsIntervalMs) logger.debug(`stats took ${durationMs.toFixed(1)} ms: next in ${intervalMs} ms`);
    const since = stats.timestamp - HISTORY_MS;
    const history = [...this.snapshot.history.filter((s) => s.timestamp >= since && s.timestamp < stats.timestamp), sampleOf(stats)];
    this.publish({ latest: stats, history, quality, intervalMs });
    this.deps.emit('stats:collected', { stats, quality, durationMs, intervalMs });
    this.maybeSendInfo(stats.availableIncomingBitrate);
    return stats;
  }

  /** Sends the `stats` INFO when the available incoming bitrate moved by a quarter (see info-policy.ts). */
  private maybeSendInfo(bitrate: number | undefined): void {
    const decision = decideStatsInfo(this.infoHistory, bitrate);
    this.infoHistory = decision.history;
    const value = decision.send;
    // `statsInfoIntervalMs: 0` turns the INFO off; any other value sends it as the protocol says.
    if (value === undefined || this.deps.settings().statsInfoIntervalMs === 0) return;
    const generation = this.generation;
    const info = statsInfo(value);
    this.deps
      .sendInfo(info)
      .then(() => {
        if (generation !== this.generation) return;
        this.deps.emit('stats:info-sent', { availableIncomingBitrate: Math.max(0, Math.round(value)) });
      })
      .catch((error: unknown) => logger.debug('stats INFO failed', error));
  }

  private publish(patch: Partial<StatsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
