import { css } from 'lit';
import { tokens } from '../shared/tokens.styles.js';

export const styles = [
  tokens,
  css`
    :host {
      display: block;
      background: var(--_bg);
      border-radius: var(--_radius);
    }
    :host([hidden]) {
      display: none;
    }
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
      padding: var(--_space);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
      color: var(--_danger);
    }
    button {
      font: inherit;
      padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
      border-radius: var(--_radius);
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_on-danger);
    }
    button:focus-visible {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }
    button[disabled] {
      opacity: 0.6;
      cursor: not-allowed;
    }
  `,
];
