import { css } from 'lit';
import { tokens } from '../shared/tokens.styles.js';

export const styles = [
  tokens,
  css`
    :host {
      display: block;
      background: var(--_bg);
      border-radius: var(--_radius);
      padding: var(--_space);
      box-sizing: border-box;
    }
    :host([hidden]) {
      display: none;
    }
    .base {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
    }
    p {
      margin: 0;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_space) / 2);
    }
    label {
      color: var(--_muted);
      font-size: 0.9375em;
    }
    .hint {
      color: var(--_muted);
      font-size: 0.875em;
    }
    select {
      font: inherit;
      padding: calc(var(--_space) * 0.75);
      border-radius: var(--_radius);
      border: 1px solid var(--_muted);
      background: var(--_surface);
      color: var(--_text);
      max-width: 100%;
    }
    select:focus-visible {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }
    select[disabled] {
      opacity: 0.6;
      cursor: not-allowed;
    }
    select[aria-busy='true'] {
      cursor: progress;
    }
    .error {
      padding: var(--_space);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
      color: var(--_danger);
    }
  `,
];
