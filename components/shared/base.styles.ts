import { css } from 'lit';
import { tokens } from './tokens.styles.js';

/**
 * The rules every element's shadow root starts with, after the tokens: the host box, `hidden`, the common
 * look of buttons, the focus ring and disabled state of controls, and the error box. Each element's own
 * styles come after these in its `styles` array, so they refine them.
 */
export const base = css`
  :host {
    display: block;
    background: var(--_bg);
    border-radius: var(--_radius);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  button[disabled],
  button[aria-disabled='true'],
  input[disabled],
  select[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .error {
    padding: var(--_space);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface);
    color: var(--_danger);
  }
`;

/**
 * The panels (`<vinteo-devices>`, `<vinteo-dialpad>`, `<vinteo-stats>`): padded, their content one
 * column, paragraphs without margins. After {@link base}, before the element's own rules.
 */
export const panel = css`
  :host {
    padding: var(--_space);
    box-sizing: border-box;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  p {
    margin: 0;
  }
`;

/** What a panel element's styles start with: the tokens, the base rules and the panel layout. */
export const panelStart = [tokens, base, panel];
