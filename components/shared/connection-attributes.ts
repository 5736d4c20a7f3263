import type { LitElement, PropertyDeclaration } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConnectionOptions } from '../../src/config.js';
import { credentialsFromUrl, type CredentialsSource } from '../../src/credentials.js';
import { logger } from '../../src/logger.js';
import { attributeOn, booleanAttribute } from './converters.js';
import type { CallSettings } from '../../src/stats/settings.js';
import { TIMING_LIMITS } from '../../src/timing.js';
import type { VinteoClientOptions } from '../../src/types.js';

/** Connection settings that attributes carry besides the connection itself. */
export type ConnectionSettings = CallSettings & {
  autoReconnect?: boolean;
  pingIntervalMs?: number;
  credentials?: CredentialsSource | undefined;
  /** The `fast-ice` attribute as written (the client checks it when set and refuses it on join, with a clear error). */
  fastIce?: VinteoClientOptions['fastIce'];
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = new (...args: any[]) => T;

/** The connection attributes shared by `<vinteo-session>` and a stand-alone `<vinteo-call>`. */
export interface ConnectionAttributesInterface {
  server: string | undefined;
  wsUrl: string | undefined;
  sipDomain: string | undefined;
  user: string | undefined;
  displayName: string | undefined;
  register: boolean;
  password: string | undefined;
  credentialsUrl: string | undefined;
  credentials: CredentialsSource | undefined;
  autoReconnect: string | undefined;
  pingInterval: number | undefined;
  statsInterval: number | undefined;
  balancer: string | undefined;
  balancerDelay: number | undefined;
  balancerIgnoreCodec: string | undefined;
  fastIce: string | undefined;
  connectionOptions(): ConnectionOptions & ConnectionSettings;
  /** @internal Called synchronously after a connection property changed. */
  connectionOptionsChanged(): void;
}

export const ConnectionAttributes = <T extends Constructor<LitElement>>(Base: T) => {
  class WithConnectionAttributes extends Base {
    /** Host (and optional port) of the Vinteo server; the WebSocket URL becomes `wss://{server}/webrtc/wss/`. */
    @property() server: string | undefined;

    /** Full WebSocket URL, overriding `server` (e.g. `ws://127.0.0.1:8089/webrtc/wss/`). */
    @property({ attribute: 'ws-url' }) wsUrl: string | undefined;

    /** Host used in SIP addresses; defaults to the server's host name. */
    @property({ attribute: 'sip-domain' }) sipDomain: string | undefined;

    /** SIP user; needed with `register`. Guests get a random number. */
    @property() user: string | undefined;

    /** The name other participants see. */
    @property({ attribute: 'display-name' }) displayName: string | undefined;

    /** Register with the server (needs `user` and the `password` property) instead of joining as a guest. */
    @property({ converter: booleanAttribute }) register = false;

    /**
     * The SIP password. Never reflected, never logged, never in an event. A `password` attribute is read
     * once and removed from the DOM at once (unsafe: anyone who can read the page can read it).
     */
    @property({ attribute: false }) password: string | undefined;

    /**
     * Where a registered user's credentials come from: `GET` with the page's cookies, answering JSON
     * `{ user, password, displayName? }`. Fetched on each connect; implies `register`.
     */
    @property({ attribute: 'credentials-url' }) credentialsUrl: string | undefined;

    /** Credentials `{ user, password, displayName? }`, or an async function that returns them; implies `register`. */
    @property({ attribute: false }) credentials: CredentialsSource | undefined;

    /** Whether credentials were ever set here (so that unsetting them brings back those of `clientOptions`). */
    private hadCredentials = false;

    /** One fetcher per URL, so that the client recognises the same source between connects. */
    private urlSource: { readonly url: string; readonly source: CredentialsSource } | undefined;

    static get observedAttributes(): string[] {
      return [...(Reflect.get(Base, 'observedAttributes', this) as string[]), 'password'];
    }

    override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
      if (name !== 'password') {
        super.attributeChangedCallback(name, old, value);
        return;
      }
      if (value === null) return;
      // Read once, then out of the DOM; the value never reaches a log.
      this.removeAttribute('password');
      this.password = value;
      logger.warn(
        `<${this.localName}>: the password attribute is unsafe (anyone who can read the page can read it); it was read and removed. Use credentials-url or the credentials property.`,
      );
    }

    /** `off` (or `false`) stops recovering lost connections and calls; on by default. */
    @property({ attribute: 'auto-reconnect' }) autoReconnect: string | undefined;

    /**
     * Seconds between OPTIONS pings to the own address that detect half-open connections (after each answer; default 15; 0 turns them off,
     * else 1–3600). Out of range is an `invalid-config` error, shown before Join.
     */
    @property({ attribute: 'ping-interval', type: Number }) pingInterval: number | undefined;

    /** How often call stats are collected, in ms (default 1000; 100 – 600000; slow collections stretch it). Out of range is `invalid-config`. */
    @property({ attribute: 'stats-interval', type: Number }) statsInterval: number | undefined;

    /** The video sending balancer: `off` (or `false`) turns it off; on by default. */
    @property() balancer: string | undefined;

    /** How long after the call is confirmed the balancer starts, in ms (default 10000; 0 – 600000). Out of range is `invalid-config`. */
    @property({ attribute: 'balancer-delay', type: Number }) balancerDelay: number | undefined;

    /** A codec the balancer leaves alone (default `H264`; `none` balances every codec). */
    @property({ attribute: 'balancer-ignore-codec' }) balancerIgnoreCodec: string | undefined;

    /**
     * What a spectator's receive leg asks for: `low`, `medium`, `high` or `auto` (default, sent as
     * `high`); a change during the leg POSTs it again.
     */
    @property() quality: string | undefined;

    /**
     * When the INVITE goes out: `auto` (default: outgoing calls at the first usable ICE candidate,
     * answers once gathering completes), `on` (both early) or `off` (both wait, as JsSIP does).
     */
    @property({ attribute: 'fast-ice' }) fastIce: string | undefined;

    /**
     * @internal Runs synchronously whenever a connection property changes, so that a client is
     * reconfigured before a `join()` or `connect()` that follows in the same task.
     */
    connectionOptionsChanged(): void {
      // Overridden by the elements.
    }

    override requestUpdate(name?: PropertyKey, oldValue?: unknown, options?: PropertyDeclaration): void {
      super.requestUpdate(name, oldValue, options);
      if (name === 'clientOptions' || (name !== undefined && (CONNECTION_PROPERTIES as readonly PropertyKey[]).includes(name))) {
        this.connectionOptionsChanged();
      }
    }

    connectionOptions(): ConnectionOptions & ConnectionSettings {
      // Call settings only when set, so that unset attributes leave `clientOptions` values alone.
      const settings: ConnectionSettings = {};
      if (this.autoReconnect !== undefined && this.autoReconnect !== null) settings.autoReconnect = attributeOn(this.autoReconnect);
      // Seconds, as written: out of range (or no number) is refused by the client's checks (`TIMING_LIMITS`).
      if (this.pingInterval !== undefined && this.pingInterval !== null) {
        settings.pingIntervalMs = this.pingInterval * TIMING_LIMITS.pingIntervalMs.scale;
      }
      if (this.statsInterval !== undefined && this.statsInterval !== null) settings.statsIntervalMs = this.statsInterval;
      if (this.balancer !== undefined && this.balancer !== null) settings.balancer = attributeOn(this.balancer);
      if (this.balancerDelay !== undefined && this.balancerDelay !== null) settings.balancerDelayMs = this.balancerDelay;
      if (this.balancerIgnoreCodec !== undefined && this.balancerIgnoreCodec !== null) settings.balancerIgnoreCodec = this.balancerIgnoreCodec;
      if (this.fastIce !== undefined && this.fastIce !== null) settings.fastIce = this.fastIce;
      if (this.quality !== undefined && this.quality !== null) settings.quality = this.quality;
      // Like the settings: unset leaves `clientOptions.credentials` in force (and brings them back after the
      // element's own were removed).
      const credentials = this.credentials ?? this.credentialsFromAttribute();
      if (credentials) settings.credentials = credentials;
      else if (this.hadCredentials) settings.credentials = (this as { clientOptions?: { credentials?: CredentialsSource } }).clientOptions?.credentials;
      this.hadCredentials ||= credentials !== undefined;
      return {
        ...settings,
        server: this.server,
        wsUrl: this.wsUrl,
        sipDomain: this.sipDomain,
        user: this.user,
        displayName: this.displayName,
        register: this.register,
        password: this.password,
      };
    }

    private credentialsFromAttribute(): CredentialsSource | undefined {
      const url = this.credentialsUrl?.trim();
      if (!url) return undefined;
      if (this.urlSource?.url !== url) this.urlSource = { url, source: credentialsFromUrl(url) };
      return this.urlSource.source;
    }
  }
  return WithConnectionAttributes as Constructor<ConnectionAttributesInterface> & T;
};

/** Property names that make up the connection; a change to any reconfigures the client. */
export const CONNECTION_PROPERTIES = [
  'server',
  'wsUrl',
  'sipDomain',
  'user',
  'displayName',
  'register',
  'password',
  'credentialsUrl',
  'credentials',
  'autoReconnect',
  'pingInterval',
  'statsInterval',
  'balancer',
  'balancerDelay',
  'balancerIgnoreCodec',
  'fastIce',
  'quality',
] as const;
