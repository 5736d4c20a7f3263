// Integration: the waiting room and in-room credentials as a real Vinteo server does them (protocol
// §5, §14.3), against vinteo-dev-server: a guest's INVITE is answered 200 at once, the enter-room
// `purgatory` puts the call in the waiting room, and admission is a later enter-room naming the real
// room, with the token on it, by a TokenIssued notify, or none at all.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { control, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

describe('integration: the waiting room (purgatory) and in-room tokens on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv({
    afterEach: () => Promise.all([control('/api/waiting-room', { enabled: false }), control('/api/tokens', { mode: 'enter-room' })]),
  });

  /** A guest <vinteo-call> joined with the waiting room on: answered 200, then in purgatory (`state="waiting"`). */
  async function waitingGuest(): Promise<{ el: VinteoCall; conference: string; call: ServerCall }> {
    await control('/api/waiting-room', { enabled: true });
    const conference = uniqueConference();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference}></vinteo-call>`);
    void el.join();
    await reach(el, 'waiting');
    const call = await waitForServerCall((c) => c.conference === conference && c.state === 'waiting', 'the server has no waiting call');
    expect(call.finalStatus, 'the INVITE is answered at once').to.equal(200);
    expect(call.room).to.equal('purgatory');
    expect(call.bearerToken).to.equal(undefined);
    return { el, conference, call };
  }

  /** Admits the call and waits for `<vinteo-call>` to be in the call with `access`. */
  async function admit(el: VinteoCall, call: ServerCall, access: string): Promise<ServerCall> {
    await control(`/api/calls/${call.id}/admit`, {});
    await reach(el, 'in-call');
    await waitUntil(() => el.getAttribute('room-access') === access, `room-access stayed ${el.getAttribute('room-access')}, wanted ${access}`, WAIT);
    return waitForServerCall((c) => c.id === call.id && c.state === 'confirmed', 'the server call is not confirmed after admission');
  }

  it('a guest gets 200 then purgatory: "waiting" with the elapsed time and Cancel; admission with the enter-room token gives in-room', async () => {
    const { el, conference, call } = await waitingGuest();
    await el.updateComplete;
    expect(el.getAttribute('room-access')).to.equal('waiting');
    expect(part(el, 'waiting').textContent).to.match(/\d:\d\d/);
    expect(part(el, 'join-button').textContent!.trim()).to.equal('Cancel');
    const admitted = await admit(el, call, 'in-room');
    expect(admitted.room).to.equal(conference.toLowerCase());
    expect(el.client!.bearerToken?.slice(0, 4)).to.equal(admitted.bearerToken?.slice(0, 4));
    expect(el.client!.getSnapshot().room.access).to.equal('in-room');
    expect(JSON.stringify(el.client!.getSnapshot().room)).not.to.contain(el.client!.bearerToken);
    await waitUntil(() => part(el, 'room-name')?.textContent?.includes(conference), 'no room name after admission', WAIT);
  });

  it("the moderator console's Admit button (a real tab on the control URL) lets the waiting guest in", async () => {
    const { el, conference, call } = await waitingGuest();
    // The console is another origin: the runner opens it in a new tab of this browser and clicks (test/wtr-console-plugin.mjs).
    const result = await executeServerCommand<{ ok: boolean; status: string }, { controlUrl: string; callId: string }>('console-admit', {
      controlUrl: env().controlUrl,
      callId: call.id,
    });
    expect(result.ok).to.equal(true);
    await reach(el, 'in-call');
    await waitUntil(() => el.getAttribute('room-access') === 'in-room', `room-access stayed ${el.getAttribute('room-access')}`, WAIT);
    const admitted = await waitForServerCall((c) => c.id === call.id && c.state === 'confirmed', 'the server call is not confirmed after admission');
    expect(admitted.room).to.equal(conference.toLowerCase());
    expect(el.client!.getSnapshot().call.waitingSince).to.equal(undefined);
  });

  it('admission with the token in a ConferenceParticipantTokenIssued notify gives in-room', async () => {
    await control('/api/tokens', { mode: 'notify' });
    const { el, call } = await waitingGuest();
    const admitted = await admit(el, call, 'in-room');
    expect(el.client!.bearerToken?.slice(0, 4)).to.equal(admitted.bearerToken?.slice(0, 4));
  });

  it('admission without a token stays "pending" (waiting for authorisation)', async () => {
    await control('/api/tokens', { mode: 'off' });
    const { el, call } = await waitingGuest();
    await admit(el, call, 'pending');
    await el.updateComplete;
    expect(part(el, 'access-pending').textContent).to.equal('Waiting for authorisation');
    expect(el.client!.bearerToken).to.equal(undefined);
  });

  it('Cancel while waiting hangs the answered call up with a BYE', async () => {
    const { el, call } = await waitingGuest();
    part(el, 'join-button').click();
    await reach(el, 'ended');
    const ended = await waitForServerCall((c) => c.id === call.id && c.state === 'ended', 'the server call did not end');
    expect(ended.endReason).to.equal('bye');
    expect(ended.cancelledAt, 'no CANCEL: the call was answered').to.equal(undefined);
  });
});
