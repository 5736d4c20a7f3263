// Registration order matters: <vinteo-session> first, so the calls inside it find their provider when upgraded.
export { VinteoSession } from './vinteo-session/vinteo-session.js';
export { VinteoCall } from './vinteo-call/vinteo-call.js';
export type { VinteoCallViewState } from './vinteo-call/VinteoCall.js';
export * from './shared/events.js';
export { VinteoDialpad } from './vinteo-dialpad/vinteo-dialpad.js';
export { VinteoDevices, type VinteoDeviceKind } from './vinteo-devices/vinteo-devices.js';
export { VinteoPresentation } from './vinteo-presentation/vinteo-presentation.js';
export { VinteoStats } from './vinteo-stats/vinteo-stats.js';
