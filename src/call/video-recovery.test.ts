// Main-stream recovery in a call on the fake transport: stats samples → one plain re-INVITE per
// episode on the connection's queue, the snapshot's `videoRecovery` and `call:video-recovery`.
import { expect, waitUntil } from '@open-wc/testing';
import { makeClient } from '../../test/helpers/fake-client.js';
import { installVideoStats, type VideoCounters } from '../../test/helpers/fake-stats.js';
import type { FakeSession } from '../../test/helpers/fake-transport.js';
import type { VinteoClient } from '../client.js';
import { logger } from '../logger.js';
import type { CallStats } from '../stats/types.js';
import type { VinteoClientEvents } from '../types.js';
import { Attempt } from './attempt.js';
import type { CallContext } from './context.js';
import type { Renegotiation } from './renegotiation.js';
import { VideoRecovery } from './video-recovery.js';

type RecoveryEvent = VinteoClientEvents['call:video-recovery'];

/** A call whose main video reports the returned counters; the first (automatic) collection has run. */
async function inCallWithVideo(): Promise<{ client: VinteoClient; session: FakeSession; video: VideoCounters; events: RecoveryEvent[] }> {
  // Collections only when the test asks (the automatic ones come every 10 min).
  const { client, transport } = makeClient({}, { statsIntervalMs: 600_000 });
  const events: RecoveryEvent[] = [];
  client.on('call:video-recovery', (event) => events.push(event));
  const first = new Promise<void>((resolve) => {
    const off = client.on('stats:collected', () => {
      off();
      resolve();
    });
  });
  await client.join('1000');
  const session = transport.agents[0]!.sessions[0]!;
  // Installed before the first collection (it runs on a timer after the call is confirmed).
  const video = installVideoStats(session, { packets: 100, bytes: 100_000, framesReceived: 10, framesDecoded: 10 });
  await first;
  return { client, session, video, events };
}

/** One second of flowing video, then a collection. */
async function flow(client: VinteoClient, video: VideoCounters): Promise<void> {
  video.packets += 100;
  video.bytes += 100_000;
  video.framesReceived += 10;
  video.framesDecoded += 10;
  await client.collectStats();
}

/** A collection with the counters unchanged. */
const stall = (client: VinteoClient): Promise<unknown> => client.collectStats();

describe('main-stream recovery in a call (fake transport)', () => {
  let level: typeof logger.level;
  beforeEach(() => {
    level = logger.level;
    logger.level = 'error';
  });
  afterEach(() => {
    logger.level = level;
  });

  it('flowing video: no recovery', async () => {
    const { client, session, video, events } = await inCallWithVideo();
    for (let i = 0; i < 6; i += 1) await flow(client, video);
    expect(session.renegotiations).to.deep.equal([]);
    expect(events).to.deep.equal([]);
    client.destroy();
  });

  it('a stall for 3 samples: one plain re-INVITE (no ICE restart), shown while it runs, and none more for the same episode', async () => {
    const { client, session, video, events } = await inCallWithVideo();
    await flow(client, video);
    // Hold the re-INVITE until the test lets it finish.
    let finish: (done: boolean) => void = () => undefined;
    const renegotiate = session.renegotiate.bind(session);
    session.renegotiate = (options) => {
      void renegotiate(options);
      return new Promise<boolean>((resolve) => (finish = resolve));
    };
    await stall(client);
    await stall(client);
    expect(events, 'two samples are not enough').to.deep.equal([]);
    await stall(client);
    expect(events).to.deep.equal([{ problem: 'stalled', phase: 'started' }]);
    expect(client.getSnapshot().call.videoRecovery).to.deep.equal({ problem: 'stalled' });
    await waitUntil(() => session.renegotiations.length === 1, 'no re-INVITE');
    expect(session.renegotiations[0]!.iceRestart).to.equal(false);
    // Still stalled while it runs, and after: the same episode gets no second recovery.
    await stall(client);
    await stall(client);
    finish(true);
    await waitUntil(() => events.length === 2, 'the recovery never finished');
    expect(events[1]).to.deep.equal({ problem: 'stalled', phase: 'done' });
    expect(client.getSnapshot().call.videoRecovery).to.equal(undefined);
    for (let i = 0; i < 5; i += 1) await stall(client);
    expect(session.renegotiations).to.have.length(1);
    expect(events).to.have.length(2);
    expect(client.getSnapshot().call.state).to.equal('in-call');
    client.destroy();
  });

  it('no traffic at all: recovered like a stall', async () => {
    const { client, session, video, events } = await inCallWithVideo();
    Object.assign(video, { packets: 0, bytes: 0, framesReceived: 0, framesDecoded: 0 });
    for (let i = 0; i < 3; i += 1) await stall(client);
    await waitUntil(() => events.length === 2, 'no recovery');
    expect(events).to.deep.equal([
      { problem: 'no-traffic', phase: 'started' },
      { problem: 'no-traffic', phase: 'done' },
    ]);
    expect(session.renegotiations).to.deep.equal([{ iceRestart: false, directions: ['sendrecv', 'sendrecv'] }]);
    client.destroy();
  });

  it('never overlaps another renegotiation: the re-INVITE waits for a running one on the queue', async () => {
    const { client, session, video, events } = await inCallWithVideo();
    await flow(client, video);
    // The application restarts ICE: a renegotiation the test holds.
    let release: (done: boolean) => void = () => undefined;
    const renegotiate = session.renegotiate.bind(session);
    let running = 0;
    let overlapped = false;
    session.renegotiate = (options) => {
      running += 1;
      if (running > 1) overlapped = true;
      void renegotiate(options);
      const first = session.renegotiations.length === 1;
      const done = first ? new Promise<boolean>((resolve) => (release = resolve)) : Promise.resolve(true);
      return done.finally(() => (running -= 1));
    };
    const restarted = client.restartIce();
    await waitUntil(() => session.renegotiations.length === 1, 'no ICE restart renegotiation');
    for (let i = 0; i < 3; i += 1) await stall(client);
    expect(events).to.deep.equal([{ problem: 'stalled', phase: 'started' }]);
    // Queued behind the ICE restart, not started.
    expect(session.renegotiations).to.have.length(1);
    release(true);
    await restarted;
    await waitUntil(() => events.length === 2, 'the recovery never finished');
    expect(session.renegotiations).to.have.length(2);
    expect(session.renegotiations[1]!.iceRestart).to.equal(false);
    expect(overlapped, 'two renegotiations at once').to.equal(false);
    client.destroy();
  });

  it('a failed re-INVITE reports failed, clears the state, and the call goes on', async () => {
    const { client, session, video, events } = await inCallWithVideo();
    await flow(client, video);
    session.renegotiate = () => Promise.reject(new Error('488 Not Acceptable Here'));
    for (let i = 0; i < 3; i += 1) await stall(client);
    await waitUntil(() => events.length === 2, 'the recovery never finished');
    expect(events[1]).to.deep.equal({ problem: 'stalled', phase: 'failed' });
    expect(client.getSnapshot().call.videoRecovery).to.equal(undefined);
    expect(client.getSnapshot().call.state).to.equal('in-call');
    client.destroy();
  });

  it('the call ending during a recovery clears the state and reports nothing more', async () => {
    const { client, session, video, events } = await inCallWithVideo();
    await flow(client, video);
    session.renegotiate = () => new Promise<boolean>(() => undefined);
    for (let i = 0; i < 3; i += 1) await stall(client);
    await waitUntil(() => client.getSnapshot().call.videoRecovery !== undefined, 'no recovery');
    await client.leave();
    expect(client.getSnapshot().call.videoRecovery).to.equal(undefined);
    expect(events).to.deep.equal([{ problem: 'stalled', phase: 'started' }]);
    client.destroy();
  });

  it('reset() (the call confirmed, a quality change) starts the count over', () => {
    const emitted: unknown[] = [];
    const context = {
      deps: { emit: (_type: string, payload: unknown) => emitted.push(payload) },
      attempt: new Attempt('1000', 'outgoing', false),
      session: {},
      publish: () => undefined,
    } as unknown as CallContext;
    const renegotiation = { renegotiate: () => new Promise(() => undefined) } as unknown as Renegotiation;
    const recovery = new VideoRecovery(context, renegotiation, () => 0);
    const sample = { inbound: { video: { packets: 100, bytes: 100_000, framesReceived: 10, framesDecoded: 10 } } } as unknown as CallStats;
    // The first sample, then two stalled ones.
    for (let i = 0; i < 3; i += 1) recovery.sample(sample);
    recovery.reset();
    // A first sample again, then two stalled ones: still no recovery.
    for (let i = 0; i < 3; i += 1) recovery.sample(sample);
    expect(emitted).to.deep.equal([]);
    recovery.sample(sample);
    expect(emitted).to.deep.equal([{ problem: 'stalled', phase: 'started' }]);
  });
});
