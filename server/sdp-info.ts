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

/**
 * Post-processes an answer produced by werift:
 * - its BUNDLE group may list mids the offer did not bundle (e.g. an m-line the
 *   offerer rejected with port 0), which Chromium refuses ("A BUNDLE group in
 *   answer contains a MID that was not in the offered group"): keep only mids
 *   that are both offered in the group and accepted in the answer;
 * - writes the o= session version given (it must grow on every new answer).
 */
export function fixAnswerSdp(offerSdp: string, answerSdp: string, sessionVersion: number): string {
  const eol = answerSdp.includes('\r\n') ? '\r\n' : '\n';
  const offered = bundleMids(offerSdp);
  const accepted = new Set(parseOfferedMedia(answerSdp).filter((m) => m.port !== 0).map((m) => m.mid));
  const lines = answerSdp.split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith('a=group:BUNDLE')) {
      if (!offered) continue;
      const mids = (bundleMids(line) ?? []).filter((mid) => offered.includes(mid) && accepted.has(mid));
      if (mids.length) out.push(`a=group:BUNDLE ${mids.join(' ')}`);
      continue;
    }
    if (line.startsWith('o=')) {
      const parts = line.split(' ');
      if (parts.length >= 6) parts[2] = String(sessionVersion);
      out.push(parts.join(' '));
      continue;
    }
    out.push(line);
  }
  return out.join(eol);
}

/** Writes the o= session version (it must grow with every new SDP this side sends). */
export function setSessionVersion(sdp: string, sessionVersion: number): string {
  return sdp.replace(/^(o=\S+ \S+ )\d+( .*)$/m, `$1${sessionVersion}$2`);
}
