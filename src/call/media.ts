import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';

import type { MediaProvider } from './media-provider.js';

export const DEFAULT_VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};

function errorName(error: unknown): string {
  return error instanceof DOMException || error instanceof Error ? error.name : '';
}

export interface AcquiredMedia {
  readonly stream: MediaStream;
  /** Set when the camera could not be opened and the call goes on with audio only. */
  readonly videoError?: VinteoError;
}

/**
 * Opens microphone and camera. A refused permission is an error; a missing or busy
 * camera falls back to audio only, with the reason kept for the caller to show.
 */
export async function acquireLocalMedia(
  provider: MediaProvider,
  video: MediaTrackConstraints | boolean,
  audio: MediaTrackConstraints | boolean = true,
): Promise<AcquiredMedia> {
  try {
    return { stream: await provider.getUserMedia({ audio, video }) };
  } catch (error) {
    const name = errorName(error);
    if (name === 'NotAllowedError' || name === 'SecurityError') throw VinteoError.mediaPermissionDenied(error);
    if (video === false) throw VinteoError.mediaUnavailable(error);
    logger.warn(`camera unavailable (${name}); trying the microphone alone`);
    try {
      const stream = await provider.getUserMedia({ audio, video: false });
      return { stream, videoError: VinteoError.mediaUnavailable(error) };
    } catch (audioError) {
      if (errorName(audioError) === 'NotAllowedError') throw VinteoError.mediaPermissionDenied(audioError);
      throw VinteoError.mediaUnavailable(audioError);
    }
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
}
