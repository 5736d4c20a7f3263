/**
 * The call record every concern of calls/ works on (its dialog, negotiation
 * state, presentation, content, records and timers), how a new one starts,
 * and the small helpers and limits they share.
 */
import type { EchoPeer } from '../media/echo-peer.js';
import type { VideoMode } from '../media/video-fault.js';
import type { OfferedMedia } from '../sdp-info.js';
import type { SipNameAddr, SipRequest } from '../sip/message.js';
import type { Flow } from '../sip/listener.js';
import type { CallDirection, CallState, EndReason, InfoRecord, PresentationPolicy, PresentationState, SentInfoRecord } from './types.js';

export interface Dialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** Our side (the INVITE's To with our tag, or our INVITE's From): From of our requests. */
  local: SipNameAddr;
  /** The client's side (its INVITE's From, or the To of its 200 OK): To of our requests. */
  remote: SipNameAddr;
  /** The client's Contact URI: Request-URI of our requests. */
  remoteTarget: string;
  routeSet: SipNameAddr[];
  localSeq: number;
  remoteSeq: number;
}

export interface SdpRecord {
  type: 'offer' | 'answer';
  sdp: string;
}

/** Client-transaction state of a server-initiated INVITE. */
export interface OutgoingState {
  /** The INVITE has been sent (its offer was ready). */
  inviteSent: boolean;
  /** A provisional response arrived (a CANCEL may be sent from then on). */
  provisional: boolean;
  /** Set when we decided to give up before the answer (hangup, ring timeout, shutdown). */
  cancelReason?: EndReason;
  cancelSent: boolean;
  /** Send the roomname + uselic INFOs after the ACK. */
  welcome: boolean;
}

export interface Call {
  id: string;
  flow: Flow;
  direction: CallDirection;
  state: CallState;
  endReason?: EndReason;
  finalStatus?: number;
  startedAt: number;
  answeredAt?: number;
  confirmedAt?: number;
  cancelledAt?: number;
  endedAt?: number;
  from: string;
  fromUri: string;
  displayName: string;
  conference: string;
  localDisplayName?: string;
  userAgent?: string;
  inviteHeaders: Record<string, string>;
  /** The client's INVITE, or ours for outgoing calls. */
  invite: SipRequest;
  inviteBranch: string;
  dialog: Dialog;
  offeredMedia: OfferedMedia[];
  /** The room of the last enter-room INFO we sent (`purgatory` in the waiting room), lower-cased. */
  room?: string | undefined;
  /** The in-room token issued on entering `room` (none in purgatory, or with tokens off). */
  bearerToken?: string | undefined;
  lastRemoteSdp?: SdpRecord;
  lastLocalSdp?: SdpRecord;
  outgoing?: OutgoingState;
  peer?: EchoPeer;
  negotiating: boolean;
  reinvites: number;
  serverReinvites: number;
  /** ACKs of our INVITEs' 2xx by CSeq, sent again when the 2xx is retransmitted. */
  acks: Map<number, SipRequest>;
  presentation: { state: PresentationState; requestedAt?: number; startedAt?: number; stoppedAt?: number; mid?: string; packetsReceived: number };
  /** This call's own presentation policy (else the manager's default). */
  presentationPolicy?: PresentationPolicy;
  content: { state: 'idle' | 'active'; startedAt?: number; stoppedAt?: number };
  /** The main-video fault in force (video-fault.ts) and what ends it. */
  video: { mode: VideoMode; until: 'reinvite' | 'command' };
  /** A content start/stop is running. */
  contentBusy: boolean;
  infoReceived: InfoRecord[];
  infoSent: SentInfoRecord[];
  dtmfReceived: string;
  timers: Set<NodeJS.Timeout>;
  /** Callbacks run once when the call ends (wakes pending delays). */
  onEnd: Set<() => void>;
}

const MAX_RECORDS_PER_CALL = 500;
export const NEGOTIATION_TIMEOUT_MS = 10_000;
export const SHAREDESKTOP = 'application/vinteo.webrtc.sharedesktop';
export const ROOMNAME = 'application/vinteo.webrtc.roomname';
/** Attempts of a server re-INVITE answered 491 (glare) or 500 with Retry-After. */
export const REINVITE_ATTEMPTS = 4;
/** After a CANCEL, how long to wait for the INVITE's final response before ending the call anyway. */
export const CANCEL_GRACE_MS = 4000;

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** What every call starts with, incoming or outgoing: nothing negotiated, sent, received or scheduled yet. */
export function newCallState(): Pick<
  Call,
  'negotiating' | 'reinvites' | 'serverReinvites' | 'acks' | 'presentation' | 'content' | 'video' | 'contentBusy' | 'infoReceived' | 'infoSent' | 'dtmfReceived' | 'timers' | 'onEnd'
> {
  return {
    negotiating: false,
    reinvites: 0,
    serverReinvites: 0,
    acks: new Map(),
    presentation: { state: 'idle', packetsReceived: 0 },
    content: { state: 'idle' },
    video: { mode: 'flow', until: 'reinvite' },
    contentBusy: false,
    infoReceived: [],
    infoSent: [],
    dtmfReceived: '',
    timers: new Set(),
    onEnd: new Set(),
  };
}

/** Reads the state through a call (TypeScript's narrowing does not survive an await). */
export function isEnded(call: Call): boolean {
  return call.state === 'ended';
}

export function isEarly(call: Call): boolean {
  return call.state === 'calling' || call.state === 'ringing';
}


export function sanitizeHeaderValue(value: string): string {
  return value.replace(/[\r\n]+[ \t]*/g, ' ').trim();
}

/** Appends to a call's record list, keeping the last MAX_RECORDS_PER_CALL. */
export function pushCapped<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_RECORDS_PER_CALL) list.splice(0, list.length - MAX_RECORDS_PER_CALL);
}

/** `kind:mid:direction` of each m-line, for logs. */
export function describeMedia(call: Call): string {
  return call.offeredMedia.map((m) => `${m.kind}:${m.mid}:${m.direction}`).join(', ');
}
