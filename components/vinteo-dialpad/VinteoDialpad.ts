import { html, LitElement, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import type { VinteoClient } from '../../src/client.js';
import { VinteoError } from '../../src/errors.js';
import { ClientController } from '../shared/client-controller.js';
import { ErrorController } from '../shared/error-controller.js';
import { VinteoDtmfEvent } from '../shared/events.js';
import type { Labels } from '../shared/i18n.js';
import { Localized } from '../shared/localized.js';
import { LinkedClient } from '../shared/linked-client.js';
import { isolate } from '../shared/bidi.js';
import { styles } from './vinteo-dialpad.styles.js';
import { addPanelLabels } from '../shared/i18n/panel-labels.js';

// This element's labels travel with it, not in the script tag's loader (see panel-labels.ts).
addPanelLabels();

/** The keypad, row by row. */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
/** One tone the keyboard may send while a key of the dialpad has focus. */
const KEYBOARD_TONE = /^[0-9A-D#*]$/i;
/** Characters that are not tones (`,` is a two-second pause). */
const NOT_A_TONE = /[^0-9A-D#*,]/gi;
/** How many sent tones the display keeps. */
const DISPLAY_LENGTH = 64;

/**
 * A DTMF keypad for the running call: twelve keys, a field for typed tones, and keyboard operation.
 *
 * The client comes from an enclosing `<vinteo-session>`, or from the element named by `for`
 * (the id of a `<vinteo-call>` in the same document or shadow root), or from the `client` property.
 * Keys send one tone per press; the field sends everything typed when Enter (or Send) is pressed,
 * and refuses characters that are not tones. While a key has focus, typing `0-9`, `*`, `#` or
 * `A-D` sends that tone. Outside a call everything is disabled and the element says why.
 *
 * Labels are English or Russian, from `lang` (the element's, else the nearest ancestor's, else the
 * document's; `ru*` is Russian). Each label can be overridden by a `label-*` attribute (the key in kebab
 * case: `label-send="Отправить"`) or the `labels` property (`{ send: 'Отправить' }`, which wins).
 *
 * @summary Sends DTMF tones in a Vinteo call.
 *
 * @attr for - The id of the `<vinteo-call>` (or `<vinteo-session>`) whose client to use, in the same document or shadow root.
 * @attr {'light' | 'dark'} theme - `light` or `dark`; without it the element follows the system setting (`prefers-color-scheme`).
 *
 * @prop {string | undefined} htmlFor - The `for` attribute.
 * @prop {VinteoClient | undefined} client - The client in use. Setting it from script overrides `for` and the session.
 * @prop {string} sentTones - The tones sent in the current call (the last 64), as shown in the `display` part.
 * @prop {boolean} available - Whether tones can be sent now (linked to a client that is in a call).
 * @prop {Partial<Labels> | undefined} labels - Overrides of labels by key, e.g. `{ send: 'Отправить' }`; wins over `label-*` attributes.
 *
 * @fires {VinteoDtmfEvent} vinteo-dtmf - Tones were sent; `detail.tones` lists them.
 * @fires {VinteoErrorEvent} vinteo-error - Sending failed; also shown in the `error` part.
 *
 * @csspart base - The wrapper of everything.
 * @csspart hint - Why the dialpad is disabled (shown only then).
 * @csspart display - The tones sent so far (a polite live region).
 * @csspart display-label - The display's label ("Sent:").
 * @csspart tones - The tones in the display.
 * @csspart form - The form around the tone field and the Send button.
 * @csspart label - The label of the tone field.
 * @csspart input - The tone field: type tones, press Enter to send them.
 * @csspart send-button - Sends the typed tones.
 * @csspart keypad - The grid of keys.
 * @csspart key - Each of the twelve keys (`data-tone` holds its tone).
 * @csspart error - The error message (`role="alert"`).
 *
 * @cssprop --vinteo-color-background - Element background.
 * @cssprop --vinteo-color-surface - Keys and panels.
 * @cssprop --vinteo-color-text - Text colour.
 * @cssprop --vinteo-color-text-muted - Secondary text and key borders.
 * @cssprop --vinteo-color-accent - The Send button.
 * @cssprop --vinteo-color-on-accent - Text on the accent colour.
 * @cssprop --vinteo-color-danger - Errors.
 * @cssprop --vinteo-color-focus - Focus ring.
 * @cssprop --vinteo-radius - Corner radius.
 * @cssprop --vinteo-space - Base spacing.
 * @cssprop --vinteo-font-family - Font.
 * @cssprop --vinteo-font-size - Base font size (default `1rem`).
 */
export class VinteoDialpad extends LinkedClient(Localized(LitElement)) {
  static override styles = styles;


  /** Tones sent in the current call. */
  @state() private sent = '';

  /** A failed send (`local`), shown in the `error` part. */
  private readonly errors = new ErrorController(this);

  /** Typed characters that are not tones were refused (shown in the `error` part instead of an error). */
  @state() private invalidInput = false;

  @query('input') private input!: HTMLInputElement | null;

  private readonly callState = new ClientController(this, (s) => s.call.state).listen('call:state', ({ state }) => {
    if (state === 'calling' || state === 'ringing') {
      // A new call (outgoing or incoming): a fresh display.
      this.sent = '';
      this.showProblem(undefined);
    }
  });

  /** The client in use (the `LinkedClient` accessor; declared here for the analyzers). */
  declare client: VinteoClient | undefined;

  /** @internal */
  override linkedClientChanged(client: VinteoClient | undefined): void {
    this.callState.setClient(client);
  }


  /** The tones sent in the current call (the last 64). */
  get sentTones(): string {
    return this.sent;
  }

  /** Whether tones can be sent now. */
  get available(): boolean {
    return this.callState.value === 'in-call';
  }

  /**
   * Sends tones (`0-9 A-D # *`, `,` pauses) in the running call. Never throws: a failure becomes a
   * `vinteo-error` event and a visible message. Resolves to whether the tones were sent.
   */
  send(tones: string): boolean {
    const client = this.client;
    try {
      if (!client) throw VinteoError.invalidState('send DTMF', 'not linked to a call');
      client.sendDTMF(tones);
    } catch (error) {
      this.invalidInput = false;
      this.errors.show(error, 'protocol-error');
      return false;
    }
    const sent = tones.toUpperCase();
    this.sent = (this.sent + sent).slice(-DISPLAY_LENGTH);
    this.showProblem(undefined);
    this.dispatchEvent(new VinteoDtmfEvent({ tones: sent }));
    return true;
  }

  /** The `error` part shows one thing: refused typed characters, or (set by `send`) a failed send; or nothing. */
  private showProblem(problem: 'invalid-input' | undefined): void {
    this.invalidInput = problem === 'invalid-input';
    this.errors.clear();
  }

  private keyName(labels: Labels, key: string): string {
    if (key === '*') return labels.keyStar;
    if (key === '#') return labels.keyPound;
    return key;
  }

  protected override render(): unknown {
    const labels = this.localized();
    const available = this.available;
    const hint = !this.client ? labels.notLinked : available ? undefined : labels.dtmfUnavailable;
    const error = this.errors.local;
    const invalid = this.invalidInput;
    return html`
      <div part="base" class="base" role="group" aria-label=${labels.dialpad} @keydown=${this.onKeydown}>
        ${hint ? html`<p part="hint" id="hint" class="hint">${hint}</p>` : nothing}
        <p part="display" class="display" role="status" aria-live="polite">
          <span part="display-label" class="display-label">${labels.sentTones}:</span>
          <span part="tones" class="tones">${this.sent || labels.nothingSent}</span>
        </p>
        <form part="form" class="form" @submit=${this.onSubmit}>
          <label part="label" for="tones">${labels.tones}</label>
          <input
            part="input"
            id="tones"
            type="text"
            inputmode="tel"
            autocomplete="off"
            spellcheck="false"
            maxlength="64"
            aria-describedby=${hint ? 'hint' : invalid ? 'error' : nothing}
            aria-invalid=${invalid ? 'true' : 'false'}
            ?disabled=${!available}
            @input=${this.onInput}
          />
          <button part="send-button" class="send" type="submit" ?disabled=${!available}>${labels.send}</button>
        </form>
        <div part="keypad" class="keypad" role="group" aria-label=${labels.keypad} aria-describedby=${hint ? 'hint' : nothing}>
          ${KEYS.map(
            (key) => html`
              <button
                part="key"
                class="key"
                type="button"
                data-tone=${key}
                aria-label=${key === '*' || key === '#' ? this.keyName(labels, key) : nothing}
                ?disabled=${!available}
                @click=${this.onKeyClick}
              >
                ${key}
              </button>
            `,
          )}
        </div>
        ${invalid || error
          ? html`<p part="error" id="error" class="error" role="alert">${invalid ? labels.dtmfInvalid : isolate(this.errorText(error!))}</p>`
          : nothing}
      </div>
    `;
  }

  private onKeyClick(event: Event): void {
    const tone = (event.currentTarget as HTMLElement).dataset['tone'];
    if (tone) this.send(tone);
  }

  /** While a key (not the field) has focus, typing a tone sends it. */
  private onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.composedPath()[0] === this.input) return;
    if (!KEYBOARD_TONE.test(event.key) || !this.available) return;
    event.preventDefault();
    this.send(event.key);
  }

  /** Keeps only tones in the field; anything else is refused with a visible message. */
  private onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const value = input.value;
    const clean = value.replace(NOT_A_TONE, '').toUpperCase();
    if (clean !== value.toUpperCase()) this.showProblem('invalid-input');
    else if (this.invalidInput) this.showProblem(undefined);
    if (clean !== value) input.value = clean;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.input;
    const tones = input?.value ?? '';
    if (!input || !tones) return;
    if (this.send(tones)) input.value = '';
  }
}
