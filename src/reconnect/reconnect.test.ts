import { expect, waitUntil } from '@open-wc/testing';
import { makeClient } from '../../test/helpers/fake-client.js';
import { ExponentialBackoff } from './policy.js';
import type { NetworkSignals } from './types.js';

const quick = new ExponentialBackoff({ initialDelayMs: 10, maxDelayMs: 40, jitter: 0 });

function signals(): NetworkSignals & { online: () => void } {
  const listeners = new Set<() => void>();
  return {
    onOnline: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onVisible: () => () => undefined,
    online: () => listeners.forEach((listener) => listener()),
  };
}

describe('reconnect and call redial (fake transport)', () => {
  it('a dropped connection is reconnected and the call redialled with the same media and settings', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: quick });
    const log: string[] = [];
    client.on('connection:reconnecting', ({ attempt }) => log.push(`reconnecting ${attempt}`));
    client.on('connection:reconnected', ({ attempts }) => log.push(`reconnected ${attempts}`));
    client.on('call:recovering', () => log.push('call recovering'));
    client.on('call:recovered', ({ method }) => log.push(`call recovered by ${method}`));
    await client.join('1000');
    client.setMicrophoneEnabled(false);
    const stream = client.getSnapshot().call.localStream!;
    transport.agents[0]!.dropConnection();
    expect(client.getSnapshot().connection.state).to.equal('reconnecting');
    expect(client.getSnapshot().call.state).to.equal('in-call');
    expect(client.getSnapshot().call.recoveringSince).to.be.a('number');
    expect(transport.agents[0]!.stopped).to.equal(true);
    await waitUntil(() => log.includes('call recovered by redial'), log.join(', '));
    expect(log).to.deep.equal(['call recovering', 'reconnecting 1', 'reconnected 1', 'call recovered by redial']);
    expect(transport.agents.length).to.equal(2);
    const redial = transport.agents[1]!.sessions[0]!;
    expect(redial.target).to.equal('sip:1000@vinteo.local');
    expect(redial.options.mediaStream).to.equal(stream);
    expect(redial.options.extraHeaders).to.include('X-Vinteo-Mic-State: 0');
    expect(stream.getAudioTracks()[0]!.readyState).to.equal('live');
    expect(client.getSnapshot().call.recoveringSince).to.equal(undefined);
    expect(client.getSnapshot().connection.state).to.equal('connected');
    expect(client.getSnapshot().reconnect).to.equal(undefined);
  });

  it('a wrong password while reconnecting is terminal: failed, no retry loop, the call ends', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: quick, register: true, user: '1001', password: 'pw' });
    await client.join('1000');
    Object.assign(transport.agents[0]!['behaviour' as never] as object, { register: 'wrong-password' });
    transport.agents[0]!.dropConnection();
    await waitUntil(() => client.getSnapshot().connection.state === 'failed');
    expect(client.getSnapshot().connection.error?.reason).to.equal('authentication-failed');
    await waitUntil(() => client.getSnapshot().call.state === 'ended');
    expect(client.getSnapshot().call.endReason).to.equal('connection-lost');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.agents.length).to.equal(2);
  });

  it('a custom policy answering NaN or a huge delay never retries at once: NaN waits 1 s, a huge delay the timer limit', async () => {
    for (const [answer, expected] of [
      [Number.NaN, 1000],
      [1e300, 2 ** 31 - 1],
      [-5, 0],
    ] as const) {
      const { client, transport } = makeClient({}, { reconnectPolicy: { nextDelay: () => answer } });
      const delays: number[] = [];
      client.on('connection:reconnecting', ({ delayMs }) => delays.push(delayMs));
      await client.connect();
      transport.agents[0]!.dropConnection();
      await waitUntil(() => delays.length > 0);
      expect(delays[0], String(answer)).to.equal(expected);
      expect(client.getSnapshot().reconnect?.nextAttemptAt, String(answer)).to.be.a('number');
      client.destroy();
    }
  });

  it('gives up when the policy says so', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 5, jitter: 0, maxAttempts: 2 }) });
    await client.join('1000');
    Object.assign(transport.agents[0]!['behaviour' as never] as object, { connect: 'fail' });
    transport.agents[0]!.dropConnection();
    await waitUntil(() => client.getSnapshot().connection.state === 'failed');
    expect(client.getSnapshot().connection.error?.message).to.contain('gave up reconnecting after 2 attempts');
    expect(transport.agents.length).to.equal(3);
    expect(client.getSnapshot().call.endReason).to.equal('connection-lost');
  });

  it("the browser's online event retries at once instead of waiting", async () => {
    const network = signals();
    const { client, transport } = makeClient({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 60_000, jitter: 0 }), networkSignals: network });
    await client.join('1000');
    transport.agents[0]!.dropConnection();
    await waitUntil(() => client.getSnapshot().reconnect?.nextAttemptAt !== undefined);
    network.online();
    await waitUntil(() => client.getSnapshot().connection.state === 'connected', 'online did not trigger a retry');
    await waitUntil(() => client.getSnapshot().call.recoveringSince === undefined);
    expect(transport.agents.length).to.equal(2);
  });

  it('an unanswered OPTIONS ping counts as a lost connection (half-open socket)', async () => {
    // The shortest ping interval is 1 s (TIMING_LIMITS): the pings here are the ones the browser's
    // online event sends at once to a connection that looks alive.
    const network = signals();
    const { client, transport } = makeClient({}, { reconnectPolicy: quick, pingTimeoutMs: 100, networkSignals: network });
    await client.join('1000');
    network.online();
    await waitUntil(() => transport.agents[0]!.pings > 0);
    expect(client.getSnapshot().connection.state).to.equal('connected');
    transport.agents[0]!.answerPings = false;
    network.online();
    await waitUntil(() => transport.agents.length === 2, 'no reconnect after unanswered pings');
    await waitUntil(() => client.getSnapshot().call.recoveringSince === undefined && client.getSnapshot().call.state === 'in-call');
  });

  it('hanging up during recovery cancels it cleanly', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 50, jitter: 0 }) });
    await client.join('1000');
    transport.agents[0]!.dropConnection();
    await client.leave();
    expect(client.getSnapshot().call.state).to.equal('ended');
    expect(client.getSnapshot().call.endReason).to.equal('local-hangup');
    await waitUntil(() => client.getSnapshot().connection.state === 'connected');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(transport.agents[1]!.sessions.length).to.equal(0);
  });

  it('disconnect() during reconnecting stops the retries', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 30, jitter: 0 }) });
    await client.connect();
    transport.agents[0]!.dropConnection();
    expect(client.getSnapshot().connection.state).to.equal('reconnecting');
    await client.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.agents.length).to.equal(1);
    expect(client.getSnapshot().connection.state).to.equal('disconnected');
  });

  it('a call gives up after the redial timeout', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 10_000, jitter: 0 }), redialTimeoutMs: 50 });
    const ended = new Promise((resolve) => client.on('call:ended', resolve));
    await client.join('1000');
    transport.agents[0]!.dropConnection();
    expect(await ended).to.deep.equal({ conference: '1000', reason: 'connection-lost' });
    expect(client.getSnapshot().connection.state).to.equal('reconnecting');
    await client.disconnect();
  });

  it('a redial still unanswered when the redial timeout passes is cancelled, not left to be answered', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: quick, redialTimeoutMs: 1000 });
    await client.join('1000');
    // The redial's INVITE is never answered.
    Object.assign(transport.agents[0]!['behaviour' as never] as object, { invite: 'never' });
    const ended = new Promise((resolve) => client.on('call:ended', resolve));
    transport.agents[0]!.dropConnection();
    await waitUntil(() => transport.agents[1]?.sessions.length === 1, 'no redial');
    const redial = transport.agents[1]!.sessions[0]!;
    expect(await ended).to.deep.equal({ conference: '1000', reason: 'connection-lost' });
    expect(redial.isEnded(), 'the redial session was left running').to.equal(true);
    await client.disconnect();
  });

  it('a spectator with an audio id is not redialled (protocol §6): the call ends with connection-lost', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: quick });
    await client.join('1000');
    transport.agents[0]!.sessions[0]!.receiveInfo('application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-AUDIOID': '7' });
    await waitUntil(() => client.getSnapshot().room.role === 'spectator');
    const ended = new Promise((resolve) => client.on('call:ended', resolve));
    transport.agents[0]!.dropConnection();
    expect(await ended).to.deep.equal({ conference: '1000', reason: 'connection-lost' });
    expect(client.getSnapshot().call.recoveringSince).to.equal(undefined);
    client.destroy();
  });
});
