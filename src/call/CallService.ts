import type {
  EndEvent,
  IceCandidateEvent,
  IncomingInfoEvent,
  IncomingRequest,
  OutgoingInfoEvent,
  PeerConnectionEvent,
  RTCSession,
} from '@krivega/jssip';
import { VinteoError, type VinteoErrorInfo } from '../errors.js';
import { logger } from '../logger.js';
import type { AsyncQueue } from '../queue.js';
import { mediaStateInfo } from '../protocol/outgoing.js';
import { buildInviteHeaders } from '../protocol/invite.js';
import type { HeaderLookup } from '../protocol/info.js';
import { StateMachine } from '../state.js';
import type { SipUserAgent } from '../connection/transport.js';
import { applyCodecPreferences, type CodecPreferences } from './codecs.js';
import { earlyIceGate, firstOfferIce, type FastIce } from './ice.js';
import { hangUp, watchAcknowledgement } from './hang-up.js';
import { acquireLocalMedia, stopStream, type MediaProvider } from './media.js';
import { applyMuteSettings, keepMuteSettings } from './mute.js';
import { checkTiming, safeDelay, TIMING_LIMITS } from '../timing.js';

export type CallState = 'idle' | 'calling' | 'ringing' | 'in-call' | 'ended' | 'failed';
/** What a `calling` call is waiting for; `waiting` is the server's waiting room. */
export type CallPhase = 'connecting' | 'media' | 'inviting' | 'waiting';
export type CallEndReason = 'local-hangup' | 'remote-hangup' | 'cancelled' | 'declined' | 'missed' | 'connection-lost';
export type CallDirection = 'outgoing' | 'incoming';

const TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['calling', 'ringing'],
  calling: ['in-call', 'ended', 'failed'],
  ringing: ['in-call', 'ended', 'failed'],
  'in-call': ['ended', 'failed'],
  ended: ['calling', 'ringing', 'idle'],
  failed: ['calling', 'ringing', 'idle'],
};

export interface Caller {
  /** Display name from the INVITE's From header (may be empty). */
  readonly name: string;
  /** The caller's SIP user. */
  readonly number: string;
}

export interface CallSnapshot {
  /** Tells calls apart: a new number for every join and every incoming call (undefined before the first). */
  readonly id: number | undefined;
  readonly state: CallState;
  readonly phase: CallPhase | undefined;
  readonly direction: CallDirection | undefined;
  /** The dialled conference, or the caller's number for an incoming call. */
  readonly conference: string | undefined;
  /** Who is calling (incoming calls only). */
  readonly caller: Caller | undefined;
  /** When the server put the call in its waiting room (ms since epoch). */
  readonly waitingSince: number | undefined;
  readonly localStream: MediaStream | undefined;
  readonly remoteStream: MediaStream | undefined;
  /** The video of a presentation another participant shares (a second video m-line), if any. */
  readonly contentStream: MediaStream | undefined;
  /** True when the call runs without camera and microphone (refused or missing). */
  readonly receiveOnly: boolean;
  /** False while sending is switched off (spectator role). */
  readonly sending: boolean;
  /** Set while a call whose connection was lost is being brought back (ms since epoch of the loss). */
  readonly recoveringSince: number | undefined;
  readonly microphoneEnabled: boolean;
  readonly cameraEnabled: boolean;
  readonly endReason: CallEndReason | undefined;
  readonly error: VinteoErrorInfo | undefined;
  /** A non-fatal problem, e.g. the camera could not be opened and the call is audio only. */
  readonly warning: VinteoErrorInfo | undefined;
}

export const initialCallSnapshot: CallSnapshot = {
  id: undefined,
  state: 'idle',
  phase: undefined,
  direction: undefined,
  conference: undefined,
  caller: undefined,
  waitingSince: undefined,
  localStream: undefined,
  remoteStream: undefined,
  contentStream: undefined,
  receiveOnly: false,
  sending: true,
  recoveringSince: undefined,
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
  'call:incoming': { caller: Caller };
  'call:waiting': { conference: string };
  'call:accepted': { conference: string };
  'call:ended': { conference: string; reason: CallEndReason };
  'call:failed': { conference: string; error: VinteoError };
  'call:info': ReceivedInfoMessage;
  /** The call is being recovered after its connection was lost. */
  'call:recovering': { conference: string; reason: string };
  /** The call is back (a new INVITE to the same conference, or an ICE restart). */
  'call:recovered': { conference: string; downtimeMs: number; method: 'redial' | 'ice-restart' };
  /** Camera or microphone could not be used; the call goes on without them. */
  'call:media-warning': { error: VinteoError };
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
  /** Codec order for `setCodecPreferences`, e.g. `{ preferred: ['video/vp9'], excluded: ['video/av1'] }`. */
  codecs?: CodecPreferences;
}

export interface CallDeps {
  readonly ensureConnected: () => Promise<void>;
  readonly userAgent: () => SipUserAgent | undefined;
  readonly sipDomain: () => string;
  readonly registered: () => boolean;
  readonly media: MediaProvider;
  readonly pcConfig: () => RTCConfiguration;
  /** Serializes renegotiations with the connection's other operations. */
  readonly queue: AsyncQueue;
  /**
   * When the INVITE (or answer) goes out: at the first usable ICE candidate, or once gathering
   * completes (see {@link FastIce}).
   */
  readonly fastIce: () => FastIce;
  /** Whether a call survives a lost connection (redial), and for how long it may try (ms). */
  readonly recovery: () => { enabled: boolean; timeoutMs: number };
  readonly update: (next: CallSnapshot) => void;
  readonly emit: <K extends keyof CallEvents>(type: K, payload: CallEvents[K]) => void;
}

/** The last call id given out; ids are unique across clients on the page. */
let lastCallId = 0;

/** One call (outgoing or incoming) and everything it owns. */
class Attempt {
  readonly id = ++lastCallId;
  aborted = false;
  session: RTCSession | undefined;
  peer: RTCPeerConnection | undefined;
  localStream: MediaStream | undefined;
  /** Remote tracks: `main` (the conference mix) or `content` (someone's presentation). */
  readonly remoteTracks = new Map<MediaStreamTrack, 'main' | 'content'>();
  readonly cleanups: Array<() => void> = [];
  settle: ((error?: VinteoError) => void) | undefined;
  /** Increments with every INVITE of this call (redials): events of older sessions are ignored. */
  leg = 0;
  options: JoinOptions = {};
  /** Set while the call is being recovered after a lost connection. */
  recovery: { since: number; timer: ReturnType<typeof setTimeout> } | undefined;
  iceRestarts = 0;
  unwatchPeer: (() => void) | undefined;
  private markOver: (() => void) | undefined;
  /** Resolves when the call is over (left, failed, ended), so that waits in join() end with it. */
  readonly over = new Promise<void>((resolve) => {
    this.markOver = resolve;
  });

  constructor(
    readonly conference: string,
    readonly direction: CallDirection,
    readonly guest: boolean,
  ) {}

  dispose(): void {
    this.markOver?.();
    if (this.recovery) clearTimeout(this.recovery.timer);
    this.recovery = undefined;
    this.unwatchPeer?.();
    this.unwatchPeer = undefined;
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
const RENEGOTIATION_TRIES = 10;
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, safeDelay(ms)));

/** The first transceiver of a kind carries the conference; later video ones carry presentations. */
function isMainTransceiver(peer: RTCPeerConnection, transceiver: RTCRtpTransceiver | undefined, kind: string): boolean {
  if (!transceiver || typeof peer.getTransceivers !== 'function') return true;
  const first = peer.getTransceivers().find((t) => (t.receiver.track?.kind ?? '') === kind);
  return first === undefined || first === transceiver;
}

/** Calls: outgoing to a conference and incoming from the server; local media, remote stream, renegotiation. */
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
    return this.machine.state === 'in-call' && !this.attempt?.recovery ? this.attempt?.session : undefined;
  }

  get peerConnection(): RTCPeerConnection | undefined {
    return this.attempt?.peer;
  }

  /** The local camera/microphone stream of the current call, if any. */
  get localStream(): MediaStream | undefined {
    return this.attempt?.localStream;
  }

  get busy(): boolean {
    const state = this.machine.state;
    return state === 'calling' || state === 'ringing' || state === 'in-call';
  }

  async join(conference: string, options: JoinOptions = {}): Promise<void> {
    if (this.busy) throw VinteoError.invalidState('join', `a call is ${this.machine.state}`);
    const microphone = options.microphone ?? this.snapshot.microphoneEnabled;
    const camera = options.camera ?? this.snapshot.cameraEnabled;
    const attempt = new Attempt(conference, 'outgoing', !this.deps.registered());
    attempt.options = options;
    this.begin(attempt, { phase: 'connecting', microphoneEnabled: microphone, cameraEnabled: camera });
    this.machine.transition('calling');
    // Camera and microphone open while the connection comes up (a real camera takes hundreds of ms);
    // never rejects, and releases what it opened if the call is over by then.
    let mediaOpen = false;
    const opening = this.openMedia(attempt, options).finally(() => {
      mediaOpen = true;
    });
    try {
      await this.unlessOver(attempt, this.deps.ensureConnected());
      // Registration may have happened just now: the guest flag follows the connection.
      Object.assign(attempt, { guest: !this.deps.registered() });

      if (!mediaOpen) this.publish({ phase: 'media' });
      const media = await this.unlessOver(attempt, opening);

      this.publish({ phase: 'inviting' });
      await this.invite(attempt, options, media);
    } catch (error) {
      const failure = VinteoError.from(error);
      if (this.attempt === attempt) this.finish(attempt, failure.reason === 'aborted' ? 'cancelled' : failure);
      throw failure;
    }
  }

  /** Takes an incoming call from the user agent: rings, or answers 486 when busy. */
  handleIncoming(session: RTCSession, request: IncomingRequest): void {
    if (this.busy) {
      logger.info('incoming call while busy: answering 486');
      try {
        session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      } catch (error) {
        logger.debug('terminate threw', error);
      }
      return;
    }
    const identity = session.remote_identity;
    const caller: Caller = {
      name: identity?.display_name ?? request?.from?.display_name ?? '',
      number: identity?.uri?.user ?? request?.from?.uri?.user ?? '',
    };
    const attempt = new Attempt(caller.number, 'incoming', false);
    attempt.session = session;
    keepMuteSettings(session, () => this.applyMute(attempt));
    this.begin(attempt, { caller });
    this.listen(attempt, session);
    this.machine.transition('ringing');
    this.deps.emit('call:incoming', { caller });
  }

  /** Answers the ringing call. Without camera and microphone it answers receive-only. */
  async answer(options: JoinOptions = {}): Promise<void> {
    const attempt = this.attempt;
    const session = attempt?.session;
    if (!attempt || !session || this.machine.state !== 'ringing' || this.snapshot.phase) {
      throw VinteoError.invalidState('answer', `the call is ${this.machine.state}`);
    }
    const microphone = options.microphone ?? this.snapshot.microphoneEnabled;
    const camera = options.camera ?? this.snapshot.cameraEnabled;
    this.publish({ phase: 'media', microphoneEnabled: microphone, cameraEnabled: camera });
    try {
      const media = await this.openMedia(attempt, options);
      this.throwIfAborted(attempt);
      this.publish({ phase: 'inviting' });
      await new Promise<void>((resolve, reject) => {
        attempt.settle = (error) => {
          attempt.settle = undefined;
          if (error) reject(error);
          else resolve();
        };
        session.answer({
          pcConfig: this.deps.pcConfig(),
          ...(media
            ? { mediaStream: media, onAddedTransceiver: this.codecHook(options.codecs) }
            : { mediaConstraints: { audio: false, video: false } }),
        });
        if (session.connection) this.watchPeer(attempt, session.connection);
      });
    } catch (error) {
      const failure = VinteoError.from(error);
      if (this.attempt === attempt) this.finish(attempt, failure.reason === 'aborted' ? 'cancelled' : failure);
      throw failure;
    }
  }

  /** Declines the ringing call (603). Never throws. */
  decline(): void {
    const attempt = this.attempt;
    if (!attempt || this.machine.state !== 'ringing') return;
    attempt.aborted = true;
    try {
      attempt.session?.terminate({ status_code: 603, reason_phrase: 'Decline' });
    } catch (error) {
      logger.debug('terminate threw', error);
    }
    this.finish(attempt, 'declined');
  }

  /** Hangs up, cancels a call being set up, or declines a ringing one. Never throws. */
  async leave(): Promise<void> {
    const attempt = this.attempt;
    const state = this.machine.state;
    if (!attempt || !this.busy) return;
    if (state === 'ringing' && !this.snapshot.phase) {
      this.decline();
      return;
    }
    attempt.aborted = true;
    this.terminate(attempt);
    this.finish(attempt, state === 'in-call' ? 'local-hangup' : 'cancelled');
  }

  /**
   * The signalling connection went away under a call. An established outgoing call waits for the
   * connection to come back (then redials the same conference, keeping camera, microphone and their
   * settings) for up to the recovery timeout; anything else ends now.
   */
  connectionLost(reason = 'the connection was lost'): void {
    const attempt = this.attempt;
    if (!attempt || !this.busy) return;
    const state = this.machine.state;
    const recovery = this.deps.recovery();
    if (state === 'in-call' && attempt.direction === 'outgoing' && recovery.enabled) {
      if (attempt.recovery) return;
      this.dropLeg(attempt);
      const timer = setTimeout(() => {
        if (this.attempt === attempt && attempt.recovery) {
          logger.warn('the call could not be recovered in time');
          attempt.aborted = true;
          this.finish(attempt, 'connection-lost');
        }
      }, safeDelay(recovery.timeoutMs));
      attempt.recovery = { since: Date.now(), timer };
      this.publish({ recoveringSince: attempt.recovery.since, remoteStream: undefined, contentStream: undefined });
      this.deps.emit('call:recovering', { conference: attempt.conference, reason });
      return;
    }
    attempt.aborted = true;
    this.terminate(attempt);
    this.finish(attempt, state === 'in-call' ? 'connection-lost' : VinteoError.connectionLost(reason));
  }

  /** The connection is back: a call in recovery calls the same conference again. */
  async connectionRestored(): Promise<void> {
    const attempt = this.attempt;
    if (!attempt?.recovery || this.machine.state !== 'in-call') return;
    try {
      this.publish({ phase: undefined });
      await this.invite(attempt, attempt.options, attempt.localStream);
    } catch (error) {
      if (this.attempt !== attempt || !attempt.recovery) return;
      const failure = VinteoError.from(error, 'call-failed');
      logger.warn(`redial failed: ${failure.message}`);
      attempt.aborted = true;
      this.finish(attempt, 'connection-lost');
    }
  }

  /** The connection will not come back: a call waiting for it ends. */
  connectionGaveUp(): void {
    const attempt = this.attempt;
    if (!attempt?.recovery || !this.busy) return;
    attempt.aborted = true;
    this.terminate(attempt);
    this.finish(attempt, this.machine.state === 'in-call' ? 'connection-lost' : VinteoError.connectionLost());
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.publish({ microphoneEnabled: enabled });
    this.applyMute(this.attempt);
    this.sendMediaState();
  }

  setCameraEnabled(enabled: boolean): void {
    const stream = this.attempt?.localStream;
    if (enabled && this.busy && (!stream || stream.getVideoTracks().length === 0)) {
      throw VinteoError.mediaUnavailable();
    }
    this.publish({ cameraEnabled: enabled });
    this.applyMute(this.attempt);
    this.sendMediaState();
  }

  /**
   * Sets the local tracks from the user's microphone and camera settings. The only writer of their
   * `enabled`: JsSIP's own re-enabling before renegotiations runs this instead (see keepMuteSettings),
   * and every operation that changes tracks or senders ends with it.
   */
  private applyMute(attempt: Attempt | undefined): void {
    if (!attempt || this.attempt !== attempt) return;
    applyMuteSettings(attempt.localStream, this.snapshot);
  }

  /**
   * Turns sending of camera and microphone off (receive-only, for the spectator role) or back on,
   * and renegotiates so the server sees the new directions. Mic and camera settings are kept.
   */
  setSending(enabled: boolean): Promise<void> {
    return this.renegotiate(`turn sending ${enabled ? 'on' : 'off'}`, async (session, peer) => {
      const local = new Set(this.attempt?.localStream?.getTracks() ?? []);
      for (const transceiver of peer.getTransceivers()) {
        const track = transceiver.sender.track;
        if (!track || !local.has(track) || transceiver.currentDirection === 'stopped') continue;
        transceiver.direction = enabled ? 'sendrecv' : 'recvonly';
      }
      const done = await session.renegotiate();
      if (done) this.publish({ sending: enabled });
      return done;
    });
  }

  /** Restarts ICE with a re-INVITE (after a network change, or when the server asks). */
  restartIce(options: { videoTrackCount?: number } = {}): Promise<void> {
    return this.renegotiate('restart ICE', async (session, peer) => {
      const videos = peer.getTransceivers().filter((t) => t.currentDirection !== 'stopped' && t.receiver.track?.kind === 'video');
      // A second video track means the server wants a presentation (content) transceiver.
      if ((options.videoTrackCount ?? 0) >= 2 && videos.length < 2) peer.addTransceiver('video', { direction: 'recvonly' });
      return session.restartIce();
    });
  }

  /** Puts `track` in place of the local track of the same kind, on the sender too (no renegotiation). */
  async replaceLocalTrack(track: MediaStreamTrack): Promise<void> {
    const attempt = this.attempt;
    const stream = attempt?.localStream;
    if (!attempt || !stream || !this.busy) throw VinteoError.invalidState('switch devices', 'no call is running');
    const kind = track.kind as 'audio' | 'video';
    const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    const sender = attempt.peer?.getSenders().find((s) => s.track !== null && s.track === old);
    if (!old || (attempt.peer && !sender)) throw VinteoError.mediaUnavailable();
    // Muted before it is sent: the new track never carries a frame the user switched off.
    applyMuteSettings(new MediaStream([track]), this.snapshot);
    await sender?.replaceTrack(track);
    stream.removeTrack(old);
    stream.addTrack(track);
    old.stop();
    const next = new MediaStream(stream.getTracks());
    attempt.localStream = next;
    this.applyMute(attempt);
    this.publish({ localStream: next });
  }

  /** Sends DTMF tones in the established call (SIP INFO, 120 ms tones, 600 ms gaps by default). */
  sendDTMF(tones: string, options: { duration?: number; interToneGap?: number } = {}): void {
    const session = this.session;
    if (!session) throw VinteoError.invalidState('send DTMF', `the call is ${this.machine.state}`);
    if (!/^[0-9A-D#*,]{1,64}$/i.test(tones)) {
      throw VinteoError.invalidConfig(`DTMF tones must be 1 to 64 of 0-9 A-D # * , (got ${JSON.stringify(tones.slice(0, 70))})`);
    }
    checkTiming('dtmfDurationMs', options.duration);
    checkTiming('dtmfInterToneGapMs', options.interToneGap);
    try {
      session.sendDTMF(tones.toUpperCase(), {
        duration: options.duration ?? TIMING_LIMITS.dtmfDurationMs.fallback,
        interToneGap: options.interToneGap ?? TIMING_LIMITS.dtmfInterToneGapMs.fallback,
      });
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

  private begin(attempt: Attempt, patch: Partial<CallSnapshot>): void {
    this.attempt?.dispose();
    this.attempt = attempt;
    this.publish({
      id: attempt.id,
      phase: undefined,
      direction: attempt.direction,
      conference: attempt.conference,
      caller: undefined,
      waitingSince: undefined,
      endReason: undefined,
      error: undefined,
      warning: undefined,
      localStream: undefined,
      remoteStream: undefined,
      contentStream: undefined,
      receiveOnly: false,
      sending: true,
      recoveringSince: undefined,
      ...patch,
    });
  }

  /** Opens camera and microphone; on refusal or absence the call goes on receive-only. */
  private async openMedia(attempt: Attempt, options: JoinOptions): Promise<MediaStream | undefined> {
    const over = (): boolean => this.attempt !== attempt || attempt.aborted;
    try {
      const acquired = await acquireLocalMedia(this.deps.media, options.video ?? true, options.audio ?? true);
      if (over()) {
        // Left (or failed) while the camera was opening: release it at once.
        stopStream(acquired.stream);
        return undefined;
      }
      attempt.localStream = acquired.stream;
      const hasVideo = acquired.stream.getVideoTracks().length > 0;
      // The settings as they are now: the user may have switched them while the devices opened.
      this.publish({ cameraEnabled: this.snapshot.cameraEnabled && hasVideo, warning: acquired.videoError?.toJSON() });
      this.applyMute(attempt);
      this.publish({ localStream: acquired.stream });
      if (acquired.videoError) this.deps.emit('call:media-warning', { error: acquired.videoError });
      return acquired.stream;
    } catch (error) {
      if (over()) return undefined;
      const failure = VinteoError.from(error, 'media-unavailable');
      logger.warn(`joining receive-only: ${failure.message}`);
      this.publish({ receiveOnly: true, microphoneEnabled: false, cameraEnabled: false, warning: failure.toJSON() });
      this.deps.emit('call:media-warning', { error: failure });
      return undefined;
    }
  }

  private codecHook(codecs: CodecPreferences | undefined) {
    return codecs
      ? (transceiver: RTCRtpTransceiver, track: MediaStreamTrack): Promise<void> => {
          try {
            applyCodecPreferences(transceiver, track.kind, codecs);
          } catch (error) {
            logger.warn('setCodecPreferences failed', error);
          }
          return Promise.resolve();
        }
      : undefined;
  }

  private invite(attempt: Attempt, options: JoinOptions, media: MediaStream | undefined): Promise<void> {
    const ua = this.deps.userAgent();
    if (!ua) return Promise.reject(VinteoError.connectionLost('not connected'));
    const target = `sip:${attempt.conference}@${this.deps.sipDomain()}`;
    const leg = ++attempt.leg;
    const current = (): boolean => this.attempt === attempt && attempt.leg === leg && !attempt.aborted;
    return new Promise<void>((resolve, reject) => {
      attempt.settle = (error) => {
        attempt.settle = undefined;
        if (error) reject(error);
        else resolve();
      };
      const hook = this.codecHook(options.codecs);
      const pcConfig = this.deps.pcConfig();
      const early = earlyIceGate(this.deps.fastIce(), 'outgoing', pcConfig.iceServers ?? []);
      const ice = firstOfferIce(() => early);
      const session = ua.call(target, {
        pcConfig,
        ...(media
          ? { mediaStream: media, ...(hook ? { onAddedTransceiver: hook } : {}) }
          : {
              mediaConstraints: { audio: false, video: false },
              rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: true },
            }),
        extraHeaders: buildInviteHeaders({
          microphoneEnabled: this.snapshot.microphoneEnabled,
          cameraEnabled: this.snapshot.cameraEnabled,
          registered: !attempt.guest,
          sessionId: options.sessionId,
        }),
        eventHandlers: {
          peerconnection: (event: PeerConnectionEvent) => current() && this.watchPeer(attempt, event.peerconnection),
          progress: () => current() && this.onProgress(attempt),
          icecandidate: (event: IceCandidateEvent) => current() && ice.candidate(event),
          sending: ice.sent,
          confirmed: () => current() && this.onConfirmed(attempt),
          ended: (event: EndEvent) => current() && this.onEnded(attempt, event),
          failed: (event: EndEvent) => current() && this.onFailed(attempt, event),
          newInfo: (event: IncomingInfoEvent | OutgoingInfoEvent) => current() && this.onInfo(attempt, event),
        },
      });
      watchAcknowledgement(session);
      attempt.session = session;
      keepMuteSettings(session, () => this.applyMute(attempt));
      if (!attempt.peer && session.connection) this.watchPeer(attempt, session.connection);
    });
  }

  private listen(attempt: Attempt, session: RTCSession): void {
    const handlers = {
      peerconnection: (event: PeerConnectionEvent) => this.watchPeer(attempt, event.peerconnection),
      confirmed: () => this.onConfirmed(attempt),
      ended: (event: EndEvent) => this.onEnded(attempt, event),
      failed: (event: EndEvent) => this.onFailed(attempt, event),
      newInfo: (event: IncomingInfoEvent | OutgoingInfoEvent) => this.onInfo(attempt, event),
    };
    // The answer's gate is read when it gathers: the option may change while the call rings.
    const ice = firstOfferIce(() => earlyIceGate(this.deps.fastIce(), 'incoming', this.deps.pcConfig().iceServers ?? []));
    session.on('icecandidate', ice.candidate);
    session.on('accepted', ice.sent);
    session.on('peerconnection', handlers.peerconnection);
    session.on('confirmed', handlers.confirmed);
    session.on('ended', handlers.ended);
    session.on('failed', handlers.failed);
    session.on('newInfo', handlers.newInfo);
  }

  /**
   * Runs `operation` (which changes the peer connection and starts an offer/answer, resolving false
   * when the call was not ready) on the connection's queue, retrying while another exchange is under way.
   */
  renegotiate(what: string, operation: (session: RTCSession, peer: RTCPeerConnection) => Promise<boolean>): Promise<void> {
    return this.deps.queue.push(async () => {
      for (let tries = 1; tries <= RENEGOTIATION_TRIES; tries += 1) {
        const session = this.session;
        const peer = this.attempt?.peer;
        if (!session || !peer) throw VinteoError.invalidState(what, `the call is ${this.machine.state}`);
        let done: boolean;
        try {
          done = await operation(session, peer);
        } catch (error) {
          throw VinteoError.protocolError(`Could not ${what}: the renegotiation failed`, error);
        } finally {
          this.applyMute(this.attempt);
        }
        if (done) return;
        // Another offer/answer is under way: wait for it and try again.
        await delay(100 * tries);
      }
      throw VinteoError.protocolError(`Could not ${what}: the call never became ready to renegotiate`);
    });
  }

  private sendMediaState(): void {
    if (!this.session) return;
    const info = mediaStateInfo(this.snapshot.microphoneEnabled, this.snapshot.cameraEnabled);
    this.sendInfo(info.contentType, info.headers).catch((error: unknown) => {
      logger.warn('mediastate INFO failed', error);
    });
  }

  /**
   * Waits for `work` unless the call is over first (left while connecting, or while a permission
   * prompt is open): then rejects with `aborted` at once; `work` settles unobserved.
   */
  private async unlessOver<T>(attempt: Attempt, work: Promise<T>): Promise<T> {
    this.throwIfAborted(attempt);
    const outcome = await Promise.race([work.then((value) => ({ value })), attempt.over.then(() => undefined)]);
    this.throwIfAborted(attempt);
    if (!outcome) throw VinteoError.aborted('Joining');
    return outcome.value;
  }

  private throwIfAborted(attempt: Attempt): void {
    if (attempt.aborted || this.attempt !== attempt) throw VinteoError.aborted('Joining');
  }

  private watchPeer(attempt: Attempt, peer: RTCPeerConnection): void {
    if (attempt.peer === peer) return;
    attempt.unwatchPeer?.();
    attempt.peer = peer;
    const onTrack = (event: RTCTrackEvent): void => {
      if (this.attempt !== attempt) return;
      const track = event.track;
      attempt.remoteTracks.set(track, isMainTransceiver(peer, event.transceiver, track.kind) ? 'main' : 'content');
      track.addEventListener('ended', () => {
        if (attempt.remoteTracks.delete(track)) this.publishRemote(attempt);
      });
      this.publishRemote(attempt);
    };
    const onState = (): void => {
      if (this.attempt !== attempt || attempt.peer !== peer) return;
      if (peer.connectionState === 'failed' && this.machine.state === 'in-call' && !attempt.recovery) {
        void this.recoverMedia(attempt);
      }
    };
    peer.addEventListener('track', onTrack);
    peer.addEventListener('connectionstatechange', onState);
    attempt.unwatchPeer = () => {
      peer.removeEventListener('track', onTrack);
      peer.removeEventListener('connectionstatechange', onState);
    };
  }

  /** Forgets the current session and peer (their transport is gone) but keeps local media. */
  private dropLeg(attempt: Attempt): void {
    attempt.leg += 1;
    attempt.unwatchPeer?.();
    attempt.unwatchPeer = undefined;
    attempt.peer = undefined;
    attempt.remoteTracks.clear();
    const session = attempt.session;
    attempt.session = undefined;
    if (session && !session.isEnded()) {
      try {
        session.terminate();
      } catch (error) {
        logger.debug('terminate of a lost session threw', error);
      }
    }
  }

  /**
   * Media stopped while signalling may still be up: first an ICE restart, then (if that fails or
   * the connection is gone too) a new call to the same conference.
   */
  private async recoverMedia(attempt: Attempt): Promise<void> {
    const since = Date.now();
    if (attempt.iceRestarts < 2 && this.deps.userAgent()?.isConnected()) {
      attempt.iceRestarts += 1;
      logger.warn('media connection failed: restarting ICE');
      try {
        await this.restartIce();
        if (this.attempt === attempt) {
          this.deps.emit('call:recovered', { conference: attempt.conference, downtimeMs: Date.now() - since, method: 'ice-restart' });
        }
        return;
      } catch (error) {
        logger.warn('ICE restart failed', error);
      }
    }
    if (this.attempt !== attempt || this.machine.state !== 'in-call') return;
    this.connectionLost('media connection failed');
    if (this.deps.userAgent()?.isConnected()) void this.connectionRestored();
  }

  private publishRemote(attempt: Attempt): void {
    const main = [...attempt.remoteTracks].filter(([, role]) => role === 'main').map(([track]) => track);
    const content = [...attempt.remoteTracks].filter(([, role]) => role === 'content').map(([track]) => track);
    this.publish({
      remoteStream: main.length > 0 ? new MediaStream(main) : undefined,
      contentStream: content.length > 0 ? new MediaStream(content) : undefined,
    });
  }

  private onProgress(attempt: Attempt): void {
    if (this.attempt !== attempt || attempt.aborted || !attempt.guest || this.snapshot.phase === 'waiting') return;
    // A guest call that rings instead of being answered is held in the server's waiting room.
    this.publish({ phase: 'waiting', waitingSince: Date.now() });
    this.deps.emit('call:waiting', { conference: attempt.conference });
  }

  private onConfirmed(attempt: Attempt): void {
    if (this.attempt !== attempt || attempt.aborted) return;
    if (attempt.recovery) {
      const downtimeMs = Date.now() - attempt.recovery.since;
      clearTimeout(attempt.recovery.timer);
      attempt.recovery = undefined;
      attempt.iceRestarts = 0;
      this.publish({ recoveringSince: undefined });
      this.applyMute(attempt);
      this.deps.emit('call:recovered', { conference: attempt.conference, downtimeMs, method: 'redial' });
      attempt.settle?.();
      this.sendMediaState();
      return;
    }
    this.publish({ phase: undefined, waitingSince: undefined });
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
    if (attempt.recovery) {
      logger.warn(`redial refused: ${event.cause}`);
      this.finish(attempt, 'connection-lost');
      return;
    }
    if (event.cause === 'Canceled') {
      this.finish(attempt, attempt.direction === 'incoming' ? 'missed' : 'cancelled');
      return;
    }
    const status = event.message && 'status_code' in event.message ? event.message.status_code : undefined;
    this.finish(attempt, causeToError(event.cause, status));
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
      hangUp(session);
    } catch (error) {
      logger.debug('terminate threw', error);
    }
  }

  /** Ends the call: releases media, publishes the final state, settles join() or answer(). */
  private finish(attempt: Attempt, outcome: CallEndReason | VinteoError): void {
    if (this.attempt !== attempt || !this.busy) return;
    attempt.aborted = true;
    // Whatever ended the call, its session ends too (e.g. a redial still ringing when recovery times
    // out): a session left running would be answered and confirmed with no one in the call.
    this.terminate(attempt);
    attempt.dispose();
    const failed = outcome instanceof VinteoError;
    this.publish({
      phase: undefined,
      waitingSince: undefined,
      localStream: undefined,
      remoteStream: undefined,
      contentStream: undefined,
      recoveringSince: undefined,
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
