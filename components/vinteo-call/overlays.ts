import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CallSnapshot } from '../../src/call/types.js';
import type { VinteoErrorInfo } from '../../src/errors.js';
import { viewActive, type CallView } from '../../src/selectors.js';
import type { VinteoSnapshot } from '../../src/types.js';
import { humanError } from '../shared/human-errors.js';
import { labelOverrides, type Labels, type Locale } from '../shared/i18n.js';
import { Announcer, ServerSilenceController, serverHost } from './call-states.js';
import {
  renderAnnouncer,
  renderError,
  renderQualityBadge,
  renderReconnecting,
  renderServerNotAnswering,
  roomNotices,
  serverNotAnsweringText,
  type CallOverlays,
} from './overlays.templates.js';
import { QualityBadgeController } from './quality-badge.js';

/** What the overlays read from `<vinteo-call>` (its public properties and methods). */
export interface OverlaysHost extends ReactiveControllerHost, Element {
  readonly state: CallView;
  readonly server: string | undefined;
  readonly wsUrl: string | undefined;
  readonly locale: Locale;
  readonly labels: Partial<Labels> | undefined;
  join(): Promise<void>;
  leave(): Promise<void>;
}

/** What the overlays ask of `<vinteo-call>` that is not public. */
export interface OverlaysOptions {
  /** The client's snapshot. */
  readonly snapshot: () => VinteoSnapshot | undefined;
  /** The call the element shows, if any. */
  readonly shownCall: () => CallSnapshot | undefined;
  /** Focus goes on to the next control when the focused one went (see `FocusKeeper.keep`). */
  readonly keepFocus: () => void;
}

/**
 * The states of `<vinteo-call>` over the call screen (issue #16): the reconnecting overlay, "the server is
 * not answering" after 5 s ({@link ServerSilenceController}) with Retry, the quality badge
 * ({@link QualityBadgeController}), the error part, the one polite live region ({@link Announcer}) and the
 * waiting room's clock.
 *
 * @internal
 */
export class OverlaysController implements ReactiveController {
  /** "The server is not answering" after 5 s of connecting or calling. */
  private readonly silence: ServerSilenceController;
  /** The quality badge's level, changing at most once per 10 s. */
  private readonly badge: QualityBadgeController;
  /** What the one polite live region (part `announcer`) says. */
  private readonly announcer = new Announcer();
  private announcedRole: string | undefined;
  /** Re-renders every second while waiting (the elapsed time). */
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: OverlaysHost,
    private readonly options: OverlaysOptions,
  ) {
    this.silence = new ServerSilenceController(host, () => host.state);
    this.badge = new QualityBadgeController(host, () =>
      host.state === 'in-call' && options.shownCall() ? options.snapshot()?.stats.quality?.level : undefined,
    );
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopTicker();
  }

  /** The reconnecting overlay, the quality badge, "the server is not answering", the error part and the live region. */
  render(labels: Labels, view: CallView, call: CallSnapshot | undefined, error: VinteoErrorInfo | string | undefined): CallOverlays {
    const host = this.host;
    const snapshot = this.options.snapshot();
    const room = call ? snapshot?.room : undefined;
    const silent = this.silence.silent && (view === 'connecting' || view === 'calling');
    const session = host.closest('vinteo-session');
    const server = serverHost(host.server, host.wsUrl) ?? serverHost(session?.getAttribute('server'), session?.getAttribute('ws-url'));
    // Role and moderator notices, and the server's silence: each said once by the live region.
    const role = view === 'in-call' ? room?.role : undefined;
    if (this.announcedRole === 'spectator' && role === 'participant') this.announcer.announce(labels.roleParticipant);
    if (role !== undefined || !viewActive(view)) this.announcedRole = role;
    const notices = view === 'in-call' && room ? roomNotices(labels, room, call?.receiveOnly ?? false) : [];
    if (silent) notices.push(serverNotAnsweringText(labels, server));
    const message = this.announcer.say(notices);
    return {
      stage: view === 'reconnecting'
        ? renderReconnecting(labels, snapshot?.reconnect?.attempt, () => void host.leave())
        : renderQualityBadge(labels, this.badge.level),
      notices: silent ? renderServerNotAnswering(labels, server, () => void this.retry()) : nothing,
      error: renderError(labels, typeof error === 'string' || error === undefined ? error : humanError(host.locale, error, labelOverrides(host, host.labels))),
      announcer: renderAnnouncer(message),
    };
  }

  /** After each render: while waiting, re-render every second (the elapsed time). */
  updated(view: CallView): void {
    if (view === 'waiting') this.ticker ??= setInterval(() => this.host.requestUpdate(), 1000);
    else this.stopTicker();
  }

  /** Retry after the server did not answer: cancel the attempt and join again. */
  private async retry(): Promise<void> {
    this.silence.restart();
    await this.host.leave();
    await this.host.join();
    // Retry is gone by now: focus goes on to the next control (Cancel, or Join if the join failed at once).
    this.options.keepFocus();
  }

  private stopTicker(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
