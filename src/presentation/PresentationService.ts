import type { RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { ShareDesktopInfo } from '../protocol/info.js';
import { shareDesktopInfo, type OutgoingInfo } from '../protocol/outgoing.js';
import { StateMachine } from '../state.js';
import { sleep } from '../timing.js';
import { type DisplayMediaProvider, initialPresentationSnapshot, type PresentationEndReason, type PresentationEvents, type PresentationOptions, type PresentationSnapshot, type PresentationState } from './types.js';
import type { Emit } from '../emitter.js';

const TRANSITIONS: Readonly<Record<PresentationState, readonly PresentationState[]>> = {
  idle: ['starting'],
  starting: ['active', 'failed', 'idle', 'stopping'],
  active: ['updating', 'stopping', 'idle', 'failed'],
  updating: ['active', 'stopping', 'idle', 'failed'],
  stopping: ['idle', 'failed'],
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
  /** How many times a declined or failed start is tried (default 3). */
  readonly attempts: () => number;
  /** Pause between tries, ms (default 500). */
  readonly retryDelayMs: () => number;
}


function displayErrorToVinteo(error: unknown): VinteoError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return VinteoError.aborted('Choosing a screen');
  if (name === 'NotSupportedError') return VinteoError.presentationFailed('this browser cannot share the screen', error);
  return VinteoError.presentationFailed(error instanceof Error ? error.message : 'the screen could not be captured', error);
}

/**
 * Screen sharing into the running call (a second video sender in the same peer connection, then a
 * re-INVITE), updates without renegotiation, stops, the server's orders, and others' content.
 */
export class PresentationService {
  private readonly machine: StateMachine<PresentationState>;
  private snapshot: PresentationSnapshot = initialPresentationSnapshot;
  private stream: MediaStream | undefined;
  private transceiver: RTCRtpTransceiver | undefined;
  private options: PresentationOptions = {};
  private onTrackEnded: (() => void) | undefined;
  private suspended = false;

  constructor(private readonly deps: PresentationDeps) {
    this.machine = new StateMachine<PresentationState>('presentation', 'idle', TRANSITIONS, (to, from) => {
      this.publish({ state: to });
      this.deps.emit('presentation:state', { state: to, previous: from });
    });
  }

  get state(): PresentationState {
    return this.machine.state;
  }

  /** The RTP sender of the presentation while one runs (tests, stats). */
  get sender(): RTCRtpSender | undefined {
    return this.transceiver?.sender;
  }

  /** Starts sharing: asks the server, adds the screen to the call and renegotiates. Rejects with a VinteoError. */
  async start(options: PresentationOptions = {}): Promise<void> {
    const state = this.machine.state;
    if (state !== 'idle' && state !== 'failed') throw VinteoError.invalidState('start a presentation', `a presentation is ${state}`);
    if (!this.deps.session()) throw VinteoError.invalidState('start a presentation', 'no call is running');
    this.options = { ...options };
    this.publish({ endReason: undefined, error: undefined });
    this.machine.transition('starting');
    this.deps.emit('presentation:start', {});
    let stream: MediaStream | undefined;
    try {
      stream = await this.capture(options);
      const track = stream.getVideoTracks()[0];
      if (!track) throw VinteoError.presentationFailed('the shared stream has no video');
      this.stream = stream;
      this.publish({ localStream: stream });
      this.watchTrack(track);
      await this.askPermission();
      if (this.machine.state !== 'starting') throw VinteoError.aborted('Starting the presentation');
      await this.attach(track, stream, options);
      if (this.machine.state !== 'starting') throw VinteoError.aborted('Starting the presentation');
      this.machine.transition('active');
      this.deps.emit('presentation:started', { contentHint: options.contentHint ?? 'detail' });
    } catch (error) {
      const failure = VinteoError.from(error, 'presentation-failed');
      if (failure.reason === 'aborted') {
        // A cancelled picker; a stop() during the start has cleaned up already.
        if (this.machine.state === 'starting') await this.cleanUp('cancelled', false);
      } else {
        await this.fail(failure);
      }
      throw failure;
    }
  }

  /** Shares another stream (or asks for another screen) without renegotiating. */
  async update(options: PresentationOptions = {}): Promise<void> {
    if (this.machine.state !== 'active' || !this.transceiver) throw VinteoError.invalidState('update the presentation', `it is ${this.machine.state}`);
    this.machine.transition('updating');
    try {
      const stream = await this.capture({ ...this.options, ...options });
      const track = stream.getVideoTracks()[0];
      if (!track) throw VinteoError.presentationFailed('the shared stream has no video');
      track.contentHint = options.contentHint ?? this.options.contentHint ?? 'detail';
      await this.transceiver.sender.replaceTrack(track);
      const old = this.stream;
      this.stream = stream;
      this.options = { ...this.options, ...options };
      this.watchTrack(track);
      if (old && old !== stream) for (const t of old.getTracks()) t.stop();
      await this.applyParameters(this.transceiver.sender, this.options);
      this.publish({ localStream: stream });
      this.machine.transition('active');
    } catch (error) {
      const failure = VinteoError.from(error, 'presentation-failed');
      // A cancelled picker keeps the running presentation.
      if (failure.reason === 'aborted' && (this.machine.state as PresentationState) === 'updating') {
        this.machine.transition('active');
        return;
      }
      throw failure;
    }
  }

  /** Stops sharing: stops the track, tells the server, renegotiates. Never rejects. */
  async stop(reason: PresentationEndReason = 'user'): Promise<void> {
    const state = this.machine.state;
    if (state === 'idle' || state === 'failed' || state === 'stopping') return;
    if (state === 'starting') {
      await this.cleanUp(reason, this.transceiver !== undefined);
      return;
    }
    this.machine.transition('stopping');
    await this.cleanUp(reason, true);
  }

  /** The server's sharedesktop INFO. */
  handleInfo(info: ShareDesktopInfo): void {
    switch (info.state) {
      case 'YOUMUSTSTOPSENDCONTENT':
        this.deps.emit('presentation:must-stop', {});
        void this.stop('server');
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
    if (this.machine.state !== 'active' && this.machine.state !== 'updating') return;
    this.transceiver = undefined;
    this.suspended = true;
  }

  /** The redialled call is up: share the same stream again (permission INFO, new sender, re-INVITE). */
  async resume(): Promise<void> {
    if (!this.suspended) return;
    this.suspended = false;
    const stream = this.stream;
    const track = stream?.getVideoTracks()[0];
    if (!stream || !track || track.readyState !== 'live') {
      await this.cleanUp('call-ended', false);
      return;
    }
    try {
      await this.askPermission();
      await this.attach(track, stream, this.options);
      logger.info('presentation restored after the call was recovered');
    } catch (error) {
      await this.fail(VinteoError.from(error, 'presentation-failed'));
    }
  }

  /** The call ended: forget everything without talking to the server. */
  callEnded(): void {
    this.suspended = false;
    const running = this.machine.state !== 'idle' && this.machine.state !== 'failed';
    this.release();
    this.transceiver = undefined;
    if (running) {
      this.publish({ endReason: 'call-ended' });
      if (this.machine.state !== 'stopping' && this.machine.can('idle')) this.machine.transition('idle');
      else if (this.machine.state === 'stopping') this.machine.transition('idle');
      this.deps.emit('presentation:ended', { reason: 'call-ended' });
    }
    this.publish({ contentAvailable: false, contentCodec: undefined, localStream: undefined });
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

  /** LETMESTARTPRESENTATION, tried a bounded number of times. */
  private async askPermission(): Promise<void> {
    let last: unknown;
    const attempts = this.deps.attempts();
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const state = this.machine.state;
      if (state !== 'starting' && state !== 'active') throw VinteoError.aborted('Starting the presentation');
      try {
        await this.deps.sendInfo(shareDesktopInfo('LETMESTARTPRESENTATION'));
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

  /** Puts the screen on a second video sender (reusing a free receive-only one) and renegotiates. */
  private async attach(track: MediaStreamTrack, stream: MediaStream, options: PresentationOptions): Promise<void> {
    track.contentHint = options.contentHint ?? 'detail';
    await this.deps.renegotiate('start the presentation', async (session, peer) => {
      if (!this.transceiver) {
        const camera = new Set(this.deps.localStream()?.getTracks() ?? []);
        const free = peer
          .getTransceivers()
          .find(
            (t) =>
              t.receiver.track?.kind === 'video' &&
              t.currentDirection !== 'stopped' &&
              (t.direction === 'recvonly' || t.direction === 'inactive') &&
              (t.sender.track === null || !camera.has(t.sender.track)) &&
              t !== peer.getTransceivers().find((first) => first.receiver.track?.kind === 'video'),
          );
        if (free) {
          await free.sender.replaceTrack(track);
          free.sender.setStreams?.(stream);
          free.direction = 'sendrecv';
          this.transceiver = free;
        } else {
          this.transceiver = peer.addTransceiver(track, {
            direction: 'sendonly',
            streams: [stream],
            ...(options.sendEncodings ? { sendEncodings: options.sendEncodings } : {}),
          });
        }
        await this.applyParameters(this.transceiver.sender, options);
      }
      return session.renegotiate();
    });
  }

  private async applyParameters(sender: RTCRtpSender, options: PresentationOptions): Promise<void> {
    const parameters = sender.getParameters();
    if (!parameters.encodings || parameters.encodings.length === 0) parameters.encodings = [{}];
    for (const encoding of parameters.encodings) {
      if (options.maxBitrate !== undefined) encoding.maxBitrate = options.maxBitrate;
    }
    const withPreference = parameters as RTCRtpSendParameters & { degradationPreference?: RTCDegradationPreference };
    if (options.degradationPreference) withPreference.degradationPreference = options.degradationPreference;
    try {
      await sender.setParameters(parameters);
    } catch (error) {
      // Some browsers refuse degradationPreference in setParameters: keep the bitrate cap at least.
      if (!options.degradationPreference) throw error;
      delete withPreference.degradationPreference;
      await sender.setParameters(parameters);
      logger.warn('degradationPreference was refused by the browser', error);
    }
  }

  private watchTrack(track: MediaStreamTrack): void {
    this.onTrackEnded?.();
    const ended = (): void => {
      // The user ended the share from the browser's own UI.
      if (this.stream?.getVideoTracks().includes(track)) void this.stop('browser');
    };
    track.addEventListener('ended', ended);
    this.onTrackEnded = () => track.removeEventListener('ended', ended);
  }

  private async cleanUp(reason: PresentationEndReason, tellServer: boolean): Promise<void> {
    const transceiver = this.transceiver;
    this.release();
    this.transceiver = undefined;
    this.publish({ endReason: reason, localStream: undefined });
    if (tellServer) {
      try {
        await this.deps.sendInfo(shareDesktopInfo('STOPPRESENTATION'));
      } catch (error) {
        logger.warn('STOPPRESENTATION INFO failed', error);
      }
      if (transceiver && this.deps.session()) {
        try {
          await this.deps.renegotiate('stop the presentation', async (session) => {
            await transceiver.sender.replaceTrack(null);
            transceiver.direction = 'recvonly';
            return session.renegotiate();
          });
        } catch (error) {
          logger.warn('renegotiation after the presentation failed', error);
        }
      }
    }
    if (this.machine.state !== 'idle') this.machine.transition('idle');
    this.deps.emit('presentation:ended', { reason });
  }

  private async fail(error: VinteoError): Promise<void> {
    const transceiver = this.transceiver;
    this.release();
    this.transceiver = undefined;
    if (transceiver) {
      try {
        await transceiver.sender.replaceTrack(null);
        transceiver.direction = 'recvonly';
      } catch (cause) {
        logger.debug('could not detach the presentation track', cause);
      }
    }
    this.publish({ error: error.toJSON(), localStream: undefined });
    this.machine.transition('failed');
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
