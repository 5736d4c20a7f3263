import { html, nothing, type TemplateResult } from 'lit';
import type { Caller, CallSnapshot } from '../../src/call/types.js';
import type { ModeratorRequest, RoomSnapshot } from '../../src/conference/types.js';
import { contentVisible, mainStream, viewEstablished, type CallView } from '../../src/selectors.js';
import type { VinteoSnapshot } from '../../src/types.js';
import { isolate } from '../shared/bidi.js';
import type { Labels } from '../shared/i18n.js';
import { NO_OVERLAYS, roomNotices, type CallOverlays } from './overlays.templates.js';
import { renderControls, type ControlsActions } from './controls.templates.js';
import { renderLobby, renderPreview, type LobbyActions, type LobbyRenderState } from './lobby.templates.js';

/** What `<vinteo-call>` renders: the labels in use, its view and the call it shows (see `VinteoCall`). */
export interface CallRenderState {
  readonly labels: Labels;
  readonly view: CallView;
  readonly snapshot: VinteoSnapshot | undefined;
  /** The call the element shows (its own, or one that rings), else undefined. */
  readonly call: CallSnapshot | undefined;
  /** The error line, already in the element's language; undefined for none. */
  readonly errorText: string | undefined;
  /** The states, the error part and the live region (see `overlays.templates.ts`); left out: the plain error line. */
  readonly overlays?: CallOverlays | undefined;
  /** The lobby, the control bar's extra buttons and the camera-off tile (see `VinteoCall`); left out: none. */
  readonly screen?: CallScreen | undefined;
}

/** The pre-join lobby (before Join), share screen, full screen and the camera-off tile. */
export interface CallScreen {
  /** The lobby while it shows (not in a call, no `auto-join`). */
  readonly lobby: { readonly state: LobbyRenderState; readonly actions: LobbyActions } | undefined;
  readonly sharing: 'off' | 'on' | 'changing' | undefined;
  readonly fullscreen: boolean | undefined;
  readonly actions: Pick<ControlsActions, 'share' | 'fullscreen'>;
  /** The initials shown instead of a black frame when the own camera is off. */
  readonly initials: string;
  /** The own display name, under the initials on that tile (may be empty). */
  readonly name: string;
}

/** What the buttons do. */
export interface CallActions {
  readonly join: () => void;
  readonly answer: () => void;
  readonly decline: () => void;
  readonly microphone: () => void;
  readonly camera: () => void;
  readonly acceptRequest: () => void;
  readonly declineRequest: () => void;
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

const ENDED: Partial<Record<NonNullable<CallSnapshot['endReason']>, keyof Labels>> = {
  'remote-hangup': 'endedRemote',
  'connection-lost': 'endedConnectionLost',
  cancelled: 'endedCancelled',
  declined: 'endedDeclined',
  missed: 'endedMissed',
};

const STATUS: Record<Exclude<CallView, 'calling' | 'reconnecting' | 'ended'>, keyof Labels> = {
  idle: 'statusIdle',
  busy: 'statusBusy',
  connecting: 'statusConnecting',
  waiting: 'statusWaiting',
  ringing: 'statusRinging',
  'in-call': 'statusInCall',
  failed: 'statusFailed',
};

/** The status line for a view. */
function statusText(labels: Labels, view: CallView, snapshot: VinteoSnapshot | undefined): string {
  switch (view) {
    case 'calling':
      return snapshot?.call.phase === 'media' ? labels.statusMedia : labels.statusCalling;
    case 'reconnecting': {
      const attempt = snapshot?.reconnect?.attempt;
      return attempt ? `${labels.statusReconnecting} (${labels.reconnectAttempt} ${attempt})` : labels.statusReconnecting;
    }
    case 'ended': {
      const reason = snapshot?.call.endReason;
      return labels[(reason && ENDED[reason]) ?? 'endedLocal'];
    }
    default:
      return labels[STATUS[view]];
  }
}

/** The whole element. */
export function renderCall(state: CallRenderState, actions: CallActions): TemplateResult {
  const { labels, view, snapshot, call, errorText } = state;
  // Another element's call is not shown: no videos, room, notices or its errors here.
  const room = call ? snapshot?.room : undefined;
  const busy = view === 'busy';
  // Without a call the toggles set the next call's microphone and camera (the client's settings).
  const microphoneOn = snapshot?.call.microphoneEnabled ?? true;
  const cameraOn = snapshot?.call.cameraEnabled ?? true;
  const canSend = !busy && !call?.receiveOnly && room?.role !== 'spectator';
  const content = contentVisible(snapshot, call);
  const overlays = state.overlays ?? NO_OVERLAYS;
  const screen = state.screen;
  const lobby = screen?.lobby;
  // The videos have no controls: tabindex -1 keeps them out of the Tab order (Firefox puts a <video> with
  // sound in it otherwise, where Space would pause the call's picture).
  return html`
    <div part="base" class="base ${lobby ? 'in-lobby' : ''}">
      <div class="screen">
      <div part="stage" class="stage ${content ? 'with-content' : ''}">
        <video part="content-video" class="content" tabindex="-1" aria-label=${labels.othersContent} autoplay playsinline muted ?hidden=${!content}></video>
        <video part="remote-video" class="remote" tabindex="-1" aria-label=${labels.remoteVideo} autoplay playsinline ?hidden=${!mainStream(call) && view !== 'reconnecting'}></video>
        <canvas part="last-frame" class="last-frame" aria-hidden="true" ?hidden=${view !== 'reconnecting'}></canvas>
        <video part="local-video" class="local" tabindex="-1" aria-label=${labels.localVideo} autoplay playsinline muted ?hidden=${!call?.localStream}></video>
        ${call?.localStream && !cameraOn && screen
          ? html`<div part="camera-off-tile" class="local tile" role="img" aria-label=${screen.name ? `${labels.cameraOff}: ${screen.name}` : labels.cameraOff}>
              <span class="initials" aria-hidden="true">${screen.initials}</span>${screen.name ? html`<span part="camera-off-name" class="tile-name" aria-hidden="true">${isolate(screen.name)}</span>` : nothing}
            </div>`
          : nothing}
        ${lobby ? renderPreview(lobby.state, lobby.actions) : nothing}
        ${room?.name && room.access !== 'waiting' && viewEstablished(view) ? html`<div part="room-name" class="room">${labels.room}: ${isolate(room.name)}</div>` : nothing}
        ${viewEstablished(view) ? renderVideoRecovery(labels, call) : nothing}
        ${overlays.stage}
      </div>
      ${renderControls(
        {
          labels,
          view,
          microphoneOn,
          cameraOn,
          canSend,
          inLobby: lobby !== undefined,
          sharing: screen?.sharing,
          fullscreen: screen?.fullscreen,
        },
        { join: actions.join, microphone: actions.microphone, camera: actions.camera, share: screen?.actions.share ?? noop, fullscreen: screen?.actions.fullscreen ?? noop },
      )}
      </div>
      ${lobby ? renderLobby(lobby.state, lobby.actions) : nothing}
      <p part="status" class="status" role="status" aria-live="polite">${statusText(labels, view, snapshot)}</p>
      ${overlays.notices}${overlays.announcer}
      ${view === 'waiting' && call?.waitingSince !== undefined
        ? html`<p part="waiting" class="notice">
            <span part="waiting-spinner" class="spinner" aria-hidden="true"></span>${labels.statusWaiting}:
            <time part="waiting-time">${formatElapsed(Date.now() - call.waitingSince)}</time>
          </p>`
        : nothing}
      ${view === 'in-call' && room?.access === 'pending' ? html`<p part="access-pending" class="notice">${labels.accessPending}</p>` : nothing}
      ${view === 'ringing' && call?.caller ? renderIncoming(labels, call.caller, actions) : nothing}
      ${view === 'in-call' && room ? renderNotices(labels, room, call?.receiveOnly ?? false, actions) : nothing}
      ${state.overlays ? overlays.error : errorText ? html`<p part="error" class="error" role="alert">${isolate(errorText)}</p>` : nothing}
    </div>
  `;
}

/**
 * Over the conference video while it is being restored (`call.videoRecovery`): a spinner and "Restoring
 * video…". The live region stays in place (empty) for the whole call, so that its text is announced.
 */
function renderVideoRecovery(labels: Labels, call: CallSnapshot | undefined): TemplateResult {
  const recovering = call?.videoRecovery !== undefined;
  return html`<p part="video-recovery" class="video-recovery" role="status" aria-live="polite">${recovering
    ? html`<span class="spinner" aria-hidden="true"></span>${labels.restoringVideo}`
    : nothing}</p>`;
}

const noop = (): void => undefined;

function renderIncoming(labels: Labels, caller: Caller, actions: CallActions): TemplateResult {
  const name = caller.name || caller.number;
  return html`
    <div part="caller" class="notice" role="group" aria-label=${labels.incomingCall}>
      <p part="caller-text">
        ${labels.incomingCall}: <strong part="caller-name">${isolate(name)}</strong>${caller.name && caller.number
          ? html` (${isolate(caller.number)})`
          : nothing}
      </p>
      <button part="answer-button" class="join" type="button" @click=${actions.answer}>${labels.answer}</button>
      <button part="decline-button" class="join leave" type="button" @click=${actions.decline}>${labels.decline}</button>
    </div>
  `;
}

function renderNotices(labels: Labels, room: RoomSnapshot, receiveOnly: boolean, actions: CallActions): TemplateResult {
  const request = room.pendingRequest;
  const notices = roomNotices(labels, room, receiveOnly);
  return html`
    ${notices.length > 0 ? html`<p part="notice" class="notice">${notices.join(' ')}</p>` : nothing}
    ${request
      ? html`<div part="moderator-request" class="notice" role="alertdialog" aria-label=${requestText(labels, request)}>
          <p part="moderator-request-text">${requestText(labels, request)}</p>
          <button part="moderator-accept-button" class="join" type="button" @click=${actions.acceptRequest}>${labels.accept}</button>
          <button part="moderator-decline-button" type="button" @click=${actions.declineRequest}>${labels.decline}</button>
        </div>`
      : nothing}
  `;
}
