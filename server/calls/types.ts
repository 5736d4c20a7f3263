/**
 * The calls' public types: what the control API and `startDevServer` users
 * see (`CallInfo` and its parts), the options and fault knobs of the call
 * manager, and `CallError` (a failed control operation with its HTTP status).
 */
import type { Logger } from '../log.js';
import type { MediaRole } from '../media/types.js';
import type { VideoMode } from '../media/video-fault.js';
import type { Flow } from '../sip/listener.js';

/**
 * - `calling`: server-initiated call, INVITE being prepared or sent, no 18x yet;
 * - `ringing`: a client's INVITE not answered yet, or our INVITE got 180/183;
 * - `answered`: 200 OK sent, ACK not received yet; `confirmed`: dialog established (in its room);
 * - `waiting`: confirmed, but in the waiting room (enter-room `purgatory`; media flows) until admitted; `ended`.
 */
export type CallState = 'calling' | 'ringing' | 'waiting' | 'answered' | 'confirmed' | 'ended';

/** `incoming`: the client called a conference; `outgoing`: the server called a registered user. */
export type CallDirection = 'incoming' | 'outgoing';

/**
 * Why a call ended:
 * - `bye`: the client sent BYE; `hangup`: ended through the control API (BYE or CANCEL sent, or the INVITE declined);
 * - `cancel`: the client cancelled before the answer;
 * - `rejected`: answered with a final error: by us (reject-next) for incoming calls, by the client (486, 603 …) for outgoing ones;
 * - `no-answer`: an outgoing call was not answered within the ring timeout (CANCEL sent);
 * - `connection-closed` / `connection-dropped`: its WebSocket closed / was dropped through the control API;
 * - `server-closed`: the server shut down; `media-failed`: ICE/DTLS failed, or the client's answer could not be applied;
 * - `bad-request`: no conference in the Request-URI, no SDP offer or an offer that cannot be negotiated,
 *   or (outgoing) a 200 OK without an SDP answer;
 * - `ack-timeout`: the 200 OK was never acknowledged.
 */
export type EndReason =
  | 'bye'
  | 'hangup'
  | 'cancel'
  | 'rejected'
  | 'no-answer'
  | 'connection-closed'
  | 'connection-dropped'
  | 'server-closed'
  | 'media-failed'
  | 'bad-request'
  | 'ack-timeout';

export interface InfoRecord {
  contentType: string;
  /** X- headers, names lower-cased. */
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
  /** Our response status (200, or a presentation request's decline). */
  status: number;
}

/**
 * The client's presentation (screen sharing): `requested` after an accepted
 * LETMESTARTPRESENTATION, `active` once RTP arrives on a presentation m-line,
 * `stopped` after STOPPRESENTATION (or a re-offer that no longer sends it).
 */
export type PresentationState = 'idle' | 'requested' | 'active' | 'stopped';

export interface PresentationInfo {
  state: PresentationState;
  requestedAt?: string;
  startedAt?: string;
  stoppedAt?: string;
  /** The m-line the screen arrives on (once active). */
  mid?: string;
  /** RTP packets received on presentation m-lines in this call (all starts): flat after a stop. */
  packetsReceived: number;
}

/** How LETMESTARTPRESENTATION is answered: `failNext` declines come first, then `accept` decides. */
export interface PresentationPolicy {
  accept: boolean;
  /** Status of a decline (400–699, default 403). */
  status: number;
  /** Decline this many more requests (with `status`), then follow `accept` again. */
  failNext: number;
  /** How STOPPRESENTATION / CONTENTEND from the client are answered (default 200; a real server always says 2xx, a non-2xx is a test knob). */
  stopStatus: number;
}

/** "Another participant's content" played into the call by the server. */
export interface ContentInfo {
  state: 'idle' | 'active';
  codec?: string;
  mid?: string;
  packetsSent?: number;
  packetsDropped?: number;
  startedAt?: string;
  stoppedAt?: string;
}

/** Result of a content start/stop: the client's answers to our INFO and re-INVITE. */
export interface ContentResult {
  /** Status of the sharedesktop INFO. */
  status: number | null;
  /** Final status of our re-INVITE (null when none was sent). */
  reinviteStatus: number | null;
  content: ContentInfo;
  /**
   * The conference's other confirmed calls told with the same sharedesktop INFO (YOUCANRECEIVECONTENT
   * once the content plays, CONTENTEND when it stops), and how each answered (null: no answer).
   */
  notified: Array<{ callId: string; status: number | null }>;
}

export interface SentInfoRecord {
  contentType: string;
  headers: Record<string, string>;
  body: string;
  sentAt: string;
  /** The client's final response status; null while pending or when it never answered. */
  status: number | null;
  error?: string;
}

export interface MediaEntry {
  kind: string;
  mid: string;
  direction: string;
  port: number;
  codecs: string[];
  packetsReceived: number;
  bytesReceived: number;
  packetsEchoed: number;
  /** Audio only: packets whose RFC 6464 audio level carries sound (a muted microphone sends none). */
  audiblePacketsReceived?: number;
  /** `main` (audio, first video), `presentation` (the client's screen), `content` (our content sender). */
  role: MediaRole;
}

export interface CallInfo {
  id: string;
  callId: string;
  flowId: string;
  direction: CallDirection;
  /** The client's user (the caller, or the callee of an outgoing call). */
  from: string;
  fromUri: string;
  /** The client's display name (From of its INVITE, or To of its 200 OK). */
  displayName: string;
  /** The conference dialled, or the `from` user of an outgoing call. */
  conference: string;
  /** Outgoing calls: the display name the server put in From. */
  localDisplayName?: string;
  state: CallState;
  endReason?: EndReason;
  /** Final status of the initial INVITE (200, or the error it was rejected with; for outgoing calls the client's). */
  finalStatus?: number;
  startedAt: string;
  answeredAt?: string;
  confirmedAt?: string;
  /** When the client's CANCEL of its INVITE arrived (the first one), if it sent one. */
  cancelledAt?: string;
  endedAt?: string;
  userAgent?: string;
  /** The room of the last enter-room INFO sent (`purgatory` while waiting), lower-cased. */
  room?: string;
  /** The in-room token issued with that room, redacted to its first 4 characters (`abcd…`). */
  bearerToken?: string;
  /** X-Vinteo-* headers of the client's INVITE (or of its 200 OK for outgoing calls). */
  inviteHeaders: Record<string, string>;
  /** The INVITE's `X-Vinteo-Remote` (the address discovery told the client), when it sent one. */
  remote?: string;
  /** m-lines of the last SDP the client sent (offer, or answer to our offer). */
  media: MediaEntry[];
  mediaConnectionState?: string;
  /** re-INVITEs received from the client (and answered: not those refused 491 during another negotiation). */
  reinvites: number;
  /** re-INVITEs the server sent (content start/stop) and the client accepted. */
  serverReinvites: number;
  /** What the main video m-line echoes: `flow`, `stall` or `garble` (POST /api/calls/{id}/video). */
  videoMode: VideoMode;
  /** While not `flow`: what puts it back (`reinvite`: the client's next re-INVITE; `command`: only the control API). */
  videoModeUntil?: 'reinvite' | 'command';
  infoReceived: InfoRecord[];
  infoSent: SentInfoRecord[];
  dtmfReceived: string;
  presentation: PresentationInfo;
  /** The policy that answers this call's presentation requests (`scope`: its own, or the global default). */
  presentationPolicy: PresentationPolicy & { scope: 'call' | 'global' };
  content: ContentInfo;
}

export interface CallFaults {
  /** Delay before answering each new INVITE (the call stays `ringing` meanwhile). */
  answerDelayMs: number;
  /** Answer the next `count` new INVITEs with `status`. */
  rejectNext: { count: number; status: number };
  /**
   * Answer CANCEL 200 but go on with the INVITE (answered 200 OK when its time comes), as when the
   * 200 OK crosses the CANCEL on the wire: the client then has to ACK and BYE it.
   */
  ignoreCancel: boolean;
  /** Answer the client's roomname INFO (`application/vinteo.webrtc.roomname`) with this status; null: 200. */
  roomnameStatus: number | null;
  /** New calls start with the main video stalled (no RTP echoed on it: "no traffic") until the client re-INVITEs. */
  videoStartsStalled: boolean;
}

export interface CallManagerOptions {
  log: Logger;
  /** Loopback address for the media (ICE host candidates). */
  mediaHost: string;
  /** SIP domain of the URIs in our INVITEs (default 'vinteo.local'). */
  sipDomain?: string;
  /** Put guests (X-Vinteo-Purgatory-Call: yes) in the `purgatory` room after the ACK until admitted. */
  waitingRoom?: boolean;
  maxHistory?: number;
  infoTimeoutMs?: number;
  ackTimeoutMs?: number;
  /** How long a server-initiated call may ring before it is cancelled (default 60 s). */
  ringTimeoutMs?: number;
}

export interface OutgoingCallRequest {
  /** The WebSocket of the registration. */
  flow: Flow;
  /** The registered Contact URI: Request-URI of the INVITE. */
  target: string;
  /** The registered user called (To). */
  user: string;
  /** User part of our From (shown as `conference` of the call). */
  from: string;
  /** Display name of our From. */
  displayName?: string;
  /** Send the roomname + uselic INFOs after the ACK, as for conference calls. */
  welcome?: boolean;
}

export class CallError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** Headers the control API may not set on an INFO (the dialog owns them). */
export const RESERVED_HEADERS = new Set([
  'via',
  'from',
  'to',
  'call-id',
  'cseq',
  'contact',
  'route',
  'record-route',
  'max-forwards',
  'content-length',
  'content-type',
  'l',
  'c',
  'f',
  't',
  'i',
  'v',
  'm',
]);

/** Codecs a content stream may announce (X-WEBRTC-SHARE-CODEC); the m-line can carry only the camera's VP8 or H264. */
export const CONTENT_CODECS = ['VP8', 'H264'] as const;
