import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { Attempt } from './attempt.js';
import type { CallContext } from './context.js';
import { acquireLocalMedia, stopStream } from './media.js';
import { applyMuteSettings } from './mute.js';
import type { JoinOptions } from './types.js';

/** The call's camera and microphone: opening them, the user's mute settings on them, device switches. */
export class LocalMedia {
  constructor(private readonly call: CallContext) {}

  /** Opens camera and microphone; on refusal or absence the call goes on receive-only. */
  async open(attempt: Attempt, options: JoinOptions): Promise<MediaStream | undefined> {
    const over = (): boolean => this.call.attempt !== attempt || attempt.aborted;
    if (options.presentationOnly) {
      // A presentation-only call sends no camera or microphone.
      this.call.publish({ receiveOnly: true, microphoneEnabled: false, cameraEnabled: false });
      return undefined;
    }
    try {
      const acquired = await acquireLocalMedia(this.call.deps.media, options.video ?? true, options.audio ?? true);
      if (over()) {
        // Left (or failed) while the camera was opening: release it at once.
        stopStream(acquired.stream);
        return undefined;
      }
      attempt.localStream = acquired.stream;
      const hasVideo = acquired.stream.getVideoTracks().length > 0;
      // The settings as they are now: the user may have switched them while the devices opened.
      this.call.publish({ cameraEnabled: this.call.snapshot.cameraEnabled && hasVideo, warning: acquired.videoError?.toJSON() });
      this.applyMute(attempt);
      this.call.publish({ localStream: acquired.stream });
      if (acquired.videoError) this.call.deps.emit('call:media-warning', { error: acquired.videoError });
      return acquired.stream;
    } catch (error) {
      if (over()) return undefined;
      const failure = VinteoError.from(error, 'media-unavailable');
      logger.warn(`joining receive-only: ${failure.message}`);
      this.call.publish({ receiveOnly: true, microphoneEnabled: false, cameraEnabled: false, warning: failure.toJSON() });
      this.call.deps.emit('call:media-warning', { error: failure });
      return undefined;
    }
  }

  /**
   * Sets the local tracks from the user's microphone and camera settings. The only writer of their
   * `enabled`: JsSIP's own re-enabling before renegotiations runs this instead (see keepMuteSettings),
   * and every operation that changes tracks or senders ends with it.
   */
  applyMute(attempt: Attempt | undefined): void {
    if (!attempt || this.call.attempt !== attempt) return;
    applyMuteSettings(attempt.localStream, this.call.snapshot);
  }

  /** Puts `track` in place of the local track of the same kind, on the sender too (no renegotiation). */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const attempt = this.call.attempt;
    const stream = attempt?.localStream;
    if (!attempt || !stream || !this.call.busy) throw VinteoError.invalidState('switch devices', 'no call is running');
    const kind = track.kind as 'audio' | 'video';
    const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    const sender = attempt.peer?.getSenders().find((s) => s.track !== null && s.track === old);
    if (!old || (attempt.peer && !sender)) throw VinteoError.mediaUnavailable();
    // Muted before it is sent: the new track never carries a frame the user switched off.
    applyMuteSettings(new MediaStream([track]), this.call.snapshot);
    await sender?.replaceTrack(track);
    stream.removeTrack(old);
    stream.addTrack(track);
    old.stop();
    const next = new MediaStream(stream.getTracks());
    attempt.localStream = next;
    this.applyMute(attempt);
    this.call.publish({ localStream: next });
  }
}
