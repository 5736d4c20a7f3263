import { html, LitElement, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import type { VinteoClient } from '../../src/client.js';
import type { CallStats, QualityAssessment, QualityLevel, QualityReason, RtpStreamStats, StatsSnapshot } from '../../src/stats/types.js';
import { ClientController } from '../shared/client-controller.js';
import { redispatch } from '../shared/dom-events.js';
import { VinteoStatsEvent, type StatsDetail } from '../shared/events.js';
import type { Labels, Locale } from '../shared/i18n.js';
import { Localized } from '../shared/localized.js';
import { LinkedClient } from '../shared/linked-client.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  CHARTS,
  chartSummary,
  chartTitle,
  formatNumber,
  formatValue,
  niceMax,
  seriesPath,
  valuesOf,
  type ChartSpec,
} from './charts.js';
import { styles } from './vinteo-stats.styles.js';
import type { BalancerSnapshot } from '../../src/balancer/types.js';
import { addPanelLabels } from '../shared/i18n/panel-labels.js';

// This element's labels travel with it, not in the script tag's loader (see panel-labels.ts).
addPanelLabels();

/** `vinteo-stats` fires at most this often; the latest stats win. */
export const STATS_EVENT_MIN_INTERVAL_MS = 1000;

function levelLabel(labels: Labels, level: QualityLevel | undefined): string {
  if (level === 'good') return labels.qualityGood;
  if (level === 'fair') return labels.qualityFair;
  if (level === 'poor') return labels.qualityPoor;
  return labels.qualityUnknown;
}

function reasonLabel(labels: Labels, reason: QualityReason): string {
  switch (reason.code) {
    case 'receive-loss':
      return labels.reasonReceiveLoss;
    case 'send-loss':
      return labels.reasonSendLoss;
    case 'round-trip-time':
      return labels.reasonRoundTripTime;
    case 'jitter':
      return labels.reasonJitter;
    case 'frame-rate':
      return labels.reasonFrameRate;
    case 'send-limited':
      return reason.detail === 'cpu' ? labels.reasonSendLimitedCpu : labels.reasonSendLimitedBandwidth;
    case 'no-incoming-media':
      return labels.reasonNoIncomingMedia;
  }
}

/** The badge's reason text: every reason (no numbers, so that the live region speaks only when it changes). */
export function qualityText(labels: Labels, quality: QualityAssessment | undefined): string {
  if (!quality) return labels.statsUnavailable;
  if (quality.reasons.length === 0) return labels.qualityNoProblems;
  return quality.reasons.map((reason) => reasonLabel(labels, reason)).join(', ');
}

function streamName(labels: Labels, stream: RtpStreamStats, index: number): string {
  const name =
    stream.direction === 'outbound'
      ? stream.kind === 'video'
        ? labels.sentVideo
        : labels.sentAudio
      : stream.kind === 'video'
        ? labels.receivedVideo
        : labels.receivedAudio;
  // A second stream of the same kind and direction (a presentation) is numbered.
  return index === 0 ? name : `${name} ${index + 1}`;
}

const codecName = (codec: string | undefined): string => (codec ? codec.replace(/^(audio|video)\//i, '') : '—');

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

/**
 * Live call statistics: a quality badge (good / fair / poor, with the reasons in words), small charts
 * of the last 60 s (send and receive bitrate, packet loss, jitter, round-trip time, frame rate), and
 * per stream the codec, resolution, frame rate and bitrate; the video sending balancer's state too.
 *
 * The client comes from an enclosing `<vinteo-session>`, or from the element named by `for` (the id of
 * a `<vinteo-call>`), or from the `client` property. Charts are SVG paths in a fixed box, redrawn only
 * when new stats arrive, each with a text alternative; `compact` shows only the badge.
 *
 * Labels are English or Russian, from `lang` (the element's, else the nearest ancestor's, else the
 * document's; `ru*` is Russian). Each label can be overridden by a `label-*` attribute (the key in kebab
 * case: `label-quality-good="Отлично"`) or the `labels` property (`{ qualityGood: 'Отлично' }`, which wins).
 *
 * @summary Call quality: badge, charts and per-stream stats of a Vinteo call.
 *
 * @attr for - The id of the `<vinteo-call>` (or `<vinteo-session>`) whose client to use, in the same document or shadow root.
 * @attr compact - Show only the quality badge.
 * @attr quality - Read-only, reflected during a call: `good`, `fair` or `poor`.
 * @attr {'light' | 'dark'} theme - `light` or `dark`; without it the element follows the system setting (`prefers-color-scheme`).
 *
 * @prop {string | undefined} htmlFor - The `for` attribute.
 * @prop {boolean} compact - Show only the quality badge.
 * @prop {VinteoClient | undefined} client - The client in use. Setting it from script overrides `for` and the session.
 * @prop {CallStats | undefined} stats - The latest collection (read-only).
 * @prop {QualityAssessment | undefined} quality - The latest quality rating (read-only).
 * @prop {Partial<Labels> | undefined} labels - Overrides of labels by key, e.g. `{ qualityGood: 'Отлично' }`; wins over `label-*` attributes.
 *
 * @fires {VinteoStatsEvent} vinteo-stats - Stats were collected (at most once a second; the latest win).
 * @fires {VinteoBalancerUpdateEvent} vinteo-balancer-update - The video sending balancer set new parameters on the camera.
 *
 * @csspart base - The wrapper of everything (a labelled region).
 * @csspart badge - The quality badge (a polite live region): level and reasons.
 * @csspart badge-dot - The badge's coloured dot (decorative).
 * @csspart badge-level - The level: Good, Fair, Poor, or No data.
 * @csspart badge-reason - Why, in words; outside a call, why there is nothing to show (not linked, not in a call).
 * @csspart charts - The charts' grid.
 * @csspart chart - One chart (`data-metric`: `bitrate`, `loss`, `jitter`, `rtt`, `fps`).
 * @csspart chart-label - A chart's title and current values.
 * @csspart chart-title - A chart's title.
 * @csspart chart-value - A series' current value (`data-series`: `sent` or `received`).
 * @csspart chart-key - The line sample before a series' name.
 * @csspart chart-scale - The value at the top of a chart's scale.
 * @csspart chart-grid - A chart's middle grid line.
 * @csspart chart-plot - A chart's SVG (`role="img"`, labelled with its summary).
 * @csspart series-sent - The sent series' line (solid).
 * @csspart series-received - The received series' line (dashed).
 * @csspart streams - The per-stream table.
 * @csspart streams-caption - The table's caption.
 * @csspart stream-row - One stream's row (`data-direction`, `data-kind`).
 * @csspart connection - The candidate pair in use and the round-trip time.
 * @csspart balancer - What the video sending balancer did to the camera.
 *
 * @cssprop --vinteo-color-background - Element background.
 * @cssprop --vinteo-color-surface - Badge and chart background.
 * @cssprop --vinteo-color-text - Text colour; the received series.
 * @cssprop --vinteo-color-text-muted - Secondary text and chart grid.
 * @cssprop --vinteo-color-accent - The sent series.
 * @cssprop --vinteo-color-danger - The poor badge.
 * @cssprop --vinteo-color-focus - The fair badge.
 * @cssprop --vinteo-color-quality-good - The good badge's dot (default: the accent colour).
 * @cssprop --vinteo-color-quality-fair - The fair badge's dot (default: the focus colour).
 * @cssprop --vinteo-color-quality-poor - The poor badge's dot (default: the danger colour).
 * @cssprop --vinteo-radius - Corner radius.
 * @cssprop --vinteo-space - Base spacing.
 * @cssprop --vinteo-font-family - Font.
 * @cssprop --vinteo-font-size - Base font size (default `1rem`).
 */
export class VinteoStats extends LinkedClient(Localized(LitElement)) {
  static override styles = styles;


  /** Show only the quality badge. */
  @property({ type: Boolean, reflect: true }) compact = false;

  private readonly statsState = new ClientController<StatsSnapshot>(this, (s) => s.stats).listen('stats:collected', ({ stats, quality }) =>
    this.queueStatsEvent({ stats, quality }),
  );
  private readonly balancerState = new ClientController<BalancerSnapshot>(this, (s) => s.balancer);

  /** The client in use (the `LinkedClient` accessor; declared here for the analyzers). */
  declare client: VinteoClient | undefined;

  constructor() {
    super();
    redispatch(this.statsState, this, ['balancer:applied']);
  }

  /** @internal */
  override linkedClientChanged(client: VinteoClient | undefined): void {
    this.statsState.setClient(client);
    this.balancerState.setClient(client);
  }

  private pendingEvent: StatsDetail | undefined;
  private lastEventAt = Number.NEGATIVE_INFINITY;
  private eventTimer: ReturnType<typeof setTimeout> | undefined;


  /** The latest collection. */
  get stats(): CallStats | undefined {
    return this.statsState.value?.latest;
  }

  /** The latest quality rating. */
  get quality(): QualityAssessment | undefined {
    return this.statsState.value?.quality;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.eventTimer !== undefined) clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    this.pendingEvent = undefined;
  }

  protected override updated(): void {
    const stats = this.statsState.value;
    const level = stats?.collecting ? stats.quality?.level : undefined;
    if (level) this.setAttribute('quality', level);
    else this.removeAttribute('quality');
  }

  /** At most one `vinteo-stats` a second; a collection that comes sooner is sent when the second is up. */
  private queueStatsEvent(detail: StatsDetail): void {
    this.pendingEvent = detail;
    if (this.eventTimer !== undefined) return;
    const wait = this.lastEventAt + STATS_EVENT_MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) this.flushStatsEvent();
    else this.eventTimer = setTimeout(() => this.flushStatsEvent(), wait);
  }

  private flushStatsEvent(): void {
    this.eventTimer = undefined;
    const detail = this.pendingEvent;
    this.pendingEvent = undefined;
    if (!detail || !this.isConnected) return;
    this.lastEventAt = performance.now();
    this.dispatchEvent(new VinteoStatsEvent(detail));
  }

  protected override render(): unknown {
    const locale = this.locale;
    const labels = this.localized();
    const snapshot = this.statsState.value;
    const collecting = snapshot?.collecting ?? false;
    const quality = collecting ? snapshot?.quality : undefined;
    const hint = !this.client ? labels.notLinked : collecting ? undefined : labels.statsUnavailable;
    const level = quality?.level;
    return html`
      <section part="base" class="base" aria-label=${labels.statsPanel}>
        <div part="badge" class="badge" data-level=${level ?? 'none'} role="status">
          <span part="badge-dot" class="dot" aria-hidden="true"></span>
          <strong part="badge-level">${levelLabel(labels, level)}</strong>
          <span part="badge-reason" class="reason">${quality ? qualityText(labels, quality) : hint}</span>
        </div>
        ${this.compact ? nothing : this.renderDetails(locale, labels, snapshot)}
      </section>
    `;
  }

  private renderDetails(locale: Locale, labels: Labels, snapshot: StatsSnapshot | undefined): unknown {
    const history = snapshot?.history ?? [];
    const latest = snapshot?.latest;
    return html`
      <div part="charts" class="charts">${CHARTS.map((chart) => this.renderChart(chart, history, locale, labels))}</div>
      ${latest ? this.renderStreams(latest, locale, labels) : nothing} ${latest ? this.renderConnection(latest, locale, labels) : nothing}
      ${this.renderBalancer(locale, labels)}
    `;
  }

  private renderChart(chart: ChartSpec, history: StatsSnapshot['history'], locale: Locale, labels: Labels): unknown {
    const end = history.at(-1)?.timestamp ?? 0;
    const top = niceMax(Math.max(0, ...chart.series.flatMap((series) => valuesOf(history, series.pick))), chart.floor);
    const current = chart.series.map((series) => {
      const value = history.at(-1) ? series.pick(history.at(-1)!) : undefined;
      const name = series.id === 'sent' ? labels.seriesSent : labels.seriesReceived;
      return html`<span part="chart-value" class="value" data-series=${series.id}
        >${chart.series.length > 1 ? html`<span part="chart-key" class="key" aria-hidden="true"></span>${name} ` : nothing}${formatValue(
          chart.metric,
          value,
          locale,
          labels,
        )}</span
      >`;
    });
    return html`
      <figure part="chart" class="chart" data-metric=${chart.metric}>
        <figcaption part="chart-label" class="label"><span part="chart-title" class="title">${chartTitle(chart.metric, labels)}</span> ${current}</figcaption>
        <svg
          part="chart-plot"
          class="plot"
          viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}"
          preserveAspectRatio="none"
          role="img"
          aria-label=${chartSummary(chart, history, locale, labels)}
        >
          ${svg`<line part="chart-grid" class="grid" vector-effect="non-scaling-stroke" x1="0" y1=${CHART_HEIGHT / 2} x2=${CHART_WIDTH} y2=${CHART_HEIGHT / 2}></line>`}
          ${chart.series.map(
            (series) => svg`<path part=${`series-${series.id}`} class="series" vector-effect="non-scaling-stroke" data-series=${series.id} d=${seriesPath(history, series.pick, end, top) || 'M0 0'}></path>`,
          )}
        </svg>
        <span part="chart-scale" class="scale" aria-hidden="true">${formatValue(chart.metric, top, locale, labels)}</span>
      </figure>
    `;
  }

  private renderStreams(stats: CallStats, locale: Locale, labels: Labels): unknown {
    const seen = new Map<string, number>();
    const rows = stats.streams.map((stream) => {
      const key = `${stream.direction}-${stream.kind}`;
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      const video = stream.kind === 'video';
      return html`<tr part="stream-row" data-direction=${stream.direction} data-kind=${stream.kind}>
        <th scope="row">${streamName(labels, stream, index)}</th>
        <td>${codecName(stream.codec)}</td>
        <td>${video && stream.width !== undefined && stream.height !== undefined ? `${stream.width}×${stream.height}` : '—'}</td>
        <td>${video ? formatValue('fps', stream.framesPerSecond, locale, labels) : '—'}</td>
        <td>${formatValue('bitrate', stream.bitrate, locale, labels)}</td>
      </tr>`;
    });
    return html`<table part="streams" class="streams">
      <caption part="streams-caption">
        ${labels.streams}
      </caption>
      <thead>
        <tr>
          <th scope="col">${labels.streamColumn}</th>
          <th scope="col">${labels.codecColumn}</th>
          <th scope="col">${labels.resolutionColumn}</th>
          <th scope="col">${labels.frameRateColumn}</th>
          <th scope="col">${labels.bitrateColumn}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
  }

  private renderConnection(stats: CallStats, locale: Locale, labels: Labels): unknown {
    const pair = stats.candidatePair;
    if (!pair) return nothing;
    const route = `${pair.localCandidateType ?? '?'} ↔ ${pair.remoteCandidateType ?? '?'}${pair.protocol ? `, ${pair.protocol.toUpperCase()}` : ''}`;
    return html`<p part="connection" class="connection">
      ${labels.connection}: ${route}, ${labels.roundTripTimeShort} ${formatValue('rtt', pair.roundTripTimeMs, locale, labels)}
    </p>`;
  }

  private renderBalancer(locale: Locale, labels: Labels): unknown {
    const balancer = this.balancerState.value;
    if (!balancer || balancer.state !== 'active') return nothing;
    if (balancer.skipped === 'ignored-codec') {
      return html`<p part="balancer" class="balancer">${fill(labels.balancerIgnored, { codec: codecName(balancer.codec) })}</p>`;
    }
    const parameters = balancer.parameters;
    if (!parameters) return nothing;
    const values = {
      bitrate: formatValue('bitrate', parameters.maxBitrate, locale, labels),
      scale: formatNumber(locale, parameters.scaleResolutionDownBy, 2),
      resolution: balancer.maxResolution ? `${balancer.maxResolution.width}×${balancer.maxResolution.height}` : '',
    };
    const template =
      balancer.command === 'PAUSEMAINCAM'
        ? labels.balancerPaused
        : balancer.command === 'MAXMAINCAMRESOLUTION' && balancer.maxResolution
          ? labels.balancerLimited
          : labels.balancerFull;
    return html`<p part="balancer" class="balancer">${fill(template, values)}</p>`;
  }
}
