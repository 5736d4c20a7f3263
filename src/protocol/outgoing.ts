import { ContentType, formatHeader, Header } from './headers.js';

/** An INFO the client sends: content type plus JsSIP `extraHeaders`. */
export interface OutgoingInfo {
  readonly contentType: string;
  readonly headers: readonly string[];
}

/** `mediastate`: sent after every local or remote change of microphone or camera. */
export function mediaStateInfo(microphoneEnabled: boolean, cameraEnabled: boolean): OutgoingInfo {
  return {
    contentType: ContentType.MEDIA_STATE,
    headers: [
      formatHeader(Header.MEDIA_STATE, 'currentstate'),
      formatHeader(Header.OUT_MAIN_CAM_STATE, cameraEnabled ? '1' : '0'),
      formatHeader(Header.OUT_MIC_STATE, microphoneEnabled ? '1' : '0'),
    ],
  };
}

/** `refusal`: the user declined a moderator's request to turn a device on. */
export function refusalInfo(device: 'microphone' | 'camera'): OutgoingInfo {
  return { contentType: ContentType.REFUSAL, headers: [formatHeader(Header.MEDIA_TYPE, device === 'microphone' ? '0' : '1')] };
}

/** Asks the moderator for permission to turn the camera on. */
export function requestCameraInfo(): OutgoingInfo {
  return {
    contentType: ContentType.MAIN_CAM,
    headers: [formatHeader(Header.REQUEST_ENABLE_MEDIA_DEVICE, 'LETMESTARTMAINCAM')],
  };
}

export type OutgoingShareState = 'LETMESTARTPRESENTATION' | 'STOPPRESENTATION' | 'YOUCANRECEIVECONTENT' | 'CONTENTEND';

export function shareDesktopInfo(state: OutgoingShareState): OutgoingInfo {
  return { contentType: ContentType.SHARE_DESKTOP, headers: [formatHeader(Header.SHARE_STATE, state)] };
}

export function channelsInfo(input: string, output: string): OutgoingInfo {
  return {
    contentType: ContentType.CHANNELS,
    headers: [formatHeader(Header.INPUT_CHANNELS, input), formatHeader(Header.OUTPUT_CHANNELS, output)],
  };
}

export function statsInfo(availableIncomingBitrate: number): OutgoingInfo {
  const bps = Math.max(0, Math.round(availableIncomingBitrate));
  return { contentType: ContentType.STATS, headers: [formatHeader(Header.AVAILABLE_INCOMING_BITRATE, String(bps))] };
}
