import { html, nothing } from 'lit';

/**
 * A string the elements did not write themselves (a caller's name or number, a room name, an error
 * message that may quote the server) inside text they render: in its own `<bdi>`, which isolates its
 * direction both ways (`unicode-bidi: isolate`, direction from its own first strong character). A
 * U+202E (right-to-left override) in a caller's name then reverses only that name, never the number
 * after it or the label before it. Always rendered as text, never as markup.
 */
export function isolate(text: string | undefined): unknown {
  return text ? html`<bdi>${text}</bdi>` : nothing;
}
