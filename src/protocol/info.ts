import { ContentType, Header, normalizeContentType } from './headers.js';

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

/** Every server INFO the core understands, parsed. */
export type ReceivedInfo = EnterRoomInfo | UseLicenseInfo;

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

const PARSERS: Readonly<Record<string, (lookup: HeaderLookup) => ParseResult>> = {
  [ContentType.ENTER_ROOM]: parseEnterRoom,
  [ContentType.USE_LICENSE]: parseUseLicense,
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
