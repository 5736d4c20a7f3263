import { html, nothing, type TemplateResult } from 'lit';
import { viewActive, viewEstablished, type CallView } from '../../src/selectors.js';
import type { Labels } from '../shared/i18n.js';
import { icon, type IconName } from '../shared/icons.js';

/** What the control bar shows (see `VinteoCall`). */
export interface ControlsRenderState {
  readonly labels: Labels;
  readonly view: CallView;
  readonly microphoneOn: boolean;
  readonly cameraOn: boolean;
  /** Microphone and camera may be sent (not busy, not receive-only, not a spectator). */
  readonly canSend: boolean;
  /** The lobby shows the microphone and camera toggles itself. */
  readonly inLobby: boolean;
  /**
   * The browser can share a screen (`getDisplayMedia`); undefined hides the button. While `changing` (starting
   * or stopping) the button is `aria-disabled`, not `disabled`: it keeps keyboard focus, so that a second
   * Enter cannot land on the next button (Leave).
   */
  readonly sharing: 'off' | 'on' | 'changing' | undefined;
  /** Full screen is possible (`requestFullscreen`); undefined hides the button. */
  readonly fullscreen: boolean | undefined;
}

/** What the bar's buttons do. */
export interface ControlsActions {
  readonly join: () => void;
  readonly microphone: () => void;
  readonly camera: () => void;
  readonly share: () => void;
  readonly fullscreen: () => void;
}

/**
 * The control bar: icon buttons with visible labels (at phone width the label shows as a tooltip on hover
 * and keyboard focus, and stays the button's accessible name). The toggles' `aria-pressed` says what is sent; off also gets a
 * crossed icon and the `off` class (the danger colour).
 */
export function renderControls(state: ControlsRenderState, actions: ControlsActions): TemplateResult {
  const { labels, view } = state;
  const busy = view === 'busy';
  const active = viewActive(view);
  const established = viewEstablished(view);
  const joinLabel = established ? labels.leave : active ? labels.cancel : labels.join;
  return html`
    <div part="controls" class="controls ${state.inLobby ? '' : 'overlay'} ${established ? 'fades' : ''}" role="group" aria-label=${labels.controls}>
      ${state.inLobby
        ? nothing
        : html`${toggle('microphone-button', state.microphoneOn ? 'microphone' : 'microphone-off', labels.microphone, state.microphoneOn, !state.canSend, actions.microphone)}
          ${toggle('camera-button', state.cameraOn ? 'camera' : 'camera-off', labels.camera, state.cameraOn, !state.canSend, actions.camera)}`}
      ${state.fullscreen !== undefined && active
        ? html`<button part="fullscreen-button" class="control" type="button" @click=${actions.fullscreen}>
            ${icon(state.fullscreen ? 'fullscreen-exit' : 'fullscreen')}<span class="label">${state.fullscreen ? labels.exitFullScreen : labels.fullScreen}</span>
          </button>`
        : nothing}
      ${state.sharing !== undefined && established
        ? html`<button
            part="share-button"
            class="control ${state.sharing === 'on' ? 'active' : ''}"
            type="button"
            ?disabled=${!state.canSend}
            aria-disabled=${state.sharing === 'changing' ? 'true' : 'false'}
            @click=${() => {
              if (state.sharing !== 'changing') actions.share();
            }}
          >
            ${icon(state.sharing === 'on' ? 'screen-off' : 'screen')}<span class="label">${state.sharing === 'on' ? labels.stopSharing : labels.shareScreen}</span>
          </button>`
        : nothing}
      ${view === 'ringing'
        ? nothing
        : html`<button part=${active ? 'join-button leave-button' : 'join-button'} class="control join ${active ? 'leave' : ''}" type="button" ?disabled=${busy} @click=${actions.join}>
            ${icon(active ? 'leave' : 'join')}<span class="label">${joinLabel}</span>
          </button>`}
    </div>
  `;
}

/** A toggle: its label is its name (a tooltip at phone width, no `title` to show twice); `aria-pressed` its state. */
function toggle(part: string, iconName: IconName, label: string, on: boolean, disabled: boolean, click: () => void): TemplateResult {
  return html`<button part=${part} class="control toggle ${on ? 'on' : 'off'}" type="button" aria-pressed=${on ? 'true' : 'false'} ?disabled=${disabled} @click=${click}>
    ${icon(iconName)}<span class="label">${label}</span>
  </button>`;
}
