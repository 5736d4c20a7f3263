import type { EndEvent, IncomingInfoEvent, OutgoingInfoEvent } from '@krivega/jssip';
import { logger } from '../logger.js';
import { causeToError, endReason, type Attempt } from './attempt.js';
import type { CallContext } from './context.js';
import { redactInfoMessage } from '../protocol/redact-info.js';
import type { ReceivedInfoMessage } from '../protocol/route.js';

/** What a call's session events do to the call: answer, redial answered, end, failure, INFO; the waiting room. */
export class SessionEvents {
  constructor(private readonly call: CallContext) {}

  /**
   * The waiting room is a room (`purgatory`) of an answered call, never a held INVITE: a 180/183
   * is simply `calling`. The established call waits (`waitingSince`) until a later enter-room admits it.
   */
  waitingRoom(waiting: boolean): void {
    const attempt = this.call.attempt;
    if (!attempt || attempt.aborted) return;
    if (!waiting) {
      if (this.call.snapshot.waitingSince !== undefined) this.call.publish({ waitingSince: undefined });
      return;
    }
    if (this.call.state !== 'in-call' || this.call.snapshot.waitingSince !== undefined) return;
    this.call.publish({ waitingSince: Date.now() });
    this.call.deps.emit('call:waiting', { conference: attempt.conference });
  }

  confirmed(attempt: Attempt): void {
    if (this.call.attempt !== attempt || attempt.aborted) return;
    if (attempt.recovery) {
      const downtimeMs = attempt.endRecovery();
      this.call.confirmed(attempt);
      attempt.iceRestarts = 0;
      this.call.publish({ recoveringSince: undefined });
      this.call.applyMute(attempt);
      this.call.deps.emit('call:recovered', { conference: attempt.conference, downtimeMs, method: 'redial' });
      attempt.settle?.();
      this.call.sendMediaState();
      return;
    }
    this.call.confirmed(attempt);
    this.call.publish({ phase: undefined, waitingSince: undefined });
    this.call.transition('in-call');
    this.call.deps.emit('call:accepted', { conference: attempt.conference });
    attempt.settle?.();
  }

  ended(attempt: Attempt, event: EndEvent): void {
    if (this.call.attempt !== attempt || attempt.aborted) return;
    this.call.finish(attempt, endReason(event.originator, event.cause));
  }

  failed(attempt: Attempt, event: EndEvent): void {
    if (this.call.attempt !== attempt || attempt.aborted) return;
    if (attempt.recovery) {
      logger.warn(`redial refused: ${event.cause}`);
      this.call.finish(attempt, 'connection-lost');
      return;
    }
    if (event.cause === 'Canceled') {
      this.call.finish(attempt, attempt.direction === 'incoming' ? 'missed' : 'cancelled');
      return;
    }
    const status = event.message && 'status_code' in event.message ? event.message.status_code : undefined;
    this.call.finish(attempt, causeToError(event.cause, status));
  }

  info(attempt: Attempt, event: IncomingInfoEvent | OutgoingInfoEvent): void {
    if (this.call.attempt !== attempt || event.originator !== 'remote') return;
    const request = event.request;
    const message: ReceivedInfoMessage = {
      contentType: event.info.contentType ?? '',
      body: event.info.body ?? '',
      header: (name) => {
        const value = request.getHeader(name);
        return value === undefined || value === null ? undefined : String(value);
      },
    };
    // The services get the INFO as it came (the conference keeps its credentials); the page gets
    // it with the bearer token and the jwt masked.
    try {
      this.call.deps.receivedInfo(message);
    } catch (error) {
      logger.error('handling a server INFO threw', error);
    }
    this.call.deps.emit('call:info', redactInfoMessage(message));
  }
}
