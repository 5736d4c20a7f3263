import { CallService, initialCallSnapshot, type CallDeps, type CallEvents, type CallSnapshot, type JoinOptions } from './call/CallService.js';
import { browserMediaProvider, type MediaProvider } from './call/media.js';
import { ConferenceService, initialRoomSnapshot, type ConferenceDeps, type ConferenceEvents, type RoomSnapshot } from './conference/ConferenceService.js';
import { checkConnectionOptions, resolveConnectionConfig, validateConference, type ConnectionOptions } from './config.js';
import { checkCredentials, resolveCredentials, type CredentialsSource, type VinteoCredentials } from './credentials.js';
import {
  ConnectionService,
  initialConnectionSnapshot,
  type ConnectionDeps,
  type ConnectionEvents,
  type ConnectionSnapshot,
} from './connection/ConnectionService.js';
import { createJsSipUserAgent, loadJsSip, preloadJsSip } from './connection/jssip.js';
import { parseFastIce, type FastIce } from './call/ice.js';
import {
  browserDeviceProvider,
  DevicesService,
  initialDevicesSnapshot,
  type DeviceProvider,
  type DevicesDeps,
  type DevicesEvents,
  type DevicesSnapshot,
} from './devices/DevicesService.js';
import type { UserAgentFactory } from './connection/transport.js';
import { TypedEmitter } from './emitter.js';
import { ExponentialBackoff, type ReconnectPolicy } from './reconnect/policy.js';
import {
  browserNetworkSignals,
  ReconnectService,
  type NetworkSignals,
  type ReconnectDeps,
  type ReconnectEvents,
  type ReconnectInfo,
} from './reconnect/ReconnectService.js';
import {
  browserDisplayMediaProvider,
  initialPresentationSnapshot,
  PresentationService,
  type DisplayMediaProvider,
  type PresentationDeps,
  type PresentationEvents,
  type PresentationOptions,
  type PresentationSnapshot,
} from './presentation/PresentationService.js';
import { VinteoError } from './errors.js';
import { logger } from './logger.js';
import { AsyncQueue } from './queue.js';
import { Store, type Listener } from './store.js';
import { BalancerService, initialBalancerSnapshot, type BalancerDeps, type BalancerEvents, type BalancerSnapshot } from './balancer/BalancerService.js';
import { StatsService, type StatsDeps, type StatsEvents } from './stats/StatsService.js';
import { resolveCallSettings, type CallSettings } from './stats/settings.js';
import { initialStatsSnapshot, type CallStats, type StatsSnapshot } from './stats/types.js';
import { checkTimingOptions, timingSetting } from './timing.js';

/** Everything the UI needs, immutable; a new object on every change. */
export interface VinteoSnapshot {
  readonly connection: ConnectionSnapshot;
  /** Set while a lost connection is being recovered. */
  readonly reconnect: ReconnectInfo | undefined;
  readonly call: CallSnapshot;
  readonly room: RoomSnapshot;
  readonly devices: DevicesSnapshot;
  readonly presentation: PresentationSnapshot;
  /** getStats while a call runs: the latest parsed stats, 60 s of chart history, a quality rating. */
  readonly stats: StatsSnapshot;
  /** The video sending balancer: state, the server's last command, the parameters set on the camera. */
  readonly balancer: BalancerSnapshot;
}

export interface ClientEvents {
  /** A failure that no method call returned (e.g. a registration refresh failed). */
  error: { error: VinteoError };
}

/** Every typed event the client emits, by name. */
export type VinteoClientEvents = ConnectionEvents &
  ReconnectEvents &
  CallEvents &
  ConferenceEvents &
  DevicesEvents &
  PresentationEvents &
  StatsEvents &
  BalancerEvents &
  ClientEvents;

export interface VinteoClientOptions extends ConnectionOptions, CallSettings {
  /**
   * A registered user's credentials, or a function that fetches them (e.g. `credentialsFromUrl(url)`),
   * resolved on each connect; implies `register`. Keeps passwords out of HTML.
   */
  credentials?: CredentialsSource | undefined;
  /** Replaces JsSIP; for tests. */
  userAgentFactory?: UserAgentFactory;
  /** Replaces navigator.mediaDevices.getUserMedia; for tests. */
  mediaProvider?: MediaProvider;
  /** Replaces device listing and `devicechange`; for tests. */
  deviceProvider?: DeviceProvider;
  /** Replaces `getDisplayMedia` (screens); for tests or a custom source. */
  displayMediaProvider?: DisplayMediaProvider;
  /** How many times a declined presentation start is tried (default 3), and the pause between tries (default 500 ms; 0 – 60 s). */
  presentationAttempts?: number;
  presentationRetryDelayMs?: number;
  /** ICE servers for the peer connection (default: none; Vinteo servers have public addresses). */
  iceServers?: RTCIceServer[];
  /**
   * How long connect() waits for the server, and a `credentials` function or `credentials-url` for its
   * answer (default 15000 ms; 100 ms – 5 min).
   */
  connectTimeoutMs?: number;
  /**
   * When the INVITE goes out. JsSIP waits for ICE gathering to complete (about half of call set-up
   * on a fast network); a Vinteo server has a public address and needs only one usable candidate.
   * `'auto'` (default): outgoing calls go out at the first usable candidate (any without ICE
   * servers, server-reflexive with STUN, relay with TURN), answers to incoming calls (perhaps from
   * another browser behind NAT) wait for gathering; `true`: both early; `false`: both wait.
   * Also the `fast-ice` attribute (`auto`, `on`, `off`).
   */
  fastIce?: FastIce | 'on' | 'off';
  /** Recover lost connections and calls (default true). */
  autoReconnect?: boolean;
  /** When to retry; default: exponential backoff from 1 s to 30 s with ±30% jitter, never giving up. */
  reconnectPolicy?: ReconnectPolicy;
  /** How long a call waits for its connection to come back before it ends (default 60000 ms; 0 – 1 h). */
  redialTimeoutMs?: number;
  /**
   * OPTIONS ping period to find half-open sockets (default 30000 ms; 0 turns it off, else 1 s – 1 h) and
   * its answer timeout (default 5000 ms; 100 ms – 60 s).
   */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Replaces `online` / visibility events; for tests. */
  networkSignals?: NetworkSignals;
}

const USER_AGENT = 'vinteo-widgets/0.1';

/**
 * Checks every option that is set, without requiring anything (a missing server or conference is
 * reported on connect or join): connection options after percent-decoding, time-valued options
 * against their ranges (`TIMING_LIMITS`), `fastIce`, and credentials given as an object. The elements
 * call it before Join so that a mistake shows at once; connect(), join() and answer() call it before
 * anything is sent.
 * @throws VinteoError `invalid-config` naming the attribute or option.
 */
export function validateClientOptions(options: VinteoClientOptions): void {
  checkConnectionOptions(options);
  checkTimingOptions(options);
  parseFastIce(options.fastIce, 'fast-ice');
  if (options.credentials && typeof options.credentials === 'object') checkCredentials(options.credentials);
}
const defaultPolicy = new ExponentialBackoff();

/**
 * The public API: one client per connection. Usable without any element.
 *
 * ```ts
 * const client = new VinteoClient({ server: 'vinteo.example.com' });
 * await client.join('1000');
 * ```
 */
export class VinteoClient {
  private readonly store = new Store<VinteoSnapshot>({
    connection: initialConnectionSnapshot,
    reconnect: undefined,
    call: initialCallSnapshot,
    room: initialRoomSnapshot,
    devices: initialDevicesSnapshot,
    presentation: initialPresentationSnapshot,
    stats: initialStatsSnapshot,
    balancer: initialBalancerSnapshot,
  });
  private readonly events = new TypedEmitter<VinteoClientEvents>();
  private readonly queue = new AsyncQueue();
  private readonly connection: ConnectionService;
  private readonly call: CallService;
  private readonly conference: ConferenceService;
  private readonly devices: DevicesService;
  private readonly reconnect: ReconnectService;
  private readonly presentation: PresentationService;
  private readonly stats: StatsService;
  private readonly balancer: BalancerService;
  private options: VinteoClientOptions;
  private destroyed = false;
  /** The credentials the live connection was made with, so that a join on it fetches none again. */
  private connectedWith: { readonly source: CredentialsSource; readonly credentials: VinteoCredentials } | undefined;
  /** Credentials being fetched: aborted by disconnect() and destroy(). */
  private readonly credentialRequests = new Set<AbortController>();
  /** The credentials fetch of the connect a join started: leaving aborts it. */
  private callConnect: AbortController | undefined;

  constructor(options: VinteoClientOptions = {}) {
    this.options = { ...options };
    // Each service emits its own slice of the client's event map.
    const emit = <K extends keyof VinteoClientEvents>(type: K, payload: VinteoClientEvents[K]): void => {
      this.events.emit(type, payload);
    };
    this.connection = new ConnectionService({
      // Options are read when used, so configure() can change them until then.
      factory: (params) => (this.options.userAgentFactory ?? createJsSipUserAgent)(params),
      prepare: () => (this.options.userAgentFactory ? undefined : loadJsSip()),
      queue: this.queue,
      update: (connection) => this.store.update((s) => ({ ...s, connection })),
      emit: emit as ConnectionDeps['emit'],
      userAgentName: USER_AGENT,
      connectTimeoutMs: () => timingSetting('connectTimeoutMs', this.options.connectTimeoutMs),
      onIncomingCall: (session, request) => this.call.handleIncoming(session, request),
      autoReconnect: () => this.options.autoReconnect !== false,
      pingIntervalMs: () => timingSetting('pingIntervalMs', this.options.pingIntervalMs),
      pingTimeoutMs: () => timingSetting('pingTimeoutMs', this.options.pingTimeoutMs),
    });
    this.reconnect = new ReconnectService({
      policy: { nextDelay: (context) => (this.options.reconnectPolicy ?? defaultPolicy).nextDelay(context) },
      signals: {
        onOnline: (listener) => (this.options.networkSignals ?? browserNetworkSignals).onOnline(listener),
        onVisible: (listener) => (this.options.networkSignals ?? browserNetworkSignals).onVisible(listener),
      },
      connection: {
        state: () => this.connection.state,
        recover: () => this.connection.recover(),
        giveUp: (error) => this.connection.giveUp(error),
        checkNow: () => this.connection.checkNow(),
      },
      update: (reconnect) => this.store.update((s) => ({ ...s, reconnect })),
      emit: emit as ReconnectDeps['emit'],
      longSleepMs: 30_000,
    });
    this.call = new CallService({
      ensureConnected: () => this.connectForCall(),
      userAgent: () => this.connection.userAgent,
      sipDomain: () => this.connection.currentConfig?.sipDomain ?? '',
      registered: () => this.connection.state === 'registered',
      media: { getUserMedia: (constraints) => (this.options.mediaProvider ?? browserMediaProvider).getUserMedia(constraints) },
      pcConfig: () => ({ iceServers: this.options.iceServers ?? [] }),
      queue: this.queue,
      // Validated by join() and answer(); read inside JsSIP's events, where it must not throw.
      fastIce: () => {
        try {
          return parseFastIce(this.options.fastIce);
        } catch {
          return 'auto';
        }
      },
      recovery: () => ({ enabled: this.options.autoReconnect !== false, timeoutMs: timingSetting('redialTimeoutMs', this.options.redialTimeoutMs) }),
      update: (call) => this.store.update((s) => ({ ...s, call })),
      emit: emit as CallDeps['emit'],
    });
    this.conference = new ConferenceService({
      call: {
        setMicrophoneEnabled: (enabled) => this.call.setMicrophoneEnabled(enabled),
        setCameraEnabled: (enabled) => this.call.setCameraEnabled(enabled),
        setSending: (enabled) => this.call.setSending(enabled),
        restartIce: (restart) => this.call.restartIce(restart),
        sendInfo: (info) => this.call.sendInfo(info.contentType, info.headers),
      },
      reportError: (error) => this.events.emit('error', { error }),
      update: (room) => this.store.update((s) => ({ ...s, room })),
      emit: emit as ConferenceDeps['emit'],
    });
    this.devices = new DevicesService({
      provider: {
        getUserMedia: (constraints) => (this.options.mediaProvider ?? this.options.deviceProvider ?? browserDeviceProvider).getUserMedia(constraints),
        enumerateDevices: () => (this.options.deviceProvider ?? browserDeviceProvider).enumerateDevices(),
        onDeviceChange: (listener) => (this.options.deviceProvider ?? browserDeviceProvider).onDeviceChange(listener),
      },
      localStream: () => this.call.localStream,
      replaceLocalTrack: (track) => this.call.replaceLocalTrack(track),
      queue: this.queue,
      update: (devices) => this.store.update((s) => ({ ...s, devices })),
      emit: emit as DevicesDeps['emit'],
    });
    this.presentation = new PresentationService({
      display: { getDisplayMedia: (constraints) => (this.options.displayMediaProvider ?? browserDisplayMediaProvider).getDisplayMedia(constraints) },
      session: () => this.call.session,
      peer: () => this.call.peerConnection,
      localStream: () => this.call.localStream,
      sendInfo: (info) => this.call.sendInfo(info.contentType, info.headers),
      renegotiate: (what, operation) => this.call.renegotiate(what, operation),
      update: (presentation) => this.store.update((s) => ({ ...s, presentation })),
      emit: emit as PresentationDeps['emit'],
      attempts: () => this.options.presentationAttempts ?? 3,
      retryDelayMs: () => timingSetting('presentationRetryDelayMs', this.options.presentationRetryDelayMs),
    });
    this.events.on('call:info', (message) => this.conference.handleInfo(message));
    this.events.on('conference:info', (info) => {
      if (info.type === 'share-desktop') this.presentation.handleInfo(info);
    });
    this.events.on('call:state', ({ state }) => {
      if (state === 'calling' || state === 'ringing') this.conference.reset();
      // Browsers reveal device ids and names only once media access is granted.
      if (state === 'in-call' && this.devices.watching) void this.devices.refresh();
      if (state === 'ended' || state === 'failed') this.presentation.callEnded();
    });
    const cameraTrack = (): MediaStreamTrack | undefined => this.call.localStream?.getVideoTracks()[0];
    const settings = () => resolveCallSettings(this.options);
    this.stats = new StatsService({
      peerConnection: () => this.call.peerConnection,
      cameraTrack,
      sendInfo: (info) => this.call.sendInfo(info.contentType, info.headers),
      settings,
      update: (stats) => this.store.update((s) => ({ ...s, stats })),
      emit: emit as StatsDeps['emit'],
    });
    this.balancer = new BalancerService({
      peerConnection: () => this.call.peerConnection,
      cameraTrack,
      settings,
      update: (balancer) => this.store.update((s) => ({ ...s, balancer })),
      emit: emit as BalancerDeps['emit'],
    });
    // Stats and the balancer run while the call is established.
    this.events.on('call:state', ({ state }) => {
      if (state === 'in-call') {
        this.stats.start();
        this.balancer.callStarted();
      } else {
        this.stats.stop();
        this.balancer.callEnded();
      }
    });
    this.events.on('conference:info', (info) => {
      if (info.type === 'main-cam') this.balancer.handleCommand(info);
    });
    this.store.subscribe(
      (s) => s.call.localStream,
      () => this.balancer.trackChanged(),
    );
    this.events.on('call:media-warning', ({ error }) => this.events.emit('error', { error }));
    let lostReason = 'the connection was lost';
    this.events.on('connection:lost', ({ reason }) => {
      lostReason = reason;
      this.call.connectionLost(reason);
    });
    this.events.on('connection:reconnected', () => void this.call.connectionRestored());
    this.events.on('call:recovering', () => this.presentation.suspend());
    this.events.on('call:recovered', ({ method }) => {
      if (method === 'redial') void this.presentation.resume();
    });
    this.events.on('connection:state', ({ state }) => {
      if (state === 'reconnecting') this.reconnect.start(lostReason);
      if (state === 'failed') this.call.connectionGaveUp();
    });
  }

  /**
   * Changes connection options (they apply on the next connect() or join()) and call settings (the
   * stats interval at once, the balancer settings from the next call).
   */
  /**
   * Changes options (connection, call settings and the client options of the constructor);
   * they apply from the next use (connect, join, reconnect attempt…).
   */
  configure(options: VinteoClientOptions): void {
    this.options = { ...this.options, ...options };
    if (options.statsIntervalMs !== undefined) this.stats.settingsChanged();
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
    return this.conference.bearerToken;
  }

  /** The call's peer connection while a call runs (read-only use: stats, tests). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.call.peerConnection;
  }

  /**
   * Loads what connecting needs (the SIP library, loaded lazily) ahead of time, so that a later
   * connect() or join() starts at once: `'now'`, or `'idle'` when the browser has nothing else to do.
   * Never throws; a failure to load shows on connect.
   */
  prepare(when: 'now' | 'idle' = 'now'): void {
    if (this.options.userAgentFactory) return;
    if (when === 'idle') preloadJsSip();
    else loadJsSip()?.catch(() => undefined);
  }

  /** Connects (and registers when `register` is set). Rejects with a VinteoError. */
  async connect(options?: ConnectionOptions): Promise<void> {
    return this.connectWith(options);
  }

  /** connect() for a join: leaving while the credentials are fetched aborts the fetch. */
  private async connectForCall(): Promise<void> {
    const abort = new AbortController();
    this.callConnect = abort;
    try {
      await this.connectWith(undefined, abort.signal);
    } finally {
      if (this.callConnect === abort) this.callConnect = undefined;
    }
  }

  private async connectWith(options: ConnectionOptions | undefined, signal?: AbortSignal): Promise<void> {
    this.assertAlive('connect');
    if (options) this.configure(options);
    validateClientOptions(this.options);
    const source = this.options.credentials;
    const config = resolveConnectionConfig(source ? await this.withCredentials(source, signal) : this.options);
    this.reconnect.watch();
    await this.connection.connect(config);
  }

  /**
   * The options with the credentials filled in: fetched (given up after `connectTimeoutMs`, aborted by
   * `signal`, disconnect() and destroy()), or those of the live connection from the same source.
   */
  private async withCredentials(source: CredentialsSource, signal?: AbortSignal): Promise<VinteoClientOptions> {
    const reuse = this.connectedWith?.source === source && this.connection.ready;
    const credentials = reuse ? this.connectedWith!.credentials : await this.fetchCredentials(source, signal);
    this.connectedWith = { source, credentials };
    const displayName = this.options.displayName?.trim() ? this.options.displayName : credentials.displayName;
    return { ...this.options, user: credentials.user, password: credentials.password, displayName, register: true };
  }

  private async fetchCredentials(source: CredentialsSource, signal?: AbortSignal): Promise<VinteoCredentials> {
    const request = new AbortController();
    const onAbort = (): void => request.abort();
    if (signal?.aborted) request.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.credentialRequests.add(request);
    try {
      return await resolveCredentials(source, {
        timeoutMs: timingSetting('connectTimeoutMs', this.options.connectTimeoutMs),
        signal: request.signal,
      });
    } finally {
      this.credentialRequests.delete(request);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private abortCredentialRequests(): void {
    for (const request of [...this.credentialRequests]) request.abort();
  }

  /** Hangs up any call and closes the connection. Never rejects. */
  async disconnect(): Promise<void> {
    // Stop retrying and let go of the window's online/visibility listeners.
    this.reconnect.dispose();
    this.connectedWith = undefined;
    this.abortCredentialRequests();
    await this.call.leave();
    await this.connection.disconnect();
  }

  /** Connects if needed, opens camera and microphone, and calls the conference. Resolves when in the call. */
  async join(conference: string, options?: JoinOptions): Promise<void> {
    this.assertAlive('join');
    const target = validateConference(conference);
    validateClientOptions(this.options);
    // With a credentials source, user and password are only known once it is resolved (on connect).
    resolveConnectionConfig(this.options.credentials ? { ...this.options, register: false } : this.options);
    await this.call.join(target, { ...this.devices.constraints(), ...options });
  }

  /** Hangs up (or cancels a call being set up, aborting credentials still being fetched for it). Never rejects. */
  async leave(): Promise<void> {
    this.callConnect?.abort();
    await this.call.leave();
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.call.setMicrophoneEnabled(enabled);
  }

  /**
   * Turns the camera on or off. While a moderator has stopped the camera, turning it on
   * asks the moderator for permission instead (`LETMESTARTMAINCAM`).
   */
  setCameraEnabled(enabled: boolean): void {
    if (enabled && this.getSnapshot().room.cameraBlocked && this.call.state === 'in-call') {
      this.conference.requestCamera().catch((error: unknown) => this.events.emit('error', { error: VinteoError.from(error, 'protocol-error') }));
      return;
    }
    this.call.setCameraEnabled(enabled);
  }

  /** Answers the ringing incoming call; without camera and microphone it answers receive-only. */
  async answer(options?: JoinOptions): Promise<void> {
    validateClientOptions(this.options);
    return this.call.answer({ ...this.devices.constraints(), ...options });
  }

  /** Declines the ringing incoming call. Never throws. */
  decline(): void {
    this.call.decline();
  }

  /** Accepts the moderator's pending request (turn a device on or off). */
  acceptModeratorRequest(): void {
    this.conference.acceptRequest();
  }

  /** Declines the moderator's pending request; the server is told with a `refusal` INFO. */
  declineModeratorRequest(): Promise<void> {
    return this.conference.declineRequest();
  }

  /** Asks the moderator for permission to turn the camera on. */
  requestCameraPermission(): Promise<void> {
    return this.conference.requestCamera();
  }

  /**
   * Shares a screen (or `options.stream`) into the running call: permission INFO, a second video
   * sender, re-INVITE. A declined start is retried a bounded number of times. Rejects with a VinteoError
   * (`aborted` when the user cancels the picker).
   */
  startPresentation(options?: PresentationOptions): Promise<void> {
    return this.presentation.start(options);
  }

  /** Shares another screen or stream without renegotiating. */
  updatePresentation(options?: PresentationOptions): Promise<void> {
    return this.presentation.update(options);
  }

  /** Stops sharing (`STOPPRESENTATION`, renegotiation). Never rejects. */
  stopPresentation(): Promise<void> {
    return this.presentation.stop('user');
  }

  /** The presentation's RTP sender while sharing (read-only use: tests, stats). */
  get presentationSender(): RTCRtpSender | undefined {
    return this.presentation.sender;
  }

  /** Restarts ICE in the running call (a re-INVITE with new ICE credentials). */
  restartIce(): Promise<void> {
    return this.call.restartIce();
  }

  /** Lists cameras, microphones and speakers into `snapshot.devices`, and keeps the list fresh on `devicechange`. */
  watchDevices(): Promise<void> {
    return this.devices.watch();
  }

  /** Chooses the camera; in a running call the sent track is replaced without a new call. */
  selectCamera(deviceId: string): Promise<void> {
    return this.devices.selectCamera(deviceId);
  }

  /** Chooses the microphone; in a running call the sent track is replaced without a new call. */
  selectMicrophone(deviceId: string): Promise<void> {
    return this.devices.selectMicrophone(deviceId);
  }

  /** Chooses the speaker (`setSinkId`); elements apply it to their audio and video. */
  selectSpeaker(deviceId: string): void {
    this.devices.selectSpeaker(deviceId);
  }

  /** Sends DTMF tones (`0-9 A-D # *`, `,` pauses) in the running call. Throws a VinteoError when not in a call. */
  sendDTMF(tones: string, options?: { duration?: number; interToneGap?: number }): void {
    this.call.sendDTMF(tones, options);
  }

  /** Collects stats now (also updates `snapshot.stats`); `undefined` outside a call. Never rejects. */
  collectStats(): Promise<CallStats | undefined> {
    return this.stats.collect();
  }

  /** Sends an INFO in the running call (advanced; the protocol module formats headers). */
  sendInfo(contentType: string, extraHeaders: readonly string[], body?: string): Promise<void> {
    return this.call.sendInfo(contentType, extraHeaders, body);
  }

  /** Number of listeners and subscribers held; for leak checks. */
  get listenerCount(): number {
    return this.events.listenerCount() + this.store.subscriberCount;
  }

  /** Releases everything at once without waiting for the server. The client cannot be used afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.abortCredentialRequests();
    this.stats.dispose();
    this.balancer.dispose();
    this.reconnect.dispose();
    this.call.dispose();
    this.devices.dispose();
    this.connection.dispose();
    this.events.removeAllListeners();
    logger.debug('client destroyed');
  }

  private assertAlive(operation: string): void {
    if (this.destroyed) throw VinteoError.invalidState(operation, 'the client is destroyed');
  }
}
