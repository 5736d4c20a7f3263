import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import './vinteo-call.js';
import type { VinteoCall } from './VinteoCall.js';
import { FakeDevices, fakeTransport } from '../../test/helpers/fake-transport.js';
import { part, reach } from '../../test/helpers/dom.js';
import { REMEMBERED_NAME_KEY } from './lobby.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

function setup() {
  const transport = fakeTransport();
  const devices = new FakeDevices([
    { kind: 'audioinput', deviceId: 'mic-1', label: 'Desk microphone' },
    { kind: 'audioinput', deviceId: 'mic-2', label: 'Headset' },
    { kind: 'videoinput', deviceId: 'cam-1', label: 'Built-in camera' },
  ]);
  return { transport, devices, clientOptions: { userAgentFactory: transport.factory, mediaProvider: devices, deviceProvider: devices } };
}

function inviteHeaders(transport: ReturnType<typeof fakeTransport>): string[] {
  return transport.agents[0]!.sessions[0]!.options.extraHeaders as string[];
}

describe('<vinteo-call>: the pre-join lobby', () => {
  afterEach(() => localStorage.removeItem(REMEMBERED_NAME_KEY));

  it('opens no camera before the preview click; the click previews, Join releases the preview', async () => {
    const { clientOptions, devices } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    for (const name of ['lobby', 'preview-video', 'preview-button', 'name-input', 'microphone-select', 'camera-select', 'mic-level', 'lobby-microphone-toggle', 'lobby-camera-toggle', 'join-button']) {
      expect(part(el, name), name).not.to.equal(null);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(devices.requests, 'no getUserMedia on load').to.deep.equal([]);
    expect(part(el, 'preview-button')!.textContent).to.contain('Preview camera');
    part(el, 'preview-button')!.click();
    await waitUntil(() => (part(el, 'preview-video') as HTMLVideoElement).srcObject instanceof MediaStream, 'no preview');
    expect(devices.requests.length).to.equal(1);
    const preview = (part(el, 'preview-video') as HTMLVideoElement).srcObject as MediaStream;
    await el.updateComplete;
    expect(part(el, 'preview-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part(el, 'preview-button')!.textContent).to.contain('Stop preview');
    await el.join();
    await reach(el, 'in-call');
    expect(preview.getTracks().every((track) => track.readyState === 'ended'), 'preview released on Join').to.equal(true);
    expect(part(el, 'lobby')).to.equal(null);
  });

  it('the level meter moves with the preview microphone', async () => {
    const { clientOptions: base } = setup();
    // A microphone that sounds: a running oscillator (Chromium's fake microphone beeps the same way).
    const beeping = {
      getUserMedia: async (constraints: MediaStreamConstraints) => {
        const stream = await base.mediaProvider.getUserMedia({ ...constraints, audio: false });
        const context = new AudioContext();
        const destination = context.createMediaStreamDestination();
        const oscillator = context.createOscillator();
        oscillator.connect(destination);
        oscillator.start();
        return new MediaStream([...stream.getTracks(), ...destination.stream.getAudioTracks()]);
      },
    };
    const clientOptions = { ...base, mediaProvider: beeping };
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" display-name="Ann" .clientOptions=${clientOptions}></vinteo-call>`);
    const meter = part(el, 'mic-level') as HTMLMeterElement;
    expect(meter.value).to.equal(0);
    part(el, 'preview-button')!.click();
    // The synthetic microphone is an oscillator: the level rises above zero.
    await waitUntil(() => meter.value > 0, 'the level never moved', { timeout: 3000 });
  });

  it('removing the element releases the preview', async () => {
    const { clientOptions } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    part(el, 'preview-button')!.click();
    await waitUntil(() => (part(el, 'preview-video') as HTMLVideoElement).srcObject instanceof MediaStream, 'no preview');
    const preview = (part(el, 'preview-video') as HTMLVideoElement).srcObject as MediaStream;
    el.remove();
    expect(preview.getTracks().every((track) => track.readyState === 'ended')).to.equal(true);
  });

  it('asks for a name only without display-name, and uses it; remember-name stores it', async () => {
    const { clientOptions } = setup();
    const named = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" display-name="Ann" .clientOptions=${clientOptions}></vinteo-call>`);
    expect(part(named, 'name-input')).to.equal(null);

    const { clientOptions: other, transport } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" remember-name .clientOptions=${other}></vinteo-call>`);
    const input = part(el, 'name-input') as HTMLInputElement;
    expect(el.shadowRoot!.querySelector('label[for="name-input"]')!.textContent).to.contain('Your name');
    input.value = 'Boris';
    input.dispatchEvent(new Event('input'));
    await el.join();
    await reach(el, 'in-call');
    expect(transport.agents[0]!.params.configuration.display_name).to.equal('Boris');
    expect(localStorage.getItem(REMEMBERED_NAME_KEY)).to.equal('Boris');
  });

  it('does not store the name without remember-name', async () => {
    const { clientOptions } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    const input = part(el, 'name-input') as HTMLInputElement;
    input.value = 'Carol';
    input.dispatchEvent(new Event('input'));
    await el.join();
    await reach(el, 'in-call');
    expect(localStorage.getItem(REMEMBERED_NAME_KEY)).to.equal(null);
  });

  it('lists the devices in the selects and a choice reaches the client', async () => {
    const { clientOptions } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    const microphones = part(el, 'microphone-select') as HTMLSelectElement;
    await waitUntil(() => microphones.options.length === 2, 'microphones not listed');
    expect([...microphones.options].map((o) => o.textContent!.trim())).to.deep.equal(['Desk microphone', 'Headset']);
    expect([...(part(el, 'camera-select') as HTMLSelectElement).options].map((o) => o.value)).to.deep.equal(['cam-1']);
    microphones.value = 'mic-2';
    microphones.dispatchEvent(new Event('change'));
    await waitUntil(() => el.client!.getSnapshot().devices.microphoneId === 'mic-2', 'choice not applied');
  });

  it('the toggles make the join send microphone and camera off', async () => {
    const { clientOptions, transport } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    const mic = part(el, 'lobby-microphone-toggle')!;
    const camera = part(el, 'lobby-camera-toggle')!;
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    mic.click();
    camera.click();
    await el.updateComplete;
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    expect(mic.classList.contains('off')).to.equal(true);
    expect(mic.querySelector('.icon-microphone-off')).not.to.equal(null);
    await el.join();
    await reach(el, 'in-call');
    expect(inviteHeaders(transport)).to.include('X-Vinteo-Mic-State: 0');
    expect(inviteHeaders(transport)).to.include('X-Vinteo-MainCam-State: 0');
  });

  for (const lang of ['en', 'ru']) {
    for (const theme of ['light', 'dark']) {
      it(`lobby and in-call bar are accessible (${lang}, ${theme})`, async () => {
        const { clientOptions } = setup();
        const el = await fixture<VinteoCall>(html`<vinteo-call lang=${lang} theme=${theme} ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
        if (lang === 'ru') expect(part(el, 'preview-button')!.textContent).to.contain('Проверить камеру');
        await expect(el).to.be.accessible();
        await el.join();
        await reach(el, 'in-call');
        await el.updateComplete;
        await expect(el).to.be.accessible();
      });
    }
  }
});

describe('<vinteo-call>: icon controls and full screen', () => {
  it('icon toggles with labels, aria-pressed and the crossed state; camera-off tile with initials', async () => {
    const { clientOptions } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" display-name="Anna Petrova" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    await el.updateComplete;
    const camera = part(el, 'camera-button')!;
    expect(camera.querySelector('svg.icon-camera')).not.to.equal(null);
    expect(camera.textContent!.trim()).to.equal('Camera');
    expect(part(el, 'leave-button')!.textContent!.trim()).to.equal('Leave');
    expect(part(el, 'controls')!.classList.contains('overlay')).to.equal(true);
    camera.click();
    await el.updateComplete;
    expect(camera.getAttribute('aria-pressed')).to.equal('false');
    expect(camera.classList.contains('off')).to.equal(true);
    expect(camera.querySelector('svg.icon-camera-off')).not.to.equal(null);
    expect(part(el, 'camera-off-tile')!.querySelector('.initials')!.textContent).to.equal('AP');
    expect(part(el, 'camera-off-name')!.textContent!.trim(), 'the name under the initials').to.equal('Anna Petrova');
    expect(part(el, 'camera-off-tile')!.getAttribute('aria-label')).to.equal('Camera off: Anna Petrova');
    const tile = part(el, 'camera-off-tile')!.getBoundingClientRect();
    const name = part(el, 'camera-off-name')!.getBoundingClientRect();
    expect(name.right, 'the name stays inside its tile').to.be.at.most(tile.right + 1);
    const button = part(el, 'camera-button') as HTMLButtonElement;
    expect(button.getBoundingClientRect().height).to.be.at.least(44);
    expect(part(el, 'share-button')).not.to.equal(null);
  });

  it('the full-screen button asks for full screen on the stage, and its label switches', async () => {
    const { clientOptions } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    await el.updateComplete;
    const screen = el.shadowRoot!.querySelector<HTMLElement>('.screen')!;
    let asked = 0;
    screen.requestFullscreen = () => {
      asked += 1;
      return Promise.resolve();
    };
    const button = part(el, 'fullscreen-button')!;
    expect(button.textContent).to.contain('Full screen');
    button.click();
    expect(asked).to.equal(1);
    part(el, 'remote-video')!.dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
    expect(asked, 'double-click').to.equal(2);
  });
});

describe('<vinteo-call>: layout', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const [width, height] of [
    [375, 667],
    [1366, 768],
  ] as const) {
    it(`at ${width}×${height}: no horizontal overflow, the controls in the viewport`, async () => {
      await setViewport({ width, height });
      const { clientOptions } = setup();
      const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
      const base = part(el, 'base')!;
      expect(base.scrollWidth).to.be.at.most(base.clientWidth + 1);
      expect(document.documentElement.scrollWidth).to.be.at.most(window.innerWidth);
      expect(part(el, 'join-button')!.getBoundingClientRect().bottom).to.be.at.most(height);
      await el.join();
      await reach(el, 'in-call');
      await el.updateComplete;
      expect(base.scrollWidth).to.be.at.most(base.clientWidth + 1);
      expect(part(el, 'leave-button')!.getBoundingClientRect().bottom).to.be.at.most(height);
    });
  }

  // At phone width every bar is compact; up to 840 px the bar over the call is (so that it keeps one row).
  for (const width of [375, 640]) it(`at ${width} px the call's labels are tooltips: hidden, then shown on keyboard focus inside the element`, async () => {
    await setViewport({ width, height: 667 });
    const { clientOptions } = setup();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" display-name="Ann" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    await el.updateComplete;
    const frame = el.getBoundingClientRect();
    const buttons = [...part(el, 'controls')!.querySelectorAll<HTMLButtonElement>('button.control')];
    expect(buttons.length, 'microphone, camera, share, full screen, leave').to.be.at.least(4);
    // Tab from the first button through the bar: each label appears above its own button, inside the element.
    buttons[0]!.focus();
    for (const [index, button] of buttons.entries()) {
      if (index > 0) await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement, `Tab reaches button ${index}`).to.equal(button);
      const label = button.querySelector<HTMLElement>('.label')!;
      const tip = label.getBoundingClientRect();
      const rect = button.getBoundingClientRect();
      expect(button.getAttribute('title'), 'no title: the tooltip would show twice').to.equal(null);
      expect(tip.width, `${label.textContent} shown`).to.be.above(10);
      expect(tip.bottom, `${label.textContent} above its button`).to.be.at.most(rect.top + 1);
      expect(tip.left, `${label.textContent} inside the element`).to.be.at.least(frame.left - 1);
      expect(tip.right, `${label.textContent} inside the element`).to.be.at.most(frame.right + 1);
      // The button's accessible name is still the label.
      expect(button.textContent!.trim()).to.equal(label.textContent!.trim());
    }
    // Focus gone (to the page): the labels are visually hidden again.
    buttons.at(-1)!.blur();
    await el.updateComplete;
    expect(buttons[0]!.querySelector('.label')!.getBoundingClientRect().width).to.be.at.most(1);
    expect(document.documentElement.scrollWidth).to.be.at.most(window.innerWidth);
  });
});
