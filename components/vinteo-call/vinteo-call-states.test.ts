// <vinteo-call>'s states, errors, focus and announcements (issue #16): the reconnecting overlay, "the server
// is not answering", the quality badge, errors for people, keyboard journeys, each state axe-clean in both
// languages and both themes.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './vinteo-call.js';
import type { VinteoCall } from './VinteoCall.js';
import { ExponentialBackoff } from '../../src/reconnect/policy.js';
import type { VinteoClientOptions } from '../../src/types.js';
import { fakeTransport, syntheticMedia, type FakeBehaviour } from '../../test/helpers/fake-transport.js';
import { GOOD, installStats } from '../../test/helpers/fake-stats.js';
import { part, reach } from '../../test/helpers/dom.js';
import { rateLimit, waitBeforeChange, QUALITY_BADGE_INTERVAL_MS } from './quality-badge.js';
import { Announcer, serverHost } from './call-states.js';
import { HUMAN_ERROR_REASONS, humanError } from '../shared/human-errors.js';

const WS = 'wss://vinteo.example.com/webrtc/wss/';
const LOOKS = [
  { lang: 'en', theme: 'light' },
  { lang: 'ru', theme: 'dark' },
] as const;

async function standalone(behaviour: FakeBehaviour = {}, extra: VinteoClientOptions = {}, attributes: Record<string, string> = {}) {
  const transport = fakeTransport(behaviour);
  const el = await fixture<VinteoCall>(
    html`<vinteo-call ws-url=${WS} conference="1000" display-name="Ann" .clientOptions=${{ userAgentFactory: transport.factory, mediaProvider: syntheticMedia, ...extra }}></vinteo-call>`,
  );
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  await el.updateComplete;
  return { el, transport };
}

/** What has focus inside the element: the part's name; fails when focus fell to <body>. */
function focused(el: VinteoCall): string | null {
  expect(document.activeElement, 'focus fell to <body>').not.to.equal(document.body);
  return el.shadowRoot!.activeElement?.getAttribute('part') ?? null;
}

async function press(el: VinteoCall, name: string, key = 'Enter'): Promise<void> {
  part(el, name)!.focus();
  expect(focused(el)).to.contain(name);
  await sendKeys({ press: key });
}

describe('quality badge rate limit (unit)', () => {
  const cases: Array<[string, Parameters<typeof rateLimit<string>>, { value: string; since: number }]> = [
    ['the first value shows at once', [undefined, 'good', 1000, 10_000], { value: 'good', since: 1000 }],
    ['the same value keeps its time', [{ value: 'good', since: 1000 }, 'good', 50_000, 10_000], { value: 'good', since: 1000 }],
    ['a change before 10 s is held back', [{ value: 'good', since: 1000 }, 'poor', 10_999, 10_000], { value: 'good', since: 1000 }],
    ['a change at 10 s shows', [{ value: 'good', since: 1000 }, 'poor', 11_000, 10_000], { value: 'poor', since: 11_000 }],
    ['a change long after shows at once', [{ value: 'fair', since: 0 }, 'good', 99_000, 10_000], { value: 'good', since: 99_000 }],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => expect(rateLimit(...args)).to.deep.equal(expected));
  }

  it('changes at most once per 10 s over a flapping series', () => {
    let shown: { value: string; since: number } | undefined;
    const changes: number[] = [];
    for (let t = 0; t < 60_000; t += 1000) {
      const next = rateLimit(shown, t % 2000 === 0 ? 'good' : 'poor', t);
      if (shown && next.value !== shown.value) changes.push(t);
      shown = next;
    }
    for (let i = 1; i < changes.length; i += 1) expect(changes[i]! - changes[i - 1]!).to.be.at.least(QUALITY_BADGE_INTERVAL_MS);
    expect(changes.length).to.be.within(4, 6);
  });

  it('says how long until the next change', () => {
    expect(waitBeforeChange({ value: 'good', since: 1000 }, 4000)).to.equal(7000);
    expect(waitBeforeChange({ value: 'good', since: 1000 }, 40_000)).to.equal(0);
  });
});

describe('announcer and server name (unit)', () => {
  it('says each notice once, when it appears', () => {
    const announcer = new Announcer();
    expect(announcer.say([])).to.equal('');
    expect(announcer.say(['Mic off.'])).to.equal('Mic off.');
    expect(announcer.say(['Mic off.'])).to.equal('Mic off.');
    expect(announcer.say(['Mic off.', 'Spectator.'])).to.equal('Spectator.');
    expect(announcer.say(['Spectator.'])).to.equal('Spectator.');
    announcer.announce('Participant again.');
    expect(announcer.say([])).to.equal('Participant again.');
  });

  it('names the server from server, else from ws-url', () => {
    expect(serverHost('vinteo.example.com', 'wss://other/webrtc/wss/')).to.equal('vinteo.example.com');
    expect(serverHost(undefined, 'wss://vinteo.example.com:8443/webrtc/wss/')).to.equal('vinteo.example.com:8443');
    expect(serverHost('', 'not a url')).to.equal(undefined);
  });
});

describe('errors for people (unit)', () => {
  for (const reason of HUMAN_ERROR_REASONS) {
    it(`${reason}: a sentence in English and Russian, the technical message as the detail`, () => {
      const error = { reason, message: `technical ${reason} wss://x/ 503` };
      const en = humanError('en', error);
      const ru = humanError('ru', error);
      expect(en.text).to.match(/^[A-Z][^а-яё]+\.$/);
      expect(ru.text).to.match(/[а-яё]/i);
      expect(ru.text).to.match(/\.$/);
      expect(en.detail).to.equal(error.message);
      expect(ru.detail).to.equal(error.message);
      expect(en.author).to.equal(false);
    });
  }

  it('the detail carries the SIP status code when the message does not', () => {
    expect(humanError('en', { reason: 'call-rejected', message: 'The call was rejected: Not Found', statusCode: 404 }).detail).to.equal('The call was rejected: Not Found (SIP 404)');
    expect(humanError('ru', { reason: 'call-failed', message: 'The call failed: 500', statusCode: 500 }).detail).to.equal('The call failed: 500');
    expect(humanError('en', { reason: 'call-rejected', message: '', statusCode: 486 }).detail).to.equal('SIP 486');
  });

  it('invalid-config is a notice for the page author', () => {
    const error = { reason: 'invalid-config', message: 'fast-ice must be auto, on or off' };
    expect(humanError('en', error)).to.deep.equal({
      text: 'Configuration problem (a note for the page author): fast-ice must be auto, on or off',
      detail: undefined,
      author: true,
    });
    expect(humanError('ru', error).text).to.match(/^Ошибка настройки \(сообщение для автора страницы\): .*fast-ice/);
  });

  it('an error label set on the element replaces the sentence', () => {
    expect(humanError('en', { reason: 'call-failed', message: 'The call failed: 500' }, { errorCallFailed: 'Oops.' }).text).to.equal('Oops.');
  });
});

describe('<vinteo-call>: states', () => {
  for (const { lang, theme } of LOOKS) {
    it(`reconnecting: an overlay on the last frame with the attempt, and Cancel leaves (${lang}, ${theme})`, async () => {
      const { el, transport } = await standalone({}, { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 20_000, jitter: 0 }) }, { lang, theme });
      await el.join();
      await reach(el, 'in-call');
      const remote = part<HTMLVideoElement>(el, 'remote-video')!;
      const stream = remote.srcObject;
      transport.agents[0]!.dropConnection();
      await reach(el, 'reconnecting');
      await el.updateComplete;
      expect(part(el, 'reconnecting-text')!.textContent!.trim()).to.equal(lang === 'en' ? 'Reconnecting… attempt 1' : 'Переподключение… попытка 1');
      // The last frame stays.
      expect(remote.srcObject === stream || remote.srcObject instanceof MediaStream, 'a stream: its last frame').to.equal(true);
      expect(remote.hidden).to.equal(false);
      expect(part(el, 'reconnecting')!.closest('[part~="stage"]') === part(el, 'stage'), 'over the stage').to.equal(true);
      await expect(el).to.be.accessible();
      const ended = oneEvent(el, 'vinteo-call-ended');
      await press(el, 'reconnecting-cancel-button');
      await ended;
      await reach(el, 'ended');
      await el.updateComplete;
      expect(part(el, 'reconnecting')).to.equal(null);
      expect(focused(el), 'after Cancel').to.be.a('string');
      expect(part(el, 'room-name'), 'the room label clears when the call ends').to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('the server not answering for 5 s: named in plain words, announced, Retry joins again', async () => {
    const { el } = await standalone({ connect: 'never' });
    await press(el, 'join-button');
    await reach(el, 'connecting');
    await el.updateComplete;
    expect(part(el, 'server-not-answering')).to.equal(null);
    await waitUntil(() => part(el, 'server-not-answering') !== null, 'no notice after 5 s', { timeout: 7000, interval: 100 });
    expect(part(el, 'server-not-answering-text')!.textContent).to.contain('The server vinteo.example.com is not answering.');
    expect(part(el, 'announcer')!.textContent).to.contain('The server vinteo.example.com is not answering.');
    await expect(el).to.be.accessible();
    el.setAttribute('lang', 'ru');
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    expect(part(el, 'server-not-answering-text')!.textContent).to.contain('Сервер vinteo.example.com не отвечает.');
    await expect(el).to.be.accessible();
    await press(el, 'retry-button');
    await waitUntil(() => part(el, 'server-not-answering') === null, 'Retry did not start again');
    await reach(el, 'connecting');
    expect(focused(el), 'after Retry').to.contain('join-button');
  });

  for (const { lang, theme } of LOOKS) {
    it(`the quality badge: named, not a live region (${lang}, ${theme})`, async () => {
      const { el, transport } = await standalone({}, { statsIntervalMs: 100 }, { lang, theme });
      await el.join();
      await reach(el, 'in-call');
      installStats(transport.agents[0]!.sessions[0]!, { ...GOOD });
      await waitUntil(() => part(el, 'quality-badge') !== null, 'no quality badge');
      const badge = part(el, 'quality-badge')!;
      expect(badge.getAttribute('aria-live')).to.equal('off');
      expect(badge.closest('[aria-live="polite"],[role="status"],[role="alert"]')).to.equal(null);
      expect(badge.getAttribute('aria-label')).to.equal(lang === 'en' ? 'Connection quality: Good' : 'Качество связи: Хорошее');
      await expect(el).to.be.accessible();
    });
  }

  it('the waiting room says its sentence once: the timer is not in a live region', async () => {
    const { el } = await standalone({ invite: 'waiting' });
    await el.join();
    await reach(el, 'waiting');
    await el.updateComplete;
    const time = part(el, 'waiting-time')!;
    expect(time.closest('[aria-live],[role="status"],[role="alert"]')).to.equal(null);
    expect(part(el, 'status')!.contains(time)).to.equal(false);
  });
});

describe('<vinteo-call>: errors for people', () => {
  for (const { lang, theme } of LOOKS) {
    it(`a wrong password: a sentence and what to do, the technical message behind Details (${lang}, ${theme})`, async () => {
      const { el } = await standalone({ register: 'wrong-password' }, {}, { user: '1001', register: '', lang, theme });
      el.password = 'wrong';
      const error = oneEvent(el, 'vinteo-error');
      await el.join();
      const detail = (await error).detail;
      expect(detail.message).to.equal('The server refused the user name or password');
      await reach(el, 'failed');
      await el.updateComplete;
      const shown = part(el, 'error')!;
      expect(shown.getAttribute('role')).to.equal('alert');
      expect(part(el, 'error-text')!.textContent).to.equal(
        lang === 'en'
          ? 'The server did not accept the user name or password. Check them, or ask the site’s administrator.'
          : 'Сервер не принял имя пользователя или пароль. Проверьте их или обратитесь к администратору сайта.',
      );
      const details = part<HTMLDetailsElement>(el, 'error-details')!;
      expect(details.localName).to.equal('details');
      expect(details.open).to.equal(false);
      expect(details.querySelector('summary')!.textContent).to.equal(lang === 'en' ? 'Details' : 'Подробности');
      expect(details.textContent).to.contain('The server refused the user name or password');
      await expect(el).to.be.accessible();
    });
  }

  it('a mistake in the attributes is a configuration notice for the author, shown when set', async () => {
    const { el } = await standalone({}, {}, { 'fast-ice': 'sometimes' });
    expect(part(el, 'error-text')!.textContent).to.contain('Configuration problem (a note for the page author): fast-ice must be auto, on or off');
    expect(part(el, 'error-details')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<vinteo-call>: keyboard journeys, focus never on <body>', () => {
  it('join, mute, answer a moderator request (focus moves there and back), leave', async () => {
    const { el, transport } = await standalone();
    await press(el, 'join-button');
    await reach(el, 'in-call');
    await el.updateComplete;
    expect(focused(el), 'after Join').to.contain('join-button');

    await press(el, 'microphone-button', 'Space');
    await waitUntil(() => part(el, 'microphone-button')!.getAttribute('aria-pressed') === 'false');
    expect(focused(el), 'after Mute').to.contain('microphone-button');

    const session = transport.agents[0]!.sessions[0]!;
    session.receiveInfo('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'ADMINSTOPMAINCAM', 'X-WEBRTC-SYNC': '1' });
    await el.updateComplete;
    expect(part(el, 'announcer')!.textContent, 'a moderator notice is announced politely').to.contain('turned your camera off');
    expect(part(el, 'announcer')!.getAttribute('aria-live')).to.equal('polite');
    session.receiveInfo('application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'ADMINSTARTMAINCAM' });
    await el.updateComplete;
    expect(focused(el), 'the request takes focus').to.contain('moderator-accept-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(part(el, 'moderator-request')).to.equal(null);
    expect(focused(el), 'focus returns where it was').to.contain('microphone-button');

    session.receiveInfo('application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR' });
    await waitUntil(() => el.getAttribute('conference-role') === 'spectator');
    await el.updateComplete;
    expect(part(el, 'announcer')!.textContent).to.contain('spectator');
    session.receiveInfo('application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' });
    await waitUntil(() => el.getAttribute('conference-role') === 'participant');
    await el.updateComplete;
    expect(part(el, 'announcer')!.textContent).to.contain('participant again');

    await press(el, 'join-button');
    await reach(el, 'ended');
    await el.updateComplete;
    expect(focused(el), 'after Leave').to.be.a('string');
  });

  it('declining a moderator request by keyboard returns focus too', async () => {
    const { el, transport } = await standalone();
    await el.join();
    await reach(el, 'in-call');
    part(el, 'camera-button')!.focus();
    transport.agents[0]!.sessions[0]!.receiveInfo('application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTOPMIC' });
    await el.updateComplete;
    expect(focused(el)).to.contain('moderator-accept-button');
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.contain('moderator-decline-button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'moderator-request') === null);
    await el.updateComplete;
    expect(focused(el)).to.contain('camera-button');
  });

  it('accepting an incoming call from the keyboard leaves focus on the call controls', async () => {
    const { el, transport } = await standalone({}, {}, { user: '1001', register: '' });
    el.password = 'pw';
    await el.client!.connect();
    transport.agents[0]!.receiveCall('Bob', '2000');
    await reach(el, 'ringing');
    await el.updateComplete;
    await press(el, 'answer-button');
    await reach(el, 'in-call');
    await el.updateComplete;
    expect(focused(el), 'after Accept').to.contain('join-button');
    await expect(el).to.be.accessible();
  });
});
