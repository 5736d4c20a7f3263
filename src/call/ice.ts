import type { IceCandidateEvent } from '@krivega/jssip';

import type { FastIce } from './fast-ice.js';

/** Whether the ICE servers include TURN: then a relay candidate is worth waiting for. */
function hasTurn(iceServers: readonly RTCIceServer[]): boolean {
  const urls = iceServers.flatMap((server) => (Array.isArray(server.urls) ? server.urls : [server.urls]));
  return urls.some((url) => /^turns?:/i.test(url));
}

/**
 * Decides, candidate by candidate, whether the offer or answer may go out before ICE gathering
 * completes. Returns undefined when it must wait for completion.
 *
 * A usable candidate is any candidate, also with STUN servers (a Vinteo server has a public address:
 * our own connectivity checks reach it, and it learns our address from them, so a server-reflexive
 * candidate in the offer adds nothing; discovery names the server's own STUN, `stun:{ip}:3478`, and on
 * loopback Chromium even drops the server-reflexive candidate, so waiting for it waited for the end of
 * gathering); with TURN servers a relay one, so that a deployment that needs TURN gets its relay
 * candidate in the SDP. The server must accept BUNDLE (Vinteo does): the first usable candidate may
 * belong to the first media section only.
 */
export function earlyIceGate(mode: FastIce, direction: 'outgoing' | 'incoming', iceServers: readonly RTCIceServer[]): ((candidate: RTCIceCandidate) => boolean) | undefined {
  if (mode === false || (mode === 'auto' && direction !== 'outgoing')) return undefined;
  if (!hasTurn(iceServers)) return () => true;
  return (candidate) => candidate.type === 'relay';
}

/**
 * The `icecandidate` handling of one call: its first offer or answer goes out at the first candidate
 * `gate` accepts (the gate is asked for when candidates come, so that it reads the options then);
 * once that offer or answer is sent (`sent()`), later ones of the call (re-INVITEs: ICE restarts,
 * roles) wait for gathering, so that a restarted ICE agent hears of every new candidate.
 */
export function firstOfferIce(gate: () => ((candidate: RTCIceCandidate) => boolean) | undefined): {
  candidate: (event: IceCandidateEvent) => void;
  sent: () => void;
} {
  let done = false;
  return {
    candidate: (event) => {
      if (done || !event.candidate || !gate()?.(event.candidate)) return;
      done = true;
      event.ready();
    },
    sent: () => {
      done = true;
    },
  };
}
