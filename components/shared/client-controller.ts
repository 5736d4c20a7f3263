import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VinteoClient } from '../../src/client.js';
import type { VinteoClientEvents, VinteoSnapshot } from '../../src/types.js';

type Handler = { [K in keyof VinteoClientEvents]: readonly [K, (payload: VinteoClientEvents[K]) => void] }[keyof VinteoClientEvents];

/** True when two lists hold the same values (by `Object.is`), item by item. */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => Object.is(item, b[index]));
}

/**
 * Binds an element to a VinteoClient: reads the snapshot, re-renders on changes of the
 * selected slice, and owns event subscriptions (attached while the host is connected).
 *
 * `watch`, when given, narrows what re-renders the host: the slices it returns, compared item by
 * item. An element that reads the whole snapshot but shows only some of it (not the stats, which
 * change every second) re-renders only when what it shows changes.
 */
export class ClientController<T> implements ReactiveController {
  private client: VinteoClient | undefined;
  private connected = false;
  private readonly handlers: Handler[] = [];
  private detach: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly selector: (snapshot: VinteoSnapshot) => T,
    private readonly watch?: (snapshot: VinteoSnapshot) => readonly unknown[],
  ) {
    host.addController(this);
  }

  /** The selected slice of the current snapshot, or undefined without a client. */
  get value(): T | undefined {
    return this.client ? this.selector(this.client.getSnapshot()) : undefined;
  }

  get current(): VinteoClient | undefined {
    return this.client;
  }

  /** Registers a client event handler for the controller's lifetime. */
  listen<K extends keyof VinteoClientEvents>(type: K, handler: (payload: VinteoClientEvents[K]) => void): this {
    this.handlers.push([type, handler] as unknown as Handler);
    if (this.connected && this.client) this.detach.push(this.client.on(type, handler));
    return this;
  }

  setClient(client: VinteoClient | undefined): void {
    if (client === this.client) return;
    this.unbind();
    this.client = client;
    if (this.connected) this.bind();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.connected = true;
    this.bind();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unbind();
  }

  private bind(): void {
    const client = this.client;
    if (!client || this.detach.length > 0) return;
    const watch = this.watch;
    this.detach.push(
      watch
        ? client.subscribe(
            (snapshot) => snapshot,
            (next, previous) => {
              if (!sameItems(watch(next), watch(previous))) this.host.requestUpdate();
            },
          )
        : client.subscribe(this.selector, () => this.host.requestUpdate()),
    );
    for (const [type, handler] of this.handlers) {
      this.detach.push(client.on(type, handler as (payload: unknown) => void));
    }
  }

  private unbind(): void {
    for (const off of this.detach.splice(0)) off();
  }
}
