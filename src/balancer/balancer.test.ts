import { expect, waitUntil } from '@open-wc/testing';
import { AV1_FACTOR, BITRATE_TABLE, isAv1, isIgnoredCodec, maxBitrateForWidth, TOP_BITRATE } from './bitrate.js';
import { balancerParameters, fitScale, PAUSE_SCALE } from './parameters.js';
import { BalancerService, nextPollInterval, TRACK_POLL_MAX_MS, TRACK_POLL_MIN_MS } from './BalancerService.js';
import { resolveCallSettings, type CallSettings } from '../stats/settings.js';
import type { BalancerCommand, MainCamInfo, Resolution } from '../protocol/info.js';
import { makeClient } from '../../test/helpers/fake-client.js';
import { logger } from '../logger.js';
import type { BalancerEvents, BalancerSnapshot } from './types.js';

describe('balancer: bitrate table', () => {
  // Every row boundary: its own width gets its bitrate, one pixel more gets the next row's.
  const rows = BITRATE_TABLE.map((row, index) => ({ ...row, next: BITRATE_TABLE[index + 1]?.bitrate ?? TOP_BITRATE }));
  for (const { maxWidth, bitrate, next } of rows) {
    it(`≤${maxWidth} px → ${bitrate} bps, ${maxWidth + 1} px → ${next} bps`, () => {
      expect(maxBitrateForWidth(maxWidth)).to.equal(bitrate);
      expect(maxBitrateForWidth(maxWidth - 0.5)).to.equal(bitrate);
      expect(maxBitrateForWidth(maxWidth + 1)).to.equal(next);
      expect(maxBitrateForWidth(maxWidth, 'video/AV1')).to.equal(Math.round(bitrate * AV1_FACTOR));
      expect(maxBitrateForWidth(maxWidth, 'video/VP8')).to.equal(bitrate);
      expect(maxBitrateForWidth(maxWidth, 'video/H264')).to.equal(bitrate);
    });
  }

  const table: Array<[width: number | undefined, codec: string | undefined, bitrate: number]> = [
    [0, undefined, 60_000],
    [-5, undefined, 60_000],
    [1, 'video/VP9', 60_000],
    [3.2, 'video/VP8', 60_000],
    [320, 'video/VP8', 320_000],
    [640, 'video/VP8', 500_000],
    [1280, 'video/VP8', 1_000_000],
    [1920, 'video/VP8', 2_000_000],
    [1921, 'video/VP8', 4_000_000],
    [3840, 'video/AV1', 2_400_000],
    [undefined, 'video/VP8', 4_000_000],
    [undefined, 'video/AV1', 2_400_000],
    [Number.NaN, undefined, 4_000_000],
    [Number.POSITIVE_INFINITY, undefined, 4_000_000],
    [320, 'AV1', 192_000],
    [64, 'video/av1', 36_000],
  ];
  for (const [width, codec, bitrate] of table) {
    it(`${width} px, ${codec ?? 'unknown codec'} → ${bitrate} bps`, () => {
      expect(maxBitrateForWidth(width, codec)).to.equal(bitrate);
    });
  }

  const av1: Array<[string | undefined, boolean]> = [
    ['video/AV1', true],
    ['AV1', true],
    ['video/av1', true],
    ['video/VP8', false],
    ['video/VP9', false],
    ['', false],
    [undefined, false],
  ];
  for (const [codec, expected] of av1) {
    it(`isAv1(${String(codec)}) is ${expected}`, () => expect(isAv1(codec)).to.equal(expected));
  }

  const ignored: Array<[codec: string | undefined, ignore: string, expected: boolean]> = [
    ['video/H264', 'h264', true],
    ['video/h264', 'H264', true],
    ['H264', 'video/h264', true],
    ['video/VP8', 'h264', false],
    ['video/AV1', 'h264', false],
    ['video/VP9', 'vp9', true],
    ['video/H264', '', false],
    [undefined, 'h264', false],
    ['', 'h264', false],
  ];
  for (const [codec, ignore, expected] of ignored) {
    it(`codec ${String(codec)} with "${ignore}" ignored: ${expected}`, () => expect(isIgnoredCodec(codec, ignore)).to.equal(expected));
  }
});

describe('balancer: resolution scaling', () => {
  const fits: Array<[track: { width?: number; height?: number }, target: Resolution, scale: number]> = [
    [{ width: 640, height: 480 }, { width: 320, height: 240 }, 2],
    [{ width: 640, height: 480 }, { width: 320, height: 180 }, 480 / 180],
    [{ width: 1280, height: 720 }, { width: 320, height: 180 }, 4],
    [{ width: 1280, height: 720 }, { width: 640, height: 640 }, 2],
    [{ width: 480, height: 640 }, { width: 320, height: 180 }, 640 / 180],
    [{ width: 640, height: 480 }, { width: 1920, height: 1080 }, 1],
    [{ width: 640, height: 480 }, { width: 640, height: 480 }, 1],
    [{}, { width: 320, height: 180 }, 1],
    [{ width: 1280 }, { width: 320, height: 180 }, 4],
    [{ width: 0, height: 0 }, { width: 320, height: 180 }, 1],
  ];
  for (const [track, target, scale] of fits) {
    it(`${track.width ?? '?'}x${track.height ?? '?'} fits ${target.width}x${target.height} scaled down by ${scale.toFixed(3)}`, () => {
      expect(fitScale(track, target)).to.be.closeTo(scale, 1e-9);
    });
  }

  const vga = { width: 640, height: 480 };
  const hd = { width: 1280, height: 720 };
  const cases: Array<{
    name: string;
    command: BalancerCommand | undefined;
    track: { width?: number; height?: number };
    codec?: string;
    max?: Resolution;
    scale: number;
    bitrate: number;
  }> = [
    { name: 'no command yet: own resolution, table bitrate for 640', command: undefined, track: vga, scale: 1, bitrate: 500_000 },
    { name: 'RESUME: scale 1, table bitrate for 1280', command: 'RESUMEMAINCAM', track: hd, scale: 1, bitrate: 1_000_000 },
    { name: 'RESUME with AV1', command: 'RESUMEMAINCAM', track: hd, codec: 'video/AV1', scale: 1, bitrate: 600_000 },
    { name: 'PAUSE: scale 200, bitrate for 640/200 px', command: 'PAUSEMAINCAM', track: vga, scale: PAUSE_SCALE, bitrate: 60_000 },
    { name: 'PAUSE of 4K: bitrate for 3840/200 px', command: 'PAUSEMAINCAM', track: { width: 3840, height: 2160 }, scale: 200, bitrate: 60_000 },
    { name: 'PAUSE of a huge track: bitrate for 25600/200 = 128 px', command: 'PAUSEMAINCAM', track: { width: 25_600 }, scale: 200, bitrate: 120_000 },
    { name: 'PAUSE of an unknown size', command: 'PAUSEMAINCAM', track: {}, scale: 200, bitrate: 60_000 },
    { name: 'PAUSE with AV1', command: 'PAUSEMAINCAM', track: vga, codec: 'video/AV1', scale: 200, bitrate: 36_000 },
    {
      name: 'MAX 320x180 of 640x480: fit by height, bitrate for 320',
      command: 'MAXMAINCAMRESOLUTION',
      track: vga,
      max: { width: 320, height: 180 },
      scale: 480 / 180,
      bitrate: 320_000,
    },
    { name: 'MAX 320x180 of 1280x720', command: 'MAXMAINCAMRESOLUTION', track: hd, max: { width: 320, height: 180 }, scale: 4, bitrate: 320_000 },
    { name: 'MAX 640x360 of 1280x720', command: 'MAXMAINCAMRESOLUTION', track: hd, max: { width: 640, height: 360 }, scale: 2, bitrate: 500_000 },
    {
      name: 'MAX larger than the track: scale 1, bitrate for the track',
      command: 'MAXMAINCAMRESOLUTION',
      track: vga,
      max: { width: 1920, height: 1080 },
      scale: 1,
      bitrate: 500_000,
    },
    {
      name: 'MAX with an unknown track size: bitrate for the target',
      command: 'MAXMAINCAMRESOLUTION',
      track: {},
      max: { width: 848, height: 480 },
      scale: 1,
      bitrate: 700_000,
    },
    {
      name: 'MAX 320x180 with AV1',
      command: 'MAXMAINCAMRESOLUTION',
      track: hd,
      codec: 'video/AV1',
      max: { width: 320, height: 180 },
      scale: 4,
      bitrate: 192_000,
    },
  ];
  for (const { name, command, track, codec, max, scale, bitrate } of cases) {
    it(name, () => {
      const parameters = balancerParameters(command, track, codec, max);
      expect(parameters.scaleResolutionDownBy).to.be.closeTo(scale, 1e-9);
      expect(parameters.maxBitrate).to.equal(bitrate);
    });
  }
});

describe('balancer: track polling interval', () => {
  it('doubles from 1 s up to 16 s while nothing changes, and resets on a change', () => {
    const seen: number[] = [TRACK_POLL_MIN_MS];
    for (let i = 0; i < 6; i += 1) seen.push(nextPollInterval(seen.at(-1)!, false));
    expect(seen).to.deep.equal([1000, 2000, 4000, 8000, 16_000, 16_000, 16_000]);
    expect(nextPollInterval(TRACK_POLL_MAX_MS, true)).to.equal(TRACK_POLL_MIN_MS);
    expect(nextPollInterval(4000, true)).to.equal(1000);
  });
});

/** A camera (or screen) track stand-in with a size that tests change. */
function fakeTrack(id: string, width: number, height: number) {
  const track = { id, kind: 'video', size: { width, height }, getSettings: () => ({ ...track.size }) };
  return track;
}

/** An RTCRtpSender stand-in: records setParameters calls, can be slow, reports a codec. */
class FakeSender {
  parameters: { transactionId: string; encodings: RTCRtpEncodingParameters[]; codecs: Array<{ mimeType: string }> };
  readonly calls: RTCRtpEncodingParameters[][] = [];
  active = 0;
  maxActive = 0;
  delayMs = 0;
  failNext: Error | undefined;

  constructor(
    public track: ReturnType<typeof fakeTrack> | null,
    public codec = 'video/VP8',
  ) {
    this.parameters = { transactionId: '1', encodings: [{ active: true }], codecs: [{ mimeType: codec }] };
  }

  getParameters() {
    return structuredClone(this.parameters);
  }

  async setParameters(parameters: FakeSender['parameters']): Promise<void> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const failure = this.failNext;
      this.failNext = undefined;
      if (failure) throw failure;
      this.calls.push(parameters.encodings.map((e) => ({ ...e })));
      this.parameters = structuredClone(parameters);
    } finally {
      this.active -= 1;
    }
  }

  getStats() {
    return Promise.resolve(
      new Map<string, Record<string, unknown>>([
        ['OV', { id: 'OV', type: 'outbound-rtp', kind: 'video', codecId: 'C' }],
        ['C', { id: 'C', type: 'codec', mimeType: this.codec }],
      ]),
    );
  }

  get encoding(): RTCRtpEncodingParameters {
    return this.parameters.encodings[0]!;
  }
}

const mainCam = (command: MainCamInfo['command'], resolution?: Resolution): MainCamInfo => ({
  type: 'main-cam',
  command,
  forced: false,
  ...(resolution ? { resolution } : {}),
});

function balancer(settings: CallSettings = {}) {
  const camera = fakeTrack('camera', 640, 480);
  const screen = fakeTrack('screen', 1920, 1080);
  const cameraSender = new FakeSender(camera);
  const screenSender = new FakeSender(screen);
  const audioSender = { track: { id: 'mic', kind: 'audio' } };
  const peer = { senders: [audioSender, cameraSender, screenSender] as unknown[], getSenders: () => peer.senders };
  let cameraTrack: ReturnType<typeof fakeTrack> | undefined = camera;
  let snapshot: BalancerSnapshot | undefined;
  const events: Array<{ type: keyof BalancerEvents; payload: unknown }> = [];
  const service = new BalancerService({
    peerConnection: () => peer as unknown as RTCPeerConnection,
    cameraTrack: () => cameraTrack as unknown as MediaStreamTrack | undefined,
    settings: () => resolveCallSettings({ balancerDelayMs: 0, ...settings }),
    update: (next) => {
      snapshot = next;
    },
    emit: (type, payload) => events.push({ type, payload }),
  });
  return {
    service,
    camera,
    cameraSender,
    screenSender,
    peer,
    events,
    snapshot: () => snapshot!,
    setCamera: (track: ReturnType<typeof fakeTrack> | undefined) => {
      cameraTrack = track;
    },
    applied: () => events.filter((e) => e.type === 'balancer:applied').map((e) => e.payload as BalancerEvents['balancer:applied']),
  };
}

describe('BalancerService', () => {
  let level = logger.level;
  let active: BalancerService | undefined;
  beforeEach(() => {
    level = logger.level;
    logger.level = 'silent';
  });
  afterEach(() => {
    active?.dispose();
    active = undefined;
    logger.level = level;
  });
  const start = (settings: CallSettings = {}) => {
    const b = balancer(settings);
    active = b.service;
    return b;
  };

  it('waits for the start delay, then sets the track-resolution parameters on the camera sender only', async () => {
    const b = start({ balancerDelayMs: 30 });
    b.service.callStarted();
    expect(b.snapshot().state).to.equal('waiting');
    expect(b.cameraSender.calls).to.deep.equal([]);
    await waitUntil(() => b.snapshot().parameters !== undefined, 'never balanced');
    expect(b.snapshot().state).to.equal('active');
    expect(b.cameraSender.encoding.scaleResolutionDownBy).to.equal(1);
    expect(b.cameraSender.encoding.maxBitrate).to.equal(500_000);
    expect(b.cameraSender.encoding.active).to.equal(true);
    expect(b.screenSender.calls).to.deep.equal([]);
    expect(b.applied()[0]).to.deep.include({ trigger: 'start', command: undefined, codec: 'video/VP8', trackWidth: 640, trackHeight: 480 });
  });

  it('PAUSE → 200 and the minimum bitrate; RESUME → 1; MAX 320x180 → fit and 320 kbps', async () => {
    const b = start();
    b.service.callStarted();
    await waitUntil(() => b.snapshot().parameters !== undefined, 'never balanced');
    const steps: Array<[MainCamInfo, number, number]> = [
      [mainCam('PAUSEMAINCAM'), 200, 60_000],
      [mainCam('RESUMEMAINCAM'), 1, 500_000],
      [mainCam('MAXMAINCAMRESOLUTION', { width: 320, height: 180 }), 480 / 180, 320_000],
      [mainCam('RESUMEMAINCAM'), 1, 500_000],
    ];
    for (const [info, scale, bitrate] of steps) {
      b.service.handleCommand(info);
      await waitUntil(
        () => b.cameraSender.encoding.scaleResolutionDownBy === scale && b.cameraSender.encoding.maxBitrate === bitrate,
        `${info.command}: got ${JSON.stringify(b.cameraSender.encoding)}`,
      );
      expect(b.snapshot().command).to.equal(info.command);
      expect(b.snapshot().parameters).to.deep.equal({ scaleResolutionDownBy: scale, maxBitrate: bitrate });
    }
    expect(b.applied().map((a) => a.command)).to.deep.equal([undefined, 'PAUSEMAINCAM', 'RESUMEMAINCAM', 'MAXMAINCAMRESOLUTION', 'RESUMEMAINCAM']);
    expect(b.screenSender.calls).to.deep.equal([]);
  });

  it('moderator camera commands are not the balancer’s', async () => {
    const b = start();
    b.service.callStarted();
    await waitUntil(() => b.snapshot().parameters !== undefined, 'never balanced');
    const calls = b.cameraSender.calls.length;
    b.service.handleCommand(mainCam('ADMINSTOPMAINCAM'));
    b.service.handleCommand(mainCam('ADMINSTARTMAINCAM'));
    expect(b.snapshot().command).to.equal(undefined);
    expect(b.events.filter((e) => e.type === 'balancer:command')).to.deep.equal([]);
    expect(b.cameraSender.calls.length).to.equal(calls);
  });

  it('a command before the start delay is remembered and applied when the balancer starts', async () => {
    const b = start({ balancerDelayMs: 60_000 });
    b.service.callStarted();
    b.service.handleCommand(mainCam('MAXMAINCAMRESOLUTION', { width: 1000, height: 1000 }));
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    expect(b.events.filter((e) => e.type === 'balancer:command').map((e) => e.payload)).to.deep.equal([
      { command: 'MAXMAINCAMRESOLUTION', resolution: { width: 1000, height: 1000 }, deferred: true },
      { command: 'PAUSEMAINCAM', deferred: true },
    ]);
    expect(b.cameraSender.calls).to.deep.equal([]);
    b.service.callEnded();
    expect(b.snapshot().command).to.equal(undefined);

    const c = start({ balancerDelayMs: 20 });
    c.service.callStarted();
    c.service.handleCommand(mainCam('PAUSEMAINCAM'));
    expect(c.cameraSender.calls).to.deep.equal([]);
    await waitUntil(() => c.cameraSender.encoding.scaleResolutionDownBy === 200, 'the remembered PAUSE was not applied');
    expect(c.applied()).to.have.length(1);
    expect(c.applied()[0]).to.deep.include({ trigger: 'start', command: 'PAUSEMAINCAM' });
  });

  it('balancer off: nothing is set, commands are ignored', async () => {
    const b = start({ balancer: false });
    b.service.callStarted();
    expect(b.snapshot().state).to.equal('off');
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.cameraSender.calls).to.deep.equal([]);
    expect(b.snapshot().command).to.equal(undefined);
  });

  it('the ignored codec (H264 by default) is left alone; another ignored codec can be named', async () => {
    const b = start();
    b.cameraSender.codec = 'video/H264';
    b.service.callStarted();
    await waitUntil(() => b.snapshot().skipped === 'ignored-codec', 'H264 was not skipped');
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    await waitUntil(() => b.events.filter((e) => e.type === 'balancer:command').length === 1);
    expect(b.cameraSender.calls).to.deep.equal([]);
    expect(b.snapshot().codec).to.equal('video/H264');
    expect(b.events.find((e) => e.type === 'balancer:skipped')!.payload).to.deep.equal({ reason: 'ignored-codec', codec: 'video/H264' });

    const none = start({ balancerIgnoreCodec: 'none' });
    none.cameraSender.codec = 'video/H264';
    none.service.callStarted();
    await waitUntil(() => none.cameraSender.calls.length === 1, 'H264 was not balanced with ignore "none"');

    const vp8 = start({ balancerIgnoreCodec: 'VP8' });
    vp8.service.callStarted();
    await waitUntil(() => vp8.snapshot().skipped === 'ignored-codec', 'VP8 was not skipped');
    expect(vp8.cameraSender.calls).to.deep.equal([]);
  });

  it('AV1 gets 0.6 of the table', async () => {
    const b = start();
    b.cameraSender.codec = 'video/AV1';
    b.service.callStarted();
    await waitUntil(() => b.cameraSender.encoding.maxBitrate === 300_000, 'AV1 factor not applied');
  });

  it('serializes setParameters: overlapping commands never overlap calls, and the last command wins', async () => {
    const b = start();
    b.cameraSender.delayMs = 30;
    b.service.callStarted();
    await waitUntil(() => b.snapshot().parameters !== undefined, 'never balanced');
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    b.service.handleCommand(mainCam('RESUMEMAINCAM'));
    b.service.handleCommand(mainCam('MAXMAINCAMRESOLUTION', { width: 320, height: 240 }));
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    await waitUntil(() => b.snapshot().parameters?.scaleResolutionDownBy === 200 && b.cameraSender.active === 0, 'last command not applied');
    expect(b.cameraSender.maxActive).to.equal(1);
    expect(b.cameraSender.encoding.scaleResolutionDownBy).to.equal(200);
    // Commands queued behind a running setParameters are merged into one.
    expect(b.cameraSender.calls.length).to.be.at.most(3);
  });

  it('re-balances when the camera track is replaced (device switch), keeping the command', async () => {
    const b = start();
    b.service.callStarted();
    await waitUntil(() => b.snapshot().parameters !== undefined, 'never balanced');
    b.service.handleCommand(mainCam('MAXMAINCAMRESOLUTION', { width: 320, height: 180 }));
    await waitUntil(() => b.snapshot().command === 'MAXMAINCAMRESOLUTION' && b.cameraSender.encoding.maxBitrate === 320_000);
    const hd = fakeTrack('camera-2', 1280, 720);
    b.cameraSender.track = hd;
    b.setCamera(hd);
    b.service.trackChanged();
    await waitUntil(() => b.cameraSender.encoding.scaleResolutionDownBy === 4, 'not re-balanced for the new track');
    expect(b.applied().at(-1)).to.deep.include({ trigger: 'track-change', command: 'MAXMAINCAMRESOLUTION', trackWidth: 1280 });
  });

  it('polling notices a track whose size changed', async () => {
    const b = start();
    b.service.callStarted();
    await waitUntil(() => b.snapshot().parameters !== undefined, 'never balanced');
    b.camera.size = { width: 1280, height: 720 };
    await waitUntil(() => b.cameraSender.encoding.maxBitrate === 1_000_000, 'the size change was not noticed', { timeout: 5000 });
    expect(b.applied().at(-1)!.trigger).to.equal('track-change');
  });

  it('without a camera sender nothing is touched (a presentation sender alone is not the camera)', async () => {
    const b = start();
    b.peer.senders = [b.screenSender];
    b.service.callStarted();
    await waitUntil(() => b.snapshot().skipped === 'no-camera-sender', 'not skipped');
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    await waitUntil(() => b.snapshot().command === 'PAUSEMAINCAM');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.screenSender.calls).to.deep.equal([]);
  });

  it('a failing setParameters emits balancer:failed and the next command tries again', async () => {
    const b = start();
    b.cameraSender.failNext = new DOMException('stale transaction', 'InvalidModificationError');
    b.service.callStarted();
    await waitUntil(() => b.events.some((e) => e.type === 'balancer:failed'), 'no balancer:failed');
    const failed = b.events.find((e) => e.type === 'balancer:failed')!.payload as BalancerEvents['balancer:failed'];
    expect(failed.error.reason).to.equal('protocol-error');
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    await waitUntil(() => b.cameraSender.encoding.scaleResolutionDownBy === 200, 'the next command was not applied');
  });

  it('the call ending stops everything and forgets the command', async () => {
    const b = start();
    b.service.callStarted();
    await waitUntil(() => b.snapshot().parameters !== undefined);
    b.service.handleCommand(mainCam('PAUSEMAINCAM'));
    await waitUntil(() => b.snapshot().command === 'PAUSEMAINCAM');
    b.service.callEnded();
    expect(b.snapshot()).to.include({ state: 'idle', command: undefined, parameters: undefined });
    const calls = b.cameraSender.calls.length;
    b.service.handleCommand(mainCam('RESUMEMAINCAM'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.cameraSender.calls.length).to.equal(calls);
    expect(b.events.filter((e) => e.type === 'balancer:state').map((e) => (e.payload as { state: string }).state)).to.deep.equal([
      'waiting',
      'active',
      'idle',
    ]);
  });
});

describe('VinteoClient: stats and balancer on the fake transport', () => {
  it('the maincam INFO reaches the balancer; the stats INFO goes out; both stop when the call ends', async () => {
    const { client, transport } = makeClient({}, { balancerDelayMs: 0, statsIntervalMs: 100 });
    await client.join('1000');
    const session = transport.agents[0]!.sessions[0]!;
    const camera = client.getSnapshot().call.localStream!.getVideoTracks()[0]!;
    const sender = new FakeSender(camera as unknown as ReturnType<typeof fakeTrack>);
    let bytes = 0;
    let at = 1000;
    Object.assign(session.connection, {
      getSenders: () => [sender],
      getStats: () => {
        bytes += 50_000;
        at += 1000;
        // The browser's receive-side estimate doubles after the first report: the stats INFO reports it.
        const estimate = at <= 2000 ? 200_000 : 400_000;
        return Promise.resolve([
          { id: 'IV', type: 'inbound-rtp', kind: 'video', timestamp: at, bytesReceived: bytes, packetsReceived: bytes / 1000 },
          { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'CP' },
          { id: 'CP', type: 'candidate-pair', timestamp: at, state: 'succeeded', availableIncomingBitrate: estimate },
        ]);
      },
    });
    await waitUntil(() => client.getSnapshot().balancer.state === 'active', 'balancer not active');
    session.receiveInfo('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'PAUSEMAINCAM' });
    await waitUntil(() => sender.encoding.scaleResolutionDownBy === 200, 'PAUSEMAINCAM not applied');
    expect(client.getSnapshot().balancer.parameters).to.deep.equal({ scaleResolutionDownBy: 200, maxBitrate: 60_000 });

    await waitUntil(() => session.infoSent.some((i) => i.contentType === 'application/vinteo.webrtc.stats'), 'no stats INFO');
    const info = session.infoSent.find((i) => i.contentType === 'application/vinteo.webrtc.stats')!;
    expect(info.headers).to.deep.equal(['x-webrtc-available-incoming-bitrate: 400000']);
    const stats = await client.collectStats();
    expect(stats!.receiveBitrate).to.equal(400_000);
    expect(client.getSnapshot().stats.collecting).to.equal(true);

    await client.leave();
    expect(client.getSnapshot().stats.collecting).to.equal(false);
    expect(client.getSnapshot().balancer.state).to.equal('idle');
    expect(await client.collectStats()).to.equal(undefined);
    client.destroy();
  });
});
