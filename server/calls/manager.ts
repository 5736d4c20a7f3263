/**
 * `CallManager`: the one object the SIP router, the control API and
 * `startDevServer` hold. A thin façade: it routes each SIP request to the
 * concern that handles it and each control operation to the call it names;
 * the work is done by the collaborators it builds over one shared
 * `CallContext`:
 * - incoming.ts: conference calls (a client's INVITE, its CANCEL and ACK);
 * - outgoing.ts: calls the server places to registered users;
 * - in-dialog.ts: BYE, INFO, re-INVITE/UPDATE inside a call;
 * - renegotiation.ts: offer/answer both ways in an established call;
 * - presentation.ts + content.ts: the client's presentation and its policy,
 *   content the server plays into a call;
 * - view.ts: what the control API shows of a call.
 */
import type { VideoMode } from '../media/video-fault.js';
import type { Flow } from '../sip/listener.js';
import { tagOf, type SipRequest, type SipResponse } from '../sip/message.js';
import { isEarly, type Call } from './call.js';
import { ContentPlayer } from './content.js';
import { CallContext } from './context.js';
import { InDialogRequests } from './in-dialog.js';
import { IncomingCalls } from './incoming.js';
import { OutgoingCalls } from './outgoing.js';
import { policyOf, setCallPolicy } from './presentation.js';
import { Renegotiation } from './renegotiation.js';
import { admit, PURGATORY, type TokenMode } from './rooms.js';
import { sdpOf, toInfo } from './view.js';
import {
  CallError,
  type CallFaults,
  type CallInfo,
  type CallManagerOptions,
  type ContentResult,
  type EndReason,
  type OutgoingCallRequest,
  type PresentationPolicy,
  type SentInfoRecord,
} from './types.js';

export class CallManager {
  private readonly ctx: CallContext;
  private readonly incoming: IncomingCalls;
  private readonly outgoing: OutgoingCalls;
  private readonly inDialog: InDialogRequests;
  private readonly content: ContentPlayer;

  constructor(options: CallManagerOptions) {
    this.ctx = new CallContext(options);
    const renegotiation = new Renegotiation(this.ctx);
    this.incoming = new IncomingCalls(this.ctx);
    this.outgoing = new OutgoingCalls(this.ctx);
    this.inDialog = new InDialogRequests(this.ctx, this.incoming, renegotiation);
    this.content = new ContentPlayer(this.ctx, renegotiation);
  }

  get faults(): CallFaults {
    return this.ctx.faults;
  }

  /** Put guests (X-Vinteo-Purgatory-Call: yes) in the `purgatory` room (state `waiting`) until admitted. */
  get waitingRoom(): boolean {
    return this.ctx.waitingRoom;
  }

  set waitingRoom(enabled: boolean) {
    this.ctx.waitingRoom = enabled;
  }

  /** How the in-room token is issued on entering a real room: `enter-room` (x-bearer-token), `notify` (TokenIssued INFO) or `off`. */
  get tokenMode(): TokenMode {
    return this.ctx.tokenMode;
  }

  set tokenMode(mode: TokenMode) {
    this.ctx.tokenMode = mode;
  }

  /**
   * The live, admitted call (state `confirmed`) in the room `conference` (lower-cased) that was issued
   * `token`: how an in-room bearer token is checked (e.g. the spectators' receive leg).
   */
  callForToken(conference: string, token: string): Call | undefined {
    if (!token) return undefined;
    const room = conference.toLowerCase();
    return [...this.ctx.active.values()].find((c) => c.state === 'confirmed' && c.room === room && c.room !== PURGATORY && c.bearerToken === token);
  }

  /** The live calls (the spectators' receive legs look for another participant of a room). */
  liveCalls(): Iterable<Call> {
    return this.ctx.active.values();
  }

  /**
   * Calls `listener` when content starts or stops playing in a call, or a call playing it ends (the
   * spectators' receive legs carry the conference's content). Returns the unsubscribe function.
   */
  onContentChange(listener: (call: Call) => void): () => void {
    this.ctx.contentListeners.add(listener);
    return () => this.ctx.contentListeners.delete(listener);
  }

  /** Answers presentation requests of calls without a policy of their own (a shared failNext counter). */
  get presentationPolicy(): PresentationPolicy {
    return this.ctx.presentationPolicy;
  }

  // ---------------------------------------------------------------- queries

  list(): CallInfo[] {
    return this.ctx.history.map((c) => toInfo(c, this.ctx.presentationPolicy));
  }

  get(id: string): CallInfo | undefined {
    const call = this.ctx.find(id);
    return call ? toInfo(call, this.ctx.presentationPolicy) : undefined;
  }

  /** The last SDP received from the client and the last one sent to it, keyed `remoteOffer`/`remoteAnswer` and `localOffer`/`localAnswer`. */
  sdp(id: string): Record<string, string> {
    return sdpOf(this.ctx.require(id));
  }

  /**
   * The newest call not ended whose client is `user` (the caller, a guest's
   * random id included, or the callee of a call we placed): its id, state and flow.
   */
  liveCallOf(user: string): { id: string; state: CallInfo['state']; flow: Flow } | undefined {
    const call = [...this.ctx.active.values()].filter((c) => c.from === user).sort((a, b) => b.startedAt - a.startedAt)[0];
    return call && { id: call.id, state: call.state, flow: call.flow };
  }

  /** True when the request belongs to a call this manager knows (by Call-ID). */
  owns(request: SipRequest): boolean {
    return this.ctx.active.has(String(request.headers['call-id']));
  }

  // ------------------------------------------------------------ SIP routing

  handleRequest(request: SipRequest, flow: Flow): void {
    switch (request.method) {
      case 'INVITE':
        if (tagOf(request.headers.to)) this.inDialog.handleReinvite(request, flow);
        else void this.incoming.handleInvite(request, flow);
        return;
      case 'ACK':
        this.incoming.handleAck(request);
        return;
      case 'BYE':
        this.inDialog.handleBye(request, flow);
        return;
      case 'CANCEL':
        this.incoming.handleCancel(request, flow);
        return;
      case 'INFO':
        this.inDialog.handleInfo(request, flow);
        return;
      case 'UPDATE':
        void this.inDialog.handleUpdate(request, flow);
        return;
      case 'OPTIONS':
        this.ctx.reply(flow, request, 200, { headers: { accept: 'application/sdp' } });
        return;
      default:
        this.ctx.reply(flow, request, 405);
    }
  }

  /** A response no transaction waits for: re-ACK a retransmitted 2xx to one of our INVITEs (initial or re-INVITE). */
  handleStrayResponse(response: SipResponse, flow: Flow): void {
    this.outgoing.handleStrayResponse(response, flow);
  }

  /** Ends every call carried by a WebSocket that closed. */
  onFlowClosed(flow: Flow): void {
    const reason: EndReason =
      flow.closeReason === 'dropped' ? 'connection-dropped' : flow.closeReason === 'server-closed' ? 'server-closed' : 'connection-closed';
    for (const call of [...this.ctx.active.values()]) {
      if (call.flow.id === flow.id) void this.ctx.endCall(call, reason);
    }
  }

  // ------------------------------------------------------------ control API

  /** Sends an INFO into a confirmed call and resolves with the client's final status. */
  async sendInfo(id: string, info: { contentType: string; headers: Record<string, string>; body: string }): Promise<SentInfoRecord> {
    const call = this.ctx.require(id);
    if (call.state !== 'confirmed' && call.state !== 'waiting') throw new CallError(`call ${id} is ${call.state}; INFO needs a confirmed call`, 409);
    return this.ctx.sendInDialogInfo(call, info.contentType, info.headers, info.body);
  }

  /**
   * Ends a call from the server side: BYE when answered (in the waiting room
   * too); for a client's INVITE not answered yet 480; for our INVITE a
   * CANCEL (resolves once the client answered it 487, or after a grace period).
   * `status` is the client's response to the BYE or CANCEL.
   */
  async hangup(id: string): Promise<{ status: number | null }> {
    const call = this.ctx.require(id);
    if (call.state === 'ended') throw new CallError(`call ${id} already ended`, 409);
    if (call.direction === 'outgoing' && isEarly(call)) return this.outgoing.cancel(call, 'hangup');
    if (call.state === 'ringing') {
      this.incoming.reject(call, 480, 'hangup');
      return { status: null };
    }
    return this.ctx.endCall(call, 'hangup', { sendBye: true });
  }

  /** Lets a call out of the waiting room: an enter-room INFO naming its real room (with its token); state `confirmed`. */
  async admit(id: string): Promise<CallInfo> {
    const call = this.ctx.require(id);
    if (call.state !== 'waiting') throw new CallError(`call ${id} is ${call.state}, not waiting`, 409);
    await admit(this.ctx, call);
    return toInfo(call, this.ctx.presentationPolicy);
  }

  /**
   * Places a call from the server to a registered user. Returns at once (state
   * `calling`); the offer is created, the INVITE sent and the responses
   * handled in the background.
   */
  callUser(request: OutgoingCallRequest): CallInfo {
    return toInfo(this.outgoing.place(request), this.ctx.presentationPolicy);
  }

  /**
   * Sets what the main video m-line echoes (`flow`, `stall`, `garble`) until
   * the client's next re-INVITE (`reinvite`) or another command (`command`).
   */
  setVideoMode(id: string, mode: VideoMode, until: 'reinvite' | 'command' = 'reinvite'): CallInfo {
    const call = this.ctx.require(id);
    if (call.state === 'ended') throw new CallError(`call ${id} already ended`, 409);
    this.ctx.setVideoMode(call, mode, until);
    return toInfo(call, this.ctx.presentationPolicy);
  }

  rejectNext(count: number, status: number): void {
    this.ctx.faults.rejectNext = { count, status };
  }

  // ------------------------------------------------ presentations and content

  /** Changes the default presentation policy (calls without one of their own use it; `failNext` is shared by them). */
  setDefaultPresentationPolicy(patch: Partial<PresentationPolicy>): PresentationPolicy {
    Object.assign(this.ctx.presentationPolicy, patch);
    this.ctx.log.info(`default presentation policy: ${JSON.stringify(this.ctx.presentationPolicy)}`);
    return { ...this.ctx.presentationPolicy };
  }

  /**
   * Gives a call its own presentation policy (starting from the default's
   * accept/status, failNext 0, then `patch`), or with `reset` makes it follow
   * the default again.
   */
  setCallPresentationPolicy(id: string, patch: Partial<PresentationPolicy>, reset = false): CallInfo['presentationPolicy'] {
    const call = this.ctx.require(id);
    setCallPolicy(call, this.ctx.presentationPolicy, patch, reset);
    const info = policyOf(call, this.ctx.presentationPolicy);
    this.ctx.log.info(`call ${call.id}: presentation policy ${JSON.stringify(info)}`);
    return info;
  }

  /** Plays content into a confirmed call (see content.ts); `codec` defaults to the camera's. */
  startContent(id: string, codec?: string): Promise<ContentResult> {
    return this.content.start(id, codec);
  }

  /** Stops the content: INFO sharedesktop CONTENTEND, then a re-INVITE setting the content m-line inactive. */
  stopContent(id: string): Promise<ContentResult> {
    return this.content.stop(id);
  }

  // --------------------------------------------------------------- shutdown

  /** Ends every call; `crash: true` sends nothing (no BYE, no final responses), as a crashed server would. */
  async close(options: { crash?: boolean } = {}): Promise<void> {
    const { ctx } = this;
    if (ctx.closed) return;
    ctx.closed = true;
    const pending: Promise<unknown>[] = [];
    for (const call of [...ctx.active.values()]) {
      if (options.crash) {
        pending.push(ctx.endCall(call, 'server-closed', { sendBye: false, waitMs: 0 }));
      } else if (call.direction === 'outgoing' && isEarly(call)) {
        if (call.outgoing!.provisional && !call.outgoing!.cancelSent) void this.outgoing.sendCancel(call);
        void ctx.endCall(call, 'server-closed');
      } else if (call.state === 'ringing') {
        this.incoming.reject(call, 503, 'server-closed');
      } else {
        pending.push(ctx.endCall(call, 'server-closed', { sendBye: true, waitMs: 0 }));
      }
    }
    await Promise.allSettled(pending);
    await ctx.peersClosed();
  }
}
