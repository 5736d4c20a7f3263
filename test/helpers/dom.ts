// DOM helpers shared by the component, drop-in and integration tests: parts in a shadow root, and the
// `state` attribute the elements reflect.
import { waitUntil } from '@open-wc/testing';
import type { VinteoSnapshot } from '../../src/types.js';

/** The first element of `el`'s shadow root whose `part` names `name`, or null. */
export const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

/**
 * Waits until `el`'s `state` attribute is `state`; `timeout` in ms, `waitUntil`'s default (1 s) when left out.
 * A timeout says the state at that moment (not the one the wait began with) and what the element's client had.
 */
export async function reach(el: Element, state: string, timeout?: number): Promise<void> {
  try {
    await waitUntil(() => el.getAttribute('state') === state, '', timeout === undefined ? {} : { timeout });
  } catch {
    throw new Error(`Timeout: <${el.localName}> state is ${el.getAttribute('state')} after the wait, wanted ${state}; ${describeClient(el)}`);
  }
}

/** The element's client as a timeout reports it: the call's state, phase, error and id, the connection's state, the error part. */
function describeClient(el: Element): string {
  const client = (el as Element & { client?: { getSnapshot?: () => VinteoSnapshot } }).client;
  const snapshot = client?.getSnapshot?.();
  if (!snapshot) return 'the element has no client';
  const { call, connection } = snapshot;
  const error = call.error ? ` (${call.error.reason}: ${call.error.message})` : '';
  const shown = el.shadowRoot ? part(el, 'error')?.textContent?.trim() : undefined;
  return (
    `its client's call was ${call.state}${call.phase ? `/${call.phase}` : ''}${error}, id ${call.id ?? 'none'}; ` +
    `connection ${connection.state}; error part ${shown ? JSON.stringify(shown) : 'empty'}`
  );
}
