// Integration: screen sharing into a call and others' content, against vinteo-dev-server.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../components/index.js';
import { VinteoClient } from '../../src/client.js';
import { msidTrackId } from '../../src/call/tracks.js';
import type { VinteoClientOptions } from '../../src/types.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoPresentation } from '../../components/vinteo-presentation/VinteoPresentation.js';
import { control, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv, useTestEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

/** A screen stand-in: a moving canvas. */
function canvasStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => {
    frame += 1;
    context.fillStyle = frame % 2 ? '#204080' : '#802040';
    context.fillRect(0, 0, 640, 360);
    context.fillStyle = '#fff';
    context.fillText(String(frame), 20, 40);
  }, 50);
  const stream = canvas.captureStream(15);
  stream.getVideoTracks()[0]!.addEventListener('ended', () => clearInterval(timer));
  return stream;
}

const presentationMedia = (call: ServerCall) => call.media.filter((m) => m.kind === 'video').slice(1);
/** The server's call object, with the fields these tests read besides ServerCall's. */
const full = (call: ServerCall) =>
  call as ServerCall & { callId: string; presentation: { state: string; packetsReceived: number }; infoSent: Array<{ contentType: string; status: number | null }> };
/** One SIP request as the server received it (`GET /api/messages`), oldest first. */
interface SipRequest {
  seq: number;
  at: string;
  method: string;
  headers: Record<string, string[]>;
}
const requests = (callId: string): Promise<SipRequest[]> => control<SipRequest[]>(`/api/messages?kind=request&callId=${encodeURIComponent(callId)}`);
const shareState = (m: SipRequest): string | undefined => m.headers['x-webrtc-share-state']?.[0];
const shareInfos = (call: ServerCall) =>
  call.infoReceived
    .filter((i) => i.contentType === 'application/vinteo.webrtc.sharedesktop')
    .map((i) => Object.fromEntries(Object.entries(i.headers).map(([k, v]) => [k.toLowerCase(), v]))['x-webrtc-share-state']);

describe('integration: presentations on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  async function joined(presentationAttributes = ''): Promise<{ call: VinteoCall; presentation: VinteoPresentation; server: ServerCall }> {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const template = document.createElement('template');
    template.innerHTML = `
      <vinteo-call id="call-${conference}" ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}" conference="${conference}"></vinteo-call>
      <vinteo-presentation for="call-${conference}" ${presentationAttributes}></vinteo-presentation>`;
    const fragment = document.importNode(template.content, true);
    const call = fragment.querySelector('vinteo-call')!;
    // Client options apply when the element makes its client, on insertion.
    call.clientOptions = { presentationRetryDelayMs: 50 };
    holder.append(fragment);
    const presentation = holder.querySelector('vinteo-presentation')!;
    await call.join();
    await reach(call, 'in-call');
    const server = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
    await waitUntil(() => presentation.client !== undefined, 'presentation element found no client', WAIT);
    return { call, presentation, server };
  }

  it('shares a real screen (getDisplayMedia): permission INFO, a second video m-line receiving packets, maxBitrate and contentHint', async function () {
    // Headless Firefox has no screen to capture: getDisplayMedia rejects with NotFoundError (no fake screen
    // source exists, unlike the fake camera). Firefox shares the canvas stand-in in the tests below.
    if (navigator.userAgent.includes('Firefox/')) this.skip();
    const { presentation, server } = await joined('max-bitrate="600000" content-hint="text"');
    await presentation.updateComplete;
    const button = part(presentation, 'share-button');
    const box = button.getBoundingClientRect();
    const started = oneEvent(presentation, 'vinteo-presentation-started');
    // A real click: getDisplayMedia needs a user gesture.
    await sendMouse({ type: 'click', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    expect((await started).detail).to.deep.equal({ contentHint: 'text' });
    await reach(presentation, 'active');
    expect(button.getAttribute('aria-pressed')).to.equal('true');

    const sender = presentation.client!.presentationSender!;
    expect(sender.track!.contentHint).to.equal('text');
    expect(sender.getParameters().encodings.every((e) => e.maxBitrate === 600_000)).to.equal(true);
    expect(sender.track!.label).to.match(/screen|tab|window|web-contents/i);

    const sharing = await waitForServerCall(
      (c) => c.id === server.id && presentationMedia(c).some((m) => m.packetsReceived > 20),
      'server received no presentation packets',
    );
    expect(shareInfos(sharing)).to.include('LETMESTARTPRESENTATION');
    expect(sharing.media.filter((m) => m.kind === 'video').length).to.equal(2);
    await presentation.stop();
  });

  it('the user ending the share from the browser ends it cleanly', async function () {
    // Firefox delivers an 'ended' event the page dispatches on a track to `onended` only, not to
    // addEventListener listeners (the element's), and headless Firefox has no real screen share whose own
    // "Stop sharing" could end the track: there is no way to play the user's part here.
    if (navigator.userAgent.includes('Firefox/')) this.skip();
    const { presentation } = await joined();
    const stream = canvasStream();
    presentation.source = stream;
    await presentation.start();
    await reach(presentation, 'active');
    const ended = oneEvent(presentation, 'vinteo-presentation-ended');
    // What the browser's own "Stop sharing" does: the track ends.
    stream.getVideoTracks()[0]!.stop();
    stream.getVideoTracks()[0]!.dispatchEvent(new Event('ended'));
    expect((await ended).detail.reason).to.equal('browser');
    await reach(presentation, 'idle');
  });
});

describe('integration: presentations as protocol §8 has them, against the server', function () {
  this.timeout(60_000);
  const env = useTestEnv();

  async function joined(
    presentationAttributes = '',
    options: VinteoClientOptions = { presentationRetryDelayMs: 50 },
  ): Promise<{ call: VinteoCall; presentation: VinteoPresentation; server: ServerCall; conference: string }> {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const template = document.createElement('template');
    template.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}">
      <vinteo-call conference="${conference}"></vinteo-call><vinteo-presentation ${presentationAttributes}></vinteo-presentation></vinteo-session>`;
    const fragment = document.importNode(template.content, true);
    const session = fragment.querySelector('vinteo-session')!;
    session.clientOptions = options;
    holder.append(fragment);
    const call = holder.querySelector('vinteo-call')!;
    const presentation = holder.querySelector('vinteo-presentation')!;
    await call.join();
    await reach(call, 'in-call');
    const server = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
    return { call, presentation, server, conference };
  }

  async function sharing(presentation: VinteoPresentation, server: ServerCall): Promise<ServerCall> {
    presentation.source = canvasStream();
    await presentation.start();
    await reach(presentation, 'active');
    return waitForServerCall((c) => c.id === server.id && full(c).presentation.state === 'active' && full(c).presentation.packetsReceived > 10, 'no presentation packets');
  }

  it('start: the permission INFO, then exactly one re-INVITE with a sendrecv video m-line, then the 1 Mbps cap', async () => {
    const { presentation, server } = await joined();
    const before = server.reinvites;
    const active = await sharing(presentation, server);
    expect(active.reinvites - before).to.equal(1);
    expect(presentationMedia(active).map((m) => m.direction)).to.deep.equal(['sendrecv']);
    const sender = presentation.client!.presentationSender!;
    expect(sender.getParameters().encodings.every((e) => e.maxBitrate === 1_000_000)).to.equal(true);
    expect(sender.track!.contentHint).to.equal('detail');
    const log = await requests(full(active).callId);
    const permission = log.findIndex((m) => m.method === 'INFO' && shareState(m) === 'LETMESTARTPRESENTATION');
    const invites = log.map((m, i) => (m.method === 'INVITE' ? i : -1)).filter((i) => i >= 0);
    expect(permission).to.be.greaterThan(invites[0]!);
    expect(invites.length).to.equal(2);
    expect(invites[1]).to.be.greaterThan(permission);
  });

  it('update re-sends the permission and replaces the track on the same sender; stop is STOPPRESENTATION and the RTP stops, with no re-INVITE; the next start reuses the sender', async () => {
    const { presentation, server } = await joined();
    const active = await sharing(presentation, server);
    const reinvites = active.reinvites;
    const client = presentation.client!;
    const sender = client.presentationSender!;

    const next = canvasStream();
    await client.updatePresentation({ stream: next });
    expect(client.presentationSender).to.equal(sender);
    expect(sender.track).to.equal(next.getVideoTracks()[0]);
    expect(sender.getParameters().encodings.every((e) => e.maxBitrate === 1_000_000)).to.equal(true);
    const updated = await waitForServerCall(
      (c) => c.id === server.id && full(c).presentation.packetsReceived > full(active).presentation.packetsReceived + 10,
      'packets did not continue after update',
    );
    expect(shareInfos(updated)).to.deep.equal(['LETMESTARTPRESENTATION', 'LETMESTARTPRESENTATION']);
    expect(updated.reinvites).to.equal(reinvites);

    const ended = oneEvent(presentation, 'vinteo-presentation-ended');
    part(presentation, 'share-button').click();
    expect((await ended).detail.reason).to.equal('user');
    await reach(presentation, 'idle');
    const stopped = await waitForServerCall((c) => c.id === server.id && full(c).presentation.state === 'stopped', 'the server did not see the stop');
    expect(shareInfos(stopped)).to.deep.equal(['LETMESTARTPRESENTATION', 'LETMESTARTPRESENTATION', 'STOPPRESENTATION']);
    // Measured by the camera's packets, not by a clock: 30 camera packets let what was on its way
    // arrive, then over the next 60 the presentation must stay silent.
    const camera = (c: ServerCall): number => c.media.find((m) => m.kind === 'video')!.packetsReceived;
    const drained = await waitForServerCall((c) => c.id === server.id && camera(c) > camera(stopped) + 30, 'the camera stopped too');
    const later = await waitForServerCall((c) => c.id === server.id && camera(c) > camera(drained) + 60, 'the camera stopped too');
    expect(full(later).presentation.packetsReceived - full(drained).presentation.packetsReceived).to.be.lessThan(2);
    expect(later.reinvites).to.equal(reinvites);
    // The m-line stays sendrecv, without RTP.
    expect(presentationMedia(later).map((m) => m.direction)).to.deep.equal(['sendrecv']);

    const again = await sharing(presentation, server);
    expect(client.presentationSender).to.equal(sender);
    expect(again.reinvites).to.equal(reinvites + 1);
  });

  it('a stop the server refuses leaves the presentation active and its track live', async () => {
    const { presentation, server } = await joined();
    await sharing(presentation, server);
    await control(`/api/calls/${server.id}/presentation-policy`, { stopStatus: 488 });
    const sender = presentation.client!.presentationSender!;
    const track = sender.track!;
    await presentation.stop();
    await reach(presentation, 'active');
    expect(track.readyState).to.equal('live');
    expect(sender.track).to.equal(track);
    expect(part(presentation, 'error').textContent).to.contain('refused to stop');
    const refused = await waitForServerCall((c) => c.id === server.id && shareInfos(c).includes('STOPPRESENTATION'), 'no STOPPRESENTATION');
    expect(full(refused).presentation.state).to.equal('active');
    await waitForServerCall(
      (c) => c.id === server.id && full(c).presentation.packetsReceived > full(refused).presentation.packetsReceived + 20,
      'the RTP stopped after a refused stop',
    );
  });

  it('a refused start is tried once by default: failed with a reason, and the call goes on', async () => {
    const { call, presentation, server } = await joined();
    await control(`/api/calls/${server.id}/presentation-policy`, { accept: false });
    presentation.source = canvasStream();
    const failed = oneEvent(presentation, 'vinteo-presentation-failed');
    await presentation.start();
    expect((await failed).detail.reason).to.equal('presentation-declined');
    await reach(presentation, 'failed');
    expect(part(presentation, 'error').textContent).to.contain('did not allow');
    const after = await waitForServerCall((c) => c.id === server.id, 'call gone');
    expect(shareInfos(after)).to.deep.equal(['LETMESTARTPRESENTATION']);
    expect(after.reinvites).to.equal(server.reinvites);
    expect(presentationMedia(after)).to.deep.equal([]);
    expect(call.getAttribute('state')).to.equal('in-call');
  });

  it('presentation-attempts="3" tries three times, 300 ms apart', async () => {
    const { presentation, server } = await joined('presentation-attempts="3"', {});
    await control(`/api/calls/${server.id}/presentation-policy`, { failNext: 2 });
    const active = await sharing(presentation, server);
    expect(shareInfos(active)).to.deep.equal(['LETMESTARTPRESENTATION', 'LETMESTARTPRESENTATION', 'LETMESTARTPRESENTATION']);
    const times = (await requests(full(active).callId)).filter((m) => shareState(m) === 'LETMESTARTPRESENTATION').map((m) => Date.parse(m.at));
    expect(times[1]! - times[0]!).to.be.at.least(295);
    expect(times[2]! - times[1]!).to.be.at.least(295);
  });

  it('YOUMUSTSTOPSENDCONTENT runs the same stop, STOPPRESENTATION included, with no re-INVITE', async () => {
    const { presentation, server } = await joined();
    const active = await sharing(presentation, server);
    const mustStop = oneEvent(presentation, 'vinteo-presentation-must-stop');
    const ended = oneEvent(presentation, 'vinteo-presentation-ended');
    await control(`/api/calls/${server.id}/presentation/stop`, {});
    await mustStop;
    expect((await ended).detail.reason).to.equal('server');
    await reach(presentation, 'idle');
    expect(part(presentation, 'status').textContent).to.contain('server stopped');
    const stopped = await waitForServerCall((c) => c.id === server.id && full(c).presentation.state === 'stopped', 'no STOPPRESENTATION');
    expect(shareInfos(stopped)).to.deep.equal(['LETMESTARTPRESENTATION', 'STOPPRESENTATION']);
    expect(stopped.reinvites).to.equal(active.reinvites);
  });

  it('in a direct p2p room, start and stop send YOUCANRECEIVECONTENT and CONTENTEND', async () => {
    const { presentation, server, conference } = await joined();
    await control(`/api/calls/${server.id}/info`, {
      contentType: 'application/vinteo.webrtc.roomname',
      headers: { 'X-WEBRTC-ENTER-ROOM': conference, 'X-WEBRTC-PARTICIPANT-NAME': 'Guest', 'X-WEBRTC-IS-DIRECT-P2P': 'true' },
    });
    await waitUntil(() => presentation.client!.getSnapshot().room.isDirectP2P, 'the direct p2p room was not applied', WAIT);
    const active = await sharing(presentation, server);
    await presentation.stop();
    await reach(presentation, 'idle');
    const stopped = await waitForServerCall((c) => c.id === server.id && full(c).presentation.state === 'stopped', 'no CONTENTEND');
    expect(shareInfos(stopped)).to.deep.equal(['YOUCANRECEIVECONTENT', 'CONTENTEND']);
    expect(stopped.reinvites).to.equal(active.reinvites);
  });

  it('a presentation-only call: X-Vinteo-Presentation-Call, no camera or microphone, enter-room ignored, the p2p states', async () => {
    const conference = uniqueConference();
    const client = new VinteoClient({ wsUrl: env().wsUrl, sipDomain: env().sipDomain });
    try {
      await client.join(conference, { presentationOnly: true });
      const server = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
      const room = await control<{ status: number }>(`/api/calls/${server.id}/info`, {
        contentType: 'application/vinteo.webrtc.roomname',
        headers: { 'X-WEBRTC-ENTER-ROOM': conference, 'X-WEBRTC-PARTICIPANT-NAME': 'Guest' },
      });
      expect(room.status).to.equal(200);
      const header = Object.entries(server.inviteHeaders).find(([name]) => name.toLowerCase() === 'x-vinteo-presentation-call');
      expect(header?.[1]).to.equal('yes');
      expect(server.media.map((m) => m.direction)).to.deep.equal(['recvonly', 'recvonly']);
      expect(client.getSnapshot().call.localStream).to.equal(undefined);
      expect(client.getSnapshot().room.name).to.equal(undefined);
      await client.startPresentation({ stream: canvasStream() });
      await client.stopPresentation();
      const stopped = await waitForServerCall((c) => c.id === server.id && full(c).presentation.state === 'stopped', 'no CONTENTEND');
      expect(shareInfos(stopped)).to.deep.equal(['YOUCANRECEIVECONTENT', 'CONTENTEND']);
    } finally {
      client.destroy();
    }
  });

  it("another participant's content (its own msid stream, a `dual` track id) appears in <vinteo-call> and content-video, then disappears", async () => {
    const { call, presentation, server } = await joined();
    await control(`/api/calls/${server.id}/content/start`, { codec: 'VP8' });
    await waitUntil(() => presentation.client!.getSnapshot().presentation.contentAvailable, 'YOUCANRECEIVECONTENT not applied', WAIT);
    const content = part<HTMLVideoElement>(call, 'content-video');
    await waitUntil(() => !content.hidden && content.videoWidth > 0, 'content video never decoded', { timeout: 20_000 });
    const snapshot = presentation.client!.getSnapshot();
    expect(snapshot.presentation.contentCodec).to.equal('VP8');
    // The msid track id the server gave each track: Chromium makes it the track's id, Firefox (as the spec
    // now says) does not, so it is read from the remote SDP by the track's m-line.
    const peer = presentation.client!.peerConnection!;
    const msid = (track: MediaStreamTrack): string =>
      msidTrackId(peer.remoteDescription?.sdp, peer.getTransceivers().find((t) => t.receiver.track === track)?.mid) ?? track.id;
    expect(snapshot.call.contentStream!.getTracks().map((t) => /dual/.test(msid(t)))).to.deep.equal([true]);
    expect(snapshot.call.remoteStream!.getTracks().map((t) => t.kind).sort()).to.deep.equal(['audio', 'video']);
    expect(snapshot.call.remoteStream!.getTracks().some((t) => /dual/.test(msid(t)))).to.equal(false);
    expect(part(call, 'stage').classList.contains('with-content')).to.equal(true);
    const own = part<HTMLVideoElement>(presentation, 'content-video');
    await waitUntil(() => !own.hidden && own.srcObject !== null, '<vinteo-presentation> does not show the content', WAIT);
    const remote = part<HTMLVideoElement>(call, 'remote-video');
    expect(remote.srcObject).not.to.equal(content.srcObject);

    await control(`/api/calls/${server.id}/content/stop`, {});
    await waitUntil(() => content.hidden, 'content still shown after CONTENTEND', WAIT);
    expect(part(call, 'stage').classList.contains('with-content')).to.equal(false);
    expect(call.getAttribute('state')).to.equal('in-call');
  });
});
