import { logger } from '../../src/logger.js';

type SinkElement = HTMLMediaElement & { sinkId?: string; setSinkId?: (id: string) => Promise<void> };

/**
 * Plays `stream` in a `<video>` or `<audio>` (its `srcObject`), or empties it; a no-op when it already
 * plays that stream. A refused `play()` (autoplay rules) is only logged: `autoplay` retries.
 */
export function bindStream(media: HTMLMediaElement | null, stream: MediaStream | undefined): void {
  if (!media || media.srcObject === (stream ?? null)) return;
  media.srcObject = stream ?? null;
  if (stream) media.play().catch((error: unknown) => logger.debug('video.play() was refused', error));
}

/** The speaker last asked of each media element: a refused one is not asked again on every render. */
const askedSpeaker = new WeakMap<HTMLMediaElement, string>();

/**
 * Sends a media element's sound to the speaker `speakerId` (`undefined`: the default one) where the
 * browser can choose it (`setSinkId`); a no-op when it already does, or was already asked to (a
 * refusal is reported once, not on each render). `onError` gets a refusal.
 */
export function bindSpeaker(media: HTMLMediaElement | null, speakerId: string | undefined, onError: (error: unknown) => void): void {
  const target = media as SinkElement | null;
  const wanted = speakerId ?? '';
  if (!target?.setSinkId || (target.sinkId ?? '') === wanted || askedSpeaker.get(target) === wanted) return;
  askedSpeaker.set(target, wanted);
  target.setSinkId(wanted).catch(onError);
}
