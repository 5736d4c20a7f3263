import type { CallSnapshot } from '../../src/call/types.js';
import type { VinteoClient } from '../../src/client.js';
import { ringsForAll } from '../../src/selectors.js';

/**
 * Which call a `<vinteo-call>` may show and end. Inside a `<vinteo-session>` (one call at a time for
 * all its elements) an element owns only the call it started or answered; an element with a client of
 * its own owns every call on it.
 */
export class CallOwnership {
  /** The id of the call the element started or answered. */
  private ownCallId: number | undefined;

  constructor(private readonly hasOwnClient: () => boolean) {}

  /** True when `call` is the element's own. */
  owns(call: CallSnapshot): boolean {
    return this.hasOwnClient() || (call.id !== undefined && call.id === this.ownCallId);
  }

  /**
   * True when the element shows `call`: its own, or an incoming call that rings unanswered (every
   * element without a call of its own offers Answer; there is none while it rings, the core answers
   * 486 to calls that come in while another runs) or that the caller gave up before anyone answered.
   */
  shows(call: CallSnapshot): boolean {
    return this.owns(call) || ringsForAll(call);
  }

  /** Makes `call` the element's own (it declines it, and shows the outcome). */
  take(call: CallSnapshot): void {
    this.ownCallId = call.id;
  }

  /**
   * Runs `start` (a join or an answer) and, when it goes ahead, makes the call the element's own. A
   * join or answer that goes ahead changes the call snapshot at once (a new call id, or the answer's
   * phase); one the core refuses (another call runs: invalid-state) leaves it as it was.
   */
  claim(client: VinteoClient, start: () => Promise<void>): Promise<void> {
    const before = client.getSnapshot().call;
    const started = start();
    const after = client.getSnapshot().call;
    if (after !== before && after.id !== undefined) this.ownCallId = after.id;
    return started;
  }
}
