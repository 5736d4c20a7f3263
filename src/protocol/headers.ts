/** Vinteo content types, lower-case (compare after {@link normalizeContentType}). */
export const ContentType = {
  ENTER_ROOM: 'application/vinteo.webrtc.roomname',
  USE_LICENSE: 'application/vinteo.webrtc.uselic',
  SHARE_DESKTOP: 'application/vinteo.webrtc.sharedesktop',
  MAIN_CAM: 'application/vinteo.webrtc.maincam',
  MIC: 'application/vinteo.webrtc.mic',
  PART_STATE: 'application/vinteo.webrtc.partstate',
  NOTIFY: 'application/vinteo.webrtc.notify',
  RESTART: 'application/vinteo.webrtc.restart',
  MEDIA_STATE: 'application/vinteo.webrtc.mediastate',
  REFUSAL: 'application/vinteo.webrtc.refusal',
  CHANNELS: 'application/vinteo.webrtc.channels',
  STATS: 'application/vinteo.webrtc.stats',
} as const;

/** Header names exactly as the protocol page spells them (matching is case-insensitive). */
export const Header = {
  MIC_STATE: 'X-Vinteo-Mic-State',
  MAIN_CAM_STATE: 'X-Vinteo-MainCam-State',
  PURGATORY_CALL: 'X-Vinteo-Purgatory-Call',
  SESSION: 'X-Vinteo-Session',
  PRESENTATION_CALL: 'X-Vinteo-Presentation-Call',
  REMOTE: 'X-Vinteo-Remote',
  ENTER_ROOM: 'X-WEBRTC-ENTER-ROOM',
  PARTICIPANT_NAME: 'X-WEBRTC-PARTICIPANT-NAME',
  BEARER_TOKEN: 'X-BEARER-TOKEN',
  IS_DIRECT_P2P: 'X-WEBRTC-IS-DIRECT-P2P',
  INPUT_CHANNELS: 'X-WEBRTC-INPUT-CHANNELS',
  OUTPUT_CHANNELS: 'X-WEBRTC-OUTPUT-CHANNELS',
  USE_LICENSE: 'X-WEBRTC-USE-LICENSE',
  SHARE_STATE: 'X-WEBRTC-SHARE-STATE',
  SHARE_CODEC: 'X-WEBRTC-SHARE-CODEC',
  MAIN_CAM: 'X-WEBRTC-MAINCAM',
  MAIN_CAM_RESOLUTION: 'X-WEBRTC-MAINCAM-RESOLUTION',
  SYNC: 'X-WEBRTC-SYNC',
  MIC: 'X-WEBRTC-MIC',
  PART_STATE: 'X-WEBRTC-PARTSTATE',
  AUDIO_ID: 'X-WEBRTC-AUDIOID',
  SPECTATOR_MODE: 'X-WEBRTC-SPECTATOR-MODE',
  NOTIFY: 'X-VINTEO-NOTIFY',
  TRACKS_DIRECTION: 'X-WEBRTC-TRACKS-DIRECTION',
  AUDIO_TRACK_COUNT: 'X-WEBRTC-AUDIO-TRACK-COUNT',
  VIDEO_TRACK_COUNT: 'X-WEBRTC-VIDEO-TRACK-COUNT',
  MEDIA_STATE: 'X-WEBRTC-MEDIA-STATE',
  OUT_MAIN_CAM_STATE: 'X-VINTEO-MAINCAM-STATE',
  OUT_MIC_STATE: 'X-VINTEO-MIC-STATE',
  MEDIA_TYPE: 'X-VINTEO-MEDIA-TYPE',
  REQUEST_ENABLE_MEDIA_DEVICE: 'X-WEBRTC-REQUEST-ENABLE-MEDIA-DEVICE',
  AVAILABLE_INCOMING_BITRATE: 'X-WEBRTC-AVAILABLE-INCOMING-BITRATE',
} as const;

/** Lower-cases a content type and drops parameters: `Application/X; charset=utf-8` → `application/x`. */
export function normalizeContentType(value: string | undefined | null): string {
  if (!value) return '';
  return value.split(';', 1)[0]!.trim().toLowerCase();
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

// In a module of its own, which the attributes' checks in the script-tag loader use without this one.
export { CONTROL_CHARACTERS } from './characters.js';

/** Formats `Name: value` for JsSIP's extraHeaders, refusing names and values that could inject headers. */
export function formatHeader(name: string, value: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`Invalid SIP header name: ${JSON.stringify(name)}`);
  if (/[\r\n\0]/.test(value)) throw new TypeError(`Invalid value for SIP header ${name}`);
  return `${name}: ${value.trim()}`;
}
