import type { EndEvent, IncomingInfoEvent, OutgoingInfoEvent, PeerConnectionEvent, RTCSession } from '@krivega/jssip';
import { VinteoError, type VinteoErrorInfo } from '../errors.js';
import { logger } from '../logger.js';
import { mediaStateInfo } from '../protocol/outgoing.js';
import { buildInviteHeaders } from '../protocol/invite.js';
import type { HeaderLookup } from '../protocol/info.js';
import { StateMachine } from '../state.js';
import type { SipUserAgent } from '../connection/transport.js';
import { acquireLocalMedia, stopStream, type MediaProvider } from './media.js';

export type CallState = 'idle' | 'calling' | 'in-call' | 'ended' | 'failed';
/** What a `calling` call is waiting for. */
export type CallPhase = 'connecting' | 'media' | 'inviting';
export type CallEndReason = 'local-hangup' | 'remote-hangup' | 'cancelled' | 'connection-lost';

const TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['calling'],
  calling: ['in-call', 'ended', 'failed'],
  'in-call': ['ended', 'failed'],
  ended: ['calling', 'idle'],
  failed: ['calling', 'idle'],
};

export interface CallSnapshot {
  readonly state: CallState;
  readonly phase: CallPhase | undefined;
  readonly conference: string | undefined;
  readonly localStream: MediaStream | undefined;
  readonly remoteStream: MediaStream | undefined;
  readonly microphoneEnabled: boolean;
  readonly cameraEnabled: boolean;
  readonly endReason: CallEndReason | undefined;
  readonly error: VinteoErrorInfo | undefined;
  /** A non-fatal problem, e.g. the camera could not be opened and the call is audio only. */
  readonly warning: VinteoErrorInfo | undefined;
}

export const initialCallSnapshot: CallSnapshot = {
  state: 'idle',
  phase: undefined,
  conference: undefined,
  localStream: undefined,
  remoteStream: undefined,
  microphoneEnabled: true,
  cameraEnabled: true,
  endReason: undefined,
  error: undefined,
  warning: undefined,
};

export interface ReceivedInfoMessage {
  readonly contentType: string;
  readonly body: string;
  readonly header: HeaderLookup;
}

export interface CallEvents {
  'call:state': { state: CallState; previous: CallState };
  'call:accepted': { conference: string };
  'call:ended': { conference: string; reason: CallEndReason };
  'call:failed': { conference: string; error: VinteoError };
  'call:info': ReceivedInfoMessage;
}

export interface JoinOptions {
  /** Start with the microphone on (default: the current setting, initially on). */
  microphone?: boolean;
  /** Start with the camera on (default: the current setting, initially on). */
  camera?: boolean;
  /** Video constraints for getUserMedia (e.g. a `deviceId`). */
  video?: MediaTrackConstraints | true;
  /** Audio constraints for getUserMedia (e.g. a `deviceId`). */
  audio?: MediaTrackConstraints | true;
  /** Optional `X-Vinteo-Session` value. */
  sessionId?: string;
}

export interface CallDeps {
  readonly ensureConnected: () => Promise<void>;
  readonly userAgent: () => SipUserAgent | undefined;
  readonly sipDomain: () => string;
  readonly registered: () => boolean;
  readonly media: MediaProvider;
  readonly pcConfig: RTCConfiguration;
  readonly update: (next: CallSnapshot) => void;
  readonly emit: <K extends keyof CallEvents>(type: K, payload: CallEvents[K]) => void;
}

/** One outgoing call attempt and everything it owns. */
class Attempt {
  aborted = false;
  session: RTCSession | undefined;
  peer: RTCPeerConnection | undefined;
  localStream: MediaStream | undefined;
  readonly remoteTracks = new Set<MediaStreamTrack>();
  readonly cleanups: Array<() => void> = [];
  settle: ((error?: VinteoError) => void) | undefined;

  constructor(readonly conference: string) {}

  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch (error) {
        logger.debug('call cleanup threw', error);
      }
    }
    stopStream(this.localStream);
    this.remoteTracks.clear();
  }
}

function causeToError(cause: string, statusCode: number | undefined): VinteoError {
  switch (cause) {
    case 'Busy':
    case 'Rejected':
    case 'Not Found':
    case 'Unavailable':
    case 'Redirected':
    case 'Address Incomplete':
    case 'Authentication Error':
      return VinteoError.callRejected(cause, statusCode);
    case 'User Denied Media Access':
      return VinteoError.mediaPermissionDenied();
    case 'Connection Error':
    case 'Request Timeout':
      return VinteoError.connectionLost(cause);
    default:
      return VinteoError.callFailed(cause, statusCode);
  }
}

const LOST_CAUSES = new Set(['Connection Error', 'Request Timeout', 'RTP Timeout', 'Dialog Error', 'No ACK']);

/** Outgoing calls to a conference: local media, INVITE, remote stream, hang-up. */
export class CallService {
  private readonly machine: StateMachine<CallState>;
  private attempt: Attempt | undefined;
  private snapshot: CallSnapshot = initialCallSnapshot;

  constructor(private readonly deps: CallDeps) {
    this.machine = new StateMachine<CallState>('call', 'idle', TRANSITIONS, (to, from) => {
      this.publish({ state: to });
      this.deps.emit('call:state', { state: to, previous: from });
    });
  }

  get state(): CallState {
    return this.machine.state;
  }

  /** The established JsSIP session, if any (for services that send INFO or renegotiate). */
  get session(): RTCSession | undefined {
    return this.machine.state === 'in-call' ? this.attempt?.session : undefined;
  }

  get peerConnection(): RTCPeerConnection | undefined {
    return this.attempt?.peer;
  }

  async join(conference: string, options: JoinOptions = {}): Promise<void> {
    const state = this.machine.state;
    if (state === 'calling' || state === 'in-call') throw VinteoError.invalidState('join', `a call is ${state}`);
    const microphone = options.microphone ?? this.snapshot.microphoneEnabled;
    const camera = options.camera ?? this.snapshot.cameraEnabled;
    const attempt = new Attempt(conference);
    this.attempt = attempt;
    this.publish({
      phase: 'connecting',
      conference,
      endReason: undefined,
      error: undefined,
      warning: undefined,
      microphoneEnabled: microphone,
      cameraEnabled: camera,
      localStream: undefined,
      remoteStream: undefined,
    });
    this.machine.transition('calling');
    try {
      await this.deps.ensureConnected();
      this.throwIfAborted(attempt);

      this.publish({ phase: 'media' });
      const acquired = await acquireLocalMedia(this.deps.media, options.video ?? true, options.audio ?? true);
      attempt.localStream = acquired.stream;
      this.throwIfAborted(attempt);
      const hasVideo = acquired.stream.getVideoTracks().length > 0;
      this.applyTrackState(acquired.stream, microphone, camera && hasVideo);
      this.publish({
        localStream: acquired.stream,
        cameraEnabled: camera && hasVideo,
        warning: acquired.videoError?.toJSON(),
      });

      this.publish({ phase: 'inviting' });
      await this.invite(attempt, {
        microphone,
        camera: camera && hasVideo,
        sessionId: options.sessionId,
      });
    } catch (error) {
      const failure = VinteoError.from(error);
      if (this.attempt === attempt) this.finish(attempt, failure.reason === 'aborted' ? 'cancelled' : failure);
      throw failure;
    }
  }

  private invite(attempt: Attempt, options: { microphone: boolean; camera: boolean; sessionId: string | undefined }): Promise<void> {
    const ua = this.deps.userAgent();
    if (!ua) return Promise.reject(VinteoError.connectionLost('not connected'));
    const target = `sip:${attempt.conference}@${this.deps.sipDomain()}`;
    return new Promise<void>((resolve, reject) => {
      attempt.settle = (error) => {
        attempt.settle = undefined;
        if (error) reject(error);
        else resolve();
      };
      const session = ua.call(target, {
        mediaStream: attempt.localStream!,
        pcConfig: this.deps.pcConfig,
        extraHeaders: buildInviteHeaders({
          microphoneEnabled: options.microphone,
          cameraEnabled: options.camera,
          registered: this.deps.registered(),
          sessionId: options.sessionId,
        }),
        eventHandlers: {
          peerconnection: (event: PeerConnectionEvent) => this.watchPeer(attempt, event.peerconnection),
          confirmed: () => this.onConfirmed(attempt),
          ended: (event: EndEvent) => this.onEnded(attempt, event),
          failed: (event: EndEvent) => this.onFailed(attempt, event),
          newInfo: (event: IncomingInfoEvent | OutgoingInfoEvent) => this.onInfo(attempt, event),
        },
      });
      attempt.session = session;
      if (!attempt.peer && session.connection) this.watchPeer(attempt, session.connection);
    });
  }

  /** Hangs up, or cancels a call that is still being set up. Never throws. */
  async leave(): Promise<void> {
    const attempt = this.attempt;
    const state = this.machine.state;
    if (!attempt || (state !== 'calling' && state !== 'in-call')) return;
    attempt.aborted = true;
    this.terminate(attempt);
    this.finish(attempt, state === 'calling' ? 'cancelled' : 'local-hangup');
  }

  /** The signalling connection went away under an established call. */
  connectionLost(): void {
    const attempt = this.attempt;
    if (!attempt || (this.machine.state !== 'in-call' && this.machine.state !== 'calling')) return;
    attempt.aborted = true;
    this.terminate(attempt);
    this.finish(attempt, this.machine.state === 'calling' ? VinteoError.connectionLost() : 'connection-lost');
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.publish({ microphoneEnabled: enabled });
    const stream = this.attempt?.localStream;
    if (stream) for (const track of stream.getAudioTracks()) track.enabled = enabled;
    this.sendMediaState();
  }

  setCameraEnabled(enabled: boolean): void {
    const stream = this.attempt?.localStream;
    if (enabled && stream && stream.getVideoTracks().length === 0 && this.machine.state !== 'ended') {
      throw VinteoError.mediaUnavailable();
    }
    this.publish({ cameraEnabled: enabled });
    if (stream) for (const track of stream.getVideoTracks()) track.enabled = enabled;
    this.sendMediaState();
  }

  /** The local camera/microphone stream of the current call, if any. */
  get localStream(): MediaStream | undefined {
    return this.attempt?.localStream;
  }

  /**
   * Puts `track` in place of the local track of the same kind: on the RTP sender of the running
   * call (no renegotiation) and in the local stream. The old track is stopped.
   */
  async replaceLocalTrack(track: MediaStreamTrack): Promise<void> {
    const attempt = this.attempt;
    const stream = attempt?.localStream;
    if (!attempt || !stream || (this.machine.state !== 'in-call' && this.machine.state !== 'calling')) {
      throw VinteoError.invalidState('switch devices', 'no call is running');
    }
    const kind = track.kind as 'audio' | 'video';
    const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    const sender = attempt.peer?.getSenders().find((s) => s.track !== null && s.track === old);
    if (!old || (attempt.peer && !sender)) throw VinteoError.mediaUnavailable();
    track.enabled = kind === 'audio' ? this.snapshot.microphoneEnabled : this.snapshot.cameraEnabled;
    await sender?.replaceTrack(track);
    stream.removeTrack(old);
    stream.addTrack(track);
    old.stop();
    const next = new MediaStream(stream.getTracks());
    attempt.localStream = next;
    this.publish({ localStream: next });
  }

  /** Sends DTMF tones in the established call (SIP INFO, 120 ms tones, 600 ms gaps by default). */
  sendDTMF(tones: string, options: { duration?: number; interToneGap?: number } = {}): void {
    const session = this.session;
    if (!session) throw VinteoError.invalidState('send DTMF', `the call is ${this.machine.state}`);
    if (!/^[0-9A-D#*,]{1,64}$/i.test(tones)) {
      throw VinteoError.invalidConfig(`DTMF tones must be 1 to 64 of 0-9 A-D # * , (got ${JSON.stringify(tones.slice(0, 70))})`);
    }
    try {
      session.sendDTMF(tones.toUpperCase(), { duration: options.duration ?? 120, interToneGap: options.interToneGap ?? 600 });
    } catch (error) {
      throw VinteoError.protocolError('Could not send DTMF', error);
    }
  }

  /** Sends an INFO in the established call; rejects with a VinteoError (JsSIP rejects with undefined). */
  async sendInfo(contentType: string, extraHeaders: readonly string[], body?: string): Promise<void> {
    const session = this.session;
    if (!session) throw VinteoError.invalidState('send INFO', `the call is ${this.machine.state}`);
    try {
      await session.sendInfo(contentType, body, { extraHeaders: [...extraHeaders], noTerminateWhenError: true });
    } catch (error) {
      throw VinteoError.protocolError(`The server refused INFO ${contentType}`, error);
    }
  }

  dispose(): void {
    const attempt = this.attempt;
    if (!attempt) return;
    attempt.aborted = true;
    this.terminate(attempt);
    attempt.dispose();
    this.attempt = undefined;
  }

  private sendMediaState(): void {
    if (!this.session) return;
    const info = mediaStateInfo(this.snapshot.microphoneEnabled, this.snapshot.cameraEnabled);
    this.sendInfo(info.contentType, info.headers).catch((error: unknown) => {
      logger.warn('mediastate INFO failed', error);
    });
  }

  private applyTrackState(stream: MediaStream, microphone: boolean, camera: boolean): void {
    for (const track of stream.getAudioTracks()) track.enabled = microphone;
    for (const track of stream.getVideoTracks()) track.enabled = camera;
  }

  private throwIfAborted(attempt: Attempt): void {
    if (attempt.aborted || this.attempt !== attempt) throw VinteoError.aborted('Joining');
  }

  private watchPeer(attempt: Attempt, peer: RTCPeerConnection): void {
    if (attempt.peer === peer) return;
    attempt.peer = peer;
    const onTrack = (event: RTCTrackEvent): void => {
      if (this.attempt !== attempt) return;
      const track = event.track;
      attempt.remoteTracks.add(track);
      track.addEventListener('ended', () => {
        if (attempt.remoteTracks.delete(track)) this.publishRemote(attempt);
      });
      this.publishRemote(attempt);
    };
    const onState = (): void => {
      if (this.attempt !== attempt) return;
      if (peer.connectionState === 'failed' && this.machine.state === 'in-call') {
        logger.warn('media connection failed');
        this.connectionLost();
      }
    };
    peer.addEventListener('track', onTrack);
    peer.addEventListener('connectionstatechange', onState);
    attempt.cleanups.push(() => {
      peer.removeEventListener('track', onTrack);
      peer.removeEventListener('connectionstatechange', onState);
    });
  }

  private publishRemote(attempt: Attempt): void {
    const tracks = [...attempt.remoteTracks];
    this.publish({ remoteStream: tracks.length > 0 ? new MediaStream(tracks) : undefined });
  }

  private onConfirmed(attempt: Attempt): void {
    if (this.attempt !== attempt || attempt.aborted) return;
    this.publish({ phase: undefined });
    this.machine.transition('in-call');
    this.deps.emit('call:accepted', { conference: attempt.conference });
    attempt.settle?.();
  }

  private onEnded(attempt: Attempt, event: EndEvent): void {
    if (this.attempt !== attempt || attempt.aborted) return;
    let reason: CallEndReason = event.originator === 'local' ? 'local-hangup' : 'remote-hangup';
    if (LOST_CAUSES.has(event.cause)) reason = 'connection-lost';
    this.finish(attempt, reason);
  }

  private onFailed(attempt: Attempt, event: EndEvent): void {
    if (this.attempt !== attempt || attempt.aborted) return;
    const status = event.message && 'status_code' in event.message ? event.message.status_code : undefined;
    this.finish(attempt, event.cause === 'Canceled' ? 'cancelled' : causeToError(event.cause, status));
  }

  private onInfo(attempt: Attempt, event: IncomingInfoEvent | OutgoingInfoEvent): void {
    if (this.attempt !== attempt || event.originator !== 'remote') return;
    const request = event.request;
    this.deps.emit('call:info', {
      contentType: event.info.contentType ?? '',
      body: event.info.body ?? '',
      header: (name) => {
        const value = request.getHeader(name);
        return value === undefined || value === null ? undefined : String(value);
      },
    });
  }

  private terminate(attempt: Attempt): void {
    const session = attempt.session;
    if (!session || session.isEnded()) return;
    try {
      session.terminate();
    } catch (error) {
      logger.debug('terminate threw', error);
    }
  }

  /** Ends the attempt: releases media, publishes the final state, settles join(). */
  private finish(attempt: Attempt, outcome: CallEndReason | VinteoError): void {
    if (this.attempt !== attempt) return;
    const state = this.machine.state;
    if (state !== 'calling' && state !== 'in-call') return;
    attempt.aborted = true;
    attempt.dispose();
    const failed = outcome instanceof VinteoError;
    this.publish({
      phase: undefined,
      localStream: undefined,
      remoteStream: undefined,
      endReason: failed ? undefined : outcome,
      error: failed ? outcome.toJSON() : undefined,
    });
    this.machine.transition(failed ? 'failed' : 'ended');
    if (failed) {
      this.deps.emit('call:failed', { conference: attempt.conference, error: outcome });
      attempt.settle?.(outcome);
    } else {
      this.deps.emit('call:ended', { conference: attempt.conference, reason: outcome });
      attempt.settle?.(outcome === 'cancelled' ? VinteoError.aborted('Joining') : VinteoError.callFailed(outcome));
    }
  }

  private publish(patch: Partial<CallSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
