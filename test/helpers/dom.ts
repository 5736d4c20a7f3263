// DOM helpers shared by the component, drop-in and integration tests: parts in a shadow root, and the
// `state` attribute the elements reflect.
import { waitUntil } from '@open-wc/testing';

/** The first element of `el`'s shadow root whose `part` names `name`, or null. */
export const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

/** Waits until `el`'s `state` attribute is `state`; `timeout` in ms, `waitUntil`'s default (1 s) when left out. */
export async function reach(el: Element, state: string, timeout?: number): Promise<void> {
  await waitUntil(
    () => el.getAttribute('state') === state,
    `<${el.localName}> state stayed ${el.getAttribute('state')}, wanted ${state}`,
    timeout === undefined ? {} : { timeout },
  );
}
