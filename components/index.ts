// Registration order matters: <vinteo-session> first, so the calls inside it find their provider when upgraded.
export { VinteoSession } from './vinteo-session/vinteo-session.js';
export { VinteoCall } from './vinteo-call/vinteo-call.js';
export type { VinteoCallViewState } from './vinteo-call/VinteoCall.js';
export * from './shared/events.js';
