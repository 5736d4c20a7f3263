// The panels and <vinteo-session> (<vinteo-dialpad>, <vinteo-devices>, <vinteo-presentation>, <vinteo-stats>) and
// loadPanels(): first, so that the calls inside a session find their provider when upgraded; a chunk of their own
// in the script-tag loader (panels-lazy.ts), where a call waits for its session.
export * from './panels-module.js';
export { VinteoCall } from './vinteo-call/vinteo-call.js';
export type { VinteoCallViewState } from './vinteo-call/VinteoCall.js';
export * from './shared/events.js';
