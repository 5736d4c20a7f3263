import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoCall } from './VinteoCall.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import type { VinteoClientOptions } from '../../src/types.js';
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
    // The quality badge shows what the stats rate (it renders when the level changes, not on every tick).
    await waitUntil(() => part(el, 'quality-badge') !== null, 'no quality badge');
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

describe('<vinteo-call>: mistakes in the attributes are shown before Join, and nothing is sent', () => {
  /** A stand-alone element on the fake transport with `attributes`, its vinteo-error reasons recorded. */
  async function configured(attributes: Record<string, string>, lang = 'en') {
    const { clientOptions, transport } = options();
    const holder = await fixture<HTMLDivElement>(html`<div lang=${lang}></div>`);
    const el = document.createElement('vinteo-call') as VinteoCall;
    for (const [name, value] of Object.entries({ 'ws-url': WS, conference: '1000', ...attributes })) el.setAttribute(name, value);
    el.clientOptions = clientOptions;
    const errors: Array<{ reason: string; message: string }> = [];
    el.addEventListener('vinteo-error', (event) => errors.push(event.detail));
    holder.append(el);
    await el.updateComplete;
    return { el, errors, transport };
  }

  const mistakes: Array<[attribute: string, value: string, message: RegExp]> = [
    ['server', '127.0.0.1:99999', /server.*port/],
    ['server', 'vinteo.example.com:0', /server.*port/],
    ['ws-url', 'ws://127.0.0.1:99999/webrtc/wss/', /ws-url.*port/],
    ['ws-url', 'ws://127.0.0.1:0/webrtc/wss/', /ws-url.*port/],
    ['conference', '100%', /conference.*percent/],
    ['conference', '1000%0D%0AX-Injected%3A%20yes', /conference/],
    ['user', '1001%0D%0AX-Injected%3A%20yes', /user/],
    ['user', '1001%22', /user/],
    ['user', 'a%zz', /user.*percent/],
    ['display-name', 'Ann\u0001', /display-name/],
    ['ping-interval', '0.001', /ping-interval/],
    ['ping-interval', '1e300', /ping-interval/],
    ['ping-interval', '3000000', /ping-interval/],
    ['ping-interval', 'often', /ping-interval/],
    ['ping-interval', '-5', /ping-interval/],
    ['stats-interval', '1', /stats-interval/],
    ['stats-interval', '3000000', /stats-interval/],
    ['stats-interval', '1e300', /stats-interval/],
    ['balancer-delay', '1e300', /balancer-delay/],
    ['balancer-delay', '3000000000', /balancer-delay/],
    ['fast-ice', 'sometimes', /fast-ice/],
  ];
  for (const [attribute, value, message] of mistakes) {
    it(`${attribute}=${JSON.stringify(value)}: invalid-config shown at once; fixed, it goes`, async () => {
      const { el, errors, transport } = await configured(attribute === 'server' ? { [attribute]: value, 'ws-url': '' } : { [attribute]: value });
      if (attribute === 'server') el.removeAttribute('ws-url');
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('failed');
      expect(part(el, 'error')?.textContent ?? '').to.match(message);
      expect(errors.map((error) => error.reason)).to.deep.equal(['invalid-config']);
      expect(errors[0]!.message).to.match(message);
      // Join shows the same mistake and sends nothing.
      await el.join();
      expect(el.getAttribute('state')).to.equal('failed');
      expect(part(el, 'error')?.textContent ?? '').to.match(message);
      expect(transport.agents.length).to.equal(0);
      el.removeAttribute(attribute);
      if (attribute === 'ws-url' || attribute === 'server') el.setAttribute('ws-url', WS);
      if (attribute === 'conference') el.setAttribute('conference', '1000');
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('idle');
      expect(part(el, 'error')).to.equal(null);
    });
  }

  it('the same through properties (el.user), and a mistake is reported once however often it renders', async () => {
    const { el, errors, transport } = await configured({});
    el.user = '1001%0D%0AX-Injected%3A%20yes';
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('failed');
    el.requestUpdate();
    await el.updateComplete;
    expect(errors.map((error) => error.reason)).to.deep.equal(['invalid-config']);
    el.user = '1001';
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('idle');
    await el.join();
    await reach(el, 'in-call');
    expect(transport.agents[0]!.params.configuration.uri).to.equal('sip:1001@127.0.0.1');
  });

  it('in Russian the message names the attribute to check', async () => {
    const { el } = await configured({ 'ping-interval': '0.001' }, 'ru');
    expect(part(el, 'error')!.textContent).to.contain('проверьте атрибут ping-interval');
  });

  it('inside a session the call checks its conference before Join', async () => {
    const { clientOptions, transport } = options();
    const session = await fixture<VinteoSession>(
      html`<vinteo-session ws-url=${WS} .clientOptions=${clientOptions}><vinteo-call conference="100%"></vinteo-call></vinteo-session>`,
    );
    const call = session.querySelector('vinteo-call')!;
    await call.updateComplete;
    expect(call.getAttribute('state')).to.equal('failed');
    expect(part(call, 'error')!.textContent).to.match(/conference/);
    expect(transport.agents.length).to.equal(0);
  });

  it('a session reports a mistake in its attributes as vinteo-error before connecting', async () => {
    const { clientOptions, transport } = options();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const session = document.createElement('vinteo-session') as VinteoSession;
    session.setAttribute('ws-url', WS);
    session.setAttribute('ping-interval', '0.001');
    session.clientOptions = clientOptions;
    const errors: string[] = [];
    session.addEventListener('vinteo-error', (event) => errors.push(event.detail.message));
    holder.append(session);
    await session.updateComplete;
    expect(errors.length).to.equal(1);
    expect(errors[0]).to.match(/ping-interval/);
    await session.connect();
    expect(errors.length).to.equal(2);
    expect(transport.agents.length).to.equal(0);
  });
});

describe('<vinteo-call>: a credentials-url that never answers', () => {
  /** Replaces fetch for `url`: never answers, records each request's signal. */
  function hangingFetch(url: string) {
    const original = window.fetch;
    const signals: AbortSignal[] = [];
    window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes(url)) {
        if (init?.signal) signals.push(init.signal);
        return new Promise<Response>(() => undefined);
      }
      return original(input, init);
    }) as typeof fetch;
    return { signals, restore: () => (window.fetch = original) };
  }

  it('times out like the connection (connectTimeoutMs): a visible connection-failed, and the fetch is aborted', async () => {
    const fake = hangingFetch('/never-answers');
    try {
      const { clientOptions, transport } = options({}, { connectTimeoutMs: 100 });
      const el = await fixture<VinteoCall>(
        html`<vinteo-call ws-url=${WS} conference="1000" credentials-url="/never-answers" .clientOptions=${clientOptions}></vinteo-call>`,
      );
      const failed = oneEvent(el, 'vinteo-call-failed');
      void el.join();
      await reach(el, 'connecting');
      const { error } = (await failed).detail;
      expect(error.reason).to.equal('connection-failed');
      expect(error.message).to.contain('did not answer within 100 ms');
      await reach(el, 'failed');
      expect(part(el, 'error')!.textContent).to.contain('did not answer');
      expect(fake.signals.length).to.equal(1);
      expect(fake.signals[0]!.aborted).to.equal(true);
      expect(transport.agents.length).to.equal(0);
    } finally {
      fake.restore();
    }
  });

  for (const how of ['removing the element', 'Cancel']) {
    it(`${how} aborts the fetch`, async () => {
      const fake = hangingFetch('/never-answers');
      try {
        const { clientOptions } = options();
        const el = await fixture<VinteoCall>(
          html`<vinteo-call ws-url=${WS} conference="1000" credentials-url="/never-answers" .clientOptions=${clientOptions}></vinteo-call>`,
        );
        void el.join();
        await waitUntil(() => fake.signals.length === 1, 'credentials-url was not fetched');
        await reach(el, 'connecting');
        if (how === 'Cancel') part(el, 'join-button')!.click();
        else el.remove();
        await waitUntil(() => fake.signals[0]!.aborted, 'the fetch was not aborted');
        if (how === 'Cancel') await reach(el, 'ended');
      } finally {
        fake.restore();
      }
    });
  }
});

describe('<vinteo-call>: a refused action during a call', () => {
  it('a speaker the browser refuses is reported once, and the call goes on (state stays in-call, Leave stays Leave)', async () => {
    const { clientOptions } = options();
    const el = await fixture<VinteoCall>(html`<vinteo-call ws-url=${WS} conference="1000" auto-join .clientOptions=${clientOptions}></vinteo-call>`);
    await reach(el, 'in-call');
    let errors = 0;
    el.addEventListener('vinteo-error', () => {
      errors += 1;
    });
    el.client!.selectSpeaker('no-such-speaker');
    await waitUntil(() => part(el, 'error') !== null, 'the refused speaker was not shown');
    // Renders that follow (the error itself, a mic toggle) must not ask for the refused speaker again.
    part(el, 'microphone-button')!.click();
    await el.updateComplete;
    part(el, 'microphone-button')!.click();
    await el.updateComplete;
    expect(errors, 'vinteo-error events for one refused speaker').to.equal(1);
    expect(el.getAttribute('state')).to.equal('in-call');
    expect(part(el, 'join-button')!.textContent!.trim()).to.equal('Leave');
  });
});
