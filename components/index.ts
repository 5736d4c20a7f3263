// Registration order matters: <vinteo-session> first, so the calls inside it find their provider when upgraded.
export { VinteoSession } from './vinteo-session/vinteo-session.js';
export { VinteoCall } from './vinteo-call/vinteo-call.js';
export type { VinteoCallViewState } from './vinteo-call/VinteoCall.js';
export * from './shared/events.js';
// The panels (<vinteo-dialpad>, <vinteo-devices>, <vinteo-presentation>, <vinteo-stats>) and loadPanels():
// a chunk of their own in the script-tag loader (panels-lazy.ts).
export * from './panels-module.js';
