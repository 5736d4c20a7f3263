import { VinteoPresentation } from './VinteoPresentation.js';

export { VinteoPresentation };

if (typeof customElements !== 'undefined' && !customElements.get('vinteo-presentation')) {
  customElements.define('vinteo-presentation', VinteoPresentation);
}

declare global {
  interface HTMLElementTagNameMap {
    'vinteo-presentation': VinteoPresentation;
  }
}
