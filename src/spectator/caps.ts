import { logger } from '../logger.js';

/** The send caps of a spectator (protocol §6): `maxBitrate` on every encoding, bits/s. */
export const SPECTATOR_CAPS = { audio: 6000, video: 60_000 } as const;
/** What PARTICIPANT restores where no limit was saved: 520 kbps audio, 4 Mbps video (×0.6 for AV1). */
export const PARTICIPANT_DEFAULTS = { audio: 520_000, video: 4_000_000 } as const;
export const AV1_FACTOR = 0.6;

/** The `maxBitrate` of each encoding of each sender, as it was before the caps. */
export type SavedLimits = Map<RTCRtpSender, readonly (number | undefined)[]>;

function kindOf(sender: RTCRtpSender): 'audio' | 'video' | undefined {
  const kind = sender.track?.kind;
  return kind === 'audio' || kind === 'video' ? kind : undefined;
}

function isAv1(parameters: RTCRtpSendParameters): boolean {
  return (parameters.codecs ?? []).some((codec, index) => index === 0 && /av1/i.test(codec.mimeType));
}

/** The limit PARTICIPANT restores on a sender that had none saved. */
export function participantDefault(kind: 'audio' | 'video', parameters: RTCRtpSendParameters): number {
  if (kind === 'audio') return PARTICIPANT_DEFAULTS.audio;
  return isAv1(parameters) ? Math.round(PARTICIPANT_DEFAULTS.video * AV1_FACTOR) : PARTICIPANT_DEFAULTS.video;
}

/** Sets `maxBitrate` on every encoding of `sender`; never rejects (a failure is logged). */
async function setLimits(sender: RTCRtpSender, limit: (index: number, parameters: RTCRtpSendParameters) => number | undefined): Promise<void> {
  try {
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) return;
    parameters.encodings = parameters.encodings.map((encoding, index) => {
      const value = limit(index, parameters);
      const next = { ...encoding };
      if (value === undefined) delete next.maxBitrate;
      else next.maxBitrate = value;
      return next;
    });
    await sender.setParameters(parameters);
  } catch (error) {
    logger.warn('could not change a sender limit', error);
  }
}

/**
 * Saves each sender's encoding limits (unless already saved, so that a second SPECTATOR keeps the
 * participant's), then caps every encoding: 6000 on audio senders, 60000 on video senders. A
 * presentation sender is a video sender too: it is capped like the camera (its presentation stops).
 */
export async function capSenders(peer: RTCPeerConnection | undefined, saved: SavedLimits): Promise<void> {
  if (!peer) return;
  const work: Promise<void>[] = [];
  for (const sender of peer.getSenders()) {
    const kind = kindOf(sender);
    if (!kind) continue;
    if (!saved.has(sender)) {
      try {
        saved.set(sender, (sender.getParameters().encodings ?? []).map((e) => e.maxBitrate));
      } catch {
        saved.set(sender, []);
      }
    }
    work.push(setLimits(sender, () => SPECTATOR_CAPS[kind]));
  }
  await Promise.all(work);
}

/**
 * Restores the limits saved by {@link capSenders}; where none was saved (no limit before, or a
 * sender added since): 520 kbps on audio, 4 Mbps on video, ×0.6 for AV1. Forgets the saved limits.
 */
export async function restoreSenders(peer: RTCPeerConnection | undefined, saved: SavedLimits): Promise<void> {
  const work: Promise<void>[] = [];
  for (const sender of peer?.getSenders() ?? []) {
    const kind = kindOf(sender);
    if (!kind) continue;
    const before = saved.get(sender) ?? [];
    work.push(setLimits(sender, (index, parameters) => before[index] ?? participantDefault(kind, parameters)));
  }
  saved.clear();
  await Promise.all(work);
}
