import type { EnterRoomInfo, ModeratorInfo, PartStateInfo, Role, VinteoNotification } from '../protocol/info.js';
import { refusalInfo, requestCameraInfo, type OutgoingInfo } from '../protocol/outgoing.js';
import { redactNotification } from '../protocol/redact-info.js';
import type { ConferenceInfo } from '../protocol/route.js';
import { VinteoError } from '../errors.js';
import type { Emit } from '../emitter.js';
import { credentialsAfterEnterRoom, credentialsFromNotify, roomAccess, type RoomCredentials } from './access.js';
import { initialRoomSnapshot, type ConferenceEvents, type Device, type RoomSnapshot } from './types.js';

/** What the conference service may ask of the call. */
export interface ConferenceCallControl {
  setMicrophoneEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  sendInfo(info: OutgoingInfo): Promise<void>;
}

export interface ConferenceDeps {
  readonly call: ConferenceCallControl;
  /**
   * Applies a partstate INFO (no re-INVITE, protocol §6): send caps, the receive leg, our presentation.
   * Called for every partstate, the same role again included (a new audio id reopens the leg).
   */
  readonly applyRole: (role: Role, audioId: string | undefined) => Promise<void>;
  readonly update: (next: RoomSnapshot) => void;
  readonly emit: Emit<ConferenceEvents>;
  /** Reports a failure nobody called for (a renegotiation the server asked for failed, …). */
  readonly reportError: (error: VinteoError) => void;
}

/** Room facts and the server's commands: licence, channels, roles, moderator requests, notifications. */
export class ConferenceService {
  private snapshot: RoomSnapshot = initialRoomSnapshot;
  private creds: RoomCredentials | undefined;

  constructor(private readonly deps: ConferenceDeps) {}

  /** The in-room credentials (protocol §5), internal only: never logged, never in the snapshot or an event. */
  get credentials(): RoomCredentials | undefined {
    return this.creds;
  }

  /** The in-room bearer token (enter-room `x-bearer-token` or the TokenIssued jwt). Never logged, never in the snapshot. */
  get bearerToken(): string | undefined {
    return this.creds?.token;
  }

  get role(): Role {
    return this.snapshot.role;
  }

  /** A server INFO of the conference's kinds (see protocol/route.ts). */
  handleInfo(info: ConferenceInfo): void {
    switch (info.type) {
      case 'enter-room':
        this.enterRoom(info);
        break;
      case 'use-license':
        this.publish({ license: info.license });
        this.deps.emit('conference:license', { license: info.license });
        break;
      case 'mic':
      case 'main-cam':
        this.moderatorCommand(info);
        break;
      case 'part-state':
        void this.changeRole(info);
        break;
      case 'notify':
        this.notify(info.notification);
        break;
      case 'restart':
        // The old restart INFO (protocol §13): answered 200 (by the call) and ignored, as the reference does since v19.9.
        break;
    }
  }

  /** The user accepts the pending moderator request: the device is switched as asked. */
  acceptRequest(): void {
    const request = this.snapshot.pendingRequest;
    if (!request) throw VinteoError.invalidState('accept a request', 'no moderator request is pending');
    this.publish({ pendingRequest: undefined });
    this.apply(request.device, request.enable);
  }

  /** The user declines the pending moderator request: the server is told with a `refusal` INFO. */
  async declineRequest(): Promise<void> {
    const request = this.snapshot.pendingRequest;
    if (!request) throw VinteoError.invalidState('decline a request', 'no moderator request is pending');
    this.publish({ pendingRequest: undefined });
    await this.deps.call.sendInfo(refusalInfo(request.device));
  }

  /** Asks the moderator for permission to turn the camera on (after the moderator stopped it). */
  async requestCamera(): Promise<void> {
    await this.deps.call.sendInfo(requestCameraInfo());
    this.publish({ cameraRequested: true });
  }

  /** Forgets the room when a new call starts. */
  reset(): void {
    const access = this.snapshot.access;
    this.creds = undefined;
    this.publish(initialRoomSnapshot);
    if (access !== initialRoomSnapshot.access) this.deps.emit('conference:access', { access: initialRoomSnapshot.access });
  }

  private moderatorCommand(info: ModeratorInfo): void {
    const command = info.command;
    const device: Device = info.type === 'mic' ? 'microphone' : 'camera';
    const enable = command === 'ADMINSTARTMIC' || command === 'ADMINSTARTMAINCAM';
    if (info.forced) {
      this.publish({ pendingRequest: undefined });
      this.apply(device, enable);
    } else {
      this.publish({ pendingRequest: { device, enable, command } });
    }
    this.deps.emit('conference:moderator-command', { command, forced: info.forced });
  }

  private apply(device: Device, enable: boolean): void {
    try {
      if (device === 'microphone') {
        this.deps.call.setMicrophoneEnabled(enable);
        this.publish({ microphoneBlocked: !enable });
      } else {
        this.deps.call.setCameraEnabled(enable);
        this.publish({ cameraBlocked: !enable, cameraRequested: false });
      }
    } catch (error) {
      this.deps.reportError(VinteoError.from(error, 'media-unavailable'));
    }
  }

  private async changeRole(info: PartStateInfo): Promise<void> {
    const previous = this.snapshot.role;
    this.publish({ role: info.role, spectatorMode: info.spectatorMode });
    if (previous !== info.role) {
      this.deps.emit('conference:role', {
        role: info.role,
        previous,
        ...(info.spectatorMode === undefined ? {} : { spectatorMode: info.spectatorMode }),
        ...(info.audioId === undefined ? {} : { audioId: info.audioId }),
      });
    }
    try {
      await this.deps.applyRole(info.role, info.audioId);
    } catch (error) {
      this.deps.reportError(VinteoError.from(error, 'protocol-error'));
    }
  }

  private notify(notification: VinteoNotification): void {
    switch (notification.cmd) {
      case 'channels':
        this.publish({ channels: { input: notification.input, output: notification.output } });
        break;
      case 'addedToListModerators':
      case 'removedFromListModerators':
        if (!this.snapshot.name || notification.conference === this.snapshot.name) {
          this.publish({ moderator: notification.cmd === 'addedToListModerators' });
        }
        break;
      case 'ConferenceParticipantTokenIssued':
        // A notify alone never leaves purgatory or a p2p room: the access follows the room (access.ts).
        this.creds = credentialsFromNotify(notification);
        this.publishAccess({ participantName: notification.participant });
        break;
      default:
        break;
    }
    // Tokens stay in the client: the event carries `jwt: '***'`.
    this.deps.emit('conference:notify', { notification: redactNotification(notification) });
  }

  private enterRoom(info: EnterRoomInfo): void {
    this.creds = credentialsAfterEnterRoom(info, this.creds);
    this.publishAccess({
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

  /** Publishes `patch` with the access it gives; `conference:access` when the access changed. */
  private publishAccess(patch: Partial<RoomSnapshot>): void {
    const previous = this.snapshot.access;
    const next = { ...this.snapshot, ...patch };
    const access = roomAccess(next.name, next.isDirectP2P, this.creds);
    this.publish({ ...patch, access });
    if (access !== previous) this.deps.emit('conference:access', { access });
  }

  private publish(patch: Partial<RoomSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.deps.update(this.snapshot);
  }
}
