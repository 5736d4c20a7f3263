import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { browserMediaProvider, type MediaProvider } from '../../src/call/media-provider.js';
import { logger } from '../../src/logger.js';
import type { VinteoClient } from '../../src/client.js';

/** The localStorage key of the remembered name (`remember-name`), one per site (origin). */
export const REMEMBERED_NAME_KEY = 'vinteo-call:display-name';

/**
 * The pre-join lobby's state: the camera preview (opened only on a click), the microphone level of its
 * sound (Web Audio `AnalyserNode`), and the name typed in. The preview is released on Join, when the
 * element leaves the page and when the lobby closes; nothing is opened before the click.
 */
export class LobbyController implements ReactiveController {
  /** The preview's camera and microphone while it runs. */
  stream: MediaStream | undefined;
  /** The microphone level, 0…1 (a rough RMS of the preview's sound). */
  level = 0;
  /** The preview is being opened. */
  opening = false;
  /** Why the preview could not open, if it could not. */
  failure: unknown;
  /** The name typed into the name field. */
  name = '';

  private audio: AudioContext | undefined;
  private meter: ReturnType<typeof setInterval> | undefined;
  /** Bumped by every start and stop: an answer for an older request is released at once. */
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The media provider of the element's client options (tests), else the browser's. */
    private readonly provider: () => MediaProvider | undefined,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Restores the remembered name (only called when the author opted in with `remember-name`). */
  restoreName(): void {
    if (this.name) return;
    try {
      this.name = globalThis.localStorage?.getItem(REMEMBERED_NAME_KEY) ?? '';
    } catch {
      // Storage may be blocked (privacy settings): nothing remembered.
    }
  }

  /** Remembers the name for this site (only with `remember-name`). */
  rememberName(): void {
    try {
      if (this.name.trim()) globalThis.localStorage?.setItem(REMEMBERED_NAME_KEY, this.name.trim());
    } catch {
      // Storage may be blocked: the name is simply not remembered.
    }
  }

  /** Opens the camera and microphone for the preview, with the devices the client has chosen. */
  async start(client: VinteoClient | undefined): Promise<void> {
    this.stop();
    const generation = ++this.generation;
    const devices = client?.getSnapshot().devices;
    const video: MediaTrackConstraints | true = devices?.cameraId ? { deviceId: { exact: devices.cameraId } } : true;
    const audio: MediaTrackConstraints | true = devices?.microphoneId ? { deviceId: { exact: devices.microphoneId } } : true;
    this.opening = true;
    this.failure = undefined;
    this.host.requestUpdate();
    try {
      const stream = await (this.provider() ?? browserMediaProvider).getUserMedia({ audio, video });
      if (generation !== this.generation) {
        release(stream);
        return;
      }
      this.stream = stream;
      this.listenLevel(stream);
      // Device names are listed only once the page may use the devices.
      client?.watchDevices().catch((error: unknown) => logger.warn('listing devices failed', error));
    } catch (error) {
      if (generation === this.generation) this.failure = error;
    } finally {
      if (generation === this.generation) this.opening = false;
      this.host.requestUpdate();
    }
  }

  /** Releases the preview (camera, microphone, audio analysis). */
  stop(): void {
    this.generation++;
    const running = this.stream !== undefined || this.opening;
    if (this.meter !== undefined) clearInterval(this.meter);
    this.meter = undefined;
    void this.audio?.close().catch(() => undefined);
    this.audio = undefined;
    if (this.stream) release(this.stream);
    this.stream = undefined;
    this.opening = false;
    this.level = 0;
    if (running) this.host.requestUpdate();
  }

  private listenLevel(stream: MediaStream): void {
    if (stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    try {
      const audio = new AudioContext();
      const analyser = audio.createAnalyser();
      analyser.fftSize = 512;
      audio.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      this.audio = audio;
      // Ten times a second is enough for a level meter, and cheap.
      this.meter = setInterval(() => {
        if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        // RMS, scaled so that speech fills most of the meter.
        const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
        const rounded = Math.round(level * 20) / 20;
        if (rounded !== this.level) {
          this.level = rounded;
          this.host.requestUpdate();
        }
      }, 100);
    } catch (error) {
      logger.warn('microphone level unavailable', error);
    }
  }
}

function release(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
