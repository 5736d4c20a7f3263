import { css } from 'lit';
import { panelStart } from '../shared/base.styles.js';

export const styles = [
  ...panelStart,
  css`
    :host {
      --_good: var(--vinteo-color-quality-good, var(--_accent));
      --_fair: var(--vinteo-color-quality-fair, var(--_focus));
      --_poor: var(--vinteo-color-quality-poor, var(--_danger));
      /* Charts never make the page re-lay out: fixed-size boxes, drawing scaled by the SVG viewBox. */
      contain: layout style;
    }
    :host([compact]) {
      display: inline-block;
      padding: 0;
      background: none;
    }
    .badge {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: calc(var(--_space) / 2) var(--_space);
      padding: calc(var(--_space) * 0.75) var(--_space);
      border-radius: var(--_radius);
      background: var(--_surface);
      border-left: 4px solid var(--_muted);
    }
    .badge[data-level='good'] {
      border-left-color: var(--_good);
    }
    .badge[data-level='fair'] {
      border-left-color: var(--_fair);
    }
    .badge[data-level='poor'] {
      border-left-color: var(--_poor);
    }
    .dot {
      align-self: center;
      width: 0.75em;
      height: 0.75em;
      border-radius: 50%;
      background: var(--_muted);
      flex: none;
    }
    .badge[data-level='good'] .dot {
      background: var(--_good);
    }
    .badge[data-level='fair'] .dot {
      background: var(--_fair);
    }
    .badge[data-level='poor'] .dot {
      background: var(--_poor);
    }
    .reason {
      color: var(--_muted);
      font-size: 0.9375em;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
      gap: var(--_space);
    }
    .chart {
      position: relative;
      margin: 0;
      padding: calc(var(--_space) * 0.75);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_surface);
      contain: layout paint;
    }
    .label {
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--_space);
      font-size: 0.875em;
      min-height: 2.6em;
      align-content: flex-start;
    }
    .title {
      font-weight: 600;
      flex-basis: 100%;
      /* Room for the scale in the corner. */
      padding-right: 4.5em;
      box-sizing: border-box;
    }
    .value {
      font-variant-numeric: tabular-nums;
      color: var(--_muted);
    }
    .key {
      display: inline-block;
      width: 1em;
      height: 0;
      margin-right: 0.25em;
      vertical-align: middle;
      border-top: 2px solid var(--_accent);
    }
    .value[data-series='received'] .key {
      border-top: 2px dashed var(--_text);
    }
    .plot {
      display: block;
      width: 100%;
      height: 3.5rem;
      margin-top: calc(var(--_space) / 2);
      overflow: visible;
    }
    .grid {
      stroke: var(--_muted);
      stroke-opacity: 0.3;
      stroke-width: 1;
    }
    .series {
      fill: none;
      stroke-width: 2;
      stroke-linejoin: round;
      stroke-linecap: round;
    }
    .series[data-series='sent'] {
      stroke: var(--_accent);
    }
    .series[data-series='received'] {
      stroke: var(--_text);
      stroke-dasharray: 4 3;
    }
    .scale {
      position: absolute;
      top: calc(var(--_space) * 0.75);
      right: calc(var(--_space) * 0.75);
      font-size: 0.75em;
      color: var(--_muted);
    }
    .streams {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.875em;
      font-variant-numeric: tabular-nums;
    }
    .streams caption {
      text-align: left;
      font-weight: 600;
      padding-bottom: calc(var(--_space) / 2);
    }
    .streams th,
    .streams td {
      text-align: left;
      padding: calc(var(--_space) / 4) calc(var(--_space) / 2);
      border-bottom: 1px solid var(--_surface);
    }
    .streams thead th {
      color: var(--_muted);
      font-weight: 600;
    }
    .connection,
    .balancer {
      font-size: 0.875em;
      color: var(--_muted);
    }
  `,
];
