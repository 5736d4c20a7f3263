import { ContextEvent } from '@lit/context';
import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { VinteoClient, type VinteoClientOptions, type VinteoSnapshot } from '../../src/client.js';
import { vinteoClientContext } from '../../src/context.js';
import { VinteoError, type VinteoErrorInfo } from '../../src/errors.js';
import { logger } from '../../src/logger.js';
import { ClientController } from '../shared/client-controller.js';
import { booleanAttribute, ConnectionAttributes } from '../shared/connection-attributes.js';
import {
  VinteoCallAcceptedEvent,
  VinteoCallEndedEvent,
  VinteoCallFailedEvent,
  VinteoConnectionChangeEvent,
  VinteoEnterRoomEvent,
  VinteoErrorEvent,
} from '../shared/events.js';
import { errorMessage, labelsFor, localeOf, type Labels } from '../shared/i18n.js';
import { styles } from './vinteo-call.styles.js';

/** What `<vinteo-call>` shows, reflected as its `state` attribute. */
export type VinteoCallViewState = 'idle' | 'connecting' | 'calling' | 'in-call' | 'ended' | 'failed';

/**
 * A video call into a Vinteo conference: remote video, own preview, join/leave, microphone and camera.
 *
 * @summary Joins a Vinteo conference and shows it.
 *
 * @attr conference - The conference number to join.
 * @attr auto-join - Join as soon as the element is on the page.
 * @attr state - Read-only, reflected: `idle`, `connecting`, `calling`, `in-call`, `ended` or `failed`.
 * @attr server - Host of the Vinteo server (when not inside `<vinteo-session>`).
 * @attr ws-url - Full WebSocket URL, overriding `server` (when not inside `<vinteo-session>`).
 * @attr sip-domain - Host used in SIP addresses (when not inside `<vinteo-session>`).
 * @attr user - SIP user, needed with `register` (when not inside `<vinteo-session>`).
 * @attr display-name - The name other participants see (when not inside `<vinteo-session>`).
 * @attr register - Register instead of joining as a guest (when not inside `<vinteo-session>`).
 *
 * @prop {string | undefined} password - The SIP password of a stand-alone element; a property only.
 * @prop {VinteoClient | undefined} client - The client in use: the session's, or the element's own.
 *
 * @fires {VinteoCallAcceptedEvent} vinteo-call-accepted - The call is established.
 * @fires {VinteoCallEndedEvent} vinteo-call-ended - The call ended; `detail.reason` says why.
 * @fires {VinteoCallFailedEvent} vinteo-call-failed - The call could not be set up.
 * @fires {VinteoEnterRoomEvent} vinteo-enter-room - The server put this participant into a room.
 * @fires {VinteoConnectionChangeEvent} vinteo-connection-change - The connection state changed (stand-alone element only).
 * @fires {VinteoErrorEvent} vinteo-error - Something went wrong; also shown in the `error` part.
 *
 * @csspart base - The wrapper of everything.
 * @csspart stage - The video area.
 * @csspart remote-video - The conference video.
 * @csspart local-video - The own camera preview.
 * @csspart room-name - The room name, once the server has told it.
 * @csspart status - The status line (a polite live region).
 * @csspart error - The error message.
 * @csspart controls - The button bar.
 * @csspart join-button - Join / leave.
 * @csspart microphone-button - Microphone toggle.
 * @csspart camera-button - Camera toggle.
 *
 * @cssprop --vinteo-color-background - Element background.
 * @cssprop --vinteo-color-surface - Buttons and panels.
 * @cssprop --vinteo-color-text - Text colour.
 * @cssprop --vinteo-color-text-muted - Secondary text.
 * @cssprop --vinteo-color-accent - The join button.
 * @cssprop --vinteo-color-on-accent - Text on the accent colour.
 * @cssprop --vinteo-color-danger - The leave button and errors.
 * @cssprop --vinteo-color-on-danger - Text on the danger colour.
 * @cssprop --vinteo-color-video-background - Behind videos.
 * @cssprop --vinteo-color-focus - Focus ring.
 * @cssprop --vinteo-radius - Corner radius.
 * @cssprop --vinteo-space - Base spacing.
 * @cssprop --vinteo-font-family - Font.
 */
export class VinteoCall extends ConnectionAttributes(LitElement) {
  static override styles = styles;

  /** The conference number to join. */
  @property() conference: string | undefined;

  /** Join as soon as the element is on the page. */
  @property({ attribute: 'auto-join', converter: booleanAttribute }) autoJoin = false;

  /** Options for an own client that attributes cannot carry (ICE servers, test transports). */
  @property({ attribute: false }) clientOptions: VinteoClientOptions = {};

  /** An error that happened before the call could start (bad attributes, no client). */
  @state() private localError: VinteoErrorInfo | undefined;

  @query('video.remote') private remoteVideo!: HTMLVideoElement | null;
  @query('video.local') private localVideo!: HTMLVideoElement | null;

  private providedClient: VinteoClient | undefined;
  private ownClient: VinteoClient | undefined;
  private autoJoined = false;

  private readonly controller = new ClientController<VinteoSnapshot>(this, (s) => s)
    .listen('call:accepted', (detail) => this.dispatchEvent(new VinteoCallAcceptedEvent(detail)))
    .listen('call:ended', (detail) => this.dispatchEvent(new VinteoCallEndedEvent(detail)))
    .listen('call:failed', ({ conference, error }) =>
      this.dispatchEvent(new VinteoCallFailedEvent({ conference, error: error.toJSON() })),
    )
    .listen('conference:enter-room', ({ room, participantName }) =>
      this.dispatchEvent(new VinteoEnterRoomEvent({ room, participantName })),
    )
    .listen('connection:state', ({ state, previous, error }) => {
      if (this.ownClient) {
        this.dispatchEvent(new VinteoConnectionChangeEvent(error ? { state, previous, error: error.toJSON() } : { state, previous }));
      }
    })
    .listen('error', ({ error }) => this.dispatchEvent(new VinteoErrorEvent(error.toJSON())));

  /** The client in use: the enclosing session's, or this element's own. */
  get client(): VinteoClient | undefined {
    return this.providedClient ?? this.ownClient;
  }

  /** The current view state (also reflected as the `state` attribute). */
  get state(): VinteoCallViewState {
    if (this.localError) return 'failed';
    const call = this.controller.value?.call;
    if (!call) return 'idle';
    if (call.state === 'calling') return call.phase === 'connecting' ? 'connecting' : 'calling';
    return call.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resolveClient();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element is not leaving: only hang up if it stays detached.
    queueMicrotask(() => {
      if (this.isConnected) return;
      if (this.ownClient) void this.ownClient.disconnect();
      else void this.providedClient?.leave();
    });
  }

  /** Joins the conference. Failures become a `vinteo-error` event and a visible message; never throws. */
  async join(): Promise<void> {
    this.localError = undefined;
    const client = this.client;
    if (!client) {
      this.showError(VinteoError.invalidConfig(this.labels.noClient));
      return;
    }
    try {
      await client.join(this.conference ?? '');
    } catch (error) {
      const failure = VinteoError.from(error);
      if (failure.reason === 'aborted') return;
      if (client.getSnapshot().call.state === 'failed') this.dispatchEvent(new VinteoErrorEvent(failure.toJSON()));
      else this.showError(failure);
    }
  }

  /** Hangs up or cancels joining. Never throws. */
  async leave(): Promise<void> {
    await this.client?.leave();
  }

  /** @internal */
  override connectionOptionsChanged(): void {
    this.ownClient?.configure(this.connectionOptions());
  }

  protected override updated(): void {
    this.setAttribute('state', this.state);
    const call = this.controller.value?.call;
    this.bindStream(this.remoteVideo, call?.remoteStream);
    this.bindStream(this.localVideo, call?.localStream);
    if (this.autoJoin && !this.autoJoined && this.client) {
      this.autoJoined = true;
      void this.join();
    }
  }

  private get labels(): Labels {
    return labelsFor(localeOf(this));
  }

  private resolveClient(): void {
    if (this.client) return;
    this.dispatchEvent(
      new ContextEvent(vinteoClientContext, this, (client: VinteoClient | undefined) => {
        this.providedClient = client;
        this.controller.setClient(client);
      }),
    );
    if (this.providedClient) return;
    const session = this.closest('vinteo-session');
    if (session && !customElements.get('vinteo-session')) {
      // The session element is not defined yet: ask again once it is.
      void customElements.whenDefined('vinteo-session').then(() => {
        if (this.isConnected) this.resolveClient();
      });
      return;
    }
    this.ownClient = new VinteoClient({ ...this.clientOptions, ...this.connectionOptions() });
    this.controller.setClient(this.ownClient);
  }

  private bindStream(video: HTMLVideoElement | null, stream: MediaStream | undefined): void {
    if (!video || video.srcObject === (stream ?? null)) return;
    video.srcObject = stream ?? null;
    if (stream) {
      video.play().catch((error: unknown) => logger.debug('video.play() was refused', error));
    }
  }

  private showError(error: VinteoError): void {
    this.localError = error.toJSON();
    this.dispatchEvent(new VinteoErrorEvent(error.toJSON()));
  }

  private statusText(labels: Labels, snapshot: VinteoSnapshot | undefined): string {
    const view = this.state;
    switch (view) {
      case 'idle':
        return labels.statusIdle;
      case 'connecting':
        return labels.statusConnecting;
      case 'calling':
        return snapshot?.call.phase === 'media' ? labels.statusMedia : labels.statusCalling;
      case 'in-call':
        return labels.statusInCall;
      case 'ended': {
        const reason = snapshot?.call.endReason;
        if (reason === 'remote-hangup') return labels.endedRemote;
        if (reason === 'connection-lost') return labels.endedConnectionLost;
        if (reason === 'cancelled') return labels.endedCancelled;
        return labels.endedLocal;
      }
      case 'failed':
        return labels.statusFailed;
    }
  }

  protected override render(): unknown {
    const locale = localeOf(this);
    const labels = labelsFor(locale);
    const snapshot = this.controller.value;
    const call = snapshot?.call;
    const view = this.state;
    const active = view === 'connecting' || view === 'calling' || view === 'in-call';
    const error = this.localError ?? call?.error ?? call?.warning;
    const microphoneOn = call?.microphoneEnabled ?? true;
    const cameraOn = call?.cameraEnabled ?? true;
    const room = snapshot?.room.name;
    return html`
      <div part="base" class="base">
        <div part="stage" class="stage">
          <video
            part="remote-video"
            class="remote"
            aria-label=${labels.remoteVideo}
            autoplay
            playsinline
            ?hidden=${!call?.remoteStream}
          ></video>
          <video
            part="local-video"
            class="local"
            aria-label=${labels.localVideo}
            autoplay
            playsinline
            muted
            ?hidden=${!call?.localStream}
          ></video>
          ${room ? html`<div part="room-name" class="room">${labels.room}: ${room}</div>` : nothing}
        </div>
        <p part="status" class="status" role="status" aria-live="polite">${this.statusText(labels, snapshot)}</p>
        ${error ? html`<p part="error" class="error" role="alert">${errorMessage(locale, error)}</p>` : nothing}
        <div part="controls" class="controls" role="group" aria-label=${labels.controls}>
          <button part="join-button" class="join ${active ? 'leave' : ''}" type="button" @click=${this.onJoinClick}>
            ${view === 'in-call' ? labels.leave : active ? labels.cancel : labels.join}
          </button>
          <button
            part="microphone-button"
            type="button"
            aria-pressed=${microphoneOn ? 'true' : 'false'}
            title=${microphoneOn ? labels.microphoneOn : labels.microphoneOff}
            @click=${this.onMicrophoneClick}
          >
            ${labels.microphone}
          </button>
          <button
            part="camera-button"
            type="button"
            aria-pressed=${cameraOn ? 'true' : 'false'}
            title=${cameraOn ? labels.cameraOn : labels.cameraOff}
            @click=${this.onCameraClick}
          >
            ${labels.camera}
          </button>
        </div>
      </div>
    `;
  }

  private onJoinClick(): void {
    const view = this.state;
    if (view === 'connecting' || view === 'calling' || view === 'in-call') void this.leave();
    else void this.join();
  }

  private onMicrophoneClick(): void {
    const client = this.client;
    if (!client) return;
    client.setMicrophoneEnabled(!client.getSnapshot().call.microphoneEnabled);
  }

  private onCameraClick(): void {
    const client = this.client;
    if (!client) return;
    try {
      client.setCameraEnabled(!client.getSnapshot().call.cameraEnabled);
    } catch (error) {
      this.showError(VinteoError.from(error, 'media-unavailable'));
    }
  }
}
