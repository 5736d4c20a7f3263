import { css, unsafeCSS } from 'lit';

/**
 * The lobby, the icon control bar, full screen and the container-query layout of `<vinteo-call>` (after
 * the element's own styles). The element fits its container: at 320–480 px wide a phone layout.
 */
/**
 * Compact icon buttons in the control bar `bar` (a selector): the labels stay as the buttons' accessible
 * names and show as tooltips above them on hover and keyboard focus, nothing wider than the element.
 */
const compactButtons = (bar: string): string => `
    ${bar} {
      gap: calc(var(--_space) / 2);
    }
    ${bar} .control {
      position: relative;
      padding: calc(var(--_space) / 2);
    }
    /* The label stays the accessible name, visually hidden... */
    ${bar} .control .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
      pointer-events: none;
    }
    /* ...and shows as a tooltip above the button while it is hovered or focused from the keyboard. */
    ${bar} .control:hover .label,
    ${bar} .control:focus-visible .label {
      width: auto;
      height: auto;
      overflow: visible;
      clip-path: none;
      bottom: calc(100% + var(--_space) / 2);
      inset-inline-start: 50%;
      transform: translateX(-50%);
      padding: 0.2em 0.5em;
      border-radius: calc(var(--_radius) / 2);
      background: var(--_text);
      color: var(--_bg);
      font-size: 0.8125rem;
      line-height: 1.4;
      z-index: 2;
    }
    /* The first and last buttons' tooltips open inwards, so none passes the element's edge. */
    ${bar} .control:first-child:is(:hover, :focus-visible) .label {
      inset-inline-start: 0;
      transform: none;
    }
    ${bar} .control:last-child:is(:hover, :focus-visible) .label {
      inset-inline-start: auto;
      inset-inline-end: 0;
      transform: none;
    }`;

/*
 * Container queries (written as a string: the template analyser does not know \`@container\` yet).
 * Wide: the lobby form beside the preview. The bar over the call keeps one row, so that it never grows
 * over the picture (a layout shift inside the element) when Full screen and Share join it: with labels
 * from 840 px (the call's five buttons take 724 px in English, 778 in Russian; longer labels are cut
 * with an ellipsis), compact icon buttons below. Phone width (≤ 480 px): every bar compact.
 */
const containerRules = unsafeCSS(`
  :host {
    container-type: inline-size;
  }
  @container (min-width: 720px) {
    .base.in-lobby {
      display: grid;
      grid-template-columns: minmax(0, 3fr) minmax(14rem, 2fr);
      column-gap: calc(var(--_space) * 2);
      align-items: start;
    }
    .base.in-lobby > .screen {
      grid-row: 1 / span 8;
    }
    .base.in-lobby > .lobby {
      margin-top: 0;
    }
  }
  @container (min-width: 840px) {
    .controls.overlay {
      flex-wrap: nowrap;
    }
    .controls.overlay .control .label {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  }
  @container (max-width: 839.98px) {
    ${compactButtons('.controls.overlay')}
    .controls.overlay .join {
      min-width: 44px;
    }
  }
  @container (max-width: 480px) {
    ${compactButtons('.controls:not(.overlay)')}
    .local {
      min-width: 72px;
    }
  }
`);

export const layoutStyles = css`
  :host {
    /* Room kept below the stage for the control bar and the status line, so both stay in the viewport. */
    --_chrome: 9rem;
  }
  .base {
    min-width: 0;
  }
  .screen {
    position: relative;
    min-width: 0;
  }
  /* The stage keeps 16:9 and is never taller than the viewport leaves for the controls. */
  .stage {
    max-height: calc(100vh - var(--_chrome));
    max-height: calc(100dvh - var(--_chrome));
    margin-inline: auto;
    max-width: calc((100vh - var(--_chrome)) * 16 / 9);
    max-width: calc((100dvh - var(--_chrome)) * 16 / 9);
  }
  .screen:fullscreen {
    display: flex;
    flex-direction: column;
    justify-content: center;
    background: var(--_video-bg);
  }
  .screen:fullscreen .stage {
    width: 100%;
    max-width: calc(100vh * 16 / 9);
    max-height: 100vh;
    border-radius: 0;
  }

  /* Icon buttons with labels; 44 px touch targets. */
  .controls {
    align-items: center;
    justify-content: center;
  }
  .control,
  .toggle,
  .preview-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-width: 44px;
    min-height: 44px;
  }
  .icon {
    flex: none;
    width: 1.25em;
    height: 1.25em;
  }
  /* Off: the crossed icon, and the danger colour (aria-pressed says it for assistive technology). */
  .toggle.off {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_on-danger);
  }
  .control.active {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }

  /* The crossed icon shows "off"; no struck-through text. */
  button.toggle[aria-pressed='false'],
  button.preview-button[aria-pressed='false'] {
    text-decoration: none;
  }

  /* The bar lies over the bottom of the stage in every state but the lobby, so that the element keeps its
     height from Join to the call and back (no layout shift on the host page). In a call it fades while the
     pointer is elsewhere, and stays while focused, hovered, or on touch screens. */
  .controls.overlay {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 0;
    margin: 0;
    padding: var(--_space);
    background: linear-gradient(transparent, color-mix(in srgb, var(--_video-bg) 85%, transparent));
    border-radius: 0 0 var(--_radius) var(--_radius);
    transition: opacity 0.2s;
  }
  .screen:not(:hover) .controls.overlay.fades:not(:focus-within) {
    opacity: 0;
  }
  /* Microphone and camera at the start, Join / Cancel / Leave at the end at one width. Full screen comes
     with the connecting call and Share with the established one, each after the buttons already there, so
     no button moves; the Join button's icon and label start at the same place whatever it says. */
  .controls.overlay {
    justify-content: flex-start;
  }
  .controls.overlay .join {
    margin-inline-start: auto;
    min-width: 7.5em;
    justify-content: flex-start;
  }
  @media (hover: none) {
    .screen:not(:hover) .controls.overlay.fades:not(:focus-within) {
      opacity: 1;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .controls.overlay {
      transition: none;
    }
  }
  /* The own picture moves up out of the bar's way. */
  .screen:has(.controls.overlay) .local {
    bottom: calc(44px + var(--_space) * 3);
  }

  /* The camera-off tile: initials and the name instead of a black frame. */
  .tile {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.15em;
    overflow: hidden;
    background: var(--_surface);
    color: var(--_text);
    font-size: 1.5em;
    font-weight: 600;
    transform: none;
  }
  .tile-name {
    max-width: calc(100% - var(--_space));
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 0.5em;
    font-weight: 400;
  }

  /* The lobby: the preview in the stage, the form beside it (or below it when narrow). */
  .preview {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    transform: scaleX(-1);
  }
  .preview[hidden] {
    display: none;
  }
  .preview-button {
    position: absolute;
    left: 50%;
    top: 50%;
    transform: translate(-50%, -50%);
  }
  .preview-button.previewing {
    top: auto;
    bottom: var(--_space);
    transform: translateX(-50%);
  }
  .lobby {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    margin-top: var(--_space);
    min-width: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) / 2);
    min-width: 0;
  }
  .field input,
  .field select {
    font: inherit;
    min-height: 44px;
    box-sizing: border-box;
    max-width: 100%;
    padding: 0 var(--_space);
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
    color: var(--_text);
  }
  .mic-level {
    width: 100%;
    height: 0.5rem;
  }
  .lobby-toggles {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  ${containerRules}
`;
