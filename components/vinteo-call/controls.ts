import type { VinteoClient } from '../../src/client.js';
import type { VinteoErrorReason } from '../../src/errors.js';
import { viewActive, type CallView } from '../../src/selectors.js';
import type { CallActions } from './vinteo-call.templates.js';

/** What the controls read from `<vinteo-call>`. */
export interface ControlsHost {
  readonly client: VinteoClient | undefined;
  readonly state: CallView;
  join(): Promise<void>;
  leave(): Promise<void>;
}

/** Join or Leave, the microphone and camera toggles and the answers to a moderator's request. */
export type ControlActions = Pick<CallActions, 'join' | 'microphone' | 'camera' | 'acceptRequest' | 'declineRequest'>;

/**
 * What the buttons other than Answer and Decline do on the element's client: Join (Leave in a call or
 * while joining; nothing while `busy`), the microphone and camera toggles (the control bar's and the
 * lobby's; nothing without a client or while another element's call runs) and the answers to a
 * moderator's request. A refused action is shown by `showError`.
 *
 * @internal
 */
export function controlActions(host: ControlsHost, showError: (error: unknown, reason: VinteoErrorReason) => void): ControlActions {
  return {
    join: () => {
      const view = host.state;
      if (view === 'busy') return;
      if (viewActive(view)) void host.leave();
      else void host.join();
    },
    microphone: () => {
      const client = host.client;
      if (!client || host.state === 'busy') return;
      client.setMicrophoneEnabled(!client.getSnapshot().call.microphoneEnabled);
    },
    camera: () => {
      const client = host.client;
      if (!client || host.state === 'busy') return;
      try {
        client.setCameraEnabled(!client.getSnapshot().call.cameraEnabled);
      } catch (error) {
        showError(error, 'media-unavailable');
      }
    },
    acceptRequest: () => {
      try {
        host.client?.acceptModeratorRequest();
      } catch (error) {
        showError(error, 'invalid-state');
      }
    },
    declineRequest: () => {
      host.client?.declineModeratorRequest().catch((error: unknown) => showError(error, 'protocol-error'));
    },
  };
}
