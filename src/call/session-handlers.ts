import type { EndEvent, IceCandidateEvent, IncomingInfoEvent, OutgoingInfoEvent, PeerConnectionEvent, RTCSession, SDPEvent } from '@krivega/jssip';
import { withoutBundleOnly } from './bundle-only.js';
import type { firstOfferIce } from './ice.js';

/** What a call does on its JsSIP session's events. */
export interface SessionCallbacks {
  peerconnection(peer: RTCPeerConnection): void;
  confirmed(): void;
  ended(event: EndEvent): void;
  failed(event: EndEvent): void;
  info(event: IncomingInfoEvent | OutgoingInfoEvent): void;
}

/** The handlers of one session, by JsSIP event name. */
export interface SessionHandlers {
  readonly peerconnection: (event: PeerConnectionEvent) => void;
  readonly icecandidate: (event: IceCandidateEvent) => void;
  /** The offer (outgoing: `sending`) or answer (incoming: `accepted`) went out. */
  readonly sent: () => void;
  readonly confirmed: () => void;
  readonly ended: (event: EndEvent) => void;
  readonly failed: (event: EndEvent) => void;
  readonly newInfo: (event: IncomingInfoEvent | OutgoingInfoEvent) => void;
  /** Every local offer and answer before it goes out (JsSIP sends `event.sdp`): no bundle-only m-lines. */
  readonly sdp: (event: SDPEvent) => void;
}

/** Rewrites a local description JsSIP is about to send (see withoutBundleOnly). */
function localSdp(event: SDPEvent): void {
  if (event.originator === 'local') event.sdp = withoutBundleOnly(event.sdp);
}

/**
 * The one handler table of a call's session, outgoing and incoming alike: each event runs its
 * callback while `current()` (the session is still the call's current leg).
 */
export function sessionHandlers(callbacks: SessionCallbacks, ice: ReturnType<typeof firstOfferIce>, current: () => boolean): SessionHandlers {
  return {
    peerconnection: (event) => current() && callbacks.peerconnection(event.peerconnection),
    icecandidate: (event) => current() && ice.candidate(event),
    sent: ice.sent,
    confirmed: () => current() && callbacks.confirmed(),
    ended: (event) => current() && callbacks.ended(event),
    failed: (event) => current() && callbacks.failed(event),
    newInfo: (event) => current() && callbacks.info(event),
    sdp: localSdp,
  };
}

/** The table as JsSIP's `eventHandlers` option of an outgoing call (registered before the INVITE is built). */
export function outgoingEventHandlers(handlers: SessionHandlers) {
  const { sent, ...rest } = handlers;
  return { ...rest, sending: sent };
}

/** Registers the table on a ringing incoming session. */
export function listenToIncoming(session: RTCSession, handlers: SessionHandlers): void {
  session.on('icecandidate', handlers.icecandidate);
  session.on('accepted', handlers.sent);
  session.on('peerconnection', handlers.peerconnection);
  session.on('confirmed', handlers.confirmed);
  session.on('ended', handlers.ended);
  session.on('failed', handlers.failed);
  session.on('newInfo', handlers.newInfo);
  session.on('sdp', handlers.sdp);
}
