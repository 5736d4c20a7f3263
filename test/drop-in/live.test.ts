// The states only a real call reaches, against the conference server: remote video, a presentation being
// shared, stats with the per-stream table and the connection, the balancer at work. Every element passes
// an accessibility audit there too, in English with the light theme and in Russian with the dark one, and
// the parts only these states render exist.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoPresentation } from '../../components/vinteo-presentation/VinteoPresentation.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import type { VinteoStats } from '../../components/vinteo-stats/VinteoStats.js';
import { part, reach } from '../helpers/dom.js';
import { expectVideoPlaying, uniqueConference } from '../helpers/env.js';
import { optionalEnv } from './helpers.js';
import { LOOKS } from './scenarios.js';

/** A canvas stream standing in for a shared screen. */
function slide(): { stream: MediaStream; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const g = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => {
    frame += 1;
    g.fillStyle = frame % 2 ? '#e8eefc' : '#dde6fa';
    g.fillRect(0, 0, 640, 360);
  }, 100);
  const stream = canvas.captureStream(10);
  return {
    stream,
    stop: () => {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

describe('drop-in: a real call, every element in it', () => {
  for (const look of LOOKS) {
    it(`in a call, sharing a screen, with stats and the balancer: accessible (${look.lang}, ${look.theme})`, async function () {
      const env = await optionalEnv();
      if (!env) this.skip();
      const source = slide();
      const root = await fixture<HTMLDivElement>(html`<div lang=${look.lang}>
        <vinteo-session ws-url=${env!.wsUrl} sip-domain=${env!.sipDomain} display-name="Ann" stats-interval="500" balancer-delay="200">
          <vinteo-call conference=${uniqueConference()}></vinteo-call>
          <vinteo-presentation></vinteo-presentation>
          <vinteo-stats></vinteo-stats>
          <vinteo-dialpad></vinteo-dialpad>
          <vinteo-devices></vinteo-devices>
        </vinteo-session>
      </div>`);
      for (const el of root.querySelectorAll('vinteo-call, vinteo-presentation, vinteo-stats, vinteo-dialpad, vinteo-devices')) el.setAttribute('theme', look.theme);
      const session = root.querySelector<VinteoSession>('vinteo-session')!;
      const call = root.querySelector<VinteoCall>('vinteo-call')!;
      const presentation = root.querySelector<VinteoPresentation>('vinteo-presentation')!;
      const stats = root.querySelector<VinteoStats>('vinteo-stats')!;
      try {
        await call.join();
        await reach(call, 'in-call', 15_000);
        await expectVideoPlaying(part<HTMLVideoElement>(call, 'remote-video')!);
        presentation.source = source.stream;
        await presentation.start();
        await reach(presentation, 'active', 15_000);
        await waitUntil(() => part(stats, 'streams') !== null && part(stats, 'connection') !== null, 'no stream table', { timeout: 15_000 });
        await waitUntil(() => part(stats, 'balancer') !== null, 'the balancer did not start', { timeout: 15_000 });
        root.querySelector('vinteo-dialpad')!.send('12');
        for (const el of root.querySelectorAll<HTMLElement & { updateComplete: Promise<unknown> }>('vinteo-call, vinteo-presentation, vinteo-stats, vinteo-dialpad, vinteo-devices')) {
          await el.updateComplete;
        }
        for (const name of ['streams', 'streams-caption', 'stream-row', 'connection', 'balancer']) expect(part(stats, name), name).not.to.equal(null);
        expect(part(presentation, 'share-button')!.getAttribute('aria-pressed')).to.equal('true');
        await expect(root).to.be.accessible();
      } finally {
        await session.disconnect();
        source.stop();
      }
    });
  }
});
