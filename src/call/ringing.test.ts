// Protocol §5: the server answers the INVITE before any room is known. A 180 Ringing held for long is
// simply `calling`: only an answered call put in the room `purgatory` is the waiting room.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/vinteo-call/vinteo-call.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { fakeTransport, syntheticMedia, type FakeSession } from '../../test/helpers/fake-transport.js';
import { makeClient } from '../../test/helpers/fake-client.js';
import { reach } from '../../test/helpers/dom.js';
import { callView } from '../selectors.js';

/** Resolves with the first session of the transport once the fake server sent it `count` provisional responses. */
async function ringingSession(agents: ReturnType<typeof fakeTransport>['agents'], count = 1): Promise<FakeSession> {
  await waitUntil(() => (agents[0]?.sessions[0]?.provisional.length ?? 0) >= count, 'no 180 Ringing');
  return agents[0]!.sessions[0]!;
}

describe('a 180 Ringing held for long (protocol §5)', () => {
  it('the core stays calling (view `calling`, not `waiting`) through repeated 180s, until the 200', async () => {
    const { client, transport } = makeClient({ invite: 'ringing' });
    const views: string[] = [];
    client.subscribe(
      (s) => callView(s.call),
      (view) => views.push(view),
    );
    let waiting = 0;
    client.on('call:waiting', () => (waiting += 1));
    const joined = client.join('1000');
    const session = await ringingSession(transport.agents);
    // The 180 repeated, and a 183: still just an unanswered INVITE.
    session.remoteProgress();
    session.remoteProgress(183, 'Session Progress');
    await waitUntil(() => session.provisional.length === 3);
    const call = client.getSnapshot().call;
    expect(call.state).to.equal('calling');
    expect(call.waitingSince).to.equal(undefined);
    expect(callView(call)).to.equal('calling');
    expect(client.getSnapshot().room.access).to.not.equal('waiting');

    session.remoteAnswer();
    await joined;
    await waitUntil(() => client.getSnapshot().room.name === '1000', 'no room after the answer');
    expect(client.getSnapshot().call.state).to.equal('in-call');
    expect(views).to.not.include('waiting');
    expect(views.slice(-1)).to.deep.equal(['in-call']);
    expect(waiting).to.equal(0);
    await client.leave();
    client.destroy();
  });

  it('<vinteo-call> keeps state="calling" while the INVITE rings, then in-call once answered', async () => {
    const transport = fakeTransport({ invite: 'ringing' });
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url="ws://127.0.0.1:1/webrtc/wss/" conference="1000" .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}></vinteo-call>`,
    );
    const states: string[] = [];
    const observer = new MutationObserver(() => states.push(el.getAttribute('state') ?? ''));
    observer.observe(el, { attributes: true, attributeFilter: ['state'] });
    void el.join();
    const session = await ringingSession(transport.agents);
    session.remoteProgress();
    await waitUntil(() => session.provisional.length === 2);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('calling');
    session.remoteAnswer();
    await reach(el, 'in-call');
    observer.disconnect();
    expect(states).to.not.include('waiting');
    expect(states).to.include('calling');
    await el.leave();
  });
});
