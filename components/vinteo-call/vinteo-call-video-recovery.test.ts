// <vinteo-call> while the conference video is restored (call.videoRecovery), on the fake client: the
// "Restoring video…" notice over the video in a polite live region, vinteo-video-recovery, and the notice
// gone once the re-INVITE is answered.
import { ContextProvider } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './vinteo-call.js';
import type { VinteoCall } from './VinteoCall.js';
import type { VinteoVideoRecoveryEvent } from '../shared/events.js';
import { vinteoClientContext } from '../../src/context.js';
import { logger } from '../../src/logger.js';
import { makeClient } from '../../test/helpers/fake-client.js';
import { installVideoStats } from '../../test/helpers/fake-stats.js';
import { part, reach } from '../../test/helpers/dom.js';

/** A `<vinteo-call>` (in `lang`) on a fake client in a call whose main video the test controls; the re-INVITE waits for `answer()`. */
async function inCall(lang: string) {
  const { client, transport } = makeClient({}, { statsIntervalMs: 600_000 });
  const holder = await fixture<HTMLDivElement>(html`<div lang=${lang}></div>`);
  new ContextProvider(holder, { context: vinteoClientContext, initialValue: client });
  const el = document.createElement('vinteo-call') as VinteoCall;
  el.conference = '1000';
  holder.append(el);
  const events: Array<VinteoVideoRecoveryEvent['detail']> = [];
  el.addEventListener('vinteo-video-recovery', (event) => events.push(event.detail));
  const firstCollection = new Promise<void>((resolve) => {
    const off = client.on('stats:collected', () => {
      off();
      resolve();
    });
  });
  await el.join();
  await reach(el, 'in-call');
  const session = transport.agents[0]!.sessions[0]!;
  const video = installVideoStats(session, { packets: 100, bytes: 100_000, framesReceived: 10, framesDecoded: 10 });
  await firstCollection;
  let answer: (done: boolean) => void = () => undefined;
  session.renegotiate = () => new Promise<boolean>((resolve) => (answer = resolve));
  /** Three samples of a stalled video: the recovery starts. */
  const stall = async (): Promise<void> => {
    for (let i = 0; i < 3; i += 1) await client.collectStats();
  };
  return { client, el, events, video, stall, answer: (done = true) => answer(done) };
}

const notice = (el: VinteoCall): HTMLElement => part(el, 'video-recovery')!;

describe('<vinteo-call>: restoring the conference video', () => {
  let level: typeof logger.level;
  beforeEach(() => {
    level = logger.level;
    logger.level = 'error';
  });
  afterEach(() => {
    logger.level = level;
  });

  it('shows "Restoring video…" over the video in a polite live region while it runs, and clears it when done', async () => {
    const { client, el, events, stall, answer } = await inCall('en');
    await el.updateComplete;
    const region = notice(el);
    expect(region, 'the live region is in place (empty) before anything happens').not.to.equal(null);
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.getAttribute('aria-live')).to.equal('polite');
    expect(region.textContent!.trim()).to.equal('');
    expect(region.closest('[part~="stage"]'), 'over the video').not.to.equal(null);

    await stall();
    await el.updateComplete;
    expect(client.getSnapshot().call.videoRecovery).to.deep.equal({ problem: 'stalled' });
    expect(notice(el), 'the same live region').to.equal(region);
    expect(region.textContent!.trim()).to.equal('Restoring video…');
    expect(region.querySelector('.spinner')!.getAttribute('aria-hidden'), 'a decorative spinner').to.equal('true');
    expect(events).to.deep.equal([{ problem: 'stalled', phase: 'started' }]);
    expect(el.getAttribute('state'), 'the call goes on').to.equal('in-call');
    await expect(el).to.be.accessible();

    answer();
    await waitUntil(() => events.length === 2, 'the recovery never finished');
    await el.updateComplete;
    expect(events[1]).to.deep.equal({ problem: 'stalled', phase: 'done' });
    expect(notice(el).textContent!.trim()).to.equal('');
    expect(client.getSnapshot().call.videoRecovery).to.equal(undefined);
    client.destroy();
  });

  it('in Russian: «Восстанавливаем видео…»', async () => {
    const { client, el, stall, answer } = await inCall('ru');
    await stall();
    await el.updateComplete;
    expect(notice(el).textContent!.trim()).to.equal('Восстанавливаем видео…');
    answer();
    await waitUntil(() => client.getSnapshot().call.videoRecovery === undefined, 'the recovery never finished');
    client.destroy();
  });

  it('the label can be overridden; leaving during a recovery removes the notice', async () => {
    const { client, el, events, stall } = await inCall('en');
    el.setAttribute('label-restoring-video', 'Video is coming back');
    await stall();
    await el.updateComplete;
    expect(notice(el).textContent!.trim()).to.equal('Video is coming back');
    await el.leave();
    await reach(el, 'ended');
    await el.updateComplete;
    expect(part(el, 'video-recovery')).to.equal(null);
    expect(events).to.deep.equal([{ problem: 'stalled', phase: 'started' }]);
    client.destroy();
  });
});
