import { css, unsafeCSS } from 'lit';

/**
 * The design tokens: the only place colours, radii, spacing and fonts are written down.
 *
 * Every `--vinteo-*` custom property may be set by the page (on the element or any ancestor: custom
 * properties inherit into shadow roots); the values below are the defaults. Light by default; dark when
 * the element has `theme="dark"`, or when the system prefers dark and the element has no
 * `theme="light"`. The elements use the private `--_*` names.
 */

/** `--vinteo-color-{name}` → the private `--_{short}` name and the light and dark defaults. */
export const COLOR_TOKENS = [
  { name: 'background', short: 'bg', light: '#ffffff', dark: '#161a22' },
  { name: 'surface', short: 'surface', light: '#f2f4f7', dark: '#242b38' },
  { name: 'text', short: 'text', light: '#1d2433', dark: '#e8ebf1' },
  { name: 'text-muted', short: 'muted', light: '#5b6475', dark: '#a9b2c3' },
  { name: 'accent', short: 'accent', light: '#1a5fd0', dark: '#8ab4ff' },
  { name: 'on-accent', short: 'on-accent', light: '#ffffff', dark: '#0b1a33' },
  { name: 'danger', short: 'danger', light: '#b3261e', dark: '#ff9a90' },
  { name: 'on-danger', short: 'on-danger', light: '#ffffff', dark: '#2b0704' },
  { name: 'video-background', short: 'video-bg', light: '#10141c', dark: '#05070b' },
  { name: 'focus', short: 'focus', light: '#c26a00', dark: '#ffc266' },
] as const;

function palette(scheme: 'light' | 'dark'): string {
  const colours = COLOR_TOKENS.map((token) => `--_${token.short}: var(--vinteo-color-${token.name}, ${token[scheme]});`);
  return `${colours.join(' ')} color-scheme: ${scheme};`;
}

export const tokens = [
  css`
    :host {
      --_radius: var(--vinteo-radius, 8px);
      --_space: var(--vinteo-space, 8px);
      --_font: var(--vinteo-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      --_font-size: var(--vinteo-font-size, 1rem);
      font-family: var(--_font);
      font-size: var(--_font-size);
      color: var(--_text);
    }
  `,
  // Constant strings only (no page input), built from the table above.
  unsafeCSS(`
    :host { ${palette('light')} }
    :host([theme='dark']) { ${palette('dark')} }
    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) { ${palette('dark')} }
    }
  `),
];
