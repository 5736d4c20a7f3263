// The SIP chunk of the script-tag build, dist/vinteo-widgets-sip.js (`vite build --mode sip`): JsSIP as an
// ES module, imported by dist/vinteo-widgets.js from next to itself (see jssip-chunk.ts).
export { UA, WebSocketInterface, debug } from '@krivega/jssip';
