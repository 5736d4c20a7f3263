import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './vinteo-dialpad.js';
import '../vinteo-call/vinteo-call.js';
import '../vinteo-session/vinteo-session.js';
import type { VinteoDialpad } from './VinteoDialpad.js';
import type { VinteoSession } from '../vinteo-session/VinteoSession.js';
import { VinteoClient } from '../../src/client.js';
import { fakeTransport, syntheticMedia, type FakeSession } from '../../test/helpers/fake-transport.js';
import { part } from '../../test/helpers/dom.js';
import type { VinteoDtmfEvent, VinteoErrorEvent } from '../shared/events.js';

const WS = 'ws://127.0.0.1:1/webrtc/wss/';

function options() {
  const transport = fakeTransport();
  return { transport, clientOptions: { userAgentFactory: transport.factory, mediaProvider: syntheticMedia } };
}

const keys = (el: Element): HTMLButtonElement[] => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="key"]')];
const key = (el: Element, tone: string): HTMLButtonElement => keys(el).find((k) => k.dataset['tone'] === tone)!;

/** Collects the `vinteo-dtmf` details an element fires. */
function recordDtmf(el: HTMLElement): string[] {
  const tones: string[] = [];
  el.addEventListener('vinteo-dtmf', (event: VinteoDtmfEvent) => tones.push(event.detail.tones));
  return tones;
}

/** A session holding a call and a dialpad, joined into a (fake) conference. */
async function inCall(): Promise<{ session: VinteoSession; dialpad: VinteoDialpad; fake: FakeSession }> {
  const { clientOptions, transport } = options();
  const session = await fixture<VinteoSession>(html`
    <vinteo-session ws-url=${WS} .clientOptions=${clientOptions}>
      <vinteo-call conference="1000"></vinteo-call>
      <vinteo-dialpad></vinteo-dialpad>
    </vinteo-session>
  `);
  const dialpad = session.querySelector('vinteo-dialpad')!;
  await session.querySelector('vinteo-call')!.join();
  await waitUntil(() => dialpad.available, 'dialpad never became available');
  await dialpad.updateComplete;
  return { session, dialpad, fake: transport.agents[0]!.sessions[0]! };
}

describe('<vinteo-dialpad>', () => {
  it('renders twelve named keys, a field and a display, disabled with the reason outside a call, and passes an audit', async () => {
    const { clientOptions } = options();
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${WS} .clientOptions=${clientOptions}><vinteo-dialpad></vinteo-dialpad></vinteo-session>
    `);
    const el = session.querySelector('vinteo-dialpad')!;
    await el.updateComplete;
    expect(el.client).to.equal(session.client);
    for (const name of ['base', 'hint', 'display', 'form', 'label', 'input', 'send-button', 'keypad']) {
      expect(part(el, name), name).not.to.equal(null);
    }
    expect(keys(el).map((k) => k.textContent!.trim())).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']);
    expect(keys(el).every((k) => k.type === 'button' && k.disabled)).to.equal(true);
    expect(key(el, '*').getAttribute('aria-label')).to.equal('star');
    expect(key(el, '#').getAttribute('aria-label')).to.equal('pound');
    expect(part<HTMLInputElement>(el, 'input')!.disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'send-button')!.disabled).to.equal(true);
    expect(part(el, 'hint')!.textContent).to.contain('Available during a call');
    expect(part(el, 'keypad')!.getAttribute('aria-describedby')).to.equal('hint');
    expect(part(el, 'display')!.getAttribute('aria-live')).to.equal('polite');
    expect(part(el, 'error')).to.equal(null);
    expect(el.available).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('without a session or for, says it is not linked', async () => {
    const el = await fixture<VinteoDialpad>(html`<vinteo-dialpad></vinteo-dialpad>`);
    expect(el.client).to.equal(undefined);
    expect(part(el, 'hint')!.textContent).to.contain('Not linked to a call');
    const error = oneEvent(el, 'vinteo-error');
    expect(el.send('1')).to.equal(false);
    expect((await error).detail.reason).to.equal('invalid-state');
    await el.updateComplete;
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
  });

  it('in a call, clicking keys sends each tone, fires vinteo-dtmf and shows what was sent', async () => {
    const { dialpad, fake } = await inCall();
    expect(part(dialpad, 'hint')).to.equal(null);
    expect(keys(dialpad).every((k) => !k.disabled)).to.equal(true);
    const fired = recordDtmf(dialpad);
    key(dialpad, '1').click();
    key(dialpad, '2').click();
    key(dialpad, '#').click();
    key(dialpad, '*').click();
    expect(fake.dtmfSent).to.deep.equal(['1', '2', '#', '*']);
    expect(fired).to.deep.equal(['1', '2', '#', '*']);
    await dialpad.updateComplete;
    expect(part(dialpad, 'display')!.textContent).to.contain('12#*');
    expect(dialpad.sentTones).to.equal('12#*');
    await expect(dialpad).to.be.accessible();
  });

  it('typed tones are sent together on Enter; lower-case a-d become upper-case', async () => {
    const { dialpad, fake } = await inCall();
    const fired = recordDtmf(dialpad);
    const input = part<HTMLInputElement>(dialpad, 'input')!;
    input.focus();
    await sendKeys({ type: '34a' });
    expect(input.value).to.equal('34A');
    expect(fake.dtmfSent).to.deep.equal([]);
    await sendKeys({ press: 'Enter' });
    expect(fake.dtmfSent).to.deep.equal(['34A']);
    expect(fired).to.deep.equal(['34A']);
    expect(input.value).to.equal('');
    await dialpad.updateComplete;
    expect(part(dialpad, 'display')!.textContent).to.contain('34A');
  });

  it('characters that are not tones are refused with a visible message', async () => {
    const { dialpad, fake } = await inCall();
    const input = part<HTMLInputElement>(dialpad, 'input')!;
    input.focus();
    await sendKeys({ type: '5x!' });
    expect(input.value).to.equal('5');
    await dialpad.updateComplete;
    expect(part(dialpad, 'error')!.textContent).to.contain('Only 0–9, A–D, *, # and , (pause) can be sent');
    expect(part(dialpad, 'error')!.getAttribute('role')).to.equal('alert');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await sendKeys({ type: '6' });
    await dialpad.updateComplete;
    expect(part(dialpad, 'error')).to.equal(null);
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    await sendKeys({ press: 'Enter' });
    expect(fake.dtmfSent).to.deep.equal(['56']);
  });

  it('with a key focused, typing tones sends them; the keys work from the keyboard', async () => {
    const { dialpad, fake } = await inCall();
    const fired = recordDtmf(dialpad);
    key(dialpad, '5').focus();
    await sendKeys({ type: '7#' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'x' });
    expect(fake.dtmfSent).to.deep.equal(['7', '#', '5', '5']);
    expect(fired).to.deep.equal(['7', '#', '5', '5']);
  });

  it('a failed send fires vinteo-error with the reason and shows it, without throwing', async () => {
    const { dialpad, fake } = await inCall();
    fake.failNextDTMF = new Error('INFO could not be sent');
    const error = oneEvent(dialpad, 'vinteo-error');
    key(dialpad, '9').click();
    const detail = (await error).detail;
    expect(detail.reason).to.equal('protocol-error');
    await dialpad.updateComplete;
    expect(part(dialpad, 'error')!.textContent).to.contain('Could not send DTMF');
    expect(dialpad.sentTones).to.equal('');
    key(dialpad, '9').click();
    await dialpad.updateComplete;
    expect(part(dialpad, 'error')).to.equal(null);
    expect(fake.dtmfSent).to.deep.equal(['9']);
  });

  it('tones the core refuses are reported, not thrown', async () => {
    const { dialpad, fake } = await inCall();
    const errors: string[] = [];
    dialpad.addEventListener('vinteo-error', (event: VinteoErrorEvent) => errors.push(event.detail.reason));
    expect(dialpad.send('12x')).to.equal(false);
    expect(dialpad.send('')).to.equal(false);
    expect(errors).to.deep.equal(['invalid-config', 'invalid-config']);
    expect(fake.dtmfSent).to.deep.equal([]);
  });

  it('is disabled again when the call ends, and a new call starts with an empty display', async () => {
    const { session, dialpad, fake } = await inCall();
    key(dialpad, '1').click();
    fake.remoteHangup();
    await waitUntil(() => !dialpad.available, 'still available after hang-up');
    await dialpad.updateComplete;
    expect(keys(dialpad).every((k) => k.disabled)).to.equal(true);
    expect(part(dialpad, 'hint')!.textContent).to.contain('Available during a call');
    const error = oneEvent(dialpad, 'vinteo-error');
    expect(dialpad.send('2')).to.equal(false);
    expect((await error).detail.reason).to.equal('invalid-state');
    await session.querySelector('vinteo-call')!.join();
    await waitUntil(() => dialpad.available, 'not available in the second call');
    await dialpad.updateComplete;
    expect(dialpad.sentTones).to.equal('');
    expect(part(dialpad, 'display')!.textContent).not.to.contain('1');
  });

  it('for="id" uses the client of that <vinteo-call>, also when the call is added later', async () => {
    const { clientOptions, transport } = options();
    const holder = await fixture<HTMLDivElement>(html`
      <div>
        <vinteo-dialpad for="the-call"></vinteo-dialpad>
      </div>
    `);
    const dialpad = holder.querySelector('vinteo-dialpad')!;
    expect(dialpad.client).to.equal(undefined);
    const call = document.createElement('vinteo-call');
    call.id = 'the-call';
    call.wsUrl = WS;
    call.conference = '1000';
    call.clientOptions = clientOptions;
    holder.append(call);
    await waitUntil(() => dialpad.client !== undefined, 'dialpad never found the call added later');
    expect(dialpad.client).to.equal(call.client);
    await call.join();
    await waitUntil(() => dialpad.available, 'dialpad not available in the call');
    key(dialpad, '0').click();
    expect(transport.agents[0]!.sessions[0]!.dtmfSent).to.deep.equal(['0']);

    // Renaming the target unlinks; pointing for at it again links.
    call.id = 'renamed';
    await waitUntil(() => dialpad.client === undefined, 'still linked after the id changed');
    dialpad.htmlFor = 'renamed';
    await waitUntil(() => dialpad.client === call.client, 'not linked after for changed');
  });

  it('for="id" waits for an element that is not defined yet', async () => {
    const client = new VinteoClient({ wsUrl: WS, ...options().clientOptions });
    const tag = `late-call-holder-${Math.random().toString(36).slice(2)}`;
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    holder.innerHTML = `<${tag} id="late"></${tag}><vinteo-dialpad for="late"></vinteo-dialpad>`;
    const dialpad = holder.querySelector('vinteo-dialpad')!;
    await dialpad.updateComplete;
    expect(dialpad.client).to.equal(undefined);
    customElements.define(
      tag,
      class extends HTMLElement {
        readonly client = client;
      },
    );
    await waitUntil(() => dialpad.client === client, 'dialpad did not look again once the element was defined');
    client.destroy();
  });

  it('a client set from script wins over the session', async () => {
    const { clientOptions } = options();
    const own = new VinteoClient({ wsUrl: WS, ...options().clientOptions });
    const session = await fixture<VinteoSession>(html`
      <vinteo-session ws-url=${WS} .clientOptions=${clientOptions}><vinteo-dialpad .client=${own}></vinteo-dialpad></vinteo-session>
    `);
    const dialpad = session.querySelector('vinteo-dialpad')!;
    expect(dialpad.client).to.equal(own);
    dialpad.client = undefined;
    await dialpad.updateComplete;
    expect(dialpad.client).to.equal(session.client);
    own.destroy();
  });

  it('speaks Russian when the page does', async () => {
    const { clientOptions } = options();
    const wrapper = await fixture<HTMLDivElement>(html`
      <div lang="ru">
        <vinteo-session ws-url=${WS} .clientOptions=${clientOptions}><vinteo-dialpad></vinteo-dialpad></vinteo-session>
      </div>
    `);
    const el = wrapper.querySelector('vinteo-dialpad')!;
    await el.updateComplete;
    expect(key(el, '*').getAttribute('aria-label')).to.equal('звёздочка');
    expect(key(el, '#').getAttribute('aria-label')).to.equal('решётка');
    expect(part(el, 'hint')!.textContent).to.contain('Доступно во время звонка');
    expect(part(el, 'send-button')!.textContent!.trim()).to.equal('Отправить');
    expect(part(el, 'label')!.textContent).to.contain('Сигналы');
    el.send('1');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('Действие сейчас недоступно');
    await expect(el).to.be.accessible();
  });
});
