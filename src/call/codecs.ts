import { logger } from '../logger.js';

/** Codecs that protect or repeat others rather than carry media. */
const AUXILIARY = new Set(['video/rtx', 'video/red', 'video/ulpfec', 'video/flexfec-03', 'audio/red', 'audio/cn', 'audio/telephone-event']);

export interface CodecPreferences {
  readonly preferred: readonly string[];
  readonly excluded: readonly string[];
}

/**
 * Orders `codecs` for `setCodecPreferences`: preferred ones first (in the given order), excluded
 * ones removed. An exclusion that would leave a kind without any media codec is ignored.
 */
export function orderCodecs<T extends { mimeType: string }>(codecs: readonly T[], preferences: CodecPreferences): T[] {
  const mime = (codec: T): string => codec.mimeType.toLowerCase();
  const kept = codecs.filter((codec) => !preferences.excluded.includes(mime(codec)));
  const usable = kept.some((codec) => !AUXILIARY.has(mime(codec))) ? kept : [...codecs];
  const rank = (codec: T): number => {
    const index = preferences.preferred.indexOf(mime(codec));
    return index === -1 ? preferences.preferred.length : index;
  };
  return usable
    .map((codec, index) => ({ codec, index }))
    .sort((a, b) => rank(a.codec) - rank(b.codec) || a.index - b.index)
    .map(({ codec }) => codec);
}

/** Applies preferences to a transceiver where the browser supports it. Returns whether it did. */
export function applyCodecPreferences(transceiver: RTCRtpTransceiver, kind: string, preferences: CodecPreferences): boolean {
  if (preferences.preferred.length === 0 && preferences.excluded.length === 0) return false;
  if (typeof transceiver.setCodecPreferences !== 'function' || typeof RTCRtpReceiver === 'undefined') return false;
  const capabilities = RTCRtpReceiver.getCapabilities(kind);
  if (!capabilities) return false;
  transceiver.setCodecPreferences(orderCodecs(capabilities.codecs, preferences));
  return true;
}

/** The `onAddedTransceiver` hook of JsSIP that applies `codecs` (none without preferences); never rejects. */
export function codecHook(codecs: CodecPreferences | undefined) {
  return codecs
    ? (transceiver: RTCRtpTransceiver, track: MediaStreamTrack): Promise<void> => {
        try {
          applyCodecPreferences(transceiver, track.kind, codecs);
        } catch (error) {
          logger.warn('setCodecPreferences failed', error);
        }
        return Promise.resolve();
      }
    : undefined;
}
