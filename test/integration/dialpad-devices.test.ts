// Integration: <vinteo-dialpad> and <vinteo-devices> with real JsSIP and WebRTC (Chromium's fake
// camera and microphone) against vinteo-dev-server on 127.0.0.1.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { VinteoDeviceChangeEvent, VinteoDtmfEvent } from '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { serverCalls, uniqueConference, waitForServerCall, type ServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

/** The server also counts re-INVITEs (and UPDATE offers) per call. */
type ServerCallWithReinvites = ServerCall & { reinvites: number };

async function serverCall(id: string): Promise<ServerCallWithReinvites> {
  const call = (await serverCalls()).find((c) => c.id === id);
  if (!call) throw new Error(`call ${id} is gone from the server`);
  return call as ServerCallWithReinvites;
}

const videoPackets = (call: ServerCall): number => call.media.find((m) => m.kind === 'video')?.packetsReceived ?? 0;

describe('integration: dialpad and devices on vinteo-dev-server', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  it('keys and typed tones reach the server as DTMF, in order', async () => {
    const conference = uniqueConference();
    const holder = await fixture<HTMLDivElement>(html`
      <div>
        <vinteo-call id="dtmf-call" ws-url=${env().wsUrl} sip-domain=${env().sipDomain} conference=${conference} auto-join></vinteo-call>
        <vinteo-dialpad for="dtmf-call"></vinteo-dialpad>
      </div>
    `);
    const call = holder.querySelector('vinteo-call')!;
    const dialpad = holder.querySelector('vinteo-dialpad')!;
    expect(dialpad.client).to.equal(call.client);
    await reach(call, 'in-call');
    await waitUntil(() => dialpad.available, 'dialpad not available in the call', WAIT);
    await dialpad.updateComplete;
    const fired: string[] = [];
    dialpad.addEventListener('vinteo-dtmf', (event: VinteoDtmfEvent) => fired.push(event.detail.tones));

    const key = (tone: string): HTMLButtonElement =>
      [...dialpad.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="key"]')].find((k) => k.dataset['tone'] === tone)!;
    key('1').click();
    key('2').click();
    key('#').click();
    part<HTMLInputElement>(dialpad, 'input').focus();
    await sendKeys({ type: '34' });
    await sendKeys({ press: 'Enter' });
    expect(fired).to.deep.equal(['1', '2', '#', '34']);

    const received = await waitForServerCall(
      (c) => c.conference === conference && c.dtmfReceived.length >= 5,
      'the server did not receive five DTMF tones',
      20_000,
    );
    expect(received.dtmfReceived).to.equal('12#34');
    const relays = received.infoReceived.filter((info) => info.contentType.toLowerCase().startsWith('application/dtmf-relay'));
    expect(relays.map((info) => /signal\s*=\s*(\S+)/i.exec(info.body)?.[1])).to.deep.equal(['1', '2', '#', '3', '4']);
    await dialpad.updateComplete;
    expect(part(dialpad, 'display').textContent).to.contain('12#34');
    expect(call.getAttribute('state')).to.equal('in-call');
  });

  it('switching the camera in a call replaces the sent track: still in-call, new live preview track, video keeps flowing, no re-INVITE', async () => {
    const conference = uniqueConference();
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${env().wsUrl} sip-domain=${env().sipDomain} display-name="Devices">
        <vinteo-call conference=${conference}></vinteo-call>
        <vinteo-devices></vinteo-devices>
      </vinteo-session>
    `);
    const call = session.querySelector('vinteo-call') as VinteoCall;
    const devices = session.querySelector('vinteo-devices')!;
    expect(devices.client).to.equal(session.client);
    await call.join();
    await reach(call, 'in-call');

    // Once the call has the camera, the browser gives real ids: the element lists them again.
    await waitUntil(
      () => {
        const { cameras, microphones } = session.client.getSnapshot().devices;
        return cameras.length > 0 && microphones.length > 0 && cameras.every((c) => c.deviceId !== '');
      },
      'no camera and microphone with ids were listed',
      { timeout: 10_000 },
    );
    const { cameras } = session.client.getSnapshot().devices;
    const cameraSelect = part<HTMLSelectElement>(devices, 'camera-select');
    await waitUntil(() => cameraSelect.options.length === cameras.length && cameraSelect.options[0]!.value === cameras[0]!.deviceId, 'camera list not rendered', WAIT);
    expect(part<HTMLSelectElement>(devices, 'microphone-select').options.length).to.be.greaterThan(0);

    const onServer = await waitForServerCall(
      (c) => c.conference === conference && c.state === 'confirmed' && videoPackets(c) > 20,
      'the server did not receive video before the switch',
    );
    const preview = part<HTMLVideoElement>(call, 'local-video');
    const oldTrack = (preview.srcObject as MediaStream).getVideoTracks()[0]!;
    expect(oldTrack.readyState).to.equal('live');
    const inUse = oldTrack.getSettings().deviceId;
    const target = cameras.find((c) => c.deviceId !== inUse) ?? cameras[0]!;

    const changed = oneEvent(devices, 'vinteo-device-change');
    cameraSelect.value = target.deviceId;
    cameraSelect.dispatchEvent(new Event('change', { bubbles: true }));
    const detail = ((await changed) as VinteoDeviceChangeEvent).detail;
    expect(detail).to.deep.equal({ kind: 'camera', deviceId: target.deviceId });

    expect(call.getAttribute('state')).to.equal('in-call');
    await waitUntil(() => (preview.srcObject as MediaStream | null)?.getVideoTracks()[0] !== oldTrack, 'the preview kept the old track', WAIT);
    const newTrack = (preview.srcObject as MediaStream).getVideoTracks()[0]!;
    expect(newTrack.readyState).to.equal('live');
    expect(newTrack.getSettings().deviceId).to.equal(target.deviceId);
    expect(oldTrack.readyState).to.equal('ended');
    const sender = session.client.peerConnection!.getSenders().find((s) => s.track?.kind === 'video');
    expect(sender?.track).to.equal(newTrack);

    const before = videoPackets(await serverCall(onServer.id));
    await waitUntil(async () => videoPackets(await serverCall(onServer.id)) > before + 30, 'video stopped reaching the server after the switch', {
      timeout: 15_000,
      interval: 200,
    });
    const after = await serverCall(onServer.id);
    expect(after.state).to.equal('confirmed');
    expect(after.reinvites).to.equal(0);
    expect((await serverCalls()).filter((c) => c.conference === conference)).to.have.length(1);
    await devices.updateComplete;
    expect(cameraSelect.value).to.equal(target.deviceId);
    expect(part(devices, 'error')).to.equal(null);
    expect(call.getAttribute('state')).to.equal('in-call');
  });
});
