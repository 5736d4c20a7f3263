// Integration: a `<vinteo-call>` on a host page keeps its size from Join to the call and back, so that nothing
// on the page moves (no layout shift, a Core Web Vital of the host page), against vinteo-dev-server.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import { expectVideoPlaying, uniqueConference } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

/** Layout shifts not caused by input (what counts against the page), where the browser reports them (Chromium). */
function watchLayoutShifts(): { supported: boolean; take: () => string[]; stop: () => void } {
  const supported = PerformanceObserver.supportedEntryTypes.includes('layout-shift');
  const shifts: string[] = [];
  type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: Array<{ previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }> };
  const record = (entries: PerformanceEntryList) => {
    for (const entry of entries as Shift[]) {
      if (entry.hadRecentInput) continue;
      const moves = entry.sources.map((s) => `(${Math.round(s.previousRect.x)},${Math.round(s.previousRect.y)}) → (${Math.round(s.currentRect.x)},${Math.round(s.currentRect.y)})`);
      shifts.push(`${entry.value.toFixed(4)} at ${Math.round(entry.startTime)} ms: ${moves.join(', ')}`);
    }
  };
  const observer = supported ? new PerformanceObserver((list) => record(list.getEntries())) : undefined;
  observer?.observe({ type: 'layout-shift' });
  return {
    supported,
    take: () => {
      if (observer) record(observer.takeRecords());
      return shifts.splice(0);
    },
    stop: () => observer?.disconnect(),
  };
}

/** Two frames rendered: layout shifts of the last change are reported by then. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));

describe('integration: the call screen does not move the host page', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  // A desktop, a common embed width in Russian (the longer labels) and in English, a phone.
  const layouts = [
    { width: 1024, lang: 'en' },
    { width: 800, lang: 'ru' },
    { width: 640, lang: 'en' },
    { width: 375, lang: 'ru' },
  ];
  for (const { width, lang } of layouts) {
    it(`auto-join, the call, leave at ${width} px (${lang}): one height throughout, the text after it never moves, no layout shift`, async () => {
      const conference = uniqueConference();
      const page = await fixture<HTMLDivElement>(html`<div lang=${lang} style="width: ${width}px"><p>Before</p><div id="slot"></div><p id="after">After</p></div>`);
      const shifts = watchLayoutShifts();
      try {
        const el = document.createElement('vinteo-call') as VinteoCall;
        el.setAttribute('ws-url', env().wsUrl);
        el.setAttribute('sip-domain', env().sipDomain);
        el.setAttribute('conference', conference);
        el.setAttribute('display-name', 'Guest');
        el.setAttribute('auto-join', '');
        page.querySelector('#slot')!.append(el);
        const after = page.querySelector<HTMLElement>('#after')!;
        await el.updateComplete;
        await painted();
        const height = el.getBoundingClientRect().height;
        const top = after.getBoundingClientRect().top;
        const seen: string[] = [];
        const check = (when: string) => {
          seen.push(`${when}: ${el.getAttribute('state')} ${el.getBoundingClientRect().height.toFixed(1)} px, after at ${after.getBoundingClientRect().top.toFixed(1)}`);
          expect(el.getBoundingClientRect().height, `the element's height ${when} (${seen.join('; ')})`).to.be.closeTo(height, 0.5);
          expect(after.getBoundingClientRect().top, `the text after it ${when}`).to.be.closeTo(top, 0.5);
        };
        check('at first render');
        await reach(el, 'in-call');
        await el.updateComplete;
        check('in the call');
        await expectVideoPlaying(part<HTMLVideoElement>(el, 'remote-video'));
        await painted();
        check('with the conference video playing');
        await el.leave();
        await waitUntil(() => el.getAttribute('state') !== 'in-call', 'the call did not end', { timeout: 15_000 });
        await el.updateComplete;
        await painted();
        check('after leaving');
        if (shifts.supported) expect(shifts.take(), 'layout shifts').to.deep.equal([]);
      } finally {
        shifts.stop();
      }
    });
  }
});
