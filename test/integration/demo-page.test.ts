// The demo page's call screen (demo/index.html with demo/demo.css) against the local conference server: the
// <vinteo-presentation> panel inside the <vinteo-session> shows neither a second Share button nor a second
// copy of others' content, which <vinteo-call> already shows large (issue #16).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { VinteoCall } from '../../components/vinteo-call/VinteoCall.js';
import type { VinteoPresentation } from '../../components/vinteo-presentation/VinteoPresentation.js';
import type { VinteoSession } from '../../components/vinteo-session/VinteoSession.js';
import { control, uniqueConference, waitForServerCall } from '../helpers/env.js';
import { part, reach, useIntegrationEnv } from '../helpers/integration.js';

const WAIT = { timeout: 15_000, interval: 100 };

/** Every visible element with part `name` in the shadow roots of `hosts`. */
function visibleParts(hosts: Element[], name: string): Element[] {
  return hosts.flatMap((host) => [...host.shadowRoot!.querySelectorAll(`[part~="${name}"]`)]).filter((el) => el.checkVisibility() && el.getBoundingClientRect().width > 0);
}

describe('integration: the demo page shows each thing once', function () {
  this.timeout(60_000);
  const env = useIntegrationEnv();

  it("one Share button, and others' content only on the call screen, with the panel open", async () => {
    // The demo's own markup and style sheet, as `npm start` serves them.
    const markup = await (await fetch('/demo/index.html')).text();
    const demo = new DOMParser().parseFromString(markup, 'text/html');
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const sheet = document.createElement('link');
    sheet.rel = 'stylesheet';
    sheet.href = '/demo/demo.css';
    const loaded = new Promise((resolve, reject) => {
      sheet.onload = resolve;
      sheet.onerror = reject;
    });
    holder.append(sheet);
    await loaded;
    const template = document.createElement('template');
    template.innerHTML = demo.querySelector('vinteo-session')!.outerHTML;
    const fragment = document.importNode(template.content, true);
    const session = fragment.querySelector<VinteoSession>('vinteo-session')!;
    session.setAttribute('ws-url', env().wsUrl);
    session.setAttribute('sip-domain', env().sipDomain);
    const call = fragment.querySelector<VinteoCall>('vinteo-call')!;
    call.setAttribute('conference', uniqueConference());
    fragment.querySelector<HTMLDetailsElement>('details')!.open = true;
    holder.append(fragment);
    const presentation = holder.querySelector<VinteoPresentation>('vinteo-presentation')!;
    const elements = [call, presentation];

    await call.join();
    await reach(call, 'in-call');
    await presentation.updateComplete;
    await call.updateComplete;
    expect(visibleParts(elements, 'share-button').map((el) => el.getRootNode() === call.shadowRoot), 'the Share button, once, in the call bar').to.deep.equal([true]);

    // Another participant's content: large in the call, not again in the panel.
    const server = await waitForServerCall((c) => c.conference === call.conference && c.state === 'confirmed', 'call not on the server');
    await control(`/api/calls/${server.id}/content/start`, { codec: 'VP8' });
    const content = part<HTMLVideoElement>(call, 'content-video');
    await waitUntil(() => !content.hidden && content.videoWidth > 0, 'content video never decoded', { timeout: 20_000 });
    await waitUntil(() => presentation.client!.getSnapshot().presentation.contentAvailable, 'the panel never heard of the content', WAIT);
    await presentation.updateComplete;
    expect(part<HTMLVideoElement>(presentation, 'content-video').srcObject, 'the panel has the content (the element works)').not.to.equal(null);
    expect(visibleParts(elements, 'content-video').map((el) => el.getRootNode() === call.shadowRoot), 'the content, once, on the call screen').to.deep.equal([true]);
    await control(`/api/calls/${server.id}/content/stop`, {});
    await waitUntil(() => content.hidden, 'content still shown after CONTENTEND', WAIT);
  });
});
