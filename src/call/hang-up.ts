import type { RTCSession } from '@krivega/jssip';

/** Outgoing sessions watched by {@link watchAcknowledgement}: whether JsSIP has ACKed their 2xx yet. */
const acknowledged = new WeakMap<RTCSession, { done: boolean }>();

/**
 * Notes when JsSIP acknowledges the 2xx of an outgoing session (its `confirmed` event comes right after
 * the ACK), for {@link hangUp}. Call it once, as the session is created.
 */
export function watchAcknowledgement(session: RTCSession): void {
  const state = { done: false };
  acknowledged.set(session, state);
  session.on('confirmed', () => {
    state.done = true;
  });
}

/**
 * Ends a JsSIP session: BYE when established, a rejection when ringing here, and for an outgoing call
 * without a final answer yet a CANCEL (or no INVITE at all if it has not gone out). Either way a 2xx
 * that arrives for the INVITE is acknowledged and hung up, as RFC 3261 (§13.2.2.4, §15) has the
 * caller do: else the server keeps a call that no one is in. JsSIP falls short twice:
 *
 * - A session cancelled after a provisional response (the usual case: servers send 100 Trying at
 *   once) is closed at once, and a 200 OK that crossed the CANCEL (or that the server sent anyway)
 *   matches no state in `_receiveInviteResponse` and is dropped: never ACKed, never BYEd. JsSIP ACKs
 *   and BYEs it (`_acceptAndTerminate`) only for sessions cancelled before any provisional response
 *   (its `_is_canceled` flag); setting the flag sends the late 2xx down that path. (A 1xx after that
 *   repeats the CANCEL, as JsSIP does for sessions cancelled early.)
 * - A 2xx is ACKed only once its answer is applied to the peer connection; hanging up meanwhile
 *   sends BYE and closes the connection, so the answer is never applied and the ACK never sent. For
 *   a session watched by {@link watchAcknowledgement} the ACK goes out first.
 *
 * `response` is a final response for a ringing incoming call (486, 603). Throws what `session.terminate()` throws (e.g. the session is already over).
 */
export function hangUp(session: RTCSession, response?: { status_code: number; reason_phrase: string }): void {
  const outgoing = session.direction === 'outgoing';
  const unanswered = outgoing && session.isInProgress();
  if (outgoing && acknowledged.get(session)?.done === false && session.isEstablished()) {
    (session as unknown as { sendRequest(method: string): void }).sendRequest('ACK');
  }
  session.terminate(response);
  if (unanswered) (session as unknown as { _is_canceled: boolean })._is_canceled = true;
}
