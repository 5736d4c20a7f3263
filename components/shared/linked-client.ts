import { ContextEvent } from '@lit/context';
import type { LitElement, PropertyValues, ReactiveController, ReactiveElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { VinteoClient } from '../../src/client.js';
import { vinteoClientContext } from '../../src/context.js';

/** True for anything that looks like a VinteoClient (duck-typed: the script may be loaded twice). */
function isClient(value: unknown): value is VinteoClient {
  const candidate = value as Partial<VinteoClient> | null | undefined;
  return typeof candidate?.getSnapshot === 'function' && typeof candidate.subscribe === 'function' && typeof candidate.on === 'function';
}

/**
 * Finds the VinteoClient that an add-on element (`<vinteo-dialpad>`, `<vinteo-devices>`) works with,
 * in this order:
 * 1. a client set explicitly from script;
 * 2. the `client` property of the element whose id the host's `for` attribute names, in the host's
 *    document or shadow root (looked up again when that element is defined, added, renamed or replaced);
 * 3. the client `<vinteo-session>` provides through Lit context.
 *
 * `onChange` runs whenever the result changes (also to `undefined`).
 *
 * @internal Shared by the add-on elements; not part of the public API.
 */
export class LinkedClientController implements ReactiveController {
  private explicitClient: VinteoClient | undefined;
  private targetId: string | undefined;
  private resolved: VinteoClient | undefined;
  private reported: VinteoClient | undefined;
  private connected = false;
  private observer: MutationObserver | undefined;
  private observedRoot: Node | undefined;
  private readonly awaited = new Set<string>();

  constructor(
    private readonly host: ReactiveElement,
    private readonly onChange: (client: VinteoClient | undefined) => void,
  ) {
    host.addController(this);
  }

  /** The client found, or undefined. */
  get client(): VinteoClient | undefined {
    return this.explicitClient ?? this.resolved;
  }

  /** A client set from script; wins over `for` and context. `undefined` goes back to looking it up. */
  set explicit(client: VinteoClient | undefined) {
    if (client === this.explicitClient) return;
    this.explicitClient = client;
    this.resolve();
  }

  get explicit(): VinteoClient | undefined {
    return this.explicitClient;
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
    // Detached elements hold no client found by lookup; they look again when re-attached.
    this.publish(undefined);
  }

  /** Looks the client up again. */
  resolve(): void {
    if (this.explicitClient) {
      this.stopObserving();
      this.publish(this.explicitClient);
      return;
    }
    if (!this.connected) return;
    if (this.targetId) {
      this.observe();
      this.publish(this.fromTarget(this.targetId));
    } else {
      this.stopObserving();
      this.publish(this.fromContext());
    }
  }

  private publish(client: VinteoClient | undefined): void {
    this.resolved = client;
    const effective = this.explicitClient ?? client;
    if (effective === this.reported) return;
    this.reported = effective;
    this.onChange(effective);
  }

  private fromTarget(id: string): VinteoClient | undefined {
    const root = this.host.getRootNode();
    const target = root instanceof Document || root instanceof ShadowRoot ? root.getElementById(id) : null;
    if (!target) return undefined;
    const name = target.localName;
    if (name.includes('-') && !customElements.get(name)) {
      this.whenDefined(name);
      return undefined;
    }
    const client = (target as Element & { client?: unknown }).client;
    return isClient(client) ? client : undefined;
  }

  private fromContext(): VinteoClient | undefined {
    let provided: VinteoClient | undefined;
    this.host.dispatchEvent(
      new ContextEvent(vinteoClientContext, this.host, (client: VinteoClient | undefined) => {
        provided = client;
      }),
    );
    if (!provided && this.host.closest('vinteo-session') && !customElements.get('vinteo-session')) {
      // The session element is not defined yet: ask again once it is.
      this.whenDefined('vinteo-session');
    }
    return provided;
  }

  private whenDefined(name: string): void {
    if (this.awaited.has(name)) return;
    this.awaited.add(name);
    void customElements.whenDefined(name).then(() => {
      this.awaited.delete(name);
      this.resolve();
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = new (...args: any[]) => T;

/** What {@link LinkedClient} adds to an add-on element. */
export interface LinkedClientInterface {
  /** The `for` attribute: the id of the element whose client to use. */
  htmlFor: string | undefined;
  /** The client in use: set from script, or found through `for` or the enclosing `<vinteo-session>`. */
  client: VinteoClient | undefined;
  /** @internal Called whenever the client in use changes (also to `undefined`); elements override it. */
  linkedClientChanged(client: VinteoClient | undefined): void;
}

/**
 * The `for` attribute and the `client` property of the add-on elements (`<vinteo-dialpad>`,
 * `<vinteo-devices>`, `<vinteo-presentation>`, `<vinteo-stats>`), backed by a {@link LinkedClientController}.
 *
 * @internal Shared by the add-on elements; not part of the public API.
 */
export const LinkedClient = <T extends Constructor<LitElement>>(Base: T) => {
  class WithLinkedClient extends Base {
    @property({ attribute: 'for' }) htmlFor: string | undefined;

    private readonly link = new LinkedClientController(this, (client) => this.linkedClientChanged(client));

    get client(): VinteoClient | undefined {
      return this.link.client;
    }

    set client(client: VinteoClient | undefined) {
      const old = this.link.client;
      this.link.explicit = client;
      this.requestUpdate('client', old);
    }

    linkedClientChanged(_client: VinteoClient | undefined): void {
      // Overridden by the elements.
    }

    protected override willUpdate(changed: PropertyValues<this>): void {
      super.willUpdate(changed);
      if (changed.has('htmlFor')) this.link.forId = this.htmlFor;
    }
  }
  return WithLinkedClient as Constructor<LinkedClientInterface> & T;
};
