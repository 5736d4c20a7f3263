/**
 * The client's requests inside a call's dialog: BYE, INFO (recorded; DTMF
 * collected; a presentation request answered by the policy), and re-offers
 * by re-INVITE or UPDATE (answered through the renegotiation). The initial
 * INVITE's ACK and CANCEL belong to its transaction (incoming.ts).
 */
import type { Flow } from '../sip/listener.js';
import { contentType, headerValue, headersWithPrefix, tagOf, type SipRequest } from '../sip/message.js';
import { isEarly, pushCapped, ROOMNAME, SHAREDESKTOP, type Call } from './call.js';
import type { CallContext } from './context.js';
import { checkRemoteSeq, ourContact, refreshTarget, sendInviteResponse } from './dialog.js';
import type { IncomingCalls } from './incoming.js';
import { answerShareDesktop } from './presentation.js';
import type { Renegotiation } from './renegotiation.js';
import type { InfoRecord } from './types.js';

export class InDialogRequests {
  constructor(
    private readonly ctx: CallContext,
    private readonly incoming: IncomingCalls,
    private readonly renegotiation: Renegotiation,
  ) {}

  /** The live call of a request in an established dialog (To tag present; its CSeq noted), else 481 and undefined. */
  private callInDialog(request: SipRequest, flow: Flow): Call | undefined {
    const call = this.ctx.dialogCall(request);
    if (!call || !tagOf(request.headers.to) || call.state === 'ended') {
      this.ctx.reply(flow, request, 481);
      return undefined;
    }
    checkRemoteSeq(call, request);
    return call;
  }

  handleBye(request: SipRequest, flow: Flow): void {
    const { ctx } = this;
    const call = ctx.dialogCall(request);
    if (!call || !tagOf(request.headers.to)) {
      ctx.reply(flow, request, 481);
      return;
    }
    checkRemoteSeq(call, request);
    ctx.reply(flow, request, 200);
    if (call.direction === 'incoming' && isEarly(call)) this.incoming.reject(call, 487, 'bye');
    else void ctx.endCall(call, 'bye');
  }

  handleInfo(request: SipRequest, flow: Flow): void {
    const { ctx } = this;
    const call = this.callInDialog(request, flow);
    if (!call) return;
    const type = headerValue(request, 'content-type')?.trim() ?? '';
    const body = request.content ?? '';
    const record: InfoRecord = {
      contentType: type,
      headers: headersWithPrefix(request, 'x-'),
      body,
      receivedAt: new Date().toISOString(),
      status: 200,
    };
    pushCapped(call.infoReceived, record);
    ctx.log.info(`call ${call.id}: INFO ${type || '(no content type)'} received`);
    const media = contentType(request);
    if (media === 'application/dtmf-relay') {
      const signal = /^\s*signal\s*=\s*(\S+)/im.exec(body)?.[1];
      if (signal) ctx.addDtmf(call, signal === '10' ? '*' : signal === '11' ? '#' : signal, 'info');
    } else if (media === 'application/dtmf') {
      const digit = body.trim();
      if (digit) ctx.addDtmf(call, digit, 'info');
    } else if (media === SHAREDESKTOP) {
      record.status = answerShareDesktop(call, (record.headers['x-webrtc-share-state'] ?? '').trim().toUpperCase(), ctx.presentationPolicy, ctx.log);
    } else if (media === ROOMNAME && ctx.faults.roomnameStatus !== null) {
      // The client's own enter-room INFO (p2p{user}to{conference}) is only recorded; this fault refuses it.
      record.status = ctx.faults.roomnameStatus;
      ctx.log.info(`call ${call.id}: roomname INFO answered ${record.status} (fault injection)`);
    }
    ctx.reply(flow, request, record.status);
  }

  async handleUpdate(request: SipRequest, flow: Flow): Promise<void> {
    const { ctx } = this;
    const call = this.callInDialog(request, flow);
    if (!call) return;
    refreshTarget(call, request);
    const offer = contentType(request) === 'application/sdp' ? (request.content ?? '') : '';
    if (!offer.trim()) {
      ctx.reply(flow, request, 200, { headers: { contact: [ourContact(call)] } });
      return;
    }
    if (call.negotiating || !call.peer) {
      ctx.reply(flow, request, call.negotiating ? 491 : 500);
      return;
    }
    const answer = await this.renegotiation.answerOffer(call, offer);
    if (answer === undefined) ctx.reply(flow, request, 488);
    else ctx.reply(flow, request, 200, { headers: { contact: [ourContact(call)], 'content-type': 'application/sdp' }, content: answer });
  }

  handleReinvite(request: SipRequest, flow: Flow): void {
    const { ctx } = this;
    const call = ctx.dialogCall(request);
    if (!call || call.state === 'ended') {
      ctx.reply(flow, request, 481);
      return;
    }
    if (isEarly(call)) {
      ctx.reply(flow, request, 491);
      return;
    }
    checkRemoteSeq(call, request);
    if (call.negotiating) {
      ctx.reply(flow, request, 491);
      return;
    }
    const offer = contentType(request) === 'application/sdp' ? (request.content ?? '') : '';
    if (!offer.trim() || !call.peer) {
      ctx.reply(flow, request, 488, { reason: 'SDP Offer Required' });
      return;
    }
    refreshTarget(call, request);
    ctx.reply(flow, request, 100);
    call.reinvites++;
    void this.renegotiation.answerOffer(call, offer).then((answer) => {
      if (call.state === 'ended') return;
      if (answer === undefined) {
        sendInviteResponse(call, request, 488, {}, '');
        return;
      }
      sendInviteResponse(call, request, 200, { 'content-type': 'application/sdp' }, answer);
      // A client's recovery re-INVITE (stream-health monitor) ends a video fault set `until: 'reinvite'`.
      if (call.video.mode !== 'flow' && call.video.until === 'reinvite') ctx.setVideoMode(call, 'flow', 'reinvite');
    });
  }
}
