import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { AsyncQueue } from '../queue.js';
import { type DeviceOption, type DeviceProvider, type DevicesEvents, type DevicesSnapshot, initialDevicesSnapshot } from './types.js';
import type { Emit } from '../emitter.js';

export const browserDeviceProvider: DeviceProvider = {
  getUserMedia: (constraints) => navigator.mediaDevices.getUserMedia(constraints),
  enumerateDevices: () =>
    typeof navigator !== 'undefined' && navigator.mediaDevices?.enumerateDevices
      ? navigator.mediaDevices.enumerateDevices()
      : Promise.resolve([]),
  onDeviceChange: (listener) => {
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (!devices?.addEventListener) return () => undefined;
    devices.addEventListener('devicechange', listener);
    return () => devices.removeEventListener('devicechange', listener);
  },
};

export interface DevicesDeps {
  readonly provider: DeviceProvider;
  /** The running call's local stream, if any. */
  readonly localStream: () => MediaStream | undefined;
  /** Swaps a local track in the running call without renegotiation. */
  readonly replaceLocalTrack: (track: MediaStreamTrack) => Promise<void>;
  /** Serializes switches with the call's other operations. */
  readonly queue: AsyncQueue;
  readonly update: (next: DevicesSnapshot) => void;
  readonly emit: Emit<DevicesEvents>;
}

function toOption(device: MediaDeviceInfo): DeviceOption {
  return { deviceId: device.deviceId, label: device.label, groupId: device.groupId };
}

/** Lists cameras, microphones and speakers, remembers the choice, and switches devices in a running call. */
export class DevicesService {
  private snapshot: DevicesSnapshot = {
    ...initialDevicesSnapshot,
    speakerSelectionSupported: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
  };
  private stopWatching: (() => void) | undefined;

  /** True once watch() was called: device lists are kept fresh. */
  get watching(): boolean {
    return this.stopWatching !== undefined;
  }

  constructor(private readonly deps: DevicesDeps) {}

  /** Starts following `devicechange` and lists the devices. */
  watch(): Promise<void> {
    this.stopWatching ??= this.deps.provider.onDeviceChange(() => void this.refresh());
    return this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const devices = await this.deps.provider.enumerateDevices();
      const cameras = devices.filter((d) => d.kind === 'videoinput').map(toOption);
      const microphones = devices.filter((d) => d.kind === 'audioinput').map(toOption);
      const speakers = devices.filter((d) => d.kind === 'audiooutput').map(toOption);
      const keep = (id: string | undefined, list: readonly DeviceOption[]) => (id && list.some((d) => d.deviceId === id) ? id : undefined);
      this.publish({
        cameras,
        microphones,
        speakers,
        cameraId: keep(this.snapshot.cameraId, cameras),
        microphoneId: keep(this.snapshot.microphoneId, microphones),
        speakerId: keep(this.snapshot.speakerId, speakers),
      });
      this.deps.emit('devices:changed', { cameras: cameras.length, microphones: microphones.length, speakers: speakers.length });
    } catch (error) {
      logger.warn('enumerateDevices failed', error);
    }
  }

  /** getUserMedia constraints for the next call, honouring the chosen devices. */
  constraints(): { audio: MediaTrackConstraints | true; video: MediaTrackConstraints | true } {
    const { cameraId, microphoneId } = this.snapshot;
    return {
      audio: microphoneId ? { deviceId: { exact: microphoneId } } : true,
      video: cameraId ? { deviceId: { exact: cameraId }, width: { ideal: 1280 }, height: { ideal: 720 } } : true,
    };
  }

  selectCamera(deviceId: string): Promise<void> {
    return this.select('camera', deviceId);
  }

  selectMicrophone(deviceId: string): Promise<void> {
    return this.select('microphone', deviceId);
  }

  /** Chooses the speaker; elements apply it to their media elements with `setSinkId`. */
  selectSpeaker(deviceId: string): void {
    if (!this.snapshot.speakerSelectionSupported) throw new VinteoError('media-unavailable', 'This browser cannot choose the speaker');
    this.publish({ speakerId: deviceId || undefined, error: undefined });
    this.deps.emit('devices:selected', { kind: 'speaker', deviceId: deviceId || undefined });
  }

  /** Stops following `devicechange` (the list stays as it is until the next watch()). */
  unwatch(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  dispose(): void {
    this.unwatch();
  }

  private select(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    return this.deps.queue.push(() => this.switchDevice(kind, deviceId));
  }

  /** An empty id means the browser's default device. */
  private async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const key = kind === 'camera' ? 'cameraId' : 'microphoneId';
    const stream = this.deps.localStream();
    if (stream) {
      let track: MediaStreamTrack | undefined;
      try {
        const device = deviceId ? { deviceId: { exact: deviceId } } : {};
        const next = await this.deps.provider.getUserMedia(
          kind === 'camera' ? { video: { ...device, width: { ideal: 1280 }, height: { ideal: 720 } } } : { audio: device.deviceId ? device : true },
        );
        track = kind === 'camera' ? next.getVideoTracks()[0] : next.getAudioTracks()[0];
        if (!track) throw VinteoError.mediaUnavailable();
        await this.deps.replaceLocalTrack(track);
      } catch (error) {
        track?.stop();
        const name = error instanceof DOMException ? error.name : '';
        const failure =
          error instanceof VinteoError
            ? error
            : name === 'NotAllowedError'
              ? VinteoError.mediaPermissionDenied(error)
              : VinteoError.mediaUnavailable(error);
        this.publish({ error: failure.toJSON() });
        throw failure;
      }
    }
    this.publish({ [key]: deviceId || undefined, error: undefined } as Partial<DevicesSnapshot>);
    this.deps.emit('devices:selected', { kind, deviceId: deviceId || undefined });
  }

  private publish(patch: Partial<DevicesSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
