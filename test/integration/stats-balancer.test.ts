// Integration: call stats, <vinteo-stats> and the video sending balancer with real JsSIP and WebRTC
// (Chromium's fake camera: 640x480) against vinteo-dev-server; both sides checked.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import type { VinteoStats } from '../../components/vinteo-stats/VinteoStats.js';
import type { VinteoClient } from '../../src/client.js';
import { control, serverCalls, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { reach, useIntegrationEnv } from '../helpers/integration.js';
import { decideStatsInfo } from '../../src/stats/info-policy.js';
import { openInFirefox } from '../helpers/browser.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The RTP sender of the local camera track (never a presentation's). */
function cameraSender(client: VinteoClient): RTCRtpSender {
  const camera = client.getSnapshot().call.localStream?.getVideoTracks()[0];
  const sender = client.peerConnection?.getSenders().find((s) => s.track !== null && s.track === camera);
  if (!sender) throw new Error('no camera sender');
  return sender;
}

const encoding = (client: VinteoClient): RTCRtpEncodingParameters => cameraSender(client).getParameters().encodings[0] ?? {};

/** Video payload bytes per second the server received from the call, from two samples `windowMs` apart. */
async function serverVideoByteRate(id: string, windowMs = 2000): Promise<number> {
  const bytes = async (): Promise<{ bytes: number; at: number }> => {
    const call = (await serverCalls()).find((c) => c.id === id);
    if (!call) throw new Error(`call ${id} is gone from the server`);
    return { bytes: call.media.find((m) => m.kind === 'video')!.bytesReceived, at: performance.now() };
  };
  const first = await bytes();
  await sleep(windowMs);
  const second = await bytes();
  return ((second.bytes - first.bytes) * 1000) / (second.at - first.at);
}

/** Waits until the server's video byte rate satisfies `predicate`; returns the last rate measured. */
async function waitForRate(id: string, predicate: (rate: number) => boolean, message: string, timeout = 30_000): Promise<number> {
  let rate = Number.NaN;
  try {
    await waitUntil(
      async () => {
        rate = await serverVideoByteRate(id);
        return predicate(rate);
      },
      message,
      { timeout, interval: 100 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} (last rate ${Math.round(rate)} B/s)`);
  }
  return rate;
}

const command = (call: ServerCall, body: Record<string, unknown>) => control<{ status: number }>(`/api/calls/${call.id}/command`, body);

describe('integration: stats and the video sending balancer on vinteo-dev-server', function () {
  this.timeout(120_000);
  const env = useIntegrationEnv();

  /** A session (with the given call-setting attributes) holding a call and a <vinteo-stats>, in a confirmed call. */
  async function joined(settings: string, beforeJoin?: (client: VinteoClient) => void) {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}" ${settings}>
      <vinteo-call conference="${conference}" preferred-codecs="video/VP8"></vinteo-call>
      <vinteo-stats></vinteo-stats>
    </vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    const el = holder.querySelector<VinteoCall>('vinteo-call')!;
    const stats = holder.querySelector<VinteoStats>('vinteo-stats')!;
    beforeJoin?.(session.client);
    await el.join();
    await reach(el, 'in-call');
    const call = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not confirmed on the server');
    return { session, el, stats, call, client: session.client };
  }

  it('<vinteo-stats> shows non-zero send and receive bitrate and a badge within seconds; the stats INFO follows the browser estimate', async () => {
    // Every sample's candidate-pair estimate, in order, from the call's first collection on.
    const estimates: Array<number | undefined> = [];
    const { stats, call, client } = await joined('balancer-delay="0"', (client) =>
      client.on('stats:collected', ({ stats }) => estimates.push(stats.candidatePair?.availableIncomingBitrate)),
    );
    // Two collections with bitrates (the first has none: it is the baseline) draw a line.
    await waitUntil(
      () => client.getSnapshot().stats.history.filter((s) => (s.sendBitrate ?? 0) > 0 && (s.receiveBitrate ?? 0) > 0).length >= 2,
      'no send and receive bitrates',
      { timeout: 10_000 },
    );
    expect(stats.stats!.sendBitrate).to.be.greaterThan(0);
    expect(stats.stats!.receiveBitrate).to.be.greaterThan(0);
    await stats.updateComplete;
    expect(stats.getAttribute('quality')).to.be.oneOf(['good', 'fair', 'poor']);
    const badge = stats.shadowRoot!.querySelector('[part~="badge-level"]')!.textContent!.trim();
    expect(badge).to.be.oneOf(['Good', 'Fair', 'Poor']);
    const rows = [...stats.shadowRoot!.querySelectorAll('[part~="streams"] tbody tr')];
    const bitrateOf = (direction: string, kind: string): string =>
      rows.find((r) => r.getAttribute('data-direction') === direction && r.getAttribute('data-kind') === kind)!.lastElementChild!.textContent!.trim();
    for (const [direction, kind] of [
      ['outbound', 'video'],
      ['inbound', 'video'],
      ['outbound', 'audio'],
      ['inbound', 'audio'],
    ]) {
      expect(bitrateOf(direction!, kind!), `${direction} ${kind}`).to.match(/^[1-9][\d.,]* (kbit|Mbit|bit)\/s$/);
    }
    const paths = [...stats.shadowRoot!.querySelectorAll('[data-metric="bitrate"] path.series')].map((p) => p.getAttribute('d'));
    expect(paths.every((d) => d !== null && d.includes('L'))).to.equal(true);
    expect(client.getSnapshot().stats.latest!.outbound.video!.codec).to.equal('video/VP8');

    // What went to the server is exactly what §9 asks of these samples: the first value never, then each
    // value 25 % away from the sample before it (or up from 0); never a received bitrate instead.
    await waitUntil(() => estimates.length >= 8, 'fewer than 8 stats samples', { timeout: 15_000 });
    let history: number | undefined;
    const expected: number[] = [];
    for (const value of estimates.slice()) {
      const decision = decideStatsInfo(history, value);
      history = decision.history;
      if (decision.send !== undefined) expected.push(Math.round(decision.send));
    }
    const statsInfos = (c: ServerCall) => c.infoReceived.filter((i) => i.contentType === 'application/vinteo.webrtc.stats');
    const received = await waitForServerCall((c) => c.id === call.id && statsInfos(c).length >= expected.length, 'the stats INFOs did not reach the server');
    const values = statsInfos(received).map((i) => lower(i.headers)['x-webrtc-available-incoming-bitrate']);
    expect(values.slice(0, expected.length)).to.deep.equal(expected.map(String));
  });

  it('PAUSEMAINCAM: scaleResolutionDownBy 200 and an order of magnitude less video at the server; RESUMEMAINCAM restores it', async function () {
    openInFirefox(this, "Firefox's fake camera starts at 320 px and reaches about 45 kB/s only after some 20 s, near the 45 kB/s this test first waits for: too close to pass every time");
    const { call, client } = await joined('balancer-delay="0"');
    await waitUntil(() => client.getSnapshot().balancer.parameters !== undefined, 'the balancer never balanced', { timeout: 10_000 });
    expect(encoding(client).scaleResolutionDownBy).to.equal(1);
    expect(encoding(client).maxBitrate).to.equal(500_000);
    // A ramped-up stream first (Chromium starts around 300 kbit/s).
    const before = await waitForRate(call.id, (rate) => rate > 45_000, 'the video never reached 360 kbit/s', 40_000);

    expect((await command(call, { command: 'pause-camera' })).status).to.equal(200);
    await waitUntil(() => encoding(client).scaleResolutionDownBy === 200, 'scaleResolutionDownBy is not 200', { timeout: 15_000 });
    expect(encoding(client).maxBitrate).to.equal(60_000);
    expect(client.getSnapshot().balancer.command).to.equal('PAUSEMAINCAM');
    const paused = await waitForRate(call.id, (rate) => rate * 10 < before, `the video did not drop tenfold from ${Math.round(before)} B/s`);
    await waitUntil(() => (client.getSnapshot().stats.latest?.outbound.video?.width ?? 640) < 64, 'the sent frames stayed large', { timeout: 15_000 });

    expect((await command(call, { command: 'resume-camera' })).status).to.equal(200);
    await waitUntil(() => encoding(client).scaleResolutionDownBy === 1, 'scaleResolutionDownBy was not restored', { timeout: 15_000 });
    expect(encoding(client).maxBitrate).to.equal(500_000);
    await waitForRate(call.id, (rate) => rate > paused * 5, `the video did not come back from ${Math.round(paused)} B/s`);
    await waitUntil(() => client.getSnapshot().stats.latest?.outbound.video?.width === 640, 'the sent frames did not come back to 640', { timeout: 15_000 });
  });

  it('MAXMAINCAMRESOLUTION 320x180: fits 640x480 into it and caps at the table bitrate for 320 px (320 kbit/s)', async () => {
    const { call, client, stats } = await joined('balancer-delay="0"');
    await waitUntil(() => client.getSnapshot().balancer.state === 'active', 'the balancer never started', { timeout: 10_000 });
    const updates: Array<{ command?: string; maxBitrate: number }> = [];
    stats.addEventListener('vinteo-balancer-update', (event) => updates.push(event.detail));
    expect((await command(call, { command: 'max-resolution', resolution: '320x180' })).status).to.equal(200);
    await waitUntil(() => encoding(client).maxBitrate === 320_000, 'maxBitrate is not 320000', { timeout: 15_000 });
    expect(encoding(client).scaleResolutionDownBy).to.be.closeTo(480 / 180, 1e-6);
    expect(client.getSnapshot().balancer.maxResolution).to.deep.equal({ width: 320, height: 180 });
    await waitUntil(() => updates.some((u) => u.command === 'MAXMAINCAMRESOLUTION' && u.maxBitrate === 320_000), 'no vinteo-balancer-update', { timeout: 15_000 });
    await waitUntil(() => {
      const sent = client.getSnapshot().stats.latest?.outbound.video;
      return sent?.width !== undefined && sent.width <= 320 && (sent.height ?? 480) <= 180;
    }, 'the sent frames do not fit 320x180', { timeout: 15_000 });
  });

  it('a command before the start delay is remembered and applied when the balancer starts', async () => {
    const { call, client } = await joined('balancer-delay="4000"');
    expect(client.getSnapshot().balancer.state).to.equal('waiting');
    expect((await command(call, { command: 'pause-camera' })).status).to.equal(200);
    await waitUntil(() => client.getSnapshot().balancer.command === 'PAUSEMAINCAM', 'the command was not remembered', { timeout: 15_000 });
    if (client.getSnapshot().balancer.state === 'waiting') expect(encoding(client).scaleResolutionDownBy ?? 1).to.equal(1);
    await waitUntil(() => encoding(client).scaleResolutionDownBy === 200, 'the remembered PAUSE was not applied on start', { timeout: 15_000 });
    expect(client.getSnapshot().balancer.state).to.equal('active');
  });

  it('balancer="off" leaves the camera alone', async () => {
    const { call, client } = await joined('balancer="off" balancer-delay="0"');
    expect(client.getSnapshot().balancer.state).to.equal('off');
    let received = false;
    client.on('conference:info', (info) => {
      if (info.type === 'main-cam') received = true;
    });
    expect((await command(call, { command: 'pause-camera' })).status).to.equal(200);
    await waitUntil(() => received, 'the maincam INFO never arrived', { timeout: 15_000 });
    expect(client.getSnapshot().balancer.command).to.equal(undefined);
    expect(encoding(client).scaleResolutionDownBy ?? 1).to.equal(1);
    expect(encoding(client).maxBitrate).to.equal(undefined);
  });
});
