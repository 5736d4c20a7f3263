import type { JoinOptions } from './call/types.js';
import { signallingUrl, validateConference, type ConnectionOptions } from './config.js';
import { openSpareSocket, type SpareSocket } from './connection/spare-socket.js';
import type { Coordinator } from './coordinator.js';
import { importCore, loadedCore, type CoreModule } from './core-module.js';
import { TypedEmitter } from './emitter.js';
import { VinteoError } from './errors.js';
import { logger } from './logger.js';
import type { PresentationOptions } from './presentation/types.js';
import { Settings } from './settings.js';
import { initialSnapshot } from './snapshot.js';
import { Store, type Listener } from './store.js';
import { timingSetting, whenIdle } from './timing.js';
import type { CallStats } from './stats/types.js';
import type { VinteoClientEvents, VinteoClientOptions, VinteoSnapshot } from './types.js';

const NOTHING_TO_CLOSE = (): void => undefined;

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
  private readonly store = new Store<VinteoSnapshot>(initialSnapshot());
  private readonly events = new TypedEmitter<VinteoClientEvents>();
  /**
   * The services (connection, call, conference…), built at once when they are at hand. The script-tag
   * loader holds none of them: they come with JsSIP from the chunk next to it, loaded on first need
   * (`prepare()`, or the first connect, join… — see `core-lazy.ts`); until then the snapshot is the
   * initial one and calls that need them wait for them.
   */
  private core: Coordinator | undefined;
  private coreLoading: Promise<Coordinator> | undefined;
  /** The signalling WebSocket opened by preconnect() while the services load; handed to them once built. */
  private spare: SpareSocket | undefined;
  private destroyed = false;

  constructor(options: VinteoClientOptions = {}) {
    this.settings = new Settings(options);
    const module = loadedCore();
    if (module) this.core = this.build(module);
  }

  /**
   * Changes options (connection, call settings and the client options of the constructor); they are
   * checked now and apply from the next use (connect, join, reconnect attempt…; the stats interval at
   * once). A mistake is thrown by the next connect(), join() or answer().
   */
  configure(options: VinteoClientOptions): void {
    const quality = this.settings.options.quality;
    this.settings.merge(options);
    if (options.statsIntervalMs !== undefined) this.core?.stats.settingsChanged();
    // Elements pass every setting on any change: only a new quality re-POSTs an open leg.
    if (options.quality !== undefined && options.quality !== quality) this.core?.qualityChanged();
  }

  getSnapshot(): VinteoSnapshot {
    return this.store.get();
  }

  /** Calls `listener` whenever the selected slice of the snapshot changes. Returns an unsubscribe function. */
  subscribe<T>(selector: (snapshot: VinteoSnapshot) => T, listener: Listener<T>): () => void {
    return this.store.subscribe(selector, listener);
  }

  on<K extends keyof VinteoClientEvents>(type: K, listener: (payload: VinteoClientEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  off<K extends keyof VinteoClientEvents>(type: K, listener: (payload: VinteoClientEvents[K]) => void): void {
    this.events.off(type, listener);
  }

  /** The bearer token the server handed over on entering the room, if any. Never logged. */
  get bearerToken(): string | undefined {
    return this.core?.conference.bearerToken;
  }

  /** The call's peer connection while a call runs (read-only use: stats, tests). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.core?.call.peerConnection;
  }

  /**
   * Loads what connecting needs (the SIP library, and with the script-tag loader the services, both
   * loaded lazily) ahead of time, so that a later connect() or join() starts at once: `'now'`, or
   * `'idle'` when the browser has nothing else to do. Never throws; a failure to load shows on connect.
   */
  prepare(when: 'now' | 'idle' = 'now'): void {
    if (this.destroyed) return;
    if (this.core) {
      this.core.prepare(when);
      return;
    }
    const load = (): void => {
      this.services().then(
        (core) => core.prepare('now'),
        () => undefined,
      );
    };
    if (when === 'idle') whenIdle(load, 2000);
    else load();
  }

  /**
   * Loads the services if they are not here yet (only the script-tag loader fetches them, from its
   * chunk): `undefined` when they are (so callers add no await), else a promise that resolves once they
   * are, or rejects with a `connection-failed` VinteoError when they cannot be loaded. The elements wait
   * for it before a join, showing it as connecting, so that the join's call is theirs from its first state.
   */
  loadServices(): Promise<void> | undefined {
    if (this.core) return undefined;
    if (this.destroyed) return Promise.reject(VinteoError.invalidState('load the services', 'the client is destroyed'));
    return this.services().then(() => undefined);
  }

  /**
   * Opens the signalling WebSocket now, for the next connect() or join() to use, when the services are still
   * to be loaded (the script-tag loader fetches them from its chunk): its handshake then overlaps their
   * download and, with `server`, discovery. connect() and join() do it themselves; the elements call it as
   * Join starts, before they wait for the services. Does nothing when the services are here (the ESM package
   * and the one-file build open it while JsSIP loads instead), without a valid `ws-url` or `server`, or
   * with a `userAgentFactory`. Never throws. A socket that no connect takes (to another address, or none
   * within `connectTimeoutMs`) is closed, as it is by leave(), disconnect() and destroy(). Returns a function
   * that closes it unless a connect has taken it (a join cancelled before it connected).
   */
  preconnect(): () => void {
    if (this.destroyed || this.core || this.spare || this.settings.options.userAgentFactory) return NOTHING_TO_CLOSE;
    let wsUrl: string;
    try {
      this.settings.check();
      wsUrl = signallingUrl(this.settings.options).toString();
    } catch {
      return NOTHING_TO_CLOSE; // The connect reports the mistake.
    }
    const spare = openSpareSocket(wsUrl, timingSetting('connectTimeoutMs', this.settings.options.connectTimeoutMs));
    this.spare = spare;
    // Once taken, close() leaves the socket to the user agent.
    return spare ? () => spare.close() : NOTHING_TO_CLOSE;
  }

  /** Connects (and registers when `register` is set). Rejects with a VinteoError. */
  async connect(options?: ConnectionOptions): Promise<void> {
    this.assertAlive('connect');
    if (options) this.configure(options);
    this.preconnect();
    await this.use((core) => core.connect());
  }

  /** Hangs up any call and closes the connection. Never rejects. */
  async disconnect(): Promise<void> {
    this.dropSpare();
    const core = await this.loadedServices();
    if (!core) return;
    core.dropSpare();
    // Stop retrying and let go of the window's online/visibility listeners.
    core.reconnect.dispose();
    core.forgetCredentials();
    await core.call.leave();
    await core.connection.disconnect();
  }

  /** Connects if needed, opens camera and microphone, and calls the conference. Resolves when in the call. */
  async join(conference: string, options?: JoinOptions): Promise<void> {
    this.assertAlive('join');
    const target = validateConference(conference);
    this.settings.checkForJoin();
    this.preconnect();
    await this.use((core) => core.join(target, { ...core.devices.constraints(), ...options }));
  }

  /** Hangs up (or cancels a call being set up, aborting credentials still being fetched for it). Never rejects. */
  async leave(): Promise<void> {
    this.dropSpare();
    const core = await this.loadedServices();
    if (!core) return;
    // Left before the join could connect: the socket opened for it goes too (a connect has taken it otherwise).
    core.dropSpare();
    core.abortCallConnect();
    await core.call.leave();
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.withServices((core) => core.call.setMicrophoneEnabled(enabled));
  }

  /**
   * Turns the camera on or off. While a moderator has stopped the camera, turning it on
   * asks the moderator for permission instead (`LETMESTARTMAINCAM`).
   */
  setCameraEnabled(enabled: boolean): void {
    this.withServices((core) => {
      if (enabled && this.getSnapshot().room.cameraBlocked && core.call.state === 'in-call') {
        core.conference.requestCamera().catch((error: unknown) => core.reportError(VinteoError.from(error, 'protocol-error')));
        return;
      }
      core.call.setCameraEnabled(enabled);
    });
  }

  /** Answers the ringing incoming call; without camera and microphone it answers receive-only. */
  async answer(options?: JoinOptions): Promise<void> {
    this.settings.check();
    return this.use((core) => core.call.answer({ ...core.devices.constraints(), ...options }));
  }

  /** Declines the ringing incoming call. Never throws. */
  decline(): void {
    // A call rings only over a connection, so the services are loaded.
    this.core?.call.decline();
  }

  /** Accepts the moderator's pending request (turn a device on or off). */
  acceptModeratorRequest(): void {
    // Requests come in a call, so the services are loaded.
    this.core?.conference.acceptRequest();
  }

  /** Declines the moderator's pending request; the server is told with a `refusal` INFO. */
  declineModeratorRequest(): Promise<void> {
    return this.use((core) => core.conference.declineRequest());
  }

  /** Asks the moderator for permission to turn the camera on. */
  requestCameraPermission(): Promise<void> {
    return this.use((core) => core.conference.requestCamera());
  }

  /**
   * Shares a screen (or `options.stream`) into the running call (protocol §8): the permission INFO
   * (`LETMESTARTPRESENTATION`, or `YOUCANRECEIVECONTENT` in a direct p2p room or a presentation-only
   * call), a second video sender, one re-INVITE, a 1 Mbps cap. A refused start is tried
   * `options.attempts` (else `presentationAttempts`, default 1) times. Rejects with a VinteoError
   * (`aborted` when the user cancels the picker).
   */
  startPresentation(options?: PresentationOptions): Promise<void> {
    return this.use((core) => core.presentation.start(options));
  }

  /** Shares another screen or stream: the permission INFO again, then `replaceTrack` on the same sender; no re-INVITE. */
  updatePresentation(options?: PresentationOptions): Promise<void> {
    return this.use((core) => core.presentation.update(options));
  }

  /**
   * Stops sharing: `STOPPRESENTATION` (or `CONTENTEND`), then the track stops; no re-INVITE. Rejects
   * (`presentation-failed`, the presentation still active) only when the server refuses the INFO.
   */
  stopPresentation(): Promise<void> {
    return this.use((core) => core.presentation.stop('user'));
  }

  /** The presentation's RTP sender (read-only use: tests, stats); kept after a stop for the next start. */
  get presentationSender(): RTCRtpSender | undefined {
    return this.core?.presentation.sender;
  }

  /** Restarts ICE in the running call (a re-INVITE with new ICE credentials). */
  restartIce(): Promise<void> {
    return this.use((core) => core.call.restartIce());
  }

  /** Lists cameras, microphones and speakers into `snapshot.devices`, and keeps the list fresh on `devicechange`. */
  watchDevices(): Promise<void> {
    return this.use((core) => core.devices.watch());
  }

  /** Stops following `devicechange` (an element that listed devices is removed); watchDevices() starts again. */
  unwatchDevices(): void {
    if (this.core) this.core.devices.unwatch();
    else void this.coreLoading?.then((core) => core.devices.unwatch(), () => undefined);
  }

  /** Chooses the camera; in a running call the sent track is replaced without a new call. */
  selectCamera(deviceId: string): Promise<void> {
    return this.use((core) => core.devices.selectCamera(deviceId));
  }

  /** Chooses the microphone; in a running call the sent track is replaced without a new call. */
  selectMicrophone(deviceId: string): Promise<void> {
    return this.use((core) => core.devices.selectMicrophone(deviceId));
  }

  /** Chooses the speaker (`setSinkId`); elements apply it to their audio and video. */
  selectSpeaker(deviceId: string): void {
    this.withServices((core) => core.devices.selectSpeaker(deviceId));
  }

  /**
   * Sends DTMF tones (`0-9 A-D # *`, `,` pauses) in the running call. Synchronous, so it throws (never
   * rejects) a VinteoError: `invalid-state` outside a call, `invalid-config` for other tones or a
   * `duration` / `interToneGap` out of range. `<vinteo-dialpad>` turns these into its error state.
   */
  sendDTMF(tones: string, options?: { duration?: number; interToneGap?: number }): void {
    if (!this.core) throw VinteoError.invalidState('send DTMF', 'the call is idle');
    this.core.call.sendDTMF(tones, options);
  }

  /** Collects stats now (also updates `snapshot.stats`); `undefined` outside a call. Never rejects. */
  collectStats(): Promise<CallStats | undefined> {
    return this.core ? this.core.stats.collect() : Promise.resolve(undefined);
  }

  /** Sends an INFO in the running call (advanced; the protocol module formats headers). */
  sendInfo(contentType: string, extraHeaders: readonly string[], body?: string): Promise<void> {
    return this.use((core) => core.call.sendInfo(contentType, extraHeaders, body));
  }

  /** Number of listeners and subscribers held; for leak checks. */
  get listenerCount(): number {
    return this.events.listenerCount() + this.store.subscriberCount;
  }

  /** Releases everything at once without waiting for the server. The client cannot be used afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.dropSpare();
    if (this.core) this.core.destroy();
    else this.events.removeAllListeners();
    logger.debug('client destroyed');
  }

  private build(module: CoreModule): Coordinator {
    const core = new module.Coordinator(this.settings, this.store, this.events);
    const spare = this.spare;
    this.spare = undefined;
    if (spare) core.adoptSpare(spare);
    return core;
  }

  /** Closes the socket preconnect() opened, while the client still holds it. */
  private dropSpare(): void {
    this.spare?.close();
    this.spare = undefined;
  }

  /** The services, loaded first when needed; rejects with `connection-failed` when they cannot be loaded. */
  private services(): Promise<Coordinator> {
    if (this.core) return Promise.resolve(this.core);
    this.coreLoading ??= importCore().then(
      (module) => {
        this.coreLoading = undefined;
        const core = (this.core ??= this.build(module));
        // Destroyed while they loaded: built only to be released (an operation waiting for them sees a destroyed client).
        if (this.destroyed) core.destroy();
        return core;
      },
      (error: unknown) => {
        this.coreLoading = undefined;
        // No services, no connect to take the socket opened for one.
        this.dropSpare();
        // The script-tag loader fetches them (with JsSIP) from a file of its own, which the cause names.
        throw VinteoError.sipLibraryUnavailable(error);
      },
    );
    return this.coreLoading;
  }

  /**
   * Runs `run` with the services: within this call when they are here (a join publishes its call at
   * once), else once they have loaded; rejects with `connection-failed` when they cannot be loaded.
   */
  private async use<T>(run: (core: Coordinator) => Promise<T>): Promise<T> {
    if (this.core) return run(this.core);
    const core = await this.services();
    // Destroyed while they loaded: nothing starts (no socket, no camera) on the released services.
    this.assertAlive('use the client');
    return run(core);
  }

  /** The services if they are loaded or being loaded (after operations already waiting for them); else none to use. */
  private async loadedServices(): Promise<Coordinator | undefined> {
    if (this.core || !this.coreLoading) return this.core;
    return this.coreLoading.catch(() => undefined);
  }

  /**
   * Runs `apply` with the services: now when they are loaded, else once loaded (loading them). Deferred,
   * it cannot throw to its caller: a failure (to load them, or of `apply`) is reported as the client's
   * `error` event, which the elements show and re-dispatch as `vinteo-error`, as the services' own are.
   */
  private withServices(apply: (core: Coordinator) => void): void {
    if (this.core) {
      apply(this.core);
      return;
    }
    if (this.destroyed) return;
    this.services()
      .then(apply)
      .catch((error: unknown) => {
        const failure = VinteoError.from(error);
        logger.warn(`a deferred client call failed: ${failure.message}`);
        if (!this.destroyed) this.events.emit('error', { error: failure });
      });
  }

  private assertAlive(operation: string): void {
    if (this.destroyed) throw VinteoError.invalidState(operation, 'the client is destroyed');
  }
}
