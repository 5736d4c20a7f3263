/**
 * The panels: `<vinteo-session>`, `<vinteo-dialpad>`, `<vinteo-devices>`, `<vinteo-presentation>`,
 * `<vinteo-stats>` (importing this module defines them, the session first). The script-tag loader keeps them out
 * of `vinteo-widgets.js` and fetches them as `vinteo-widgets-panels.js` when one is on the page
 * (components/panels-lazy.ts): a page with a call alone does not need them.
 */
export { VinteoSession } from './vinteo-session/vinteo-session.js';
export { VinteoDialpad } from './vinteo-dialpad/vinteo-dialpad.js';
export { VinteoDevices, type VinteoDeviceKind } from './vinteo-devices/vinteo-devices.js';
export { VinteoPresentation } from './vinteo-presentation/vinteo-presentation.js';
export { VinteoStats } from './vinteo-stats/vinteo-stats.js';
