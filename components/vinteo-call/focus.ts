import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A part that takes focus when it appears (a request that needs an answer) and gives it back when it goes. */
export interface FocusTrapPart {
  /** The part whose appearance takes focus, e.g. `moderator-request`. */
  readonly part: string;
  /** The part inside it that gets focus, e.g. `moderator-accept-button`. */
  readonly initial: string;
}

export interface FocusKeeperOptions {
  /** Parts to focus, the first present and enabled, when the focused control disappears. */
  readonly fallback: () => readonly string[];
  /** Parts that take focus when they appear and return it when they go. */
  readonly traps?: readonly FocusTrapPart[];
}

function focusable(element: Element | null | undefined): element is HTMLElement {
  if (!(element instanceof HTMLElement) || !element.isConnected) return false;
  if ((element as HTMLButtonElement).disabled || element.hidden || element.closest('[hidden],[inert]')) return false;
  return true;
}

/**
 * Keeps keyboard focus inside the element when what had it goes away, so that it never falls to
 * `<body>`: after each update, if the control that had focus was removed (or disabled) and nothing else
 * took focus, the first present and enabled fallback part gets it. A trap part (a moderator's request)
 * takes focus when it appears and, once answered, gives it back to where it was (else the fallback).
 * Focus the user moved elsewhere on the page (a click outside) is left alone.
 *
 * @internal
 */
export class FocusKeeper implements ReactiveController {
  /** The element inside the shadow root that last had focus, while focus is (or was lost) inside. */
  private last: HTMLElement | undefined;
  /** Per open trap: where focus was before it appeared. */
  private readonly returns = new Map<string, Element | undefined>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: FocusKeeperOptions,
  ) {
    host.addController(this);
  }

  private get root(): ShadowRoot | null {
    return this.host.shadowRoot;
  }

  private readonly onFocusIn = (event: FocusEvent): void => {
    const target = event.composedPath()[0];
    if (target instanceof HTMLElement && this.root?.contains(target)) this.last = target;
  };

  private readonly onFocusOut = (event: FocusEvent): void => {
    const target = event.composedPath()[0];
    const next = event.relatedTarget;
    // Moved within the element: focusin records it. Moved out by the user: forget (the target is still there).
    if (next instanceof Node && (this.host.contains(next) || this.root?.contains(next))) return;
    queueMicrotask(() => {
      if (target instanceof Element && target.isConnected && this.last === target) this.last = undefined;
    });
  };

  hostConnected(): void {
    this.host.addEventListener('focusin', this.onFocusIn);
    this.host.addEventListener('focusout', this.onFocusOut);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('focusin', this.onFocusIn);
    this.host.removeEventListener('focusout', this.onFocusOut);
    this.last = undefined;
    this.returns.clear();
  }

  hostUpdated(): void {
    const root = this.root;
    if (!root) return;
    for (const trap of this.options.traps ?? []) {
      const open = root.querySelector(`[part~="${trap.part}"]`);
      if (open && !this.returns.has(trap.part)) {
        const before = root.activeElement ?? (document.activeElement === document.body ? undefined : document.activeElement);
        this.returns.set(trap.part, before ?? undefined);
        const initial = root.querySelector(`[part~="${trap.initial}"]`);
        if (focusable(initial)) initial.focus();
        continue;
      }
      if (!open && this.returns.has(trap.part)) {
        const back = this.returns.get(trap.part);
        this.returns.delete(trap.part);
        if (this.lost() || root.activeElement === null) {
          if (focusable(back)) back.focus();
          else this.focusFallback();
        }
      }
    }
    this.keep();
  }

  /**
   * If focus fell to `<body>` from inside (the control that had it went, was disabled, or was moved in the
   * DOM, which also drops focus): back to that control if it is still there and enabled, else the fallback.
   */
  keep(): void {
    const last = this.last;
    if (!last || !this.lost()) return;
    if (focusable(last) && this.root?.contains(last)) last.focus();
    else this.focusFallback();
  }

  /** True when focus is nowhere in particular: on `<body>` (or nothing), not inside the shadow root. */
  private lost(): boolean {
    const active = document.activeElement;
    if (this.root?.activeElement && focusable(this.root.activeElement as Element)) return false;
    return active === null || active === document.body || active === document.documentElement || active === this.host;
  }

  /** Focuses the first present and enabled fallback part; true if one took focus. */
  focusFallback(): boolean {
    const root = this.root;
    if (!root) return false;
    for (const name of this.options.fallback()) {
      const candidate = root.querySelector(`[part~="${name}"]`);
      if (focusable(candidate)) {
        candidate.focus();
        return true;
      }
    }
    return false;
  }
}
