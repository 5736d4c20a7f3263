/** Dispatches SIP requests from the transport to the registrar and the call manager. */
import type { CallManager } from './calls/manager.js';
import type { Logger } from './log.js';
import type { Registrar } from './registrar.js';
import {
  ALLOW_HEADER,
  KNOWN_UNSUPPORTED_METHODS,
  SUPPORTED_HEADER,
  makeResponse,
  newTag,
  tagOf,
  withTag,
  type SipRequest,
  type SipResponse,
} from './sip/message.js';
import type { Flow, SipListener, SipListenerHooks } from './sip/listener.js';

/** Server-wide fault injection knobs that are not owned by the registrar or the calls. */
export interface SignallingFaults {
  /** Silently drop every OPTIONS (the client's "ping" then times out). */
  ignoreOptions: boolean;
  /** Answer every OPTIONS with this final status (e.g. 503) instead of 200; null: 200. */
  optionsStatus: number | null;
}

const CALL_METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'INFO', 'UPDATE']);

/** Routes one listener's requests (call it once per listener: WebSocket, and UDP behind a proxy). */
export function attachSipRouter(deps: {
  transport: SipListener & SipListenerHooks;
  registrar: Registrar;
  calls: CallManager;
  faults: SignallingFaults;
  log: Logger;
}): void {
  const { transport, registrar, calls, faults, log } = deps;

  const send = (flow: Flow, response: SipResponse): void => {
    if (response.status > 100 && response.headers.to && !tagOf(response.headers.to)) {
      response.headers.to = withTag(response.headers.to, newTag());
    }
    transport.send(flow, response);
  };

  transport.onRequest = (request: SipRequest, flow: Flow): void => {
    const method = request.method;
    if (method === 'REGISTER') {
      send(flow, registrar.handle(request, flow));
      return;
    }
    if (method === 'OPTIONS') {
      // Any Request-URI: a registered AOR, a guest's random id, in a dialog or not (the client's ping).
      if (faults.ignoreOptions) {
        log.debug('OPTIONS ignored (fault injection)');
        return;
      }
      if (faults.optionsStatus !== null) {
        log.debug(`OPTIONS answered ${faults.optionsStatus} (fault injection)`);
        send(flow, makeResponse(request, faults.optionsStatus, { headers: { allow: ALLOW_HEADER } }));
        return;
      }
      if (tagOf(request.headers.to) && calls.owns(request)) {
        calls.handleRequest(request, flow);
        return;
      }
      send(flow, makeResponse(request, 200, { headers: { allow: ALLOW_HEADER, accept: 'application/sdp', supported: SUPPORTED_HEADER } }));
      return;
    }
    if (CALL_METHODS.has(method)) {
      calls.handleRequest(request, flow);
      return;
    }
    if (KNOWN_UNSUPPORTED_METHODS.has(method)) {
      send(flow, makeResponse(request, 405, { headers: { allow: ALLOW_HEADER } }));
      return;
    }
    send(flow, makeResponse(request, 501, { headers: { allow: ALLOW_HEADER } }));
  };

  transport.onStrayResponse = (response, flow): void => calls.handleStrayResponse(response, flow);

  transport.onFlowClosed = (flow: Flow): void => {
    registrar.removeFlow(flow.id);
    calls.onFlowClosed(flow);
  };
}
