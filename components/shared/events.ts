import type { VinteoErrorInfo } from '../../src/errors.js';
import type { BalancerAppliedDetail } from '../../src/balancer/types.js';
import type { CallEvents, Caller } from '../../src/call/types.js';
import type { ConferenceEvents } from '../../src/conference/types.js';
import type { ConnectionState } from '../../src/connection/types.js';
import type { DevicesEvents } from '../../src/devices/types.js';
import type { PresentationEvents } from '../../src/presentation/types.js';
import type { ReconnectEvents } from '../../src/reconnect/types.js';
import type { CallStats, QualityAssessment } from '../../src/stats/types.js';
import { redactUrls } from '../../src/redact.js';

// Event details are the core's event payloads (src/<domain>/types.ts), with errors as `VinteoErrorInfo`
// (plain, redacted data) and the few fields the DOM events have always named differently.

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


/**
 * The class of one DOM event: `type` is its name, `D` its detail. Each event is a named subclass (for
 * `instanceof`, `GlobalEventHandlersEventMap` and the docs): `class VinteoXEvent extends vinteoEvent<D>()('vinteo-x') {}`.
 */
function vinteoEvent<D>() {
  return <T extends string>(type: T) =>
    class extends VinteoEvent<D> {
      static readonly type: T = type;
      constructor(detail: D) {
        super(type, detail);
      }
    };
}

/** An event without detail (`{}`). */
function vinteoSignal<T extends string>(type: T) {
  return class extends VinteoEvent<Record<string, never>> {
    static readonly type: T = type;
    constructor() {
      super(type, {});
    }
  };
}

export interface ConnectionChangeDetail {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  readonly error?: VinteoErrorInfo;
}
/** `vinteo-connection-change`: the connection state changed. */
export class VinteoConnectionChangeEvent extends vinteoEvent<ConnectionChangeDetail>()('vinteo-connection-change') {}

export type CallAcceptedDetail = Readonly<CallEvents['call:accepted']>;
/** `vinteo-call-accepted`: the call is established. */
export class VinteoCallAcceptedEvent extends vinteoEvent<CallAcceptedDetail>()('vinteo-call-accepted') {}

export type CallEndedDetail = Readonly<CallEvents['call:ended']>;
/** `vinteo-call-ended`: the call ended (hang-up by either side, cancel, or lost connection). */
export class VinteoCallEndedEvent extends vinteoEvent<CallEndedDetail>()('vinteo-call-ended') {}

export type CallFailedDetail = Readonly<Omit<CallEvents['call:failed'], 'error'> & { error: VinteoErrorInfo }>;
/** `vinteo-call-failed`: the call could not be set up or failed. */
export class VinteoCallFailedEvent extends vinteoEvent<CallFailedDetail>()('vinteo-call-failed') {}

/** The room and this participant's name in it (`isDirectP2P` is the core's, not the page's). */
export type EnterRoomDetail = Readonly<Pick<ConferenceEvents['conference:enter-room'], 'room' | 'participantName'>>;
/** `vinteo-enter-room`: the server put this participant into a room. */
export class VinteoEnterRoomEvent extends vinteoEvent<EnterRoomDetail>()('vinteo-enter-room') {}

/** `vinteo-error`: something went wrong; `detail.reason` is a stable code, `detail.message` readable text. */
export class VinteoErrorEvent extends vinteoEvent<VinteoErrorInfo>()('vinteo-error') {}

/** The {@link Caller}, its fields named as this event has always named them. */
export interface IncomingCallDetail {
  readonly callerName: Caller['name'];
  readonly callerNumber: Caller['number'];
}
/** `vinteo-incoming-call`: a call is ringing; answer or decline it. */
export class VinteoIncomingCallEvent extends vinteoEvent<IncomingCallDetail>()('vinteo-incoming-call') {}

/** The new role, the previous one and, for spectators, how they became one (the audio id is the core's). */
export type RoleChangeDetail = Readonly<Pick<ConferenceEvents['conference:role'], 'role' | 'previous' | 'spectatorMode'>>;
/** `vinteo-role-change`: the server moved this participant to the spectators or back. */
export class VinteoRoleChangeEvent extends vinteoEvent<RoleChangeDetail>()('vinteo-role-change') {}

/** The command, and whether it was forced (applied at once) or asks the user. */
export type ModeratorCommandDetail = Readonly<ConferenceEvents['conference:moderator-command']>;
/** `vinteo-moderator-command`: a moderator stopped or started the microphone or camera. */
export class VinteoModeratorCommandEvent extends vinteoEvent<ModeratorCommandDetail>()('vinteo-moderator-command') {}

export type LicenseDetail = Readonly<ConferenceEvents['conference:license']>;
/** `vinteo-license`: which licence the call uses. */
export class VinteoLicenseEvent extends vinteoEvent<LicenseDetail>()('vinteo-license') {}

/** The parsed `X-VINTEO-NOTIFY` command (`cmd` plus its fields; tokens are masked). */
export type NotifyDetail = Readonly<ConferenceEvents['conference:notify']>;
/** `vinteo-notify`: the server sent a notification command. */
export class VinteoNotifyEvent extends vinteoEvent<NotifyDetail>()('vinteo-notify') {}

/** `vinteo-presentation-start`: the user asked to share a screen. */
export class VinteoPresentationStartEvent extends vinteoSignal('vinteo-presentation-start') {}

export type PresentationStartedDetail = Readonly<PresentationEvents['presentation:started']>;
/** `vinteo-presentation-started`: the screen is being sent into the conference. */
export class VinteoPresentationStartedEvent extends vinteoEvent<PresentationStartedDetail>()('vinteo-presentation-started') {}

/** `reason`: `user`, `browser` (ended from the browser's own UI), `server`, `call-ended` or `cancelled` (picker closed). */
export type PresentationEndedDetail = Readonly<PresentationEvents['presentation:ended']>;
/** `vinteo-presentation-ended`: sharing stopped. */
export class VinteoPresentationEndedEvent extends vinteoEvent<PresentationEndedDetail>()('vinteo-presentation-ended') {}

/** `vinteo-presentation-failed`: sharing could not start (declined by the server, capture failed…). */
export class VinteoPresentationFailedEvent extends vinteoEvent<VinteoErrorInfo>()('vinteo-presentation-failed') {}

/** `vinteo-presentation-must-stop`: the server ordered this client to stop presenting (it has stopped). */
export class VinteoPresentationMustStopEvent extends vinteoSignal('vinteo-presentation-must-stop') {}

/** `attempt` (1 for the first retry), `delayMs` until it runs, and why the connection was lost. */
/** What was wrong with the main video (`stalled`, `no-traffic`, `invalid-frames`), and how far its recovery is. */
export type VideoRecoveryDetail = Readonly<CallEvents['call:video-recovery']>;
/**
 * `vinteo-video-recovery`: the conference video stopped or arrived undecodable for 3 seconds and is being
 * restored with a re-INVITE (`phase: 'started'`), then was restored (`done`) or could not be (`failed`).
 */
export class VinteoVideoRecoveryEvent extends vinteoEvent<VideoRecoveryDetail>()('vinteo-video-recovery') {}

export type ReconnectingDetail = Readonly<ReconnectEvents['connection:reconnecting']>;
/** `vinteo-reconnecting`: the connection was lost; an attempt to bring it back is scheduled. */
export class VinteoReconnectingEvent extends vinteoEvent<ReconnectingDetail>()('vinteo-reconnecting') {}

export type ReconnectedDetail = Readonly<ReconnectEvents['connection:reconnected']>;
/** `vinteo-reconnected`: the connection is back (a call in progress is redialled next). */
export class VinteoReconnectedEvent extends vinteoEvent<ReconnectedDetail>()('vinteo-reconnected') {}

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
    'vinteo-video-recovery': VinteoVideoRecoveryEvent;
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
export class VinteoDtmfEvent extends vinteoEvent<DtmfDetail>()('vinteo-dtmf') {}

/** The kind of device and the one now in use. */
export type DeviceChangeDetail = Readonly<Pick<DevicesEvents['devices:selected'], 'kind'> & { deviceId: string }>;
/** `vinteo-device-change`: the user chose another camera, microphone or speaker, and it is in use. */
export class VinteoDeviceChangeEvent extends vinteoEvent<DeviceChangeDetail>()('vinteo-device-change') {}

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
export class VinteoStatsEvent extends vinteoEvent<StatsDetail>()('vinteo-stats') {}

/**
 * The core's {@link BalancerAppliedDetail} with its parameters spread: the server's `command` in force
 * (`undefined` before any), the `trigger` (`start`, `command`, `track-change`), `scaleResolutionDownBy`
 * and `maxBitrate` (bit/s) as set on the camera sender, and `codec`, `trackWidth`, `trackHeight` when known.
 */
export type BalancerUpdateDetail = Readonly<
  Pick<BalancerAppliedDetail, 'command' | 'trigger'> &
    BalancerAppliedDetail['parameters'] & {
      codec?: string;
      trackWidth?: number;
      trackHeight?: number;
    }
>;
/** `vinteo-balancer-update`: the video sending balancer set new parameters on the camera sender. */
export class VinteoBalancerUpdateEvent extends vinteoEvent<BalancerUpdateDetail>()('vinteo-balancer-update') {}

declare global {
  interface GlobalEventHandlersEventMap {
    'vinteo-stats': VinteoStatsEvent;
    'vinteo-balancer-update': VinteoBalancerUpdateEvent;
  }
}
