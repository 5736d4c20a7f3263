import { html, nothing, type TemplateResult } from 'lit';
import type { DeviceOption, DevicesSnapshot } from '../../src/devices/types.js';
import type { Labels } from '../shared/i18n.js';
import { icon } from '../shared/icons.js';

/** What the pre-join lobby shows (see `LobbyController` and `VinteoCall`). */
export interface LobbyRenderState {
  readonly labels: Labels;
  /** The preview's stream while it runs. */
  readonly previewing: boolean;
  readonly opening: boolean;
  /** The microphone level, 0…1. */
  readonly level: number;
  /** Show the name field (no `display-name` given). */
  readonly askName: boolean;
  readonly name: string;
  readonly devices: DevicesSnapshot | undefined;
  readonly microphoneOn: boolean;
  readonly cameraOn: boolean;
  /** The microphone and camera cannot be changed now (another element's call runs). */
  readonly disabled: boolean;
}

/** What the lobby's controls do. */
export interface LobbyActions {
  readonly preview: () => void;
  readonly name: (value: string) => void;
  readonly selectMicrophone: (deviceId: string) => void;
  readonly selectCamera: (deviceId: string) => void;
  readonly microphone: () => void;
  readonly camera: () => void;
}

/** The preview inside the stage (before Join): the video, or a button that opens it. */
export function renderPreview(state: LobbyRenderState, actions: LobbyActions): TemplateResult {
  const { labels, previewing, opening } = state;
  return html`
    <video part="preview-video" class="preview" tabindex="-1" aria-label=${labels.previewVideo} autoplay playsinline muted ?hidden=${!previewing}></video>
    <button
      part="preview-button"
      class="preview-button ${previewing ? 'previewing' : ''}"
      type="button"
      aria-pressed=${previewing ? 'true' : 'false'}
      aria-busy=${opening ? 'true' : 'false'}
      ?disabled=${state.disabled}
      @click=${actions.preview}
    >
      ${icon('preview')}<span class="label">${previewing ? labels.stopPreview : labels.previewCamera}</span>
    </button>
  `;
}

/** The lobby's form: name, device choice with the microphone level, and whether to join with microphone and camera on. */
export function renderLobby(state: LobbyRenderState, actions: LobbyActions): TemplateResult {
  const { labels, devices } = state;
  // The name field's every `input` sets `state.name`, so its `.value` binding never falls behind what was typed.
  return html`
    <section part="lobby" class="lobby" aria-label=${labels.lobby}>
      ${state.askName
        ? html`<div class="field">
            <label for="name-input">${labels.yourName}</label>
            <input
              part="name-input"
              id="name-input"
              type="text"
              autocomplete="name"
              maxlength="64"
              .value=${state.name}
              @input=${(event: Event) => actions.name((event.target as HTMLInputElement).value)}
            />
          </div>`
        : nothing}
      <div class="field">
        <label for="microphone-select">${labels.microphone}</label>
        ${deviceSelect('microphone-select', devices?.microphones ?? [], devices?.microphoneId, labels.microphoneNumbered, labels.noMicrophone, state.disabled, actions.selectMicrophone)}
        <meter part="mic-level" class="mic-level" min="0" max="1" low="0.6" high="0.9" optimum="0.3" .value=${state.level} aria-label=${labels.microphoneLevel}></meter>
      </div>
      <div class="field">
        <label for="camera-select">${labels.camera}</label>
        ${deviceSelect('camera-select', devices?.cameras ?? [], devices?.cameraId, labels.cameraNumbered, labels.noCamera, state.disabled, actions.selectCamera)}
      </div>
      <div class="lobby-toggles" role="group" aria-label=${labels.controls}>
        ${lobbyToggle('lobby-microphone-toggle microphone-button', state.microphoneOn ? 'microphone' : 'microphone-off', labels.joinWithMicrophone, state.microphoneOn ? labels.microphoneOn : labels.microphoneOff, state.microphoneOn, state.disabled, actions.microphone)}
        ${lobbyToggle('lobby-camera-toggle camera-button', state.cameraOn ? 'camera' : 'camera-off', labels.joinWithCamera, state.cameraOn ? labels.cameraOn : labels.cameraOff, state.cameraOn, state.disabled, actions.camera)}
      </div>
    </section>
  `;
}

function deviceSelect(
  part: string,
  list: readonly DeviceOption[],
  chosen: string | undefined,
  numbered: string,
  none: string,
  disabled: boolean,
  change: (deviceId: string) => void,
): TemplateResult {
  return html`<select part=${part} id=${part} ?disabled=${disabled || list.length === 0} @change=${(event: Event) => change((event.target as HTMLSelectElement).value)}>
    ${list.length === 0
      ? html`<option value="">${none}</option>`
      : list.map(
          (device, index) =>
            html`<option value=${device.deviceId} ?selected=${device.deviceId === (chosen ?? list[0]?.deviceId)}>${device.label || numbered.replace('{n}', String(index + 1))}</option>`,
        )}
  </select>`;
}

function lobbyToggle(
  part: string,
  iconName: 'microphone' | 'microphone-off' | 'camera' | 'camera-off',
  label: string,
  title: string,
  on: boolean,
  disabled: boolean,
  click: () => void,
): TemplateResult {
  return html`<button part=${part} class="toggle ${on ? 'on' : 'off'}" type="button" aria-pressed=${on ? 'true' : 'false'} title=${title} ?disabled=${disabled} @click=${click}>
    ${icon(iconName)}<span class="label">${label}</span>
  </button>`;
}
