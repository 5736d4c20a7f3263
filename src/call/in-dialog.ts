import type { RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import { mediaStateInfo } from '../protocol/outgoing.js';
import type { MuteSettings } from './mute.js';
import { checkTiming, TIMING_LIMITS } from '../timing.js';
import type { CallState } from './types.js';

/** Sends DTMF tones in the established call (SIP INFO, 120 ms tones, 600 ms gaps by default). */
export function sendDtmf(session: RTCSession | undefined, state: CallState, tones: string, options: { duration?: number; interToneGap?: number }): void {
  if (!session) throw VinteoError.invalidState('send DTMF', `the call is ${state}`);
  if (!/^[0-9A-D#*,]{1,64}$/i.test(tones)) {
    throw VinteoError.invalidConfig(`DTMF tones must be 1 to 64 of 0-9 A-D # * , (got ${JSON.stringify(tones.slice(0, 70))})`);
  }
  checkTiming('dtmfDurationMs', options.duration);
  checkTiming('dtmfInterToneGapMs', options.interToneGap);
  try {
    session.sendDTMF(tones.toUpperCase(), {
      duration: options.duration ?? TIMING_LIMITS.dtmfDurationMs.fallback,
      interToneGap: options.interToneGap ?? TIMING_LIMITS.dtmfInterToneGapMs.fallback,
    });
  } catch (error) {
    throw VinteoError.protocolError('Could not send DTMF', error);
  }
}

/** Sends an INFO in the established call; rejects with a VinteoError (JsSIP rejects with undefined). */
export async function sendInfo(session: RTCSession | undefined, state: CallState, contentType: string, extraHeaders: readonly string[], body?: string): Promise<void> {
  if (!session) throw VinteoError.invalidState('send INFO', `the call is ${state}`);
  try {
    await session.sendInfo(contentType, body, { extraHeaders: [...extraHeaders], noTerminateWhenError: true });
  } catch (error) {
    throw VinteoError.protocolError(`The server refused INFO ${contentType}`, error);
  }
}

/** Tells the server the microphone and camera settings (a `mediastate` INFO) in the established call; failures are logged. */
export function sendMediaState(session: RTCSession | undefined, settings: MuteSettings): void {
  if (!session) return;
  const info = mediaStateInfo(settings.microphoneEnabled, settings.cameraEnabled);
  sendInfo(session, 'in-call', info.contentType, info.headers).catch((error: unknown) => {
    logger.warn('mediastate INFO failed', error);
  });
}
