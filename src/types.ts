import type { BalancerEvents, BalancerSnapshot } from './balancer/types.js';
import type { FastIce } from './call/fast-ice.js';
import type { MediaProvider } from './call/media-provider.js';
import type { CallEvents, CallSnapshot } from './call/types.js';
import type { ConferenceEvents, RoomSnapshot } from './conference/types.js';
import type { ConnectionOptions } from './config.js';
import type { UserAgentFactory } from './connection/transport.js';
import type { ConnectionEvents, ConnectionSnapshot } from './connection/types.js';
import type { CredentialsSource } from './credentials.js';
import type { DeviceProvider, DevicesEvents, DevicesSnapshot } from './devices/types.js';
import type { VinteoError } from './errors.js';
import type { DisplayMediaProvider, PresentationEvents, PresentationSnapshot } from './presentation/types.js';
import type { Resolution } from './protocol/info.js';
import type { ReconnectPolicy } from './reconnect/policy.js';
import type { NetworkSignals, ReconnectEvents, ReconnectInfo } from './reconnect/types.js';
import type { CallSettings } from './stats/settings.js';
import type { StatsEvents, StatsSnapshot } from './stats/types.js';
import type { SpectatorEvents } from './spectator/types.js';

/** The client's own types: its snapshot, its events and its options. */
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
  SpectatorEvents &
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
  /** How many times a refused presentation start is tried (default 1), and the pause between tries (default 300 ms; 0 – 60 s). */
  presentationAttempts?: number;
  presentationRetryDelayMs?: number;
  /** The largest size a presentation is sent at: its sendEncodings are scaled down to fit (protocol §3, §8). */
  maxAvailableResolution?: Resolution;
  /**
   * ICE servers for the peer connections. Default: those discovery gives with `server` (or
   * `stun:{domain}:3478` when it gives none usable); none with `ws-url`.
   */
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
   * Also the `fast-ice` attribute's text as written (`auto`, `on`, `off`): options are checked when
   * set, and any other text is refused (`invalid-config`) by the next connect(), join() or answer().
   */
  fastIce?: FastIce | 'on' | 'off' | (string & NonNullable<unknown>);
  /** Recover lost connections and calls (default true). */
  autoReconnect?: boolean;
  /** When to retry; default: exponential backoff from 1 s to 30 s with ±30% jitter, never giving up. */
  reconnectPolicy?: ReconnectPolicy;
  /** How long a call waits for its connection to come back before it ends (default 60000 ms; 0 – 1 h). */
  redialTimeoutMs?: number;
  /**
   * The OPTIONS ping to the client's own address: the pause after each ping completes (default 15000 ms;
   * 0 turns it off, else 1 s – 1 h) and how long an answer may take (default 10000 ms; 100 ms – 60 s).
   * Only a 2xx counts; two failures in a row reconnect (protocol §2).
   */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Replaces `online` / visibility events; for tests. */
  networkSignals?: NetworkSignals;
  /** Replaces `fetch` for discovery (`GET https://{server}/api/v1/address`); for tests. */
  fetch?: typeof fetch;
  /** How long discovery waits for the server before falling back (default 5000 ms; 100 ms – 60 s). */
  discoveryTimeoutMs?: number;
  /**
   * The application named in the User-Agent when the server asks for the unified one (discovery's
   * `unified`): `ChromeNew - {browser} {major}, {appName} {appVersion major}`. Default `vinteo-widgets`
   * and our version.
   */
  appName?: string;
  appVersion?: string;
}
