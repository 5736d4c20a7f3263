/** Minimal SDP inspection (not SIP): the m-lines of an offer or answer, their mids, directions and codecs. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface OfferedMedia {
  kind: string;
  mid: string;
  /** Direction as written in the SDP (media-level, else session-level, else sendrecv; port 0 → inactive). */
  direction: MediaDirection;
  port: number;
  /**
   * Codec names (rtpmap encoding names, upper-cased, deduplicated) in the
   * order of the m-line's format list, i.e. the sender's preference order.
   */
  codecs: string[];
}

const DIRECTIONS = new Set<MediaDirection>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** Static RTP payload types (RFC 3551) that may appear without an rtpmap. */
const STATIC_PAYLOAD_TYPES: Record<string, string> = {
  0: 'PCMU',
  3: 'GSM',
  4: 'G723',
  8: 'PCMA',
  9: 'G722',
  13: 'CN',
  18: 'G729',
  26: 'JPEG',
  31: 'H261',
  34: 'H263',
};

interface MediaSection extends OfferedMedia {
  explicitDirection?: MediaDirection;
  formats: string[];
  rtpmap: Map<string, string>;
}

/** The m-lines of an SDP (offer or answer): kinds, mids, directions, ports and codecs. */
export function parseOfferedMedia(sdp: string): OfferedMedia[] {
  const lines = sdp.split(/\r?\n/);
  let sessionDirection: MediaDirection | undefined;
  const media: MediaSection[] = [];
  let current: MediaSection | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      const [kind = '', port = '0', , ...formats] = line.slice(2).split(/\s+/);
      current = { kind, mid: String(media.length), direction: 'sendrecv', port: Number(port) || 0, codecs: [], formats, rtpmap: new Map() };
      media.push(current);
      continue;
    }
    if (!line.startsWith('a=')) continue;
    const attr = line.slice(2);
    if (DIRECTIONS.has(attr as MediaDirection)) {
      if (current) current.explicitDirection = attr as MediaDirection;
      else sessionDirection = attr as MediaDirection;
    } else if (current && attr.startsWith('mid:')) {
      current.mid = attr.slice(4).trim();
    } else if (current && attr.startsWith('rtpmap:')) {
      const [pt = '', encoding = ''] = attr.slice(7).trim().split(/\s+/);
      const name = encoding.split('/')[0]?.toUpperCase();
      if (pt && name && !current.rtpmap.has(pt)) current.rtpmap.set(pt, name);
    }
  }
  return media.map(({ explicitDirection, formats, rtpmap, ...m }) => {
    const codecs: string[] = [];
    const add = (name: string | undefined): void => {
      if (name && !codecs.includes(name)) codecs.push(name);
    };
    for (const pt of formats) add(rtpmap.get(pt) ?? STATIC_PAYLOAD_TYPES[pt]);
    // rtpmap lines for payload types missing from the m-line (malformed SDP) come last.
    for (const [pt, name] of rtpmap) if (!formats.includes(pt)) add(name);
    return { ...m, codecs, direction: m.port === 0 ? 'inactive' : (explicitDirection ?? sessionDirection ?? 'sendrecv') };
  });
}

/** True when the SDP offers at least one video m-line with a non-zero port. */
export function hasVideo(media: OfferedMedia[]): boolean {
  return media.some((m) => m.kind === 'video' && m.port !== 0);
}

function bundleMids(sdp: string): string[] | undefined {
  const line = /^a=group:BUNDLE(.*)$/m.exec(sdp);
  return line ? line[1]!.trim().split(/\s+/).filter(Boolean) : undefined;
}

/** The o= fields this side keeps stable across its SDPs: the session id (optional) and a growing version. */
export interface SdpOrigin {
  version: number;
  /** Keep the session id of our first SDP (werift draws a new random one for each description). */
  sessionId?: string;
}

function rewriteOrigin(line: string, origin: SdpOrigin): string {
  const parts = line.split(' ');
  if (parts.length < 6) return line;
  if (origin.sessionId) parts[1] = origin.sessionId;
  parts[2] = String(origin.version);
  return parts.join(' ');
}

/** The session id of an SDP's o= line. */
export function sessionIdOf(sdp: string): string | undefined {
  return /^o=\S+ (\S+) /m.exec(sdp)?.[1];
}

/**
 * Rewrites the m-lines of `sdp` (mid → new port) and its BUNDLE group
 * (only mids in `bundle`, in their order; dropped when empty).
 */
function rewriteSections(sdp: string, origin: SdpOrigin, portOf: (mid: string, port: number) => number, bundle: (mids: string[], ports: Map<string, number>) => string[]): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  // First pass: the mid of every m-section (by the index of its m= line).
  const midAt = new Map<number, string>();
  let section = -1;
  lines.forEach((line, i) => {
    if (line.startsWith('m=')) section = i;
    else if (section >= 0 && line.startsWith('a=mid:') && !midAt.has(section)) midAt.set(section, line.slice(6).trim());
  });
  const ports = new Map<string, number>();
  const out = lines.map((line, i) => {
    if (!line.startsWith('m=')) return line;
    const mid = midAt.get(i);
    const fields = line.split(' ');
    const port = Number(fields[1]) || 0;
    const next = mid === undefined ? port : portOf(mid, port);
    if (mid !== undefined) ports.set(mid, next);
    if (next === port) return line;
    fields[1] = String(next);
    return fields.join(' ');
  });
  const result: string[] = [];
  for (const line of out) {
    if (line.startsWith('a=group:BUNDLE')) {
      const mids = bundle(bundleMids(line) ?? [], ports);
      if (mids.length) result.push(`a=group:BUNDLE ${mids.join(' ')}`);
      continue;
    }
    result.push(line.startsWith('o=') ? rewriteOrigin(line, origin) : line);
  }
  return result.join(eol);
}

/** Port werift's answers and offers should have used for an inactive (not rejected) m-line. */
const DISCARD_PORT = 9;

/**
 * Post-processes an answer produced by werift:
 * - werift writes port 0 (rejected) for every m-line whose negotiated
 *   direction is `inactive`, even when the offer kept it alive (non-zero port,
 *   e.g. `a=inactive` or a `recvonly` offer for our stopped content sender);
 *   Chromium then stops that transceiver for good. Such m-lines get port 9
 *   back (still `a=inactive`); m-lines the offer itself rejected stay at 0;
 * - its BUNDLE group may list mids the offer did not bundle (e.g. an m-line the
 *   offerer rejected with port 0), which Chromium refuses ("A BUNDLE group in
 *   answer contains a MID that was not in the offered group"): keep only mids
 *   that are both offered in the group and accepted in the answer;
 * - writes the o= version given (it must grow on every new SDP) and, when
 *   given, our stable session id.
 */
export function fixAnswerSdp(offerSdp: string, answerSdp: string, origin: SdpOrigin | number): string {
  const o = typeof origin === 'number' ? { version: origin } : origin;
  const offered = bundleMids(offerSdp);
  const offeredPorts = new Map(parseOfferedMedia(offerSdp).map((m) => [m.mid, m.port]));
  return rewriteSections(
    answerSdp,
    o,
    (mid, port) => (port === 0 && (offeredPorts.get(mid) ?? 0) !== 0 ? DISCARD_PORT : port),
    (mids, ports) => (offered ? mids.filter((mid) => offered.includes(mid) && (ports.get(mid) ?? 0) !== 0) : []),
  );
}

/**
 * Post-processes a re-offer produced by werift (server-initiated renegotiation):
 * - m-lines in `keepAlive` (our content sender while stopped) get port 9
 *   instead of werift's port 0 for `inactive`, so the client keeps the
 *   transceiver (it may reuse it) and we can re-enable it later;
 * - the BUNDLE group lists only m-lines with a non-zero port (werift also
 *   lists rejected ones, which Chromium refuses);
 * - writes the o= version and session id.
 */
export function fixOfferSdp(offerSdp: string, origin: SdpOrigin, keepAlive: ReadonlySet<string> = new Set()): string {
  return rewriteSections(
    offerSdp,
    origin,
    (mid, port) => (port === 0 && keepAlive.has(mid) ? DISCARD_PORT : port),
    (mids, ports) => mids.filter((mid) => (ports.get(mid) ?? 0) !== 0),
  );
}

/** Writes the o= session version (it must grow with every new SDP this side sends). */
export function setSessionVersion(sdp: string, sessionVersion: number): string {
  return sdp.replace(/^(o=\S+ \S+ )\d+( .*)$/m, `$1${sessionVersion}$2`);
}
