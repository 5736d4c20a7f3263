import type { RTCSession } from '@krivega/jssip';
import { logger } from '../logger.js';

/** The user's microphone and camera settings: the only source of truth for what the call sends. */
export interface MuteSettings {
  readonly microphoneEnabled: boolean;
  readonly cameraEnabled: boolean;
}

/**
 * Makes the local stream's tracks carry the user's settings: audio tracks follow the microphone,
 * video tracks the camera. A presentation's track is not in the local stream and is left alone.
 */
export function applyMuteSettings(stream: MediaStream | undefined, settings: MuteSettings): void {
  if (!stream) return;
  for (const track of stream.getAudioTracks()) track.enabled = settings.microphoneEnabled;
  for (const track of stream.getVideoTracks()) track.enabled = settings.cameraEnabled;
}

/** The JsSIP method that sets `enabled` on every sent track (its own mute and hold state). */
const JSSIP_MEDIA_STATUS = '_setLocalMediaStatus';

/**
 * JsSIP turns every sent track back on (`track.enabled = true`, all video senders alike) before each
 * renegotiation it starts, and on hold, unhold, mute and unmute: a screen share, an ICE restart, a
 * role change or a server's restart INFO would unmute the user. JsSIP's own mute cannot help, as it
 * cannot tell the camera from a presentation. So the session's hook runs `apply` instead, which sets
 * the tracks from our settings; every path inside JsSIP that would touch `enabled` goes through it.
 * Returns false (and logs) when this JsSIP has no such hook; a unit test pins the hook's presence.
 */
export function keepMuteSettings(session: RTCSession, apply: () => void): boolean {
  const target = session as unknown as Record<string, unknown>;
  if (typeof target[JSSIP_MEDIA_STATUS] !== 'function') {
    logger.warn(`JsSIP has no ${JSSIP_MEDIA_STATUS}(): mute state is re-applied after each renegotiation only`);
    return false;
  }
  target[JSSIP_MEDIA_STATUS] = apply;
  return true;
}
