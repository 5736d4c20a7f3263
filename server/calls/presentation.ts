/**
 * The client's presentation (screen sharing) in a call: its state
 * (requested → active → stopped) from sharedesktop INFOs (the stop is an
 * INFO, never a re-INVITE), presentation RTP (counted) and re-offers, and the policy that answers LETMESTARTPRESENTATION (the
 * call's own, or the manager's default). Functions of the call record.
 */
import type { Logger } from '../log.js';
import type { Call } from './call.js';
import type { CallInfo, PresentationPolicy } from './types.js';

/**
 * A sharedesktop INFO from the client (protocol §8, §14.5): LETMESTARTPRESENTATION is answered by the
 * policy; YOUCANRECEIVECONTENT (the p2p start) is always allowed; STOPPRESENTATION and CONTENTEND (the
 * stops: no re-INVITE follows, only the RTP stops) are answered `stopStatus` (200 unless a test refuses
 * them) and mark the presentation stopped when 2xx. Returns our status.
 */
export function answerShareDesktop(call: Call, state: string, defaultPolicy: PresentationPolicy, log: Logger): number {
  const p = call.presentation;
  if (state === 'LETMESTARTPRESENTATION' || state === 'YOUCANRECEIVECONTENT') {
    const status = state === 'LETMESTARTPRESENTATION' ? decidePresentation(call, defaultPolicy) : 200;
    log.info(`call ${call.id}: presentation request (${state}) ${status === 200 ? 'accepted' : `declined (${status})`}`);
    if (status === 200 && p.state !== 'active') {
      p.state = 'requested';
      p.requestedAt = Date.now();
    }
    return status;
  }
  if (state === 'STOPPRESENTATION' || state === 'CONTENTEND') {
    const status = (call.presentationPolicy ?? defaultPolicy).stopStatus;
    if (status >= 300) {
      log.info(`call ${call.id}: presentation stop (${state}) refused (${status})`);
      return status;
    }
    p.state = 'stopped';
    p.stoppedAt = Date.now();
    log.info(`call ${call.id}: presentation stopped by the client (${state})`);
    return status;
  }
  return 200;
}

/** The status answering a LETMESTARTPRESENTATION: pending `failNext` declines first, then `accept`. */
function decidePresentation(call: Call, defaultPolicy: PresentationPolicy): number {
  const policy = call.presentationPolicy ?? defaultPolicy;
  if (policy.failNext > 0) {
    policy.failNext--;
    return policy.status;
  }
  return policy.accept ? 200 : policy.status;
}

/** RTP on a presentation m-line: a requested (or unannounced) presentation becomes active. */
export function notePresentationRtp(call: Call, mid: string, log: Logger): void {
  const p = call.presentation;
  p.packetsReceived++;
  if (p.state === 'active' || p.state === 'stopped' || call.state === 'ended') return;
  p.state = 'active';
  p.startedAt = Date.now();
  p.mid = mid;
  log.info(`call ${call.id}: presentation active on mid ${mid}`);
}

/** A client re-offer that no longer sends on the presentation m-line ends an active presentation. */
export function checkPresentationAfterOffer(call: Call, log: Logger): void {
  const p = call.presentation;
  if (p.state !== 'active') return;
  const m = call.offeredMedia.find((x) => x.mid === p.mid);
  if (m && (m.direction === 'sendonly' || m.direction === 'sendrecv')) return;
  p.state = 'stopped';
  p.stoppedAt = Date.now();
  log.info(`call ${call.id}: presentation stopped (the re-offer no longer sends mid ${p.mid})`);
}

/**
 * Gives a call its own presentation policy (starting from the default's
 * accept/status, failNext 0, then `patch`), or with `reset` makes it follow
 * the default again.
 */
export function setCallPolicy(call: Call, defaultPolicy: PresentationPolicy, patch: Partial<PresentationPolicy>, reset: boolean): void {
  if (reset) {
    delete call.presentationPolicy;
    return;
  }
  call.presentationPolicy ??= { accept: defaultPolicy.accept, status: defaultPolicy.status, failNext: 0, stopStatus: defaultPolicy.stopStatus };
  Object.assign(call.presentationPolicy, patch);
}

/** The policy answering the call's requests, as the control API shows it. */
export function policyOf(call: Call, defaultPolicy: PresentationPolicy): CallInfo['presentationPolicy'] {
  return { ...(call.presentationPolicy ?? defaultPolicy), scope: call.presentationPolicy ? 'call' : 'global' };
}
