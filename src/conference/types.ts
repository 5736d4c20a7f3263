import type { RoomAccess } from './access.js';
import type { Channels, License, ModeratorCommand, ReceivedInfo, Role, SpectatorMode, VinteoNotification } from '../protocol/info.js';

export type Device = 'microphone' | 'camera';

/** A moderator's request that waits for the user's answer. */
export interface ModeratorRequest {
  readonly device: Device;
  /** True: the moderator asks to turn the device on; false: off. */
  readonly enable: boolean;
  readonly command: ModeratorCommand;
}

export interface RoomSnapshot {
  /** The room the server put this client in (from the enter-room INFO). */
  readonly name: string | undefined;
  /** This participant's name as the server knows it. */
  readonly participantName: string | undefined;
  readonly license: License | undefined;
  readonly channels: Channels | undefined;
  readonly isDirectP2P: boolean;
  readonly role: Role;
  readonly spectatorMode: SpectatorMode | undefined;
  /** A moderator's request waiting for the user (accept or decline). */
  readonly pendingRequest: ModeratorRequest | undefined;
  /** The moderator stopped the camera: turning it on needs the moderator's permission. */
  readonly cameraBlocked: boolean;
  /** The moderator stopped the microphone. */
  readonly microphoneBlocked: boolean;
  /** The user asked the moderator to allow the camera and waits for the answer. */
  readonly cameraRequested: boolean;
  /** This user is a moderator of the conference (from `addedToListModerators`). */
  readonly moderator: boolean;
  /** Room access (protocol §5): `none`, `waiting` (purgatory), `p2p`, `direct-p2p`, `pending` (authorisation), `in-room`. */
  readonly access: RoomAccess;
}

export const initialRoomSnapshot: RoomSnapshot = {
  name: undefined,
  participantName: undefined,
  license: undefined,
  channels: undefined,
  isDirectP2P: false,
  role: 'participant',
  spectatorMode: undefined,
  pendingRequest: undefined,
  cameraBlocked: false,
  microphoneBlocked: false,
  cameraRequested: false,
  moderator: false,
  access: 'none',
};

export interface ConferenceEvents {
  'conference:enter-room': { room: string; participantName: string; isDirectP2P: boolean };
  /** The room access changed (protocol §5); the credentials themselves are never in an event. */
  'conference:access': { access: RoomAccess };
  'conference:license': { license: License };
  /** A moderator command arrived; `forced` ones are already applied, others wait in `pendingRequest`. */
  'conference:moderator-command': { command: ModeratorCommand; forced: boolean };
  'conference:role': { role: Role; previous: Role; spectatorMode?: SpectatorMode; audioId?: string };
  /** A notification command; a `ConferenceParticipantTokenIssued` jwt reads `***`. */
  'conference:notify': { notification: VinteoNotification };
  /**
   * Every server INFO that was understood, parsed (before the service acts on it), with the
   * enter-room `bearerToken` and the notify `jwt` masked (`***`).
   */
  'conference:info': ReceivedInfo;
  /** A server INFO that could not be understood; ignored safely. */
  'conference:ignored-info': { contentType: string; reason: string };
}
