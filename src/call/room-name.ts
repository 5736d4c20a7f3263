import { logger } from '../logger.js';
import { roomNameInfo, type RoomNameOptions } from '../protocol/outgoing.js';
import type { Attempt } from './attempt.js';
import { sendInfo } from './in-dialog.js';

/**
 * What the `roomname` INFO says for a call (vinteo-protocol.md §3): `p2p{localUser}to{conference}`
 * for a call we placed, `p2p{callerUser}to{localUser}` for an incoming call we answered; the
 * participant name is the conference, or the caller's number (both are `attempt.conference`).
 */
export function roomNameOf(attempt: Pick<Attempt, 'direction' | 'conference'>, localUser: string): RoomNameOptions {
  const enterRoom = attempt.direction === 'incoming' ? `p2p${attempt.conference}to${localUser}` : `p2p${localUser}to${attempt.conference}`;
  return { enterRoom, participantName: attempt.conference };
}

/**
 * Sends the `roomname` INFO right after a call is confirmed (2xx and ACK), on every call and every
 * redial, as the reference SDK does. Unlike the reference, which hangs up when the server answers
 * it with a non-2xx, a refusal or a failure is only logged: the call goes on. Never throws.
 */
export function sendRoomName(attempt: Attempt, localUser: string): void {
  let info;
  try {
    info = roomNameInfo(roomNameOf(attempt, localUser));
  } catch (error) {
    // A caller's number that could inject a header: nothing is sent.
    logger.warn('roomname INFO not sent: a value is not a valid header value', error);
    return;
  }
  sendInfo(attempt.session, 'in-call', info.contentType, info.headers).catch((error: unknown) => {
    logger.warn('the server did not accept the roomname INFO; the call goes on', error);
  });
}
