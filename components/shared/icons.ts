import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

/**
 * Inline SVG icons (Lit `svg` templates): no icon font, no external file, nothing a Content Security Policy
 * has to allow. Each icon is 24×24, drawn with `currentColor`, and hidden from assistive technology (the
 * button around it carries the text). The `off` variants add a diagonal stroke: the "crossed" look.
 */
export type IconName =
  | 'microphone'
  | 'microphone-off'
  | 'camera'
  | 'camera-off'
  | 'screen'
  | 'screen-off'
  | 'fullscreen'
  | 'fullscreen-exit'
  | 'leave'
  | 'join'
  | 'preview';

const CROSS = svg`<line x1="3" y1="3" x2="21" y2="21" stroke-width="2.25"></line>`;

const MICROPHONE = svg`<rect x="9" y="3" width="6" height="11" rx="3"></rect><path d="M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8"></path>`;
const CAMERA = svg`<rect x="3" y="7" width="12" height="10" rx="2"></rect><path d="M15 11l6-3v8l-6-3z"></path>`;
const SCREEN = svg`<rect x="3" y="4" width="18" height="12" rx="2"></rect><path d="M8 20h8M12 16v4M12 13V7M9 10l3-3 3 3"></path>`;

const PATHS: Record<IconName, SVGTemplateResult> = {
  microphone: MICROPHONE,
  'microphone-off': svg`${MICROPHONE}${CROSS}`,
  camera: CAMERA,
  'camera-off': svg`${CAMERA}${CROSS}`,
  screen: SCREEN,
  'screen-off': svg`${SCREEN}${CROSS}`,
  fullscreen: svg`<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"></path>`,
  'fullscreen-exit': svg`<path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5"></path>`,
  leave: svg`<path d="M3 14c5-5 13-5 18 0l-2.5 2.5-3.5-2v-3a10 10 0 0 0-6 0v3l-3.5 2z"></path>`,
  join: svg`<path d="M5 4l4 1 1 4-2 1.5a11 11 0 0 0 5.5 5.5L15 14l4 1 1 4-2 1C10 20 4 14 4 6z"></path>`,
  preview: svg`<circle cx="12" cy="12" r="3"></circle><path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z"></path>`,
};

/** An icon by name, e.g. `icon('microphone-off')`. */
export function icon(name: IconName): TemplateResult {
  // The <svg> element itself is HTML content; its children are SVG templates.
  return html`<svg class="icon icon-${name}" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor"
    stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}
