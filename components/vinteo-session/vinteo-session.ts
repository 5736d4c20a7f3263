import { VinteoSession } from './VinteoSession.js';

export { VinteoSession };

if (typeof customElements !== 'undefined' && !customElements.get('vinteo-session')) {
  customElements.define('vinteo-session', VinteoSession);
}

declare global {
  interface HTMLElementTagNameMap {
    'vinteo-session': VinteoSession;
  }
}
