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
  const streams = new Map<MediaStreamTrack, string>();
  for (const track of attempt.remoteTracks.keys()) streams.set(track, streamOf.get(track) ?? '');
  for (const [track, role] of classifyRemoteTracks(streams)) attempt.remoteTracks.set(track, role);
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
