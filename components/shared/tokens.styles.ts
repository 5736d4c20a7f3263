import { css } from 'lit';

/** The design tokens: the only place colours, radii, spacing and fonts are written down. */
export const tokens = css`
  :host {
    --_bg: var(--vinteo-color-background, #ffffff);
    --_surface: var(--vinteo-color-surface, #f2f4f7);
    --_text: var(--vinteo-color-text, #1d2433);
    --_muted: var(--vinteo-color-text-muted, #5b6475);
    --_accent: var(--vinteo-color-accent, #1a5fd0);
    --_on-accent: var(--vinteo-color-on-accent, #ffffff);
    --_danger: var(--vinteo-color-danger, #b3261e);
    --_on-danger: var(--vinteo-color-on-danger, #ffffff);
    --_video-bg: var(--vinteo-color-video-background, #10141c);
    --_focus: var(--vinteo-color-focus, #f5a623);
    --_radius: var(--vinteo-radius, 8px);
    --_space: var(--vinteo-space, 8px);
    --_font: var(--vinteo-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-family: var(--_font);
    color: var(--_text);
  }
`;
