// Helpers for the drop-in tests: pages served by test/drop-in/wtr-csp-plugin.mjs, opened in an iframe.
import { waitUntil } from '@open-wc/testing';
import { expectVideoPlaying, uniqueConference, type TestEnv } from '../helpers/env.js';

export const ELEMENT_NAMES = ['vinteo-session', 'vinteo-call', 'vinteo-presentation', 'vinteo-stats', 'vinteo-dialpad', 'vinteo-devices'] as const;

/** What test/drop-in/pages/probe.js records inside the page. */
export interface Probe {
  importing: boolean;
  importCalls: string[];
  violations: Array<{ directive: string; blocked: string; sample: string; source: string; line: number }>;
  errors: string[];
  defines: string[];
  globalsBefore: string[];
  globalsAfter?: string[];
  symbolMetadataBefore: symbol | undefined;
  symbolMetadataAfter?: symbol | undefined;
}

export interface DropInPage {
  readonly frame: HTMLIFrameElement;
  readonly window: Window & typeof globalThis & { __dropIn: Probe; VinteoWidgets?: Record<string | symbol, unknown> };
  readonly document: Document;
  readonly probe: Probe;
  close(): void;
}

/** Opens `url` in an iframe and resolves after its load event (deferred and module scripts have run). */
export async function openPage(url: string): Promise<DropInPage> {
  const frame = document.createElement('iframe');
  frame.style.width = '900px';
  frame.style.height = '900px';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = url;
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as DropInPage['window'];
  return {
    frame,
    window: win,
    document: frame.contentDocument!,
    probe: win.__dropIn,
    close: () => frame.remove(),
  };
}

/** Globals the scripts under test added (the probe's own `__dropIn` left out). */
export function addedGlobals(probe: Probe): string[] {
  const before = new Set(probe.globalsBefore);
  return (probe.globalsAfter ?? []).filter((name) => !before.has(name) && name !== '__dropIn');
}

export function part<T extends Element = HTMLElement>(el: Element, name: string): T {
  const found = el.shadowRoot?.querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`<${el.localName}> has no part ${name}`);
  return found;
}

/** Every element on the page is upgraded and rendered its shadow root. */
export async function expectRendered(doc: Document): Promise<void> {
  for (const el of doc.querySelectorAll<HTMLElement & { updateComplete?: Promise<unknown> }>(ELEMENT_NAMES.join(','))) {
    // The script-tag loader defines the panels once their chunk has arrived.
    await waitUntil(() => el.shadowRoot !== null, `<${el.localName}> was not upgraded`, { timeout: 10_000 });
    await el.updateComplete;
    if (el.localName === 'vinteo-session') {
      if (!el.shadowRoot!.querySelector('slot')) throw new Error('<vinteo-session> rendered no slot');
    } else {
      part(el, 'base');
    }
  }
}

/** The dev server's URLs, or undefined when the tests run without it (VINTEO_NO_SERVER=1). */
export async function optionalEnv(): Promise<TestEnv | undefined> {
  const response = await fetch('/__vinteo/env');
  return response.ok ? ((await response.json()) as TestEnv) : undefined;
}

type CallElement = HTMLElement & { wsUrl?: string; sipDomain?: string; conference?: string; leave(): Promise<void> };

/**
 * Points the page's `<vinteo-session>` (or stand-alone `<vinteo-call>`) at the dev server, presses Join,
 * waits for the call and its decoded remote video, and leaves.
 */
export async function joinFromPage(page: DropInPage, env: TestEnv): Promise<void> {
  const call = page.document.querySelector<CallElement>('vinteo-call')!;
  const owner = (page.document.querySelector<CallElement>('vinteo-session') ?? call)!;
  owner.setAttribute('ws-url', env.wsUrl);
  owner.setAttribute('sip-domain', env.sipDomain);
  call.setAttribute('conference', uniqueConference());
  await (call as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  part<HTMLButtonElement>(call, 'join-button').click();
  await waitUntil(() => call.getAttribute('state') === 'in-call', `the page's call stayed ${call.getAttribute('state')}`, { timeout: 20_000 });
  await expectVideoPlaying(part<HTMLVideoElement>(call, 'remote-video'));
  await call.leave();
  await waitUntil(() => call.getAttribute('state') === 'ended', 'the call did not end');
}
