/**
 * Moderator command shortcuts: maps `{ command, ... }` (POST /api/calls/{id}/command)
 * to the Vinteo INFO that carries it (content type, X- headers), following
 * the protocol page. Pure functions; the control API sends the result.
 */

export const MODERATOR_COMMANDS = [
  'stop-camera',
  'start-camera',
  'stop-mic',
  'start-mic',
  'spectator',
  'participant',
  'pause-camera',
  'resume-camera',
  'max-resolution',
  'notify',
  'restart',
  'stop-presentation',
] as const;

export type ModeratorCommand = (typeof MODERATOR_COMMANDS)[number];

export interface CommandInfo {
  contentType: string;
  headers: Record<string, string>;
  body: string;
}

/** Largest X-VINTEO-NOTIFY value accepted (compact JSON, UTF-8 bytes). */
export const MAX_NOTIFY_BYTES = 8 * 1024;

export const TRACK_DIRECTIONS = ['incoming', 'outgoing', 'bidirectional'] as const;

export class CommandError extends Error {
  constructor(
    message: string,
    /** Set when the command name itself is unknown. */
    readonly validCommands?: readonly string[],
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

function isCommand(value: unknown): value is ModeratorCommand {
  return typeof value === 'string' && (MODERATOR_COMMANDS as readonly string[]).includes(value);
}

function optionalBoolean(input: Record<string, unknown>, name: string): boolean {
  const value = input[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new CommandError(`${name} must be a boolean`);
  return value;
}

function optionalInt(input: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CommandError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** Maps a command request to the INFO to send; throws CommandError for bad input. */
export function buildCommandInfo(input: Record<string, unknown>): CommandInfo {
  const command = input.command;
  if (!isCommand(command)) {
    throw new CommandError(
      `${command === undefined ? 'command is required' : `unknown command ${JSON.stringify(command)}`}; valid commands: ${MODERATOR_COMMANDS.join(', ')}`,
      MODERATOR_COMMANDS,
    );
  }
  const sync = (): string => (optionalBoolean(input, 'forced') ? '1' : '0');
  const info = (contentType: string, headers: Record<string, string>): CommandInfo => ({ contentType, headers, body: '' });
  switch (command) {
    case 'stop-camera':
    case 'start-camera':
      return info('application/vinteo.webrtc.maincam', {
        'X-WEBRTC-MAINCAM': command === 'stop-camera' ? 'ADMINSTOPMAINCAM' : 'ADMINSTARTMAINCAM',
        'X-WEBRTC-SYNC': sync(),
      });
    case 'stop-mic':
    case 'start-mic':
      return info('application/vinteo.webrtc.mic', {
        'X-WEBRTC-MIC': command === 'stop-mic' ? 'ADMINSTOPMIC' : 'ADMINSTARTMIC',
        'X-WEBRTC-SYNC': sync(),
      });
    case 'spectator':
    case 'participant': {
      const headers: Record<string, string> = { 'X-WEBRTC-PARTSTATE': command === 'spectator' ? 'SPECTATOR' : 'PARTICIPANT' };
      const audioId = input.audioId;
      if (audioId !== undefined) {
        const text = typeof audioId === 'number' && Number.isInteger(audioId) && audioId >= 0 ? String(audioId) : audioId;
        if (typeof text !== 'string' || !/^[A-Za-z0-9._:@-]{1,64}$/.test(text)) {
          throw new CommandError('audioId must be a non-negative integer or a token of 1–64 letters, digits and . _ : @ -');
        }
        headers['X-WEBRTC-AUDIOID'] = text;
      }
      if (command === 'spectator') {
        const mode = optionalInt(input, 'spectatorMode', 0, 2);
        if (mode !== undefined) headers['X-WEBRTC-SPECTATOR-MODE'] = String(mode);
      }
      return info('application/vinteo.webrtc.partstate', headers);
    }
    case 'pause-camera':
    case 'resume-camera':
      return info('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': command === 'pause-camera' ? 'PAUSEMAINCAM' : 'RESUMEMAINCAM' });
    case 'max-resolution': {
      const resolution = input.resolution;
      const match = typeof resolution === 'string' ? /^([1-9]\d{0,4})x([1-9]\d{0,4})$/.exec(resolution) : null;
      if (!match) throw new CommandError('resolution is required, as WIDTHxHEIGHT (e.g. "320x180")');
      return info('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'MAXMAINCAMRESOLUTION', 'X-WEBRTC-MAINCAM-RESOLUTION': `${match[1]}x${match[2]}` });
    }
    case 'notify': {
      const notify = input.notify;
      if (typeof notify !== 'object' || notify === null || Array.isArray(notify)) throw new CommandError('notify must be a JSON object');
      const json = JSON.stringify(notify);
      if (Buffer.byteLength(json, 'utf8') > MAX_NOTIFY_BYTES) throw new CommandError(`notify is larger than ${MAX_NOTIFY_BYTES} bytes once serialized`);
      // JSON.stringify escapes control characters inside strings; checked anyway since it becomes a header value.
      if (/[\r\n\0]/.test(json)) throw new CommandError('notify must not contain CR, LF or NUL once serialized');
      return info('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': json });
    }
    case 'stop-presentation':
      return info('application/vinteo.webrtc.sharedesktop', { 'X-WEBRTC-SHARE-STATE': 'YOUMUSTSTOPSENDCONTENT' });
    case 'restart': {
      const direction = input.tracksDirection ?? 'bidirectional';
      if (typeof direction !== 'string' || !(TRACK_DIRECTIONS as readonly string[]).includes(direction)) {
        throw new CommandError(`tracksDirection must be one of ${TRACK_DIRECTIONS.join(', ')}`);
      }
      return info('application/vinteo.webrtc.restart', {
        'X-WEBRTC-TRACKS-DIRECTION': direction,
        'X-WEBRTC-AUDIO-TRACK-COUNT': String(optionalInt(input, 'audioTrackCount', 0, 16) ?? 1),
        'X-WEBRTC-VIDEO-TRACK-COUNT': String(optionalInt(input, 'videoTrackCount', 0, 16) ?? 1),
      });
    }
  }
}
