import type { IncomingRequest, RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import { buildInviteHeaders } from '../protocol/invite.js';
import { StateMachine } from '../state.js';
import { Attempt, endSession } from './attempt.js';
import { codecHook } from './codecs.js';
import type { CallContext, CallDeps } from './context.js';
import { earlyIceGate, firstOfferIce } from './ice.js';
import { sendDtmf, sendInfo, sendMediaState } from './in-dialog.js';
import { watchAcknowledgement } from './hang-up.js';

import { keepMuteSettings } from './mute.js';
import { LocalMedia } from './local-media.js';
import { SessionEvents } from './session-events.js';
import { CallRecovery } from './recovery.js';
import { Renegotiation } from './renegotiation.js';
import { sendRoomName } from './room-name.js';
import { VideoRecovery } from './video-recovery.js';
import type { CallStats } from '../stats/types.js';
import type { LegSnapshot } from '../spectator/types.js';
import { listenToIncoming, outgoingEventHandlers, sessionHandlers, type SessionHandlers } from './session-handlers.js';
import { remoteStreams, watchPeer } from './tracks.js';
import { initialCallSnapshot, isCallRunning, type Caller, type CallEndReason, type CallSnapshot, type CallState, type JoinOptions } from './types.js';

const TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['calling', 'ringing'],
  calling: ['in-call', 'ended', 'failed'],
  ringing: ['in-call', 'ended', 'failed'],
  'in-call': ['ended', 'failed'],
  ended: ['calling', 'ringing', 'idle'],
  failed: ['calling', 'ringing', 'idle'],
};

/** Calls: outgoing to a conference and incoming from the server; local media, remote stream, renegotiation. */
export class CallService {
  private readonly machine: StateMachine<CallState>;
  private attempt: Attempt | undefined;
  private snapshot: CallSnapshot = initialCallSnapshot;
  private readonly renegotiation: Renegotiation;
  private readonly recovery: CallRecovery;
  private readonly media: LocalMedia;
  private readonly events: SessionEvents;
  private readonly videoRecovery: VideoRecovery;

  constructor(private readonly deps: CallDeps) {
    this.machine = new StateMachine<CallState>('call', 'idle', TRANSITIONS, (to, from) => {
      this.publish({ state: to });
      this.deps.emit('call:state', { state: to, previous: from });
    });
    // What the call's parts (renegotiation, recovery) may see and do.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const service = this;
    const context: CallContext = {
      deps,
      get attempt() { return service.attempt; },
      get state() { return service.machine.state; },
      get busy() { return service.busy; },
      get session() { return service.session; },
      get snapshot() { return service.snapshot; },
      publish: (patch) => this.publish(patch),
      transition: (to) => this.machine.transition(to),
      applyMute: (attempt) => this.media.applyMute(attempt),
      sendMediaState: () => this.sendMediaState(),
      confirmed: (attempt) => {
        sendRoomName(attempt, this.deps.localUser());
        this.videoRecovery.reset();
      },
      finish: (attempt, outcome) => this.finish(attempt, outcome),
      invite: (attempt, options, media) => this.invite(attempt, options, media),
    };
    this.renegotiation = new Renegotiation(context);
    this.recovery = new CallRecovery(context, this.renegotiation);
    this.media = new LocalMedia(context);
    this.events = new SessionEvents(context);
    this.videoRecovery = new VideoRecovery(context, this.renegotiation);
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

  /** The current call carries only a presentation ({@link JoinOptions.presentationOnly}). */
  get presentationOnly(): boolean {
    return this.attempt?.options.presentationOnly === true;
  }

  get busy(): boolean {
    return isCallRunning(this.machine.state);
  }

  /** Throws unless a call can start now. */
  checkCanJoin(): void {
    if (this.busy) throw VinteoError.invalidState('join', `a call is ${this.machine.state}`);
  }

  /**
   * Calls `conference`: opens camera and microphone while `connected` (the connection the caller
   * brings up) settles, then sends the INVITE. Resolves when in the call.
   */
  async join(conference: string, options: JoinOptions, connected: Promise<void>): Promise<void> {
    this.checkCanJoin();
    const microphone = options.microphone ?? this.snapshot.microphoneEnabled;
    const camera = options.camera ?? this.snapshot.cameraEnabled;
    const attempt = new Attempt(conference, 'outgoing', !this.deps.registered());
    attempt.options = options;
    this.begin(attempt, { phase: 'connecting', microphoneEnabled: microphone, cameraEnabled: camera });
    this.machine.transition('calling');
    // Camera and microphone open while the connection comes up (a real camera takes hundreds of ms);
    // never rejects, and releases what it opened if the call is over by then.
    let mediaOpen = false;
    const opening = this.media.open(attempt, options).finally(() => {
      mediaOpen = true;
    });
    try {
      await this.unlessOver(attempt, connected);
      // Registration may have happened just now: the guest flag follows the connection.
      attempt.guest = !this.deps.registered();

      if (!mediaOpen) this.publish({ phase: 'media' });
      const media = await this.unlessOver(attempt, opening);

      this.publish({ phase: 'inviting' });
      await this.invite(attempt, options, media);
    } catch (error) {
      throw this.abandon(attempt, error);
    }
  }

  /** Takes an incoming call from the user agent: rings, or answers 486 when busy. */
  handleIncoming(session: RTCSession, request: IncomingRequest): void {
    if (this.busy) {
      logger.info('incoming call while busy: answering 486');
      endSession(session, { status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const identity = session.remote_identity;
    const caller: Caller = {
      name: identity?.display_name ?? request?.from?.display_name ?? '',
      number: identity?.uri?.user ?? request?.from?.uri?.user ?? '',
    };
    const attempt = new Attempt(caller.number, 'incoming', false);
    this.adoptSession(attempt, session);
    this.begin(attempt, { caller });
    // The answer's gate is read when it gathers: the option may change while the call rings.
    const ice = firstOfferIce(() => earlyIceGate(this.deps.fastIce(), 'incoming', this.deps.pcConfig().iceServers ?? []));
    listenToIncoming(session, this.handlers(attempt, ice, () => true));
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
      const media = await this.media.open(attempt, options);
      this.throwIfAborted(attempt);
      this.publish({ phase: 'inviting' });
      await attempt.settled(() => {
        session.answer({
          pcConfig: this.deps.pcConfig(),
          ...(media
            ? { mediaStream: media, onAddedTransceiver: codecHook(options.codecs) }
            : { mediaConstraints: { audio: false, video: false } }),
        });
        if (session.connection) this.watchPeer(attempt, session.connection);
      });
    } catch (error) {
      throw this.abandon(attempt, error);
    }
  }

  /** Declines the ringing call (603). Never throws. */
  decline(): void {
    const attempt = this.attempt;
    if (!attempt || this.machine.state !== 'ringing') return;
    attempt.aborted = true;
    attempt.endSession({ status_code: 603, reason_phrase: 'Decline' });
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
    this.finish(attempt, state === 'in-call' ? 'local-hangup' : 'cancelled');
  }

  /** The connection went away under the call: see {@link CallRecovery.connectionLost}. */
  connectionLost(reason?: string): void {
    this.recovery.connectionLost(reason);
  }

  /** The connection is back: a call in recovery redials. */
  connectionRestored(): Promise<void> {
    return this.recovery.connectionRestored();
  }

  /** The connection will not come back: a call waiting for it ends. */
  connectionGaveUp(): void {
    this.recovery.connectionGaveUp();
  }

  /** Runs an offer/answer exchange on the connection's queue (see {@link Renegotiation.renegotiate}). */
  renegotiate(what: string, operation: (session: RTCSession, peer: RTCPeerConnection) => Promise<boolean>): Promise<void> {
    return this.renegotiation.renegotiate(what, operation);
  }

  /**
   * One stats sample of the call: checks the main video, and restores it with a re-INVITE when it
   * stays broken (see {@link VideoRecovery}).
   */
  checkMainStream(stats: CallStats, recoverLeg?: () => boolean): void {
    this.videoRecovery.sample(stats, recoverLeg);
  }

  /** Starts the main video's health over (the receive quality changed). */
  resetStreamHealth(): void {
    this.videoRecovery.reset();
  }

  /** The spectator's receive leg (src/spectator/), shown in the call's snapshot. */
  setLeg(leg: LegSnapshot | undefined): void {
    if (leg === undefined && this.snapshot.leg === undefined) return;
    this.publish({ leg });
  }

  /** Ends the established call as failed (a BYE): the spectator's receive leg could not open. */
  fail(error: VinteoError): void {
    const attempt = this.attempt;
    if (attempt && this.busy) this.finish(attempt, error);
  }

  /**
   * The room access says the established call is in the server's waiting room (`purgatory`, protocol
   * §5) or not: `waitingSince` and `call:waiting` while it waits; admission clears it.
   */
  setWaitingRoom(waiting: boolean): void {
    this.events.waitingRoom(waiting);
  }

  /** Restarts ICE with a re-INVITE (after a network change, or when the server asks). */
  restartIce(): Promise<void> {
    return this.renegotiation.restartIce();
  }

  /** Sends DTMF tones in the established call (SIP INFO, 120 ms tones, 600 ms gaps by default). */
  sendDTMF(tones: string, options: { duration?: number; interToneGap?: number } = {}): void {
    sendDtmf(this.session, this.machine.state, tones, options);
  }

  /** Sends an INFO in the established call; rejects with a VinteoError. */
  sendInfo(contentType: string, extraHeaders: readonly string[], body?: string): Promise<void> {
    return sendInfo(this.session, this.machine.state, contentType, extraHeaders, body);
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.publish({ microphoneEnabled: enabled });
    this.media.applyMute(this.attempt);
    this.sendMediaState();
  }

  setCameraEnabled(enabled: boolean): void {
    const stream = this.attempt?.localStream;
    if (enabled && this.busy && (!stream || stream.getVideoTracks().length === 0)) {
      throw VinteoError.mediaUnavailable();
    }
    this.publish({ cameraEnabled: enabled });
    this.media.applyMute(this.attempt);
    this.sendMediaState();
  }

  /** Puts `track` in place of the local track of the same kind, on the sender too (no renegotiation). */
  replaceLocalTrack(track: MediaStreamTrack): Promise<void> {
    return this.media.replaceTrack(track);
  }

  dispose(): void {
    const attempt = this.attempt;
    if (!attempt) return;
    attempt.aborted = true;
    attempt.endSession();
    attempt.dispose();
    this.attempt = undefined;
  }

  private begin(attempt: Attempt, patch: Partial<CallSnapshot>): void {
    this.attempt?.dispose();
    this.attempt = attempt;
    // A new call starts from the initial snapshot, but for its state and the user's device settings.
    const { state, microphoneEnabled, cameraEnabled } = this.snapshot;
    this.publish({ ...initialCallSnapshot, state, microphoneEnabled, cameraEnabled, id: attempt.id, direction: attempt.direction, conference: attempt.conference, ...patch });
  }

  private invite(attempt: Attempt, options: JoinOptions, media: MediaStream | undefined): Promise<void> {
    const ua = this.deps.userAgent();
    if (!ua) return Promise.reject(VinteoError.connectionLost('not connected'));
    const target = `sip:${attempt.conference}@${this.deps.sipDomain()}`;
    const leg = ++attempt.leg;
    const current = (): boolean => this.attempt === attempt && attempt.leg === leg && !attempt.aborted;
    return attempt.settled(() => {
      const hook = codecHook(options.codecs);
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
          presentationCall: options.presentationOnly === true,
          remoteAddress: this.deps.remoteAddress?.(),
        }),
        eventHandlers: outgoingEventHandlers(this.handlers(attempt, ice, current)),
      });
      watchAcknowledgement(session);
      this.adoptSession(attempt, session);
      if (!attempt.peer && session.connection) this.watchPeer(attempt, session.connection);
    });
  }

  /** The call's JsSIP session, outgoing or incoming: only our mute settings ever set its tracks' `enabled`. */
  private adoptSession(attempt: Attempt, session: RTCSession): void {
    attempt.session = session;
    keepMuteSettings(session, () => this.media.applyMute(attempt));
  }

  private sendMediaState(): void {
    sendMediaState(this.session, this.snapshot);
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

  /** The session handler table of `attempt` (outgoing and incoming alike). */
  private handlers(attempt: Attempt, ice: ReturnType<typeof firstOfferIce>, current: () => boolean): SessionHandlers {
    return sessionHandlers(
      {
        peerconnection: (peer) => this.watchPeer(attempt, peer),
        confirmed: () => this.events.confirmed(attempt),
        ended: (event) => this.events.ended(attempt, event),
        failed: (event) => this.events.failed(attempt, event),
        info: (event) => this.events.info(attempt, event),
      },
      ice,
      current,
    );
  }

  private watchPeer(attempt: Attempt, peer: RTCPeerConnection): void {
    watchPeer(attempt, peer, {
      current: () => this.attempt === attempt,
      remoteChanged: () => this.publish(remoteStreams(attempt)),
      failed: () => {
        if (this.machine.state === 'in-call' && !attempt.recovery) void this.recovery.recoverMedia(attempt);
      },
    });
  }

  /** A join() or answer() failed (or was left): the call ends, cancelled or failed. Returns the error to throw. */
  private abandon(attempt: Attempt, error: unknown): VinteoError {
    const failure = VinteoError.from(error);
    if (this.attempt === attempt) this.finish(attempt, failure.reason === 'aborted' ? 'cancelled' : failure);
    return failure;
  }

  /** Ends the call: releases media, publishes the final state, settles join() or answer(). */
  private finish(attempt: Attempt, outcome: CallEndReason | VinteoError): void {
    if (this.attempt !== attempt || !this.busy) return;
    attempt.aborted = true;
    // Whatever ended the call, its session ends too (e.g. a redial still ringing when recovery times
    // out): a session left running would be answered and confirmed with no one in the call.
    attempt.endSession();
    attempt.dispose();
    this.videoRecovery.reset();
    const failed = outcome instanceof VinteoError;
    this.publish({
      videoRecovery: undefined,
      leg: undefined,
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
