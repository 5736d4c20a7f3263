// No leaks: 50 join/leave cycles in one page leave no peer connection, track, interval or listener of ours.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { installLeakCounter } from '../helpers/leak-counter.js';
import { testEnv, uniqueConference } from '../helpers/env.js';
import { reach } from '../helpers/integration.js';

/** How long a condition may take to come true on a busy machine (the default of `waitUntil` is 1 s). */
const WAIT = { timeout: 15_000, interval: 100 };

const CYCLES = 50;

describe('integration: no leaks over 50 join/leave cycles', function () {
  this.timeout(240_000);

  it(`${CYCLES} cycles of a stand-alone <vinteo-call> (own client each time), then nothing of ours is left`, async () => {
    const env = await testEnv();
    const counter = installLeakCounter();
    try {
      const holder = await fixture<HTMLDivElement>(html`<div></div>`);
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        const el = document.createElement('vinteo-call') as VinteoCall;
        el.setAttribute('ws-url', env.wsUrl);
        el.setAttribute('sip-domain', env.sipDomain);
        el.setAttribute('conference', uniqueConference());
        holder.append(el);
        await el.join();
        await reach(el, 'in-call');
        await el.leave();
        await reach(el, 'ended');
        el.remove();
      }
      await waitUntil(() => counter.livePeerConnections() === 0, `peer connections left: ${counter.livePeerConnections()}`, WAIT);
      expect(counter.liveTracks(), 'live tracks').to.equal(0);
      // Intervals of ours (ping timers, tickers); let stopped user agents finish first.
      await waitUntil(() => counter.activeIntervals() === 0, `intervals left: ${counter.activeIntervals()}`, { timeout: 5000 });
      const listeners = counter.listeners();
      for (const type of ['online', 'visibilitychange', 'devicechange']) {
        expect(listeners[type] ?? 0, `${type} listeners left`).to.equal(0);
      }
    } finally {
      counter.uninstall();
    }
  });

  it(`${CYCLES} join/leave cycles on one session leave its client with only the elements' own listeners`, async () => {
    const env = await testEnv();
    const counter = installLeakCounter();
    try {
      const session = await fixture<VinteoSession>(
        html`<vinteo-session ws-url=${env.wsUrl} sip-domain=${env.sipDomain}><vinteo-call conference=${uniqueConference()}></vinteo-call></vinteo-session>`,
      );
      const el = session.querySelector('vinteo-call')!;
      await el.updateComplete;
      const baseline = session.client.listenerCount;
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        await el.join();
        await reach(el, 'in-call');
        await el.leave();
        await reach(el, 'ended');
      }
      expect(session.client.listenerCount, 'client listeners').to.equal(baseline);
      await waitUntil(() => counter.livePeerConnections() === 0, `peer connections left: ${counter.livePeerConnections()}`, WAIT);
      expect(counter.liveTracks(), 'live tracks').to.equal(0);
      await session.disconnect();
      await waitUntil(() => counter.activeIntervals() === 0, `intervals left: ${counter.activeIntervals()}`, { timeout: 5000 });
    } finally {
      counter.uninstall();
    }
  });
});
