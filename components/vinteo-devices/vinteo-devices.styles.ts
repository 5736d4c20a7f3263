import { css } from 'lit';
import { panelStart } from '../shared/base.styles.js';

export const styles = [
  ...panelStart,
  css`
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
    select[aria-busy='true'] {
      cursor: progress;
    }
  `,
];
