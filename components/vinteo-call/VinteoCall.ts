import { ContextEvent } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { validateClientOptions, VinteoClient, type VinteoClientOptions, type VinteoSnapshot } from '../../src/client.js';
import { validateConference } from '../../src/config.js';
import { vinteoClientContext } from '../../src/context.js';
import { VinteoError, type VinteoErrorInfo } from '../../src/errors.js';
import { parseCodecList, type CodecPreferences } from '../../src/call/codecs.js';
import type { Caller, CallSnapshot } from '../../src/call/CallService.js';
import type { ModeratorRequest, RoomSnapshot } from '../../src/conference/ConferenceService.js';
import { logger } from '../../src/logger.js';
import { ClientController } from '../shared/client-controller.js';
import { dispatchConnectionEvents } from '../shared/connection-events.js';
import { booleanAttribute, CONNECTION_PROPERTIES, ConnectionAttributes } from '../shared/connection-attributes.js';
import {
  VinteoCallAcceptedEvent,
  VinteoCallEndedEvent,
  VinteoCallFailedEvent,
  VinteoEnterRoomEvent,
  VinteoErrorEvent,
  VinteoIncomingCallEvent,
  VinteoLicenseEvent,
  VinteoModeratorCommandEvent,
  VinteoNotifyEvent,
  VinteoRoleChangeEvent,
} from '../shared/events.js';
import type { Labels } from '../shared/i18n.js';
import { Localized } from '../shared/localized.js';
import { isolate } from '../shared/bidi.js';
import { styles } from './vinteo-call.styles.js';

/** What `<vinteo-call>` shows, reflected as its `state` attribute. */
export type VinteoCallViewState =
  | 'idle'
  | 'busy'
  | 'connecting'
  | 'calling'
  | 'waiting'
  | 'ringing'
  | 'in-call'
  | 'reconnecting'
  | 'ended'
  | 'failed';

type NotifyNotification = VinteoNotifyEvent['detail']['notification'];

/** The properties whose values are checked before Join (see `checkAttributes`). */
const CHECKED_PROPERTIES: readonly string[] = [...CONNECTION_PROPERTIES, 'clientOptions', 'conference', 'preferredCodecs', 'excludeCodecs'];

/** True while a call is being set up, rings or runs. */
function running(call: CallSnapshot): boolean {
  return call.state === 'calling' || call.state === 'ringing' || call.state === 'in-call';
}

/** `75000` → `1:15`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

function requestText(labels: Labels, request: ModeratorRequest): string {
  if (request.device === 'microphone') return request.enable ? labels.moderatorAsksMicrophoneOn : labels.moderatorAsksMicrophoneOff;
  return request.enable ? labels.moderatorAsksCameraOn : labels.moderatorAsksCameraOff;
}

/**
 * A video call into a Vinteo conference: remote video, own preview, join/leave, microphone and camera.
 *
 * Labels are English or Russian, from `lang` (the element's, else the nearest ancestor's, else the
 * document's; `ru*` is Russian). Each label can be overridden by a `label-*` attribute (the key in kebab
 * case: `label-join="Подключиться"`) or the `labels` property (`{ join: 'Подключиться' }`, which wins).
 *
 * Inside a `<vinteo-session>` (one call at a time for all its elements) an element shows, hangs up
 * (`leave()`, removal) and reports events of only its own call: the one it joined or answered. While
 * another element's call runs it shows `busy` and its Join is off; an incoming call rings on every
 * element that has no call of its own, and the one that answers owns it.
 *
 * @summary Joins a Vinteo conference and shows it.
 *
 * @attr conference - The conference number to join.
 * @attr auto-join - Join as soon as the element is on the page.
 * @attr auto-answer - Answer incoming calls at once (kiosks, tests).
 * @attr preferred-codecs - Codecs to prefer, in order, e.g. `video/VP9 video/AV1` (applied with `setCodecPreferences`).
 * @attr exclude-codecs - Codecs never to offer, e.g. `video/AV1`.
 * @attr state - Read-only, reflected: `idle`, `busy` (another element's call runs in the session), `connecting`, `calling`, `waiting`, `ringing`, `in-call`, `reconnecting`, `ended` or `failed`.
 * @attr auto-reconnect - `off` disables recovering lost connections and calls (stand-alone element; on by default).
 * @attr {number} ping-interval - Seconds between OPTIONS pings that detect half-open connections (stand-alone element; default 30; 0 off, else 1–3600; out of range is `invalid-config`, shown before Join).
 * @attr conference-role - Read-only, reflected during a call: `participant` or `spectator`. (Not `role`: that
 *   attribute belongs to the page author's ARIA, and `role="spectator"` is an invalid ARIA role.)
 * @attr server - Host of the Vinteo server (when not inside `<vinteo-session>`).
 * @attr ws-url - Full WebSocket URL, overriding `server` (when not inside `<vinteo-session>`).
 * @attr sip-domain - Host used in SIP addresses (when not inside `<vinteo-session>`).
 * @attr user - SIP user, needed with `register` (when not inside `<vinteo-session>`).
 * @attr display-name - The name other participants see (when not inside `<vinteo-session>`).
 * @attr {boolean} register - Register instead of joining as a guest (when not inside `<vinteo-session>`).
 * @attr {number} stats-interval - Call stats collection interval in ms, default 1000, 100–600000 (when not inside `<vinteo-session>`).
 * @attr balancer - `off` turns the video sending balancer off; on by default (when not inside `<vinteo-session>`).
 * @attr {number} balancer-delay - Ms after the call is confirmed before the balancer starts, default 10000, 0–600000 (when not inside `<vinteo-session>`).
 * @attr balancer-ignore-codec - Codec the balancer leaves alone, default `H264`; `none` balances all (when not inside `<vinteo-session>`).
 * @attr fast-ice - When the INVITE goes out: `auto` (default: at the first usable ICE candidate; answers wait for gathering), `on` (answers early too) or `off` (after ICE gathering completes, as JsSIP does) (when not inside `<vinteo-session>`).
 * @attr credentials-url - A URL of your own that answers `GET` (with the page's cookies) with JSON `{ user, password, displayName? }`; fetched on each connect, implies `register`.
 * @attr password - UNSAFE, for quick tests only: anyone who can read the page can read it. Read once, removed from the DOM at once, never reflected, logged or put in an event. Prefer `credentials-url` or the `credentials` property.
 * @attr {'light' | 'dark'} theme - `light` or `dark`; without it the element follows the system setting (`prefers-color-scheme`).
 *
 * @prop {string | undefined} password - The SIP password of a stand-alone element (never reflected, logged or in an event).
 * @prop {CredentialsSource | undefined} credentials - `{ user, password, displayName? }` or an async function returning it; called on each connect, implies `register`.
 * @prop {Partial<Labels> | undefined} labels - Overrides of labels by key, e.g. `{ join: 'Подключиться' }`; wins over `label-*` attributes.
 * @prop {VinteoClient | undefined} client - The client in use: the session's, or the element's own.
 *
 * @fires {VinteoCallAcceptedEvent} vinteo-call-accepted - The call is established.
 * @fires {VinteoCallEndedEvent} vinteo-call-ended - The call ended; `detail.reason` says why.
 * @fires {VinteoCallFailedEvent} vinteo-call-failed - The call could not be set up.
 * @fires {VinteoEnterRoomEvent} vinteo-enter-room - The server put this participant into a room.
 * @fires {VinteoIncomingCallEvent} vinteo-incoming-call - A call is ringing (registered users).
 * @fires {VinteoRoleChangeEvent} vinteo-role-change - Moved to the spectators or back to the participants.
 * @fires {VinteoModeratorCommandEvent} vinteo-moderator-command - A moderator stopped or started the microphone or camera.
 * @fires {VinteoLicenseEvent} vinteo-license - Which licence the call uses.
 * @fires {VinteoNotifyEvent} vinteo-notify - The server sent a notification command.
 * @fires {VinteoConnectionChangeEvent} vinteo-connection-change - The connection state changed (stand-alone element only).
 * @fires {VinteoReconnectingEvent} vinteo-reconnecting - Reconnect attempt scheduled (stand-alone element only).
 * @fires {VinteoReconnectedEvent} vinteo-reconnected - The connection is back (stand-alone element only).
 * @fires {VinteoErrorEvent} vinteo-error - Something went wrong; also shown in the `error` part.
 *
 * @csspart base - The wrapper of everything.
 * @csspart stage - The video area.
 * @csspart remote-video - The conference video.
 * @csspart local-video - The own camera preview.
 * @csspart content-video - Another participant's presentation: shown large, with the conference small, while offered.
 * @csspart room-name - The room name, once the server has told it.
 * @csspart status - The status line (a polite live region).
 * @csspart error - The error message.
 * @csspart controls - The button bar.
 * @csspart join-button - Join / leave.
 * @csspart microphone-button - Microphone toggle.
 * @csspart camera-button - Camera toggle.
 * @csspart caller - Who is calling (incoming calls): the text and the Answer and Decline buttons.
 * @csspart caller-text - The incoming-call sentence.
 * @csspart caller-name - The caller's name (or number).
 * @csspart answer-button - Answers an incoming call.
 * @csspart decline-button - Declines an incoming call.
 * @csspart waiting - The waiting-room notice with the elapsed time.
 * @csspart waiting-spinner - The waiting-room notice's spinner (decorative; still with `prefers-reduced-motion`).
 * @csspart waiting-time - The elapsed waiting time.
 * @csspart notice - Role and moderator notices.
 * @csspart moderator-request - A moderator's request waiting for an answer.
 * @csspart moderator-request-text - What the moderator asks.
 * @csspart moderator-accept-button - Accepts the moderator's request.
 * @csspart moderator-decline-button - Declines the moderator's request.
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
 * @cssprop --vinteo-font-size - Base font size (default `1rem`).
 */
export class VinteoCall extends Localized(ConnectionAttributes(LitElement)) {
  static override styles = styles;

  /** The conference number to join. */
  @property() conference: string | undefined;

  /** Join as soon as the element is on the page. */
  @property({ attribute: 'auto-join', converter: booleanAttribute }) autoJoin = false;

  /** Answer incoming calls at once. */
  @property({ attribute: 'auto-answer', converter: booleanAttribute }) autoAnswer = false;

  /** Codecs to prefer, in order (e.g. `video/VP9 video/AV1`). */
  @property({ attribute: 'preferred-codecs' }) preferredCodecs: string | undefined;

  /** Codecs never to offer (e.g. `video/AV1`). */
  @property({ attribute: 'exclude-codecs' }) excludeCodecs: string | undefined;

  /** Options for an own client that attributes cannot carry (ICE servers, test transports). */
  @property({ attribute: false }) clientOptions: VinteoClientOptions = {};

  /** An error that happened before the call could start (bad attributes, no client). */
  @state() private localError: VinteoErrorInfo | undefined;

  /**
   * A mistake in the attributes (a malformed server, conference or user, a time out of its range…),
   * found as soon as they are set: shown, and reported once as `vinteo-error`, before Join is pressed.
   */
  @state() private configError: VinteoErrorInfo | undefined;

  /** The core refused this element's join or answer: another element's call runs (shown while `busy`). */
  @state() private refusedBusy = false;

  /** The id of the call this element started or answered (see {@link owns}). */
  private ownCallId: number | undefined;

  @query('video.remote') private remoteVideo!: HTMLVideoElement | null;
  @query('video.local') private localVideo!: HTMLVideoElement | null;
  @query('video.content') private contentVideo!: HTMLVideoElement | null;

  private providedClient: VinteoClient | undefined;
  private ownClient: VinteoClient | undefined;
  private autoJoined = false;
  private ticker: ReturnType<typeof setInterval> | undefined;

  // Re-renders only for what the element shows (not the stats, which change every second).
  private readonly controller = new ClientController<VinteoSnapshot>(
    this,
    (s) => s,
    (s) => [s.call, s.room, s.presentation.contentAvailable, s.devices.speakerId, s.reconnect?.attempt],
  )
    // Call and conference events are about the current call: re-dispatched only by the elements that show it.
    .listen('call:accepted', (detail) => this.showing() && this.dispatchEvent(new VinteoCallAcceptedEvent(detail)))
    .listen('call:ended', (detail) => this.showing() && this.dispatchEvent(new VinteoCallEndedEvent(detail)))
    .listen('call:failed', ({ conference, error }) =>
      this.showing() && this.dispatchEvent(new VinteoCallFailedEvent({ conference, error: error.toJSON() })),
    )
    .listen('conference:enter-room', ({ room, participantName }) =>
      this.showing() && this.dispatchEvent(new VinteoEnterRoomEvent({ room, participantName })),
    )
    .listen('call:incoming', ({ caller }) => {
      if (!this.showing()) return;
      this.dispatchEvent(new VinteoIncomingCallEvent({ callerName: caller.name, callerNumber: caller.number }));
      // Still unanswered (the element may not be the first with auto-answer): this one answers it.
      if (this.autoAnswer && this.showing()) void this.answer();
    })
    .listen('conference:role', ({ role, previous, spectatorMode }) =>
      this.showing() &&
      this.dispatchEvent(new VinteoRoleChangeEvent(spectatorMode === undefined ? { role, previous } : { role, previous, spectatorMode })),
    )
    .listen('conference:moderator-command', (detail) => this.showing() && this.dispatchEvent(new VinteoModeratorCommandEvent(detail)))
    .listen('conference:license', (detail) => this.showing() && this.dispatchEvent(new VinteoLicenseEvent(detail)))
    .listen('conference:notify', ({ notification }) =>
      this.showing() && this.dispatchEvent(new VinteoNotifyEvent({ notification: notification as NotifyNotification })),
    )
    .listen('error', ({ error }) => this.dispatchEvent(new VinteoErrorEvent(error.toJSON())));

  constructor() {
    super();
    dispatchConnectionEvents(this.controller, this, () => this.ownClient !== undefined);
  }

  /** The client in use: the enclosing session's, or this element's own. */
  get client(): VinteoClient | undefined {
    return this.providedClient ?? this.ownClient;
  }

  /** The current view state (also reflected as the `state` attribute). */
  get state(): VinteoCallViewState {
    const call = this.controller.value?.call;
    if (call && !this.shows(call) && running(call)) return 'busy';
    if (this.localError) return 'failed';
    if (this.configError && !(call && this.shows(call) && running(call))) return 'failed';
    if (!call || !this.shows(call)) return 'idle';
    if (call.state === 'in-call' && call.recoveringSince !== undefined) return 'reconnecting';
    if (call.state === 'calling') {
      if (call.phase === 'connecting') return 'connecting';
      return call.phase === 'waiting' ? 'waiting' : 'calling';
    }
    return call.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resolveClient();
    // The SIP library loads lazily: now when joining at once, else while the page is idle, so
    // that a click on Join starts connecting at once.
    this.ownClient?.prepare(this.autoJoin ? 'now' : 'idle');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicker();
    // Moving the element is not leaving: only hang up if it stays detached.
    queueMicrotask(() => {
      if (this.isConnected) return;
      if (this.ownClient) void this.ownClient.disconnect();
      // In a session: only its own call (leave() checks), never a sibling's.
      else void this.leave();
    });
  }

  /**
   * True when `call` is this element's own: the element has a client of its own (every call on it is
   * the element's), or it started (join) or answered the call.
   */
  private owns(call: CallSnapshot): boolean {
    return this.ownClient !== undefined || (call.id !== undefined && call.id === this.ownCallId);
  }

  /**
   * True when the element shows `call`: its own, or an incoming call that rings unanswered (every
   * element without a call of its own offers Answer; there is none while it rings, the core answers
   * 486 to calls that come in while another runs) or that the caller gave up before anyone answered.
   */
  private shows(call: CallSnapshot): boolean {
    if (this.owns(call)) return true;
    return call.direction === 'incoming' && ((call.state === 'ringing' && call.phase === undefined) || call.endReason === 'missed');
  }

  /** True when the element shows the client's current call. */
  private showing(): boolean {
    const call = this.controller.value?.call;
    return call !== undefined && this.shows(call);
  }

  /**
   * Runs `start` (a join or an answer) and, when it goes ahead, makes the call this element's own. A
   * join or answer that goes ahead changes the call snapshot at once (a new call id, or the answer's
   * phase); one the core refuses (another call runs: invalid-state) leaves it as it was.
   */
  private claim(client: VinteoClient, start: () => Promise<void>): Promise<void> {
    const before = client.getSnapshot().call;
    const started = start();
    const after = client.getSnapshot().call;
    if (after !== before && after.id !== undefined) this.ownCallId = after.id;
    return started;
  }

  /** Joins the conference. Failures become a `vinteo-error` event and a visible message; never throws. */
  async join(): Promise<void> {
    // Properties set before the element was defined are applied by its first update.
    await this.updateComplete;
    await this.joinNow();
  }

  private async joinNow(): Promise<void> {
    this.localError = undefined;
    this.refusedBusy = false;
    const client = this.client;
    if (!client) {
      this.showError(VinteoError.invalidConfig(this.localized().noClient));
      return;
    }
    await this.run(client, (codecs) => this.claim(client, () => client.join(this.conference ?? '', codecs ? { codecs } : {})));
  }

  /** Answers the ringing call; the call becomes this element's own. Failures become a `vinteo-error` event; never throws. */
  async answer(): Promise<void> {
    this.localError = undefined;
    this.refusedBusy = false;
    const client = this.client;
    if (client) await this.run(client, (codecs) => this.claim(client, () => client.answer(codecs ? { codecs } : {})));
  }

  /** Declines the ringing call it shows (not one another element of the session is answering). */
  decline(): void {
    const client = this.client;
    const call = client?.getSnapshot().call;
    if (!client || !call || call.state !== 'ringing' || !this.shows(call)) return;
    // The element that declines shows the outcome (`ended`, declined).
    this.ownCallId = call.id;
    client.decline();
  }

  private async run(client: VinteoClient, operation: (codecs: CodecPreferences | undefined) => Promise<void>): Promise<void> {
    try {
      await operation(this.codecPreferences());
    } catch (error) {
      const failure = VinteoError.from(error);
      if (failure.reason === 'aborted') return;
      const call = client.getSnapshot().call;
      if (failure.reason === 'invalid-state' && running(call) && !this.shows(call)) {
        // Another element's call runs in the session: the core refused, and that call goes on.
        this.refusedBusy = true;
        this.dispatchEvent(new VinteoErrorEvent(failure.toJSON()));
      } else if (call.state === 'failed' && this.owns(call)) {
        this.dispatchEvent(new VinteoErrorEvent(failure.toJSON()));
      } else {
        this.showError(failure);
      }
    }
  }

  /**
   * Checks what the attributes say without connecting (what is missing is reported on Join): the own
   * client's options (`validateClientOptions`), the conference, the codec lists. A new mistake is
   * shown and, when `report`, dispatched as `vinteo-error`; once fixed, its error goes.
   */
  private checkAttributes(report: boolean): void {
    let problem: VinteoErrorInfo | undefined;
    try {
      if (this.ownClient) validateClientOptions({ ...this.clientOptions, ...this.connectionOptions() });
      if (this.conference?.trim()) validateConference(this.conference);
      this.codecPreferences();
    } catch (error) {
      problem = VinteoError.from(error, 'invalid-config').toJSON();
    }
    if (problem?.message === this.configError?.message) return;
    // Fixed: the same mistake shown by a Join goes too.
    if (!problem && this.configError && this.localError?.reason === 'invalid-config') this.localError = undefined;
    this.configError = problem;
    if (problem && report) this.dispatchEvent(new VinteoErrorEvent(problem));
  }

  private codecPreferences(): CodecPreferences | undefined {
    const preferred = parseCodecList(this.preferredCodecs, 'preferred-codecs');
    const excluded = parseCodecList(this.excludeCodecs, 'exclude-codecs');
    return preferred.length === 0 && excluded.length === 0 ? undefined : { preferred, excluded };
  }

  /** Hangs up or cancels joining its own call (never another element's call in the session). Never throws. */
  async leave(): Promise<void> {
    const client = this.client;
    if (client && this.owns(client.getSnapshot().call)) await client.leave();
  }

  /** @internal */
  override connectionOptionsChanged(): void {
    this.ownClient?.configure({ ...this.clientOptions, ...this.connectionOptions() });
  }

  protected override updated(): void {
    const view = this.state;
    this.setAttribute('state', view);
    const snapshot = this.controller.value;
    const call = this.shownCall();
    if (snapshot && call && running(call)) {
      this.setAttribute('conference-role', snapshot.room.role);
    } else {
      this.removeAttribute('conference-role');
    }
    this.bindStream(this.remoteVideo, call?.remoteStream);
    this.bindStream(this.localVideo, call?.localStream);
    this.bindStream(this.contentVideo, snapshot?.presentation.contentAvailable ? call?.contentStream : undefined);
    this.applySpeaker(this.remoteVideo, snapshot?.devices.speakerId);
    if (view === 'waiting') this.ticker ??= setInterval(() => this.requestUpdate(), 1000);
    else this.stopTicker();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const autoJoinNow = this.autoJoin && !this.autoJoined && this.client !== undefined;
    if (!this.hasUpdated || CHECKED_PROPERTIES.some((name) => changed.has(name as keyof VinteoCall))) {
      // An auto-join reports the mistake itself.
      this.checkAttributes(!autoJoinNow);
    }
    // Auto-join starts before the first render (properties set before the element was defined
    // are applied by now), so that connecting overlaps rendering; the first render shows it.
    if (autoJoinNow) {
      this.autoJoined = true;
      void this.joinNow();
    }
    // A refused join is news only while the other call runs.
    if (this.refusedBusy && this.state !== 'busy') this.refusedBusy = false;
  }

  /** The client's current call if this element shows it (see {@link shows}), else undefined. */
  private shownCall(): CallSnapshot | undefined {
    const call = this.controller.value?.call;
    return call && this.shows(call) ? call : undefined;
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

  private stopTicker(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private applySpeaker(video: HTMLVideoElement | null, speakerId: string | undefined): void {
    const target = video as (HTMLVideoElement & { sinkId?: string; setSinkId?: (id: string) => Promise<void> }) | null;
    if (!target?.setSinkId || (target.sinkId ?? '') === (speakerId ?? '')) return;
    target.setSinkId(speakerId ?? '').catch((error: unknown) => {
      this.showError(VinteoError.from(error, 'media-unavailable'));
    });
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
      case 'busy':
        return labels.statusBusy;
      case 'connecting':
        return labels.statusConnecting;
      case 'calling':
        return snapshot?.call.phase === 'media' ? labels.statusMedia : labels.statusCalling;
      case 'waiting':
        return labels.statusWaiting;
      case 'ringing':
        return labels.statusRinging;
      case 'in-call':
        return labels.statusInCall;
      case 'reconnecting': {
        const attempt = snapshot?.reconnect?.attempt;
        return attempt ? `${labels.statusReconnecting} (${labels.reconnectAttempt} ${attempt})` : labels.statusReconnecting;
      }
      case 'ended': {
        const reason = snapshot?.call.endReason;
        if (reason === 'remote-hangup') return labels.endedRemote;
        if (reason === 'connection-lost') return labels.endedConnectionLost;
        if (reason === 'cancelled') return labels.endedCancelled;
        if (reason === 'declined') return labels.endedDeclined;
        if (reason === 'missed') return labels.endedMissed;
        return labels.endedLocal;
      }
      case 'failed':
        return labels.statusFailed;
    }
  }

  protected override render(): unknown {
    const labels = this.localized();
    const snapshot = this.controller.value;
    // Another element's call is not shown: no videos, room, notices or its errors here.
    const call = this.shownCall();
    const room = call ? snapshot?.room : undefined;
    const view = this.state;
    const busy = view === 'busy';
    const active = view === 'connecting' || view === 'calling' || view === 'waiting' || view === 'in-call' || view === 'reconnecting';
    const error = this.localError ?? this.configError ?? call?.error ?? call?.warning;
    const errorText = busy ? (this.refusedBusy ? labels.busyRefused : undefined) : error ? this.errorText(error) : undefined;
    // Without a call the toggles set the next call's microphone and camera (the client's settings).
    const microphoneOn = snapshot?.call.microphoneEnabled ?? true;
    const cameraOn = snapshot?.call.cameraEnabled ?? true;
    const canSend = !busy && !call?.receiveOnly && room?.role !== 'spectator';
    const content = snapshot?.presentation.contentAvailable === true && call?.contentStream !== undefined;
    return html`
      <div part="base" class="base">
        <div part="stage" class="stage ${content ? 'with-content' : ''}">
          <video
            part="content-video"
            class="content"
            aria-label=${labels.othersContent}
            autoplay
            playsinline
            muted
            ?hidden=${!content}
          ></video>
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
          ${room?.name ? html`<div part="room-name" class="room">${labels.room}: ${isolate(room.name)}</div>` : nothing}
        </div>
        <p part="status" class="status" role="status" aria-live="polite">${this.statusText(labels, snapshot)}</p>
        ${view === 'waiting' && call?.waitingSince !== undefined
          ? html`<p part="waiting" class="notice">
              <span part="waiting-spinner" class="spinner" aria-hidden="true"></span>${labels.statusWaiting}:
              <time part="waiting-time">${formatElapsed(Date.now() - call.waitingSince)}</time>
            </p>`
          : nothing}
        ${view === 'ringing' && call?.caller ? this.renderIncoming(labels, call.caller) : nothing}
        ${view === 'in-call' && room ? this.renderNotices(labels, room, call?.receiveOnly ?? false) : nothing}
        ${errorText ? html`<p part="error" class="error" role="alert">${isolate(errorText)}</p>` : nothing}
        <div part="controls" class="controls" role="group" aria-label=${labels.controls}>
          ${view === 'ringing'
            ? nothing
            : html`<button part="join-button" class="join ${active ? 'leave' : ''}" type="button" ?disabled=${busy} @click=${this.onJoinClick}>
                ${view === 'in-call' || view === 'reconnecting' ? labels.leave : active ? labels.cancel : labels.join}
              </button>`}
          <button
            part="microphone-button"
            type="button"
            aria-pressed=${microphoneOn ? 'true' : 'false'}
            title=${microphoneOn ? labels.microphoneOn : labels.microphoneOff}
            ?disabled=${!canSend}
            @click=${this.onMicrophoneClick}
          >
            ${labels.microphone}
          </button>
          <button
            part="camera-button"
            type="button"
            aria-pressed=${cameraOn ? 'true' : 'false'}
            title=${cameraOn ? labels.cameraOn : labels.cameraOff}
            ?disabled=${!canSend}
            @click=${this.onCameraClick}
          >
            ${labels.camera}
          </button>
        </div>
      </div>
    `;
  }

  private renderIncoming(labels: Labels, caller: Caller): unknown {
    const name = caller.name || caller.number;
    return html`
      <div part="caller" class="notice" role="group" aria-label=${labels.incomingCall}>
        <p part="caller-text">
          ${labels.incomingCall}: <strong part="caller-name">${isolate(name)}</strong>${caller.name && caller.number
            ? html` (${isolate(caller.number)})`
            : nothing}
        </p>
        <button part="answer-button" class="join" type="button" @click=${() => void this.answer()}>${labels.answer}</button>
        <button part="decline-button" class="join leave" type="button" @click=${() => this.decline()}>${labels.decline}</button>
      </div>
    `;
  }

  private renderNotices(labels: Labels, room: RoomSnapshot, receiveOnly: boolean): unknown {
    const request = room.pendingRequest;
    const notices: string[] = [];
    if (receiveOnly) notices.push(labels.receiveOnly);
    if (room.role === 'spectator') notices.push(labels.roleSpectator);
    if (room.microphoneBlocked) notices.push(labels.microphoneBlocked);
    if (room.cameraRequested) notices.push(labels.cameraRequested);
    else if (room.cameraBlocked) notices.push(labels.cameraBlocked);
    return html`
      ${notices.length > 0 ? html`<p part="notice" class="notice">${notices.join(' ')}</p>` : nothing}
      ${request
        ? html`<div part="moderator-request" class="notice" role="alertdialog" aria-label=${requestText(labels, request)}>
            <p part="moderator-request-text">${requestText(labels, request)}</p>
            <button part="moderator-accept-button" class="join" type="button" @click=${this.onAcceptRequest}>${labels.accept}</button>
            <button part="moderator-decline-button" type="button" @click=${this.onDeclineRequest}>${labels.decline}</button>
          </div>`
        : nothing}
    `;
  }

  private onJoinClick(): void {
    const view = this.state;
    if (view === 'busy') return;
    if (view === 'connecting' || view === 'calling' || view === 'waiting' || view === 'in-call' || view === 'reconnecting') void this.leave();
    else void this.join();
  }

  private onAcceptRequest(): void {
    try {
      this.client?.acceptModeratorRequest();
    } catch (error) {
      this.showError(VinteoError.from(error, 'invalid-state'));
    }
  }

  private onDeclineRequest(): void {
    this.client?.declineModeratorRequest().catch((error: unknown) => this.showError(VinteoError.from(error, 'protocol-error')));
  }

  private onMicrophoneClick(): void {
    const client = this.client;
    if (!client || this.state === 'busy') return;
    client.setMicrophoneEnabled(!client.getSnapshot().call.microphoneEnabled);
  }

  private onCameraClick(): void {
    const client = this.client;
    if (!client || this.state === 'busy') return;
    try {
      client.setCameraEnabled(!client.getSnapshot().call.cameraEnabled);
    } catch (error) {
      this.showError(VinteoError.from(error, 'media-unavailable'));
    }
  }
}
