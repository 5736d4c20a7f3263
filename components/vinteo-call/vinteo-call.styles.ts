import { css, unsafeCSS } from 'lit';
import { base } from '../shared/base.styles.js';
import { tokens } from '../shared/tokens.styles.js';
import { layoutStyles } from './vinteo-call.layout.styles.js';
import { overlayStyles } from './overlays.templates.js';

/*
 * A notice under the stage (the server is not answering, an incoming call, the waiting room, a moderator's
 * request) stays in the viewport with its buttons: the stage leaves room for it too. (A string: the template
 * analyser does not know relative :has() selectors yet.)
 */
const noticeRoom = unsafeCSS(`
  .base:has(> .notice) {
    --_chrome: 15rem;
  }
`);

export const styles = [
  tokens,
  base,
  css`
    :host {
      padding: var(--_space);
      box-sizing: border-box;
    }
    .stage {
      position: relative;
      aspect-ratio: 16 / 9;
      background: var(--_video-bg);
      border-radius: var(--_radius);
      overflow: hidden;
    }
    video {
      display: block;
      background: var(--_video-bg);
    }
    .remote {
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    .local {
      position: absolute;
      right: var(--_space);
      bottom: var(--_space);
      width: 24%;
      min-width: 96px;
      aspect-ratio: 16 / 9;
      object-fit: cover;
      border-radius: calc(var(--_radius) / 2);
      border: 1px solid var(--_surface);
      transform: scaleX(-1);
    }
    .local[hidden],
    .remote[hidden] {
      visibility: hidden;
    }
    .content {
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    .content[hidden] {
      display: none;
    }
    /* Someone presents: their content large, the conference small in a corner. */
    .with-content .remote {
      position: absolute;
      left: var(--_space);
      bottom: var(--_space);
      width: 24%;
      min-width: 96px;
      height: auto;
      aspect-ratio: 16 / 9;
      border-radius: calc(var(--_radius) / 2);
      border: 1px solid var(--_surface);
    }
    .room {
      position: absolute;
      left: var(--_space);
      top: var(--_space);
      padding: calc(var(--_space) / 2) var(--_space);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
      color: var(--_text);
      font-size: 0.875em;
    }
    /* The conference video is being restored: a notice in the middle of the stage (nothing while empty). */
    .video-recovery {
      position: absolute;
      left: 50%;
      top: 50%;
      transform: translate(-50%, -50%);
      margin: 0;
      padding: calc(var(--_space) / 2) var(--_space);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
      color: var(--_text);
    }
    .video-recovery:empty {
      padding: 0;
      background: transparent;
    }
    .status {
      margin: var(--_space) 0 0;
      color: var(--_muted);
      font-size: 0.9375em;
    }
    .error {
      margin: var(--_space) 0 0;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      margin-top: var(--_space);
    }
    button {
      border: 1px solid var(--_muted);
      background: var(--_surface);
      color: var(--_text);
    }
    .join {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_on-accent);
    }
    .join.leave {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_on-danger);
    }
    .notice {
      margin: var(--_space) 0 0;
      padding: var(--_space);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
      color: var(--_text);
    }
    .notice p {
      margin: 0 0 var(--_space);
    }
    .notice button + button {
      margin-left: var(--_space);
    }
    .spinner {
      display: inline-block;
      width: 0.8em;
      height: 0.8em;
      margin-right: 0.5em;
      border: 2px solid var(--_muted);
      border-top-color: transparent;
      border-radius: 50%;
      animation: vinteo-spin 1s linear infinite;
    }
    @keyframes vinteo-spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation: none;
      }
    }
    button[aria-pressed='false'] {
      text-decoration: line-through;
    }
  `,
  overlayStyles,
  layoutStyles,
  noticeRoom,
];
