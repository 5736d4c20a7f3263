import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import { isBalancerCommand, type MainCamInfo } from '../protocol/info.js';
import { AsyncQueue } from '../queue.js';
import { StateMachine } from '../state.js';
import type { ResolvedCallSettings } from '../stats/settings.js';
import { isIgnoredCodec } from './bitrate.js';
import { balancerParameters, type BalancerParameters } from './parameters.js';
import { safeDelay } from '../timing.js';
import { type BalancerEvents, type BalancerSkipReason, type BalancerSnapshot, type BalancerState, type BalancerTrigger, initialBalancerSnapshot } from './types.js';
import type { Emit } from '../emitter.js';

const TRANSITIONS: Readonly<Record<BalancerState, readonly BalancerState[]>> = {
  off: ['idle', 'waiting'],
  idle: ['waiting', 'off'],
  waiting: ['active', 'idle', 'off'],
  active: ['idle', 'off'],
};

export interface BalancerDeps {
  readonly peerConnection: () => RTCPeerConnection | undefined;
  /** The local stream's video track: the camera. A presentation's sender is never touched. */
  readonly cameraTrack: () => MediaStreamTrack | undefined;
  readonly settings: () => ResolvedCallSettings;
  readonly update: (next: BalancerSnapshot) => void;
  readonly emit: Emit<BalancerEvents>;
}

/** Polling for a changed camera track: from 1 s, doubling while nothing changes, up to 16 s. */
export const TRACK_POLL_MIN_MS = 1000;
export const TRACK_POLL_MAX_MS = 16_000;

/** Next poll interval: reset on a change, doubled (up to the maximum) otherwise. */
export function nextPollInterval(currentMs: number, changed: boolean): number {
  return changed ? TRACK_POLL_MIN_MS : Math.min(currentMs * 2, TRACK_POLL_MAX_MS);
}

const sameParameters = (encoding: RTCRtpEncodingParameters, wanted: BalancerParameters): boolean =>
  encoding.scaleResolutionDownBy === wanted.scaleResolutionDownBy && encoding.maxBitrate === wanted.maxBitrate;

/** The codec the sender sends with: from its stats, else the first negotiated one. */
async function senderCodec(sender: RTCRtpSender): Promise<string | undefined> {
  try {
    const report = await sender.getStats();
    let codec: string | undefined;
    report.forEach((entry: { type?: string; codecId?: string }) => {
      if (codec || entry.type !== 'outbound-rtp' || !entry.codecId) return;
      const found = report.get(entry.codecId) as { mimeType?: string } | undefined;
      codec = found?.mimeType;
    });
    if (codec) return codec;
  } catch (error) {
    logger.debug('sender stats failed', error);
  }
  try {
    return sender.getParameters().codecs?.[0]?.mimeType;
  } catch {
    return undefined;
  }
}

/**
 * The video sending balancer. A configurable delay after the call is confirmed (10 s by default) it
 * starts: it sets `scaleResolutionDownBy` and `maxBitrate` on the camera sender from the bitrate
 * table, follows the server's `PAUSEMAINCAM` / `RESUMEMAINCAM` / `MAXMAINCAMRESOLUTION` commands,
 * and re-balances when the sent track (or its size) changes. Commands that arrive before the start
 * are remembered (the last one wins) and applied when it starts. `setParameters` calls run one at a time.
 */
export class BalancerService {
  private snapshot: BalancerSnapshot = initialBalancerSnapshot;
  private readonly machine: StateMachine<BalancerState>;
  private readonly queue = new AsyncQueue();
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private pollMs = TRACK_POLL_MIN_MS;
  /** What the last balancing looked at: a different sender, track or size means re-balance. */
  private seen: { sender: RTCRtpSender | undefined; track: MediaStreamTrack | undefined; width?: number; height?: number } | undefined;
  private queued: BalancerTrigger | undefined;

  constructor(private readonly deps: BalancerDeps) {
    this.machine = new StateMachine<BalancerState>('balancer', 'idle', TRANSITIONS, (to, from) => {
      this.publish({ state: to });
      this.deps.emit('balancer:state', { state: to, previous: from });
    });
  }

  get state(): BalancerState {
    return this.machine.state;
  }

  get current(): BalancerSnapshot {
    return this.snapshot;
  }

  /** The call is established: wait for the start delay (or stay off). */
  callStarted(): void {
    this.reset();
    if (this.machine.state === 'waiting' || this.machine.state === 'active') this.machine.transition('idle');
    const settings = this.deps.settings();
    if (!settings.balancer) {
      this.machine.transition('off');
      return;
    }
    this.machine.transition('waiting');
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      this.begin();
    }, safeDelay(settings.balancerDelayMs));
  }

  /** The call ended: stop and forget this call's commands. */
  callEnded(): void {
    this.reset();
    this.machine.transition('idle');
  }

  /** A spectator's receive leg opens: the balancer stops while it is open (protocol §10). */
  legOpened(): void {
    if (this.machine.state === 'off') return;
    this.reset();
    if (this.machine.state !== 'idle') this.machine.transition('idle');
  }

  /** The receive leg closed in a running call: the balancer starts again after its delay (10 s by default). */
  legClosed(): void {
    if (this.machine.state === 'idle') this.callStarted();
  }

  /** A balancer command from the server (route.ts sends only those; a moderator's command is ignored). */
  handleCommand(info: MainCamInfo): void {
    const { command } = info;
    if (!isBalancerCommand(command)) return;
    const state = this.machine.state;
    if (state === 'off' || state === 'idle') {
      logger.debug(`balancer ${state}: ${command} ignored`);
      return;
    }
    const resolution = command === 'MAXMAINCAMRESOLUTION' ? info.resolution : undefined;
    this.publish({ command, maxResolution: resolution });
    this.deps.emit('balancer:command', { command, ...(resolution ? { resolution } : {}), deferred: state === 'waiting' });
    if (state === 'active') this.request('command');
  }

  /** The local stream changed (device switch): look at the camera sender again now. */
  trackChanged(): void {
    if (this.machine.state !== 'active') return;
    this.pollMs = TRACK_POLL_MIN_MS;
    if (this.observedChange()) this.request('track-change');
    this.schedulePoll();
  }

  dispose(): void {
    this.reset();
  }

  private begin(): void {
    if (this.machine.state !== 'waiting') return;
    this.machine.transition('active');
    this.request('start');
    this.pollMs = TRACK_POLL_MIN_MS;
    this.schedulePoll();
  }

  private reset(): void {
    if (this.startTimer !== undefined) clearTimeout(this.startTimer);
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.startTimer = undefined;
    this.pollTimer = undefined;
    this.seen = undefined;
    this.queued = undefined;
    this.publish({ command: undefined, maxResolution: undefined, parameters: undefined, codec: undefined, skipped: undefined });
  }

  private schedulePoll(): void {
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      if (this.machine.state !== 'active') return;
      const changed = this.observedChange();
      if (changed) this.request('track-change');
      this.pollMs = nextPollInterval(this.pollMs, changed);
      this.schedulePoll();
    }, safeDelay(this.pollMs));
  }

  /** The camera sender, found by the local stream's video track; never another video sender. */
  private cameraSender(): { sender: RTCRtpSender | undefined; track: MediaStreamTrack | undefined } {
    const track = this.deps.cameraTrack();
    const peer = this.deps.peerConnection();
    if (!track || !peer || typeof peer.getSenders !== 'function') return { sender: undefined, track };
    return { sender: peer.getSenders().find((s) => s.track !== null && s.track === track), track };
  }

  private observedChange(): boolean {
    const { sender, track } = this.cameraSender();
    const size = track?.getSettings() ?? {};
    const seen = this.seen;
    return !seen || seen.sender !== sender || seen.track !== track || seen.width !== size.width || seen.height !== size.height;
  }

  /** Queues one balancing; requests that pile up while one waits are merged (it reads the latest state). */
  private request(trigger: BalancerTrigger): void {
    const pending = this.queued !== undefined;
    // A command outranks a track change, which outranks the start.
    if (!pending || trigger === 'command' || (trigger === 'track-change' && this.queued === 'start')) this.queued = trigger;
    if (pending) return;
    void this.queue.push(async () => {
      const queued = this.queued;
      this.queued = undefined;
      if (queued === undefined || this.machine.state !== 'active') return;
      await this.balance(queued);
    });
  }

  private async balance(trigger: BalancerTrigger): Promise<void> {
    const { sender, track } = this.cameraSender();
    const size = track?.getSettings() ?? {};
    this.seen = { sender, track, width: size.width, height: size.height };
    if (!sender || !track) {
      this.skip('no-camera-sender');
      return;
    }
    const codec = await senderCodec(sender);
    if (this.machine.state !== 'active') return;
    if (isIgnoredCodec(codec, this.deps.settings().balancerIgnoreCodec)) {
      this.skip('ignored-codec', codec);
      return;
    }
    const { command, maxResolution } = this.snapshot;
    const wanted = balancerParameters(command, size, codec, maxResolution);
    try {
      const parameters = sender.getParameters();
      if (!parameters.encodings || parameters.encodings.length === 0) {
        // Not negotiated yet: the next poll tries again.
        this.seen = undefined;
        return;
      }
      if (!parameters.encodings.every((encoding) => sameParameters(encoding, wanted))) {
        parameters.encodings = parameters.encodings.map((encoding) => ({ ...encoding, ...wanted }));
        await sender.setParameters(parameters);
      }
    } catch (error) {
      this.seen = undefined;
      const failure = VinteoError.protocolError('Could not set the camera encoding parameters', error);
      logger.warn(failure.message, error);
      this.deps.emit('balancer:failed', { error: failure });
      return;
    }
    if (this.machine.state !== 'active') return;
    const previous = this.snapshot.parameters;
    const changed = !previous || previous.scaleResolutionDownBy !== wanted.scaleResolutionDownBy || previous.maxBitrate !== wanted.maxBitrate;
    this.publish({ parameters: wanted, codec, skipped: undefined });
    // A track change that leaves the parameters as they were is not news.
    if (!changed && trigger === 'track-change') return;
    logger.debug(`balancer (${trigger}, ${command ?? 'no command'}): scale ${wanted.scaleResolutionDownBy}, ${wanted.maxBitrate} bps`);
    this.deps.emit('balancer:applied', {
      command,
      trigger,
      parameters: wanted,
      codec,
      trackWidth: size.width,
      trackHeight: size.height,
    });
  }

  private skip(reason: BalancerSkipReason, codec?: string): void {
    if (this.snapshot.skipped === reason && this.snapshot.codec === codec) return;
    this.publish({ skipped: reason, codec });
    this.deps.emit('balancer:skipped', { reason, ...(codec ? { codec } : {}) });
  }

  private publish(patch: Partial<BalancerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
