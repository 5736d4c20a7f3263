/** Minimal SDP inspection (not SIP): the m-lines of an offer, their mids and directions. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface OfferedMedia {
  kind: string;
  mid: string;
  /** Direction as written in the offer (media-level, else session-level, else sendrecv; port 0 → inactive). */
  direction: MediaDirection;
  port: number;
  /** Codec names offered (rtpmap encoding names, upper-cased, deduplicated). */
  codecs: string[];
}

const DIRECTIONS = new Set<MediaDirection>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

export function parseOfferedMedia(sdp: string): OfferedMedia[] {
  const lines = sdp.split(/\r?\n/);
  let sessionDirection: MediaDirection | undefined;
  const media: Array<OfferedMedia & { explicitDirection?: MediaDirection }> = [];
  let current: (OfferedMedia & { explicitDirection?: MediaDirection }) | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      const [kind = '', port = '0'] = line.slice(2).split(/\s+/);
      current = { kind, mid: String(media.length), direction: 'sendrecv', port: Number(port) || 0, codecs: [] };
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
      const name = attr.split(/\s+/)[1]?.split('/')[0]?.toUpperCase();
      if (name && !current.codecs.includes(name)) current.codecs.push(name);
    }
  }
  return media.map(({ explicitDirection, ...m }) => ({
    ...m,
    direction: m.port === 0 ? 'inactive' : (explicitDirection ?? sessionDirection ?? 'sendrecv'),
  }));
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
