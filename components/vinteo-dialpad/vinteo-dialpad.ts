import { VinteoDialpad } from './VinteoDialpad.js';

export { VinteoDialpad };

if (typeof customElements !== 'undefined' && !customElements.get('vinteo-dialpad')) {
  customElements.define('vinteo-dialpad', VinteoDialpad);
}

declare global {
  interface HTMLElementTagNameMap {
    'vinteo-dialpad': VinteoDialpad;
  }
}
