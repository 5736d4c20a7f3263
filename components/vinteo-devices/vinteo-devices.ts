import { VinteoDevices } from './VinteoDevices.js';

export { VinteoDevices };
export type { VinteoDeviceKind } from './VinteoDevices.js';

if (typeof customElements !== 'undefined' && !customElements.get('vinteo-devices')) {
  customElements.define('vinteo-devices', VinteoDevices);
}

declare global {
  interface HTMLElementTagNameMap {
    'vinteo-devices': VinteoDevices;
  }
}
