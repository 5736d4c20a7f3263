import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallView } from '../../src/selectors.js';

/** After this many ms of `connecting` or `calling` without progress, the element says the server is not answering. */
export const SERVER_SILENCE_MS = 5000;

/** The views in which the server is expected to answer soon. */
const WAITING_FOR_SERVER: ReadonlySet<CallView> = new Set(['connecting', 'calling']);

/**
 * "The server is not answering": true once the view has stayed `connecting` or `calling` (the same one:
 * going from connecting to calling is progress) for {@link SERVER_SILENCE_MS}; false again on any other view.
 *
 * @internal
 */
export class ServerSilenceController implements ReactiveController {
  private view: CallView | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly read: () => CallView,
    private readonly delayMs: number = SERVER_SILENCE_MS,
  ) {
    host.addController(this);
  }

  /** True while the server has not answered for too long. */
  get silent(): boolean {
    return this.expired;
  }

  hostUpdate(): void {
    const view = this.read();
    if (view === this.view) return;
    this.view = view;
    this.stop();
    this.expired = false;
    if (!WAITING_FOR_SERVER.has(view)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.expired = true;
      this.host.requestUpdate();
    }, this.delayMs);
  }

  hostDisconnected(): void {
    this.restart();
  }

  /** Forgets the view and the time (Retry): the next update starts counting again. */
  restart(): void {
    this.stop();
    this.view = undefined;
    this.expired = false;
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * The server's name in plain words: the `server` attribute as given, else the host of `ws-url`;
 * undefined when neither names it.
 */
export function serverHost(server: string | null | undefined, wsUrl: string | null | undefined): string | undefined {
  if (server?.trim()) return server.trim();
  if (!wsUrl?.trim()) return undefined;
  try {
    return new URL(wsUrl.trim()).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the one polite live region (part `announcer`) says: each notice once, when it appears. Given the
 * notices on show before each render, the message is the ones that were not on show before (joined);
 * while nothing new appears it stays as it was, so that a re-render never announces it again.
 *
 * @internal
 */
export class Announcer {
  private previous: readonly string[] = [];
  private current = '';

  /** The live region's text for the notices now on show. */
  say(notices: readonly string[]): string {
    const fresh = notices.filter((notice) => !this.previous.includes(notice));
    this.previous = notices;
    if (fresh.length > 0) this.current = fresh.join(' ');
    return this.current;
  }

  /** Announces `message` (an event rather than a notice on show, e.g. a role change back). */
  announce(message: string): void {
    this.current = message;
  }

  clear(): void {
    this.previous = [];
    this.current = '';
  }
}
