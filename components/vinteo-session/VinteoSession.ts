import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { VinteoClient } from '../../src/client.js';
import { vinteoClientContext } from '../../src/context.js';
import { VinteoError } from '../../src/errors.js';
import { validateClientOptions } from '../../src/settings.js';
import type { VinteoClientOptions } from '../../src/types.js';
import { ClientController } from '../shared/client-controller.js';
import { CONNECTION_PROPERTIES, ConnectionAttributes } from '../shared/connection-attributes.js';
import { booleanAttribute } from '../shared/converters.js';
import { CONNECTION_EVENTS, redispatch } from '../shared/dom-events.js';
import { ErrorController } from '../shared/error-controller.js';
import { panelsHostConnected } from '../shared/panels-hook.js';

/**
 * Holds one connection to a Vinteo server and shares it with every Vinteo element inside it.
 *
 * @summary Provides a VinteoClient to descendant elements through context.
 *
 * @attr server - Host (and optional port) of the Vinteo server; the WebSocket URL becomes `wss://{server}/webrtc/wss/`.
 * @attr ws-url - Full WebSocket URL, overriding `server`.
 * @attr sip-domain - Host used in SIP addresses; defaults to the server's host name.
 * @attr user - SIP user; needed with `register`.
 * @attr display-name - The name other participants see.
 * @attr {boolean} register - Register with the server instead of joining as a guest.
 * @attr auto-connect - Connect (and register) as soon as the element is on the page.
 * @attr auto-reconnect - `off` disables recovering lost connections and calls (on by default).
 * @attr {number} ping-interval - Seconds between OPTIONS pings to the own address that detect half-open connections (after each answer; default 15; 0 turns them off, else 1–3600; out of range is `invalid-config`).
 * @attr quality - What a spectator's receive leg asks for: `low`, `medium`, `high` or `auto` (default, sent as `high`); a change POSTs it again.
 * @attr {number} stats-interval - How often call stats are collected, in ms (default 1000, 100–600000; slow collections stretch it).
 * @attr balancer - `off` turns the video sending balancer off (on by default).
 * @attr {number} balancer-delay - How long after the call is confirmed the balancer starts, in ms (default 10000, 0–600000).
 * @attr balancer-ignore-codec - A codec the balancer leaves alone (default `H264`; `none` balances every codec).
 * @attr fast-ice - When the INVITE goes out: `auto` (default: outgoing calls at the first usable ICE candidate, answers to incoming calls once ICE gathering completes), `on` (both early) or `off` (both wait, as JsSIP does).
 * @attr credentials-url - A URL of your own that answers `GET` (with the page's cookies) with JSON `{ user, password, displayName? }`; fetched on each connect, implies `register`.
 * @attr password - UNSAFE, for quick tests only: anyone who can read the page can read it. Read once, removed from the DOM at once, never reflected, logged or put in an event. Prefer `credentials-url` or the `credentials` property.
 *
 * @prop {string | undefined} password - The SIP password (never reflected, logged or in an event).
 * @prop {CredentialsSource | undefined} credentials - `{ user, password, displayName? }` or an async function returning it; called on each connect, implies `register`.
 * @prop {VinteoClient} client - The shared client.
 *
 * @fires {VinteoConnectionChangeEvent} vinteo-connection-change - The connection state changed.
 * @fires {VinteoReconnectingEvent} vinteo-reconnecting - The connection was lost; a reconnect attempt is scheduled (attempt, delay, reason).
 * @fires {VinteoReconnectedEvent} vinteo-reconnected - The connection is back.
 * @fires {VinteoNotifyEvent} vinteo-notify - The server sent a notification command, in a call (INFO) or between calls (NOTIFY outside any dialog); a token in it reads `***`.
 * @fires {VinteoErrorEvent} vinteo-error - Connecting failed or the connection reported an error; a mistake in the attributes (`invalid-config`) is reported as soon as it is set.
 *
 * @slot - Vinteo elements (and anything else) that share this connection.
 */
export class VinteoSession extends ConnectionAttributes(LitElement) {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  /** Connect (and register) as soon as the element is on the page. */
  @property({ attribute: 'auto-connect', converter: booleanAttribute }) autoConnect = false;

  /** Options for the client that attributes cannot carry (ICE servers, test transports). Set before connecting. */
  @property({ attribute: false }) clientOptions: VinteoClientOptions = {};

  private clientInstance: VinteoClient | undefined;
  /** Mistakes in the attributes (each reported once, before connecting) and failed connects. */
  private readonly errors = new ErrorController(this);
  private readonly provider = new ContextProvider(this, { context: vinteoClientContext });
  private readonly connectionController = new ClientController(this, (s) => s.connection.state);

  constructor() {
    super();
    redispatch(this.connectionController, this, CONNECTION_EVENTS);
  }

  /** The shared client, created on first use; its identity never changes. */
  get client(): VinteoClient {
    if (!this.clientInstance) {
      this.clientInstance = new VinteoClient({ ...this.clientOptions, ...this.connectionOptions() });
      this.provider.setValue(this.clientInstance);
      this.connectionController.setClient(this.clientInstance);
    }
    return this.clientInstance;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The SIP library loads lazily: now when connecting at once, else while the page is idle.
    this.client.prepare(this.autoConnect ? 'now' : 'idle');
    // With the script-tag loader, the panels are fetched once one is beside this element.
    panelsHostConnected(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element in the DOM is not leaving: only disconnect if it stays detached.
    queueMicrotask(() => {
      if (!this.isConnected) void this.clientInstance?.disconnect();
    });
  }

  /** @internal */
  override connectionOptionsChanged(): void {
    this.clientInstance?.configure({ ...this.clientOptions, ...this.connectionOptions() });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.hasUpdated && ![...CONNECTION_PROPERTIES, 'clientOptions'].some((name) => changed.has(name as keyof VinteoSession))) return;
    // A mistake in the attributes (not something missing: that is for connect) is reported at once, as
    // vinteo-error, before anything connects; auto-connect reports it itself.
    this.errors.check(() => validateClientOptions({ ...this.clientOptions, ...this.connectionOptions() }), !(this.autoConnect && !this.hasUpdated));
  }

  protected override firstUpdated(): void {
    if (this.autoConnect) void this.connect();
  }

  /** Connects with the current attributes. Failures become a `vinteo-error` event and never throw. */
  async connect(): Promise<void> {
    // Properties set before the element was defined are applied by its first update.
    await this.updateComplete;
    try {
      await this.client.connect(this.connectionOptions());
    } catch (error) {
      const failure = VinteoError.from(error, 'connection-failed');
      if (failure.reason !== 'aborted') this.errors.report(failure);
    }
  }

  /** Hangs up and disconnects. Never throws. */
  disconnect(): Promise<void> {
    return this.client.disconnect();
  }

  protected override render(): unknown {
    return html`<slot></slot>`;
  }
}
