/**
 * Calls: conference calls (INVITEs from clients, answered by an echo peer,
 * optionally held in a waiting room first) and server-initiated calls to
 * registered users (we send the INVITE with the echo peer's offer). Handles
 * in-dialog requests from the client (ACK, BYE, CANCEL, INFO, UPDATE, OPTIONS,
 * re-INVITE) and sends our own (INFO, BYE, CANCEL, ACK) with their own CSeq
 * space. Ended calls stay in a capped history for the control API.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from './log.js';
import { errorMessage } from './log.js';
import { ContentError, EchoPeer, type MediaRole } from './media.js';
import { hasVideo, parseOfferedMedia, type OfferedMedia } from './sdp-info.js';
import {
  ALLOW_HEADER,
  SERVER_NAME,
  SUPPORTED_HEADER,
  contentType,
  decodeDisplayName,
  headerValue,
  headersWithPrefix,
  makeResponse,
  newBranch,
  newTag,
  quoteDisplayName,
  reasonPhrase,
  tagOf,
  topViaBranch,
  uriString,
  uriUser,
  withTag,
  type SipNameAddr,
  type SipRequest,
  type SipResponse,
} from './sip-message.js';
import type { Flow } from './sip-listener.js';

/**
 * - `calling`: server-initiated call, INVITE being prepared or sent, no 18x yet;
 * - `ringing`: a client's INVITE not answered yet, or our INVITE got 180/183;
 * - `waiting`: a guest's INVITE held in the waiting room (180 sent) until admitted;
 * - `answered`: 200 OK sent, ACK not received yet; `confirmed`: dialog established; `ended`.
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
}

/** How LETMESTARTPRESENTATION is answered: `failNext` declines come first, then `accept` decides. */
export interface PresentationPolicy {
  accept: boolean;
  /** Status of a decline (400–699, default 403). */
  status: number;
  /** Decline this many more requests (with `status`), then follow `accept` again. */
  failNext: number;
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
  /** X-Vinteo-* headers of the client's INVITE (or of its 200 OK for outgoing calls). */
  inviteHeaders: Record<string, string>;
  /** m-lines of the last SDP the client sent (offer, or answer to our offer). */
  media: MediaEntry[];
  mediaConnectionState?: string;
  reinvites: number;
  /** re-INVITEs the server sent (content start/stop) and the client accepted. */
  serverReinvites: number;
  infoReceived: InfoRecord[];
  infoSent: SentInfoRecord[];
  dtmfReceived: string;
  presentation: PresentationInfo;
  /** The policy that answers this call's presentation requests (`scope`: its own, or the global default). */
  presentationPolicy: PresentationPolicy & { scope: 'call' | 'global' };
  content: ContentInfo;
}

interface Dialog {
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
interface OutgoingState {
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

interface Call {
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
  lastRemoteSdp?: SdpRecord;
  lastLocalSdp?: SdpRecord;
  outgoing?: OutgoingState;
  peer?: EchoPeer;
  negotiating: boolean;
  reinvites: number;
  serverReinvites: number;
  /** ACKs of our INVITEs' 2xx by CSeq, sent again when the 2xx is retransmitted. */
  acks: Map<number, SipRequest>;
  presentation: { state: PresentationState; requestedAt?: number; startedAt?: number; stoppedAt?: number; mid?: string };
  /** This call's own presentation policy (else the manager's default). */
  presentationPolicy?: PresentationPolicy;
  content: { state: 'idle' | 'active'; startedAt?: number; stoppedAt?: number };
  /** A content start/stop is running. */
  contentBusy: boolean;
  infoReceived: InfoRecord[];
  infoSent: SentInfoRecord[];
  dtmfReceived: string;
  timers: Set<NodeJS.Timeout>;
  /** Callbacks run once when the call ends (wakes pending delays). */
  onEnd: Set<() => void>;
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
}

export interface CallManagerOptions {
  log: Logger;
  /** Loopback address for the media (ICE host candidates). */
  mediaHost: string;
  /** SIP domain of the URIs in our INVITEs (default 'vinteo.local'). */
  sipDomain?: string;
  /** Hold guests' INVITEs (X-Vinteo-Purgatory-Call: yes) until admitted. */
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

const MAX_RECORDS_PER_CALL = 500;
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

function sanitizeHeaderValue(value: string): string {
  return value.replace(/[\r\n]+[ \t]*/g, ' ').trim();
}

const NEGOTIATION_TIMEOUT_MS = 10_000;
const SHAREDESKTOP = 'application/vinteo.webrtc.sharedesktop';
/** Codecs a content stream may announce (X-WEBRTC-SHARE-CODEC); the m-line can carry only the camera's VP8 or H264. */
export const CONTENT_CODECS = ['VP8', 'H264'] as const;
/** Attempts of a server re-INVITE answered 491 (glare) or 500 with Retry-After. */
const REINVITE_ATTEMPTS = 4;
/** After a CANCEL, how long to wait for the INVITE's final response before ending the call anyway. */
const CANCEL_GRACE_MS = 4000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** What every call starts with, incoming or outgoing: nothing negotiated, sent, received or scheduled yet. */
function newCallState(): Pick<
  Call,
  'negotiating' | 'reinvites' | 'serverReinvites' | 'acks' | 'presentation' | 'content' | 'contentBusy' | 'infoReceived' | 'infoSent' | 'dtmfReceived' | 'timers' | 'onEnd'
> {
  return {
    negotiating: false,
    reinvites: 0,
    serverReinvites: 0,
    acks: new Map(),
    presentation: { state: 'idle' },
    content: { state: 'idle' },
    contentBusy: false,
    infoReceived: [],
    infoSent: [],
    dtmfReceived: '',
    timers: new Set(),
    onEnd: new Set(),
  };
}

/** Reads the state through a call (TypeScript's narrowing does not survive an await). */
function isEnded(call: Call): boolean {
  return call.state === 'ended';
}

function isEarly(call: Call): boolean {
  return call.state === 'calling' || call.state === 'ringing' || call.state === 'waiting';
}

export class CallManager {
  readonly faults: CallFaults = { answerDelayMs: 0, rejectNext: { count: 0, status: 486 }, ignoreCancel: false };
  /** Hold guests' INVITEs (X-Vinteo-Purgatory-Call: yes) in state `waiting` until admitted. */
  waitingRoom: boolean;
  /** Answers presentation requests of calls without a policy of their own (a shared failNext counter). */
  readonly presentationPolicy: PresentationPolicy = { accept: true, status: 403, failNext: 0 };
  private readonly log: Logger;
  private readonly mediaHost: string;
  private readonly sipDomain: string;
  private readonly ringTimeoutMs: number;
  private readonly maxHistory: number;
  private readonly infoTimeoutMs: number;
  private readonly ackTimeoutMs: number;
  /** Every call, oldest first (ended ones are trimmed to maxHistory). */
  private readonly history: Call[] = [];
  private readonly byId = new Map<string, Call>();
  /** Calls not ended yet, by SIP Call-ID. */
  private readonly active = new Map<string, Call>();
  private seq = 0;
  private closed = false;
  /** Peer connections still shutting down (awaited by close()). */
  private readonly closingPeers = new Set<Promise<void>>();

  constructor(options: CallManagerOptions) {
    this.log = options.log;
    this.mediaHost = options.mediaHost;
    this.sipDomain = options.sipDomain ?? 'vinteo.local';
    this.waitingRoom = options.waitingRoom ?? false;
    this.ringTimeoutMs = options.ringTimeoutMs ?? 60_000;
    this.maxHistory = options.maxHistory ?? 200;
    this.infoTimeoutMs = options.infoTimeoutMs ?? 5000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 32_000;
  }

  // ---------------------------------------------------------------- queries

  list(): CallInfo[] {
    return this.history.map((c) => this.toInfo(c));
  }

  get(id: string): CallInfo | undefined {
    const call = this.byId.get(id);
    return call ? this.toInfo(call) : undefined;
  }

  /** True when the request belongs to a call this manager knows (by Call-ID). */
  owns(request: SipRequest): boolean {
    return this.active.has(String(request.headers['call-id']));
  }

  // ------------------------------------------------------- incoming requests

  handleRequest(request: SipRequest, flow: Flow): void {
    switch (request.method) {
      case 'INVITE':
        if (tagOf(request.headers.to)) this.handleReinvite(request, flow);
        else void this.handleNewInvite(request, flow);
        return;
      case 'ACK':
        this.handleAck(request);
        return;
      case 'BYE':
        this.handleBye(request, flow);
        return;
      case 'CANCEL':
        this.handleCancel(request, flow);
        return;
      case 'INFO':
        this.handleInfo(request, flow);
        return;
      case 'UPDATE':
        void this.handleUpdate(request, flow);
        return;
      case 'OPTIONS':
        this.reply(flow, request, 200, { headers: { accept: 'application/sdp' } });
        return;
      default:
        this.reply(flow, request, 405);
    }
  }

  /** Ends every call carried by a WebSocket that closed. */
  onFlowClosed(flow: Flow): void {
    const reason: EndReason =
      flow.closeReason === 'dropped' ? 'connection-dropped' : flow.closeReason === 'server-closed' ? 'server-closed' : 'connection-closed';
    for (const call of [...this.active.values()]) {
      if (call.flow.id === flow.id) this.endCall(call, reason);
    }
  }

  // ------------------------------------------------------------ control API

  /** Sends an INFO into a confirmed call and resolves with the client's final status. */
  async sendInfo(id: string, info: { contentType: string; headers: Record<string, string>; body: string }): Promise<SentInfoRecord> {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    if (call.state !== 'confirmed') throw new CallError(`call ${id} is ${call.state}; INFO needs a confirmed call`, 409);
    return this.sendInDialogInfo(call, info.contentType, info.headers, info.body);
  }

  /**
   * Ends a call from the server side: BYE when answered; for a client's
   * INVITE not answered yet 480 (603 in the waiting room); for our INVITE a
   * CANCEL (resolves once the client answered it 487, or after a grace period).
   * `status` is the client's response to the BYE or CANCEL.
   */
  async hangup(id: string): Promise<{ status: number | null }> {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    if (call.state === 'ended') throw new CallError(`call ${id} already ended`, 409);
    if (call.direction === 'outgoing' && isEarly(call)) return this.cancelOutgoing(call, 'hangup');
    if (call.state === 'ringing' || call.state === 'waiting') {
      this.rejectInvite(call, call.state === 'waiting' ? 603 : 480, 'hangup');
      return { status: null };
    }
    return this.endCall(call, 'hangup', { sendBye: true });
  }

  /** Lets a call out of the waiting room: answers it (200 + SDP); welcome INFOs follow the ACK. */
  async admit(id: string): Promise<CallInfo> {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    if (call.state !== 'waiting') throw new CallError(`call ${id} is ${call.state}, not waiting`, 409);
    call.state = 'ringing';
    this.log.info(`call ${call.id}: admitted from the waiting room`);
    await this.answerIncoming(call, call.invite.content ?? '');
    return this.toInfo(call);
  }

  // ------------------------------------------------ presentations and content

  /** Changes the default presentation policy (calls without one of their own use it; `failNext` is shared by them). */
  setDefaultPresentationPolicy(patch: Partial<PresentationPolicy>): PresentationPolicy {
    Object.assign(this.presentationPolicy, patch);
    this.log.info(`default presentation policy: ${JSON.stringify(this.presentationPolicy)}`);
    return { ...this.presentationPolicy };
  }

  /**
   * Gives a call its own presentation policy (starting from the default's
   * accept/status, failNext 0, then `patch`), or with `reset` makes it follow
   * the default again.
   */
  setCallPresentationPolicy(id: string, patch: Partial<PresentationPolicy>, reset = false): CallInfo['presentationPolicy'] {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    if (reset) {
      delete call.presentationPolicy;
    } else {
      call.presentationPolicy ??= { accept: this.presentationPolicy.accept, status: this.presentationPolicy.status, failNext: 0 };
      Object.assign(call.presentationPolicy, patch);
    }
    const info = this.toInfo(call).presentationPolicy;
    this.log.info(`call ${call.id}: presentation policy ${JSON.stringify(info)}`);
    return info;
  }

  /**
   * Plays "another participant's content" into a confirmed call: INFO
   * sharedesktop YOUCANRECEIVECONTENT (+ X-WEBRTC-SHARE-CODEC), then, if the
   * client accepts it, a re-INVITE adding a sendonly video m-line that
   * carries the caller's own camera RTP. `codec` defaults to the camera's.
   */
  async startContent(id: string, codec?: string): Promise<ContentResult> {
    const call = this.contentCall(id);
    if (call.content.state === 'active') throw new CallError(`content is already playing in call ${id}`, 409);
    const peer = call.peer!;
    const chosen = codec ?? peer.cameraCodec() ?? 'VP8';
    try {
      peer.checkContentCodec(chosen);
    } catch (error) {
      if (error instanceof ContentError) throw new CallError(error.message, 409);
      throw error;
    }
    call.contentBusy = true;
    try {
      const info = await this.sendInDialogInfo(call, SHAREDESKTOP, { 'X-WEBRTC-SHARE-STATE': 'YOUCANRECEIVECONTENT', 'X-WEBRTC-SHARE-CODEC': chosen }, '');
      if (info.status === null || info.status >= 300) {
        this.log.info(`call ${call.id}: the client declined the content INFO (${info.status}); no re-INVITE`);
        return { status: info.status, reinviteStatus: null, content: this.contentInfo(call) };
      }
      const reinviteStatus = await this.serverReinvite(call, () => peer.createContentOffer(chosen), `content start, ${chosen}`);
      if (reinviteStatus < 300 && peer.contentStatus().active) {
        call.content = { state: 'active', startedAt: Date.now() };
        this.log.info(`call ${call.id}: content playing (${chosen})`);
      }
      return { status: info.status, reinviteStatus, content: this.contentInfo(call) };
    } finally {
      call.contentBusy = false;
    }
  }

  /** Stops the content: INFO sharedesktop CONTENTEND, then a re-INVITE setting the content m-line inactive. */
  async stopContent(id: string): Promise<ContentResult> {
    const call = this.contentCall(id);
    if (call.content.state !== 'active') throw new CallError(`no content is playing in call ${id}`, 409);
    const peer = call.peer!;
    call.contentBusy = true;
    try {
      // The content ends whatever the client answers; the re-INVITE takes the m-line down.
      call.content = { ...call.content, state: 'idle', stoppedAt: Date.now() };
      peer.pauseContent();
      let status: number | null = null;
      try {
        status = (await this.sendInDialogInfo(call, SHAREDESKTOP, { 'X-WEBRTC-SHARE-STATE': 'CONTENTEND' }, '')).status;
      } catch (error) {
        this.log.warn(`call ${call.id}: CONTENTEND INFO failed: ${errorMessage(error)}`);
      }
      const reinviteStatus = await this.serverReinvite(call, () => peer.createContentStopOffer(), 'content stop');
      return { status, reinviteStatus, content: this.contentInfo(call) };
    } finally {
      call.contentBusy = false;
    }
  }

  private contentCall(id: string): Call {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    if (call.state !== 'confirmed' || !call.peer) throw new CallError(`call ${id} is ${call.state}; content needs a confirmed call`, 409);
    if (call.contentBusy) throw new CallError(`a content start/stop is already running in call ${id}`, 409);
    return call;
  }

  /**
   * A server-initiated re-INVITE in a confirmed call: waits for any running
   * negotiation (a client re-INVITE), sends `makeOffer()`'s SDP, ACKs the
   * 2xx and applies its answer. 491 (glare) or 500 with Retry-After: ACK,
   * roll the offer back, wait (0.1–1 s, or 2.1–4 s when we own the Call-ID,
   * RFC 3261 14.1) and try again, up to REINVITE_ATTEMPTS times. Any other
   * final status rolls the offer back. Returns the final status.
   */
  private async serverReinvite(call: Call, makeOffer: () => Promise<string>, what: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForNegotiation(call);
      call.negotiating = true;
      let retryInMs: number;
      try {
        const peer = call.peer!;
        const offer = await withTimeout(makeOffer(), NEGOTIATION_TIMEOUT_MS, 'creating the offer timed out');
        if (call.state !== 'confirmed') {
          await peer.rollback();
          throw new CallError(`call ${call.id} is ${call.state}`, 409);
        }
        const invite = this.buildRequest(
          call,
          'INVITE',
          { contact: [this.ourContact(call)], allow: ALLOW_HEADER, supported: SUPPORTED_HEADER, 'content-type': 'application/sdp' },
          offer,
        );
        call.lastLocalSdp = { type: 'offer', sdp: offer };
        this.log.info(`call ${call.id}: re-INVITE sent (${what}${attempt > 1 ? `, attempt ${attempt}` : ''})`);
        let response: SipResponse;
        try {
          response = await call.flow.listener.request(call.flow, invite, NEGOTIATION_TIMEOUT_MS);
        } catch (error) {
          await peer.rollback();
          throw error;
        }
        const status = response.status;
        this.log.info(`call ${call.id}: re-INVITE answered ${status}`);
        if (status >= 300) {
          this.sendNon2xxAck(call, response, invite);
          await peer.rollback();
          const retryAfter = headerValue(response, 'retry-after');
          const retryable = status === 491 || (status === 500 && retryAfter !== undefined);
          if (!retryable || attempt >= REINVITE_ATTEMPTS || call.state !== 'confirmed') return status;
          retryInMs = this.glareDelayMs(call, status === 500 ? retryAfter : undefined);
        } else {
          const seq = invite.headers.cseq!.seq;
          const ack = this.buildRequest(call, 'ACK', {}, '', seq);
          call.acks.set(seq, ack);
          for (const old of call.acks.keys()) if (call.acks.size > 8) call.acks.delete(old);
          call.flow.listener.send(call.flow, ack);
          this.refreshTarget(call, response);
          const answer = contentType(response) === 'application/sdp' ? (response.content ?? '') : '';
          if (!answer.trim()) {
            await peer.rollback();
            throw new Error(`the client's ${status} to our re-INVITE has no SDP answer`);
          }
          try {
            await withTimeout(peer.acceptAnswer(answer), NEGOTIATION_TIMEOUT_MS, 'applying the answer timed out');
          } catch (error) {
            throw new Error(`cannot apply the client's answer: ${errorMessage(error)}`);
          }
          call.lastRemoteSdp = { type: 'answer', sdp: answer };
          call.offeredMedia = parseOfferedMedia(answer);
          call.serverReinvites++;
          this.checkPresentationAfterOffer(call);
          this.log.info(`call ${call.id}: renegotiated by us (${call.offeredMedia.map((m) => `${m.kind}:${m.mid}:${m.direction}`).join(', ')})`);
          return status;
        }
      } finally {
        call.negotiating = false;
      }
      this.log.info(`call ${call.id}: re-INVITE collided (glare); trying again in ${retryInMs} ms`);
      await this.sleep(call, retryInMs);
      if (call.state !== 'confirmed') throw new CallError(`call ${call.id} is ${call.state}`, 409);
    }
  }

  /** Waits until no offer/answer exchange runs in the call (the client's re-INVITE, or ours). */
  private async waitForNegotiation(call: Call): Promise<void> {
    const deadline = Date.now() + NEGOTIATION_TIMEOUT_MS;
    while (call.negotiating && call.state === 'confirmed') {
      if (Date.now() > deadline) throw new CallError(`call ${call.id}: another negotiation is still running`, 409);
      await this.sleep(call, 50);
    }
    if (call.state !== 'confirmed') throw new CallError(`call ${call.id} is ${call.state}`, 409);
  }

  /** RFC 3261 14.1: 2.1–4 s when we generated the Call-ID, else a short random delay; a Retry-After (seconds) is honoured up to 4 s. */
  private glareDelayMs(call: Call, retryAfter?: string): number {
    const seconds = retryAfter === undefined ? NaN : Number.parseInt(retryAfter, 10);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 4000);
    return call.direction === 'outgoing' ? 2100 + Math.random() * 1900 : 100 + Math.random() * 900;
  }

  /** The last SDP received from the client and the last one sent to it, keyed `remoteOffer`/`remoteAnswer` and `localOffer`/`localAnswer`. */
  sdp(id: string): Record<string, string> {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    const result: Record<string, string> = {};
    const key = (side: string, r: SdpRecord): string => `${side}${r.type === 'offer' ? 'Offer' : 'Answer'}`;
    if (call.lastLocalSdp) result[key('local', call.lastLocalSdp)] = call.lastLocalSdp.sdp;
    if (call.lastRemoteSdp) result[key('remote', call.lastRemoteSdp)] = call.lastRemoteSdp.sdp;
    return result;
  }

  /**
   * Places a call from the server to a registered user. Returns at once (state
   * `calling`); the offer is created, the INVITE sent and the responses
   * handled in the background.
   */
  callUser(request: OutgoingCallRequest): CallInfo {
    if (this.closed) throw new CallError('server is shutting down', 503);
    if (!request.flow.isOpen) throw new CallError(`the connection of ${request.user} is closed`, 409);
    const localTag = newTag();
    const callId = randomBytes(12).toString('hex');
    const local: SipNameAddr = {
      ...(request.displayName ? { name: quoteDisplayName(request.displayName) } : {}),
      uri: `sip:${request.from}@${this.sipDomain}`,
      params: { tag: localTag },
    };
    const remote: SipNameAddr = { uri: `sip:${request.user}@${this.sipDomain}`, params: {} };
    const call: Call = {
      id: `${++this.seq}-${randomBytes(3).toString('hex')}`,
      flow: request.flow,
      direction: 'outgoing',
      state: 'calling',
      startedAt: Date.now(),
      from: request.user,
      fromUri: String(remote.uri),
      displayName: '',
      conference: request.from,
      ...(request.displayName ? { localDisplayName: request.displayName } : {}),
      inviteHeaders: {},
      invite: undefined as unknown as SipRequest,
      inviteBranch: '',
      dialog: { callId, localTag, remoteTag: '', local, remote, remoteTarget: request.target, routeSet: [], localSeq: 0, remoteSeq: 0 },
      offeredMedia: [],
      outgoing: { inviteSent: false, provisional: false, cancelSent: false, welcome: request.welcome ?? false },
      ...newCallState(),
    };
    call.invite = this.buildRequest(call, 'INVITE', {
      contact: [this.ourContact(call)],
      allow: ALLOW_HEADER,
      supported: SUPPORTED_HEADER,
      'content-type': 'application/sdp',
    }, '');
    call.inviteBranch = topViaBranch(call.invite);
    this.track(call);
    this.log.info(`call ${call.id}: calling ${request.user} at ${request.target} on ${request.flow.id} from ${request.from}`);
    void this.runOutgoing(call);
    return this.toInfo(call);
  }

  /** A response no transaction waits for: re-ACK a retransmitted 2xx to one of our INVITEs (initial or re-INVITE). */
  handleStrayResponse(response: SipResponse, flow: Flow): void {
    if (response.headers.cseq?.method !== 'INVITE' || response.status < 200 || response.status >= 300) return;
    const callId = String(response.headers['call-id']);
    const call = this.active.get(callId) ?? this.history.find((c) => c.dialog.callId === callId);
    const ack = call?.acks.get(response.headers.cseq.seq);
    if (!call || !ack || call.flow.id !== flow.id) return;
    this.log.debug(`call ${call.id}: 2xx retransmitted, ACK sent again`);
    flow.listener.send(flow, ack);
  }

  rejectNext(count: number, status: number): void {
    this.faults.rejectNext = { count, status };
  }

  /** Ends every call; `crash: true` sends nothing (no BYE, no final responses), as a crashed server would. */
  async close(options: { crash?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending: Promise<unknown>[] = [];
    for (const call of [...this.active.values()]) {
      if (options.crash) {
        pending.push(this.endCall(call, 'server-closed', { sendBye: false, waitMs: 0 }));
      } else if (call.direction === 'outgoing' && isEarly(call)) {
        if (call.outgoing!.provisional && !call.outgoing!.cancelSent) void this.sendCancel(call);
        void this.endCall(call, 'server-closed');
      } else if (call.state === 'ringing' || call.state === 'waiting') {
        this.rejectInvite(call, 503, 'server-closed');
      } else {
        pending.push(this.endCall(call, 'server-closed', { sendBye: true, waitMs: 0 }));
      }
    }
    await Promise.allSettled(pending);
    while (this.closingPeers.size) await Promise.allSettled([...this.closingPeers]);
  }

  private closePeer(peer: EchoPeer): void {
    const closing = peer.close().finally(() => this.closingPeers.delete(closing));
    this.closingPeers.add(closing);
  }

  // ------------------------------------------------------------- new calls

  private async handleNewInvite(request: SipRequest, flow: Flow): Promise<void> {
    const callId = String(request.headers['call-id']);
    const existing = this.active.get(callId);
    if (existing) {
      // Same transaction again (retransmission) is absorbed; a different one is a merged request.
      if (existing.inviteBranch !== topViaBranch(request)) this.reply(flow, request, 482, { reason: 'Loop Detected' });
      return;
    }
    if (this.closed) {
      this.reply(flow, request, 503);
      return;
    }
    const contact = Array.isArray(request.headers.contact) ? request.headers.contact[0] : undefined;
    if (!contact || !uriString(contact.uri)) {
      this.reply(flow, request, 400, { reason: 'Missing Contact' });
      return;
    }
    this.reply(flow, request, 100);

    const from = request.headers.from!;
    const call: Call = {
      id: `${++this.seq}-${randomBytes(3).toString('hex')}`,
      flow,
      direction: 'incoming',
      state: 'ringing',
      startedAt: Date.now(),
      from: uriUser(from.uri),
      fromUri: uriString(from.uri),
      displayName: decodeDisplayName(from.name),
      conference: uriUser(request.uri),
      inviteHeaders: headersWithPrefix(request, 'x-vinteo-'),
      invite: request,
      inviteBranch: topViaBranch(request),
      dialog: {
        callId,
        localTag: newTag(),
        remoteTag: tagOf(from),
        local: request.headers.to!,
        remote: from,
        remoteTarget: uriString(contact.uri),
        routeSet: (request.headers['record-route'] ?? []).map((r) => ({ ...r })),
        localSeq: 0,
        remoteSeq: request.headers.cseq!.seq,
      },
      offeredMedia: [],
      ...newCallState(),
    };
    call.dialog.local = withTag(call.dialog.local, call.dialog.localTag);
    const userAgent = headerValue(request, 'user-agent');
    if (userAgent) call.userAgent = userAgent;
    this.track(call);
    this.log.info(
      `call ${call.id}: INVITE from ${call.from || '?'}${call.displayName ? ` (${call.displayName})` : ''} to conference ${call.conference || '?'} on ${flow.id}`,
    );

    if (!call.conference) {
      this.rejectInvite(call, 404, 'bad-request', 'No Conference In Request-URI');
      return;
    }
    const offer = request.content ?? '';
    if (contentType(request) !== 'application/sdp' || !offer.trim()) {
      this.rejectInvite(call, 488, 'bad-request', 'SDP Offer Required');
      return;
    }
    call.offeredMedia = parseOfferedMedia(offer);
    call.lastRemoteSdp = { type: 'offer', sdp: offer };
    if (!call.offeredMedia.some((m) => (m.kind === 'audio' || m.kind === 'video') && m.port !== 0)) {
      this.rejectInvite(call, 488, 'bad-request', 'No Audio Or Video In Offer');
      return;
    }

    if (this.faults.rejectNext.count > 0) {
      this.faults.rejectNext.count--;
      this.rejectInvite(call, this.faults.rejectNext.status, 'rejected');
      return;
    }
    if (this.waitingRoom && (call.inviteHeaders['x-vinteo-purgatory-call'] ?? '').trim().toLowerCase() === 'yes') {
      call.state = 'waiting';
      this.sendInviteResponse(call, call.invite, 180, {}, '');
      this.log.info(`call ${call.id}: held in the waiting room`);
      return;
    }
    if (this.faults.answerDelayMs > 0) {
      await this.sleep(call, this.faults.answerDelayMs);
      if (call.state !== 'ringing') return;
    }
    await this.answerIncoming(call, offer);
  }

  /** Answers a ringing incoming call with the echo peer's answer (200 OK), then waits for the ACK. */
  private async answerIncoming(call: Call, offer: string): Promise<void> {
    const peer = this.attachPeer(call);
    call.negotiating = true;
    let answer: string;
    try {
      answer = await withTimeout(peer.answer(offer), NEGOTIATION_TIMEOUT_MS, 'SDP negotiation timed out');
    } catch (error) {
      this.log.warn(`call ${call.id}: cannot answer the offer: ${errorMessage(error)}`);
      if (call.state === 'ringing') this.rejectInvite(call, 488, 'bad-request');
      else this.closePeer(peer);
      return;
    } finally {
      call.negotiating = false;
    }
    if (call.state !== 'ringing') {
      this.closePeer(peer);
      return;
    }
    this.sendInviteResponse(call, call.invite, 200, { 'content-type': 'application/sdp' }, answer);
    call.lastLocalSdp = { type: 'answer', sdp: answer };
    call.state = 'answered';
    call.finalStatus = 200;
    call.answeredAt = Date.now();
    this.log.info(`call ${call.id}: answered`);
    this.timer(call, this.ackTimeoutMs, () => {
      if (call.state !== 'answered') return;
      this.log.warn(`call ${call.id}: no ACK for the 200 OK`);
      void this.endCall(call, 'ack-timeout', { sendBye: true });
    });
  }

  /**
   * Gives a new call (incoming or server-initiated) its echo peer: DTMF and
   * presentation RTP are noted on the call, a media failure ends it with a BYE.
   */
  private attachPeer(call: Call): EchoPeer {
    const peer = new EchoPeer({
      log: this.log.child(`call ${call.id}`),
      host: this.mediaHost,
      onDtmf: (digit) => this.addDtmf(call, digit, 'rtp'),
      onPresentationRtp: (mid) => this.onPresentationRtp(call, mid),
      onFailed: (reason) => {
        if (call.state === 'ended') return;
        this.log.warn(`call ${call.id}: media failed (${reason})`);
        void this.endCall(call, 'media-failed', { sendBye: true });
      },
    });
    call.peer = peer;
    return peer;
  }

  /** Answers a client's pending INVITE with a final error and ends the call. */
  private rejectInvite(call: Call, status: number, reason: EndReason, phrase?: string): void {
    if (call.direction !== 'incoming' || (call.state !== 'ringing' && call.state !== 'waiting')) return;
    this.sendInviteResponse(call, call.invite, status, {}, '', phrase);
    call.finalStatus = status;
    this.log.info(`call ${call.id}: INVITE answered ${status}`);
    void this.endCall(call, reason);
  }

  private sendInviteResponse(call: Call, invite: SipRequest, status: number, headers: Record<string, unknown>, body: string, phrase?: string): void {
    const response = makeResponse(invite, status, {
      reason: phrase ?? reasonPhrase(status),
      headers: {
        ...(status > 100 && status < 300 ? { contact: [this.ourContact(call)] } : {}),
        allow: ALLOW_HEADER,
        supported: SUPPORTED_HEADER,
        ...headers,
      },
      content: body,
    });
    response.headers.to = withTag(invite.headers.to!, call.dialog.localTag);
    // RFC 3261 §12.1.1: a proxy's Record-Route goes back in every dialog-creating response,
    // so the caller learns the route set (none on a direct WebSocket).
    const recordRoute = invite.headers['record-route'];
    if (status > 100 && status < 300 && recordRoute?.length) response.headers['record-route'] = recordRoute;
    call.flow.listener.send(call.flow, response);
  }

  private ourContact(call: Call): SipNameAddr {
    const user = encodeURIComponent(call.conference || 'conference');
    const { listener } = call.flow;
    return { uri: `sip:${user}@${hostPort(listener.host, listener.port)};transport=${listener.viaTransport.toLowerCase()}`, params: {} };
  }

  // ------------------------------------------------------ in-dialog requests

  private dialogCall(request: SipRequest): Call | undefined {
    const call = this.active.get(String(request.headers['call-id']));
    if (!call) return undefined;
    const toTag = tagOf(request.headers.to);
    const fromTag = tagOf(request.headers.from);
    if (fromTag !== call.dialog.remoteTag) return undefined;
    if (toTag && toTag !== call.dialog.localTag) return undefined;
    return call;
  }

  private checkRemoteSeq(call: Call, request: SipRequest): void {
    const seq = request.headers.cseq!.seq;
    if (seq > call.dialog.remoteSeq) call.dialog.remoteSeq = seq;
  }

  private handleAck(request: SipRequest): void {
    const call = this.dialogCall(request);
    if (!call) return;
    if (call.direction === 'incoming' && call.state === 'answered' && request.headers.cseq!.seq === call.invite.headers.cseq!.seq) {
      call.state = 'confirmed';
      call.confirmedAt = Date.now();
      this.log.info(`call ${call.id}: confirmed`);
      void this.sendWelcomeInfos(call);
    }
  }

  private handleBye(request: SipRequest, flow: Flow): void {
    const call = this.dialogCall(request);
    if (!call || !tagOf(request.headers.to)) {
      this.reply(flow, request, 481);
      return;
    }
    this.checkRemoteSeq(call, request);
    this.reply(flow, request, 200);
    if (call.direction === 'incoming' && isEarly(call)) this.rejectInvite(call, 487, 'bye');
    else void this.endCall(call, 'bye');
  }

  private handleCancel(request: SipRequest, flow: Flow): void {
    const call = this.active.get(String(request.headers['call-id']));
    if (!call || call.direction !== 'incoming' || call.inviteBranch !== topViaBranch(request)) {
      this.reply(flow, request, 481);
      return;
    }
    this.reply(flow, request, 200);
    call.cancelledAt ??= Date.now();
    // Once answered (the 200 OK crossed the CANCEL) the CANCEL has no effect: the client ACKs and BYEs.
    if (call.state !== 'ringing' && call.state !== 'waiting') return;
    if (this.faults.ignoreCancel) {
      this.log.info(`call ${call.id}: CANCEL ignored (fault injection); the INVITE will still be answered`);
      return;
    }
    // A final 487 at once: nothing answers the INVITE 200 after this (answerIncoming checks the state).
    this.rejectInvite(call, 487, 'cancel');
  }

  private handleInfo(request: SipRequest, flow: Flow): void {
    const call = this.dialogCall(request);
    if (!call || !tagOf(request.headers.to) || call.state === 'ended') {
      this.reply(flow, request, 481);
      return;
    }
    this.checkRemoteSeq(call, request);
    const type = headerValue(request, 'content-type')?.trim() ?? '';
    const body = request.content ?? '';
    const record: InfoRecord = {
      contentType: type,
      headers: headersWithPrefix(request, 'x-'),
      body,
      receivedAt: new Date().toISOString(),
      status: 200,
    };
    this.pushCapped(call.infoReceived, record);
    this.log.info(`call ${call.id}: INFO ${type || '(no content type)'} received`);
    const media = contentType(request);
    if (media === 'application/dtmf-relay') {
      const signal = /^\s*signal\s*=\s*(\S+)/im.exec(body)?.[1];
      if (signal) this.addDtmf(call, signal === '10' ? '*' : signal === '11' ? '#' : signal, 'info');
    } else if (media === 'application/dtmf') {
      const digit = body.trim();
      if (digit) this.addDtmf(call, digit, 'info');
    } else if (media === SHAREDESKTOP) {
      record.status = this.onShareDesktop(call, (record.headers['x-webrtc-share-state'] ?? '').trim().toUpperCase());
    }
    this.reply(flow, request, record.status);
  }

  /** A sharedesktop INFO from the client: presentation requests are answered by the policy. Returns our status. */
  private onShareDesktop(call: Call, state: string): number {
    const p = call.presentation;
    if (state === 'LETMESTARTPRESENTATION') {
      const status = this.decidePresentation(call);
      this.log.info(`call ${call.id}: presentation request ${status === 200 ? 'accepted' : `declined (${status})`}`);
      if (status === 200 && p.state !== 'active') {
        p.state = 'requested';
        p.requestedAt = Date.now();
      }
      return status;
    }
    if (state === 'STOPPRESENTATION') {
      p.state = 'stopped';
      p.stoppedAt = Date.now();
      this.log.info(`call ${call.id}: presentation stopped by the client`);
    }
    return 200;
  }

  /** The status answering a LETMESTARTPRESENTATION: pending `failNext` declines first, then `accept`. */
  private decidePresentation(call: Call): number {
    const policy = call.presentationPolicy ?? this.presentationPolicy;
    if (policy.failNext > 0) {
      policy.failNext--;
      return policy.status;
    }
    return policy.accept ? 200 : policy.status;
  }

  /** RTP on a presentation m-line: a requested (or unannounced) presentation becomes active. */
  private onPresentationRtp(call: Call, mid: string): void {
    const p = call.presentation;
    if (p.state === 'active' || p.state === 'stopped' || call.state === 'ended') return;
    p.state = 'active';
    p.startedAt = Date.now();
    p.mid = mid;
    this.log.info(`call ${call.id}: presentation active on mid ${mid}`);
  }

  /** A client re-offer that no longer sends on the presentation m-line ends an active presentation. */
  private checkPresentationAfterOffer(call: Call): void {
    const p = call.presentation;
    if (p.state !== 'active') return;
    const m = call.offeredMedia.find((x) => x.mid === p.mid);
    if (m && (m.direction === 'sendonly' || m.direction === 'sendrecv')) return;
    p.state = 'stopped';
    p.stoppedAt = Date.now();
    this.log.info(`call ${call.id}: presentation stopped (the re-offer no longer sends mid ${p.mid})`);
  }

  private async handleUpdate(request: SipRequest, flow: Flow): Promise<void> {
    const call = this.dialogCall(request);
    if (!call || !tagOf(request.headers.to) || call.state === 'ended') {
      this.reply(flow, request, 481);
      return;
    }
    this.checkRemoteSeq(call, request);
    this.refreshTarget(call, request);
    const offer = contentType(request) === 'application/sdp' ? (request.content ?? '') : '';
    if (!offer.trim()) {
      this.reply(flow, request, 200, { headers: { contact: [this.ourContact(call)] } });
      return;
    }
    if (call.negotiating || !call.peer) {
      this.reply(flow, request, call.negotiating ? 491 : 500);
      return;
    }
    const answer = await this.renegotiate(call, offer);
    if (answer === undefined) this.reply(flow, request, 488);
    else this.reply(flow, request, 200, { headers: { contact: [this.ourContact(call)], 'content-type': 'application/sdp' }, content: answer });
  }

  private handleReinvite(request: SipRequest, flow: Flow): void {
    const call = this.dialogCall(request);
    if (!call || call.state === 'ended') {
      this.reply(flow, request, 481);
      return;
    }
    if (isEarly(call)) {
      this.reply(flow, request, 491);
      return;
    }
    this.checkRemoteSeq(call, request);
    if (call.negotiating) {
      this.reply(flow, request, 491);
      return;
    }
    const offer = contentType(request) === 'application/sdp' ? (request.content ?? '') : '';
    if (!offer.trim() || !call.peer) {
      this.reply(flow, request, 488, { reason: 'SDP Offer Required' });
      return;
    }
    this.refreshTarget(call, request);
    this.reply(flow, request, 100);
    call.reinvites++;
    void this.renegotiate(call, offer).then((answer) => {
      if (call.state === 'ended') return;
      if (answer === undefined) {
        this.sendInviteResponse(call, request, 488, {}, '');
        return;
      }
      this.sendInviteResponse(call, request, 200, { 'content-type': 'application/sdp' }, answer);
    });
  }

  private async renegotiate(call: Call, offer: string): Promise<string | undefined> {
    call.negotiating = true;
    try {
      const answer = await withTimeout(call.peer!.answer(offer), NEGOTIATION_TIMEOUT_MS, 'SDP negotiation timed out');
      call.offeredMedia = parseOfferedMedia(offer);
      call.lastRemoteSdp = { type: 'offer', sdp: offer };
      call.lastLocalSdp = { type: 'answer', sdp: answer };
      this.checkPresentationAfterOffer(call);
      this.log.info(`call ${call.id}: renegotiated (${call.offeredMedia.map((m) => `${m.kind}:${m.mid}:${m.direction}`).join(', ')})`);
      return answer;
    } catch (error) {
      this.log.warn(`call ${call.id}: renegotiation failed: ${errorMessage(error)}`);
      return undefined;
    } finally {
      call.negotiating = false;
    }
  }

  private refreshTarget(call: Call, request: SipRequest | SipResponse): void {
    const contact = Array.isArray(request.headers.contact) ? request.headers.contact[0] : undefined;
    const target = contact ? uriString(contact.uri) : '';
    if (target) call.dialog.remoteTarget = target;
  }

  // ------------------------------------------------ server-initiated requests

  /** roomname + uselic INFOs (after the ACK of a conference call; optional for outgoing calls). */
  private async sendWelcomeInfos(call: Call): Promise<void> {
    const name = sanitizeHeaderValue(call.displayName || call.from);
    try {
      await this.sendInDialogInfo(call, 'application/vinteo.webrtc.roomname', {
        'X-WEBRTC-ENTER-ROOM': sanitizeHeaderValue(call.conference),
        'X-WEBRTC-PARTICIPANT-NAME': name,
      }, '');
      if (call.state !== 'confirmed') return;
      await this.sendInDialogInfo(call, 'application/vinteo.webrtc.uselic', {
        'X-WEBRTC-USE-LICENSE': hasVideo(call.offeredMedia) ? 'VIDEO' : 'AUDIO',
      }, '');
    } catch (error) {
      this.log.debug(`call ${call.id}: welcome INFO failed: ${errorMessage(error)}`);
    }
  }

  private async sendInDialogInfo(call: Call, type: string, headers: Record<string, string>, body: string): Promise<SentInfoRecord> {
    const record: SentInfoRecord = { contentType: type, headers: { ...headers }, body, sentAt: new Date().toISOString(), status: null };
    this.pushCapped(call.infoSent, record);
    const request = this.buildRequest(call, 'INFO', { 'content-type': type, ...headers }, body);
    try {
      const response = await call.flow.listener.request(call.flow, request, this.infoTimeoutMs);
      record.status = response.status;
      this.log.info(`call ${call.id}: INFO ${type} answered ${response.status}`);
      return record;
    } catch (error) {
      record.error = errorMessage(error);
      throw error;
    }
  }

  /** A request in the call's dialog (new branch; next local CSeq unless `seq` is given, as for an ACK). */
  private buildRequest(call: Call, method: string, headers: Record<string, unknown>, body: string, seq?: number): SipRequest {
    const d = call.dialog;
    if (seq === undefined) seq = ++d.localSeq;
    const { listener } = call.flow;
    const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
    return {
      method,
      uri: d.remoteTarget,
      version: '2.0',
      headers: {
        via: [{ version: '2.0', protocol: listener.viaTransport, host, port: listener.port, params: { branch: newBranch(), rport: null } }],
        'max-forwards': '70',
        to: d.remote,
        from: d.local,
        'call-id': d.callId,
        cseq: { seq, method },
        ...(d.routeSet.length ? { route: d.routeSet } : {}),
        'user-agent': SERVER_NAME,
        ...headers,
      },
      content: body,
    };
  }

  // ------------------------------------------------- server-initiated calls

  private async runOutgoing(call: Call): Promise<void> {
    const out = call.outgoing!;
    const peer = this.attachPeer(call);
    call.negotiating = true;
    let offer: string;
    try {
      offer = await withTimeout(peer.offer(), NEGOTIATION_TIMEOUT_MS, 'creating the offer timed out');
    } catch (error) {
      this.log.warn(`call ${call.id}: cannot create an offer: ${errorMessage(error)}`);
      void this.endCall(call, 'media-failed');
      return;
    } finally {
      call.negotiating = false;
    }
    if (call.state !== 'calling') return; // hung up while the offer was prepared (endCall closed the peer)
    call.invite.content = offer;
    call.lastLocalSdp = { type: 'offer', sdp: offer };
    out.inviteSent = true;
    this.timer(call, this.ringTimeoutMs, () => {
      if (!isEarly(call)) return;
      this.log.info(`call ${call.id}: not answered in ${this.ringTimeoutMs} ms, cancelling`);
      void this.cancelOutgoing(call, 'no-answer');
    });
    let response: SipResponse;
    try {
      response = await call.flow.listener.request(call.flow, call.invite, this.ringTimeoutMs + 2 * CANCEL_GRACE_MS, (r) =>
        this.onOutgoingProvisional(call, r),
      );
    } catch (error) {
      if (!isEnded(call)) {
        this.log.warn(`call ${call.id}: INVITE failed: ${errorMessage(error)}`);
        void this.endCall(call, out.cancelReason ?? 'no-answer');
      }
      return;
    }
    await this.onOutgoingFinal(call, response);
  }

  private onOutgoingProvisional(call: Call, response: SipResponse): void {
    const out = call.outgoing!;
    out.provisional = true;
    if (response.status > 100) {
      // An early dialog: the client may already send BYE in it.
      const tag = tagOf(response.headers.to);
      if (tag && !call.dialog.remoteTag) call.dialog.remoteTag = tag;
      if (call.state === 'calling') {
        call.state = 'ringing';
        this.log.info(`call ${call.id}: ringing (${response.status})`);
      }
    }
    if (out.cancelReason && !out.cancelSent && call.flow.isOpen) void this.sendCancel(call);
  }

  private async onOutgoingFinal(call: Call, response: SipResponse): Promise<void> {
    const out = call.outgoing!;
    const status = response.status;
    this.log.info(`call ${call.id}: INVITE answered ${status}`);
    if (status >= 300) {
      this.sendNon2xxAck(call, response);
      if (call.state === 'ended') return;
      call.finalStatus = status;
      void this.endCall(call, out.cancelReason ?? 'rejected');
      return;
    }
    // 2xx: the dialog is established; ACK at once (a new transaction, same CSeq number).
    const d = call.dialog;
    d.remoteTag = tagOf(response.headers.to);
    d.remote = withTag(response.headers.to!, d.remoteTag);
    const contact = Array.isArray(response.headers.contact) ? response.headers.contact[0] : undefined;
    if (contact && uriString(contact.uri)) d.remoteTarget = uriString(contact.uri);
    d.routeSet = (response.headers['record-route'] ?? []).map((r) => ({ ...r })).reverse();
    const ack = this.buildRequest(call, 'ACK', {}, '', call.invite.headers.cseq!.seq);
    call.acks.set(ack.headers.cseq!.seq, ack);
    call.flow.listener.send(call.flow, ack);
    if (call.state === 'ended') {
      // Given up meanwhile (e.g. the CANCEL crossed the 200 OK): end the new dialog at once.
      if (call.flow.isOpen) void call.flow.listener.request(call.flow, this.buildRequest(call, 'BYE', {}, ''), 4000).catch(() => {});
      return;
    }
    call.finalStatus = status;
    call.answeredAt = Date.now();
    call.inviteHeaders = headersWithPrefix(response, 'x-vinteo-');
    call.displayName = decodeDisplayName(response.headers.to?.name);
    const userAgent = headerValue(response, 'user-agent') ?? headerValue(response, 'server');
    if (userAgent) call.userAgent = userAgent;
    call.state = 'answered';
    if (out.cancelReason) {
      void this.endCall(call, out.cancelReason, { sendBye: true });
      return;
    }
    const answer = contentType(response) === 'application/sdp' ? (response.content ?? '') : '';
    if (!answer.trim()) {
      this.log.warn(`call ${call.id}: 200 OK without an SDP answer`);
      void this.endCall(call, 'bad-request', { sendBye: true });
      return;
    }
    call.lastRemoteSdp = { type: 'answer', sdp: answer };
    call.offeredMedia = parseOfferedMedia(answer);
    call.state = 'confirmed';
    call.confirmedAt = Date.now();
    this.log.info(`call ${call.id}: confirmed (${call.offeredMedia.map((m) => `${m.kind}:${m.mid}:${m.direction}`).join(', ')})`);
    call.negotiating = true;
    try {
      await withTimeout(call.peer!.acceptAnswer(answer), NEGOTIATION_TIMEOUT_MS, 'applying the answer timed out');
    } catch (error) {
      this.log.warn(`call ${call.id}: cannot apply the answer: ${errorMessage(error)}`);
      void this.endCall(call, 'media-failed', { sendBye: true });
      return;
    } finally {
      call.negotiating = false;
    }
    if (out.welcome && call.state === 'confirmed') void this.sendWelcomeInfos(call);
  }

  /** ACK of a non-2xx final response: part of the INVITE transaction (same branch, the response's To). */
  private sendNon2xxAck(call: Call, response: SipResponse, invite: SipRequest = call.invite): void {
    call.flow.listener.send(call.flow, this.inviteTransactionRequest(call, invite, 'ACK', response.headers.to!));
  }

  /**
   * A request of our INVITE's own transaction (a non-2xx ACK, a CANCEL): the
   * INVITE's Request-URI, top Via (same branch), From, Call-ID, CSeq number
   * and Route. The To differs: the ACK takes the response's, the CANCEL the INVITE's.
   */
  private inviteTransactionRequest(call: Call, invite: SipRequest, method: 'ACK' | 'CANCEL', to: SipNameAddr): SipRequest {
    return {
      method,
      uri: invite.uri,
      version: '2.0',
      headers: {
        via: [invite.headers.via![0]!],
        'max-forwards': '70',
        to,
        from: invite.headers.from!,
        'call-id': call.dialog.callId,
        cseq: { seq: invite.headers.cseq!.seq, method },
        ...(invite.headers.route ? { route: invite.headers.route } : {}),
        'user-agent': SERVER_NAME,
      },
      content: '',
    };
  }

  /**
   * Gives up an outgoing call before its final response: CANCEL (once a
   * provisional response allows it), then waits for the INVITE's final
   * response (normally 487), or ends the call anyway after a grace period.
   */
  private async cancelOutgoing(call: Call, reason: EndReason): Promise<{ status: number | null }> {
    const out = call.outgoing!;
    out.cancelReason ??= reason;
    if (!out.inviteSent) {
      void this.endCall(call, reason);
      return { status: null };
    }
    let status: number | null = null;
    if (out.provisional && !out.cancelSent) status = await this.sendCancel(call);
    if (call.state !== 'ended') await this.sleep(call, CANCEL_GRACE_MS);
    if (call.state !== 'ended') {
      this.log.info(`call ${call.id}: no final response after CANCEL; ending it`);
      void this.endCall(call, out.cancelReason);
    }
    return { status };
  }

  private async sendCancel(call: Call): Promise<number | null> {
    const out = call.outgoing!;
    out.cancelSent = true;
    const cancel = this.inviteTransactionRequest(call, call.invite, 'CANCEL', call.invite.headers.to!);
    this.log.info(`call ${call.id}: CANCEL sent`);
    try {
      const response = await call.flow.listener.request(call.flow, cancel, CANCEL_GRACE_MS);
      return response.status;
    } catch (error) {
      this.log.debug(`call ${call.id}: CANCEL unanswered: ${errorMessage(error)}`);
      return null;
    }
  }

  // ----------------------------------------------------------------- ending

  private endCall(call: Call, reason: EndReason, options: { sendBye?: boolean; waitMs?: number } = {}): Promise<{ status: number | null }> {
    if (call.state === 'ended') return Promise.resolve({ status: null });
    const wasEstablished = call.state === 'answered' || call.state === 'confirmed';
    call.state = 'ended';
    call.endReason = reason;
    call.endedAt = Date.now();
    for (const t of call.timers) clearTimeout(t);
    call.timers.clear();
    for (const fn of [...call.onEnd]) fn();
    call.onEnd.clear();
    this.active.delete(call.dialog.callId);
    this.log.info(`call ${call.id}: ended (${reason})`);
    if (call.peer) this.closePeer(call.peer);
    if (options.sendBye && wasEstablished && call.flow.isOpen) {
      const bye = this.buildRequest(call, 'BYE', {}, '');
      const answered = call.flow.listener
        .request(call.flow, bye, options.waitMs === 0 ? 1000 : (options.waitMs ?? 5000))
        .then((response) => ({ status: response.status as number | null }))
        .catch(() => ({ status: null }));
      return options.waitMs === 0 ? Promise.resolve({ status: null }) : answered;
    }
    return Promise.resolve({ status: null });
  }

  // ---------------------------------------------------------------- helpers

  private reply(flow: Flow, request: SipRequest, status: number, extra?: { headers?: Record<string, unknown>; content?: string; reason?: string }): void {
    if (request.method === 'ACK') return;
    const response: SipResponse = makeResponse(request, status, {
      ...extra,
      headers: { ...(status === 405 || status === 200 ? { allow: ALLOW_HEADER } : {}), supported: SUPPORTED_HEADER, ...extra?.headers },
    });
    if (status > 100 && !tagOf(response.headers.to) && response.headers.to) {
      const call = this.active.get(String(request.headers['call-id']));
      response.headers.to = withTag(response.headers.to, call?.dialog.localTag ?? newTag());
    }
    flow.listener.send(flow, response);
  }

  private track(call: Call): void {
    this.history.push(call);
    this.byId.set(call.id, call);
    this.active.set(call.dialog.callId, call);
    let excess = this.history.length - this.maxHistory;
    for (let i = 0; excess > 0 && i < this.history.length; ) {
      const old = this.history[i]!;
      if (old.state === 'ended') {
        this.history.splice(i, 1);
        this.byId.delete(old.id);
        excess--;
      } else {
        i++;
      }
    }
  }

  private timer(call: Call, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      call.timers.delete(t);
      fn();
    }, ms);
    call.timers.add(t);
  }

  /** Resolves after `ms`, or as soon as the call ends. */
  private sleep(call: Call, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(t);
        call.timers.delete(t);
        call.onEnd.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      call.timers.add(t);
      call.onEnd.add(wake);
    });
  }

  private addDtmf(call: Call, digits: string, via: 'info' | 'rtp'): void {
    const clean = digits.replace(/[^0-9A-D*#]/gi, '').toUpperCase();
    if (!clean) return;
    call.dtmfReceived += clean;
    this.log.info(`call ${call.id}: DTMF ${clean} (${via})`);
  }

  private pushCapped<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > MAX_RECORDS_PER_CALL) list.splice(0, list.length - MAX_RECORDS_PER_CALL);
  }

  private toInfo(call: Call): CallInfo {
    return {
      id: call.id,
      callId: call.dialog.callId,
      flowId: call.flow.id,
      direction: call.direction,
      from: call.from,
      fromUri: call.fromUri,
      displayName: call.displayName,
      conference: call.conference,
      ...(call.localDisplayName ? { localDisplayName: call.localDisplayName } : {}),
      state: call.state,
      ...(call.endReason ? { endReason: call.endReason } : {}),
      ...(call.finalStatus !== undefined ? { finalStatus: call.finalStatus } : {}),
      startedAt: iso(call.startedAt)!,
      ...(call.answeredAt ? { answeredAt: iso(call.answeredAt) } : {}),
      ...(call.confirmedAt ? { confirmedAt: iso(call.confirmedAt) } : {}),
      ...(call.cancelledAt ? { cancelledAt: iso(call.cancelledAt) } : {}),
      ...(call.endedAt ? { endedAt: iso(call.endedAt) } : {}),
      ...(call.userAgent ? { userAgent: call.userAgent } : {}),
      inviteHeaders: { ...call.inviteHeaders },
      media: call.offeredMedia.map((m, i) => {
        const counters = call.peer?.counters(m.mid) ?? { packetsReceived: 0, bytesReceived: 0, packetsEchoed: 0, audiblePacketsReceived: 0 };
        return {
          role: this.roleOf(call, m, i),
          kind: m.kind,
          mid: m.mid,
          direction: m.direction,
          port: m.port,
          codecs: m.codecs,
          packetsReceived: counters.packetsReceived,
          bytesReceived: counters.bytesReceived,
          packetsEchoed: counters.packetsEchoed,
          ...(m.kind === 'audio' ? { audiblePacketsReceived: counters.audiblePacketsReceived } : {}),
        };
      }),
      ...(call.peer ? { mediaConnectionState: call.peer.connectionState } : {}),
      reinvites: call.reinvites,
      serverReinvites: call.serverReinvites,
      infoReceived: call.infoReceived.map((r) => ({ ...r, headers: { ...r.headers } })),
      infoSent: call.infoSent.map((r) => ({ ...r, headers: { ...r.headers } })),
      dtmfReceived: call.dtmfReceived,
      presentation: {
        state: call.presentation.state,
        ...(call.presentation.requestedAt ? { requestedAt: iso(call.presentation.requestedAt) } : {}),
        ...(call.presentation.startedAt ? { startedAt: iso(call.presentation.startedAt) } : {}),
        ...(call.presentation.stoppedAt ? { stoppedAt: iso(call.presentation.stoppedAt) } : {}),
        ...(call.presentation.mid !== undefined ? { mid: call.presentation.mid } : {}),
      },
      presentationPolicy: { ...(call.presentationPolicy ?? this.presentationPolicy), scope: call.presentationPolicy ? 'call' : 'global' },
      content: this.contentInfo(call),
    };
  }

  /**
   * Role of an m-line of the client's last SDP: the peer's view when it has
   * one (our content m-line the client sends on counts as its presentation),
   * else by position (audio and the first video main, later video presentation).
   */
  private roleOf(call: Call, m: OfferedMedia, index: number): MediaRole {
    const known = call.peer?.roleOf(m.mid);
    if (known === 'content') return m.direction === 'sendonly' || m.direction === 'sendrecv' ? 'presentation' : 'content';
    if (known) return known;
    if (m.kind !== 'video') return 'main';
    return call.offeredMedia.findIndex((x) => x.kind === 'video') === index ? 'main' : 'presentation';
  }

  private contentInfo(call: Call): ContentInfo {
    const status = call.peer?.contentStatus();
    const c = call.content;
    return {
      state: c.state,
      ...(status?.codec ? { codec: status.codec } : {}),
      ...(status?.mid ? { mid: status.mid } : {}),
      ...(status?.mid ? { packetsSent: status.packetsSent, packetsDropped: status.packetsDropped } : {}),
      ...(c.startedAt ? { startedAt: iso(c.startedAt) } : {}),
      ...(c.stoppedAt ? { stoppedAt: iso(c.stoppedAt) } : {}),
    };
  }
}
