import type { JoinOptions } from './call/types.js';
import { validateConference, type ConnectionOptions } from './config.js';
import { loadJsSip, preloadJsSip } from './connection/jssip.js';
import { Coordinator } from './coordinator.js';
import { VinteoError } from './errors.js';
import { logger } from './logger.js';
import type { PresentationOptions } from './presentation/types.js';
import { Settings } from './settings.js';
import type { Listener } from './store.js';
import type { CallStats } from './stats/types.js';
import type { VinteoClientEvents, VinteoClientOptions, VinteoSnapshot } from './types.js';

/**
 * The public API: one client per connection. Usable without any element.
 *
 * ```ts
 * const client = new VinteoClient({ server: 'vinteo.example.com' });
 * await client.join('1000');
 * ```
 */
export class VinteoClient {
  private readonly settings: Settings;
  private readonly core: Coordinator;
  private destroyed = false;

  constructor(options: VinteoClientOptions = {}) {
    this.settings = new Settings(options);
    this.core = new Coordinator(this.settings);
  }

  /**
   * Changes options (connection, call settings and the client options of the constructor); they are
   * checked now and apply from the next use (connect, join, reconnect attempt…; the stats interval at
   * once). A mistake is thrown by the next connect(), join() or answer().
   */
  configure(options: VinteoClientOptions): void {
    const quality = this.settings.options.quality;
    this.settings.merge(options);
    if (options.statsIntervalMs !== undefined) this.core.stats.settingsChanged();
    // Elements pass every setting on any change: only a new quality re-POSTs an open leg.
    if (options.quality !== undefined && options.quality !== quality) this.core.qualityChanged();
  }

  getSnapshot(): VinteoSnapshot {
    return this.core.store.get();
  }

  /** Calls `listener` whenever the selected slice of the snapshot changes. Returns an unsubscribe function. */
  subscribe<T>(selector: (snapshot: VinteoSnapshot) => T, listener: Listener<T>): () => void {
    return this.core.store.subscribe(selector, listener);
  }

  on<K extends keyof VinteoClientEvents>(type: K, listener: (payload: VinteoClientEvents[K]) => void): () => void {
    return this.core.events.on(type, listener);
  }

  off<K extends keyof VinteoClientEvents>(type: K, listener: (payload: VinteoClientEvents[K]) => void): void {
    this.core.events.off(type, listener);
  }

  /** The bearer token the server handed over on entering the room, if any. Never logged. */
  get bearerToken(): string | undefined {
    return this.core.conference.bearerToken;
  }

  /** The call's peer connection while a call runs (read-only use: stats, tests). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.core.call.peerConnection;
  }

  /**
   * Loads what connecting needs (the SIP library, loaded lazily) ahead of time, so that a later
   * connect() or join() starts at once: `'now'`, or `'idle'` when the browser has nothing else to do.
   * Never throws; a failure to load shows on connect.
   */
  prepare(when: 'now' | 'idle' = 'now'): void {
    if (this.settings.options.userAgentFactory) return;
    if (when === 'idle') preloadJsSip();
    else loadJsSip()?.catch(() => undefined);
  }

  /** Connects (and registers when `register` is set). Rejects with a VinteoError. */
  async connect(options?: ConnectionOptions): Promise<void> {
    this.assertAlive('connect');
    if (options) this.configure(options);
    await this.core.connect();
  }

  /** Hangs up any call and closes the connection. Never rejects. */
  async disconnect(): Promise<void> {
    // Stop retrying and let go of the window's online/visibility listeners.
    this.core.reconnect.dispose();
    this.core.forgetCredentials();
    await this.core.call.leave();
    await this.core.connection.disconnect();
  }

  /** Connects if needed, opens camera and microphone, and calls the conference. Resolves when in the call. */
  async join(conference: string, options?: JoinOptions): Promise<void> {
    this.assertAlive('join');
    const target = validateConference(conference);
    this.settings.checkForJoin();
    await this.core.join(target, { ...this.core.devices.constraints(), ...options });
  }

  /** Hangs up (or cancels a call being set up, aborting credentials still being fetched for it). Never rejects. */
  async leave(): Promise<void> {
    this.core.abortCallConnect();
    await this.core.call.leave();
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.core.call.setMicrophoneEnabled(enabled);
  }

  /**
   * Turns the camera on or off. While a moderator has stopped the camera, turning it on
   * asks the moderator for permission instead (`LETMESTARTMAINCAM`).
   */
  setCameraEnabled(enabled: boolean): void {
    if (enabled && this.getSnapshot().room.cameraBlocked && this.core.call.state === 'in-call') {
      this.core.conference.requestCamera().catch((error: unknown) => this.core.reportError(VinteoError.from(error, 'protocol-error')));
      return;
    }
    this.core.call.setCameraEnabled(enabled);
  }

  /** Answers the ringing incoming call; without camera and microphone it answers receive-only. */
  async answer(options?: JoinOptions): Promise<void> {
    this.settings.check();
    return this.core.call.answer({ ...this.core.devices.constraints(), ...options });
  }

  /** Declines the ringing incoming call. Never throws. */
  decline(): void {
    this.core.call.decline();
  }

  /** Accepts the moderator's pending request (turn a device on or off). */
  acceptModeratorRequest(): void {
    this.core.conference.acceptRequest();
  }

  /** Declines the moderator's pending request; the server is told with a `refusal` INFO. */
  declineModeratorRequest(): Promise<void> {
    return this.core.conference.declineRequest();
  }

  /** Asks the moderator for permission to turn the camera on. */
  requestCameraPermission(): Promise<void> {
    return this.core.conference.requestCamera();
  }

  /**
   * Shares a screen (or `options.stream`) into the running call (protocol §8): the permission INFO
   * (`LETMESTARTPRESENTATION`, or `YOUCANRECEIVECONTENT` in a direct p2p room or a presentation-only
   * call), a second video sender, one re-INVITE, a 1 Mbps cap. A refused start is tried
   * `options.attempts` (else `presentationAttempts`, default 1) times. Rejects with a VinteoError
   * (`aborted` when the user cancels the picker).
   */
  startPresentation(options?: PresentationOptions): Promise<void> {
    return this.core.presentation.start(options);
  }

  /** Shares another screen or stream: the permission INFO again, then `replaceTrack` on the same sender; no re-INVITE. */
  updatePresentation(options?: PresentationOptions): Promise<void> {
    return this.core.presentation.update(options);
  }

  /**
   * Stops sharing: `STOPPRESENTATION` (or `CONTENTEND`), then the track stops; no re-INVITE. Rejects
   * (`presentation-failed`, the presentation still active) only when the server refuses the INFO.
   */
  stopPresentation(): Promise<void> {
    return this.core.presentation.stop('user');
  }

  /** The presentation's RTP sender (read-only use: tests, stats); kept after a stop for the next start. */
  get presentationSender(): RTCRtpSender | undefined {
    return this.core.presentation.sender;
  }

  /** Restarts ICE in the running call (a re-INVITE with new ICE credentials). */
  restartIce(): Promise<void> {
    return this.core.call.restartIce();
  }

  /** Lists cameras, microphones and speakers into `snapshot.devices`, and keeps the list fresh on `devicechange`. */
  watchDevices(): Promise<void> {
    return this.core.devices.watch();
  }

  /** Stops following `devicechange` (an element that listed devices is removed); watchDevices() starts again. */
  unwatchDevices(): void {
    this.core.devices.unwatch();
  }

  /** Chooses the camera; in a running call the sent track is replaced without a new call. */
  selectCamera(deviceId: string): Promise<void> {
    return this.core.devices.selectCamera(deviceId);
  }

  /** Chooses the microphone; in a running call the sent track is replaced without a new call. */
  selectMicrophone(deviceId: string): Promise<void> {
    return this.core.devices.selectMicrophone(deviceId);
  }

  /** Chooses the speaker (`setSinkId`); elements apply it to their audio and video. */
  selectSpeaker(deviceId: string): void {
    this.core.devices.selectSpeaker(deviceId);
  }

  /**
   * Sends DTMF tones (`0-9 A-D # *`, `,` pauses) in the running call. Synchronous, so it throws (never
   * rejects) a VinteoError: `invalid-state` outside a call, `invalid-config` for other tones or a
   * `duration` / `interToneGap` out of range. `<vinteo-dialpad>` turns these into its error state.
   */
  sendDTMF(tones: string, options?: { duration?: number; interToneGap?: number }): void {
    this.core.call.sendDTMF(tones, options);
  }

  /** Collects stats now (also updates `snapshot.stats`); `undefined` outside a call. Never rejects. */
  collectStats(): Promise<CallStats | undefined> {
    return this.core.stats.collect();
  }

  /** Sends an INFO in the running call (advanced; the protocol module formats headers). */
  sendInfo(contentType: string, extraHeaders: readonly string[], body?: string): Promise<void> {
    return this.core.call.sendInfo(contentType, extraHeaders, body);
  }

  /** Number of listeners and subscribers held; for leak checks. */
  get listenerCount(): number {
    return this.core.events.listenerCount() + this.core.store.subscriberCount;
  }

  /** Releases everything at once without waiting for the server. The client cannot be used afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.core.destroy();
    logger.debug('client destroyed');
  }

  private assertAlive(operation: string): void {
    if (this.destroyed) throw VinteoError.invalidState(operation, 'the client is destroyed');
  }
}
