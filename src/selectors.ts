import type { VinteoSnapshot } from './types.js';
import { isCallRunning, type CallSnapshot } from './call/types.js';
import type { PresentationState } from './presentation/types.js';

/**
 * Derived values the elements share, computed once: pure functions over the client snapshot (no Lit,
 * no DOM). An element that shows the same thing as another asks here rather than deciding again.
 */

/** What a view of a call shows, reflected by `<vinteo-call>` as its `state` attribute. */
export type CallView =
  | 'idle'
  | 'busy'
  | 'connecting'
  | 'calling'
  | 'waiting'
  | 'ringing'
  | 'in-call'
  | 'reconnecting'
  | 'ended'
  | 'failed';

/** True while a call is being set up, rings or runs. */
export function callRunning(call: CallSnapshot): boolean {
  return isCallRunning(call.state);
}

/** True for an incoming call every element offers: ringing unanswered, or given up by the caller before anyone answered. */
export function ringsForAll(call: CallSnapshot): boolean {
  return call.direction === 'incoming' && ((call.state === 'ringing' && call.phase === undefined) || call.endReason === 'missed');
}

/**
 * The view of a call an element shows (undefined: it shows none, `idle`). `busy` (another element's
 * call) and `failed` for an element's own errors are the element's to decide.
 */
export function callView(call: CallSnapshot | undefined): CallView {
  if (!call) return 'idle';
  if (call.state === 'in-call' && call.recoveringSince !== undefined) return 'reconnecting';
  // The waiting room: the call is answered, the server put it in the room `purgatory` (protocol §5).
  if (call.state === 'in-call' && call.waitingSince !== undefined) return 'waiting';
  if (call.state === 'calling') return call.phase === 'connecting' ? 'connecting' : 'calling';
  return call.state;
}

/** True for a view whose call is being set up or runs: its Join button cancels or leaves. */
export function viewActive(view: CallView): boolean {
  return view === 'connecting' || view === 'calling' || view === 'waiting' || view === 'in-call' || view === 'reconnecting';
}

/** True for a view whose call is established (its Join button says Leave). */
export function viewEstablished(view: CallView): boolean {
  return view === 'in-call' || view === 'reconnecting';
}

/** True when the client is in an established call. */
export function inCall(snapshot: VinteoSnapshot | undefined): boolean {
  return snapshot?.call.state === 'in-call';
}

/**
 * Another participant's presentation in `call` (the one an element shows; pass `snapshot.call` for the
 * client's), while the server offers it and its video has arrived; else undefined.
 */
export function contentStream(snapshot: VinteoSnapshot | undefined, call: CallSnapshot | undefined): MediaStream | undefined {
  if (snapshot?.presentation.contentAvailable !== true) return undefined;
  // A spectator's receive leg carries the content while it runs (its `content_{codec}` stream).
  return call?.leg ? call.leg.contentStream : call?.contentStream;
}

/** The conference's main audio+video a view plays: the spectator's receive leg's while it has one, else the call's. */
export function mainStream(call: CallSnapshot | undefined): MediaStream | undefined {
  return call?.leg?.remoteStream ?? call?.remoteStream;
}

/** True when another participant's presentation is to be shown (see {@link contentStream}). */
export function contentVisible(snapshot: VinteoSnapshot | undefined, call: CallSnapshot | undefined): boolean {
  return contentStream(snapshot, call) !== undefined;
}

/** True while this client shares a screen or is starting to (its share button stops it). */
export function sharing(state: PresentationState | undefined): boolean {
  return state === 'active' || state === 'updating' || state === 'starting';
}
