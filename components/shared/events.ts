import type { ConnectionState } from '../../src/connection/ConnectionService.js';
import type { CallEndReason } from '../../src/call/CallService.js';
import type { VinteoErrorInfo } from '../../src/errors.js';

/** Base of every DOM event the elements fire: bubbling, composed, with a typed readonly detail. */
export abstract class VinteoEvent<D> extends Event {
  readonly detail: D;

  constructor(type: string, detail: D) {
    super(type, { bubbles: true, composed: true });
    this.detail = Object.freeze(detail);
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

declare global {
  interface GlobalEventHandlersEventMap {
    'vinteo-connection-change': VinteoConnectionChangeEvent;
    'vinteo-call-accepted': VinteoCallAcceptedEvent;
    'vinteo-call-ended': VinteoCallEndedEvent;
    'vinteo-call-failed': VinteoCallFailedEvent;
    'vinteo-enter-room': VinteoEnterRoomEvent;
    'vinteo-error': VinteoErrorEvent;
  }
}
