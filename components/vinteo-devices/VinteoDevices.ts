import { html, LitElement, nothing, type TemplateResult, type PropertyValues } from 'lit';
import { queryAll, state } from 'lit/decorators.js';
import type { VinteoClient } from '../../src/client.js';
import { VinteoError } from '../../src/errors.js';
import { logger } from '../../src/logger.js';
import { ClientController } from '../shared/client-controller.js';
import { ErrorController } from '../shared/error-controller.js';
import { VinteoDeviceChangeEvent } from '../shared/events.js';
import type { Labels } from '../shared/i18n.js';
import { Localized } from '../shared/localized.js';
import { LinkedClient } from '../shared/linked-client.js';
import { isolate } from '../shared/bidi.js';
import { styles } from './vinteo-devices.styles.js';
import type { DeviceOption, DevicesSnapshot } from '../../src/devices/types.js';
import { addPanelLabels } from '../shared/i18n/panel-labels.js';

// This element's labels travel with it, not in the script tag's loader (see panel-labels.ts).
addPanelLabels();

/** The kinds of device the element chooses. */
export type VinteoDeviceKind = 'camera' | 'microphone' | 'speaker';

const KINDS: readonly VinteoDeviceKind[] = ['camera', 'microphone', 'speaker'];

/**
 * Camera, microphone and speaker choice for Vinteo calls.
 *
 * The client comes from an enclosing `<vinteo-session>`, or from the element named by `for`
 * (the id of a `<vinteo-call>` in the same document or shadow root), or from the `client` property.
 * Once linked, it lists the devices (`client.watchDevices()`) and follows `devicechange`. A choice
 * applies to the next call, and in a running call replaces the sent track without a new call.
 * The chosen speaker is published as `client.getSnapshot().devices.speakerId` for the elements
 * that play sound; where the browser cannot choose the speaker the speaker list is disabled and
 * says so.
 *
 * Labels are English or Russian, from `lang` (the element's, else the nearest ancestor's, else the
 * document's; `ru*` is Russian). Each label can be overridden by a `label-*` attribute (the key in kebab
 * case: `label-speaker="Колонки"`) or the `labels` property (`{ speaker: 'Колонки' }`, which wins).
 *
 * @summary Chooses the camera, microphone and speaker of a Vinteo call.
 *
 * @attr for - The id of the `<vinteo-call>` (or `<vinteo-session>`) whose client to use, in the same document or shadow root.
 * @attr {'light' | 'dark'} theme - `light` or `dark`; without it the element follows the system setting (`prefers-color-scheme`).
 *
 * @prop {string | undefined} htmlFor - The `for` attribute.
 * @prop {VinteoClient | undefined} client - The client in use. Setting it from script overrides `for` and the session.
 * @prop {Partial<Labels> | undefined} labels - Overrides of labels by key, e.g. `{ speaker: 'Колонки' }`; wins over `label-*` attributes.
 *
 * @fires {VinteoDeviceChangeEvent} vinteo-device-change - A device was chosen and is in use; `detail` is `{ kind, deviceId }`.
 * @fires {VinteoErrorEvent} vinteo-error - A device could not be switched (e.g. `media-permission-denied`, `media-unavailable`); also shown in the `error` part.
 *
 * @csspart base - The wrapper of everything.
 * @csspart hint - Why the element is disabled (not linked to a client).
 * @csspart field - Each label and list pair.
 * @csspart label - Each list's label.
 * @csspart camera-select - The camera list.
 * @csspart microphone-select - The microphone list.
 * @csspart speaker-select - The speaker list (disabled where the browser cannot choose the speaker).
 * @csspart speaker-hint - Why the speaker list is disabled.
 * @csspart error - The error message (`role="alert"`).
 *
 * @cssprop --vinteo-color-background - Element background.
 * @cssprop --vinteo-color-surface - Panels.
 * @cssprop --vinteo-color-text - Text colour.
 * @cssprop --vinteo-color-text-muted - Labels, hints and borders.
 * @cssprop --vinteo-color-danger - Errors.
 * @cssprop --vinteo-color-focus - Focus ring.
 * @cssprop --vinteo-radius - Corner radius.
 * @cssprop --vinteo-space - Base spacing.
 * @cssprop --vinteo-font-family - Font.
 * @cssprop --vinteo-font-size - Base font size (default `1rem`).
 */
export class VinteoDevices extends LinkedClient(Localized(LitElement)) {
  static override styles = styles;


  /** The last failed switch (`local`), shown in the `error` part until the next successful one. */
  private readonly errors = new ErrorController(this);

  /** The kind being switched, if any (its list is marked busy). */
  @state() private switching: VinteoDeviceKind | undefined;

  @queryAll('select') private selects!: NodeListOf<HTMLSelectElement>;

  private readonly devices = new ClientController(this, (s) => s.devices);
  /** The call's local stream: the device in use when none was chosen, and a re-list once media access is granted. */
  private readonly localStream = new ClientController(this, (s) => s.call.localStream);
  /** The client in use (the `LinkedClient` accessor; declared here for the analyzers). */
  declare client: VinteoClient | undefined;

  /** @internal */
  override linkedClientChanged(client: VinteoClient | undefined): void {
    this.linked(client);
  }
  /** Switches run one after another: the core does not serialize them. */
  private queue: Promise<void> = Promise.resolve();
  private hadStream = false;


  /**
   * Chooses a device, as picking it from a list does: the client switches, then
   * `vinteo-device-change` fires. Never rejects: a failure becomes a `vinteo-error` event and a
   * visible message. Resolves to whether the device is now in use.
   */
  selectDevice(kind: VinteoDeviceKind, deviceId: string): Promise<boolean> {
    const run = this.queue.then(() => this.switchTo(kind, deviceId));
    this.queue = run.then(() => undefined);
    return run;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // The browser lists real device names and ids only once the page may use them: list again
    // when a call has opened the camera and microphone.
    const hasStream = this.localStream.value !== undefined;
    if (hasStream && !this.hadStream) this.watch();
    this.hadStream = hasStream;
  }

  protected override updated(): void {
    // Keep each list on the device in use, also after a refused switch the user picked.
    const snapshot = this.devices.value;
    for (const select of this.selects) {
      const kind = select.dataset['kind'] as VinteoDeviceKind;
      const current = snapshot ? this.current(kind, snapshot) : undefined;
      if (current !== undefined && select.value !== current) select.value = current;
    }
  }

  private linked(client: VinteoClient | undefined): void {
    this.devices.setClient(client);
    this.localStream.setClient(client);
    this.errors.clear();
    if (client) this.watch();
  }

  private watch(): void {
    this.client?.watchDevices().catch((error: unknown) => logger.warn('listing devices failed', error));
  }

  private async switchTo(kind: VinteoDeviceKind, deviceId: string): Promise<boolean> {
    const client = this.client;
    this.switching = kind;
    try {
      if (!client) throw VinteoError.invalidState('choose a device', 'not linked to a call');
      if (kind === 'camera') await client.selectCamera(deviceId);
      else if (kind === 'microphone') await client.selectMicrophone(deviceId);
      else client.selectSpeaker(deviceId);
    } catch (error) {
      this.errors.show(error, 'media-unavailable');
      return false;
    } finally {
      this.switching = undefined;
    }
    this.errors.clear();
    this.dispatchEvent(new VinteoDeviceChangeEvent({ kind, deviceId }));
    return true;
  }

  private list(kind: VinteoDeviceKind, snapshot: DevicesSnapshot): readonly DeviceOption[] {
    return kind === 'camera' ? snapshot.cameras : kind === 'microphone' ? snapshot.microphones : snapshot.speakers;
  }

  /** The device in use: the one chosen, else the one the call's track comes from, else the first (the default). */
  private current(kind: VinteoDeviceKind, snapshot: DevicesSnapshot): string | undefined {
    const list = this.list(kind, snapshot);
    const chosen = kind === 'camera' ? snapshot.cameraId : kind === 'microphone' ? snapshot.microphoneId : snapshot.speakerId;
    if (chosen !== undefined && list.some((d) => d.deviceId === chosen)) return chosen;
    const stream = this.localStream.value;
    if (stream && kind !== 'speaker') {
      const track = kind === 'camera' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
      const inUse = track?.getSettings().deviceId;
      if (inUse && list.some((d) => d.deviceId === inUse)) return inUse;
    }
    return list[0]?.deviceId;
  }

  protected override render(): unknown {
    const labels = this.localized();
    const client = this.client;
    return html`
      <div part="base" class="base" role="group" aria-label=${labels.devices}>
        ${client ? nothing : html`<p part="hint" id="hint" class="hint">${labels.notLinked}</p>`}
        ${KINDS.map((kind) => this.renderField(kind, labels))}
        ${this.errors.local ? html`<p part="error" class="error" role="alert">${isolate(this.errorText(this.errors.local))}</p>` : nothing}
      </div>
    `;
  }

  private renderField(kind: VinteoDeviceKind, labels: Labels): TemplateResult {
    const snapshot = this.devices.value;
    const list = snapshot ? this.list(kind, snapshot) : [];
    const current = snapshot ? this.current(kind, snapshot) : undefined;
    const unsupported = kind === 'speaker' && snapshot !== undefined && !snapshot.speakerSelectionSupported;
    const disabled = !snapshot || list.length === 0 || unsupported;
    const name = kind === 'camera' ? labels.camera : kind === 'microphone' ? labels.microphone : labels.speaker;
    const numbered = kind === 'camera' ? labels.cameraNumbered : kind === 'microphone' ? labels.microphoneNumbered : labels.speakerNumbered;
    const none = kind === 'camera' ? labels.noCamera : kind === 'microphone' ? labels.noMicrophone : labels.noSpeaker;
    const describedBy = !snapshot ? 'hint' : unsupported ? 'speaker-hint' : undefined;
    return html`
      <div part="field" class="field">
        <label part="label" for=${`${kind}-select`}>${name}</label>
        <select
          part=${`${kind}-select`}
          id=${`${kind}-select`}
          data-kind=${kind}
          aria-describedby=${describedBy ?? nothing}
          aria-busy=${this.switching === kind ? 'true' : 'false'}
          ?disabled=${disabled}
          @change=${this.onChange}
        >
          ${list.length === 0
            ? html`<option value="">${none}</option>`
            : list.map(
                (device, index) =>
                  html`<option value=${device.deviceId} ?selected=${device.deviceId === current}>
                    ${device.label || numbered.replace('{n}', String(index + 1))}
                  </option>`,
              )}
        </select>
        ${unsupported ? html`<p part="speaker-hint" id="speaker-hint" class="hint">${labels.speakerUnsupported}</p>` : nothing}
      </div>
    `;
  }

  private onChange(event: Event): void {
    const select = event.currentTarget as HTMLSelectElement;
    void this.selectDevice(select.dataset['kind'] as VinteoDeviceKind, select.value);
  }
}
