import type { RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { safeDelay, sleep } from '../timing.js';
import type { CallContext } from './context.js';

const RENEGOTIATION_TRIES = 10;

/** Offer/answer exchanges in the established call: ICE restarts, video recovery, and those of other services. */
export class Renegotiation {
  constructor(private readonly call: CallContext) {}

  /**
   * Runs `operation` (which changes the peer connection and starts an offer/answer, resolving false
   * when the call was not ready) on the connection's queue, retrying while another exchange is under way.
   */
  renegotiate(what: string, operation: (session: RTCSession, peer: RTCPeerConnection) => Promise<boolean>): Promise<void> {
    const call = this.call;
    return call.deps.queue.push(async () => {
      for (let tries = 1; tries <= RENEGOTIATION_TRIES; tries += 1) {
        const session = call.session;
        const peer = call.attempt?.peer;
        if (!session || !peer) throw VinteoError.invalidState(what, `the call is ${call.state}`);
        let done: boolean;
        try {
          done = await operation(session, peer);
        } catch (error) {
          throw VinteoError.protocolError(`Could not ${what}: the renegotiation failed`, error);
        } finally {
          call.applyMute(call.attempt);
        }
        if (done) return;
        // Another offer/answer is under way: wait for it and try again.
        await sleep(100 * tries);
      }
      throw VinteoError.protocolError(`Could not ${what}: the call never became ready to renegotiate`);
    });
  }

  /**
   * Restarts ICE with a re-INVITE (after a network change, or when the application asks). A connection still
   * making its first attempt (`new`, `connecting`: the call is answered before ICE and DTLS finish) is let
   * finish first, for at most {@link FIRST_CONNECTION_WAIT_MS}: Firefox abandons a DTLS handshake that an ICE
   * restart interrupts, and the call failed without media.
   */
  restartIce(): Promise<void> {
    return this.renegotiate('restart ICE', async (session, peer) => {
      await firstConnectionSettled(peer, FIRST_CONNECTION_WAIT_MS);
      return session.restartIce();
    });
  }
}

/** How long an ICE restart waits for a first connection attempt still under way. */
export const FIRST_CONNECTION_WAIT_MS = 10_000;

/**
 * Resolves once `peer` is past its first connection attempt (`connected`, `disconnected`, `failed` or
 * `closed`), or after `limitMs`. At once when it is already, or reports no state.
 */
export function firstConnectionSettled(peer: RTCPeerConnection, limitMs: number): Promise<void> {
  const pending = (): boolean => peer.connectionState === 'new' || peer.connectionState === 'connecting';
  if (!pending() || typeof peer.addEventListener !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      peer.removeEventListener('connectionstatechange', check);
      resolve();
    };
    const check = (): void => {
      if (!pending()) finish();
    };
    const timer = setTimeout(finish, safeDelay(limitMs));
    peer.addEventListener('connectionstatechange', check);
  });
}
