/**
 * The msid our m-lines carry (protocol §8, §14.7): the main audio and video under one stream id, the
 * content under its own with `dual` in its track id (what a client's `track.id` shows), so that a client
 * can tell the conference from the content by msid stream id and `dual`. Any other m-line (a client's
 * presentation m-line we answer) gets a stream id of its own.
 */
import type { RTCRtpSender } from 'werift';

export const MAIN_STREAM_ID = 'vinteo-main';
export const CONTENT_STREAM_ID = 'vinteo-content';

/** Names the sender's stream (and, for content, its track). `index`: how many m-lines of this kind came before. */
export function nameSender(sender: RTCRtpSender, kind: 'main' | 'content' | 'other', index: number): void {
  if (kind === 'content') {
    sender.streamId = CONTENT_STREAM_ID;
    // werift's trackId is typed readonly but is a plain field; it becomes the msid track id.
    (sender as { trackId: string }).trackId = `vinteo-dual-content-${index}`;
    return;
  }
  sender.streamId = kind === 'main' ? MAIN_STREAM_ID : `vinteo-other-${index}`;
}
