import { ContentType, Header, normalizeContentType } from './headers.js';
import { parseResolution, type Resolution } from './resolution.js';

export { parseResolution, type Resolution } from './resolution.js';

/** Looks a header up by name, case-insensitively; `undefined` when absent. */
export type HeaderLookup = (name: string) => string | undefined;

export type License = 'AUDIO' | 'VIDEO' | 'AUDIOPLUSPRESENTATION';
const LICENSES: readonly License[] = ['AUDIO', 'VIDEO', 'AUDIOPLUSPRESENTATION'];

export interface Channels {
  readonly input: string;
  readonly output: string;
}

export interface EnterRoomInfo {
  readonly type: 'enter-room';
  readonly room: string;
  readonly participantName: string;
  readonly bearerToken?: string;
  readonly isDirectP2P: boolean;
  readonly channels?: Channels;
}

export interface UseLicenseInfo {
  readonly type: 'use-license';
  readonly license: License;
}

/** The moderator's commands (`X-WEBRTC-MIC`, `X-WEBRTC-MAINCAM`): the one list of them. */
export const MODERATOR_COMMANDS = ['ADMINSTOPMIC', 'ADMINSTARTMIC', 'ADMINSTOPMAINCAM', 'ADMINSTARTMAINCAM'] as const;
export type ModeratorCommand = (typeof MODERATOR_COMMANDS)[number];
/** The video sending balancer's commands (`X-WEBRTC-MAINCAM`). */
export const BALANCER_COMMANDS = ['PAUSEMAINCAM', 'RESUMEMAINCAM', 'MAXMAINCAMRESOLUTION'] as const;
export type BalancerCommand = (typeof BALANCER_COMMANDS)[number];
export type MicCommand = Extract<ModeratorCommand, 'ADMINSTOPMIC' | 'ADMINSTARTMIC'>;
export type CameraModeratorCommand = Extract<ModeratorCommand, 'ADMINSTOPMAINCAM' | 'ADMINSTARTMAINCAM'>;
export type MainCamCommand = BalancerCommand | CameraModeratorCommand;

export const isModeratorCommand = (command: string): command is ModeratorCommand => (MODERATOR_COMMANDS as readonly string[]).includes(command);
const isMicCommand = (command: string): command is MicCommand => isModeratorCommand(command) && command.endsWith('MIC');
const isCameraModeratorCommand = (command: string): command is CameraModeratorCommand => isModeratorCommand(command) && command.endsWith('MAINCAM');
export const isBalancerCommand = (command: string): command is BalancerCommand => (BALANCER_COMMANDS as readonly string[]).includes(command);


/**
 * A `maincam` INFO carries two kinds of message, told apart by the command: a moderator's (camera
 * stop/start, for the conference) and the balancer's (pause, resume, maximum resolution). Both keep
 * the wire's `type: 'main-cam'` (the `conference:info` event carries it); {@link isBalancerInfo} tells them apart.
 */
interface MainCamFields {
  readonly type: 'main-cam';
  readonly resolution?: Resolution;
  /** `X-WEBRTC-SYNC: 1`: the change is forced and applies without asking the user. */
  readonly forced: boolean;
}

/** A moderator stops or starts the camera. */
export interface CameraModeratorInfo extends MainCamFields {
  readonly command: CameraModeratorCommand;
}

/** The balancer's command for the camera sender. */
export interface BalancerInfo extends MainCamFields {
  readonly command: BalancerCommand;
}

export type MainCamInfo = CameraModeratorInfo | BalancerInfo;

export const isBalancerInfo = (info: MainCamInfo): info is BalancerInfo => isBalancerCommand(info.command);

export interface MicInfo {
  readonly type: 'mic';
  readonly command: MicCommand;
  readonly forced: boolean;
}

/** A moderator's command: microphone or camera. */
export type ModeratorInfo = MicInfo | CameraModeratorInfo;

export type Role = 'participant' | 'spectator';
/** 0: made spectator by hand, 1: by camera state, 2: forced. */
export type SpectatorMode = 0 | 1 | 2;

export interface PartStateInfo {
  readonly type: 'part-state';
  readonly role: Role;
  readonly audioId?: string;
  readonly spectatorMode?: SpectatorMode;
}

export type ShareState = 'YOUCANRECEIVECONTENT' | 'CONTENTEND' | 'YOUMUSTSTOPSENDCONTENT';
export type ContentCodec = 'H264' | 'VP8' | 'VP9' | 'AV1';

export interface ShareDesktopInfo {
  readonly type: 'share-desktop';
  readonly state: ShareState;
  readonly codec?: ContentCodec;
}

export interface RestartInfo {
  readonly type: 'restart';
  readonly tracksDirection: 'incoming' | 'outgoing' | 'bidirectional';
  readonly audioTrackCount: number;
  readonly videoTrackCount: number;
}

/** The `X-VINTEO-NOTIFY` JSON commands, typed. */
export type VinteoNotification =
  | { readonly cmd: 'channels'; readonly input: string; readonly output: string }
  | { readonly cmd: 'WebcastStarted' | 'WebcastStopped'; readonly conference: string; readonly webcastType: string }
  | { readonly cmd: 'accountChanged' | 'accountDeleted' }
  | { readonly cmd: 'addedToListModerators' | 'removedFromListModerators'; readonly conference: string }
  | {
      readonly cmd: 'ParticipationRequestAccepted' | 'ParticipationRequestRejected' | 'ParticipantMovedToWebcast';
      readonly conference: string;
    }
  | { readonly cmd: 'ConferenceParticipantTokenIssued'; readonly conference: string; readonly participant: string; readonly jwt: string };

export interface NotifyInfo {
  readonly type: 'notify';
  readonly notification: VinteoNotification;
}

/** Every server INFO the core understands, parsed. */
export type ReceivedInfo =
  | EnterRoomInfo
  | UseLicenseInfo
  | MainCamInfo
  | MicInfo
  | PartStateInfo
  | ShareDesktopInfo
  | RestartInfo
  | NotifyInfo;

export type ParseResult =
  | { readonly ok: true; readonly info: ReceivedInfo }
  | { readonly ok: false; readonly reason: 'unknown-content-type' | 'malformed'; readonly message: string };

function header(lookup: HeaderLookup, name: string): string | undefined {
  const value = lookup(name);
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

function malformed(message: string): ParseResult {
  return { ok: false, reason: 'malformed', message };
}

function parseEnterRoom(lookup: HeaderLookup): ParseResult {
  const room = header(lookup, Header.ENTER_ROOM);
  if (!room) return malformed(`${Header.ENTER_ROOM} is missing`);
  const participantName = header(lookup, Header.PARTICIPANT_NAME) ?? '';
  const bearerToken = header(lookup, Header.BEARER_TOKEN);
  const p2p = header(lookup, Header.IS_DIRECT_P2P);
  const input = header(lookup, Header.INPUT_CHANNELS);
  const output = header(lookup, Header.OUTPUT_CHANNELS);
  const info: EnterRoomInfo = {
    type: 'enter-room',
    room,
    participantName,
    isDirectP2P: p2p !== undefined && /^(1|true|yes)$/i.test(p2p),
    ...(bearerToken === undefined ? {} : { bearerToken }),
    ...(input !== undefined && output !== undefined ? { channels: { input, output } } : {}),
  };
  return { ok: true, info };
}

function parseUseLicense(lookup: HeaderLookup): ParseResult {
  const value = header(lookup, Header.USE_LICENSE)?.toUpperCase();
  if (!value) return malformed(`${Header.USE_LICENSE} is missing`);
  if (!(LICENSES as readonly string[]).includes(value)) return malformed(`Unknown licence ${JSON.stringify(value)}`);
  return { ok: true, info: { type: 'use-license', license: value as License } };
}

function isForced(lookup: HeaderLookup): boolean {
  return header(lookup, Header.SYNC) === '1';
}

function parseMainCam(lookup: HeaderLookup): ParseResult {
  const command = header(lookup, Header.MAIN_CAM)?.toUpperCase();
  if (!command) return malformed(`${Header.MAIN_CAM} is missing`);
  if (!isBalancerCommand(command) && !isCameraModeratorCommand(command)) return malformed(`Unknown camera command ${JSON.stringify(command)}`);
  const rawResolution = header(lookup, Header.MAIN_CAM_RESOLUTION);
  const resolution = parseResolution(rawResolution);
  if (command === 'MAXMAINCAMRESOLUTION' && !resolution) {
    return malformed(`MAXMAINCAMRESOLUTION needs ${Header.MAIN_CAM_RESOLUTION} as WxH (got ${JSON.stringify(rawResolution ?? '')})`);
  }
  const forced = isForced(lookup);
  const extra = resolution ? { resolution } : {};
  const info: MainCamInfo = { type: 'main-cam', command, forced, ...extra };
  return { ok: true, info };
}

function parseMic(lookup: HeaderLookup): ParseResult {
  const command = header(lookup, Header.MIC)?.toUpperCase();
  if (!command || !isMicCommand(command)) {
    return malformed(command ? `Unknown microphone command ${JSON.stringify(command)}` : `${Header.MIC} is missing`);
  }
  return { ok: true, info: { type: 'mic', command, forced: isForced(lookup) } };
}

function parsePartState(lookup: HeaderLookup): ParseResult {
  const state = header(lookup, Header.PART_STATE)?.toUpperCase();
  if (state !== 'SPECTATOR' && state !== 'PARTICIPANT') {
    return malformed(state ? `Unknown participant state ${JSON.stringify(state)}` : `${Header.PART_STATE} is missing`);
  }
  const audioId = header(lookup, Header.AUDIO_ID);
  const mode = header(lookup, Header.SPECTATOR_MODE);
  const spectatorMode = mode === '0' || mode === '1' || mode === '2' ? (Number(mode) as SpectatorMode) : undefined;
  const info: PartStateInfo = {
    type: 'part-state',
    role: state === 'SPECTATOR' ? 'spectator' : 'participant',
    ...(audioId === undefined ? {} : { audioId }),
    ...(spectatorMode === undefined ? {} : { spectatorMode }),
  };
  return { ok: true, info };
}

const SHARE_STATES: readonly ShareState[] = ['YOUCANRECEIVECONTENT', 'CONTENTEND', 'YOUMUSTSTOPSENDCONTENT'];
const CODECS: readonly ContentCodec[] = ['H264', 'VP8', 'VP9', 'AV1'];

function parseShareDesktop(lookup: HeaderLookup): ParseResult {
  const state = header(lookup, Header.SHARE_STATE)?.toUpperCase();
  if (!state) return malformed(`${Header.SHARE_STATE} is missing`);
  if (!(SHARE_STATES as readonly string[]).includes(state)) return malformed(`Unknown share state ${JSON.stringify(state)}`);
  const codec = header(lookup, Header.SHARE_CODEC)?.toUpperCase();
  const info: ShareDesktopInfo = {
    type: 'share-desktop',
    state: state as ShareState,
    ...(codec && (CODECS as readonly string[]).includes(codec) ? { codec: codec as ContentCodec } : {}),
  };
  return { ok: true, info };
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,2}$/.test(value)) return undefined;
  return Number(value);
}

function parseRestart(lookup: HeaderLookup): ParseResult {
  const direction = header(lookup, Header.TRACKS_DIRECTION)?.toLowerCase();
  if (direction !== 'incoming' && direction !== 'outgoing' && direction !== 'bidirectional') {
    return malformed(`${Header.TRACKS_DIRECTION} must be incoming, outgoing or bidirectional`);
  }
  const audioTrackCount = count(header(lookup, Header.AUDIO_TRACK_COUNT)) ?? 1;
  const videoTrackCount = count(header(lookup, Header.VIDEO_TRACK_COUNT)) ?? 1;
  return { ok: true, info: { type: 'restart', tracksDirection: direction, audioTrackCount, videoTrackCount } };
}

/** Largest X-VINTEO-NOTIFY JSON we parse. */
export const MAX_NOTIFY_LENGTH = 64 * 1024;

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Parses an `X-VINTEO-NOTIFY` JSON value into a typed command; never throws. */
export function parseNotification(raw: string | undefined): { ok: true; notification: VinteoNotification } | { ok: false; message: string } {
  if (!raw) return { ok: false, message: `${Header.NOTIFY} is missing` };
  if (raw.length > MAX_NOTIFY_LENGTH) return { ok: false, message: `${Header.NOTIFY} is longer than ${MAX_NOTIFY_LENGTH} characters` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, message: `${Header.NOTIFY} is not valid JSON` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, message: `${Header.NOTIFY} is not a JSON object` };
  const record = data as Record<string, unknown>;
  const body = typeof record['body'] === 'object' && record['body'] !== null ? (record['body'] as Record<string, unknown>) : {};
  const cmd = record['cmd'];
  const need = (name: string, value: string | undefined) =>
    value === undefined ? ({ ok: false, message: `notify ${String(cmd)} lacks ${name}` } as const) : undefined;
  switch (cmd) {
    case 'channels': {
      const input = text(record['input']);
      const output = text(record['output']);
      return need('input', input) ?? need('output', output) ?? { ok: true, notification: { cmd, input: input!, output: output! } };
    }
    case 'WebcastStarted':
    case 'WebcastStopped': {
      const conference = text(body['conference']);
      return need('body.conference', conference) ?? {
        ok: true,
        notification: { cmd, conference: conference!, webcastType: text(body['type']) ?? '' },
      };
    }
    case 'accountChanged':
    case 'accountDeleted':
      return { ok: true, notification: { cmd } };
    case 'addedToListModerators':
    case 'removedFromListModerators': {
      const conference = text(record['conference']) ?? text(body['conference']);
      return need('conference', conference) ?? { ok: true, notification: { cmd, conference: conference! } };
    }
    case 'ParticipationRequestAccepted':
    case 'ParticipationRequestRejected':
    case 'ParticipantMovedToWebcast': {
      const conference = text(body['conference']);
      return need('body.conference', conference) ?? { ok: true, notification: { cmd, conference: conference! } };
    }
    case 'ConferenceParticipantTokenIssued': {
      const conference = text(body['conference']);
      const participant = text(body['participant']);
      const jwt = text(body['jwt']);
      return (
        need('body.conference', conference) ??
        need('body.participant', participant) ??
        need('body.jwt', jwt) ?? { ok: true, notification: { cmd, conference: conference!, participant: participant!, jwt: jwt! } }
      );
    }
    default:
      return { ok: false, message: `Unknown notify command ${JSON.stringify(typeof cmd === 'string' ? cmd.slice(0, 64) : cmd)}` };
  }
}

function parseNotify(lookup: HeaderLookup): ParseResult {
  const result = parseNotification(header(lookup, Header.NOTIFY));
  return result.ok ? { ok: true, info: { type: 'notify', notification: result.notification } } : malformed(result.message);
}

const PARSERS: Readonly<Record<string, (lookup: HeaderLookup) => ParseResult>> = {
  [ContentType.ENTER_ROOM]: parseEnterRoom,
  [ContentType.USE_LICENSE]: parseUseLicense,
  [ContentType.MAIN_CAM]: parseMainCam,
  [ContentType.MIC]: parseMic,
  [ContentType.PART_STATE]: parsePartState,
  [ContentType.SHARE_DESKTOP]: parseShareDesktop,
  [ContentType.RESTART]: parseRestart,
  [ContentType.NOTIFY]: parseNotify,
};

/**
 * Parses an INFO received from the server. Never throws: unknown content types and
 * malformed headers come back as `{ ok: false }` for the caller to log and ignore.
 */
export function parseReceivedInfo(contentType: string | undefined | null, lookup: HeaderLookup): ParseResult {
  const type = normalizeContentType(contentType);
  const parser = PARSERS[type];
  if (!parser) return { ok: false, reason: 'unknown-content-type', message: `Unknown content type ${JSON.stringify(type)}` };
  try {
    return parser(lookup);
  } catch (error) {
    return malformed(error instanceof Error ? error.message : String(error));
  }
}

/** Builds a lookup over a plain record, case-insensitively (tests, fakes, the control API). */
export function lookupFromRecord(record: Readonly<Record<string, string>>): HeaderLookup {
  const lower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name.toLowerCase());
}
