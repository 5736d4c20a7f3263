import type { LitElement, ReactiveController, ReactiveControllerHost } from 'lit';
import { property } from 'lit/decorators.js';
import { errorMessage, LABEL_ATTRIBUTES, labelOverrides, labelsFor, localeOf, type Labels, type Locale } from './i18n.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = new (...args: any[]) => T;

/** One observer per document for its `lang` attribute; the hosts in it re-render when it changes. */
const documents = new Map<Document, { observer: MutationObserver; hosts: Set<ReactiveControllerHost> }>();

class DocumentLangController implements ReactiveController {
  private document: Document | undefined;

  constructor(private readonly host: ReactiveControllerHost & Element) {
    host.addController(this);
  }

  hostConnected(): void {
    const doc = this.host.ownerDocument;
    let entry = documents.get(doc);
    if (!entry) {
      const hosts = new Set<ReactiveControllerHost>();
      const observer = new MutationObserver(() => {
        for (const host of hosts) host.requestUpdate();
      });
      observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['lang'] });
      entry = { observer, hosts };
      documents.set(doc, entry);
    }
    entry.hosts.add(this.host);
    this.document = doc;
  }

  hostDisconnected(): void {
    const doc = this.document;
    const entry = doc && documents.get(doc);
    this.document = undefined;
    if (!doc || !entry) return;
    entry.hosts.delete(this.host);
    if (entry.hosts.size === 0) {
      entry.observer.disconnect();
      documents.delete(doc);
    }
  }
}

/** What {@link Localized} adds to an element. */
export interface LocalizedInterface {
  labels: Partial<Labels> | undefined;
  /** @internal The language in use: from `lang` (the element's, an ancestor's, the document's). */
  readonly locale: Locale;
  /** @internal Every label in use: the language's, then `label-*` attributes, then the `labels` property. */
  localized(): Labels;
  /** @internal The text shown for an error, in the element's language and with its overrides. */
  errorText(error: { reason: string; message: string }): string;
}

/**
 * Labels in Russian or English, chosen by `lang` (the element's own, else the nearest ancestor's, else the
 * document's; `ru*` is Russian), each overridable by a `label-*` attribute (`label-join="Подключиться"`)
 * or the `labels` property (`el.labels = { join: 'Подключиться' }`; it wins over attributes). Changes to
 * the element's `lang`, its `label-*` attributes, the `labels` property or the document's `lang`
 * re-render it.
 */
export const Localized = <T extends Constructor<LitElement>>(Base: T) => {
  class WithLabels extends Base {
    /** Overrides of individual labels and messages, e.g. `{ join: 'Подключиться' }`; wins over `label-*` attributes. */
    @property({ attribute: false }) labels: Partial<Labels> | undefined;

    static get observedAttributes(): string[] {
      // Lit's own list (computed for the subclass), plus `lang` and the label attributes.
      const own = Reflect.get(Base, 'observedAttributes', this) as string[];
      return [...own, 'lang', ...LABEL_ATTRIBUTES];
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      new DocumentLangController(this);
    }

    override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
      super.attributeChangedCallback(name, old, value);
      if (old !== value && (name === 'lang' || name.startsWith('label-'))) this.requestUpdate();
    }

    get locale(): Locale {
      return localeOf(this);
    }

    localized(): Labels {
      const overrides = labelOverrides(this, this.labels);
      const base = labelsFor(this.locale);
      return Object.keys(overrides).length === 0 ? base : { ...base, ...overrides };
    }

    errorText(error: { reason: string; message: string }): string {
      return errorMessage(this.locale, error, labelOverrides(this, this.labels));
    }
  }
  return WithLabels as Constructor<LocalizedInterface> & T;
};
