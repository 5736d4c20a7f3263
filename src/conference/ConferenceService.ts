import { logger } from '../logger.js';
import { parseReceivedInfo, type Channels, type EnterRoomInfo, type License, type ReceivedInfo } from '../protocol/info.js';
import type { ReceivedInfoMessage } from '../call/CallService.js';

export interface RoomSnapshot {
  /** The room the server put this client in (from the enter-room INFO). */
  readonly name: string | undefined;
  /** This participant's name as the server knows it. */
  readonly participantName: string | undefined;
  readonly license: License | undefined;
  readonly channels: Channels | undefined;
  readonly isDirectP2P: boolean;
}

export const initialRoomSnapshot: RoomSnapshot = {
  name: undefined,
  participantName: undefined,
  license: undefined,
  channels: undefined,
  isDirectP2P: false,
};

export interface ConferenceEvents {
  'conference:enter-room': { room: string; participantName: string; isDirectP2P: boolean };
  'conference:license': { license: License };
  /** Every server INFO that was understood, parsed (before the service acts on it). */
  'conference:info': ReceivedInfo;
  /** A server INFO that could not be understood; ignored safely. */
  'conference:ignored-info': { contentType: string; reason: string };
}

export interface ConferenceDeps {
  readonly update: (next: RoomSnapshot) => void;
  readonly emit: <K extends keyof ConferenceEvents>(type: K, payload: ConferenceEvents[K]) => void;
}

/** Room facts from server INFO: room name, licence, channels. Holds the bearer token privately. */
export class ConferenceService {
  private snapshot: RoomSnapshot = initialRoomSnapshot;
  private token: string | undefined;

  constructor(private readonly deps: ConferenceDeps) {}

  /** The bearer token from the enter-room INFO. Never logged, never in the snapshot. */
  get bearerToken(): string | undefined {
    return this.token;
  }

  handleInfo(message: ReceivedInfoMessage): void {
    const result = parseReceivedInfo(message.contentType, message.header);
    if (!result.ok) {
      logger.debug(`ignored INFO ${message.contentType}: ${result.message}`);
      this.deps.emit('conference:ignored-info', { contentType: message.contentType, reason: result.message });
      return;
    }
    const info = result.info;
    this.deps.emit('conference:info', info);
    switch (info.type) {
      case 'enter-room':
        this.enterRoom(info);
        break;
      case 'use-license':
        this.publish({ license: info.license });
        this.deps.emit('conference:license', { license: info.license });
        break;
      default:
        // Moderator commands, roles, presentations and balancing are handled by their own services.
        break;
    }
  }

  /** Forgets the room when the call is over. */
  reset(): void {
    this.token = undefined;
    this.publish(initialRoomSnapshot);
  }

  private enterRoom(info: EnterRoomInfo): void {
    this.token = info.bearerToken;
    this.publish({
      name: info.room,
      participantName: info.participantName,
      isDirectP2P: info.isDirectP2P,
      ...(info.channels ? { channels: info.channels } : {}),
    });
    this.deps.emit('conference:enter-room', {
      room: info.room,
      participantName: info.participantName,
      isDirectP2P: info.isDirectP2P,
    });
  }

  private publish(patch: Partial<RoomSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
