import type { ReactiveControllerHost } from 'lit';
import type { VinteoClient } from '../../src/client.js';
import type { VinteoErrorReason } from '../../src/errors.js';
import { viewActive, type CallView } from '../../src/selectors.js';
import type { VinteoClientOptions, VinteoSnapshot } from '../../src/types.js';
import type { Labels } from '../shared/i18n.js';
import { LobbyController } from './lobby.js';
import type { LobbyActions, LobbyRenderState } from './lobby.templates.js';

/** What the lobby reads from `<vinteo-call>` (its public properties). */
export interface CallLobbyHost extends ReactiveControllerHost {
  readonly autoJoin: boolean;
  readonly rememberName: boolean;
  readonly displayName: string | undefined;
  readonly clientOptions: VinteoClientOptions;
  readonly client: VinteoClient | undefined;
  readonly state: CallView;
}

/** What the lobby asks of `<vinteo-call>` that is not public. */
export interface CallLobbyOptions {
  /** The client the element made itself (no session above), if any. */
  readonly ownClient: () => VinteoClient | undefined;
  /** Shows a refused action in the error part (and reports it). */
  readonly showError: (error: unknown, reason: VinteoErrorReason) => void;
  /** The lobby's microphone and camera toggles: the control bar's. */
  readonly microphone: () => void;
  readonly camera: () => void;
}

/**
 * The pre-join lobby of `<vinteo-call>`: when it shows, the name it asks for, the device lists (asked
 * for once it shows) and the camera preview ({@link LobbyController}, released when the lobby closes).
 *
 * @internal
 */
export class CallLobbyController {
  /** The camera preview (on a click only), the microphone level, the typed name. */
  readonly preview: LobbyController;
  /** The lobby has asked the client for the device lists. */
  private devicesListed = false;

  /** The element left the page for good: its own client stops following `devicechange`; lists again if it comes back. */
  released(own: { unwatchDevices(): void } | undefined): void {
    this.devicesListed = false;
    own?.unwatchDevices();
  }

  /** What the lobby's controls do. */
  readonly actions: LobbyActions = {
    preview: () => {
      if (this.preview.stream || this.preview.opening) this.preview.stop();
      else void this.preview.start(this.host.client);
    },
    name: (value: string) => {
      this.preview.name = value;
    },
    selectMicrophone: (deviceId: string) => void this.selectDevice('microphone', deviceId),
    selectCamera: (deviceId: string) => void this.selectDevice('camera', deviceId),
    microphone: () => this.options.microphone(),
    camera: () => this.options.camera(),
  };

  constructor(
    private readonly host: CallLobbyHost,
    private readonly options: CallLobbyOptions,
  ) {
    this.preview = new LobbyController(host, () => host.clientOptions.mediaProvider ?? host.clientOptions.deviceProvider);
  }

  /** Shows the lobby: not in a call, not joining at once, and no other element's call running. */
  shown(view: CallView): boolean {
    return !this.host.autoJoin && !viewActive(view) && view !== 'busy' && view !== 'ringing';
  }

  /** Ask for a name: a stand-alone element without `display-name`. */
  askName(): boolean {
    return this.options.ownClient() !== undefined && !this.host.displayName?.trim() && !this.host.clientOptions.displayName?.trim();
  }

  /**
   * The name on the camera-off tile: the one the conference sees (the client's connection: its own
   * `display-name`, a `<vinteo-session>`'s, or the credentials'), else `display-name`, the client options', or
   * the one typed in.
   */
  displayName(snapshot: VinteoSnapshot | undefined): string {
    const names = [snapshot?.connection.displayName, this.host.displayName, this.host.clientOptions.displayName, this.preview.name];
    return names.map((name) => name?.trim() ?? '').find((name) => name !== '') ?? '';
  }

  /** The lobby's state and actions while it shows, else undefined. */
  render(labels: Labels, view: CallView, snapshot: VinteoSnapshot | undefined): { readonly state: LobbyRenderState; readonly actions: LobbyActions } | undefined {
    if (!this.shown(view)) return undefined;
    return {
      state: {
        labels,
        previewing: this.preview.stream !== undefined,
        opening: this.preview.opening,
        level: this.preview.level,
        askName: this.askName(),
        name: this.preview.name,
        devices: snapshot?.devices,
        microphoneOn: snapshot?.call.microphoneEnabled ?? true,
        cameraOn: snapshot?.call.cameraEnabled ?? true,
        disabled: !this.host.client,
      },
      actions: this.actions,
    };
  }

  /** After each render: list the devices once the lobby shows (no permission needed); release the preview once it closes. */
  updated(): void {
    if (!this.shown(this.host.state)) {
      this.preview.stop();
      return;
    }
    if (this.host.rememberName) this.preview.restoreName();
    const client = this.host.client;
    if (client && !this.devicesListed) {
      this.devicesListed = true;
      client.watchDevices().catch(() => undefined);
    }
  }

  /** The name typed into the lobby becomes the display name of the own client (and is remembered with `remember-name`). */
  applyName(): void {
    if (!this.askName()) return;
    const name = this.preview.name.trim();
    if (!name) return;
    this.options.ownClient()?.configure({ displayName: name });
    if (this.host.rememberName) this.preview.rememberName();
  }

  private async selectDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    try {
      if (kind === 'camera') await client.selectCamera(deviceId);
      else await client.selectMicrophone(deviceId);
      // The preview follows the choice.
      if (this.preview.stream) await this.preview.start(client);
    } catch (error) {
      this.options.showError(error, 'media-unavailable');
    }
  }
}
