import type { DisconnectEvent, IncomingRequest, RegistrationFailedEvent, RTCSession, RTCSessionEvent } from '@krivega/jssip';
import { formatHeader, Header } from '../protocol/headers.js';
import { sipDisplayName } from './identity.js';
import { Liveness } from './liveness.js';
import { sameConnection, type ResolvedConnectionConfig } from '../config.js';
import { VinteoError } from '../errors.js';
import type { AsyncQueue } from '../queue.js';
import { StateMachine } from '../state.js';
import { logger } from '../logger.js';
import { disarmUnusableInviteExpiry, registrationRefreshDelay } from './server-timers.js';
import type { SipUserAgent, UserAgentFactory } from './transport.js';
import { safeDelay } from '../timing.js';
import { type ConnectionEvents, type ConnectionSnapshot, type ConnectionState, initialConnectionSnapshot, TERMINAL_REASONS } from './types.js';
import type { Emit } from '../emitter.js';

const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  disconnected: ['connecting'],
  connecting: ['connected', 'registered', 'failed', 'disconnected'],
  connected: ['registered', 'reconnecting', 'failed', 'disconnected'],
  registered: ['connected', 'reconnecting', 'failed', 'disconnected'],
  reconnecting: ['connected', 'registered', 'failed', 'disconnected'],
  failed: ['connecting', 'disconnected'],
};

export interface ConnectionDeps {
  readonly factory: UserAgentFactory;
  readonly queue: AsyncQueue;
  readonly update: (next: ConnectionSnapshot) => void;
  readonly emit: Emit<ConnectionEvents>;
  /** The User-Agent of every SIP request, given the server's `unified` answer from discovery. */
  readonly userAgentName: (unified: boolean) => string;
  readonly connectTimeoutMs: () => number;
  /** A call came in from the server. */
  readonly onIncomingCall: (session: RTCSession, request: IncomingRequest) => void;
  /** Whether a lost connection is recovered (`reconnecting`) or ends in `failed`. */
  readonly autoReconnect: () => boolean;
  /** A NOTIFY came outside any dialog (protocol §4): the raw `X-VINTEO-NOTIFY` value, if any. */
  readonly onNotify: (notify: string | undefined) => void;
  /** OPTIONS ping pause after each ping, ms (0 = off), and how long an answer may take. */
  readonly pingIntervalMs: () => number;
  readonly pingTimeoutMs: () => number;
  /** Runs before a user agent is created (loads JsSIP on first use); `undefined` when there is nothing to wait for. */
  readonly prepare?: () => Promise<void> | undefined;
  /**
   * A WebSocket to `wsUrl` for the user agent to take over: one opened ahead of this connect (the client's
   * `preconnect()`), else, when `loading` (`prepare` is still running), one opened now (see spare-socket.ts).
   */
  readonly preconnect?: (wsUrl: string, loading: boolean) => WebSocket | undefined;
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: VinteoError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const AUTH_CAUSES = new Set(['Authentication Error', 'Rejected']);

/** Owns the JsSIP UA: creation, start, registration, stop. Connect and disconnect are serialized. */
export class ConnectionService {
  private readonly machine: StateMachine<ConnectionState>;
  private ua: SipUserAgent | undefined;
  private config: ResolvedConnectionConfig | undefined;
  private pending: Pending | undefined;
  private snapshot: ConnectionSnapshot = initialConnectionSnapshot;
  private lastError: VinteoError | undefined;
  private recovering = false;
  private liveness: Liveness | undefined;
  /** A registration refresh put off because the server's grant was unusable (server-timers.ts). */
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last REGISTER 2xx was read, or the last refresh sent (`performance.now()`). */
  private grantedAt = 0;

  constructor(private readonly deps: ConnectionDeps) {
    this.machine = new StateMachine<ConnectionState>('connection', 'disconnected', TRANSITIONS, (to, from) => {
      this.publish({ state: to, registered: to === 'registered' });
      const error = to === 'failed' ? this.lastError : undefined;
      this.deps.emit('connection:state', error ? { state: to, previous: from, error } : { state: to, previous: from });
    });
  }

  get state(): ConnectionState {
    return this.machine.state;
  }

  /** The live UA once connected; undefined otherwise. */
  get userAgent(): SipUserAgent | undefined {
    return this.ua;
  }

  get currentConfig(): ResolvedConnectionConfig | undefined {
    return this.config;
  }

  /** True when calls can be placed: connected (guest) or registered. */
  get ready(): boolean {
    const state = this.machine.state;
    if (!this.config) return false;
    return this.config.register ? state === 'registered' : state === 'connected' || state === 'registered';
  }

  /** Connects (and registers when configured). Resolves at once if already connected with the same config. */
  connect(config: ResolvedConnectionConfig): Promise<void> {
    return this.deps.queue.push(async () => {
      const prepared = this.deps.prepare?.();
      // The SIP library is still loading (a first connect): the WebSocket's handshake need not wait for it.
      const spare = this.deps.preconnect?.(config.wsUrl, prepared !== undefined);
      if (prepared) {
        try {
          await prepared;
        } catch (error) {
          spare?.close();
          throw error;
        }
      }
      if (this.ua && this.config && sameConnection(this.config, config) && this.ready) {
        spare?.close();
        return;
      }
      if (this.ua) this.teardown();
      await this.start(config, spare);
    });
  }

  /** Stops the UA. Does not wait for the un-REGISTER: the page is never held up by it. */
  disconnect(): Promise<void> {
    return this.deps.queue.push(async () => {
      this.teardown();
      this.config = undefined;
      this.machine.transition('disconnected');
      this.publish({ user: undefined, displayName: undefined, error: undefined });
    });
  }

  /**
   * One recovery attempt while `reconnecting`: a fresh user agent with the same config. Failures
   * keep the state `reconnecting` (the caller decides when to give up) unless they are terminal.
   */
  recover(): Promise<void> {
    return this.deps.queue.push(async () => {
      const config = this.config;
      if (this.machine.state !== 'reconnecting' || !config) throw VinteoError.invalidState('reconnect', this.machine.state);
      const prepared = this.deps.prepare?.();
      if (prepared) await prepared;
      if (this.ua) this.teardown();
      this.recovering = true;
      try {
        await this.start(config);
      } finally {
        this.recovering = false;
      }
    });
  }

  /** Ends recovery: `failed` with the given reason. */
  giveUp(error: VinteoError): Promise<void> {
    return this.deps.queue.push(async () => {
      if (this.machine.state !== 'reconnecting') return;
      this.fail(error);
    });
  }

  /** Checks the signalling path now (an OPTIONS ping); a failed probe counts as a lost connection. */
  checkNow(): void {
    if (this.machine.state === 'connected' || this.machine.state === 'registered') this.liveness?.probe();
  }

  private start(config: ResolvedConnectionConfig, preconnected?: WebSocket): Promise<void> {
    this.config = config;
    this.lastError = undefined;
    this.publish({ user: config.user, displayName: config.displayName || undefined, error: undefined });
    if (!this.recovering) this.machine.transition('connecting');
    let ua: SipUserAgent;
    try {
      ua = this.deps.factory({
        wsUrl: config.wsUrl,
        ...(preconnected ? { preconnected } : {}),
        registerHeaders: config.remoteAddress ? [formatHeader(Header.REMOTE, config.remoteAddress)] : [],
        configuration: {
          uri: `sip:${config.user}@${config.sipDomain}`,
          sockets: [],
          ...(sipDisplayName(config.displayName) ? { display_name: sipDisplayName(config.displayName) } : {}),
          ...(config.password === undefined ? {} : { password: config.password }),
          register: config.register,
          register_expires: config.registerExpires,
          session_timers: false,
          user_agent: this.deps.userAgentName(config.unified),
          // Recovery is ours (a fresh user agent per attempt, one queue); JsSIP's own is never reached
          // because a lost user agent is stopped at once.
          connection_recovery_min_interval: 2,
          connection_recovery_max_interval: 30,
        },
      });
    } catch (error) {
      preconnected?.close();
      const failure = VinteoError.connectionFailed(error instanceof Error ? error.message : String(error), error);
      this.fail(failure);
      return Promise.reject(failure);
    }
    this.ua = ua;
    const mine = (): boolean => this.ua === ua;
    ua.on('connected', () => {
      if (!mine()) return;
      if (!config.register) {
        this.machine.transition('connected');
        this.settle();
      } else if (!this.recovering) {
        this.machine.transition('connected');
      }
    });
    ua.on('disconnected', (event: DisconnectEvent) => {
      if (mine()) this.onDisconnected(event);
    });
    ua.on('registered', () => {
      if (!mine()) return;
      this.grantedAt = performance.now();
      this.machine.transition('registered');
      this.deps.emit('connection:registered', { user: config.user });
      this.settle();
    });
    ua.on('unregistered', () => {
      if (mine() && this.machine.state === 'registered') this.machine.transition('connected');
    });
    ua.on('registrationFailed', (event: RegistrationFailedEvent) => {
      if (mine()) this.onRegistrationFailed(event);
    });
    // With a listener here JsSIP leaves the refresh to us: its timer comes from the server's grant
    // unchecked, and `expires=abc` would make it refresh at once, forever (server-timers.ts).
    if (typeof ua.register === 'function') {
      ua.on('registrationExpiring', () => {
        if (mine()) this.onRegistrationExpiring(ua, config);
      });
    }
    // JsSIP answers a NOTIFY outside any dialog 200 by itself and hands it over as a `sipEvent`.
    ua.on('sipEvent', (event: { request: IncomingRequest }) => {
      if (mine()) this.deps.onNotify(event.request.getHeader(Header.NOTIFY) || undefined);
    });
    ua.on('newRTCSession', (event: RTCSessionEvent) => {
      if (!mine() || event.originator !== 'remote') return;
      if (disarmUnusableInviteExpiry(event)) logger.warn('an incoming INVITE has an Expires no timer can hold; it is ignored');
      this.deps.onIncomingCall(event.session, event.request);
    });

    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(VinteoError.connectionFailed(`no answer from ${config.wsUrl} within ${this.deps.connectTimeoutMs()} ms`));
      }, safeDelay(this.deps.connectTimeoutMs()));
      this.pending = { resolve, reject, timer };
      try {
        ua.start();
      } catch (error) {
        this.fail(VinteoError.connectionFailed(error instanceof Error ? error.message : String(error), error));
      }
    });
  }

  private onDisconnected(event: DisconnectEvent): void {
    if (this.pending) {
      const detail = event.reason ? `${event.reason}` : `the WebSocket to ${this.config?.wsUrl ?? 'the server'} closed`;
      this.fail(VinteoError.connectionFailed(detail));
      return;
    }
    this.lost(event.reason || `the WebSocket closed${event.code === undefined ? '' : ` (${event.code})`}`, event.code);
  }

  /** The connection went away after having been up. */
  private lost(reason: string, code?: number): void {
    const state = this.machine.state;
    if (state !== 'connected' && state !== 'registered') return;
    // Listeners (the call) let go of the dead session first, so that stopping the UA below
    // does not look like a local hang-up to them.
    this.deps.emit('connection:lost', code === undefined ? { reason } : { code, reason });
    this.teardown();
    if (this.deps.autoReconnect()) {
      logger.warn(`connection lost (${reason}); reconnecting`);
      this.machine.transition('reconnecting');
    } else {
      this.fail(VinteoError.connectionLost(reason));
    }
  }

  /** The OPTIONS ping to the client's own AOR (liveness.ts), from the connect on. */
  private startPing(): void {
    const ua = this.ua;
    const config = this.config;
    if (this.liveness || !ua || !config) return;
    // Content-Type: application/sdp with no body, as the reference sends it (JsSIP's default).
    const aor = `sip:${config.user}@${config.sipDomain}`;
    this.liveness = new Liveness({
      send: (eventHandlers) => void ua.sendOptions(aor, undefined, { eventHandlers }),
      intervalMs: () => this.deps.pingIntervalMs(),
      timeoutMs: () => this.deps.pingTimeoutMs(),
      onDead: (reason) => {
        if (this.ua === ua) this.lost(reason);
      },
    });
    this.liveness.start();
  }

  private stopPing(): void {
    this.liveness?.stop();
    this.liveness = undefined;
  }

  /** JsSIP's refresh timer fired: refresh now, or, when the server's grant was unusable, when the requested expiry says. */
  private onRegistrationExpiring(ua: SipUserAgent, config: ResolvedConnectionConfig): void {
    this.clearRefresh();
    const since = performance.now() - this.grantedAt;
    const delay = registrationRefreshDelay(since, config.registerExpires);
    if (delay === 0) {
      this.refresh(ua);
      return;
    }
    logger.warn(
      `the server's answer to REGISTER has no usable expiry (a refresh came due ${Math.round(since)} ms after it); ` +
        `refreshing in ${Math.round(delay / 1000)} s, as for the ${config.registerExpires} s asked for`,
    );
    this.refreshTimer = setTimeout(() => this.refresh(ua), delay);
  }

  private refresh(ua: SipUserAgent): void {
    this.refreshTimer = undefined;
    if (this.ua !== ua) return;
    this.grantedAt = performance.now();
    try {
      ua.register?.();
    } catch (error) {
      logger.warn('the registration could not be refreshed', error);
    }
  }

  private clearRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private onRegistrationFailed(event: RegistrationFailedEvent): void {
    const status = event.response?.status_code;
    const error = AUTH_CAUSES.has(event.cause)
      ? VinteoError.authenticationFailed(status)
      : VinteoError.registrationFailed(event.cause, status);
    // A wrong password is terminal: stop instead of letting JsSIP retry forever.
    if (error.reason === 'authentication-failed' || this.pending) {
      this.fail(error);
    } else {
      logger.warn(`re-registration failed: ${event.cause}`);
      this.lastError = error;
      if (this.machine.state === 'registered') this.machine.transition('connected');
      this.publish({ error: error.toJSON() });
    }
  }

  private settle(): void {
    this.startPing();
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve();
  }

  private fail(error: VinteoError): void {
    this.lastError = error;
    this.teardown();
    this.publish({ error: error.toJSON() });
    // A failed recovery attempt stays `reconnecting` unless nothing can help.
    if (!this.recovering || TERMINAL_REASONS.has(error.reason)) this.machine.transition('failed');
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private teardown(): void {
    this.stopPing();
    this.clearRefresh();
    const ua = this.ua;
    this.ua = undefined;
    if (!ua) return;
    ua.removeAllListeners();
    try {
      ua.stop();
    } catch (error) {
      logger.debug('ua.stop() threw', error);
    }
  }

  private publish(patch: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }

  /** Drops the UA without waiting; used by the client's destroy(). */
  dispose(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(VinteoError.aborted('connect'));
    }
    this.teardown();
  }
}
