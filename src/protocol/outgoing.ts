import { ContentType, formatHeader, Header } from './headers.js';

/**
 * A header of an INFO, written the way the reference SDK writes them: the name in lower case
 * (protocol "Conventions"; servers match names without regard to case).
 */
function lowerHeader(name: string, value: string): string {
  return formatHeader(name.toLowerCase(), value);
}

/** An INFO the client sends: content type plus JsSIP `extraHeaders`, header names in lower case. */
export interface OutgoingInfo {
  readonly contentType: string;
  readonly headers: readonly string[];
}

/** `mediastate`: sent after every local or remote change of microphone or camera. */
export function mediaStateInfo(microphoneEnabled: boolean, cameraEnabled: boolean): OutgoingInfo {
  return {
    contentType: ContentType.MEDIA_STATE,
    headers: [
      lowerHeader(Header.MEDIA_STATE, 'currentstate'),
      lowerHeader(Header.OUT_MAIN_CAM_STATE, cameraEnabled ? '1' : '0'),
      lowerHeader(Header.OUT_MIC_STATE, microphoneEnabled ? '1' : '0'),
    ],
  };
}

/** `refusal`: the user declined a moderator's request to turn a device on. */
export function refusalInfo(device: 'microphone' | 'camera'): OutgoingInfo {
  return { contentType: ContentType.REFUSAL, headers: [lowerHeader(Header.MEDIA_TYPE, device === 'microphone' ? '0' : '1')] };
}

/** Asks the moderator for permission to turn the camera on. */
export function requestCameraInfo(): OutgoingInfo {
  return {
    contentType: ContentType.MAIN_CAM,
    headers: [lowerHeader(Header.REQUEST_ENABLE_MEDIA_DEVICE, 'LETMESTARTMAINCAM')],
  };
}

export type OutgoingShareState = 'LETMESTARTPRESENTATION' | 'STOPPRESENTATION' | 'YOUCANRECEIVECONTENT' | 'CONTENTEND';

export function shareDesktopInfo(state: OutgoingShareState): OutgoingInfo {
  return { contentType: ContentType.SHARE_DESKTOP, headers: [lowerHeader(Header.SHARE_STATE, state)] };
}

export function channelsInfo(input: string, output: string): OutgoingInfo {
  return {
    contentType: ContentType.CHANNELS,
    headers: [lowerHeader(Header.INPUT_CHANNELS, input), lowerHeader(Header.OUTPUT_CHANNELS, output)],
  };
}

/** `stats`: the candidate pair's available incoming bitrate, in bits/s (vinteo-protocol.md §9). */
export function statsInfo(availableIncomingBitrate: number): OutgoingInfo {
  const bps = Math.max(0, Math.round(availableIncomingBitrate));
  return { contentType: ContentType.STATS, headers: [lowerHeader(Header.AVAILABLE_INCOMING_BITRATE, String(bps))] };
}

export interface RoomNameOptions {
  /** `p2p{localUser}to{conference}`, or for an answered incoming call `p2p{callerUser}to{localUser}`. */
  readonly enterRoom: string;
  /** The conference, or the caller's number. */
  readonly participantName: string;
}

/**
 * `roomname`: sent right after every call is confirmed (vinteo-protocol.md §3). Throws a TypeError
 * for a value that could inject a header (see {@link formatHeader}).
 */
export function roomNameInfo(options: RoomNameOptions): OutgoingInfo {
  return {
    contentType: ContentType.ENTER_ROOM,
    headers: [
      lowerHeader(Header.ENTER_ROOM, options.enterRoom),
      lowerHeader(Header.PARTICIPANT_NAME, options.participantName),
      lowerHeader(Header.IS_DIRECT_P2P, 'true'),
    ],
  };
}
