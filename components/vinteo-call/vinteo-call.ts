import { VinteoCall } from './VinteoCall.js';

export { VinteoCall };

if (typeof customElements !== 'undefined' && !customElements.get('vinteo-call')) {
  customElements.define('vinteo-call', VinteoCall);
}

declare global {
  interface HTMLElementTagNameMap {
    'vinteo-call': VinteoCall;
  }
}
