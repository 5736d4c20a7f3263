import type { Attempt } from './attempt.js';

/** The first transceiver of a kind carries the conference; later video ones carry presentations. */
export function isMainTransceiver(peer: RTCPeerConnection, transceiver: RTCRtpTransceiver | undefined, kind: string): boolean {
  if (!transceiver || typeof peer.getTransceivers !== 'function') return true;
  const first = peer.getTransceivers().find((t) => (t.receiver.track?.kind ?? '') === kind);
  return first === undefined || first === transceiver;
}

/** A remote track as grouping sees it. */
export interface GroupedTrack {
  readonly id: string;
  readonly label: string;
}

/** True when the track is marked as content (`dual` in its msid track id or its label). */
export function isDualTrack(track: GroupedTrack): boolean {
  return /dual/i.test(track.id) || /dual/i.test(track.label);
}

/**
 * Protocol §8: remote tracks grouped by msid stream id in arrival order (`streams`: track → stream id,
 * in the order they arrived). The main stream is the first group with no `dual` track; every other
 * group is content.
 */
export function classifyRemoteTracks<T extends GroupedTrack>(streams: ReadonlyMap<T, string>): Map<T, 'main' | 'content'> {
  const groups = new Map<string, T[]>();
  for (const [track, stream] of streams) groups.set(stream, [...(groups.get(stream) ?? []), track]);
  const main = [...groups.values()].find((tracks) => !tracks.some(isDualTrack));
  const roles = new Map<T, 'main' | 'content'>();
  for (const [track, stream] of streams) roles.set(track, groups.get(stream) === main ? 'main' : 'content');
  return roles;
}

/** Each remote track's msid stream id (or, without one, a key from its transceiver's place). */
const streamOf = new WeakMap<MediaStreamTrack, string>();
/** Each remote track's msid track id, from the remote SDP (Firefox gives remote tracks ids of its own). */
const msidTrackOf = new WeakMap<MediaStreamTrack, string>();

/** The msid track id (`a=msid:{stream} {track}`) of the m-line `mid` in `sdp`, if it has one. */
export function msidTrackId(sdp: string | undefined, mid: string | null | undefined): string | undefined {
  if (!sdp || mid === null || mid === undefined) return undefined;
  for (const section of sdp.split(/\r?\n(?=m=)/).slice(1)) {
    const lines = section.split(/\r?\n/);
    if (!lines.some((line) => line.trim() === `a=mid:${mid}`)) continue;
    for (const line of lines) {
      const match = /^a=msid:\S+\s+(\S+)/.exec(line);
      if (match) return match[1];
    }
    return undefined;
  }
  return undefined;
}

/** The call's remote streams: the conference (`main`) and someone's presentation (`content`). */
export function remoteStreams(attempt: Attempt): { remoteStream: MediaStream | undefined; contentStream: MediaStream | undefined } {
  const main = [...attempt.remoteTracks].filter(([, role]) => role === 'main').map(([track]) => track);
  const content = [...attempt.remoteTracks].filter(([, role]) => role === 'content').map(([track]) => track);
  return {
    remoteStream: main.length > 0 ? new MediaStream(main) : undefined,
    contentStream: content.length > 0 ? new MediaStream(content) : undefined,
  };
}

/** Classifies the attempt's remote tracks again, after one arrived or ended. */
function reclassify(attempt: Attempt): void {
  // `dual` is read from the msid track id where the SDP has one, else from the track's own id.
  const tracks = [...attempt.remoteTracks.keys()].map((track) => ({ track, grouped: { id: msidTrackOf.get(track) ?? track.id, label: track.label } }));
  const roles = classifyRemoteTracks(new Map(tracks.map(({ track, grouped }) => [grouped, streamOf.get(track) ?? ''])));
  for (const { track, grouped } of tracks) attempt.remoteTracks.set(track, roles.get(grouped) ?? 'main');
}

/**
 * Follows the call's peer connection: classifies each remote track (conference or presentation, by
 * msid stream id and `dual`) and reports remote stream changes and a failed media connection, while
 * the call is `current()`.
 */
export function watchPeer(
  attempt: Attempt,
  peer: RTCPeerConnection,
  on: { current: () => boolean; remoteChanged: () => void; failed: () => void },
): void {
  if (attempt.peer === peer) return;
  attempt.unwatchPeer?.();
  attempt.peer = peer;
  const onTrack = (event: RTCTrackEvent): void => {
    if (!on.current()) return;
    const track = event.track;
    // Without an msid the transceiver's place decides, as before: the first of a kind is the conference.
    const fallback = isMainTransceiver(peer, event.transceiver, track.kind) ? '(main)' : `(content ${event.transceiver?.mid ?? track.id})`;
    streamOf.set(track, event.streams[0]?.id ?? fallback);
    const msid = msidTrackId(peer.remoteDescription?.sdp, event.transceiver?.mid);
    if (msid) msidTrackOf.set(track, msid);
    // A track that arrives again (a renegotiation) keeps its place in the arrival order.
    if (!attempt.remoteTracks.has(track)) attempt.remoteTracks.set(track, 'main');
    reclassify(attempt);
    track.addEventListener('ended', () => {
      if (!attempt.remoteTracks.delete(track)) return;
      reclassify(attempt);
      on.remoteChanged();
    });
    on.remoteChanged();
  };
  const onState = (): void => {
    if (!on.current() || attempt.peer !== peer) return;
    if (peer.connectionState === 'failed') on.failed();
  };
  peer.addEventListener('track', onTrack);
  peer.addEventListener('connectionstatechange', onState);
  attempt.unwatchPeer = () => {
    peer.removeEventListener('track', onTrack);
    peer.removeEventListener('connectionstatechange', onState);
  };
}
