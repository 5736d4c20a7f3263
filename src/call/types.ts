import type { VinteoError, VinteoErrorInfo } from '../errors.js';
import type { ReceivedInfoMessage } from '../protocol/route.js';
import type { CodecPreferences } from './codecs.js';
import type { VideoProblem } from './stream-health.js';
import type { LegSnapshot } from '../spectator/types.js';

export type { VideoProblem } from './stream-health.js';

/** Calls: states, snapshot, events and join options. */
export type CallState = 'idle' | 'calling' | 'ringing' | 'in-call' | 'ended' | 'failed';

/** True while a call is being set up, rings or runs. */
export function isCallRunning(state: CallState): boolean {
  return state === 'calling' || state === 'ringing' || state === 'in-call';
}
/** What a `calling` call is waiting for (the server's waiting room is a room of an answered call: `waitingSince`). */
export type CallPhase = 'connecting' | 'media' | 'inviting';
export type CallEndReason = 'local-hangup' | 'remote-hangup' | 'cancelled' | 'declined' | 'missed' | 'connection-lost';
export type CallDirection = 'outgoing' | 'incoming';

export interface Caller {
  /** Display name from the INVITE's From header (may be empty). */
  readonly name: string;
  /** The caller's SIP user. */
  readonly number: string;
}

export interface CallSnapshot {
  /** Tells calls apart: a new number for every join and every incoming call (undefined before the first). */
  readonly id: number | undefined;
  readonly state: CallState;
  readonly phase: CallPhase | undefined;
  readonly direction: CallDirection | undefined;
  /** The dialled conference, or the caller's number for an incoming call. */
  readonly conference: string | undefined;
  /** Who is calling (incoming calls only). */
  readonly caller: Caller | undefined;
  /** When the server put the answered call in its waiting room, the room `purgatory` (ms since epoch); cleared on admission. */
  readonly waitingSince: number | undefined;
  readonly localStream: MediaStream | undefined;
  readonly remoteStream: MediaStream | undefined;
  /** The video of a presentation another participant shares (a second video m-line), if any. */
  readonly contentStream: MediaStream | undefined;
  /** True when the call runs without camera and microphone (refused or missing). */
  readonly receiveOnly: boolean;
  /** Set while a call whose connection was lost is being brought back (ms since epoch of the loss). */
  readonly recoveringSince: number | undefined;
  readonly microphoneEnabled: boolean;
  readonly cameraEnabled: boolean;
  readonly endReason: CallEndReason | undefined;
  readonly error: VinteoErrorInfo | undefined;
  /** A non-fatal problem, e.g. the camera could not be opened and the call is audio only. */
  readonly warning: VinteoErrorInfo | undefined;
  /**
   * Set while the main video is being restored (a re-INVITE after it stalled, stopped or arrived
   * undecodable for 3 stats samples in a row); `problem` says what was wrong.
   */
  readonly videoRecovery: { readonly problem: VideoProblem } | undefined;
  /**
   * The spectator's receive-only leg (protocol §6), while the role is spectator with an audio id:
   * `opening` (also while it waits for the in-room state), `open`, `failed` (the call fails with it).
   * While it is open, its streams are what the call shows.
   */
  readonly leg: LegSnapshot | undefined;
}

export const initialCallSnapshot: CallSnapshot = {
  id: undefined,
  state: 'idle',
  phase: undefined,
  direction: undefined,
  conference: undefined,
  caller: undefined,
  waitingSince: undefined,
  localStream: undefined,
  remoteStream: undefined,
  contentStream: undefined,
  receiveOnly: false,
  recoveringSince: undefined,
  microphoneEnabled: true,
  cameraEnabled: true,
  endReason: undefined,
  error: undefined,
  warning: undefined,
  videoRecovery: undefined,
  leg: undefined,
};

export interface CallEvents {
  'call:state': { state: CallState; previous: CallState };
  'call:incoming': { caller: Caller };
  'call:waiting': { conference: string };
  'call:accepted': { conference: string };
  'call:ended': { conference: string; reason: CallEndReason };
  'call:failed': { conference: string; error: VinteoError };
  /** An INFO the server sent in the call, with the bearer token and the notify jwt masked (`***`). */
  'call:info': ReceivedInfoMessage;
  /** The call is being recovered after its connection was lost. */
  'call:recovering': { conference: string; reason: string };
  /** The call is back (a new INVITE to the same conference, or an ICE restart). */
  'call:recovered': { conference: string; downtimeMs: number; method: 'redial' | 'ice-restart' };
  /** Camera or microphone could not be used; the call goes on without them. */
  'call:media-warning': { error: VinteoError };
  /**
   * The main video stalled, stopped or arrived undecodable for 3 stats samples in a row: a re-INVITE
   * (no ICE restart) restores it. `started`, then `done` or `failed` (the call goes on either way).
   */
  'call:video-recovery': { problem: VideoProblem; phase: 'started' | 'done' | 'failed' };
}

export interface JoinOptions {
  /** Start with the microphone on (default: the current setting, initially on). */
  microphone?: boolean;
  /** Start with the camera on (default: the current setting, initially on). */
  camera?: boolean;
  /** Video constraints for getUserMedia (e.g. a `deviceId`). */
  video?: MediaTrackConstraints | true;
  /** Audio constraints for getUserMedia (e.g. a `deviceId`). */
  audio?: MediaTrackConstraints | true;
  /** Optional `X-Vinteo-Session` value. */
  sessionId?: string;
  /**
   * A call that carries only a presentation (protocol §3, §8): `X-Vinteo-Presentation-Call: yes` on the
   * INVITE, no camera or microphone (receive-only until a screen is shared), enter-room INFOs ignored,
   * and the p2p sharedesktop states (YOUCANRECEIVECONTENT / CONTENTEND).
   */
  presentationOnly?: boolean;
  /** Codec order for `setCodecPreferences`, e.g. `{ preferred: ['video/vp9'], excluded: ['video/av1'] }`. */
  codecs?: CodecPreferences;
}
