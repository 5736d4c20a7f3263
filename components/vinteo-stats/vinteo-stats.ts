import { VinteoStats } from './VinteoStats.js';

export { VinteoStats };

if (typeof customElements !== 'undefined' && !customElements.get('vinteo-stats')) {
  customElements.define('vinteo-stats', VinteoStats);
}

declare global {
  interface HTMLElementTagNameMap {
    'vinteo-stats': VinteoStats;
  }
}
