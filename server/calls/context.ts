/**
 * What every concern of calls/ shares: the settings, the fault knobs and
 * the default presentation policy; the calls themselves (history, by id, the
 * live ones by Call-ID); and the lifecycle steps all of them take: give a
 * call its echo peer, run timers and delays bound to it, reply to its
 * requests, send it INFOs, and end it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { EchoPeer } from '../media/echo-peer.js';
import type { Flow } from '../sip/listener.js';
import { ALLOW_HEADER, SUPPORTED_HEADER, makeResponse, newTag, tagOf, withTag, type SipRequest, type SipResponse } from '../sip/message.js';
import { pushCapped, type Call } from './call.js';
import { buildRequest } from './dialog.js';
import { notePresentationRtp } from './presentation.js';
import { sendWelcomeInfos, type TokenMode } from './rooms.js';
import { CallError, type CallFaults, type CallManagerOptions, type EndReason, type PresentationPolicy, type SentInfoRecord } from './types.js';

export class CallContext {
  readonly faults: CallFaults = {
    answerDelayMs: 0,
    rejectNext: { count: 0, status: 486 },
    ignoreCancel: false,
    roomnameStatus: null,
    videoStartsStalled: false,
  };
  /** Put guests (X-Vinteo-Purgatory-Call: yes) in the `purgatory` room (state `waiting`) until admitted. */
  waitingRoom: boolean;
  /** How the in-room token is issued (rooms.ts). */
  tokenMode: TokenMode = 'enter-room';
  /** Answers presentation requests of calls without a policy of their own (a shared failNext counter). */
  readonly presentationPolicy: PresentationPolicy = { accept: true, status: 403, failNext: 0, stopStatus: 200 };
  readonly log: Logger;
  readonly mediaHost: string;
  readonly sipDomain: string;
  readonly ringTimeoutMs: number;
  readonly infoTimeoutMs: number;
  readonly ackTimeoutMs: number;
  /** Set once the manager shuts down: no new calls. */
  closed = false;
  private readonly maxHistory: number;
  /** Every call, oldest first (ended ones are trimmed to maxHistory). */
  readonly history: Call[] = [];
  private readonly byId = new Map<string, Call>();
  /** Calls not ended yet, by SIP Call-ID. */
  readonly active = new Map<string, Call>();
  private seq = 0;
  /** Peer connections still shutting down (awaited by close()). */
  private readonly closingPeers = new Set<Promise<void>>();
  /** Told when content starts or stops playing in a call, or a call playing it ends (the spectators' legs follow it). */
  readonly contentListeners = new Set<(call: Call) => void>();

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

  // ------------------------------------------------------------ the calls

  /** A new call's id: a sequence number and a random suffix. */
  newId(): string {
    return `${++this.seq}-${randomBytes(3).toString('hex')}`;
  }

  find(id: string): Call | undefined {
    return this.byId.get(id);
  }

  /** The call with this id, or a 404 CallError. */
  require(id: string): Call {
    const call = this.byId.get(id);
    if (!call) throw new CallError(`unknown call ${id}`, 404);
    return call;
  }

  /** The live call a request's dialog (Call-ID, From tag and To tag if any) belongs to. */
  dialogCall(request: SipRequest): Call | undefined {
    const call = this.active.get(String(request.headers['call-id']));
    if (!call) return undefined;
    const toTag = tagOf(request.headers.to);
    const fromTag = tagOf(request.headers.from);
    if (fromTag !== call.dialog.remoteTag) return undefined;
    if (toTag && toTag !== call.dialog.localTag) return undefined;
    return call;
  }

  track(call: Call): void {
    if (this.faults.videoStartsStalled) call.video = { mode: 'stall', until: 'reinvite' };
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

  // ------------------------------------------------------------ lifecycle

  /**
   * Gives a new call (incoming or server-initiated) its echo peer: DTMF and
   * presentation RTP are noted on the call, a media failure ends it with a BYE.
   */
  attachPeer(call: Call): EchoPeer {
    const peer = new EchoPeer({
      log: this.log.child(`call ${call.id}`),
      host: this.mediaHost,
      onDtmf: (digit) => this.addDtmf(call, digit, 'rtp'),
      onPresentationRtp: (mid) => notePresentationRtp(call, mid, this.log),
      onFailed: (reason) => {
        if (call.state === 'ended') return;
        this.log.warn(`call ${call.id}: media failed (${reason})`);
        void this.endCall(call, 'media-failed', { sendBye: true });
      },
    });
    peer.videoMode = call.video.mode;
    call.peer = peer;
    return peer;
  }

  /** Sets what the call's main video m-line echoes (video-fault.ts), now and for a peer made later. */
  setVideoMode(call: Call, mode: Call['video']['mode'], until: Call['video']['until']): void {
    call.video = { mode, until };
    if (call.peer) call.peer.videoMode = mode;
    this.log.info(`call ${call.id}: main video ${mode}${mode === 'flow' ? '' : ` until ${until === 'reinvite' ? 'the next re-INVITE' : 'a new command'}`}`);
  }

  closePeer(peer: EchoPeer): void {
    const closing = peer.close().finally(() => this.closingPeers.delete(closing));
    this.closingPeers.add(closing);
  }

  /** Resolves once every peer connection has shut down. */
  async peersClosed(): Promise<void> {
    while (this.closingPeers.size) await Promise.allSettled([...this.closingPeers]);
  }

  endCall(call: Call, reason: EndReason, options: { sendBye?: boolean; waitMs?: number } = {}): Promise<{ status: number | null }> {
    if (call.state === 'ended') return Promise.resolve({ status: null });
    const wasEstablished = call.state === 'answered' || call.state === 'confirmed' || call.state === 'waiting';
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
      const bye = buildRequest(call, 'BYE', {}, '');
      const answered = call.flow.listener
        .request(call.flow, bye, options.waitMs === 0 ? 1000 : (options.waitMs ?? 5000))
        .then((response) => ({ status: response.status as number | null }))
        .catch(() => ({ status: null }));
      return options.waitMs === 0 ? Promise.resolve({ status: null }) : answered;
    }
    return Promise.resolve({ status: null });
  }

  /** Runs `fn` after `ms` unless the call ends first. */
  timer(call: Call, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      call.timers.delete(t);
      fn();
    }, ms);
    call.timers.add(t);
  }

  /** Resolves after `ms`, or as soon as the call ends. */
  sleep(call: Call, ms: number): Promise<void> {
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

  /** Content started or stopped in `call` (or the call playing it ended): tells the content listeners. */
  contentChanged(call: Call): void {
    for (const listener of [...this.contentListeners]) {
      try {
        listener(call);
      } catch (error) {
        this.log.warn(`call ${call.id}: content listener failed: ${errorMessage(error)}`);
      }
    }
  }

  addDtmf(call: Call, digits: string, via: 'info' | 'rtp'): void {
    const clean = digits.replace(/[^0-9A-D*#]/gi, '').toUpperCase();
    if (!clean) return;
    call.dtmfReceived += clean;
    this.log.info(`call ${call.id}: DTMF ${clean} (${via})`);
  }

  // ------------------------------------------------------------ messages

  /** Answers a request (nothing to an ACK); a missing To tag is the call's (or a new one). */
  reply(flow: Flow, request: SipRequest, status: number, extra?: { headers?: Record<string, unknown>; content?: string; reason?: string }): void {
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

  /** Sends an INFO in the call's dialog, records it in `infoSent` and resolves with the record once answered. */
  async sendInDialogInfo(call: Call, type: string, headers: Record<string, string>, body: string): Promise<SentInfoRecord> {
    const record: SentInfoRecord = { contentType: type, headers: { ...headers }, body, sentAt: new Date().toISOString(), status: null };
    pushCapped(call.infoSent, record);
    const request = buildRequest(call, 'INFO', { 'content-type': type, ...headers }, body);
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

  /** The enter-room (and token) + uselic INFOs after the ACK (rooms.ts). */
  sendWelcomeInfos(call: Call): Promise<void> {
    return sendWelcomeInfos(this, call);
  }
}
