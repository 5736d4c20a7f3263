import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './vinteo-devices.js';
import '../vinteo-call/vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoDevices } from './VinteoDevices.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import { VinteoClient } from '../../src/client.js';
import { FakeDevices, fakeTransport, installFakeSenders, type FakeDeviceInit } from '../../test/helpers/fake-transport.js';
import { part } from '../../test/helpers/dom.js';
import type { VinteoDeviceChangeEvent } from '../shared/events.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

const DEVICES: FakeDeviceInit[] = [
  { kind: 'videoinput', deviceId: 'cam-a' },
  { kind: 'videoinput', deviceId: 'cam-b' },
  { kind: 'audioinput', deviceId: 'mic-a', label: 'Desk microphone' },
  { kind: 'audioinput', deviceId: 'mic-b' },
  { kind: 'audiooutput', deviceId: 'default', label: 'Default speaker' },
  { kind: 'audiooutput', deviceId: 'spk-b', label: 'Headphones' },
];

function options(devices: readonly FakeDeviceInit[] = DEVICES) {
  const transport = fakeTransport();
  const fake = new FakeDevices(devices);
  return { transport, fake, clientOptions: { userAgentFactory: transport.factory, mediaProvider: fake, deviceProvider: fake } };
}

const select = (el: Element, kind: string): HTMLSelectElement => part<HTMLSelectElement>(el, `${kind}-select`)!;
const optionTexts = (el: Element, kind: string): string[] => [...select(el, kind).options].map((o) => o.textContent!.trim());

/** Picks an option as a user does: sets the value and fires `change`. */
function choose(el: Element, kind: string, value: string): void {
  const list = select(el, kind);
  list.value = value;
  list.dispatchEvent(new Event('change', { bubbles: true }));
}

async function inSession(devices: readonly FakeDeviceInit[] = DEVICES) {
  const setup = options(devices);
  const session = await fixture<VinteoSession>(html`
    <vinteo-session ws-url=${WS} .clientOptions=${setup.clientOptions}>
      <vinteo-call conference="1000"></vinteo-call>
      <vinteo-devices></vinteo-devices>
    </vinteo-session>
  `);
  const el = session.querySelector('vinteo-devices')!;
  await waitUntil(() => select(el, 'camera').options.length === 2, 'devices were never listed');
  return { ...setup, session, el, call: session.querySelector('vinteo-call')! };
}

describe('<vinteo-devices>', () => {
  it('lists cameras, microphones and speakers with fallback labels, and passes an audit', async () => {
    const { el, session, fake } = await inSession();
    expect(el.client).to.equal(session.client);
    expect(fake.listenerCount).to.equal(1);
    for (const name of ['base', 'field', 'label', 'camera-select', 'microphone-select', 'speaker-select']) {
      expect(part(el, name), name).not.to.equal(null);
    }
    expect(optionTexts(el, 'camera')).to.deep.equal(['Camera 1', 'Camera 2']);
    expect(optionTexts(el, 'microphone')).to.deep.equal(['Desk microphone', 'Microphone 2']);
    expect(optionTexts(el, 'speaker')).to.deep.equal(['Default speaker', 'Headphones']);
    expect([...select(el, 'camera').options].map((o) => o.value)).to.deep.equal(['cam-a', 'cam-b']);
    expect(select(el, 'camera').value).to.equal('cam-a');
    expect(select(el, 'camera').disabled).to.equal(false);
    expect(select(el, 'speaker').disabled).to.equal(false);
    const label = el.shadowRoot!.querySelector(`label[for="${select(el, 'camera').id}"]`);
    expect(label!.textContent).to.contain('Camera');
    expect(part(el, 'error')).to.equal(null);
    expect(part(el, 'hint')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('choosing outside a call remembers the device for the next call and fires vinteo-device-change', async () => {
    const { el, session, call, fake } = await inSession();
    const changed = oneEvent(el, 'vinteo-device-change');
    choose(el, 'camera', 'cam-b');
    expect((await changed).detail).to.deep.equal({ kind: 'camera', deviceId: 'cam-b' });
    expect(session.client.getSnapshot().devices.cameraId).to.equal('cam-b');
    const microphone = oneEvent(el, 'vinteo-device-change');
    choose(el, 'microphone', 'mic-b');
    expect((await microphone).detail).to.deep.equal({ kind: 'microphone', deviceId: 'mic-b' });
    const speaker = oneEvent(el, 'vinteo-device-change');
    choose(el, 'speaker', 'spk-b');
    expect((await speaker).detail).to.deep.equal({ kind: 'speaker', deviceId: 'spk-b' });
    expect(session.client.getSnapshot().devices.speakerId).to.equal('spk-b');
    await el.updateComplete;
    expect(select(el, 'camera').value).to.equal('cam-b');
    expect(select(el, 'speaker').value).to.equal('spk-b');

    await call.join();
    const constraints = fake.requests.at(-1)!;
    expect((constraints.video as MediaTrackConstraints).deviceId).to.deep.equal({ exact: 'cam-b' });
    expect((constraints.audio as MediaTrackConstraints).deviceId).to.deep.equal({ exact: 'mic-b' });
  });

  it('choosing in a call replaces the sent track without a new call', async () => {
    const { el, session, call, transport, fake } = await inSession();
    await call.join();
    await waitUntil(() => call.getAttribute('state') === 'in-call', 'call not in-call');
    const sip = transport.agents[0]!.sessions[0]!;
    const senders = installFakeSenders(sip);
    const oldVideo = session.client.getSnapshot().call.localStream!.getVideoTracks()[0]!;
    const fired: Array<{ kind: string; deviceId: string }> = [];
    el.addEventListener('vinteo-device-change', (event: VinteoDeviceChangeEvent) => fired.push({ ...event.detail }));

    choose(el, 'camera', 'cam-b');
    await waitUntil(() => fired.length === 1, 'no vinteo-device-change');
    expect(fired[0]).to.deep.equal({ kind: 'camera', deviceId: 'cam-b' });
    const newVideo = session.client.getSnapshot().call.localStream!.getVideoTracks()[0]!;
    expect(newVideo).not.to.equal(oldVideo);
    expect(newVideo.readyState).to.equal('live');
    expect(oldVideo.readyState).to.equal('ended');
    const videoSender = senders.find((s) => s.track?.kind === 'video')!;
    expect(videoSender.replaced).to.deep.equal([newVideo]);
    expect((fake.requests.at(-1)!.video as MediaTrackConstraints).deviceId).to.deep.equal({ exact: 'cam-b' });
    expect(transport.agents[0]!.sessions.length).to.equal(1);
    expect(call.getAttribute('state')).to.equal('in-call');
    await el.updateComplete;
    expect(select(el, 'camera').value).to.equal('cam-b');
    await expect(el).to.be.accessible();
  });

  it('a refused switch fires vinteo-error media-permission-denied, shows it, and keeps the old device', async () => {
    const { el, session, call, transport, fake } = await inSession();
    await call.join();
    await waitUntil(() => call.getAttribute('state') === 'in-call', 'call not in-call');
    installFakeSenders(transport.agents[0]!.sessions[0]!);
    const oldVideo = session.client.getSnapshot().call.localStream!.getVideoTracks()[0]!;
    fake.failNext = 'NotAllowedError';
    let changes = 0;
    el.addEventListener('vinteo-device-change', () => changes++);
    const error = oneEvent(el, 'vinteo-error');
    choose(el, 'camera', 'cam-b');
    expect((await error).detail.reason).to.equal('media-permission-denied');
    await el.updateComplete;
    const shown = part(el, 'error')!;
    expect(shown.getAttribute('role')).to.equal('alert');
    expect(shown.textContent).to.contain('Access to the camera or microphone was denied');
    expect(select(el, 'camera').value).to.equal('cam-a');
    expect(changes).to.equal(0);
    expect(session.client.getSnapshot().call.localStream!.getVideoTracks()[0]).to.equal(oldVideo);
    expect(oldVideo.readyState).to.equal('live');
    expect(call.getAttribute('state')).to.equal('in-call');

    // The next successful switch clears the message.
    choose(el, 'camera', 'cam-b');
    await oneEvent(el, 'vinteo-device-change');
    await el.updateComplete;
    expect(part(el, 'error')).to.equal(null);
  });

  it('a missing device fires vinteo-error media-unavailable', async () => {
    const { el, call, transport, fake } = await inSession();
    await call.join();
    await waitUntil(() => call.getAttribute('state') === 'in-call', 'call not in-call');
    installFakeSenders(transport.agents[0]!.sessions[0]!);
    fake.failNext = 'NotFoundError';
    const error = oneEvent(el, 'vinteo-error');
    const ok = await el.selectDevice('microphone', 'mic-b');
    expect(ok).to.equal(false);
    expect((await error).detail.reason).to.equal('media-unavailable');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('No usable camera or microphone');
  });

  it('follows devicechange: plugged and unplugged devices show up', async () => {
    const { el, fake } = await inSession();
    fake.change([
      ...DEVICES.filter((d) => d.deviceId !== 'cam-b'),
      { kind: 'videoinput', deviceId: 'cam-c', label: 'USB camera' },
      { kind: 'videoinput', deviceId: 'cam-d' },
    ]);
    await waitUntil(() => optionTexts(el, 'camera').includes('USB camera'), 'the new camera was not listed');
    expect(optionTexts(el, 'camera')).to.deep.equal(['Camera 1', 'USB camera', 'Camera 3']);
    fake.change(DEVICES.filter((d) => d.kind !== 'videoinput'));
    await waitUntil(() => select(el, 'camera').disabled, 'the camera list stayed enabled with no camera');
    expect(optionTexts(el, 'camera')).to.deep.equal(['No camera found']);
  });

  it('lists again once a call has opened the camera, as browsers give ids and names only then', async () => {
    // Before media access a browser lists one nameless device per kind, with an empty id.
    const { clientOptions, fake } = options([
      { kind: 'videoinput', deviceId: '' },
      { kind: 'audioinput', deviceId: '' },
    ]);
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${WS} .clientOptions=${clientOptions}>
        <vinteo-call conference="1000"></vinteo-call>
        <vinteo-devices></vinteo-devices>
      </vinteo-session>
    `);
    const el = session.querySelector('vinteo-devices')!;
    await waitUntil(() => optionTexts(el, 'camera').length === 1 && optionTexts(el, 'camera')[0] === 'Camera 1', 'nameless camera not listed');
    expect(optionTexts(el, 'speaker')).to.deep.equal(['No speaker found']);
    expect(select(el, 'speaker').disabled).to.equal(true);
    // Access granted: the list is richer now, but browsers fire no devicechange for that.
    fake.setDevices(DEVICES);
    await session.querySelector('vinteo-call')!.join();
    await waitUntil(() => optionTexts(el, 'camera').length === 2, 'not listed again after the call opened the camera');
    expect(optionTexts(el, 'microphone')).to.deep.equal(['Desk microphone', 'Microphone 2']);
  });

  it('where the browser cannot choose the speaker, the speaker list is disabled and says why', async () => {
    const proto = HTMLMediaElement.prototype as unknown as Record<string, unknown>;
    const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'setSinkId');
    delete proto['setSinkId'];
    let client: VinteoClient;
    try {
      client = new VinteoClient({ wsUrl: WS, ...options().clientOptions });
    } finally {
      if (descriptor) Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', descriptor);
    }
    const el = await fixture<VinteoDevices>(html`<vinteo-devices .client=${client}></vinteo-devices>`);
    await waitUntil(() => select(el, 'camera').options.length === 2, 'devices were never listed');
    const speaker = select(el, 'speaker');
    expect(speaker.disabled).to.equal(true);
    const hint = part(el, 'speaker-hint')!;
    expect(hint.textContent).to.contain('cannot choose the speaker');
    expect(speaker.getAttribute('aria-describedby')).to.equal(hint.id);
    const error = oneEvent(el, 'vinteo-error');
    expect(await el.selectDevice('speaker', 'spk-b')).to.equal(false);
    expect((await error).detail.reason).to.equal('media-unavailable');
    await expect(el).to.be.accessible();
    client.destroy();
  });

  it('for="id" uses the client of that <vinteo-call>', async () => {
    const { clientOptions } = options();
    const holder = await fixture<HTMLDivElement>(html`
      <div>
        <vinteo-call id="devices-call" ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>
        <vinteo-devices for="devices-call"></vinteo-devices>
      </div>
    `);
    const call = holder.querySelector('vinteo-call')!;
    const el = holder.querySelector('vinteo-devices')!;
    expect(el.client).to.equal(call.client);
    await waitUntil(() => select(el, 'microphone').options.length === 2, 'devices were never listed');
    expect(optionTexts(el, 'microphone')).to.deep.equal(['Desk microphone', 'Microphone 2']);
  });

  it('without a client it is disabled and says it is not linked', async () => {
    const el = await fixture<VinteoDevices>(html`<vinteo-devices></vinteo-devices>`);
    expect(part(el, 'hint')!.textContent).to.contain('Not linked to a call');
    expect(['camera', 'microphone', 'speaker'].every((kind) => select(el, kind).disabled)).to.equal(true);
    expect(select(el, 'camera').getAttribute('aria-describedby')).to.equal('hint');
    const error = oneEvent(el, 'vinteo-error');
    expect(await el.selectDevice('camera', 'x')).to.equal(false);
    expect((await error).detail.reason).to.equal('invalid-state');
    await expect(el).to.be.accessible();
  });

  it('speaks Russian when the page does', async () => {
    const { clientOptions } = options();
    const wrapper = await fixture<HTMLDivElement>(html`
      <div lang="ru">
        <vinteo-session ws-url=${WS} .clientOptions=${clientOptions}><vinteo-devices></vinteo-devices></vinteo-session>
      </div>
    `);
    const el = wrapper.querySelector('vinteo-devices')!;
    await waitUntil(() => select(el, 'camera').options.length === 2, 'devices were never listed');
    expect(optionTexts(el, 'camera')).to.deep.equal(['Камера 1', 'Камера 2']);
    expect(optionTexts(el, 'microphone')).to.deep.equal(['Desk microphone', 'Микрофон 2']);
    const labels = [...el.shadowRoot!.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels).to.deep.equal(['Камера', 'Микрофон', 'Динамик']);
    expect(part(el, 'base')!.getAttribute('aria-label')).to.equal('Устройства');
  });
});
