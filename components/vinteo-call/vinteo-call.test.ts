import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoCall } from './VinteoCall.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import type { VinteoClientOptions } from '../../src/client.js';
import { ExponentialBackoff } from '../../src/reconnect/policy.js';
import { deniedMedia, fakeTransport, syntheticMedia, type FakeBehaviour } from '../../test/helpers/fake-transport.js';
import { GOOD, installStats } from '../../test/helpers/fake-stats.js';
import { part, reach } from '../../test/helpers/dom.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

function options(behaviour: FakeBehaviour = {}, extra: VinteoClientOptions = {}) {
  const transport = fakeTransport(behaviour);
  return { transport, clientOptions: { userAgentFactory: transport.factory, mediaProvider: syntheticMedia, ...extra } };
}

describe('<vinteo-call>', () => {
  it('renders idle with its parts and passes an accessibility audit', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    expect(el.getAttribute('state')).to.equal('idle');
    for (const name of ['base', 'stage', 'remote-video', 'local-video', 'status', 'controls', 'join-button', 'microphone-button', 'camera-button']) {
      expect(part(el, name), name).not.to.equal(null);
    }
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    expect(part(el, 'join-button')!.textContent!.trim()).to.equal('Join');
    await expect(el).to.be.accessible();
  });

  it('joins on click, shows the room, fires events, and leaves', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" display-name="Ann" .clientOptions=${clientOptions}></vinteo-call>`);
    const accepted = oneEvent(el, 'vinteo-call-accepted');
    const entered = oneEvent(el, 'vinteo-enter-room');
    const connection = oneEvent(el, 'vinteo-connection-change');
    part(el, 'join-button')!.click();
    expect((await connection).detail.state).to.equal('connecting');
    expect((await accepted).detail).to.deep.equal({ conference: '1000' });
    expect((await entered).detail).to.deep.equal({ room: '1000', participantName: 'Ann' });
    await reach(el, 'in-call');
    await el.updateComplete;
    expect(part(el, 'room-name')!.textContent).to.contain('1000');
    expect(part(el, 'join-button')!.textContent!.trim()).to.equal('Leave');
    expect((part(el, 'remote-video') as HTMLVideoElement).srcObject).to.be.instanceOf(MediaStream);
    expect((part(el, 'local-video') as HTMLVideoElement).srcObject).to.be.instanceOf(MediaStream);
    await expect(el).to.be.accessible();
    const ended = oneEvent(el, 'vinteo-call-ended');
    part(el, 'join-button')!.click();
    expect((await ended).detail).to.deep.equal({ conference: '1000', reason: 'local-hangup' });
    await reach(el, 'ended');
    expect(part(el, 'status')!.textContent).to.contain('You left');
  });

  it('auto-join reaches in-call without a click', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
  });

  it('auto-join starts before the first render: the first render already says connecting', async () => {
    const { clientOptions } = options();
    const el = document.createElement('vinteo-call') as VinteoCall;
    const seen: Array<string | null> = [];
    new MutationObserver((records) => seen.push(...records.map(() => el.getAttribute('state')))).observe(el, {
      attributes: true,
      attributeFilter: ['state'],
    });
    el.setAttribute('ws-url', WS);
    el.setAttribute('conference', '1000');
    el.setAttribute('auto-join', '');
    el.clientOptions = clientOptions;
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(seen[0]).to.equal('connecting');
      await reach(el, 'in-call');
    } finally {
      el.remove();
    }
  });

  it('re-renders for what it shows, not for every stats tick', async () => {
    const { clientOptions, transport } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" stats-interval="100" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    installStats(transport.agents[0]!.sessions[0]!, { ...GOOD });
    await el.updateComplete;
    // updated() writes `state` on every render: the records count renders.
    let renders = 0;
    new MutationObserver((records) => {
      renders += records.length;
    }).observe(el, { attributes: true, attributeFilter: ['state'] });
    let ticks = 0;
    const off = el.client!.subscribe(
      (snapshot) => snapshot.stats,
      () => {
        ticks += 1;
      },
    );
    // The call may still be settling (the room, the remote stream, the balancer…), later on a busy
    // machine: each change of another slice may render once. Stats alone must never render.
    let others = 0;
    const snapshot = el.client!.getSnapshot();
    const offOthers = (Object.keys(snapshot) as Array<keyof typeof snapshot>)
      .filter((key) => key !== 'stats')
      .map((key) =>
        el.client!.subscribe(
          (s) => s[key],
          () => {
            others += 1;
          },
        ),
      );
    await waitUntil(() => ticks >= 5, 'the stats never changed');
    off();
    for (const unsubscribe of offOthers) unsubscribe();
    await el.updateComplete;
    expect(renders, `renders during ${ticks} stats ticks and ${others} other changes`).to.be.at.most(others);
    expect(renders, 'fewer renders than stats ticks').to.be.below(ticks);
    part(el, 'microphone-button')!.click();
    await el.updateComplete;
    await waitUntil(() => renders > 0, 'a microphone toggle did not re-render');
  });

  it('a bad fast-ice value is shown and nothing starts; fast-ice="off" joins', async () => {
    const { clientOptions, transport } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" fast-ice="sometimes" .clientOptions=${clientOptions}></vinteo-call>`);
    const error = oneEvent(el, 'vinteo-error');
    part(el, 'join-button')!.click();
    expect((await error).detail.reason).to.equal('invalid-config');
    await reach(el, 'failed');
    expect(part(el, 'error')!.textContent).to.contain('fast-ice must be auto, on or off');
    expect(transport.agents.length).to.equal(0);
    el.setAttribute('fast-ice', 'off');
    await el.join();
    await reach(el, 'in-call');
  });

  it('missing server: vinteo-error with invalid-config and a visible message, no exception', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    const error = oneEvent(el, 'vinteo-error');
    part(el, 'join-button')!.click();
    expect((await error).detail.reason).to.equal('invalid-config');
    await reach(el, 'failed');
    expect(part(el, 'error')!.textContent).to.contain('server');
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
  });

  it('malformed ws-url and conference are reported by name', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url="http://x" conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'failed');
    expect(part(el, 'error')!.textContent).to.contain('ws-url');
    el.wsUrl = WS;
    el.conference = 'bad conference';
    await el.updateComplete;
    const error = oneEvent(el, 'vinteo-error');
    await el.join();
    expect((await error).detail.message).to.contain('conference');
    expect(el.getAttribute('state')).to.equal('failed');
  });

  it('a wrong password: vinteo-error authentication-failed and state failed', async () => {
    const { clientOptions } = options({ register: 'wrong-password' });
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" user="1001" register .clientOptions=${clientOptions}></vinteo-call>`);
    el.password = 'wrong';
    const error = oneEvent(el, 'vinteo-error');
    const failed = oneEvent(el, 'vinteo-call-failed');
    await el.join();
    expect((await error).detail.reason).to.equal('authentication-failed');
    expect((await failed).detail.error.reason).to.equal('authentication-failed');
    await reach(el, 'failed');
    expect(part(el, 'error')!.textContent).to.contain('refused the user name or password');
    expect(el.hasAttribute('password')).to.equal(false);
  });

  it('a refused camera permission is shown and the call goes on receive-only', async () => {
    const { clientOptions } = options({}, { mediaProvider: deniedMedia });
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call>`);
    const error = oneEvent(el, 'vinteo-error');
    await el.join();
    expect((await error).detail.reason).to.equal('media-permission-denied');
    await reach(el, 'in-call');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('denied');
    expect(part(el, 'notice')!.textContent).to.contain('you can watch and listen');
    expect((part(el, 'microphone-button') as HTMLButtonElement).disabled).to.equal(true);
    expect((part(el, 'camera-button') as HTMLButtonElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('toggles report their state with aria-pressed and work from the keyboard', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    const mic = part(el, 'microphone-button') as HTMLButtonElement;
    const camera = part(el, 'camera-button') as HTMLButtonElement;
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    expect(mic.type).to.equal('button');
    mic.focus();
    expect(el.shadowRoot!.activeElement).to.equal(mic);
    mic.click();
    camera.click();
    await el.updateComplete;
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    expect(camera.getAttribute('aria-pressed')).to.equal('false');
    const stream = (part(el, 'local-video') as HTMLVideoElement).srcObject as MediaStream;
    expect(stream.getAudioTracks()[0]!.enabled).to.equal(false);
    expect(stream.getVideoTracks()[0]!.enabled).to.equal(false);
  });

  it('a server hang-up and a lost connection (auto-reconnect off) end in a visible state', async () => {
    const { clientOptions, transport } = options({}, { autoReconnect: false });
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    transport.agents[0]!.sessions[0]!.remoteHangup();
    await reach(el, 'ended');
    expect(part(el, 'status')!.textContent).to.contain('server ended');
    await el.join();
    await reach(el, 'in-call');
    const ended = oneEvent(el, 'vinteo-call-ended');
    transport.agents[0]!.dropConnection();
    expect((await ended).detail.reason).to.equal('connection-lost');
    await reach(el, 'ended');
    expect(part(el, 'status')!.textContent).to.contain('connection to the server was lost');
  });

  it('auto-reconnect="off" and ping-interval reach the client', async () => {
    const { clientOptions, transport } = options();
    const el = await fixture<VinteoCall>(
      html`<vinteo-call ws-url=${WS} conference="1000" auto-reconnect="off" ping-interval="0" auto-join .clientOptions=${clientOptions}></vinteo-call>`,
    );
    await reach(el, 'in-call');
    transport.agents[0]!.dropConnection();
    await reach(el, 'ended');
    expect(el.client!.getSnapshot().connection.state).to.equal('failed');
    expect(transport.agents[0]!.pings).to.equal(0);
  });

  it('a lost connection shows reconnecting with the attempt, then the call is back', async () => {
    const { clientOptions, transport } = options({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 200, jitter: 0 }) });
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    const reconnecting = oneEvent(el, 'vinteo-reconnecting');
    const reconnected = oneEvent(el, 'vinteo-reconnected');
    transport.agents[0]!.dropConnection();
    expect((await reconnecting).detail).to.include({ attempt: 1, delayMs: 200 });
    await reach(el, 'reconnecting');
    await el.updateComplete;
    expect(part(el, 'status')!.textContent).to.contain('reconnecting… (attempt 1)');
    expect(part(el, 'join-button')!.textContent!.trim()).to.equal('Leave');
    await expect(el).to.be.accessible();
    expect((await reconnected).detail.attempts).to.equal(1);
    await reach(el, 'in-call');
  });

  it('speaks Russian when the page does', async () => {
    const { clientOptions } = options({}, { mediaProvider: deniedMedia });
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="ru"><vinteo-call ws-url=${WS} conference="1000" .clientOptions=${clientOptions}></vinteo-call></div>`,
    );
    const el = wrapper.querySelector('vinteo-call')!;
    await el.updateComplete;
    expect(part(el, 'join-button')!.textContent!.trim()).to.equal('Войти');
    expect(part(el, 'status')!.textContent).to.contain('Готов');
    await el.join();
    await reach(el, 'in-call');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('Нет доступа к камере или микрофону');
    expect(part(el, 'notice')!.textContent).to.contain('смотреть и слушать');
  });

  it('removing the element hangs up', async () => {
    const { clientOptions, transport } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    el.remove();
    await waitUntil(() => transport.agents[0]!.stopped, 'user agent not stopped after removal');
    expect(transport.agents[0]!.sessions[0]!.isEnded()).to.equal(true);
  });
});

describe('<vinteo-session>', () => {
  it('shares one client with every call inside it and fires connection changes', async () => {
    const { clientOptions, transport } = options();
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${WS} sip-domain="vinteo.local" .clientOptions=${clientOptions}>
        <vinteo-call conference="1000"></vinteo-call>
        <div><vinteo-call conference="2000"></vinteo-call></div>
      </vinteo-session>
    `);
    const [a, b] = [...session.querySelectorAll('vinteo-call')];
    expect(a!.client).to.equal(session.client);
    expect(b!.client).to.equal(session.client);
    const change = oneEvent(session, 'vinteo-connection-change');
    await a!.join();
    expect((await change).detail).to.deep.equal({ state: 'connecting', previous: 'disconnected' });
    await reach(a!, 'in-call');
    expect(transport.agents.length).to.equal(1);
    expect(transport.agents[0]!.sessions[0]!.target).to.equal('sip:1000@vinteo.local');
    await expect(session).to.be.accessible();
  });

  it('a property set from script applies to a join() in the same task', async () => {
    const { clientOptions, transport } = options();
    const session = await fixture<VinteoSession>(
      html`<vinteo-session .clientOptions=${clientOptions}><vinteo-call conference="1000"></vinteo-call></vinteo-session>`,
    );
    const call = session.querySelector('vinteo-call')!;
    session.wsUrl = WS;
    session.sipDomain = 'example.test';
    await call.join();
    await reach(call, 'in-call');
    expect(transport.agents[0]!.params.wsUrl).to.equal(WS);
    expect(transport.agents[0]!.sessions[0]!.target).to.equal('sip:1000@example.test');
  });

  it('registers on auto-connect and reports a wrong password', async () => {
    const { clientOptions } = options({ register: 'wrong-password' });
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${WS} user="1001" register .password=${'bad'} auto-connect .clientOptions=${clientOptions}></vinteo-session>
    `);
    const error = await oneEvent(session, 'vinteo-error');
    expect(error.detail.reason).to.equal('authentication-failed');
    expect(session.client.getSnapshot().connection.state).to.equal('failed');
  });

  it('a call parsed from HTML inside a session finds the session', async () => {
    const { clientOptions } = options();
    const holder = document.createElement('div');
    holder.innerHTML = `<vinteo-session ws-url="${WS}"><vinteo-call conference="1"></vinteo-call></vinteo-session>`;
    const session = holder.querySelector('vinteo-session') as VinteoSession;
    session.clientOptions = clientOptions;
    document.body.append(holder);
    const call = holder.querySelector('vinteo-call') as VinteoCall;
    await call.updateComplete;
    expect(call.client).to.equal(session.client);
    holder.remove();
  });
});
