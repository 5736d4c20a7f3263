import { expect, waitUntil } from '@open-wc/testing';
import { Liveness } from './liveness.js';
import type { OptionsHandlers } from './transport.js';

/** A server stand-in: each ping waits in `pending` until the test answers it. */
function harness(intervalMs = 1, timeoutMs = 60_000) {
  const pending: OptionsHandlers[] = [];
  const dead: string[] = [];
  let sent = 0;
  const liveness = new Liveness({
    send: (handlers) => {
      sent++;
      pending.push(handlers);
    },
    intervalMs: () => intervalMs,
    timeoutMs: () => timeoutMs,
    onDead: (reason) => dead.push(reason),
  });
  const next = async (): Promise<OptionsHandlers> => {
    await waitUntil(() => pending.length > 0, 'no ping sent');
    return pending.shift()!;
  };
  return { liveness, pending, dead, next, sent: () => sent };
}

describe('Liveness (the OPTIONS ping)', () => {
  it('pings at once, then again only after each ping completed', async () => {
    const { liveness, next, sent, pending } = harness(1);
    liveness.start();
    expect(sent(), 'right after the connect').to.equal(1);
    const first = await next();
    // Unanswered, nothing else goes out however long the interval is past.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent()).to.equal(1);
    first.succeeded?.();
    await next();
    expect(sent()).to.equal(2);
    expect(pending).to.have.length(0);
    liveness.stop();
  });

  it('gives up after two failures in a row: a non-2xx counts as one', async () => {
    const { liveness, next, dead } = harness(1);
    liveness.start();
    (await next()).failed?.({ cause: 'Rejected', response: { status_code: 404 } });
    expect(dead, 'one failure is not enough').to.have.length(0);
    (await next()).failed?.({ cause: 'Rejected', response: { status_code: 503 } });
    expect(dead).to.have.length(1);
    expect(dead[0]).to.contain('503').and.contain('2 pings in a row');
  });

  it('a success between two failures resets the count', async () => {
    const { liveness, next, dead, sent } = harness(1);
    liveness.start();
    (await next()).failed?.({ cause: 'Request Timeout' });
    (await next()).succeeded?.();
    (await next()).failed?.({ cause: 'Connection Error' });
    await next();
    expect(dead).to.have.length(0);
    expect(sent()).to.equal(4);
    liveness.stop();
  });

  it('counts a ping without an answer within the timeout as a failure', async () => {
    const { liveness, dead, sent } = harness(1, 30);
    liveness.start();
    await waitUntil(() => dead.length === 1, 'not given up after two silent pings');
    expect(sent()).to.equal(2);
    expect(dead[0]).to.contain('no answer to the OPTIONS ping within 30 ms');
  });

  it('a late answer after the timeout changes nothing', async () => {
    const { liveness, next, dead, sent } = harness(1, 30);
    liveness.start();
    const first = await next();
    await waitUntil(() => sent() === 2, 'no second ping after the first timed out');
    first.succeeded?.();
    await waitUntil(() => dead.length === 1);
  });

  it('a probe gives up after one failure, and takes over a ping in flight', async () => {
    const { liveness, next, dead, sent } = harness(60_000);
    liveness.start();
    const first = await next();
    liveness.probe();
    expect(sent(), 'the ping in flight is the probe').to.equal(1);
    first.failed?.({ cause: 'Rejected', response: { status_code: 500 } });
    expect(dead).to.have.length(1);
  });

  it('with the interval 0 only probes ping', async () => {
    const { liveness, next, sent } = harness(0);
    liveness.start();
    expect(sent()).to.equal(0);
    liveness.probe();
    (await next()).succeeded?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent()).to.equal(1);
  });

  it('a ping that cannot be sent is a failure, and stop() ends the pinging', async () => {
    const dead: string[] = [];
    let sent = 0;
    const liveness = new Liveness({
      send: () => {
        sent++;
        throw new Error('socket gone');
      },
      intervalMs: () => 1,
      timeoutMs: () => 1000,
      onDead: (reason) => dead.push(reason),
    });
    liveness.start();
    await waitUntil(() => dead.length === 1);
    expect(sent).to.equal(2);
    liveness.stop();
  });
});
