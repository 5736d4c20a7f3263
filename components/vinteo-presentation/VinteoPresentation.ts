import { html, LitElement, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { VinteoClient } from '../../src/client.js';
import type { VinteoSnapshot } from '../../src/types.js';
import { VinteoError } from '../../src/errors.js';
import { parseResolution } from '../../src/protocol/resolution.js';
import { contentStream, contentVisible, inCall, sharing } from '../../src/selectors.js';
import { ClientController } from '../shared/client-controller.js';
import { PRESENTATION_EVENTS, redispatch } from '../shared/dom-events.js';
import { ErrorController } from '../shared/error-controller.js';
import { bindStream } from '../shared/media.js';
import type { Labels } from '../shared/i18n.js';
import { Localized } from '../shared/localized.js';
import { LinkedClient } from '../shared/linked-client.js';
import { isolate } from '../shared/bidi.js';
import { styles } from './vinteo-presentation.styles.js';
import type { ContentHint, PresentationOptions } from '../../src/presentation/types.js';
import { addPanelLabels } from '../shared/i18n/panel-labels.js';

// This element's labels travel with it, not in the script tag's loader (see panel-labels.ts).
addPanelLabels();

const CONTENT_HINTS: readonly ContentHint[] = ['detail', 'text', 'motion', 'none'];
const DEGRADATION: readonly RTCDegradationPreference[] = ['maintain-framerate', 'maintain-resolution', 'balanced'];

/**
 * Shares a screen into the running call and shows what others share.
 *
 * Labels are English or Russian, from `lang` (the element's, else the nearest ancestor's, else the
 * document's; `ru*` is Russian). Each label can be overridden by a `label-*` attribute (the key in kebab
 * case: `label-share-screen="Демонстрация"`) or the `labels` property (`{ shareScreen: 'Демонстрация' }`, which wins).
 *
 * @summary Screen sharing: start/stop, own preview, others' content.
 *
 * @attr for - The id of the `<vinteo-call>` whose client to use, in the same document or shadow root (else the enclosing `<vinteo-session>`'s).
 * @attr max-bitrate - Cap on the presentation's bitrate, in bits per second (the 1 Mbps cap always applies; a lower value wins).
 * @attr content-hint - `detail` (default), `text` or `motion`; `none` leaves the track's hint alone.
 * @attr presentation-attempts - How many times a start the server refuses is tried, 300 ms apart (default 1; 1–10).
 * @attr degradation-preference - `maintain-framerate`, `maintain-resolution` or `balanced`.
 * @attr max-resolution - Largest capture size as `WxH`, e.g. `1920x1080`.
 * @attr state - Read-only, reflected: `idle`, `starting`, `active`, `updating`, `stopping` or `failed`.
 * @attr {'light' | 'dark'} theme - `light` or `dark`; without it the element follows the system setting (`prefers-color-scheme`).
 *
 * @prop {string | undefined} htmlFor - The `for` attribute.
 * @prop {VinteoClient | undefined} client - The client in use. Setting it from script overrides `for` and the session.
 * @prop {RTCRtpEncodingParameters[] | undefined} sendEncodings - Simulcast/SVC layers for the presentation sender.
 * @prop {MediaStream | undefined} source - Share this stream instead of asking the browser for a screen.
 * @prop {Partial<Labels> | undefined} labels - Overrides of labels by key, e.g. `{ shareScreen: 'Демонстрация' }`; wins over `label-*` attributes.
 *
 * @fires {VinteoPresentationStartEvent} vinteo-presentation-start - The user asked to share.
 * @fires {VinteoPresentationStartedEvent} vinteo-presentation-started - The screen is being sent.
 * @fires {VinteoPresentationEndedEvent} vinteo-presentation-ended - Sharing stopped; `detail.reason` says why.
 * @fires {VinteoPresentationFailedEvent} vinteo-presentation-failed - Sharing could not start; `detail.reason` says why.
 * @fires {VinteoPresentationMustStopEvent} vinteo-presentation-must-stop - The server ordered the share to stop (it has stopped).
 * @fires {VinteoErrorEvent} vinteo-error - Something went wrong; also shown in the `error` part.
 *
 * @csspart base - The wrapper of everything.
 * @csspart videos - The box around the two videos.
 * @csspart share-button - Starts or stops sharing (`aria-pressed` while sharing).
 * @csspart preview - The own shared screen.
 * @csspart content-video - Another participant's presentation, while the server offers one.
 * @csspart status - The state in words (a polite live region).
 * @csspart error - The error message (`role="alert"`).
 *
 * @cssprop --vinteo-color-accent - The share button.
 * @cssprop --vinteo-color-on-accent - Text on the accent colour.
 * @cssprop --vinteo-color-danger - The stop button and errors.
 * @cssprop --vinteo-color-on-danger - Text on the danger colour.
 * @cssprop --vinteo-color-video-background - Behind videos.
 * @cssprop --vinteo-color-focus - Focus ring.
 * @cssprop --vinteo-radius - Corner radius.
 * @cssprop --vinteo-space - Base spacing.
 * @cssprop --vinteo-font-family - Font.
 * @cssprop --vinteo-font-size - Base font size (default `1rem`).
 */
export class VinteoPresentation extends LinkedClient(Localized(LitElement)) {
  static override styles = styles;


  /** Cap on the presentation's bitrate, bps. */
  @property({ attribute: 'max-bitrate' }) maxBitrate: string | undefined;

  /** `detail` (default), `text`, `motion` or `none`. */
  @property({ attribute: 'content-hint' }) contentHint: string | undefined;

  /** How many times a refused start is tried (default 1; 1–10). */
  @property({ attribute: 'presentation-attempts' }) presentationAttempts: string | undefined;

  /** `maintain-framerate`, `maintain-resolution` or `balanced`. */
  @property({ attribute: 'degradation-preference' }) degradationPreference: string | undefined;

  /** Largest capture size, `WxH`. */
  @property({ attribute: 'max-resolution' }) maxResolution: string | undefined;

  /** Simulcast/SVC layers for the presentation sender. */
  @property({ attribute: false }) sendEncodings: RTCRtpEncodingParameters[] | undefined;

  /** Share this stream instead of asking the browser for a screen. */
  @property({ attribute: false }) source: MediaStream | undefined;

  /** The element's own errors: `local`, one before the service was involved (bad attributes, no client). */
  private readonly errors = new ErrorController(this);

  @query('video.preview') private previewVideo!: HTMLVideoElement | null;
  @query('video.content') private contentVideo!: HTMLVideoElement | null;

  // Re-renders only for what the element shows (not the stats, which change every second).
  private readonly controller = new ClientController<VinteoSnapshot>(
    this,
    (s) => s,
    (s) => [s.presentation, s.call.state, s.call.contentStream],
  );

  constructor() {
    super();
    redispatch(this.controller, this, PRESENTATION_EVENTS);
  }

  /** The client in use (the `LinkedClient` accessor; declared here for the analyzers). */
  declare client: VinteoClient | undefined;

  /** @internal */
  override linkedClientChanged(client: VinteoClient | undefined): void {
    this.controller.setClient(client);
  }


  /** Starts sharing with the element's options. Never throws: failures become events and a visible message. */
  async start(): Promise<void> {
    this.errors.clear();
    const client = this.client;
    try {
      if (!client) throw VinteoError.invalidState('share a screen', 'not linked to a call');
      await client.startPresentation(this.options());
    } catch (error) {
      const failure = VinteoError.from(error, 'presentation-failed');
      if (failure.reason === 'aborted') return;
      // A failed share shows from the snapshot.
      if (client?.getSnapshot().presentation.state !== 'failed') this.errors.show(failure);
      else this.errors.report(failure);
    }
  }

  /** Stops sharing. Never throws: a stop the server refuses (the share goes on) shows in the `error` part. */
  async stop(): Promise<void> {
    try {
      await this.client?.stopPresentation();
    } catch (error) {
      // The message shows from the snapshot.
      this.errors.report(VinteoError.from(error, 'presentation-failed'));
    }
  }

  protected override updated(): void {
    const snapshot = this.controller.value;
    this.setAttribute('state', snapshot?.presentation.state ?? 'idle');
    bindStream(this.previewVideo, snapshot?.presentation.localStream);
    bindStream(this.contentVideo, contentStream(snapshot, snapshot?.call));
  }

  /** The element's attributes as presentation options. @throws VinteoError (invalid-config) naming the attribute. */
  private options(): PresentationOptions {
    const options: PresentationOptions = {};
    if (this.maxBitrate !== undefined && this.maxBitrate !== '') {
      const value = Number(this.maxBitrate);
      if (!Number.isInteger(value) || value < 10_000 || value > 100_000_000) {
        throw VinteoError.invalidConfig('max-bitrate must be a whole number of bits per second between 10000 and 100000000');
      }
      options.maxBitrate = value;
    }
    if (this.contentHint) {
      if (!(CONTENT_HINTS as readonly string[]).includes(this.contentHint)) {
        throw VinteoError.invalidConfig('content-hint must be detail, text, motion or none');
      }
      options.contentHint = this.contentHint as ContentHint;
    }
    if (this.degradationPreference) {
      if (!(DEGRADATION as readonly string[]).includes(this.degradationPreference)) {
        throw VinteoError.invalidConfig('degradation-preference must be maintain-framerate, maintain-resolution or balanced');
      }
      options.degradationPreference = this.degradationPreference as RTCDegradationPreference;
    }
    if (this.maxResolution) {
      const resolution = parseResolution(this.maxResolution);
      if (!resolution) throw VinteoError.invalidConfig('max-resolution must be WxH, e.g. 1920x1080');
      options.maxResolution = resolution;
    }
    if (this.presentationAttempts !== undefined && this.presentationAttempts !== '') {
      const value = Number(this.presentationAttempts);
      if (!Number.isInteger(value) || value < 1 || value > 10) throw VinteoError.invalidConfig('presentation-attempts must be a whole number between 1 and 10');
      options.attempts = value;
    }
    if (this.sendEncodings) options.sendEncodings = this.sendEncodings;
    if (this.source) options.stream = this.source;
    return options;
  }

  private statusText(labels: Labels, snapshot: VinteoSnapshot | undefined): string {
    const presentation = snapshot?.presentation;
    if (!snapshot || !inCall(snapshot)) return labels.presentationUnavailable;
    switch (presentation?.state ?? 'idle') {
      case 'starting':
        return labels.presentationStarting;
      case 'active':
        return labels.presentationActive;
      case 'updating':
        return labels.presentationUpdating;
      case 'stopping':
        return labels.presentationStopping;
      case 'failed':
        return labels.presentationFailed;
      default:
        if (presentation?.endReason === 'server') return labels.presentationServerStopped;
        if (presentation?.endReason === 'browser') return labels.presentationBrowserStopped;
        if (presentation?.endReason === 'cancelled') return labels.presentationCancelled;
        return labels.presentationIdle;
    }
  }

  protected override render(): unknown {
    const labels = this.localized();
    const snapshot = this.controller.value;
    const presentation = snapshot?.presentation;
    const shares = sharing(presentation?.state);
    const error = this.errors.local ?? presentation?.error;
    const content = contentVisible(snapshot, snapshot?.call);
    // No controls on the videos: out of the Tab order in every browser (tabindex -1), as in vinteo-call.
    return html`
      <div part="base" class="base">
        <div part="videos" class="videos">
          <video part="content-video" class="content" tabindex="-1" aria-label=${labels.othersContent} autoplay playsinline muted ?hidden=${!content}></video>
          <video part="preview" class="preview" tabindex="-1" aria-label=${labels.yourScreen} autoplay playsinline muted ?hidden=${!presentation?.localStream}></video>
        </div>
        <p part="status" class="status" role="status" aria-live="polite">${this.statusText(labels, snapshot)}</p>
        ${error ? html`<p part="error" class="error" role="alert">${isolate(this.errorText(error))}</p>` : nothing}
        <button
          part="share-button"
          type="button"
          aria-pressed=${shares ? 'true' : 'false'}
          ?disabled=${!inCall(snapshot) || presentation?.state === 'stopping'}
          @click=${this.onShareClick}
        >
          ${shares ? labels.stopSharing : labels.shareScreen}
        </button>
      </div>
    `;
  }

  private onShareClick(): void {
    if (sharing(this.controller.value?.presentation.state)) void this.stop();
    else void this.start();
  }
}
