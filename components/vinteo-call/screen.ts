import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VinteoClient } from '../../src/client.js';
import { VinteoError, type VinteoErrorReason } from '../../src/errors.js';
import { viewActive, type CallView } from '../../src/selectors.js';
import type { VinteoSnapshot } from '../../src/types.js';
import type { CallScreen } from './vinteo-call.templates.js';

/** What the screen reads from `<vinteo-call>`. */
export interface ScreenHost extends ReactiveControllerHost, HTMLElement {
  readonly client: VinteoClient | undefined;
  readonly state: CallView;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Share screen and full screen of `<vinteo-call>`: the stage (videos and the control bar) full screen on
 * the button or a double-click on a video in a call (Escape leaves), and sharing the screen through the
 * client's presentation, as `<vinteo-presentation>` does.
 *
 * @internal
 */
export class ScreenController implements ReactiveController {
  /** The stage is shown full screen. */
  private fullscreen = false;

  private readonly actions: CallScreen['actions'] = {
    share: () => void this.onShareClick(),
    fullscreen: () => this.toggleFullscreen(),
  };

  constructor(
    private readonly host: ScreenHost,
    /** Shows a refused action in the error part (and reports it). */
    private readonly showError: (error: unknown, reason?: VinteoErrorReason) => void,
  ) {
    host.addController(this);
  }

  private get screenElement(): HTMLElement | null {
    return this.host.renderRoot.querySelector('.screen');
  }

  private readonly onFullscreenChange = (): void => {
    const fullscreen = this.screenElement !== null && this.host.shadowRoot?.fullscreenElement === this.screenElement;
    if (fullscreen === this.fullscreen) return;
    this.fullscreen = fullscreen;
    this.host.requestUpdate();
  };

  private readonly onDoubleClick = (event: Event): void => {
    const target = event.composedPath()[0];
    if (target instanceof HTMLVideoElement && target.closest('.stage') && viewActive(this.host.state)) this.toggleFullscreen();
  };

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
    this.host.renderRoot.addEventListener('dblclick', this.onDoubleClick);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    this.host.renderRoot.removeEventListener('dblclick', this.onDoubleClick);
  }

  /** The lobby (given), the share and full screen buttons and the camera-off tile's `name` and its initials. */
  render(snapshot: VinteoSnapshot | undefined, lobby: CallScreen['lobby'], name: string): CallScreen {
    const presentation = snapshot?.presentation.state;
    const canShare = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
    return {
      lobby,
      sharing: !canShare ? undefined : presentation === 'active' ? 'on' : presentation === 'starting' || presentation === 'stopping' || presentation === 'updating' ? 'changing' : 'off',
      fullscreen: typeof HTMLElement.prototype.requestFullscreen === 'function' ? this.fullscreen : undefined,
      actions: this.actions,
      initials: initials(name) || '?',
      name: name.trim(),
    };
  }

  /** Starts or stops sharing the screen through the client's presentation, as `<vinteo-presentation>` does. */
  private async onShareClick(): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    try {
      if (client.getSnapshot().presentation.state === 'active') await client.stopPresentation();
      else await client.startPresentation();
    } catch (error) {
      const failure = VinteoError.from(error, 'presentation-failed');
      if (failure.reason !== 'aborted') this.showError(failure);
    }
  }

  /** Shows the stage (videos and the control bar) full screen, or leaves full screen. Escape leaves too. */
  private toggleFullscreen(): void {
    const screen = this.screenElement;
    if (!screen) return;
    if (this.host.shadowRoot?.fullscreenElement === screen) {
      document.exitFullscreen().catch(() => undefined);
    } else {
      screen.requestFullscreen().catch((error: unknown) => this.showError(error, 'invalid-state'));
    }
  }
}

/** `Anna Maria Petrova` → `AM`; the first letters of the first two words. */
function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]!.toUpperCase())
    .join('');
}
