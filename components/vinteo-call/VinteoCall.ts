import { LitElement, type PropertyValues, type ReactiveElement } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { VinteoClient } from '../../src/client.js';
import { validateClientOptions } from '../../src/settings.js';
import { validateConference } from '../../src/config.js';
import { VinteoError } from '../../src/errors.js';
import type { CodecPreferences } from '../../src/call/codecs.js';
import type { CallSnapshot } from '../../src/call/types.js';
import { callRunning, callView, contentStream, mainStream, type CallView } from '../../src/selectors.js';
import type { VinteoClientOptions, VinteoSnapshot } from '../../src/types.js';
import { ClientController } from '../shared/client-controller.js';
import { ClientLinkController } from '../shared/client-link.js';
import { ConnectionAttributes } from '../shared/connection-attributes.js';
import { booleanAttribute } from '../shared/converters.js';
import { CALL_EVENTS, CONNECTION_EVENTS, redispatch } from '../shared/dom-events.js';
import { ErrorController } from '../shared/error-controller.js';
import { Localized } from '../shared/localized.js';
import { bindSpeaker, bindStream } from '../shared/media.js';
import { loadPanelsChunk, panelsChunkLoader, panelsHostConnected } from '../shared/panels-hook.js';
import { CHECKED_PROPERTIES, codecPreferences, reflectCallAttributes } from './call-attributes.js';
import { CallLobbyController } from './call-lobby.js';
import { CallOwnership } from './call-ownership.js';
import { controlActions } from './controls.js';
import { LastFrame } from './last-frame.js';
import { FocusKeeper } from './focus.js';
import { OverlaysController } from './overlays.js';
import { ScreenController } from './screen.js';
import { styles } from './vinteo-call.styles.js';
import { renderCall, type CallActions } from './vinteo-call.templates.js';

/** What `<vinteo-call>` shows, reflected as its `state` attribute. */
export type VinteoCallViewState = CallView;

/** A join waiting for the client's services (see `servicesLoading`). */
interface PendingJoin {
  /** Closes the signalling WebSocket the client opened for it, unless the join has taken it. */
  readonly closeSocket: (() => void) | undefined;
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
 * @attr remember-name - Remember the name typed into the lobby's name field for this site (`localStorage`) and fill it in next time; off by default.
 * @attr preferred-codecs - Codecs to prefer, in order, e.g. `video/VP9 video/AV1` (applied with `setCodecPreferences`).
 * @attr exclude-codecs - Codecs never to offer, e.g. `video/AV1`.
 * @attr state - Read-only, reflected: `idle`, `busy` (another element's call runs in the session), `connecting`, `calling`, `waiting`, `ringing`, `in-call`, `reconnecting`, `ended` or `failed`.
 * @attr auto-reconnect - `off` disables recovering lost connections and calls (stand-alone element; on by default).
 * @attr {number} ping-interval - Seconds between OPTIONS pings to the own address that detect half-open connections (stand-alone element; after each answer; default 15; 0 off, else 1–3600; out of range is `invalid-config`, shown before Join).
 * @attr conference-role - Read-only, reflected during a call: `participant` or `spectator`. (Not `role`: that
 *   attribute belongs to the page author's ARIA, and `role="spectator"` is an invalid ARIA role.)
 * @attr may-send - Read-only, reflected while a spectator may send media depending on the camera (spectator mode `1`).
 * @attr leg - Read-only, reflected while a spectator's receive-only leg runs: `opening`, `open` or `failed` (protocol §6).
 * @attr quality - What a spectator's receive leg asks for: `low`, `medium`, `high` or `auto` (default, sent as `high`); a change POSTs it again (when not inside `<vinteo-session>`).
 * @attr room-access - Read-only, reflected during a call once the server named a room: `waiting` (the waiting room, `purgatory`), `p2p`, `direct-p2p`, `pending` (waiting for authorisation) or `in-room` (protocol §5).
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
 * @fires {VinteoNotifyEvent} vinteo-notify - The server sent a notification command (stand-alone element, which has its own connection; inside a `<vinteo-session>` the session fires it; a token in it reads `***`).
 * @fires {VinteoVideoRecoveryEvent} vinteo-video-recovery - The conference video stalled, stopped or arrived undecodable for 3 s and is being restored with a re-INVITE (`phase`: `started`, then `done` or `failed`; `problem`: `stalled`, `no-traffic`, `invalid-frames`).
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
 * @csspart video-recovery - "Restoring video…" over the conference video while it is restored (a polite live region, empty otherwise).
 * @csspart status - The status line (a polite live region).
 * @csspart error - The error (`role="alert"`): a sentence for people and what to do, the technical detail behind a disclosure.
 * @csspart controls - The button bar.
 * @csspart join-button - Join / leave (an icon and its label).
 * @csspart leave-button - The same button while it leaves or cancels (in a call, joining).
 * @csspart share-button - Share screen / Stop sharing, in a call, where the browser can share (`getDisplayMedia`).
 * @csspart fullscreen-button - Full screen / Exit full screen for the stage (also a double-click on the video; Escape leaves).
 * @csspart camera-off-tile - The initials and the name shown instead of a black frame while the own camera is off.
 * @csspart camera-off-name - The own display name on that tile.
 * @csspart last-frame - The conference video's last frame, kept under the reconnecting overlay (a canvas).
 * @csspart lobby - The pre-join lobby (before Join, without `auto-join`): name, devices, microphone level, toggles.
 * @csspart preview-video - The camera preview in the lobby (opened only by the preview button).
 * @csspart preview-button - Preview camera / Stop preview (`aria-pressed`).
 * @csspart name-input - The name field (only without `display-name`); its value is the display name.
 * @csspart microphone-select - The microphone choice in the lobby.
 * @csspart camera-select - The camera choice in the lobby.
 * @csspart mic-level - The live microphone level of the preview (`<meter>`).
 * @csspart lobby-microphone-toggle - Join with the microphone on or off (`aria-pressed`; also part `microphone-button`).
 * @csspart lobby-camera-toggle - Join with the camera on or off (`aria-pressed`; also part `camera-button`).
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
 * @csspart access-pending - "Waiting for authorisation": in a room without matching in-room credentials.
 * @csspart notice - Role and moderator notices.
 * @csspart moderator-request - A moderator's request waiting for an answer.
 * @csspart moderator-request-text - What the moderator asks.
 * @csspart moderator-accept-button - Accepts the moderator's request.
 * @csspart moderator-decline-button - Declines the moderator's request.
 * @csspart reconnecting - Over the last frame while the connection is restored: "Reconnecting… attempt N" and Cancel.
 * @csspart reconnecting-text - "Reconnecting… attempt N".
 * @csspart reconnecting-cancel-button - Leaves the call instead of waiting for the connection.
 * @csspart server-not-answering - After 5 s of connecting or calling: the server named in plain words, and Retry.
 * @csspart server-not-answering-text - "The server … is not answering." and what to do.
 * @csspart retry-button - Cancels the join and joins again.
 * @csspart quality-badge - The connection quality in a call (`data-level`: `good`, `fair`, `poor`); changes at most once per 10 s, never announced.
 * @csspart error-text - The error in plain words and what to do (a configuration notice for the page author when attributes are wrong).
 * @csspart error-details - The technical detail (URL, SIP code) behind a "Details" disclosure.
 * @csspart announcer - The one polite live region (visually hidden) that says moderator notices, role changes and the server's silence once.
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

  /**
   * Remember the name typed into the lobby's name field for this site (`localStorage`), and fill it in
   * next time. Off by default: nothing is stored unless the page author opts in.
   */
  @property({ attribute: 'remember-name', converter: booleanAttribute }) rememberName = false;

  /** The pre-join lobby: when it shows, the camera preview (on a click only), the device lists, the typed name (see call-lobby.ts, lobby.ts). */
  private readonly lobby = new CallLobbyController(this, {
    ownClient: () => this.ownClient,
    showError: (error, reason) => this.errors.show(error, reason),
    microphone: () => this.controls.microphone(),
    camera: () => this.controls.camera(),
  });
  /** Share screen, full screen and the double-click on the video (see screen.ts). */
  private readonly screen = new ScreenController(this, (error, reason) => this.errors.show(error, reason));
  @query('video.preview') private previewVideo!: HTMLVideoElement | null;

  /** Options for an own client that attributes cannot carry (ICE servers, test transports). */
  @property({ attribute: false }) clientOptions: VinteoClientOptions = {};

  /**
   * The element's errors: `local` (before the call could start: bad attributes, no client, a refused
   * action) and `config` (a mistake in the attributes, shown and reported once as soon as it is set).
   */
  private readonly errors = new ErrorController(this);

  /** The core refused this element's join or answer: another element's call runs (shown while `busy`). */
  @state() private refusedBusy = false;

  /** Which call the element may show and end (its own, see {@link CallOwnership}). */
  private readonly ownership = new CallOwnership(() => this.ownClient !== undefined);

  // ---- States, errors, focus and announcements (issue #16; see overlays.ts, call-states.ts, quality-badge.ts, focus.ts) ----
  /** Reconnecting, "the server is not answering", the quality badge, the error part, the live region, the waiting clock. */
  private readonly overlays = new OverlaysController(this, {
    snapshot: () => this.controller.value,
    shownCall: () => this.shownCall(),
    keepFocus: () => this.focusKeeper.keep(),
  });
  /** Focus never falls to `<body>`; a moderator's request takes focus and gives it back. */
  private readonly focusKeeper = new FocusKeeper(this, {
    fallback: () => ['join-button', 'microphone-button', 'camera-button', 'share-button'],
    traps: [{ part: 'moderator-request', initial: 'moderator-accept-button' }],
  });

  @query('video.remote') private remoteVideo!: HTMLVideoElement | null;
  @query('canvas.last-frame') private lastFrameCanvas!: HTMLCanvasElement | null;
  /** The conference video's last frame under the reconnecting overlay. */
  private readonly lastFrame = new LastFrame();
  @query('video.local') private localVideo!: HTMLVideoElement | null;
  @query('video.content') private contentVideo!: HTMLVideoElement | null;

  private autoJoined = false;
  /** The join waiting for the client's services (see servicesLoading); Leave clears it. Shown as connecting. */
  @state() private pendingJoin: PendingJoin | undefined;

  // Re-renders only for what the element shows (not the stats, which change every second).
  private readonly controller = new ClientController<VinteoSnapshot>(
    this,
    (s) => s,
    (s) => [s.call, s.room, s.presentation.contentAvailable, s.devices.speakerId, s.reconnect?.attempt, s.presentation.state, s.devices, s.stats.quality?.level],
  );

  /** The session's client, else (no session above) the element's own, made from its attributes. */
  private readonly link = new ClientLinkController(this, {
    onChange: (client) => this.controller.setClient(client),
    fallback: () => new VinteoClient({ ...this.clientOptions, ...this.connectionOptions() }),
    sticky: true,
  });

  /** Join or Leave, the microphone and camera toggles and the answers to a moderator's request (see controls.ts). */
  private readonly controls = controlActions(this, (error, reason) => this.errors.show(error, reason));

  private readonly actions: CallActions = {
    answer: () => void this.answer(),
    decline: () => this.decline(),
    ...this.controls,
  };

  constructor() {
    super();
    // Call and conference events are about the current call: re-dispatched only by the elements that show it.
    redispatch(this.controller, this, CALL_EVENTS, () => this.showing());
    // Still unanswered (the element may not be the first with auto-answer): this one answers it.
    this.controller.listen('call:incoming', () => {
      if (this.autoAnswer && this.showing()) void this.answer();
    });
    redispatch(this.controller, this, ['error']);
    redispatch(this.controller, this, CONNECTION_EVENTS, () => this.ownClient !== undefined);
  }

  /** The client in use: the enclosing session's, or this element's own. */
  get client(): VinteoClient | undefined {
    // Undefined while the base classes construct (their properties are set before the link exists).
    return (this.link as ClientLinkController | undefined)?.client;
  }

  /** The client the element made itself (no session above), if any. */
  private get ownClient(): VinteoClient | undefined {
    return (this.link as ClientLinkController | undefined)?.own;
  }

  /** The current view state (also reflected as the `state` attribute). */
  get state(): VinteoCallViewState {
    const call = this.controller.value?.call;
    const shown = this.shownCall();
    if (call && !shown && callRunning(call)) return 'busy';
    // Joining while the client's services load (the script-tag loader): no call yet, but one is on its way.
    if (this.pendingJoin) return 'connecting';
    // A refused action during a call (camera, speaker, a moderator answer) is shown in the error part;
    // the call goes on, and so does its state (Leave stays Leave).
    if ((this.errors.local || this.errors.config) && !(shown && callRunning(shown))) return 'failed';
    return callView(shown);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The SIP library loads lazily: now when joining at once, else while the page is idle, so
    // that a click on Join starts connecting at once.
    this.ownClient?.prepare(this.autoJoin ? 'now' : 'idle');
    // With the script-tag loader, the panels are fetched once one is beside this element.
    panelsHostConnected(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element is not leaving: only hang up if it stays detached.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.cancelPendingJoin();
      const own = this.ownClient;
      this.lobby.released(own);
      if (own) void own.disconnect();
      // In a session: only its own call (leave() checks), never a sibling's.
      else void this.leave();
    });
  }

  /** True when the element shows the client's current call. */
  private showing(): boolean {
    const call = this.controller.value?.call;
    return call !== undefined && this.ownership.shows(call);
  }

  /** Joins the conference. Failures become a `vinteo-error` event and a visible message; never throws. */
  async join(): Promise<void> {
    // Properties set before the element was defined are applied by its first update.
    await this.updateComplete;
    await this.joinNow();
  }

  private async joinNow(): Promise<void> {
    this.errors.clear();
    this.refusedBusy = false;
    // The call opens the camera itself: the preview's is released first.
    this.lobby.preview.stop();
    let client = this.client;
    if (!client && this.sessionOnItsWay()) {
      try {
        if (!(await this.sessionLoading())) return;
      } catch (error) {
        this.errors.show(VinteoError.from(error, 'connection-failed'));
        return;
      }
      client = this.client;
    }
    if (!client) {
      this.errors.show(VinteoError.invalidConfig(this.localized().noClient));
      return;
    }
    this.lobby.applyName();
    await this.run(client, (codecs) => {
      const join = (): Promise<void> => this.ownership.claim(client, () => client.join(this.conference ?? '', codecs ? { codecs } : {}));
      // Joined at once when the services are here, so that auto-join's first render already shows the call.
      const waiting = this.servicesLoading(client);
      return waiting ? waiting.then((go) => (go ? join() : undefined)) : join();
    });
  }

  /**
   * Whether this element is inside a `<vinteo-session>` that the script-tag loader has yet to define (it comes
   * with the panels chunk; panels-hook.ts). False in the other builds, whose session is defined from the start.
   */
  private sessionOnItsWay(): boolean {
    return this.link.sessionPending && panelsChunkLoader();
  }

  /**
   * Waits, shown as connecting, for the `<vinteo-session>` above to be defined and to hand over its client:
   * whether the join may go ahead (not when Leave or the element's removal cancelled it meanwhile); rejects when
   * the chunk that brings it cannot be fetched.
   */
  private async sessionLoading(): Promise<boolean> {
    const attempt: PendingJoin = { closeSocket: undefined };
    this.pendingJoin = attempt;
    try {
      await loadPanelsChunk();
      await customElements.whenDefined('vinteo-session');
      // The session, upgraded, has its client; this element's link asks for it again as the session is defined.
      await (this.closest('vinteo-session') as ReactiveElement | null)?.updateComplete;
    } catch (error) {
      if (this.settlePendingJoin(attempt)) throw error;
      return false;
    }
    return this.settlePendingJoin(attempt);
  }

  /** Ends `attempt` if it is still the pending join: whether it was (not cancelled by Leave or removal meanwhile). */
  private settlePendingJoin(attempt: PendingJoin): boolean {
    const still = this.pendingJoin === attempt;
    if (still) this.pendingJoin = undefined;
    return still;
  }

  /**
   * Waits for the client's services when they are still on their way (the script-tag loader fetches
   * them from its chunk), shown as connecting meanwhile, so that the join that follows publishes its
   * call at once and the element claims it (see CallOwnership.claim): `undefined` when they are here,
   * else whether the join may go ahead (not when Leave or the element's removal cancelled it
   * meanwhile); a failure to load them rejects.
   */
  private servicesLoading(client: VinteoClient): Promise<boolean> | undefined {
    // A client of another copy of the script may predate loadServices(): its services are at hand.
    const loading = typeof client.loadServices === 'function' ? client.loadServices() : undefined;
    if (!loading) return undefined;
    // The signalling WebSocket opens while they load (a client of another copy may predate preconnect()).
    const attempt: PendingJoin = { closeSocket: this.conference && typeof client.preconnect === 'function' ? client.preconnect() : undefined };
    this.pendingJoin = attempt;
    return loading.then(
      () => this.settlePendingJoin(attempt),
      (error: unknown) => {
        if (this.settlePendingJoin(attempt)) throw VinteoError.from(error, 'connection-failed');
        return false;
      },
    );
  }

  /** Answers the ringing call; the call becomes this element's own. Failures become a `vinteo-error` event; never throws. */
  async answer(): Promise<void> {
    this.errors.clear();
    this.refusedBusy = false;
    const client = this.client;
    if (!client) {
      this.errors.show(VinteoError.invalidConfig(this.localized().noClient));
      return;
    }
    await this.run(client, (codecs) => this.ownership.claim(client, () => client.answer(codecs ? { codecs } : {})));
  }

  /** Declines the ringing call it shows (not one another element of the session is answering). */
  decline(): void {
    const client = this.client;
    const call = client?.getSnapshot().call;
    if (!client || !call || call.state !== 'ringing' || !this.ownership.shows(call)) return;
    // The element that declines shows the outcome (`ended`, declined).
    this.ownership.take(call);
    client.decline();
  }

  private async run(client: VinteoClient, operation: (codecs: CodecPreferences | undefined) => Promise<void>): Promise<void> {
    try {
      await operation(codecPreferences(this.preferredCodecs, this.excludeCodecs));
    } catch (error) {
      const failure = VinteoError.from(error);
      if (failure.reason === 'aborted') return;
      const call = client.getSnapshot().call;
      if (failure.reason === 'invalid-state' && callRunning(call) && !this.ownership.shows(call)) {
        // Another element's call runs in the session: the core refused, and that call goes on.
        this.refusedBusy = true;
        this.errors.report(failure);
      } else if (call.state === 'failed' && this.ownership.owns(call)) {
        // Shown from the call's snapshot.
        this.errors.report(failure);
      } else {
        this.errors.show(failure);
      }
    }
  }

  /**
   * Checks what the attributes say without connecting (what is missing is reported on Join): the own
   * client's options (`validateClientOptions`), the conference, the codec lists.
   */
  private checkAttributes(report: boolean): void {
    this.errors.check(() => {
      if (this.ownClient) validateClientOptions({ ...this.clientOptions, ...this.connectionOptions() });
      if (this.conference?.trim()) validateConference(this.conference);
      codecPreferences(this.preferredCodecs, this.excludeCodecs);
    }, report);
  }

  /** Hangs up or cancels joining its own call (never another element's call in the session). Never throws. */
  async leave(): Promise<void> {
    if (this.cancelPendingJoin()) return;
    const client = this.client;
    if (client && this.ownership.owns(client.getSnapshot().call)) await client.leave();
  }

  /**
   * A join still waiting for the services does not start, and the socket opened for it closes; whether
   * there was one.
   */
  private cancelPendingJoin(): boolean {
    const pending = this.pendingJoin;
    this.pendingJoin = undefined;
    pending?.closeSocket?.();
    return pending !== undefined;
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
    reflectCallAttributes(this, snapshot, call);
    // Reconnecting: the conference video's last frame, copied on the way in, lies under the overlay until a stream is back.
    this.lastFrame.update(view, this.remoteVideo, this.lastFrameCanvas);
    if (view !== 'reconnecting' || mainStream(call)) bindStream(this.remoteVideo, mainStream(call));
    bindStream(this.localVideo, call?.localStream);
    bindStream(this.contentVideo, contentStream(snapshot, call));
    bindStream(this.previewVideo, this.lobby.preview.stream);
    this.lobby.updated();
    bindSpeaker(this.remoteVideo, snapshot?.devices.speakerId, (error) => this.errors.show(error, 'media-unavailable'));
    this.overlays.updated(view);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // In a session the script-tag loader has yet to define, the join waits for it (shown as connecting).
    const autoJoinNow = this.autoJoin && !this.autoJoined && (this.client !== undefined || this.sessionOnItsWay());
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

  /** The client's current call if this element shows it (see {@link CallOwnership.shows}), else undefined. */
  private shownCall(): CallSnapshot | undefined {
    const call = this.controller.value?.call;
    return call && this.ownership.shows(call) ? call : undefined;
  }

  protected override render(): unknown {
    const labels = this.localized();
    const view = this.state;
    const call = this.shownCall();
    const error = this.errors.local ?? this.errors.config ?? call?.error ?? call?.warning;
    const errorText = view === 'busy' ? (this.refusedBusy ? labels.busyRefused : undefined) : error ? this.errorText(error) : undefined;
    const snapshot = this.controller.value;
    const screen = this.screen.render(snapshot, this.lobby.render(labels, view, snapshot), this.lobby.displayName(snapshot));
    return renderCall({ labels, view, snapshot, call, errorText, screen, overlays: this.overlays.render(labels, view, call, view === 'busy' ? errorText : error) }, this.actions);
  }
}
