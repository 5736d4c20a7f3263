import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import type { VinteoClient } from '../../src/client.js';
import { vinteoClientContext } from '../../src/context.js';

/** True for anything that looks like a VinteoClient (duck-typed: the script may be loaded twice). */
function isClient(value: unknown): value is VinteoClient {
  const candidate = value as Partial<VinteoClient> | null | undefined;
  return typeof candidate?.getSnapshot === 'function' && typeof candidate.subscribe === 'function' && typeof candidate.on === 'function';
}

export interface ClientLinkOptions {
  /** Runs whenever the client in use changes (also to `undefined`). */
  readonly onChange: (client: VinteoClient | undefined) => void;
  /**
   * Makes the host's own client when nothing else gives one (no client set from script, no `for`, no
   * `<vinteo-session>` above): the stand-alone `<vinteo-call>`. Made once, kept for the host's life.
   */
  readonly fallback?: () => VinteoClient;
  /**
   * Keep the first client found for the host's life (`<vinteo-call>`: its call goes on, and is hung up,
   * with the client it started on, wherever the element is moved). Otherwise a detached host holds no
   * client found by lookup, and looks again when re-attached.
   */
  readonly sticky?: boolean;
}

/**
 * Finds the VinteoClient an element works with, in this order:
 * 1. a client set explicitly from script (`explicit`);
 * 2. the `client` property of the element whose id `forId` names (the host's `for` attribute), in the
 *    host's document or shadow root (looked up again when that element is defined, added, renamed or
 *    replaced);
 * 3. the client `<vinteo-session>` provides through Lit context (a `ContextConsumer`, subscribed);
 * 4. the `fallback`, when given: the host's own client.
 *
 * @internal Shared by the elements; not part of the public API.
 */
export class ClientLinkController implements ReactiveController {
  private explicitClient: VinteoClient | undefined;
  private targetId: string | undefined;
  private provided: VinteoClient | undefined;
  /** Whether a provider above answered (perhaps before it had a client). */
  private answered = false;
  private ownClient: VinteoClient | undefined;
  private reported: VinteoClient | undefined;
  private connected = false;
  private observer: MutationObserver | undefined;
  private observedRoot: Node | undefined;
  private readonly awaited = new Set<string>();
  private readonly consumer: ContextConsumer<typeof vinteoClientContext, ReactiveElement>;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: ClientLinkOptions,
  ) {
    // Added first, so that the provider has answered when this controller looks.
    this.consumer = new ContextConsumer(host, {
      context: vinteoClientContext,
      subscribe: true,
      callback: (client) => {
        this.answered = true;
        this.provided = client;
        if (this.connected) this.resolve();
      },
    });
    host.addController(this);
  }

  /** The client in use, or undefined. */
  get client(): VinteoClient | undefined {
    return this.reported;
  }

  /** The client the host made itself (see `fallback`), if any. */
  get own(): VinteoClient | undefined {
    return this.ownClient;
  }

  /** A client set from script; wins over `for` and context. `undefined` goes back to looking it up. */
  set explicit(client: VinteoClient | undefined) {
    if (client === this.explicitClient) return;
    this.explicitClient = client;
    this.resolve();
  }

  /** The id named by the host's `for` attribute. */
  set forId(id: string | undefined) {
    const next = id ? id : undefined;
    if (next === this.targetId) return;
    this.targetId = next;
    this.resolve();
  }

  hostConnected(): void {
    this.connected = true;
    this.resolve();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stopObserving();
    // The consumer has unsubscribed: it asks again when re-attached.
    this.provided = undefined;
    this.answered = false;
    if (!this.options.sticky) this.publish(undefined);
  }

  /** Whether the host is inside a `<vinteo-session>` that is not defined yet (the link asks again once it is). */
  get sessionPending(): boolean {
    return this.host.closest('vinteo-session') !== null && !customElements.get('vinteo-session');
  }

  /** Looks the client up again. */
  resolve(): void {
    if (this.explicitClient) {
      this.stopObserving();
      this.publish(this.explicitClient);
      return;
    }
    if (!this.connected) return;
    if (this.options.sticky && this.reported) return;
    if (this.targetId) {
      this.observe();
      this.publish(this.fromTarget(this.targetId));
      return;
    }
    this.stopObserving();
    if (this.provided || this.answered) {
      this.publish(this.provided);
    } else if (this.sessionPending) {
      // The session element is not defined yet: ask again once it is.
      this.whenDefined('vinteo-session', () => this.consumer.hostConnected());
      this.publish(undefined);
    } else if (this.options.fallback) {
      this.ownClient ??= this.options.fallback();
      this.publish(this.ownClient);
    } else {
      this.publish(undefined);
    }
  }

  private publish(client: VinteoClient | undefined): void {
    const effective = this.explicitClient ?? client;
    if (effective === this.reported) return;
    this.reported = effective;
    this.options.onChange(effective);
  }

  private fromTarget(id: string): VinteoClient | undefined {
    const root = this.host.getRootNode();
    const target = root instanceof Document || root instanceof ShadowRoot ? root.getElementById(id) : null;
    if (!target) return undefined;
    const name = target.localName;
    if (name.includes('-') && !customElements.get(name)) {
      this.whenDefined(name, () => this.resolve());
      return undefined;
    }
    const client = (target as Element & { client?: unknown }).client;
    return isClient(client) ? client : undefined;
  }

  private whenDefined(name: string, then: () => void): void {
    if (this.awaited.has(name)) return;
    this.awaited.add(name);
    void customElements.whenDefined(name).then(() => {
      this.awaited.delete(name);
      if (this.connected) then();
    });
  }

  /** Follows the host's root so that a `for` target added, renamed or replaced later is found. */
  private observe(): void {
    const root = this.host.getRootNode();
    if (this.observer && this.observedRoot === root) return;
    this.stopObserving();
    this.observedRoot = root;
    this.observer = new MutationObserver(() => this.resolve());
    this.observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] });
  }

  private stopObserving(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.observedRoot = undefined;
  }
}
