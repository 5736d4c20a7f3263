import type { VinteoError } from '../errors.js';
import type { BalancerCommand, Resolution } from '../protocol/info.js';
import type { BalancerParameters } from './parameters.js';

/**
 * `off`: disabled by the settings for this call; `idle`: no call; `waiting`: the call runs and the
 * start delay has not passed; `active`: balancing.
 */
export type BalancerState = 'off' | 'idle' | 'waiting' | 'active';

/** What started a balancing. */
export type BalancerTrigger = 'start' | 'command' | 'track-change';

export type BalancerSkipReason = 'ignored-codec' | 'no-camera-sender';

/** The `balancer` slice of the client snapshot. */
export interface BalancerSnapshot {
  readonly state: BalancerState;
  /** The server's last balancing command in this call (kept while waiting, applied on start). */
  readonly command: BalancerCommand | undefined;
  /** The size asked for by `MAXMAINCAMRESOLUTION`. */
  readonly maxResolution: Resolution | undefined;
  /** What was last set on the camera sender. */
  readonly parameters: BalancerParameters | undefined;
  /** The camera sender's codec (MIME type) at the last balancing. */
  readonly codec: string | undefined;
  /** Why the last balancing left the sender alone. */
  readonly skipped: BalancerSkipReason | undefined;
}

export const initialBalancerSnapshot: BalancerSnapshot = {
  state: 'idle',
  command: undefined,
  maxResolution: undefined,
  parameters: undefined,
  codec: undefined,
  skipped: undefined,
};

export interface BalancerAppliedDetail {
  readonly command: BalancerCommand | undefined;
  readonly trigger: BalancerTrigger;
  readonly parameters: BalancerParameters;
  readonly codec: string | undefined;
  /** The camera track's own size. */
  readonly trackWidth: number | undefined;
  readonly trackHeight: number | undefined;
}

export interface BalancerEvents {
  'balancer:state': { state: BalancerState; previous: BalancerState };
  /** A balancing command arrived; `deferred` when it waits for the start delay. */
  'balancer:command': { command: BalancerCommand; resolution?: Resolution; deferred: boolean };
  /** New encoding parameters are set on the camera sender. */
  'balancer:applied': BalancerAppliedDetail;
  /** A balancing left the sender alone (the codec is ignored, or there is no camera sender). */
  'balancer:skipped': { reason: BalancerSkipReason; codec?: string };
  /** `setParameters` failed; the next balancing tries again. */
  'balancer:failed': { error: VinteoError };
}
