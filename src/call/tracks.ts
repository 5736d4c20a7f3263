import type { Attempt } from './attempt.js';

/** The first transceiver of a kind carries the conference; later video ones carry presentations. */
export function isMainTransceiver(peer: RTCPeerConnection, transceiver: RTCRtpTransceiver | undefined, kind: string): boolean {
  if (!transceiver || typeof peer.getTransceivers !== 'function') return true;
  const first = peer.getTransceivers().find((t) => (t.receiver.track?.kind ?? '') === kind);
  return first === undefined || first === transceiver;
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

/**
 * Follows the call's peer connection: classifies each remote track (conference or presentation) and
 * reports remote stream changes and a failed media connection, while the call is `current()`.
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
    attempt.remoteTracks.set(track, isMainTransceiver(peer, event.transceiver, track.kind) ? 'main' : 'content');
    track.addEventListener('ended', () => {
      if (attempt.remoteTracks.delete(track)) on.remoteChanged();
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
