import type { RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { Resolution, ShareDesktopInfo } from '../protocol/info.js';
import { shareDesktopInfo, type OutgoingInfo } from '../protocol/outgoing.js';
import { applyContentHint, applySenderParameters, attachScreen, deactivateSender, presentationEncodings, shareStates, trackSize } from './sending.js';
import { StateMachine } from '../state.js';
import { sleep } from '../timing.js';
import { type DisplayMediaProvider, initialPresentationSnapshot, type PresentationEndReason, type PresentationEvents, type PresentationOptions, type PresentationSnapshot, type PresentationState } from './types.js';
import type { Emit } from '../emitter.js';

const TRANSITIONS: Readonly<Record<PresentationState, readonly PresentationState[]>> = {
  idle: ['starting'],
  starting: ['active', 'failed', 'idle', 'stopping'],
  active: ['updating', 'stopping', 'idle', 'failed'],
  updating: ['active', 'stopping', 'idle', 'failed'],
  // A refused stop INFO leaves the presentation running.
  stopping: ['idle', 'failed', 'active'],
  failed: ['starting', 'idle'],
};

export const browserDisplayMediaProvider: DisplayMediaProvider = {
  getDisplayMedia: (constraints) => {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getDisplayMedia) {
      return Promise.reject(new DOMException('Screen sharing is not available in this browser', 'NotSupportedError'));
    }
    return navigator.mediaDevices.getDisplayMedia(constraints);
  },
};

export interface PresentationDeps {
  readonly display: DisplayMediaProvider;
  /** The established call's session and peer connection, if any. */
  readonly session: () => RTCSession | undefined;
  readonly peer: () => RTCPeerConnection | undefined;
  /** The camera stream, whose video sender must never be touched. */
  readonly localStream: () => MediaStream | undefined;
  readonly sendInfo: (info: OutgoingInfo) => Promise<void>;
  readonly renegotiate: (what: string, operation: (session: RTCSession, peer: RTCPeerConnection) => Promise<boolean>) => Promise<void>;
  readonly update: (next: PresentationSnapshot) => void;
  readonly emit: Emit<PresentationEvents>;
  /** How many times a refused start is tried (default 1). */
  readonly attempts: () => number;
  /** Pause between tries, ms (default 300). */
  readonly retryDelayMs: () => number;
  /** A direct p2p room or a presentation-only call: YOUCANRECEIVECONTENT / CONTENTEND instead of LETMESTARTPRESENTATION / STOPPRESENTATION. */
  readonly directP2P: () => boolean;
  /** The connection's `maxAvailableResolution`, which scales the sendEncodings. */
  readonly maxAvailableResolution: () => Resolution | undefined;
  /** A failure no method call returns (a refused stop ordered by the server, the browser or the role). */
  readonly reportError: (error: VinteoError) => void;
}


function displayErrorToVinteo(error: unknown): VinteoError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return VinteoError.aborted('Choosing a screen');
  if (name === 'NotSupportedError') return VinteoError.presentationFailed('this browser cannot share the screen', error);
  return VinteoError.presentationFailed(error instanceof Error ? error.message : 'the screen could not be captured', error);
}

/**
 * Screen sharing into the running call (protocol §8): the permission INFO, then a second video sender
 * and one re-INVITE; updates (permission INFO, replaceTrack) and stops (stop INFO, then the track stops)
 * without renegotiation; the server's orders; others' content.
 */
export class PresentationService {
  private readonly machine: StateMachine<PresentationState>;
  private snapshot: PresentationSnapshot = initialPresentationSnapshot;
  private stream: MediaStream | undefined;
  /** The presentation's transceiver: kept after a stop, so that the next start reuses its sender. */
  private transceiver: RTCRtpTransceiver | undefined;
  private options: PresentationOptions = {};
  private onTrackEnded: (() => void) | undefined;
  private suspended = false;
  /** The server allowed the start being made (a stop during it must tell the server). */
  private allowed = false;

  constructor(private readonly deps: PresentationDeps) {
    this.machine = new StateMachine<PresentationState>('presentation', 'idle', TRANSITIONS, (to, from) => {
      this.publish({ state: to });
      this.deps.emit('presentation:state', { state: to, previous: from });
    });
  }

  get state(): PresentationState {
    return this.machine.state;
  }

  /** The presentation's RTP sender (tests, stats): kept after a stop until the call ends, as the next start reuses it. */
  get sender(): RTCRtpSender | undefined {
    return this.transceiver?.sender;
  }

  /**
   * Starts sharing: contentHint, the permission INFO (tried `attempts` times), the screen on a sender,
   * one re-INVITE, then the 1 Mbps cap. Rejects with a VinteoError.
   */
  async start(options: PresentationOptions = {}): Promise<void> {
    const state = this.machine.state;
    if (state !== 'idle' && state !== 'failed') throw VinteoError.invalidState('start a presentation', `a presentation is ${state}`);
    if (!this.deps.session()) throw VinteoError.invalidState('start a presentation', 'no call is running');
    this.options = { ...options };
    this.allowed = false;
    this.publish({ endReason: undefined, error: undefined });
    this.machine.transition('starting');
    this.deps.emit('presentation:start', {});
    try {
      const stream = await this.capture(options);
      const track = stream.getVideoTracks()[0];
      if (!track) throw VinteoError.presentationFailed('the shared stream has no video');
      this.stream = stream;
      this.publish({ localStream: stream });
      this.watchTrack(track);
      applyContentHint(track, options.contentHint);
      await this.askPermission(options, 'starting');
      this.allowed = true;
      this.ensure('starting');
      await this.attach(track, stream, options);
      this.ensure('starting');
      this.machine.transition('active');
      this.deps.emit('presentation:started', { contentHint: options.contentHint ?? 'detail' });
    } catch (error) {
      const failure = VinteoError.from(error, 'presentation-failed');
      if (failure.reason === 'aborted') {
        // A cancelled picker; a stop() during the start has cleaned up already.
        if (this.machine.state === 'starting') this.finish('cancelled');
      } else if (this.machine.state === 'starting') {
        await this.fail(failure);
      }
      throw failure;
    }
  }

  /** Shares another stream (or asks for another screen): the permission INFO again, then replaceTrack; no re-INVITE. */
  async update(options: PresentationOptions = {}): Promise<void> {
    const transceiver = this.transceiver;
    if (this.machine.state !== 'active' || !transceiver) throw VinteoError.invalidState('update the presentation', `it is ${this.machine.state}`);
    this.machine.transition('updating');
    const merged = { ...this.options, ...options };
    let stream: MediaStream | undefined;
    try {
      stream = await this.capture(merged);
      const track = stream.getVideoTracks()[0];
      if (!track) throw VinteoError.presentationFailed('the shared stream has no video');
      applyContentHint(track, merged.contentHint);
      await this.askPermission(merged, 'updating');
      this.ensure('updating');
      await transceiver.sender.replaceTrack(track);
      const old = this.stream;
      const oldOptions = this.options;
      this.stream = stream;
      this.options = merged;
      this.watchTrack(track);
      if (old && old !== stream && old !== oldOptions.stream) for (const t of old.getTracks()) t.stop();
      await applySenderParameters(transceiver.sender, merged, this.encodings(track, merged), true);
      this.publish({ localStream: stream });
      this.machine.transition('active');
    } catch (error) {
      const failure = VinteoError.from(error, 'presentation-failed');
      // The running presentation goes on with its own stream.
      if (stream && stream !== this.stream && stream !== merged.stream) for (const t of stream.getTracks()) t.stop();
      if ((this.machine.state as PresentationState) === 'updating') this.machine.transition('active');
      if (failure.reason === 'aborted') return;
      throw failure;
    }
  }

  /**
   * Stops sharing: the stop INFO (`STOPPRESENTATION`, or `CONTENTEND` in direct p2p), then the track
   * stops. No re-INVITE: the m-line stays `sendrecv` without RTP. When the server refuses the INFO the
   * presentation stays active and this rejects (the error is also in the snapshot).
   */
  async stop(reason: PresentationEndReason = 'user'): Promise<void> {
    const state = this.machine.state;
    if (state === 'idle' || state === 'failed' || state === 'stopping') return;
    if (state === 'starting') {
      // Aborts the start; the server hears of it only if it had allowed it.
      const told = this.allowed;
      this.finish(reason);
      if (told) await this.sendStopInfo().catch((error: unknown) => logger.warn('stop INFO after a cancelled start failed', error));
      return;
    }
    this.machine.transition('stopping');
    try {
      await this.sendStopInfo();
    } catch (error) {
      const status = error instanceof VinteoError ? error.statusCode : undefined;
      const failure = new VinteoError('presentation-failed', 'The server refused to stop the presentation; it goes on', {
        cause: error,
        ...(status === undefined ? {} : { statusCode: status }),
      });
      if ((this.machine.state as PresentationState) === 'stopping') this.machine.transition('active');
      this.publish({ error: failure.toJSON() });
      throw failure;
    }
    if ((this.machine.state as PresentationState) !== 'stopping') return;
    const sender = this.transceiver?.sender;
    this.finish(reason);
    // A page's stream is not stopped: take it off the sender so that no RTP leaves (the m-line stays).
    if (sender?.track && sender.track.readyState === 'live') await sender.replaceTrack(null).catch((e: unknown) => logger.debug('replaceTrack(null) failed', e));
    // Without a track Firefox still sends about one (black) frame a second: the encodings go inactive too (the
    // next start makes them active again).
    if (sender) await deactivateSender(sender).catch((e: unknown) => logger.debug('could not deactivate the presentation sender', e));
  }

  /** The stop for entering a spectator role (and other orders): as {@link stop}, but a refusal is reported, not thrown. */
  stopForRole(reason: PresentationEndReason = 'role'): Promise<void> {
    return this.stop(reason).catch((error: unknown) => this.deps.reportError(VinteoError.from(error, 'presentation-failed')));
  }

  /** The server's sharedesktop INFO. */
  handleInfo(info: ShareDesktopInfo): void {
    switch (info.state) {
      case 'YOUMUSTSTOPSENDCONTENT':
        this.deps.emit('presentation:must-stop', {});
        void this.stopForRole('server');
        break;
      case 'YOUCANRECEIVECONTENT':
        this.publish({ contentAvailable: true, contentCodec: info.codec });
        this.deps.emit('presentation:content', info.codec ? { available: true, codec: info.codec } : { available: true });
        break;
      case 'CONTENTEND':
        this.publish({ contentAvailable: false, contentCodec: undefined });
        this.deps.emit('presentation:content', { available: false });
        break;
    }
  }

  /**
   * The call lost its connection and will be redialled: the presentation's sender went with the old
   * peer connection. The shared stream is kept for {@link resume}.
   */
  suspend(): void {
    this.transceiver = undefined;
    if (this.machine.state !== 'active' && this.machine.state !== 'updating') return;
    this.suspended = true;
  }

  /** The redialled call is up: share the same stream again (permission INFO, new sender, re-INVITE). */
  async resume(): Promise<void> {
    if (!this.suspended) return;
    this.suspended = false;
    const stream = this.stream;
    const track = stream?.getVideoTracks()[0];
    if (!stream || !track || track.readyState !== 'live') {
      this.finish('call-ended');
      return;
    }
    try {
      await this.askPermission(this.options, this.machine.state);
      await this.attach(track, stream, this.options);
      logger.info('presentation restored after the call was recovered');
    } catch (error) {
      await this.fail(VinteoError.from(error, 'presentation-failed'));
    }
  }

  /**
   * The call ended: forget everything without talking to the server. Others' content is cleared too
   * (the reference keeps it; a deliberate difference, see README).
   */
  callEnded(): void {
    this.suspended = false;
    const running = this.machine.state !== 'idle' && this.machine.state !== 'failed';
    this.release();
    this.transceiver = undefined;
    if (running) {
      this.publish({ endReason: 'call-ended' });
      this.machine.transition('idle');
      this.deps.emit('presentation:ended', { reason: 'call-ended' });
    }
    this.publish({ contentAvailable: false, contentCodec: undefined, localStream: undefined });
  }

  private ensure(state: PresentationState): void {
    if (this.machine.state !== state) throw VinteoError.aborted('Starting the presentation');
  }

  private sendStopInfo(): Promise<void> {
    return this.deps.sendInfo(shareDesktopInfo(shareStates(this.deps.directP2P()).stop));
  }

  private async capture(options: PresentationOptions): Promise<MediaStream> {
    if (options.stream) return options.stream;
    const max = options.maxResolution;
    try {
      return await this.deps.display.getDisplayMedia({
        video: max ? { width: { max: max.width }, height: { max: max.height } } : true,
        audio: false,
      });
    } catch (error) {
      throw displayErrorToVinteo(error);
    }
  }

  /** The permission INFO (LETMESTARTPRESENTATION, or YOUCANRECEIVECONTENT in direct p2p), tried `attempts` times. */
  private async askPermission(options: PresentationOptions, during: PresentationState): Promise<void> {
    let last: unknown;
    const attempts = Math.max(1, Math.floor(options.attempts ?? this.deps.attempts()));
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      this.ensure(during);
      try {
        await this.deps.sendInfo(shareDesktopInfo(shareStates(this.deps.directP2P()).start));
        return;
      } catch (error) {
        last = error;
        logger.info(`presentation permission refused (try ${attempt} of ${attempts})`);
        if (attempt < attempts) await sleep(this.deps.retryDelayMs());
      }
    }
    const status = last instanceof VinteoError ? last.statusCode : undefined;
    throw VinteoError.presentationDeclined(status);
  }

  private encodings(track: MediaStreamTrack, options: PresentationOptions): RTCRtpEncodingParameters[] | undefined {
    return presentationEncodings(options.sendEncodings, trackSize(track), this.deps.maxAvailableResolution());
  }

  /** Puts the screen on a sender (the kept one, else a new or reused transceiver), re-INVITEs, then caps the bitrate. */
  private async attach(track: MediaStreamTrack, stream: MediaStream, options: PresentationOptions): Promise<void> {
    const encodings = this.encodings(track, options);
    await this.deps.renegotiate('start the presentation', async (session, peer) => {
      let transceiver = this.transceiver;
      if (transceiver && (!peer.getTransceivers().includes(transceiver) || transceiver.currentDirection === 'stopped')) transceiver = undefined;
      if (transceiver) {
        await transceiver.sender.replaceTrack(track);
        transceiver.sender.setStreams?.(stream);
      } else {
        transceiver = attachScreen(peer, track, stream, encodings);
      }
      this.transceiver = transceiver;
      try {
        await applySenderParameters(transceiver.sender, options, encodings, false);
      } catch (error) {
        logger.debug('presentation parameters before the re-INVITE were refused', error);
      }
      return session.renegotiate();
    });
    if (this.transceiver) await applySenderParameters(this.transceiver.sender, options, encodings, true);
  }

  private watchTrack(track: MediaStreamTrack): void {
    this.onTrackEnded?.();
    const ended = (): void => {
      // The user ended the share from the browser's own UI.
      if (this.stream?.getVideoTracks().includes(track)) void this.stopForRole('browser');
    };
    track.addEventListener('ended', ended);
    this.onTrackEnded = () => track.removeEventListener('ended', ended);
  }

  /** Ends the presentation here: the track stops (a captured one), the state becomes idle. */
  private finish(reason: PresentationEndReason): void {
    this.release();
    this.publish({ endReason: reason, localStream: undefined });
    if (this.machine.state !== 'idle') this.machine.transition('idle');
    this.deps.emit('presentation:ended', { reason });
  }

  private async fail(error: VinteoError): Promise<void> {
    const sender = this.transceiver?.sender;
    this.release();
    if (sender?.track) await sender.replaceTrack(null).catch((cause: unknown) => logger.debug('could not detach the presentation track', cause));
    this.publish({ error: error.toJSON(), localStream: undefined });
    if (this.machine.can('failed')) this.machine.transition('failed');
    this.deps.emit('presentation:failed', { error });
  }

  private release(): void {
    this.onTrackEnded?.();
    this.onTrackEnded = undefined;
    const stream = this.stream;
    this.stream = undefined;
    // A stream handed in by the page is the page's: only captured screens are stopped.
    if (stream && stream !== this.options.stream) for (const track of stream.getTracks()) track.stop();
  }

  private publish(patch: Partial<PresentationSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
