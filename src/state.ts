import { logger } from './logger.js';

/**
 * One explicit state union per service, one transition function that validates,
 * logs `from -> to` and reports each change exactly once.
 */
export class StateMachine<S extends string> {
  private current: S;

  constructor(
    private readonly name: string,
    initial: S,
    private readonly allowed: Readonly<Record<S, readonly S[]>>,
    private readonly onChange: (to: S, from: S) => void,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  can(to: S): boolean {
    return this.allowed[this.current].includes(to);
  }

  /** Moves to `to`. Returns false (and logs) for a transition the table does not allow. */
  transition(to: S): boolean {
    const from = this.current;
    if (from === to) return false;
    if (!this.can(to)) {
      logger.debug(`${this.name}: ignored transition ${from} -> ${to}`);
      return false;
    }
    this.current = to;
    logger.debug(`${this.name}: ${from} -> ${to}`);
    this.onChange(to, from);
    return true;
  }
}
