/**
 * Redaction of secrets in text the library shows or logs: every {@link VinteoError} message (and so
 * every `vinteo-error` event, snapshot error and element error part), every log line, every DOM
 * event's strings. One place, so that no message has to remember it.
 */

/** Header values and fields that must never reach a log. */
const SECRET_PATTERN = /(password|bearer|token|jwt|ha1)(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;}]+)/gi;
const AUTH_HEADER = /((?:proxy-)?authorization\s*:\s*)[^\r\n]*/gi;

/** Where a URL starts in free text: `scheme://` (an authority follows) or `data:`. */
const URL_START = /\b(?:[a-z][a-z0-9+.-]*:\/\/|data:)/gi;
/** Trailing punctuation of a sentence, not of an unquoted URL. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/** What replaces a secret. */
export const MASK = '***';

/**
 * One URL without its secrets: userinfo (`user:password@`) becomes `***@`, the query `?***`, the
 * fragment `#***`; a `data:` URL keeps only `data:…` (its payload may be the credentials themselves).
 * Works on text that is not a valid URL too (it never parses, so nothing is normalised or lost).
 */
export function redactUrl(url: string): string {
  if (/^data:/i.test(url)) return url.length > 5 ? 'data:…' : url;
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([\s\S]*)$/i.exec(url);
  if (!match) return url;
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : `${MASK}@${authority.slice(at + 1)}`;
  const query = rest.search(/[?#]/);
  const path = query === -1 ? rest : `${rest.slice(0, query)}${rest[query]}${MASK}`;
  return `${scheme}${host}${path}`;
}

/**
 * The end (exclusive) of a URL starting at `start` in `text`: inside quotes, the closing quote (a
 * JSON-escaped `\"` does not close); unquoted, the first white space (and, for URLs with an
 * authority, a quote or angle bracket), less a sentence's trailing punctuation.
 */
function urlEnd(text: string, start: number, data: boolean): number {
  const quote = text[start - 1];
  if (quote === '"' || quote === "'" || quote === '`') {
    for (let i = start; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === quote) return i;
    }
    return text.length;
  }
  const stop = data ? /\s/ : /[\s"'`<>]/;
  let end = start;
  while (end < text.length && !stop.test(text[end]!)) end++;
  const trailing = TRAILING_PUNCTUATION.exec(text.slice(start, end));
  return trailing && !data ? end - trailing[0].length : end;
}

/** Every URL in free text through {@link redactUrl}; the rest of the text unchanged. */
export function redactUrls(text: string): string {
  let out = '';
  let from = 0;
  URL_START.lastIndex = 0;
  for (let match = URL_START.exec(text); match; match = URL_START.exec(text)) {
    const start = match.index;
    if (start < from) continue;
    const end = urlEnd(text, start, match[0].toLowerCase() === 'data:');
    out += text.slice(from, start) + redactUrl(text.slice(start, end));
    from = end;
    URL_START.lastIndex = Math.max(end, start + match[0].length);
  }
  return out + text.slice(from);
}

/**
 * Masks anything that looks like a credential in a log line: `Authorization` headers, `password=…`,
 * `token: …`, `"jwt": "…"` style fields, and URLs' userinfo, query, fragment and `data:` payloads.
 */
export function redact(text: string): string {
  // Fields first: a `data:` payload written out unquoted may still show them whole.
  return redactUrls(
    text
      .replace(AUTH_HEADER, (_match, key: string) => `${key}${MASK}`)
      .replace(SECRET_PATTERN, (_match, key: string, sep: string) => `${key}${sep}${MASK}`),
  );
}

/** Only the unambiguous field forms (`password=…`, `"password": …`), not prose ("a password: set it"). */
const SECRET_FIELD = /(password|bearer|token|jwt|ha1)(=|["']\s*:\s*)("[^"]*"|'[^']*'|[^\s,;}]+)/gi;

/**
 * {@link redact} for an error message, which is prose: `Authorization` headers, `password=…` and
 * `"password": …` fields and every URL, but not "needs a password: set …".
 */
export function redactMessage(text: string): string {
  return redactUrls(
    text
      .replace(AUTH_HEADER, (_match, key: string) => `${key}${MASK}`)
      .replace(SECRET_FIELD, (_match, key: string, sep: string) => `${key}${sep}${MASK}`),
  );
}

/**
 * An error safe to show or log: itself when redaction changes nothing in its message and cause; else
 * a plain `Error` of the same name with the redacted message and cause, and the original stack with
 * the message in it redacted (a foreign error's message cannot always be rewritten in place: a
 * `DOMException`'s is read-only). Anything that is not an `Error` comes back as it is.
 */
export function redactError<T>(value: T, depth = 0): T | Error {
  if (!(value instanceof Error) || depth > 3) return value;
  const message = redact(value.message);
  const cause: unknown = value.cause === undefined ? undefined : redactError(value.cause, depth + 1);
  if (message === value.message && cause === value.cause) return value;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  copy.name = value.name;
  // The stack's first line repeats the message; its frames are script addresses.
  if (typeof value.stack === 'string') copy.stack = value.message ? value.stack.split(value.message).join(message) : value.stack;
  return copy;
}

/** Explicit bidirectional formatting characters: embeddings, overrides and isolates (LRE … PDI). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text with its explicit bidirectional formatting characters shown as U+FFFD: a server's string
 * quoted in a message cannot reverse the rest of the message (`"Bob\u202E (1234)"`).
 */
export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '\uFFFD');
}
