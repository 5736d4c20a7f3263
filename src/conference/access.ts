/**
 * Room access (protocol §5): pure functions over the room the server named and the in-room
 * credentials. The waiting room is the room `purgatory`; admission is a later enter-room naming
 * the real room, with credentials (a bearer token plus its conference) that match it.
 */

/**
 * - `none`: no room yet;
 * - `waiting`: the waiting room (`purgatory`): the call is up, the app shows a waiting screen;
 * - `p2p`: a room matching `^p2p.+to.+$` without the direct flag;
 * - `direct-p2p`: any room with `x-webrtc-is-direct-p2p` true;
 * - `pending`: another room without matching credentials (pending authorisation);
 * - `in-room`: another room whose credentials' conference is that room.
 */
export type RoomAccess = 'none' | 'waiting' | 'p2p' | 'direct-p2p' | 'pending' | 'in-room';

/** In-room credentials: a bearer token and the conference it belongs to. Never logged, never in a snapshot or event. */
export interface RoomCredentials {
  readonly token: string;
  readonly conference: string;
}

export const PURGATORY = 'purgatory';
const P2P_ROOM = /^p2p.+to.+$/i;

/** The access a room gives, before credentials count: `waiting`, `p2p`, `direct-p2p`, or undefined for a normal room. */
function roomKind(room: string, isDirectP2P: boolean): 'waiting' | 'p2p' | 'direct-p2p' | undefined {
  if (room.toLowerCase() === PURGATORY) return 'waiting';
  if (isDirectP2P) return 'direct-p2p';
  if (P2P_ROOM.test(room)) return 'p2p';
  return undefined;
}

/** The access state of §5 for the current room (lower-cased by the parser) and credentials. */
export function roomAccess(room: string | undefined, isDirectP2P: boolean, credentials: RoomCredentials | undefined): RoomAccess {
  if (room === undefined || room === '') return 'none';
  const kind = roomKind(room, isDirectP2P);
  if (kind) return kind;
  return credentials !== undefined && credentials.token !== '' && credentials.conference === room.toLowerCase() ? 'in-room' : 'pending';
}

/**
 * The credentials after an enter-room INFO: cleared for purgatory, p2p and direct p2p; else a token
 * on it gives `{ token, conference: room }`, and a token-less one keeps the earlier credentials.
 */
export function credentialsAfterEnterRoom(
  info: { readonly room: string; readonly isDirectP2P: boolean; readonly bearerToken?: string | undefined },
  previous: RoomCredentials | undefined,
): RoomCredentials | undefined {
  if (roomKind(info.room, info.isDirectP2P)) return undefined;
  if (info.bearerToken) return { token: info.bearerToken, conference: info.room.toLowerCase() };
  return previous;
}

/** The credentials from a `ConferenceParticipantTokenIssued` notify: the jwt for `body.conference`, kept verbatim. */
export function credentialsFromNotify(notification: { readonly conference: string; readonly jwt: string }): RoomCredentials {
  return { token: notification.jwt, conference: notification.conference };
}
