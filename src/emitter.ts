import { logger } from './logger.js';

/** How a service emits its own events: a slice of the client's event map. */
export type Emit<E> = <K extends keyof E>(type: K, payload: E[K]) => void;

/** A small typed event emitter. Listener errors are logged and never break the emitter. */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as (payload: never) => void);
    return () => this.off(type, listener);
  }

  once<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): () => void {
    const off = this.on(type, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): void {
    const set = this.listeners.get(type);
    if (!set) return;
    set.delete(listener as (payload: never) => void);
    if (set.size === 0) this.listeners.delete(type);
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        logger.error(`listener for "${String(type)}" threw`, error);
      }
    }
  }

  /**
   * The emit function for the events `E`, a slice of this emitter's events (checked: `Events` must
   * extend `E`), for a service that emits only those.
   */
  slice<E extends object>(...check: Events extends E ? [] : [never]): Emit<E> {
    void check;
    return (type, payload) => this.emit(type as unknown as keyof Events, payload as unknown as Events[keyof Events]);
  }

  /** Number of listeners, for leak checks. */
  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }
}
