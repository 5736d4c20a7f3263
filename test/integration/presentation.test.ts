// Integration: screen sharing into a call and others' content, against vinteo-dev-server.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoPresentation } from '../../components/vinteo-presentation/VinteoPresentation.js';
import { control, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv, useTestEnv } from '../helpers/integration.js';

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
    await waitUntil(() => presentation.client !== undefined, 'presentation element found no client');
    return { call, presentation, server };
  }

  it('shares a real screen (getDisplayMedia): permission INFO, a second video m-line receiving packets, maxBitrate and contentHint', async () => {
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

  it('update swaps the track without a re-INVITE; stop sends STOPPRESENTATION and the packets stop', async () => {
    const { presentation, server } = await joined();
    presentation.source = canvasStream();
    await presentation.start();
    await reach(presentation, 'active');
    const active = await waitForServerCall(
      (c) => c.id === server.id && presentationMedia(c).some((m) => m.packetsReceived > 10),
      'no presentation packets',
    );
    const reinvites = active.reinvites;

    const next = canvasStream();
    await presentation.client!.updatePresentation({ stream: next });
    expect(presentation.client!.presentationSender!.track).to.equal(next.getVideoTracks()[0]);
    const afterUpdate = await waitForServerCall(
      (c) => c.id === server.id && presentationMedia(c)[0]!.packetsReceived > presentationMedia(active)[0]!.packetsReceived + 10,
      'packets did not continue after update',
    );
    expect(afterUpdate.reinvites).to.equal(reinvites);

    const ended = oneEvent(presentation, 'vinteo-presentation-ended');
    part(presentation, 'share-button').click();
    expect((await ended).detail.reason).to.equal('user');
    await reach(presentation, 'idle');
    const stopped = await waitForServerCall((c) => c.id === server.id && shareInfos(c).includes('STOPPRESENTATION'), 'no STOPPRESENTATION');
    // Measured by the camera's packets, not by a clock: 30 camera packets let what was on its way
    // arrive, then over the next 60 the presentation m-line must stay silent.
    const camera = (c: ServerCall): number => c.media.find((m) => m.kind === 'video')!.packetsReceived;
    const drained = await waitForServerCall((c) => c.id === server.id && camera(c) > camera(stopped) + 30, 'the camera stopped too');
    const later = await waitForServerCall((c) => c.id === server.id && camera(c) > camera(drained) + 60, 'the camera stopped too');
    expect(presentationMedia(later)[0]!.packetsReceived - presentationMedia(drained)[0]!.packetsReceived).to.be.lessThan(2);
  });

  it('the user ending the share from the browser ends it cleanly', async () => {
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

describe('integration: the server side of presentations', function () {
  this.timeout(60_000);
  const env = useTestEnv();

  async function joined(): Promise<{ call: VinteoCall; presentation: VinteoPresentation; server: ServerCall }> {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const template = document.createElement('template');
    template.innerHTML = `<vinteo-session ws-url="${env().wsUrl}" sip-domain="${env().sipDomain}">
      <vinteo-call conference="${conference}"></vinteo-call><vinteo-presentation></vinteo-presentation></vinteo-session>`;
    const fragment = document.importNode(template.content, true);
    const session = fragment.querySelector('vinteo-session')!;
    session.clientOptions = { presentationRetryDelayMs: 50 };
    holder.append(fragment);
    const call = holder.querySelector('vinteo-call')!;
    const presentation = holder.querySelector('vinteo-presentation')!;
    await call.join();
    await reach(call, 'in-call');
    const server = await waitForServerCall((c) => c.conference === conference && c.state === 'confirmed', 'call not on the server');
    return { call, presentation, server };
  }

  it('a declined start ends in failed with a reason, and the call goes on', async () => {
    const { call, presentation, server } = await joined();
    await control(`/api/calls/${server.id}/presentation-policy`, { accept: false });
    presentation.source = canvasStream();
    const failed = oneEvent(presentation, 'vinteo-presentation-failed');
    await presentation.start();
    expect((await failed).detail.reason).to.equal('presentation-declined');
    await reach(presentation, 'failed');
    expect(part(presentation, 'error').textContent).to.contain('did not allow');
    const after = await waitForServerCall((c) => c.id === server.id, 'call gone');
    expect(shareInfos(after).filter((s) => s === 'LETMESTARTPRESENTATION').length).to.equal(3);
    expect(presentationMedia(after)).to.deep.equal([]);
    expect(call.getAttribute('state')).to.equal('in-call');
  });

  it('a start declined once is retried and succeeds', async () => {
    const { presentation, server } = await joined();
    await control(`/api/calls/${server.id}/presentation-policy`, { failNext: 1 });
    presentation.source = canvasStream();
    await presentation.start();
    await reach(presentation, 'active');
    const after = await waitForServerCall((c) => c.id === server.id && presentationMedia(c).length === 1, 'no presentation m-line');
    expect(shareInfos(after).filter((s) => s === 'LETMESTARTPRESENTATION').length).to.equal(2);
  });

  it('YOUMUSTSTOPSENDCONTENT stops the share at once', async () => {
    const { presentation, server } = await joined();
    presentation.source = canvasStream();
    await presentation.start();
    await reach(presentation, 'active');
    const mustStop = oneEvent(presentation, 'vinteo-presentation-must-stop');
    const ended = oneEvent(presentation, 'vinteo-presentation-ended');
    await control(`/api/calls/${server.id}/presentation/stop`, {});
    await mustStop;
    expect((await ended).detail.reason).to.equal('server');
    await reach(presentation, 'idle');
    expect(part(presentation, 'status').textContent).to.contain('server stopped');
  });

  it("another participant's content appears large in <vinteo-call> and in content-video, then disappears", async () => {
    const { call, presentation, server } = await joined();
    await control(`/api/calls/${server.id}/content/start`, { codec: 'VP8' });
    await waitUntil(() => presentation.client!.getSnapshot().presentation.contentAvailable, 'YOUCANRECEIVECONTENT not applied');
    const content = part<HTMLVideoElement>(call, 'content-video');
    await waitUntil(() => !content.hidden && content.videoWidth > 0, 'content video never decoded', { timeout: 20_000 });
    expect(presentation.client!.getSnapshot().presentation.contentCodec).to.equal('VP8');
    expect(part(call, 'stage').classList.contains('with-content')).to.equal(true);
    const own = part<HTMLVideoElement>(presentation, 'content-video');
    await waitUntil(() => !own.hidden && own.srcObject !== null, '<vinteo-presentation> does not show the content');
    const remote = part<HTMLVideoElement>(call, 'remote-video');
    expect(remote.srcObject).not.to.equal(content.srcObject);

    await control(`/api/calls/${server.id}/content/stop`, {});
    await waitUntil(() => content.hidden, 'content still shown after CONTENTEND');
    expect(part(call, 'stage').classList.contains('with-content')).to.equal(false);
    expect(call.getAttribute('state')).to.equal('in-call');
  });
});
