import { logger } from '../../src/logger.js';
import type { CallView } from '../../src/selectors.js';

/** The largest frame kept (wider frames are scaled down): enough for the stage, little memory. */
const MAX_WIDTH = 1280;

/**
 * The conference video's last frame while reconnecting. When the connection drops the call's peer
 * connection goes with it, its tracks end and the video element paints black; so on the way into
 * `reconnecting` the frame on screen is copied to a canvas (part `last-frame`) that the overlay lies on,
 * and the canvas is emptied on the way out.
 *
 * @internal
 */
export class LastFrame {
  private frozen = false;

  /** After each render, before the videos get new streams. */
  update(view: CallView, video: HTMLVideoElement | null, canvas: HTMLCanvasElement | null): void {
    if (!canvas) return;
    if (view === 'reconnecting') {
      if (this.frozen) return;
      this.frozen = true;
      copyFrame(video, canvas);
    } else if (this.frozen) {
      this.frozen = false;
      canvas.width = 0;
      canvas.height = 0;
    }
  }
}

function copyFrame(video: HTMLVideoElement | null, canvas: HTMLCanvasElement): void {
  if (!video || video.videoWidth === 0 || video.videoHeight === 0) return;
  const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  try {
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
  } catch (error) {
    logger.debug('the last frame could not be kept', error);
  }
}
