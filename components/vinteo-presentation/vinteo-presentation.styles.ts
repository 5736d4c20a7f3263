import { css } from 'lit';
import { base } from '../shared/base.styles.js';
import { tokens } from '../shared/tokens.styles.js';

export const styles = [
  tokens,
  base,
  css`
    .videos {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
    }
    video {
      display: block;
      background: var(--_video-bg);
      border-radius: var(--_radius);
      aspect-ratio: 16 / 9;
      object-fit: contain;
    }
    .content {
      flex: 1 1 100%;
      width: 100%;
    }
    .preview {
      width: 12rem;
    }
    video[hidden] {
      display: none;
    }
    .status {
      margin: var(--_space) 0;
      color: var(--_muted);
    }
    .error {
      margin: var(--_space) 0;
    }
    button {
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
    }
    button[aria-pressed='true'] {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_on-danger);
    }
  `,
];
