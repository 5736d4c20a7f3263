// Integration: calls given up before the answer leave nothing open on vinteo-dev-server. A 200 OK that
// arrives after our CANCEL (it crossed the CANCEL, or the server answered anyway) must be ACKed and
// then BYEd (RFC 3261 §9.1, §15), and quick Join/Leave clicks must not leave ghost calls.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { control, serverCalls, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';
import type { CallSnapshot } from '../../src/call/types.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

/** The server call that `predicate` picks must end with the client's BYE after the ACK of its 200 OK. */
async function expectAckedAndByed(id: string): Promise<void> {
  const ended = await waitForServerCall((c) => c.id === id && c.state === 'ended', 'the 200 OK after the CANCEL was never ACKed and BYEd');
  expect(ended.finalStatus, 'final status of the INVITE').to.equal(200);
  expect(ended.confirmedAt, 'the ACK of the 200 OK').to.be.a('string');
  expect(ended.endReason).to.equal('bye');
}

/** Resolves once the element's INVITE is going out, or the call is past that point. */
function inviting(el: VinteoCall): Promise<void> {
  const client = el.client!;
  const reached = (call: CallSnapshot): boolean => call.state !== 'calling' || call.phase === 'inviting';
  if (reached(client.getSnapshot().call)) return Promise.resolve();
  return new Promise((resolve) => {
    const off = client.subscribe(
      (snapshot) => snapshot.call,
      (call) => {
        if (!reached(call)) return;
        off();
        resolve();
      },
    );
  });
}

describe('integration: a 200 OK after our CANCEL, and quick Join/Leave, on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv({
    afterEach: () => Promise.all([control('/api/faults', { answerDelayMs: 0, ignoreCancel: false }), control('/api/waiting-room', { enabled: false })]),
  });

  const guestCall = (conference: string) =>
    fixture<VinteoCall>(html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference}></vinteo-call>`);

  it('leaving after 100 Trying: the 200 OK the server sends anyway is ACKed and BYEd', async () => {
    await control('/api/faults', { answerDelayMs: 1000, ignoreCancel: true });
    const conference = uniqueConference();
    const el = await guestCall(conference);
    void el.join();
    const ringing = await waitForServerCall((c) => c.conference === conference && c.state === 'ringing', 'the INVITE never reached the server');
    await el.leave();
    await reach(el, 'ended');
    await waitForServerCall((c) => c.id === ringing.id && c.cancelledAt !== undefined, 'the server never saw the CANCEL');
    await expectAckedAndByed(ringing.id);
    // The late answer does not bring the call back on the page.
    expect(el.getAttribute('state')).to.equal('ended');
    expect(el.client!.getSnapshot().call.endReason).to.equal('cancelled');
  });

  it('leaving the waiting room: the call was answered (200, then purgatory), so it ends with a BYE, not a CANCEL', async () => {
    // A real Vinteo server answers guests at once; its waiting room is the room `purgatory` (protocol §5).
    await Promise.all([control('/api/waiting-room', { enabled: true }), control('/api/faults', { ignoreCancel: true })]);
    const conference = uniqueConference();
    const el = await guestCall(conference);
    void el.join();
    await reach(el, 'waiting');
    const waiting = await waitForServerCall((c) => c.conference === conference && c.state === 'waiting', 'the server has no waiting call');
    await el.leave();
    await reach(el, 'ended');
    await expectAckedAndByed(waiting.id);
    const ended = await waitForServerCall((c) => c.id === waiting.id, 'the call is gone');
    expect(ended.cancelledAt, 'no CANCEL after the answer').to.equal(undefined);
  });

  it('20 quick Join/Leave clicks on <vinteo-call> leave no call open on the server', async () => {
    const conference = uniqueConference();
    const el = await guestCall(conference);
    const active = (): boolean => ['connecting', 'calling', 'waiting', 'in-call'].includes(el.getAttribute('state') ?? '');
    for (let cycle = 0; cycle < 20; cycle += 1) {
      part(el, 'join-button').click();
      await waitUntil(active, `cycle ${cycle}: Join did not start a call`, WAIT);
      // Where the Leave click lands moves through the set-up: while connecting, right as the INVITE
      // goes out, and 0–36 ms after it (around the server's 100 Trying and 200 OK), or in the call.
      if (cycle % 10 !== 0) {
        await inviting(el);
        await new Promise((resolve) => setTimeout(resolve, (cycle % 10) * 4));
      }
      if (active()) part(el, 'join-button').click();
      await waitUntil(() => el.getAttribute('state') === 'ended', `cycle ${cycle}: Leave did not end the call`, WAIT);
    }
    let calls: ServerCall[] = [];
    await waitUntil(
      async () => {
        calls = (await serverCalls()).filter((c) => c.conference === conference);
        return calls.every((c) => c.state === 'ended');
      },
      'calls left open on the server',
      { timeout: 10_000, interval: 200 },
    ).catch(() => {
      throw new Error(`calls left open on the server: ${JSON.stringify(calls.filter((c) => c.state !== 'ended').map((c) => ({ id: c.id, state: c.state })))}`);
    });
    expect(calls.length, 'INVITEs that reached the server').to.be.greaterThan(0);
    for (const call of calls) {
      expect(call.endReason, `call ${call.id}`).to.be.oneOf(['bye', 'cancel']);
      if (call.finalStatus === 200) expect(call.confirmedAt, `call ${call.id}: its 200 OK was never ACKed`).to.be.a('string');
    }
  });
});
