import { css } from 'lit';
import { panelStart } from '../shared/base.styles.js';

export const styles = [
  ...panelStart,
  css`
    :host {
      max-width: 20rem;
    }
    .hint {
      color: var(--_muted);
      font-size: 0.9375em;
    }
    .display {
      padding: var(--_space);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
      min-height: 1.5em;
      overflow-wrap: anywhere;
    }
    .display-label {
      color: var(--_muted);
    }
    .tones {
      font-variant-numeric: tabular-nums;
      letter-spacing: 0.1em;
    }
    .form {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space);
    }
    .form label {
      flex-basis: 100%;
      color: var(--_muted);
      font-size: 0.9375em;
    }
    input {
      flex: 1 1 6rem;
      min-width: 0;
      font: inherit;
      padding: calc(var(--_space) * 0.75);
      border-radius: var(--_radius);
      border: 1px solid var(--_muted);
      background: var(--_bg);
      color: var(--_text);
    }
    input[aria-invalid='true'] {
      border-color: var(--_danger);
    }
    .keypad {
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: var(--_space);
    }
    button {
      border: 1px solid var(--_muted);
      background: var(--_surface);
      color: var(--_text);
    }
    .key {
      font-size: 1.25em;
      padding: var(--_space);
      min-height: 2.75rem;
    }
    .send {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_on-accent);
    }
  `,
];
