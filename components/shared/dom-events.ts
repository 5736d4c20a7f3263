import type { VinteoClientEvents } from '../../src/types.js';
import type { ClientController } from './client-controller.js';
import {
  VinteoBalancerUpdateEvent,
  VinteoCallAcceptedEvent,
  VinteoCallEndedEvent,
  VinteoCallFailedEvent,
  VinteoConnectionChangeEvent,
  VinteoEnterRoomEvent,
  VinteoErrorEvent,
  VinteoIncomingCallEvent,
  VinteoLicenseEvent,
  VinteoModeratorCommandEvent,
  VinteoNotifyEvent,
  VinteoPresentationEndedEvent,
  VinteoPresentationFailedEvent,
  VinteoPresentationMustStopEvent,
  VinteoPresentationStartedEvent,
  VinteoPresentationStartEvent,
  VinteoReconnectedEvent,
  VinteoReconnectingEvent,
  VinteoRoleChangeEvent,
  VinteoVideoRecoveryEvent,
} from './events.js';

type Translations = { readonly [K in keyof VinteoClientEvents]?: (payload: VinteoClientEvents[K]) => Event };

/**
 * The client events the elements re-dispatch, and the DOM event each becomes: one table. Errors become
 * `VinteoErrorInfo` (plain, redacted data); the rest is the core's payload, as the event declares it.
 */
export const DOM_EVENTS = {
  'connection:state': ({ state, previous, error }) =>
    new VinteoConnectionChangeEvent(error ? { state, previous, error: error.toJSON() } : { state, previous }),
  'connection:reconnecting': (detail) => new VinteoReconnectingEvent(detail),
  'connection:reconnected': (detail) => new VinteoReconnectedEvent(detail),
  'call:accepted': (detail) => new VinteoCallAcceptedEvent(detail),
  'call:ended': (detail) => new VinteoCallEndedEvent(detail),
  'call:failed': ({ conference, error }) => new VinteoCallFailedEvent({ conference, error: error.toJSON() }),
  'call:incoming': ({ caller }) => new VinteoIncomingCallEvent({ callerName: caller.name, callerNumber: caller.number }),
  'call:video-recovery': ({ problem, phase }) => new VinteoVideoRecoveryEvent({ problem, phase }),
  'conference:enter-room': ({ room, participantName }) => new VinteoEnterRoomEvent({ room, participantName }),
  'conference:role': ({ role, previous, spectatorMode }) =>
    new VinteoRoleChangeEvent(spectatorMode === undefined ? { role, previous } : { role, previous, spectatorMode }),
  'conference:moderator-command': (detail) => new VinteoModeratorCommandEvent(detail),
  'conference:license': (detail) => new VinteoLicenseEvent(detail),
  'conference:notify': ({ notification }) => new VinteoNotifyEvent({ notification }),
  'presentation:start': () => new VinteoPresentationStartEvent(),
  'presentation:started': (detail) => new VinteoPresentationStartedEvent(detail),
  'presentation:ended': (detail) => new VinteoPresentationEndedEvent(detail),
  'presentation:failed': ({ error }) => new VinteoPresentationFailedEvent(error.toJSON()),
  'presentation:must-stop': () => new VinteoPresentationMustStopEvent(),
  'balancer:applied': ({ command, trigger, parameters, codec, trackWidth, trackHeight }) =>
    new VinteoBalancerUpdateEvent({
      command,
      trigger,
      scaleResolutionDownBy: parameters.scaleResolutionDownBy,
      maxBitrate: parameters.maxBitrate,
      ...(codec === undefined ? {} : { codec }),
      ...(trackWidth === undefined ? {} : { trackWidth }),
      ...(trackHeight === undefined ? {} : { trackHeight }),
    }),
  error: ({ error }) => new VinteoErrorEvent(error.toJSON()),
} satisfies Translations;

export type DomEventSource = keyof typeof DOM_EVENTS;

/**
 * The connection's events: a session speaks for them, a call only when it made its own client. Notifies
 * belong to the connection: they come between calls too (a NOTIFY outside any dialog), not only as INFOs.
 */
export const CONNECTION_EVENTS = ['connection:state', 'connection:reconnecting', 'connection:reconnected', 'conference:notify'] as const satisfies readonly DomEventSource[];

/** The events of the current call: only the elements that show it speak for them. */
export const CALL_EVENTS = [
  'call:accepted',
  'call:ended',
  'call:failed',
  'conference:enter-room',
  'call:incoming',
  'conference:role',
  'conference:moderator-command',
  'conference:license',
  'call:video-recovery',
] as const satisfies readonly DomEventSource[];

export const PRESENTATION_EVENTS = [
  'presentation:start',
  'presentation:started',
  'presentation:ended',
  'presentation:failed',
  'presentation:must-stop',
] as const satisfies readonly DomEventSource[];

/**
 * Re-dispatches the client events `names` on `host` as their DOM events (see {@link DOM_EVENTS}) while
 * `when()` says this element speaks for them.
 */
export function redispatch<T>(controller: ClientController<T>, host: EventTarget, names: readonly DomEventSource[], when: () => boolean = () => true): void {
  for (const name of names) {
    const translate = DOM_EVENTS[name] as (payload: VinteoClientEvents[typeof name]) => Event;
    controller.listen(name, (payload) => {
      if (when()) host.dispatchEvent(translate(payload));
    });
  }
}
