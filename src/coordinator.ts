import { BalancerService } from './balancer/BalancerService.js';
import { CallService } from './call/CallService.js';
import { browserMediaProvider } from './call/media-provider.js';
import type { JoinOptions } from './call/types.js';
import { ConferenceService } from './conference/ConferenceService.js';
import { resolveConnectionConfig, type ConnectionOptions, type ResolvedConnectionConfig } from './config.js';
import { ConnectionService } from './connection/ConnectionService.js';
import { discover, withDiscovery, type Discovery } from './connection/discovery.js';
import { userAgentString } from './connection/identity.js';
import { createJsSipUserAgent, loadJsSip, preloadJsSip } from './connection/jssip.js';
import { openSipSocket, type SpareSocket } from './connection/spare-socket.js';
import type { CredentialsSource, VinteoCredentials } from './credentials.js';
import { resolveCredentials } from './credentials-resolve.js';
import { browserDeviceProvider, DevicesService } from './devices/DevicesService.js';
import type { TypedEmitter } from './emitter.js';
import { VinteoError } from './errors.js';
import { logger } from './logger.js';
import { browserDisplayMediaProvider, PresentationService } from './presentation/PresentationService.js';
import { parseNotification } from './protocol/info.js';
import { redactInfo } from './protocol/redact-info.js';
import { routeInfo, type ReceivedInfoMessage } from './protocol/route.js';
import { AsyncQueue } from './queue.js';
import { ExponentialBackoff } from './reconnect/policy.js';
import { browserNetworkSignals, ReconnectService } from './reconnect/ReconnectService.js';
import type { Settings } from './settings.js';
import { createSpectatorService } from './spectator/create.js';
import type { SpectatorService } from './spectator/SpectatorService.js';
import { StatsService } from './stats/StatsService.js';
import type { Store } from './store.js';
import { timingSetting } from './timing.js';
import type { VinteoClientEvents, VinteoClientOptions, VinteoSnapshot } from './types.js';

const defaultPolicy = new ExponentialBackoff();

/** One cross-service rule: when `on` is emitted, `then` runs. */
type Rule = {
  [K in keyof VinteoClientEvents]: { readonly on: K; readonly rule: string; readonly then: (payload: VinteoClientEvents[K]) => void };
}[keyof VinteoClientEvents];

/**
 * Builds the services of one connection, wires them to the snapshot and the event stream, and holds
 * every rule between services in one table ({@link Coordinator.rules}). Also connects (with fetched
 * credentials) for connect() and join(). The public API over it is `VinteoClient`.
 */
export class Coordinator {
  readonly queue = new AsyncQueue();
  readonly connection: ConnectionService;
  readonly reconnect: ReconnectService;
  readonly call: CallService;
  readonly conference: ConferenceService;
  readonly devices: DevicesService;
  readonly presentation: PresentationService;
  readonly stats: StatsService;
  readonly balancer: BalancerService;
  readonly spectator: SpectatorService;
  /** The credentials the live connection was made with, so that a join on it fetches none again. */
  private connectedWith: { readonly source: CredentialsSource; readonly credentials: VinteoCredentials } | undefined;
  /** Credentials and discovery being fetched: aborted by disconnect() and destroy(). */
  private readonly requests = new Set<AbortController>();
  /** What discovery found for a server, reused while the connection made with it is up. */
  private discovery: { readonly server: string; readonly result: Discovery } | undefined;
  /** The credentials fetch of the connect a join started: leaving aborts it. */
  private callConnect: AbortController | undefined;
  /** Why the connection was last lost, for the reconnect service. */
  private lostReason = 'the connection was lost';
  private destroyed = false;
  /** The WebSocket the client opened while the services loaded, for the first connect (see adoptSpare). */
  private spare: SpareSocket | undefined;
  /** Ends the coordinator's own subscription to the client's snapshot. */
  private readonly unsubscribe: () => void;

  constructor(
    private readonly settings: Settings,
    /** The client's snapshot, which the services update. */
    readonly store: Store<VinteoSnapshot>,
    /** The client's event stream. */
    readonly events: TypedEmitter<VinteoClientEvents>,
  ) {
    // Options are read when used, so that configure() can change them until then.
    const options = (): Readonly<VinteoClientOptions> => settings.options;
    this.connection = new ConnectionService({
      factory: (params) => (options().userAgentFactory ?? createJsSipUserAgent)(params),
      prepare: () => (options().userAgentFactory ? undefined : loadJsSip()),
      preconnect: (wsUrl, loading) => {
        const spare = this.spare;
        this.spare = undefined;
        if (options().userAgentFactory) {
          spare?.close();
          return undefined;
        }
        return spare?.take(wsUrl) ?? (loading ? openSipSocket(wsUrl) : undefined);
      },
      queue: this.queue,
      update: (connection) => store.update((s) => ({ ...s, connection })),
      emit: events.slice(),
      userAgentName: (unified) =>
        userAgentString({
          unified,
          appName: options().appName,
          appVersion: options().appVersion,
          browserUserAgent: typeof navigator === 'undefined' ? undefined : navigator.userAgent,
        }),
      connectTimeoutMs: () => timingSetting('connectTimeoutMs', options().connectTimeoutMs),
      onIncomingCall: (session, request) => this.call.handleIncoming(session, request),
      onNotify: (notify) => this.notifyOutsideDialog(notify),
      autoReconnect: () => options().autoReconnect !== false,
      pingIntervalMs: () => timingSetting('pingIntervalMs', options().pingIntervalMs),
      pingTimeoutMs: () => timingSetting('pingTimeoutMs', options().pingTimeoutMs),
    });
    this.reconnect = new ReconnectService({
      policy: { nextDelay: (context) => (options().reconnectPolicy ?? defaultPolicy).nextDelay(context) },
      signals: {
        onOnline: (listener) => (options().networkSignals ?? browserNetworkSignals).onOnline(listener),
        onVisible: (listener) => (options().networkSignals ?? browserNetworkSignals).onVisible(listener),
      },
      connection: {
        state: () => this.connection.state,
        recover: () => this.connection.recover(),
        giveUp: (error) => this.connection.giveUp(error),
        checkNow: () => this.connection.checkNow(),
      },
      update: (reconnect) => store.update((s) => ({ ...s, reconnect })),
      emit: events.slice(),
      longSleepMs: 30_000,
    });
    this.call = new CallService({
      userAgent: () => this.connection.userAgent,
      sipDomain: () => this.connection.currentConfig?.sipDomain ?? '',
      registered: () => this.connection.state === 'registered',
      media: { getUserMedia: (constraints) => (options().mediaProvider ?? browserMediaProvider).getUserMedia(constraints) },
      pcConfig: () => ({ iceServers: options().iceServers ?? [...(this.connection.currentConfig?.iceServers ?? [])] }),
      remoteAddress: () => this.connection.currentConfig?.remoteAddress,
      queue: this.queue,
      fastIce: () => settings.fastIce,
      recovery: () => ({
        enabled: options().autoReconnect !== false,
        timeoutMs: timingSetting('redialTimeoutMs', options().redialTimeoutMs),
        blocked: this.spectator.active ? 'a spectator with an audio id is not redialled (protocol §6)' : undefined,
      }),
      localUser: () => this.connection.currentConfig?.user ?? '',
      receivedInfo: (message) => this.routeInfo(message),
      update: (call) => store.update((s) => ({ ...s, call })),
      emit: events.slice(),
    });
    const sendInfo = (info: { contentType: string; headers: readonly string[] }): Promise<void> => this.call.sendInfo(info.contentType, info.headers);
    this.conference = new ConferenceService({
      call: {
        setMicrophoneEnabled: (enabled) => this.call.setMicrophoneEnabled(enabled),
        setCameraEnabled: (enabled) => this.call.setCameraEnabled(enabled),
        sendInfo,
      },
      applyRole: (role, audioId) => this.spectator.roleChanged(role, audioId),
      reportError: (error) => this.reportError(error),
      update: (room) => store.update((s) => ({ ...s, room })),
      emit: events.slice(),
    });
    this.devices = new DevicesService({
      provider: {
        getUserMedia: (constraints) => (options().mediaProvider ?? options().deviceProvider ?? browserDeviceProvider).getUserMedia(constraints),
        enumerateDevices: () => (options().deviceProvider ?? browserDeviceProvider).enumerateDevices(),
        onDeviceChange: (listener) => (options().deviceProvider ?? browserDeviceProvider).onDeviceChange(listener),
      },
      localStream: () => this.call.localStream,
      replaceLocalTrack: (track) => this.call.replaceLocalTrack(track),
      queue: this.queue,
      update: (devices) => store.update((s) => ({ ...s, devices })),
      emit: events.slice(),
    });
    this.presentation = new PresentationService({
      display: { getDisplayMedia: (constraints) => (options().displayMediaProvider ?? browserDisplayMediaProvider).getDisplayMedia(constraints) },
      session: () => this.call.session,
      peer: () => this.call.peerConnection,
      localStream: () => this.call.localStream,
      sendInfo,
      renegotiate: (what, operation) => this.call.renegotiate(what, operation),
      update: (presentation) => store.update((s) => ({ ...s, presentation })),
      emit: events.slice(),
      attempts: () => options().presentationAttempts ?? 1,
      retryDelayMs: () => timingSetting('presentationRetryDelayMs', options().presentationRetryDelayMs),
      // Protocol §8: the p2p variant of the sharedesktop states.
      directP2P: () => store.get().room.isDirectP2P || this.call.presentationOnly,
      maxAvailableResolution: () => options().maxAvailableResolution,
      reportError: (error) => this.reportError(error),
    });
    const cameraTrack = (): MediaStreamTrack | undefined => this.call.localStream?.getVideoTracks()[0];
    const callSettings = () => settings.callSettings;
    const { call, connection, conference, presentation } = this;
    this.spectator = createSpectatorService({ call, connection, conference, presentation, store, settings, events });
    this.stats = new StatsService({
      // Stats come from the receive leg while it is open (protocol §9).
      peerConnection: () => this.spectator.peerConnection ?? this.call.peerConnection,
      cameraTrack,
      sendInfo,
      settings: callSettings,
      update: (stats) => store.update((s) => ({ ...s, stats })),
      emit: events.slice(),
    });
    this.balancer = new BalancerService({
      peerConnection: () => this.call.peerConnection,
      cameraTrack,
      settings: callSettings,
      update: (balancer) => store.update((s) => ({ ...s, balancer })),
      emit: events.slice(),
    });
    for (const rule of this.rules()) events.on(rule.on, rule.then as (payload: unknown) => void);
    // A device switch changes the camera track the balancer watches.
    this.unsubscribe = store.subscribe(
      (s) => s.call.localStream,
      () => this.balancer.trackChanged(),
    );
  }

  /** Every rule between services, in the order they run for the same event. */
  private rules(): Rule[] {
    return [
      {
        on: 'stats:collected',
        rule: "each stats sample checks the main video (the leg's while it is open), restored by a re-INVITE (a new POST for a spectator's leg) when it stays broken",
        then: ({ stats }) => this.call.checkMainStream(stats, this.spectator.peerConnection ? () => this.spectator.recover() : undefined),
      },
      {
        on: 'spectator:leg',
        rule: 'stats and stream health start over when a receive leg opens or closes; the balancer holds while it is open',
        then: ({ state }) => {
          this.stats.resetInfoHistory();
          this.call.resetStreamHealth();
          this.holdBalancer(state !== 'closed');
        },
      },
      {
        on: 'conference:role',
        rule: "the balancer holds while the role is spectator (it would lift the spectator's 60 kbps cap) and starts again 10 s after",
        then: () => this.holdBalancer(this.store.get().call.leg !== undefined),
      },
      {
        on: 'conference:access',
        rule: 'the room purgatory puts the answered call in the waiting room; a later room admits it',
        then: ({ access }) => this.call.setWaitingRoom(access === 'waiting'),
      },
      { on: 'conference:access', rule: 'a spectator leg waiting for the in-room state opens once in room', then: () => this.spectator.accessChanged() },
      { on: 'conference:enter-room', rule: "a new conference in the credentials re-POSTs the spectator's leg", then: () => this.spectator.accessChanged() },
      { on: 'conference:notify', rule: "a new conference in the credentials re-POSTs the spectator's leg", then: () => this.spectator.accessChanged() },
      {
        on: 'presentation:content',
        rule: "the leg's content stream shows while the server says content is available",
        then: () => this.spectator.contentChanged(),
      },
      {
        on: 'call:state',
        rule: 'a new call forgets the room; in a call the device list is refreshed (names show once media is granted); a call that ends stops the presentation',
        then: ({ state }) => {
          if (state === 'calling' || state === 'ringing') this.conference.reset();
          if (state === 'in-call' && this.devices.watching) void this.devices.refresh();
          if (state === 'ended' || state === 'failed') {
            this.spectator.callEnded();
            this.presentation.callEnded();
          }
        },
      },
      {
        on: 'call:state',
        rule: 'stats and the balancer run while the call is established',
        then: ({ state }) => {
          if (state === 'in-call') {
            this.stats.start();
            this.balancer.callStarted();
          } else {
            this.stats.stop();
            this.balancer.callEnded();
          }
        },
      },
      { on: 'call:media-warning', rule: 'a camera or microphone problem is reported as an error', then: ({ error }) => this.reportError(error) },
      {
        on: 'connection:lost',
        rule: 'a lost connection puts the call in recovery (or ends it)',
        then: ({ reason }) => {
          this.lostReason = reason;
          this.call.connectionLost(reason);
        },
      },
      { on: 'connection:reconnected', rule: 'a connection back redials the call in recovery', then: () => void this.call.connectionRestored() },
      { on: 'call:recovering', rule: 'a call in recovery suspends the presentation', then: () => this.presentation.suspend() },
      {
        on: 'call:recovered',
        rule: 'a redialled call resumes the presentation',
        then: ({ method }) => {
          if (method === 'redial') void this.presentation.resume();
        },
      },
      {
        on: 'connection:state',
        rule: 'reconnecting starts the reconnect service; a connection that gave up ends the call in recovery',
        then: ({ state }) => {
          if (state === 'reconnecting') this.reconnect.start(this.lostReason);
          if (state === 'failed') this.call.connectionGaveUp();
        },
      },
    ];
  }

  /**
   * A server INFO (as it came, secrets included) goes to the one service of its kind (protocol/route.ts);
   * `conference:info` carries it with the bearer token and the jwt masked.
   */
  private routeInfo(message: ReceivedInfoMessage): void {
    routeInfo(message, {
      parsed: (info) => this.events.emit('conference:info', redactInfo(info)),
      ignored: (contentType, reason) => {
        logger.debug(`ignored INFO ${contentType}: ${reason}`);
        this.events.emit('conference:ignored-info', { contentType, reason });
      },
      conference: (info) => {
        // A presentation-only call stays out of rooms (protocol §3): its enter-room INFOs are ignored.
        if (info.type === 'enter-room' && this.call.presentationOnly) return;
        this.conference.handleInfo(info);
      },
      presentation: (info) => this.presentation.handleInfo(info),
      balancer: (info) => this.balancer.handleCommand(info),
    });
  }

  /**
   * The balancer stops while a receive leg is open (protocol §10) or the role is spectator (its caps
   * must stay), and starts again after its delay once neither holds.
   */
  private holdBalancer(legOpen: boolean): void {
    if (legOpen || this.conference.role === 'spectator') this.balancer.legOpened();
    else this.balancer.legClosed();
  }

    /** A NOTIFY outside any dialog (protocol §4) goes where the in-dialog `notify` INFO goes. */
  private notifyOutsideDialog(raw: string | undefined): void {
    const result = parseNotification(raw);
    if (!result.ok) {
      logger.debug(`ignored NOTIFY: ${result.message}`);
      this.events.emit('conference:ignored-info', { contentType: 'NOTIFY', reason: result.message });
      return;
    }
    this.conference.handleInfo({ type: 'notify', notification: result.notification });
  }

  /** Loads JsSIP ahead of a connect (`'idle'`: when the browser has nothing else to do); never throws. */
  prepare(when: 'now' | 'idle'): void {
    if (this.settings.options.userAgentFactory) return;
    if (when === 'idle') preloadJsSip();
    else loadJsSip()?.catch(() => undefined);
  }

  /** The receive quality option changed: an open (or opening) spectator leg POSTs again. */
  qualityChanged(): void {
    this.spectator.qualityChanged();
  }

  /** A failure that no method call returned. */
  reportError(error: VinteoError): void {
    this.events.emit('error', { error });
  }

  /** Connects with the current options (fetching credentials first when they come from a source). */
  async connect(signal?: AbortSignal): Promise<void> {
    if (this.destroyed) throw VinteoError.invalidState('connect', 'the client is destroyed');
    this.settings.check();
    const source = this.settings.options.credentials;
    const config = resolveConnectionConfig(source ? await this.withCredentials(source, signal) : this.settings.options);
    const discovered = await this.discovered(config, signal);
    this.reconnect.watch();
    await this.connection.connect(discovered);
  }

  /**
   * Joins `conference`: the call opens camera and microphone while the connection comes up (leaving
   * meanwhile aborts a credentials fetch), then calls.
   */
  async join(conference: string, options: JoinOptions): Promise<void> {
    this.call.checkCanJoin();
    const abort = new AbortController();
    this.callConnect = abort;
    // Connecting starts once the call has begun (state `calling`), as the call is what asked for it.
    const connected = Promise.resolve().then(async () => {
      try {
        await this.connect(abort.signal);
      } finally {
        if (this.callConnect === abort) this.callConnect = undefined;
      }
    });
    connected.catch(() => undefined); // The call observes it; an early failure must not go unhandled.
    await this.call.join(conference, options, connected);
  }

  /** Leaving a call aborts the credentials fetch of its connect. */
  abortCallConnect(): void {
    this.callConnect?.abort();
  }

  /** Forgets the connection's credentials and aborts those being fetched. */
  forgetCredentials(): void {
    this.connectedWith = undefined;
    this.abortCredentialRequests();
  }

  /** Aborts the credentials and discovery requests under way. */
  abortCredentialRequests(): void {
    for (const request of [...this.requests]) request.abort();
  }

  /**
   * With `server` (no `ws-url`): the config with what `GET https://{server}/api/v1/address` says
   * (discovery.ts), fetched once per connection: a connect while connected to the same server reuses it.
   */
  private async discovered(config: ResolvedConnectionConfig, signal?: AbortSignal): Promise<ResolvedConnectionConfig> {
    const server = config.server;
    if (!server) return config;
    const known = this.discovery?.server === server && this.connection.ready ? this.discovery.result : undefined;
    const result =
      known ??
      (await this.request(signal, (abort) =>
        discover(server, {
          ...(this.settings.options.fetch ? { fetch: this.settings.options.fetch } : {}),
          timeoutMs: timingSetting('discoveryTimeoutMs', this.settings.options.discoveryTimeoutMs),
          signal: abort,
        }),
      ));
    if (!known) {
      this.discovery = { server, result };
      this.events.emit('connection:discovered', {
        sipDomain: result.sipDomain,
        iceServers: result.iceServers.length,
        unified: result.unified,
        remoteAddress: result.remoteAddress !== undefined,
        ...(result.fallback ? { fallback: result.fallback } : {}),
      });
    }
    return withDiscovery(config, result);
  }

  /**
   * The options with the credentials filled in: fetched (given up after `connectTimeoutMs`, aborted by
   * `signal`, disconnect() and destroy()), or those of the live connection from the same source.
   */
  private async withCredentials(source: CredentialsSource, signal?: AbortSignal): Promise<ConnectionOptions> {
    const reuse = this.connectedWith?.source === source && this.connection.ready;
    const credentials = reuse ? this.connectedWith!.credentials : await this.fetchCredentials(source, signal);
    this.connectedWith = { source, credentials };
    const options = this.settings.options;
    const displayName = options.displayName?.trim() ? options.displayName : credentials.displayName;
    return { ...options, user: credentials.user, password: credentials.password, displayName, register: true };
  }

  private fetchCredentials(source: CredentialsSource, signal?: AbortSignal): Promise<VinteoCredentials> {
    return this.request(signal, (abort) =>
      resolveCredentials(source, {
        timeoutMs: timingSetting('connectTimeoutMs', this.settings.options.connectTimeoutMs),
        signal: abort,
      }),
    );
  }

  /** Runs a request that `signal`, disconnect() and destroy() abort. */
  private async request<T>(signal: AbortSignal | undefined, run: (abort: AbortSignal) => Promise<T>): Promise<T> {
    const request = new AbortController();
    const onAbort = (): void => request.abort();
    if (signal?.aborted) request.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.requests.add(request);
    try {
      return await run(request.signal);
    } finally {
      this.requests.delete(request);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Takes the signalling WebSocket the client opened while the services loaded (`VinteoClient.preconnect()`):
   * the next connect's user agent takes it over when it is to the same address, else it is closed.
   */
  adoptSpare(spare: SpareSocket): void {
    if (this.destroyed) {
      spare.close();
      return;
    }
    this.spare?.close();
    this.spare = spare;
  }

  /** Closes the socket adoptSpare() took, unless a connect has taken it. */
  dropSpare(): void {
    this.spare?.close();
    this.spare = undefined;
  }

  /** Releases everything at once without waiting for the server. */
  destroy(): void {
    this.destroyed = true;
    this.dropSpare();
    this.abortCredentialRequests();
    this.stats.dispose();
    this.balancer.dispose();
    this.spectator.dispose();
    this.reconnect.dispose();
    this.call.dispose();
    this.devices.dispose();
    this.connection.dispose();
    this.events.removeAllListeners();
    this.unsubscribe();
  }
}
