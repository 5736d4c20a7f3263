/**
 * Calls the server places to registered users: the INVITE with the echo
 * peer's offer, its provisional and final responses (ACK, answer applied,
 * welcome INFOs if asked), giving up before the answer (CANCEL, ring
 * timeout), and the ACK sent again for a retransmitted 2xx.
 */
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../log.js';
import { parseOfferedMedia } from '../sdp-info.js';
import type { Flow } from '../sip/listener.js';
import {
  contentType,
  decodeDisplayName,
  headerValue,
  headersWithPrefix,
  newTag,
  quoteDisplayName,
  tagOf,
  topViaBranch,
  uriString,
  withTag,
  type SipNameAddr,
  type SipRequest,
  type SipResponse,
} from '../sip/message.js';
import { CANCEL_GRACE_MS, describeMedia, isEarly, isEnded, NEGOTIATION_TIMEOUT_MS, newCallState, withTimeout, type Call } from './call.js';
import type { CallContext } from './context.js';
import { buildInvite, buildRequest, inviteTransactionRequest, sendNon2xxAck } from './dialog.js';
import { CallError, type EndReason, type OutgoingCallRequest } from './types.js';

export class OutgoingCalls {
  constructor(private readonly ctx: CallContext) {}

  /**
   * Places a call from the server to a registered user. Returns at once (state
   * `calling`); the offer is created, the INVITE sent and the responses
   * handled in the background.
   */
  place(request: OutgoingCallRequest): Call {
    const { ctx } = this;
    if (ctx.closed) throw new CallError('server is shutting down', 503);
    if (!request.flow.isOpen) throw new CallError(`the connection of ${request.user} is closed`, 409);
    const localTag = newTag();
    const callId = randomBytes(12).toString('hex');
    const local: SipNameAddr = {
      ...(request.displayName ? { name: quoteDisplayName(request.displayName) } : {}),
      uri: `sip:${request.from}@${ctx.sipDomain}`,
      params: { tag: localTag },
    };
    const remote: SipNameAddr = { uri: `sip:${request.user}@${ctx.sipDomain}`, params: {} };
    const call: Call = {
      id: ctx.newId(),
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
    call.invite = buildInvite(call, '');
    call.inviteBranch = topViaBranch(call.invite);
    ctx.track(call);
    ctx.log.info(`call ${call.id}: calling ${request.user} at ${request.target} on ${request.flow.id} from ${request.from}`);
    void this.run(call);
    return call;
  }

  /** A response no transaction waits for: re-ACK a retransmitted 2xx to one of our INVITEs (initial or re-INVITE). */
  handleStrayResponse(response: SipResponse, flow: Flow): void {
    if (response.headers.cseq?.method !== 'INVITE' || response.status < 200 || response.status >= 300) return;
    const callId = String(response.headers['call-id']);
    const call = this.ctx.active.get(callId) ?? this.ctx.history.find((c) => c.dialog.callId === callId);
    const ack = call?.acks.get(response.headers.cseq.seq);
    if (!call || !ack || call.flow.id !== flow.id) return;
    this.ctx.log.debug(`call ${call.id}: 2xx retransmitted, ACK sent again`);
    flow.listener.send(flow, ack);
  }

  private async run(call: Call): Promise<void> {
    const out = call.outgoing!;
    const peer = this.ctx.attachPeer(call);
    call.negotiating = true;
    let offer: string;
    try {
      offer = await withTimeout(peer.offer(), NEGOTIATION_TIMEOUT_MS, 'creating the offer timed out');
    } catch (error) {
      this.ctx.log.warn(`call ${call.id}: cannot create an offer: ${errorMessage(error)}`);
      void this.ctx.endCall(call, 'media-failed');
      return;
    } finally {
      call.negotiating = false;
    }
    if (call.state !== 'calling') return; // hung up while the offer was prepared (endCall closed the peer)
    call.invite.content = offer;
    call.lastLocalSdp = { type: 'offer', sdp: offer };
    out.inviteSent = true;
    this.ctx.timer(call, this.ctx.ringTimeoutMs, () => {
      if (!isEarly(call)) return;
      this.ctx.log.info(`call ${call.id}: not answered in ${this.ctx.ringTimeoutMs} ms, cancelling`);
      void this.cancel(call, 'no-answer');
    });
    let response: SipResponse;
    try {
      response = await call.flow.listener.request(call.flow, call.invite, this.ctx.ringTimeoutMs + 2 * CANCEL_GRACE_MS, (r) =>
        this.onProvisional(call, r),
      );
    } catch (error) {
      if (!isEnded(call)) {
        this.ctx.log.warn(`call ${call.id}: INVITE failed: ${errorMessage(error)}`);
        void this.ctx.endCall(call, out.cancelReason ?? 'no-answer');
      }
      return;
    }
    await this.onFinal(call, response);
  }

  private onProvisional(call: Call, response: SipResponse): void {
    const out = call.outgoing!;
    out.provisional = true;
    if (response.status > 100) {
      // An early dialog: the client may already send BYE in it.
      const tag = tagOf(response.headers.to);
      if (tag && !call.dialog.remoteTag) call.dialog.remoteTag = tag;
      if (call.state === 'calling') {
        call.state = 'ringing';
        this.ctx.log.info(`call ${call.id}: ringing (${response.status})`);
      }
    }
    if (out.cancelReason && !out.cancelSent && call.flow.isOpen) void this.sendCancel(call);
  }

  private async onFinal(call: Call, response: SipResponse): Promise<void> {
    const out = call.outgoing!;
    const status = response.status;
    this.ctx.log.info(`call ${call.id}: INVITE answered ${status}`);
    if (status >= 300) {
      sendNon2xxAck(call, response);
      if (call.state === 'ended') return;
      call.finalStatus = status;
      void this.ctx.endCall(call, out.cancelReason ?? 'rejected');
      return;
    }
    // 2xx: the dialog is established; ACK at once (a new transaction, same CSeq number).
    const d = call.dialog;
    d.remoteTag = tagOf(response.headers.to);
    d.remote = withTag(response.headers.to!, d.remoteTag);
    const contact = Array.isArray(response.headers.contact) ? response.headers.contact[0] : undefined;
    if (contact && uriString(contact.uri)) d.remoteTarget = uriString(contact.uri);
    d.routeSet = (response.headers['record-route'] ?? []).map((r) => ({ ...r })).reverse();
    const ack = buildRequest(call, 'ACK', {}, '', call.invite.headers.cseq!.seq);
    call.acks.set(ack.headers.cseq!.seq, ack);
    call.flow.listener.send(call.flow, ack);
    if (call.state === 'ended') {
      // Given up meanwhile (e.g. the CANCEL crossed the 200 OK): end the new dialog at once.
      if (call.flow.isOpen) void call.flow.listener.request(call.flow, buildRequest(call, 'BYE', {}, ''), 4000).catch(() => {});
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
      void this.ctx.endCall(call, out.cancelReason, { sendBye: true });
      return;
    }
    const answer = contentType(response) === 'application/sdp' ? (response.content ?? '') : '';
    if (!answer.trim()) {
      this.ctx.log.warn(`call ${call.id}: 200 OK without an SDP answer`);
      void this.ctx.endCall(call, 'bad-request', { sendBye: true });
      return;
    }
    call.lastRemoteSdp = { type: 'answer', sdp: answer };
    call.offeredMedia = parseOfferedMedia(answer);
    call.state = 'confirmed';
    call.confirmedAt = Date.now();
    this.ctx.log.info(`call ${call.id}: confirmed (${describeMedia(call)})`);
    call.negotiating = true;
    try {
      await withTimeout(call.peer!.acceptAnswer(answer), NEGOTIATION_TIMEOUT_MS, 'applying the answer timed out');
    } catch (error) {
      this.ctx.log.warn(`call ${call.id}: cannot apply the answer: ${errorMessage(error)}`);
      void this.ctx.endCall(call, 'media-failed', { sendBye: true });
      return;
    } finally {
      call.negotiating = false;
    }
    if (out.welcome && call.state === 'confirmed') void this.ctx.sendWelcomeInfos(call);
  }

  /**
   * Gives up an outgoing call before its final response: CANCEL (once a
   * provisional response allows it), then waits for the INVITE's final
   * response (normally 487), or ends the call anyway after a grace period.
   */
  async cancel(call: Call, reason: EndReason): Promise<{ status: number | null }> {
    const out = call.outgoing!;
    out.cancelReason ??= reason;
    if (!out.inviteSent) {
      void this.ctx.endCall(call, reason);
      return { status: null };
    }
    let status: number | null = null;
    if (out.provisional && !out.cancelSent) status = await this.sendCancel(call);
    if (call.state !== 'ended') await this.ctx.sleep(call, CANCEL_GRACE_MS);
    if (call.state !== 'ended') {
      this.ctx.log.info(`call ${call.id}: no final response after CANCEL; ending it`);
      void this.ctx.endCall(call, out.cancelReason);
    }
    return { status };
  }

  async sendCancel(call: Call): Promise<number | null> {
    const out = call.outgoing!;
    out.cancelSent = true;
    const cancel = inviteTransactionRequest(call, call.invite, 'CANCEL', call.invite.headers.to!);
    this.ctx.log.info(`call ${call.id}: CANCEL sent`);
    try {
      const response = await call.flow.listener.request(call.flow, cancel, CANCEL_GRACE_MS);
      return response.status;
    } catch (error) {
      this.ctx.log.debug(`call ${call.id}: CANCEL unanswered: ${errorMessage(error)}`);
      return null;
    }
  }
}
