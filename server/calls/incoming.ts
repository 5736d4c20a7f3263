/**
 * Conference calls: a client's INVITE (checked, rejected by a fault, else
 * answered by the echo peer: guests too, never held at 180), its CANCEL, the
 * ACK that confirms it (then the enter-room INFOs: rooms.ts, the waiting room
 * included), and declining it while it rings.
 */
import { errorMessage } from '../log.js';
import { parseOfferedMedia } from '../sdp-info.js';
import type { Flow } from '../sip/listener.js';
import {
  contentType,
  decodeDisplayName,
  headerValue,
  headersWithPrefix,
  newTag,
  tagOf,
  topViaBranch,
  uriString,
  uriUser,
  withTag,
  type SipRequest,
} from '../sip/message.js';
import { NEGOTIATION_TIMEOUT_MS, newCallState, withTimeout, type Call } from './call.js';
import type { CallContext } from './context.js';
import { sendInviteResponse } from './dialog.js';
import type { EndReason } from './types.js';

export class IncomingCalls {
  constructor(private readonly ctx: CallContext) {}

  /** A client's INVITE outside any dialog: a new conference call. */
  async handleInvite(request: SipRequest, flow: Flow): Promise<void> {
    const { ctx } = this;
    const callId = String(request.headers['call-id']);
    const existing = ctx.active.get(callId);
    if (existing) {
      // Same transaction again (retransmission) is absorbed; a different one is a merged request.
      if (existing.inviteBranch !== topViaBranch(request)) ctx.reply(flow, request, 482, { reason: 'Loop Detected' });
      return;
    }
    if (ctx.closed) {
      ctx.reply(flow, request, 503);
      return;
    }
    const contact = Array.isArray(request.headers.contact) ? request.headers.contact[0] : undefined;
    if (!contact || !uriString(contact.uri)) {
      ctx.reply(flow, request, 400, { reason: 'Missing Contact' });
      return;
    }
    ctx.reply(flow, request, 100);

    const from = request.headers.from!;
    const call: Call = {
      id: ctx.newId(),
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
    ctx.track(call);
    ctx.log.info(
      `call ${call.id}: INVITE from ${call.from || '?'}${call.displayName ? ` (${call.displayName})` : ''} to conference ${call.conference || '?'} on ${flow.id}`,
    );

    if (!call.conference) {
      this.reject(call, 404, 'bad-request', 'No Conference In Request-URI');
      return;
    }
    const offer = request.content ?? '';
    if (contentType(request) !== 'application/sdp' || !offer.trim()) {
      this.reject(call, 488, 'bad-request', 'SDP Offer Required');
      return;
    }
    call.offeredMedia = parseOfferedMedia(offer);
    call.lastRemoteSdp = { type: 'offer', sdp: offer };
    if (!call.offeredMedia.some((m) => (m.kind === 'audio' || m.kind === 'video') && m.port !== 0)) {
      this.reject(call, 488, 'bad-request', 'No Audio Or Video In Offer');
      return;
    }

    if (ctx.faults.rejectNext.count > 0) {
      ctx.faults.rejectNext.count--;
      this.reject(call, ctx.faults.rejectNext.status, 'rejected');
      return;
    }
    if (ctx.faults.answerDelayMs > 0) {
      await ctx.sleep(call, ctx.faults.answerDelayMs);
      if (call.state !== 'ringing') return;
    }
    await this.answer(call, offer);
  }

  /** Answers a ringing incoming call with the echo peer's answer (200 OK), then waits for the ACK. */
  private async answer(call: Call, offer: string): Promise<void> {
    const { ctx } = this;
    const peer = ctx.attachPeer(call);
    call.negotiating = true;
    let answer: string;
    try {
      answer = await withTimeout(peer.answer(offer), NEGOTIATION_TIMEOUT_MS, 'SDP negotiation timed out');
    } catch (error) {
      ctx.log.warn(`call ${call.id}: cannot answer the offer: ${errorMessage(error)}`);
      if (call.state === 'ringing') this.reject(call, 488, 'bad-request');
      else ctx.closePeer(peer);
      return;
    } finally {
      call.negotiating = false;
    }
    if (call.state !== 'ringing') {
      ctx.closePeer(peer);
      return;
    }
    sendInviteResponse(call, call.invite, 200, { 'content-type': 'application/sdp' }, answer);
    call.lastLocalSdp = { type: 'answer', sdp: answer };
    call.state = 'answered';
    call.finalStatus = 200;
    call.answeredAt = Date.now();
    ctx.log.info(`call ${call.id}: answered`);
    ctx.timer(call, ctx.ackTimeoutMs, () => {
      if (call.state !== 'answered') return;
      ctx.log.warn(`call ${call.id}: no ACK for the 200 OK`);
      void ctx.endCall(call, 'ack-timeout', { sendBye: true });
    });
  }

  /** Answers a client's pending INVITE with a final error and ends the call. */
  reject(call: Call, status: number, reason: EndReason, phrase?: string): void {
    if (call.direction !== 'incoming' || call.state !== 'ringing') return;
    sendInviteResponse(call, call.invite, status, {}, '', phrase);
    call.finalStatus = status;
    this.ctx.log.info(`call ${call.id}: INVITE answered ${status}`);
    void this.ctx.endCall(call, reason);
  }

  /** The ACK of our 200 OK confirms the call; the enter-room INFOs follow (purgatory: `waiting`). (Other ACKs need nothing.) */
  handleAck(request: SipRequest): void {
    const call = this.ctx.dialogCall(request);
    if (!call) return;
    if (call.direction === 'incoming' && call.state === 'answered' && request.headers.cseq!.seq === call.invite.headers.cseq!.seq) {
      call.state = 'confirmed';
      call.confirmedAt = Date.now();
      this.ctx.log.info(`call ${call.id}: confirmed`);
      void this.ctx.sendWelcomeInfos(call);
    }
  }

  /** CANCEL of a client's INVITE: 200, then 487 to the INVITE while it is not answered yet. */
  handleCancel(request: SipRequest, flow: Flow): void {
    const { ctx } = this;
    const call = ctx.active.get(String(request.headers['call-id']));
    if (!call || call.direction !== 'incoming' || call.inviteBranch !== topViaBranch(request)) {
      ctx.reply(flow, request, 481);
      return;
    }
    ctx.reply(flow, request, 200);
    call.cancelledAt ??= Date.now();
    // Once answered (the 200 OK crossed the CANCEL) the CANCEL has no effect: the client ACKs and BYEs.
    if (call.state !== 'ringing') return;
    if (ctx.faults.ignoreCancel) {
      ctx.log.info(`call ${call.id}: CANCEL ignored (fault injection); the INVITE will still be answered`);
      return;
    }
    // A final 487 at once: nothing answers the INVITE 200 after this (answer() checks the state).
    this.reject(call, 487, 'cancel');
  }
}
