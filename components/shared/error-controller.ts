import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { VinteoError, type VinteoErrorInfo, type VinteoErrorReason } from '../../src/errors.js';
import { VinteoErrorEvent } from './events.js';

/**
 * An element's own errors, one way for every element: `local` is the error the element shows itself
 * (a refused action, bad attributes, no client), and every error it learns of is dispatched once as a
 * `vinteo-error` DOM event. Errors the client keeps in its snapshot (a failed call, a failed share) are
 * shown from the snapshot; an element shows `local` first.
 *
 * @internal Shared by the elements; not part of the public API.
 */
export class ErrorController implements ReactiveController {
  private current: VinteoErrorInfo | undefined;
  private attributeProblem: VinteoErrorInfo | undefined;

  constructor(private readonly host: ReactiveControllerHost & EventTarget) {
    host.addController(this);
  }

  /** The error the element shows itself, until cleared. */
  get local(): VinteoErrorInfo | undefined {
    return this.current;
  }

  set local(error: VinteoErrorInfo | undefined) {
    if (error === this.current) return;
    this.current = error;
    this.host.requestUpdate();
  }

  /** Shows `error` (as `VinteoError.from(error, reason)`) and dispatches it as `vinteo-error`; returns it. */
  show(error: unknown, reason?: VinteoErrorReason): VinteoError {
    const failure = VinteoError.from(error, reason);
    this.local = failure.toJSON();
    this.report(failure);
    return failure;
  }

  /** Dispatches `error` as `vinteo-error` without showing it (it shows elsewhere, or not at all). */
  report(error: VinteoError | VinteoErrorInfo): void {
    this.host.dispatchEvent(new VinteoErrorEvent(error instanceof VinteoError ? error.toJSON() : error));
  }

  clear(): void {
    this.local = undefined;
  }

  /** A mistake in the attributes, found as soon as they were set (see {@link check}); undefined once fixed. */
  get config(): VinteoErrorInfo | undefined {
    return this.attributeProblem;
  }

  /**
   * Checks the attributes with `validate` (which throws on a mistake; nothing connects). A new mistake
   * is kept in `config` and, when `report`, dispatched once as `vinteo-error` (an element that reports
   * it another way passes false); once fixed, it goes, and so does the same mistake shown by an action.
   */
  check(validate: () => void, report: boolean): void {
    let problem: VinteoErrorInfo | undefined;
    try {
      validate();
    } catch (error) {
      problem = VinteoError.from(error, 'invalid-config').toJSON();
    }
    if (problem?.message === this.attributeProblem?.message) return;
    if (!problem && this.attributeProblem && this.current?.reason === 'invalid-config') this.local = undefined;
    this.attributeProblem = problem;
    this.host.requestUpdate();
    if (problem && report) this.report(problem);
  }

  hostConnected(): void {
    // Nothing to attach: the controller holds state only.
  }
}
