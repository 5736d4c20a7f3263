import type { VinteoErrorInfo } from '../errors.js';
import type { MediaProvider } from '../call/media-provider.js';

export interface DeviceOption {
  readonly deviceId: string;
  /** The browser's label; empty until the page has been granted media access once. */
  readonly label: string;
  readonly groupId: string;
}

export interface DevicesSnapshot {
  readonly cameras: readonly DeviceOption[];
  readonly microphones: readonly DeviceOption[];
  readonly speakers: readonly DeviceOption[];
  /** The chosen devices; undefined means the browser's default. */
  readonly cameraId: string | undefined;
  readonly microphoneId: string | undefined;
  readonly speakerId: string | undefined;
  /** Whether `HTMLMediaElement.setSinkId` exists (speaker choice). */
  readonly speakerSelectionSupported: boolean;
  readonly error: VinteoErrorInfo | undefined;
}

export const initialDevicesSnapshot: DevicesSnapshot = {
  cameras: [],
  microphones: [],
  speakers: [],
  cameraId: undefined,
  microphoneId: undefined,
  speakerId: undefined,
  speakerSelectionSupported: false,
  error: undefined,
};

export interface DevicesEvents {
  'devices:changed': { cameras: number; microphones: number; speakers: number };
  'devices:selected': { kind: 'camera' | 'microphone' | 'speaker'; deviceId: string | undefined };
}

/** Where device lists come from; swapped for a fake in tests. */
export interface DeviceProvider extends MediaProvider {
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  onDeviceChange(listener: () => void): () => void;
}
