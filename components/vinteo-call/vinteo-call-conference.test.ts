// <vinteo-call> with the conference protocol on the fake transport: incoming calls, waiting room,
// moderator requests, roles and server notifications.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './vinteo-call.js';
import type { VinteoCall } from './VinteoCall.js';
import { formatElapsed } from './vinteo-call.templates.js';
import { fakeTransport, syntheticMedia, type FakeBehaviour } from '../../test/helpers/fake-transport.js';
import { part, reach } from '../../test/helpers/dom.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

async function standalone(behaviour: FakeBehaviour = {}, attributes: Record<string, string> = {}) {
  const transport = fakeTransport(behaviour);
  const el = await fixture<VinteoCall>(
    html`<vinteo-call
      ws-url=${WS}
      conference="1000"
      .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia }}
    ></vinteo-call>`,
  );
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  await el.updateComplete;
  return { el, transport };
}

describe('<vinteo-call>: incoming calls', () => {
  it('rings with the caller shown as text, then Answer gives in-call', async () => {
    const { el, transport } = await standalone({}, { user: '1001', register: '' });
    el.password = 'pw';
    await el.client!.connect();
    const incoming = oneEvent(el, 'vinteo-incoming-call');
    transport.agents[0]!.receiveCall('<img src=x onerror=alert(1)> Поддержка', '2000');
    expect((await incoming).detail).to.deep.equal({ callerName: '<img src=x onerror=alert(1)> Поддержка', callerNumber: '2000' });
    await reach(el, 'ringing');
    const caller = part(el, 'caller')!;
    expect(caller.textContent).to.contain('<img src=x onerror=alert(1)> Поддержка');
    expect(caller.querySelector('img')).to.equal(null);
    expect(part(el, 'join-button')).to.equal(null);
    await expect(el).to.be.accessible();
    const accepted = oneEvent(el, 'vinteo-call-accepted');
    part(el, 'answer-button')!.click();
    await accepted;
    await reach(el, 'in-call');
  });

  it('a caller name with U+202E reverses neither the number nor the label: each server string in its own <bdi>', async () => {
    const { el, transport } = await standalone({}, { user: '1001', register: '' });
    el.password = 'pw';
    await el.client!.connect();
    transport.agents[0]!.receiveCall('Bob\u202E', '5551234');
    await reach(el, 'ringing');
    await el.updateComplete;
    const text = part(el, 'caller-text')!;
    const isolates = [...text.querySelectorAll('bdi')];
    expect(isolates.map((bdi) => bdi.textContent)).to.deep.equal(['Bob\u202E', '5551234']);
    expect(isolates[0]!.closest('[part="caller-name"]'), 'the name inside the caller-name part').to.equal(part(el, 'caller-name'));
    // What the eye reads: the label, then the name, then "(5551234)" left to right.
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    const left = (node: Text, index: number): number => {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getBoundingClientRect().left;
    };
    const at = (char: string): number => {
      const node = nodes.find((n) => n.data.includes(char))!;
      return left(node, node.data.indexOf(char));
    };
    const textIn = (element: Element): Text => nodes.find((node) => element.contains(node) && node.data !== '')!;
    const digits = textIn(isolates[1]!);
    const positions = [at('('), ...[...digits.data].map((_, index) => left(digits, index)), at(')')];
    expect(positions, 'left to right').to.deep.equal([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).to.equal(positions.length);
    expect(at(':'), 'the label before the name').to.be.lessThan(left(textIn(isolates[0]!), 0));
  });

  it('Decline ends the call as declined', async () => {
    const { el, transport } = await standalone({}, { user: '1001', register: '' });
    el.password = 'pw';
    await el.client!.connect();
    const session = transport.agents[0]!.receiveCall('', '2000');
    await reach(el, 'ringing');
    const ended = oneEvent(el, 'vinteo-call-ended');
    part(el, 'decline-button')!.click();
    expect((await ended).detail.reason).to.equal('declined');
    expect(session.ended).to.equal(true);
    await reach(el, 'ended');
    expect(part(el, 'status')!.textContent).to.contain('declined');
  });

  it('auto-answer answers at once', async () => {
    const { el, transport } = await standalone({}, { user: '1001', register: '', 'auto-answer': '' });
    el.password = 'pw';
    await el.client!.connect();
    transport.agents[0]!.receiveCall('Kiosk', '2000');
    await reach(el, 'in-call');
  });
});

describe('<vinteo-call>: waiting room', () => {
  it('answered into purgatory: waiting with the elapsed time and Cancel until admitted, then in-call in room', async () => {
    const { el, transport } = await standalone({ invite: 'waiting' });
    void el.join();
    await reach(el, 'waiting');
    await el.updateComplete;
    expect(el.getAttribute('room-access')).to.equal('waiting');
    expect(part(el, 'waiting')!.textContent).to.match(/Waiting for the moderator to let you in:\s*0:0\d/);
    expect(part(el, 'room-name')).to.equal(null);
    expect(part(el, 'join-button')!.textContent!.trim()).to.equal('Cancel');
    await expect(el).to.be.accessible();
    transport.agents[0]!.sessions[0]!.admit({ 'X-BEARER-TOKEN': 'tok' });
    await reach(el, 'in-call');
    await el.updateComplete;
    expect(el.getAttribute('room-access')).to.equal('in-room');
    expect(part(el, 'waiting')).to.equal(null);
    expect(part(el, 'access-pending')).to.equal(null);
  });

  it('Cancel while waiting hangs the answered call up (BYE)', async () => {
    const { el, transport } = await standalone({ invite: 'waiting' });
    void el.join();
    await reach(el, 'waiting');
    part(el, 'join-button')!.click();
    await reach(el, 'ended');
    expect(transport.agents[0]!.sessions[0]!.ended).to.equal(true);
    expect(el.hasAttribute('room-access')).to.equal(false);
  });

  it('admitted without credentials: in-call with "waiting for authorisation" (en, ru)', async () => {
    const { el, transport } = await standalone({ invite: 'waiting' });
    void el.join();
    await reach(el, 'waiting');
    transport.agents[0]!.sessions[0]!.admit();
    await reach(el, 'in-call');
    await waitUntil(() => el.getAttribute('room-access') === 'pending');
    await el.updateComplete;
    expect(part(el, 'access-pending')!.textContent).to.equal('Waiting for authorisation');
    el.setAttribute('lang', 'ru');
    await waitUntil(() => part(el, 'access-pending')?.textContent === 'Ожидание авторизации');
    await expect(el).to.be.accessible();
  });

  it('formats elapsed time', () => {
    expect(formatElapsed(0)).to.equal('0:00');
    expect(formatElapsed(75_000)).to.equal('1:15');
    expect(formatElapsed(-5)).to.equal('0:00');
  });
});

describe('<vinteo-call>: moderator and roles', () => {
  it('a request to turn the camera on is asked, accepted from the keyboard, and events fire', async () => {
    const { el, transport } = await standalone();
    await el.join();
    await reach(el, 'in-call');
    const session = transport.agents[0]!.sessions[0]!;
    const forced = oneEvent(el, 'vinteo-moderator-command');
    session.receiveInfo('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'ADMINSTOPMAINCAM', 'X-WEBRTC-SYNC': '1' });
    expect((await forced).detail).to.deep.equal({ command: 'ADMINSTOPMAINCAM', forced: true });
    await el.updateComplete;
    expect(part(el, 'camera-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(part(el, 'notice')!.textContent).to.contain('turned your camera off');

    session.receiveInfo('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'ADMINSTARTMAINCAM' });
    await el.updateComplete;
    expect(part(el, 'moderator-request')!.textContent).to.contain('asks you to turn on your camera');
    await expect(el).to.be.accessible();
    part(el, 'moderator-accept-button')!.click();
    await el.updateComplete;
    expect(part(el, 'moderator-request')).to.equal(null);
    expect(part(el, 'camera-button')!.getAttribute('aria-pressed')).to.equal('true');
  });

  it('declining a request sends the refusal', async () => {
    const { el, transport } = await standalone();
    await el.join();
    await reach(el, 'in-call');
    const session = transport.agents[0]!.sessions[0]!;
    session.receiveInfo('application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTOPMIC' });
    await el.updateComplete;
    part(el, 'moderator-decline-button')!.click();
    await waitUntil(() => session.infoSent.some((i) => i.contentType === 'application/vinteo.webrtc.refusal'));
    expect(part(el, 'microphone-button')!.getAttribute('aria-pressed')).to.equal('true');
  });

  it('spectator: conference-role attribute, vinteo-role-change, toggles disabled; and back', async () => {
    const { el, transport } = await standalone();
    await el.join();
    await reach(el, 'in-call');
    expect(el.getAttribute('conference-role')).to.equal('participant');
    const session = transport.agents[0]!.sessions[0]!;
    const change = oneEvent(el, 'vinteo-role-change');
    session.receiveInfo('application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR' });
    expect((await change).detail).to.deep.equal({ role: 'spectator', previous: 'participant' });
    await waitUntil(() => el.getAttribute('conference-role') === 'spectator');
    await el.updateComplete;
    expect((part(el, 'microphone-button') as HTMLButtonElement).disabled).to.equal(true);
    expect(part(el, 'notice')!.textContent).to.contain('spectator');
    await expect(el).to.be.accessible();
    session.receiveInfo('application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' });
    await waitUntil(() => el.getAttribute('conference-role') === 'participant');
    await el.updateComplete;
    expect((part(el, 'microphone-button') as HTMLButtonElement).disabled).to.equal(false);
    el.client!.leave();
    await reach(el, 'ended');
    expect(el.hasAttribute('conference-role')).to.equal(false);
  });

  it('licence and notify reach the page as events', async () => {
    const { el, transport } = await standalone();
    const license = oneEvent(el, 'vinteo-license');
    await el.join();
    expect((await license).detail).to.deep.equal({ license: 'VIDEO' });
    const notify = oneEvent(el, 'vinteo-notify');
    transport.agents[0]!.sessions[0]!.receiveInfo('application/vinteo.webrtc.notify', {
      'X-VINTEO-NOTIFY': '{"cmd":"WebcastStarted","body":{"conference":"1000","type":"rtmp"}}',
    });
    expect((await notify).detail.notification).to.deep.equal({ cmd: 'WebcastStarted', conference: '1000', webcastType: 'rtmp' });
  });

  it('a bad preferred-codecs attribute is reported by name', async () => {
    const { el } = await standalone({}, { 'preferred-codecs': 'VP9' });
    const error = oneEvent(el, 'vinteo-error');
    await el.join();
    expect((await error).detail.message).to.contain('preferred-codecs');
    await reach(el, 'failed');
  });
});

describe('<vinteo-call>: strings from the server are bidi-isolated', () => {
  it('the room name in its own <bdi>, after the label', async () => {
    const { el } = await standalone({ roomHeaders: { 'X-WEBRTC-ENTER-ROOM': '\u202E1000 room', 'X-WEBRTC-PARTICIPANT-NAME': 'Ann' } });
    await el.join();
    await reach(el, 'in-call');
    await waitUntil(() => part(el, 'room-name'), 'no room name');
    const room = part(el, 'room-name')!;
    expect(room.querySelector('bdi')?.textContent).to.equal('\u202E1000 room');
    expect(room.textContent).to.match(/^Room: \u202E1000 room$/);
  });

  it('an error message quoting the server: isolated, its bidi controls shown as U+FFFD', async () => {
    const { el } = await standalone({ invite: { status: 500, cause: 'Broken\u202E 500' } });
    const error = oneEvent(el, 'vinteo-error');
    await el.join();
    expect((await error).detail.message).to.equal('The call failed: Broken\uFFFD 500');
    await el.updateComplete;
    expect(part(el, 'error')!.querySelector('bdi')?.textContent).to.equal('The call failed: Broken\uFFFD 500');
  });
});
