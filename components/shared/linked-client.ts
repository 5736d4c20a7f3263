import type { LitElement, PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { VinteoClient } from '../../src/client.js';
import { ClientLinkController } from './client-link.js';

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
 * `<vinteo-devices>`, `<vinteo-presentation>`, `<vinteo-stats>`), backed by a {@link ClientLinkController}.
 *
 * @internal Shared by the add-on elements; not part of the public API.
 */
export const LinkedClient = <T extends Constructor<LitElement>>(Base: T) => {
  class WithLinkedClient extends Base {
    @property({ attribute: 'for' }) htmlFor: string | undefined;

    private readonly link = new ClientLinkController(this, { onChange: (client) => this.linkedClientChanged(client) });

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
