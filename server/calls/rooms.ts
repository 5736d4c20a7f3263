/**
 * Rooms and in-room credentials (protocol §5, §14.3): after the ACK the
 * server puts a conference call in a room with the enter-room INFO. With the
 * waiting room on, a guest first enters `purgatory` (state `waiting`, media
 * flowing) and admission is a later enter-room naming the real room (the
 * conference, lower-cased). Entering a real room issues a bearer token,
 * carried as `x-bearer-token` on that INFO or by a
 * `ConferenceParticipantTokenIssued` notify INFO right after it (or not at
 * all), by the token mode.
 */
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../log.js';
import { hasVideo } from '../sdp-info.js';
import { ROOMNAME, sanitizeHeaderValue, type Call } from './call.js';
import type { CallContext } from './context.js';

export const PURGATORY = 'purgatory';
export const TOKEN_MODES = ['enter-room', 'notify', 'off'] as const;
/** How a client gets its in-room token: on the enter-room INFO, by a TokenIssued notify INFO, or not at all. */
export type TokenMode = (typeof TOKEN_MODES)[number];
const NOTIFY_INFO_TYPE = 'application/vinteo.webrtc.notify';

/** A token as the control API and the logs show it: its first 4 characters. */
export function redactToken(token: string): string {
  return `${token.slice(0, 4)}…`;
}

/** The real room of a call: its conference, lower-cased (§14.3). */
export function roomOf(call: Call): string {
  return sanitizeHeaderValue(call.conference).toLowerCase();
}

/** True for a guest's call (X-Vinteo-Purgatory-Call: yes). */
export function isGuest(call: Call): boolean {
  return (call.inviteHeaders['x-vinteo-purgatory-call'] ?? '').trim().toLowerCase() === 'yes';
}

/**
 * The INFOs after the ACK: the enter-room (purgatory for a guest while the
 * waiting room is on: the call becomes `waiting`; else the real room, with
 * its token), then uselic.
 */
export async function sendWelcomeInfos(ctx: CallContext, call: Call): Promise<void> {
  try {
    if (call.direction === 'incoming' && ctx.waitingRoom && isGuest(call)) {
      call.state = 'waiting';
      ctx.log.info(`call ${call.id}: in the waiting room`);
      await enterRoom(ctx, call, PURGATORY);
    } else {
      await enterRoom(ctx, call, roomOf(call));
    }
    if (call.state !== 'confirmed' && call.state !== 'waiting') return;
    await ctx.sendInDialogInfo(call, 'application/vinteo.webrtc.uselic', { 'X-WEBRTC-USE-LICENSE': hasVideo(call.offeredMedia) ? 'VIDEO' : 'AUDIO' }, '');
  } catch (error) {
    ctx.log.debug(`call ${call.id}: welcome INFO failed: ${errorMessage(error)}`);
  }
}

/** Admission from the waiting room: the call is `confirmed` and enters its real room (with its token). */
export async function admit(ctx: CallContext, call: Call): Promise<void> {
  call.state = 'confirmed';
  ctx.log.info(`call ${call.id}: admitted from the waiting room`);
  try {
    await enterRoom(ctx, call, roomOf(call));
  } catch (error) {
    ctx.log.debug(`call ${call.id}: enter-room INFO failed: ${errorMessage(error)}`);
  }
}

/** Sends the enter-room INFO for `room` and records the room and token on the call. */
async function enterRoom(ctx: CallContext, call: Call, room: string): Promise<void> {
  const real = room !== PURGATORY;
  const mode = ctx.tokenMode;
  const token = real && mode !== 'off' ? randomBytes(24).toString('base64url') : undefined;
  call.room = room;
  call.bearerToken = token;
  const headers: Record<string, string> = {
    'X-WEBRTC-ENTER-ROOM': room,
    'X-WEBRTC-PARTICIPANT-NAME': sanitizeHeaderValue(call.displayName || call.from),
  };
  if (token && mode === 'enter-room') headers['X-BEARER-TOKEN'] = token;
  ctx.log.info(`call ${call.id}: enters room ${room}${token ? ` with token ${redactToken(token)} (${mode})` : ''}`);
  await ctx.sendInDialogInfo(call, ROOMNAME, headers, '');
  if (token && mode === 'notify' && call.state === 'confirmed') {
    const notify = { cmd: 'ConferenceParticipantTokenIssued', body: { conference: room, participant: headers['X-WEBRTC-PARTICIPANT-NAME'], jwt: token } };
    await ctx.sendInDialogInfo(call, NOTIFY_INFO_TYPE, { 'x-vinteo-notify': JSON.stringify(notify) }, '');
  }
}
