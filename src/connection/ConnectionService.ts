import type { DisconnectEvent, IncomingRequest, RegistrationFailedEvent, RTCSession, RTCSessionEvent } from '@krivega/jssip';
import { sameConnection, type ResolvedConnectionConfig } from '../config.js';
import { VinteoError, type VinteoErrorInfo } from '../errors.js';
import type { AsyncQueue } from '../queue.js';
import { StateMachine } from '../state.js';
import { logger } from '../logger.js';
import type { SipUserAgent, UserAgentFactory } from './transport.js';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'registered' | 'failed';

const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  disconnected: ['connecting'],
  connecting: ['connected', 'registered', 'failed', 'disconnected'],
  connected: ['registered', 'connecting', 'failed', 'disconnected'],
  registered: ['connected', 'connecting', 'failed', 'disconnected'],
  failed: ['connecting', 'disconnected'],
};

export interface ConnectionSnapshot {
  readonly state: ConnectionState;
  /** The SIP user in use (a random number for guests); undefined while disconnected. */
  readonly user: string | undefined;
  readonly registered: boolean;
  readonly error: VinteoErrorInfo | undefined;
}

export const initialConnectionSnapshot: ConnectionSnapshot = {
  state: 'disconnected',
  user: undefined,
  registered: false,
  error: undefined,
};

export interface ConnectionEvents {
  'connection:state': { state: ConnectionState; previous: ConnectionState; error?: VinteoError };
  'connection:registered': { user: string };
  /** The WebSocket closed after having been up; JsSIP keeps trying to get it back. */
  'connection:lost': { code?: number; reason?: string };
}

export interface ConnectionDeps {
  readonly factory: UserAgentFactory;
  readonly queue: AsyncQueue;
  readonly update: (next: ConnectionSnapshot) => void;
  readonly emit: <K extends keyof ConnectionEvents>(type: K, payload: ConnectionEvents[K]) => void;
  readonly userAgentName: string;
  readonly connectTimeoutMs: number;
  /** A call came in from the server. */
  readonly onIncomingCall: (session: RTCSession, request: IncomingRequest) => void;
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
      if (this.ua && this.config && sameConnection(this.config, config) && this.ready) return;
      if (this.ua) this.teardown();
      await this.start(config);
    });
  }

  /** Stops the UA. Does not wait for the un-REGISTER: the page is never held up by it. */
  disconnect(): Promise<void> {
    return this.deps.queue.push(async () => {
      this.teardown();
      this.config = undefined;
      this.machine.transition('disconnected');
      this.publish({ user: undefined, error: undefined });
    });
  }

  private start(config: ResolvedConnectionConfig): Promise<void> {
    this.config = config;
    this.lastError = undefined;
    this.publish({ user: config.user, error: undefined });
    this.machine.transition('connecting');
    let ua: SipUserAgent;
    try {
      ua = this.deps.factory({
        wsUrl: config.wsUrl,
        configuration: {
          uri: `sip:${config.user}@${config.sipDomain}`,
          sockets: [],
          ...(config.displayName ? { display_name: config.displayName } : {}),
          ...(config.password === undefined ? {} : { password: config.password }),
          register: config.register,
          register_expires: config.registerExpires,
          session_timers: false,
          user_agent: this.deps.userAgentName,
          connection_recovery_min_interval: 2,
          connection_recovery_max_interval: 30,
        },
      });
    } catch (error) {
      const failure = VinteoError.connectionFailed(error instanceof Error ? error.message : String(error), error);
      this.fail(failure);
      return Promise.reject(failure);
    }
    this.ua = ua;
    const mine = (): boolean => this.ua === ua;
    ua.on('connecting', () => {
      if (mine() && this.machine.state !== 'connecting') this.machine.transition('connecting');
    });
    ua.on('connected', () => {
      if (!mine()) return;
      this.machine.transition('connected');
      if (!config.register) this.settle();
    });
    ua.on('disconnected', (event: DisconnectEvent) => {
      if (mine()) this.onDisconnected(event);
    });
    ua.on('registered', () => {
      if (!mine()) return;
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
    ua.on('newRTCSession', (event: RTCSessionEvent) => {
      if (mine() && event.originator === 'remote') this.deps.onIncomingCall(event.session, event.request);
    });

    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(VinteoError.connectionFailed(`no answer from ${config.wsUrl} within ${this.deps.connectTimeoutMs} ms`));
      }, this.deps.connectTimeoutMs);
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
    if (this.machine.state === 'connected' || this.machine.state === 'registered') {
      logger.warn('connection lost; the user agent will try to reconnect');
      this.machine.transition('connecting');
      this.deps.emit('connection:lost', {
        ...(event.code === undefined ? {} : { code: event.code }),
        ...(event.reason === undefined ? {} : { reason: event.reason }),
      });
    }
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
    this.machine.transition('failed');
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private teardown(): void {
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
