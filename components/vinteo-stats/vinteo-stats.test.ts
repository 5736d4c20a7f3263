import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './vinteo-stats.js';
import '../vinteo-call/vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoStats } from './VinteoStats.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import type { VinteoCall } from '../vinteo-call/VinteoCall.js';
import { fakeTransport, syntheticMedia, type FakeSession } from '../../test/helpers/fake-transport.js';
import type { VinteoBalancerUpdateEvent, VinteoStatsEvent } from '../shared/events.js';
import { CHART_WINDOW_MS, chartSummary, CHARTS, formatValue, niceMax, seriesPath } from './charts.js';
import { labelsFor } from '../shared/i18n.js';
import type { StatsSample } from '../../src/stats/types.js';
import { GOOD, installStats, type Scenario } from '../../test/helpers/fake-stats.js';
import { part } from '../../test/helpers/dom.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

const parts = (el: Element, name: string): Element[] => [...el.shadowRoot!.querySelectorAll(`[part~="${name}"]`)];
const badgeText = (el: Element): string => part(el, 'badge')!.textContent!.replace(/\s+/g, ' ').trim();
const chart = (el: Element, metric: string): Element => el.shadowRoot!.querySelector(`[part~="chart"][data-metric="${metric}"]`)!;

interface Setup {
  session: VinteoSession;
  call: VinteoCall;
  stats: VinteoStats;
  fake: FakeSession;
  scenario: Scenario;
}

/**
 * A session (stats collected only when the test asks: a long `stats-interval`) holding a call and a
 * `<vinteo-stats>`, joined into a fake conference whose peer connection reports `scenario`.
 */
async function inCall(options: { lang?: string; compact?: boolean; balancerDelay?: number } = {}): Promise<Setup> {
  const transport = fakeTransport();
  const clientOptions = { userAgentFactory: transport.factory, mediaProvider: syntheticMedia };
  const holder = await fixture<HTMLDivElement>(html`
    <div lang=${options.lang ?? 'en'}>
      <vinteo-session
        ws-url=${WS}
        stats-interval="600000"
        balancer-delay=${options.balancerDelay ?? 600_000}
        .clientOptions=${clientOptions}
      >
        <vinteo-call conference="1000"></vinteo-call>
        <vinteo-stats ?compact=${options.compact ?? false}></vinteo-stats>
      </vinteo-session>
    </div>
  `);
  const session = holder.querySelector('vinteo-session')!;
  const call = holder.querySelector('vinteo-call')!;
  const stats = holder.querySelector('vinteo-stats')!;
  await call.join();
  const fake = transport.agents[0]!.sessions[0]!;
  const scenario = { ...GOOD };
  installStats(fake, scenario);
  // The service's own first collection, right after the call is established.
  await waitUntil(() => session.client.getSnapshot().stats.latest !== undefined, 'no first collection');
  return { session, call, stats, fake, scenario };
}

/** Collects `n` times (the first one is the baseline for bitrates) and waits for the render. */
async function collect(setup: Setup, n = 1): Promise<void> {
  for (let i = 0; i < n; i += 1) await setup.session.client.collectStats();
  await setup.stats.updateComplete;
}

describe('<vinteo-stats>', () => {
  it('outside a call: the badge says why there is nothing, charts say "no data", and it passes an audit', async () => {
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${WS} .clientOptions=${{ userAgentFactory: fakeTransport().factory }}><vinteo-stats></vinteo-stats></vinteo-session>
    `);
    const el = session.querySelector('vinteo-stats')!;
    await el.updateComplete;
    expect(el.client).to.equal(session.client);
    expect(badgeText(el)).to.equal('No data Statistics appear during a call.');
    expect(part(el, 'badge')!.getAttribute('role')).to.equal('status');
    expect(part(el, 'base')!.getAttribute('aria-label')).to.equal('Call quality');
    expect(el.hasAttribute('quality')).to.equal(false);
    expect(parts(el, 'chart')).to.have.length(5);
    const plot = chart(el, 'bitrate').querySelector('[part~="chart-plot"]')!;
    expect(plot.getAttribute('role')).to.equal('img');
    expect(plot.getAttribute('aria-label')).to.equal('Bitrate, last 60 s: sent: no data; received: no data');
    expect(part(el, 'streams')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('without a session or for, says it is not linked', async () => {
    const el = await fixture<VinteoStats>(html`<vinteo-stats></vinteo-stats>`);
    expect(el.client).to.equal(undefined);
    expect(badgeText(el)).to.contain('Not linked to a call');
    await expect(el).to.be.accessible();
  });

  it('in a call: charts drawn from the history with text alternatives, per-stream table, connection, a good badge', async () => {
    const setup = await inCall();
    const { stats: el } = setup;
    await collect(setup, 4);
    expect(el.stats!.receiveBitrate).to.equal(440_000);
    expect(el.quality!.level).to.equal('good');
    expect(el.getAttribute('quality')).to.equal('good');
    expect(badgeText(el)).to.equal('Good no problems detected');

    for (const metric of ['bitrate', 'loss', 'jitter', 'rtt', 'fps']) {
      const figure = chart(el, metric);
      const plot = figure.querySelector('svg[part~="chart-plot"]')!;
      expect(plot.getAttribute('role'), metric).to.equal('img');
      expect(plot.getAttribute('aria-label'), metric).to.match(/last 60 s: .*now/);
      const paths = [...plot.querySelectorAll('path.series')];
      expect(paths.length, metric).to.be.greaterThan(0);
      // Three samples with a value (the first collection has no bitrate yet) or four.
      expect(paths.some((p) => (p.getAttribute('d')!.match(/L/g) ?? []).length >= 2), `${metric} line`).to.equal(true);
    }
    expect(chart(el, 'bitrate').querySelector('svg')!.getAttribute('aria-label')).to.equal(
      'Bitrate, last 60 s: sent now 440 kbit/s, min 440 kbit/s, max 440 kbit/s; received now 440 kbit/s, min 440 kbit/s, max 440 kbit/s',
    );
    expect(chart(el, 'rtt').querySelector('svg')!.getAttribute('aria-label')).to.equal('Round-trip time, last 60 s: now 20 ms, min 20 ms, max 20 ms');
    expect(chart(el, 'fps').querySelector('figcaption')!.textContent).to.contain('25 fps');

    const rows = [...part(el, 'streams')!.querySelectorAll('tbody tr')].map((row) =>
      [...row.children].map((cell) => cell.textContent!.trim()),
    );
    expect(rows).to.deep.equal([
      ['Received audio', 'opus', '—', '—', '40 kbit/s'],
      ['Received video', 'VP8', '640×480', '25 fps', '400 kbit/s'],
      ['Sent audio', 'opus', '—', '—', '40 kbit/s'],
      ['Sent video', 'VP8', '640×480', '25 fps', '400 kbit/s'],
    ]);
    expect(part(el, 'connection')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Connection: host ↔ relay, UDP, RTT 20 ms');
    await expect(el).to.be.accessible();
  });

  const levels: Array<{ name: string; scenario: Partial<Scenario>; level: string; text: string }> = [
    { name: '5 % loss is fair', scenario: { lossPercent: 5 }, level: 'fair', text: 'Fair packet loss in what is received' },
    { name: '40 ms jitter is fair', scenario: { jitterMs: 40 }, level: 'fair', text: 'Fair high jitter' },
    { name: 'an encoder limited by bandwidth is fair', scenario: { limitation: 'bandwidth' }, level: 'fair', text: 'Fair sending limited by bandwidth' },
    { name: '6 fps received is fair', scenario: { fps: 6 }, level: 'fair', text: 'Fair low received frame rate' },
    { name: 'a 600 ms round trip is poor', scenario: { rttMs: 600 }, level: 'poor', text: 'Poor long round-trip time' },
    {
      name: 'heavy loss and a long round trip: poor, both reasons',
      scenario: { lossPercent: 15, rttMs: 300 },
      level: 'poor',
      text: 'Poor packet loss in what is received, long round-trip time',
    },
    { name: 'nothing received is poor', scenario: { kbps: 0 }, level: 'poor', text: 'Poor nothing is received' },
  ];
  for (const { name, scenario, level, text } of levels) {
    it(`badge: ${name}`, async () => {
      const setup = await inCall();
      await collect(setup, 2);
      expect(setup.stats.getAttribute('quality')).to.equal('good');
      Object.assign(setup.scenario, scenario);
      await collect(setup);
      expect(setup.stats.getAttribute('quality')).to.equal(level);
      expect(part(setup.stats, 'badge')!.dataset['level']).to.equal(level);
      expect(badgeText(setup.stats)).to.equal(text);
    });
  }

  it('compact shows only the badge', async () => {
    const setup = await inCall({ compact: true });
    await collect(setup, 2);
    const el = setup.stats;
    expect(el.compact).to.equal(true);
    expect(badgeText(el)).to.equal('Good no problems detected');
    expect(parts(el, 'chart')).to.deep.equal([]);
    expect(part(el, 'streams')).to.equal(null);
    el.compact = false;
    await el.updateComplete;
    expect(parts(el, 'chart')).to.have.length(5);
    el.compact = true;
    await el.updateComplete;
    expect(parts(el, 'chart')).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('for="id" attaches it to a stand-alone <vinteo-call>', async () => {
    const transport = fakeTransport();
    const holder = await fixture<HTMLDivElement>(html`
      <div>
        <vinteo-stats for="stand-alone"></vinteo-stats>
        <vinteo-call
          id="stand-alone"
          ws-url=${WS}
          conference="1000"
          stats-interval="600000"
          .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}
        ></vinteo-call>
      </div>
    `);
    const call = holder.querySelector('vinteo-call')!;
    const el = holder.querySelector('vinteo-stats')!;
    await waitUntil(() => el.client !== undefined, 'never linked');
    expect(el.client).to.equal(call.client);
    await call.join();
    installStats(transport.agents[0]!.sessions[0]!, { ...GOOD });
    await call.client!.collectStats();
    await call.client!.collectStats();
    await el.updateComplete;
    expect(el.getAttribute('quality')).to.equal('good');
    expect(part(el, 'streams')).not.to.equal(null);
    await call.leave();
    await el.updateComplete;
    expect(el.hasAttribute('quality')).to.equal(false);
    expect(badgeText(el)).to.contain('Statistics appear during a call');
  });

  it('Russian labels from lang', async () => {
    const setup = await inCall({ lang: 'ru' });
    await collect(setup, 3);
    const el = setup.stats;
    expect(badgeText(el)).to.equal('Хорошее проблем не обнаружено');
    expect(part(el, 'base')!.getAttribute('aria-label')).to.equal('Качество связи');
    expect(chart(el, 'bitrate').querySelector('svg')!.getAttribute('aria-label')).to.match(
      /^Битрейт, за последние 60 с: передача сейчас 440 кбит\/с, минимум 440 кбит\/с, максимум 440 кбит\/с; приём сейчас/,
    );
    expect(chart(el, 'loss').querySelector('figcaption')!.textContent).to.contain('Потери пакетов');
    expect(part(el, 'streams')!.querySelector('caption')!.textContent!.trim()).to.equal('Потоки');
    expect([...part(el, 'streams')!.querySelectorAll('tbody th')].map((th) => th.textContent!.trim())).to.deep.equal([
      'Входящий звук',
      'Входящее видео',
      'Исходящий звук',
      'Исходящее видео',
    ]);
    Object.assign(setup.scenario, { lossPercent: 20 });
    await collect(setup);
    expect(badgeText(el)).to.equal('Плохое потери пакетов при приёме');
    await expect(el).to.be.accessible();
  });

  it('re-renders once per collection, not in between', async () => {
    const setup = await inCall();
    const el = setup.stats;
    await collect(setup);
    let renders = 0;
    const render = el['render'].bind(el);
    Object.assign(el, {
      render: () => {
        renders += 1;
        return render();
      },
    });
    await collect(setup);
    expect(renders).to.equal(1);
    await collect(setup, 3);
    expect(renders).to.equal(4);
  });

  it('vinteo-stats: typed detail, at most one a second, the latest stats win', async () => {
    const setup = await inCall();
    const fired: Array<VinteoStatsEvent['detail']> = [];
    const times: number[] = [];
    setup.session.addEventListener('vinteo-stats', (event: VinteoStatsEvent) => {
      fired.push(event.detail);
      times.push(performance.now());
    });
    // Four collections within a few milliseconds: at most one event now and one a second later.
    await collect(setup, 4);
    const latest = setup.session.client.getSnapshot().stats.latest;
    await waitUntil(() => fired.at(-1)?.stats === latest, 'the latest stats never fired', { timeout: 3000 });
    expect(fired.length).to.be.within(1, 2);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).to.be.at.least(990);
    const last = fired.at(-1)!;
    expect(last.quality.level).to.equal('good');
    expect(last.stats.receiveBitrate).to.equal(440_000);
    expect(Object.isFrozen(last)).to.equal(true);
  });

  it('vinteo-balancer-update carries the parameters set on the camera; the panel says what the balancer did', async () => {
    const setup = await inCall({ balancerDelay: 0 });
    const camera = setup.session.client.getSnapshot().call.localStream!.getVideoTracks()[0]!;
    let encoding: RTCRtpEncodingParameters = { active: true };
    const sender = {
      track: camera,
      getParameters: () => ({ transactionId: 't', encodings: [{ ...encoding }], codecs: [{ mimeType: 'video/VP8' }] }),
      setParameters: (parameters: { encodings: RTCRtpEncodingParameters[] }) => {
        encoding = { ...parameters.encodings[0]! };
        return Promise.resolve();
      },
      getStats: () => Promise.resolve(new Map()),
    };
    Object.assign(setup.fake.connection, { getSenders: () => [sender] });
    const updates: Array<VinteoBalancerUpdateEvent['detail']> = [];
    setup.session.addEventListener('vinteo-balancer-update', (event: VinteoBalancerUpdateEvent) => updates.push(event.detail));
    await waitUntil(() => setup.session.client.getSnapshot().balancer.state === 'active', 'the balancer never started');
    setup.fake.receiveInfo('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'PAUSEMAINCAM' });
    // The start (or a first look at the sender) may come first: wait for the command's.
    await waitUntil(() => updates.some((u) => u.command === 'PAUSEMAINCAM'), 'no update for PAUSEMAINCAM');
    const { width, height } = camera.getSettings();
    expect(updates.find((u) => u.command === 'PAUSEMAINCAM')).to.deep.equal({
      command: 'PAUSEMAINCAM',
      trigger: 'command',
      scaleResolutionDownBy: 200,
      maxBitrate: 60_000,
      codec: 'video/VP8',
      ...(width === undefined ? {} : { trackWidth: width }),
      ...(height === undefined ? {} : { trackHeight: height }),
    });
    expect(encoding.scaleResolutionDownBy).to.equal(200);
    await setup.stats.updateComplete;
    expect(part(setup.stats, 'balancer')!.textContent).to.contain('The server paused the camera: scaled down 200×, up to 60 kbit/s.');
  });
});

describe('<vinteo-stats> chart helpers', () => {
  const labels = labelsFor('en');
  const sample = (t: number, sendBitrate?: number): StatsSample => ({
    timestamp: t,
    sendBitrate,
    receiveBitrate: undefined,
    sendLossPercent: undefined,
    receiveLossPercent: undefined,
    jitterMs: undefined,
    roundTripTimeMs: undefined,
    sendFramesPerSecond: undefined,
    receiveFramesPerSecond: undefined,
  });

  it('places samples on the 60 s window and breaks the line at gaps', () => {
    const end = 100_000;
    const samples = [sample(end - 70_000, 1), sample(end - 60_000, 0), sample(end - 30_000, 50), sample(end - 20_000), sample(end, 100)];
    expect(seriesPath(samples, (s) => s.sendBitrate, end, 100)).to.equal('M0.0 60.0L150.0 30.0M300.0 0.0');
    expect(seriesPath([], (s) => s.sendBitrate, end, 100)).to.equal('');
    // Values above the top are clipped, negative ones sit on the axis.
    expect(seriesPath([sample(end, 500), sample(end, -5)], (s) => s.sendBitrate, end, 100)).to.equal('M300.0 0.0L300.0 60.0');
    expect(CHART_WINDOW_MS).to.equal(60_000);
  });

  const tops: Array<[number, number, number]> = [
    [0, 100_000, 100_000],
    [123_000, 100_000, 200_000],
    [440_000, 100_000, 500_000],
    [1_000_000, 100_000, 1_000_000],
    [1_000_001, 100_000, 2_000_000],
    [3, 5, 5],
    [7, 5, 10],
    [Number.NaN, 30, 30],
  ];
  for (const [value, floor, top] of tops) {
    it(`the y scale for ${value} (floor ${floor}) tops at ${top}`, () => expect(niceMax(value, floor)).to.equal(top));
  }

  it('formats values with units in English and Russian', () => {
    expect(formatValue('bitrate', 1_234_567, 'en', labels)).to.equal('1.23 Mbit/s');
    expect(formatValue('bitrate', 1_234_567, 'ru', labelsFor('ru'))).to.equal('1,23 Мбит/с');
    expect(formatValue('bitrate', 440_000, 'en', labels)).to.equal('440 kbit/s');
    expect(formatValue('bitrate', 999, 'en', labels)).to.equal('999 bit/s');
    expect(formatValue('loss', 2.345, 'en', labels)).to.equal('2.3 %');
    expect(formatValue('rtt', 4.26, 'en', labels)).to.equal('4.3 ms');
    expect(formatValue('jitter', 40.4, 'en', labels)).to.equal('40 ms');
    expect(formatValue('fps', 24.6, 'ru', labelsFor('ru'))).to.equal('25 кадр/с');
    expect(formatValue('fps', undefined, 'en', labels)).to.equal('—');
  });

  it('summaries name the series only when there are two', () => {
    const samples = [sample(1000, 100), sample(2000, 300)];
    expect(chartSummary(CHARTS[0]!, samples, 'en', labels)).to.equal(
      'Bitrate, last 60 s: sent now 300 bit/s, min 100 bit/s, max 300 bit/s; received: no data',
    );
    const rtt = CHARTS.find((c) => c.metric === 'rtt')!;
    expect(chartSummary(rtt, samples, 'en', labels)).to.equal('Round-trip time, last 60 s: no data');
  });
});
