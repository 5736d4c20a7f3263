// Integration: the `roomname` INFO the client sends right after every confirmed call (vinteo-protocol.md §3),
// as vinteo-dev-server receives it, and a call that survives the server refusing it.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { control, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

const ROOMNAME = 'application/vinteo.webrtc.roomname';

/** An INFO as the server recorded it, with the status it answered. */
type Recorded = ServerCall['infoReceived'][number] & { status?: number };

const roomNames = (call: ServerCall): Recorded[] => call.infoReceived.filter((i) => i.contentType === ROOMNAME);
const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe('integration: the roomname INFO on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv({ afterEach: () => control('/api/faults', { roomnameStatus: null }) });

  async function joined(): Promise<{ el: VinteoCall; session: VinteoSession; conference: string }> {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}">
      <vinteo-call conference="${conference}"></vinteo-call></vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    const el = holder.querySelector<VinteoCall>('vinteo-call')!;
    await el.join();
    await reach(el, 'in-call');
    return { el, session, conference };
  }

  it("a guest's call: once, right after the ACK, with exactly the reference's headers", async () => {
    const { session, conference } = await joined();
    const user = session.client.getSnapshot().connection.user!;
    const call = await waitForServerCall((c) => c.conference === conference && roomNames(c).length > 0, 'no roomname INFO on the server');
    const [info, ...more] = roomNames(call);
    expect(more, 'one roomname INFO').to.deep.equal([]);
    expect(lower(info!.headers)).to.deep.equal({
      'x-webrtc-enter-room': `p2p${user}to${conference}`,
      'x-webrtc-participant-name': conference,
      'x-webrtc-is-direct-p2p': 'true',
    });
    expect(info!.status).to.equal(200);
    // It came after the call was confirmed (the ACK), before any other INFO of ours.
    expect(call.confirmedAt).to.be.a('string');
    expect(call.infoReceived[0]!.contentType).to.equal(ROOMNAME);
  });

  it('an answered server call names the caller, then the local user', async () => {
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}" user="1002" register>
      <vinteo-call auto-answer></vinteo-call></vinteo-session>`;
    const session = holder.querySelector<VinteoSession>('vinteo-session')!;
    const el = holder.querySelector<VinteoCall>('vinteo-call')!;
    session.password = env().users['1002'];
    await session.connect();
    const { id } = await control<{ id: string }>('/api/registrations/1002/call', { from: '2000' });
    await reach(el, 'in-call');
    const call = await waitForServerCall((c) => c.id === id && roomNames(c).length > 0, 'no roomname INFO on the server');
    expect(lower(roomNames(call)[0]!.headers)).to.deep.equal({
      'x-webrtc-enter-room': 'p2p2000to1002',
      'x-webrtc-participant-name': '2000',
      'x-webrtc-is-direct-p2p': 'true',
    });
    await session.disconnect();
  });

  it('the server answers it 500: logged, and the call goes on with media both ways (the reference would hang up)', async () => {
    await control('/api/faults', { roomnameStatus: 500 });
    const { el, conference } = await joined();
    const refused = await waitForServerCall(
      (c) => c.conference === conference && roomNames(c).some((i) => i.status === 500),
      'the server never refused the roomname INFO',
    );
    // Media keeps flowing well after the refusal (hundreds of packets more), and the call is still up on both sides.
    const packets = refused.media.find((m) => m.kind === 'video')!.packetsReceived;
    const later = await waitForServerCall(
      (c) => c.id === refused.id && c.media.find((m) => m.kind === 'video')!.packetsReceived > packets + 200,
      'video stopped after the refused roomname INFO',
    );
    expect(later.state).to.equal('confirmed');
    expect(el.getAttribute('state')).to.equal('in-call');
    await waitUntil(() => part<HTMLVideoElement>(el, 'remote-video').videoWidth > 0, 'no remote video', WAIT);
  });
});
