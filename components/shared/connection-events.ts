import type { ClientController } from './client-controller.js';
import { VinteoConnectionChangeEvent, VinteoReconnectedEvent, VinteoReconnectingEvent } from './events.js';

/**
 * Re-dispatches the connection's events on `host` as DOM events: `vinteo-connection-change`,
 * `vinteo-reconnecting`, `vinteo-reconnected`. `owns()` says whether this element speaks for the
 * connection (a session always; a call only when it made its own client).
 */
export function dispatchConnectionEvents<T>(controller: ClientController<T>, host: EventTarget, owns: () => boolean = () => true): void {
  controller
    .listen('connection:state', ({ state, previous, error }) => {
      if (owns()) host.dispatchEvent(new VinteoConnectionChangeEvent(error ? { state, previous, error: error.toJSON() } : { state, previous }));
    })
    .listen('connection:reconnecting', (detail) => {
      if (owns()) host.dispatchEvent(new VinteoReconnectingEvent(detail));
    })
    .listen('connection:reconnected', (detail) => {
      if (owns()) host.dispatchEvent(new VinteoReconnectedEvent(detail));
    });
}
