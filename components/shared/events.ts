import type { ConnectionState } from '../../src/connection/ConnectionService.js';
import type { CallEndReason } from '../../src/call/CallService.js';
import type { VinteoErrorInfo } from '../../src/errors.js';
import type { CallStats, QualityAssessment } from '../../src/stats/types.js';
import { redactUrls } from '../../src/redact.js';

/**
 * The detail with the URLs in its top-level strings redacted (userinfo, query, fragment, `data:`
 * payloads; see `src/redact.ts`): a `reason` quoting an address cannot carry its password into the page.
 * Errors in a detail are `VinteoErrorInfo`, already redacted. The same object when nothing changes.
 */
function redactDetail<D>(detail: D): D {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return detail;
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(detail)) {
    if (typeof value !== 'string') continue;
    const safe = redactUrls(value);
    if (safe !== value) (copy ??= { ...(detail as Record<string, unknown>) })[key] = safe;
  }
  return (copy as D | undefined) ?? detail;
}

/** Base of every DOM event the elements fire: bubbling, composed, with a typed readonly detail. */
export abstract class VinteoEvent<D> extends Event {
  readonly detail: D;

  constructor(type: string, detail: D) {
    super(type, { bubbles: true, composed: true });
    this.detail = Object.freeze(redactDetail(detail));
  }
}

export interface ConnectionChangeDetail {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  readonly error?: VinteoErrorInfo;
}
/** `vinteo-connection-change`: the connection state changed. */
export class VinteoConnectionChangeEvent extends VinteoEvent<ConnectionChangeDetail> {
  static readonly type = 'vinteo-connection-change';
  constructor(detail: ConnectionChangeDetail) {
    super(VinteoConnectionChangeEvent.type, detail);
  }
}

export interface CallAcceptedDetail {
  readonly conference: string;
}
/** `vinteo-call-accepted`: the call is established. */
export class VinteoCallAcceptedEvent extends VinteoEvent<CallAcceptedDetail> {
  static readonly type = 'vinteo-call-accepted';
  constructor(detail: CallAcceptedDetail) {
    super(VinteoCallAcceptedEvent.type, detail);
  }
}

export interface CallEndedDetail {
  readonly conference: string;
  readonly reason: CallEndReason;
}
/** `vinteo-call-ended`: the call ended (hang-up by either side, cancel, or lost connection). */
export class VinteoCallEndedEvent extends VinteoEvent<CallEndedDetail> {
  static readonly type = 'vinteo-call-ended';
  constructor(detail: CallEndedDetail) {
    super(VinteoCallEndedEvent.type, detail);
  }
}

export interface CallFailedDetail {
  readonly conference: string;
  readonly error: VinteoErrorInfo;
}
/** `vinteo-call-failed`: the call could not be set up or failed. */
export class VinteoCallFailedEvent extends VinteoEvent<CallFailedDetail> {
  static readonly type = 'vinteo-call-failed';
  constructor(detail: CallFailedDetail) {
    super(VinteoCallFailedEvent.type, detail);
  }
}

export interface EnterRoomDetail {
  readonly room: string;
  readonly participantName: string;
}
/** `vinteo-enter-room`: the server put this participant into a room. */
export class VinteoEnterRoomEvent extends VinteoEvent<EnterRoomDetail> {
  static readonly type = 'vinteo-enter-room';
  constructor(detail: EnterRoomDetail) {
    super(VinteoEnterRoomEvent.type, detail);
  }
}

/** `vinteo-error`: something went wrong; `detail.reason` is a stable code, `detail.message` readable text. */
export class VinteoErrorEvent extends VinteoEvent<VinteoErrorInfo> {
  static readonly type = 'vinteo-error';
  constructor(detail: VinteoErrorInfo) {
    super(VinteoErrorEvent.type, detail);
  }
}

export interface IncomingCallDetail {
  readonly callerName: string;
  readonly callerNumber: string;
}
/** `vinteo-incoming-call`: a call is ringing; answer or decline it. */
export class VinteoIncomingCallEvent extends VinteoEvent<IncomingCallDetail> {
  static readonly type = 'vinteo-incoming-call';
  constructor(detail: IncomingCallDetail) {
    super(VinteoIncomingCallEvent.type, detail);
  }
}

export interface RoleChangeDetail {
  readonly role: 'participant' | 'spectator';
  readonly previous: 'participant' | 'spectator';
  readonly spectatorMode?: 0 | 1 | 2;
}
/** `vinteo-role-change`: the server moved this participant to the spectators or back. */
export class VinteoRoleChangeEvent extends VinteoEvent<RoleChangeDetail> {
  static readonly type = 'vinteo-role-change';
  constructor(detail: RoleChangeDetail) {
    super(VinteoRoleChangeEvent.type, detail);
  }
}

export interface ModeratorCommandDetail {
  readonly command: 'ADMINSTOPMIC' | 'ADMINSTARTMIC' | 'ADMINSTOPMAINCAM' | 'ADMINSTARTMAINCAM';
  /** Forced commands are applied at once; others ask the user. */
  readonly forced: boolean;
}
/** `vinteo-moderator-command`: a moderator stopped or started the microphone or camera. */
export class VinteoModeratorCommandEvent extends VinteoEvent<ModeratorCommandDetail> {
  static readonly type = 'vinteo-moderator-command';
  constructor(detail: ModeratorCommandDetail) {
    super(VinteoModeratorCommandEvent.type, detail);
  }
}

export interface LicenseDetail {
  readonly license: 'AUDIO' | 'VIDEO' | 'AUDIOPLUSPRESENTATION';
}
/** `vinteo-license`: which licence the call uses. */
export class VinteoLicenseEvent extends VinteoEvent<LicenseDetail> {
  static readonly type = 'vinteo-license';
  constructor(detail: LicenseDetail) {
    super(VinteoLicenseEvent.type, detail);
  }
}

export interface NotifyDetail {
  /** The parsed `X-VINTEO-NOTIFY` command (`cmd` plus its fields; tokens are masked). */
  readonly notification: { readonly cmd: string } & Readonly<Record<string, string>>;
}
/** `vinteo-notify`: the server sent a notification command. */
export class VinteoNotifyEvent extends VinteoEvent<NotifyDetail> {
  static readonly type = 'vinteo-notify';
  constructor(detail: NotifyDetail) {
    super(VinteoNotifyEvent.type, detail);
  }
}

/** `vinteo-presentation-start`: the user asked to share a screen. */
export class VinteoPresentationStartEvent extends VinteoEvent<Record<string, never>> {
  static readonly type = 'vinteo-presentation-start';
  constructor() {
    super(VinteoPresentationStartEvent.type, {});
  }
}

export interface PresentationStartedDetail {
  readonly contentHint: 'detail' | 'text' | 'motion';
}
/** `vinteo-presentation-started`: the screen is being sent into the conference. */
export class VinteoPresentationStartedEvent extends VinteoEvent<PresentationStartedDetail> {
  static readonly type = 'vinteo-presentation-started';
  constructor(detail: PresentationStartedDetail) {
    super(VinteoPresentationStartedEvent.type, detail);
  }
}

export interface PresentationEndedDetail {
  /** `user`, `browser` (ended from the browser's own UI), `server`, `call-ended` or `cancelled` (picker closed). */
  readonly reason: 'user' | 'browser' | 'server' | 'call-ended' | 'cancelled';
}
/** `vinteo-presentation-ended`: sharing stopped. */
export class VinteoPresentationEndedEvent extends VinteoEvent<PresentationEndedDetail> {
  static readonly type = 'vinteo-presentation-ended';
  constructor(detail: PresentationEndedDetail) {
    super(VinteoPresentationEndedEvent.type, detail);
  }
}

/** `vinteo-presentation-failed`: sharing could not start (declined by the server, capture failed…). */
export class VinteoPresentationFailedEvent extends VinteoEvent<VinteoErrorInfo> {
  static readonly type = 'vinteo-presentation-failed';
  constructor(detail: VinteoErrorInfo) {
    super(VinteoPresentationFailedEvent.type, detail);
  }
}

/** `vinteo-presentation-must-stop`: the server ordered this client to stop presenting (it has stopped). */
export class VinteoPresentationMustStopEvent extends VinteoEvent<Record<string, never>> {
  static readonly type = 'vinteo-presentation-must-stop';
  constructor() {
    super(VinteoPresentationMustStopEvent.type, {});
  }
}

export interface ReconnectingDetail {
  /** 1 for the first retry. */
  readonly attempt: number;
  /** Milliseconds until this attempt runs. */
  readonly delayMs: number;
  readonly reason: string;
}
/** `vinteo-reconnecting`: the connection was lost; an attempt to bring it back is scheduled. */
export class VinteoReconnectingEvent extends VinteoEvent<ReconnectingDetail> {
  static readonly type = 'vinteo-reconnecting';
  constructor(detail: ReconnectingDetail) {
    super(VinteoReconnectingEvent.type, detail);
  }
}

export interface ReconnectedDetail {
  readonly attempts: number;
  readonly downtimeMs: number;
}
/** `vinteo-reconnected`: the connection is back (a call in progress is redialled next). */
export class VinteoReconnectedEvent extends VinteoEvent<ReconnectedDetail> {
  static readonly type = 'vinteo-reconnected';
  constructor(detail: ReconnectedDetail) {
    super(VinteoReconnectedEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'vinteo-reconnecting': VinteoReconnectingEvent;
    'vinteo-reconnected': VinteoReconnectedEvent;
    'vinteo-presentation-start': VinteoPresentationStartEvent;
    'vinteo-presentation-started': VinteoPresentationStartedEvent;
    'vinteo-presentation-ended': VinteoPresentationEndedEvent;
    'vinteo-presentation-failed': VinteoPresentationFailedEvent;
    'vinteo-presentation-must-stop': VinteoPresentationMustStopEvent;
    'vinteo-incoming-call': VinteoIncomingCallEvent;
    'vinteo-role-change': VinteoRoleChangeEvent;
    'vinteo-moderator-command': VinteoModeratorCommandEvent;
    'vinteo-license': VinteoLicenseEvent;
    'vinteo-notify': VinteoNotifyEvent;
    'vinteo-connection-change': VinteoConnectionChangeEvent;
    'vinteo-call-accepted': VinteoCallAcceptedEvent;
    'vinteo-call-ended': VinteoCallEndedEvent;
    'vinteo-call-failed': VinteoCallFailedEvent;
    'vinteo-enter-room': VinteoEnterRoomEvent;
    'vinteo-error': VinteoErrorEvent;
  }
}

export interface DtmfDetail {
  /** The tones sent, upper-case (`0-9 A-D * #`, `,` is a pause). */
  readonly tones: string;
}
/** `vinteo-dtmf`: DTMF tones were sent in the running call. */
export class VinteoDtmfEvent extends VinteoEvent<DtmfDetail> {
  static readonly type = 'vinteo-dtmf';
  constructor(detail: DtmfDetail) {
    super(VinteoDtmfEvent.type, detail);
  }
}

export interface DeviceChangeDetail {
  readonly kind: 'camera' | 'microphone' | 'speaker';
  readonly deviceId: string;
}
/** `vinteo-device-change`: the user chose another camera, microphone or speaker, and it is in use. */
export class VinteoDeviceChangeEvent extends VinteoEvent<DeviceChangeDetail> {
  static readonly type = 'vinteo-device-change';
  constructor(detail: DeviceChangeDetail) {
    super(VinteoDeviceChangeEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'vinteo-dtmf': VinteoDtmfEvent;
    'vinteo-device-change': VinteoDeviceChangeEvent;
  }
}

export interface StatsDetail {
  /** The latest collection, parsed (bitrates in bit/s, times in ms). */
  readonly stats: CallStats;
  /** The quality badge: `good`, `fair` or `poor`, with the reasons. */
  readonly quality: QualityAssessment;
}
/** `vinteo-stats`: call stats were collected (at most one event a second; the latest stats win). */
export class VinteoStatsEvent extends VinteoEvent<StatsDetail> {
  static readonly type = 'vinteo-stats';
  constructor(detail: StatsDetail) {
    super(VinteoStatsEvent.type, detail);
  }
}

export interface BalancerUpdateDetail {
  /** The server's command in force; `undefined` before any (the balancer's start). */
  readonly command: 'PAUSEMAINCAM' | 'RESUMEMAINCAM' | 'MAXMAINCAMRESOLUTION' | undefined;
  /** What caused it: the balancer's `start`, a server `command`, or a `track-change` (device switch, new size). */
  readonly trigger: 'start' | 'command' | 'track-change';
  /** As set on the camera sender's encodings. */
  readonly scaleResolutionDownBy: number;
  /** Bits per second, as set on the camera sender's encodings. */
  readonly maxBitrate: number;
  /** The camera sender's codec (MIME type), when known. */
  readonly codec?: string;
  /** The camera track's own size. */
  readonly trackWidth?: number;
  readonly trackHeight?: number;
}
/** `vinteo-balancer-update`: the video sending balancer set new parameters on the camera sender. */
export class VinteoBalancerUpdateEvent extends VinteoEvent<BalancerUpdateDetail> {
  static readonly type = 'vinteo-balancer-update';
  constructor(detail: BalancerUpdateDetail) {
    super(VinteoBalancerUpdateEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'vinteo-stats': VinteoStatsEvent;
    'vinteo-balancer-update': VinteoBalancerUpdateEvent;
  }
}
