/**
 * Offer/answer in an established call, both ways: the client's re-offer
 * (re-INVITE or UPDATE) answered from the same echo peer, and our own
 * re-INVITE (content start/stop) with its glare handling (491, or 500 with
 * Retry-After: ACK, roll back, wait, try again). One negotiation at a time.
 */
import { errorMessage } from '../log.js';
import { parseOfferedMedia } from '../sdp-info.js';
import { contentType, headerValue, type SipResponse } from '../sip/message.js';
import { describeMedia, NEGOTIATION_TIMEOUT_MS, REINVITE_ATTEMPTS, withTimeout, type Call } from './call.js';
import type { CallContext } from './context.js';
import { buildInvite, buildRequest, refreshTarget, sendNon2xxAck } from './dialog.js';
import { checkPresentationAfterOffer } from './presentation.js';
import { CallError } from './types.js';

export class Renegotiation {
  constructor(private readonly ctx: CallContext) {}

  /** Answers the client's re-offer from the call's peer; undefined when it cannot be answered. */
  async answerOffer(call: Call, offer: string): Promise<string | undefined> {
    const { log } = this.ctx;
    call.negotiating = true;
    try {
      const answer = await withTimeout(call.peer!.answer(offer), NEGOTIATION_TIMEOUT_MS, 'SDP negotiation timed out');
      call.offeredMedia = parseOfferedMedia(offer);
      call.lastRemoteSdp = { type: 'offer', sdp: offer };
      call.lastLocalSdp = { type: 'answer', sdp: answer };
      checkPresentationAfterOffer(call, log);
      log.info(`call ${call.id}: renegotiated (${describeMedia(call)})`);
      return answer;
    } catch (error) {
      log.warn(`call ${call.id}: renegotiation failed: ${errorMessage(error)}`);
      return undefined;
    } finally {
      call.negotiating = false;
    }
  }

  /**
   * A server-initiated re-INVITE in a confirmed call: waits for any running
   * negotiation (a client re-INVITE), sends `makeOffer()`'s SDP, ACKs the
   * 2xx and applies its answer. 491 (glare) or 500 with Retry-After: ACK,
   * roll the offer back, wait (0.1–1 s, or 2.1–4 s when we own the Call-ID,
   * RFC 3261 14.1) and try again, up to REINVITE_ATTEMPTS times. Any other
   * final status rolls the offer back. Returns the final status.
   */
  async reinvite(call: Call, makeOffer: () => Promise<string>, what: string): Promise<number> {
    const { ctx } = this;
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
        const invite = buildInvite(call, offer);
        call.lastLocalSdp = { type: 'offer', sdp: offer };
        ctx.log.info(`call ${call.id}: re-INVITE sent (${what}${attempt > 1 ? `, attempt ${attempt}` : ''})`);
        let response: SipResponse;
        try {
          response = await call.flow.listener.request(call.flow, invite, NEGOTIATION_TIMEOUT_MS);
        } catch (error) {
          await peer.rollback();
          throw error;
        }
        const status = response.status;
        ctx.log.info(`call ${call.id}: re-INVITE answered ${status}`);
        if (status >= 300) {
          sendNon2xxAck(call, response, invite);
          await peer.rollback();
          const retryAfter = headerValue(response, 'retry-after');
          const retryable = status === 491 || (status === 500 && retryAfter !== undefined);
          if (!retryable || attempt >= REINVITE_ATTEMPTS || call.state !== 'confirmed') return status;
          retryInMs = this.glareDelayMs(call, status === 500 ? retryAfter : undefined);
        } else {
          const seq = invite.headers.cseq!.seq;
          const ack = buildRequest(call, 'ACK', {}, '', seq);
          call.acks.set(seq, ack);
          for (const old of call.acks.keys()) if (call.acks.size > 8) call.acks.delete(old);
          call.flow.listener.send(call.flow, ack);
          refreshTarget(call, response);
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
          checkPresentationAfterOffer(call, ctx.log);
          ctx.log.info(`call ${call.id}: renegotiated by us (${describeMedia(call)})`);
          return status;
        }
      } finally {
        call.negotiating = false;
      }
      ctx.log.info(`call ${call.id}: re-INVITE collided (glare); trying again in ${retryInMs} ms`);
      await ctx.sleep(call, retryInMs);
      if (call.state !== 'confirmed') throw new CallError(`call ${call.id} is ${call.state}`, 409);
    }
  }

  /** Waits until no offer/answer exchange runs in the call (the client's re-INVITE, or ours). */
  private async waitForNegotiation(call: Call): Promise<void> {
    const deadline = Date.now() + NEGOTIATION_TIMEOUT_MS;
    while (call.negotiating && call.state === 'confirmed') {
      if (Date.now() > deadline) throw new CallError(`call ${call.id}: another negotiation is still running`, 409);
      await this.ctx.sleep(call, 50);
    }
    if (call.state !== 'confirmed') throw new CallError(`call ${call.id} is ${call.state}`, 409);
  }

  /** RFC 3261 14.1: 2.1–4 s when we generated the Call-ID, else a short random delay; a Retry-After (seconds) is honoured up to 4 s. */
  private glareDelayMs(call: Call, retryAfter?: string): number {
    const seconds = retryAfter === undefined ? NaN : Number.parseInt(retryAfter, 10);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 4000);
    return call.direction === 'outgoing' ? 2100 + Math.random() * 1900 : 100 + Math.random() * 900;
  }
}
