// Several <vinteo-call> in one <vinteo-session> (one client, one call at a time) on the fake transport:
// each element ends, shows and reports only its own call.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoCall } from './VinteoCall.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import { fakeTransport, syntheticMedia, type FakeSession } from '../../test/helpers/fake-transport.js';
import { part, reach } from '../../test/helpers/dom.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

/** A session with two calls for different conferences; `a` is in its call. */
async function twoCalls(attributes = '') {
  const transport = fakeTransport();
  const holder = await fixture<HTMLDivElement>(html`<div></div>`);
  holder.innerHTML = `<vinteo-session ws-url="${WS}" sip-domain="vinteo.local" ${attributes}>
      <vinteo-call conference="1000"></vinteo-call>
      <vinteo-call conference="2000"></vinteo-call>
    </vinteo-session>`;
  const session = holder.querySelector('vinteo-session') as VinteoSession;
  session.clientOptions = { userAgentFactory: transport.factory, mediaProvider: syntheticMedia };
  const [a, b] = [...holder.querySelectorAll('vinteo-call')] as [VinteoCall, VinteoCall];
  await Promise.all([session.updateComplete, a.updateComplete, b.updateComplete]);
  return { transport, session, a, b };
}

async function aInCall() {
  const setup = await twoCalls();
  await setup.a.join();
  await reach(setup.a, 'in-call');
  await setup.b.updateComplete;
  const call: FakeSession = setup.transport.agents[0]!.sessions[0]!;
  return { ...setup, call };
}

/** Lets queued microtasks and one task run (removal hangs up in a microtask). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('<vinteo-call> in a shared <vinteo-session>: each element owns only its call', () => {
  it("the camera-off tile names the session's display-name", async () => {
    const { a } = await twoCalls('display-name="Guest Name"');
    await a.join();
    await reach(a, 'in-call');
    await a.updateComplete;
    part(a, 'camera-button')!.click();
    await waitUntil(() => part(a, 'camera-off-tile') !== null, 'no camera-off tile', { timeout: 5000 });
    expect(part(a, 'camera-off-name')!.textContent!.trim()).to.equal('Guest Name');
    expect(part(a, 'camera-off-tile')!.querySelector('.initials')!.textContent).to.equal('GN');
  });

  it("a sibling's leave() does not end the call; the owner's leave() does", async () => {
    const { session, a, b, call } = await aInCall();
    let siblingEvents = 0;
    b.addEventListener('vinteo-call-ended', () => (siblingEvents += 1));
    await b.leave();
    await settle();
    expect(call.isEnded(), 'a sibling ended the call').to.equal(false);
    expect(session.client.getSnapshot().call.state).to.equal('in-call');
    expect(a.getAttribute('state')).to.equal('in-call');

    const ended = oneEvent(a, 'vinteo-call-ended');
    await a.leave();
    expect((await ended).detail).to.deep.equal({ conference: '1000', reason: 'local-hangup' });
    expect(call.isEnded()).to.equal(true);
    await reach(a, 'ended');
    await reach(b, 'idle');
    expect(siblingEvents, 'vinteo-call-ended on the sibling').to.equal(0);
  });

  it('removing a sibling does not end the call; removing the owner does', async () => {
    const { session, a, b, call } = await aInCall();
    b.remove();
    await settle();
    expect(call.isEnded(), 'removing a sibling ended the call').to.equal(false);
    expect(session.client.getSnapshot().call.state).to.equal('in-call');
    a.remove();
    await waitUntil(() => call.isEnded(), 'removing the owner did not hang up');
    expect(session.client.getSnapshot().call.state).to.equal('ended');
  });

  it("a sibling does not show the other element's call: busy, nothing of the call, Join and toggles off", async () => {
    const { a, b } = await aInCall();
    await reach(b, 'busy');
    await b.updateComplete;
    expect(part(b, 'status')!.textContent).to.contain('Another call is running');
    expect((part(b, 'remote-video') as HTMLVideoElement).srcObject).to.equal(null);
    expect((part(b, 'local-video') as HTMLVideoElement).srcObject).to.equal(null);
    expect(part(b, 'room-name')).to.equal(null);
    expect(b.hasAttribute('conference-role')).to.equal(false);
    const join = part(b, 'join-button') as HTMLButtonElement;
    expect(join.textContent!.trim()).to.equal('Join');
    expect(join.disabled).to.equal(true);
    expect((part(b, 'microphone-button') as HTMLButtonElement).disabled).to.equal(true);
    expect((part(b, 'camera-button') as HTMLButtonElement).disabled).to.equal(true);
    await expect(b).to.be.accessible();
    // The owner still shows it.
    await a.updateComplete;
    expect((part(a, 'remote-video') as HTMLVideoElement).srcObject).to.be.instanceOf(MediaStream);
    expect(part(a, 'room-name')!.textContent).to.contain('1000');
  });

  it("a sibling's join() is refused (invalid-state), shown clearly, and the call goes on", async () => {
    const { session, a, b, call, transport } = await aInCall();
    const error = oneEvent(b, 'vinteo-error');
    await b.join();
    expect((await error).detail.reason).to.equal('invalid-state');
    await b.updateComplete;
    expect(b.getAttribute('state')).to.equal('busy');
    expect(part(b, 'error')!.textContent).to.contain('Only one call at a time');
    expect(transport.agents[0]!.sessions.length, 'a second INVITE went out').to.equal(1);
    expect(call.isEnded()).to.equal(false);
    expect(session.client.getSnapshot().call.conference).to.equal('1000');
    expect(a.getAttribute('state')).to.equal('in-call');
    // Once the other call is over the refusal is old news: b is ready, and joins.
    await a.leave();
    await reach(b, 'idle');
    await b.updateComplete;
    expect(part(b, 'error')).to.equal(null);
    await b.join();
    await reach(b, 'in-call');
    expect(transport.agents[0]!.sessions[1]!.target).to.equal('sip:2000@vinteo.local');
    await reach(a, 'busy');
  });

  it('speaks Russian in the busy state', async () => {
    const { a, b } = await twoCalls();
    b.setAttribute('lang', 'ru');
    await a.join();
    await reach(b, 'busy');
    await b.updateComplete;
    expect(part(b, 'status')!.textContent).to.contain('идёт другой звонок');
  });

  it('an incoming call rings on every element; the one that answers owns it', async () => {
    const { session, a, b, transport } = await twoCalls('user="1001" register');
    session.password = 'pw';
    await session.connect();
    const rings = [oneEvent(a, 'vinteo-incoming-call'), oneEvent(b, 'vinteo-incoming-call')];
    transport.agents[0]!.receiveCall('Support', '3000');
    await Promise.all(rings);
    await reach(a, 'ringing');
    await reach(b, 'ringing');
    const accepted = oneEvent(b, 'vinteo-call-accepted');
    part(b, 'answer-button')!.click();
    await accepted;
    await reach(b, 'in-call');
    await reach(a, 'busy');
    const call = transport.agents[0]!.sessions[0]!;
    await a.leave();
    a.decline();
    await settle();
    expect(call.isEnded(), 'a non-owner ended the answered call').to.equal(false);
    await b.leave();
    expect(call.isEnded()).to.equal(true);
    await reach(b, 'ended');
    await reach(a, 'idle');
  });

  it('an incoming call declined on one element shows as declined there and idle on the others', async () => {
    const { session, a, b, transport } = await twoCalls('user="1001" register');
    session.password = 'pw';
    await session.connect();
    const call = transport.agents[0]!.receiveCall('Support', '3000');
    await reach(a, 'ringing');
    const ended = oneEvent(a, 'vinteo-call-ended');
    part(a, 'decline-button')!.click();
    expect((await ended).detail.reason).to.equal('declined');
    expect(call.isEnded()).to.equal(true);
    await reach(a, 'ended');
    await reach(b, 'idle');
  });
});
