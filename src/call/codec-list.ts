import { VinteoError } from '../errors.js';

/** Codec names as in `preferred-codecs="video/VP9 video/AV1"`, lower-cased. */
export function parseCodecList(value: string | undefined | null, attribute: string): string[] {
  if (!value || value.trim() === '') return [];
  const names = value.trim().split(/[\s,]+/);
  for (const name of names) {
    if (!/^(audio|video)\/[A-Za-z0-9.+-]{1,32}$/.test(name)) {
      throw VinteoError.invalidConfig(`${attribute} takes codec names like "video/VP9 audio/opus" (got ${JSON.stringify(name.slice(0, 40))})`);
    }
  }
  return names.map((name) => name.toLowerCase());
}
