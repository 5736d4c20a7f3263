import { logger } from './logger.js';

export type Listener<T> = (value: T, previous: T) => void;

/**
 * Holds an immutable snapshot. `subscribe(selector, listener)` calls the listener only
 * when the selected slice changes (by `Object.is`).
 */
export class Store<S extends object> {
  private snapshot: S;
  private readonly subscribers = new Set<(next: S, prev: S) => void>();

  constructor(initial: S) {
    this.snapshot = Object.freeze(initial);
  }

  get(): S {
    return this.snapshot;
  }

  set(next: S): void {
    const prev = this.snapshot;
    if (next === prev) return;
    this.snapshot = Object.freeze(next);
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber(this.snapshot, prev);
      } catch (error) {
        logger.error('snapshot subscriber threw', error);
      }
    }
  }

  update(producer: (current: S) => S): void {
    this.set(producer(this.snapshot));
  }

  subscribe<T>(selector: (snapshot: S) => T, listener: Listener<T>): () => void {
    const subscriber = (next: S, prev: S): void => {
      const a = selector(next);
      const b = selector(prev);
      if (!Object.is(a, b)) listener(a, b);
    };
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}
