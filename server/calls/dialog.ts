/**
 * The SIP dialog of a call, as messages: our requests in it (new branch and
 * CSeq, Route set), the requests of our INVITE's own transaction (non-2xx
 * ACK, CANCEL), our responses to the client's INVITEs, our Contact, and what
 * the client's requests update (remote target, remote CSeq). Pure functions
 * of the call record; sending goes through the call's flow.
 */
import { ALLOW_HEADER, SERVER_NAME, SUPPORTED_HEADER, makeResponse, newBranch, reasonPhrase, uriString, withTag } from '../sip/message.js';
import type { SipNameAddr, SipRequest, SipResponse } from '../sip/message.js';
import { hostPort, type Call } from './call.js';

/** A request in the call's dialog (new branch; next local CSeq unless `seq` is given, as for an ACK). */
export function buildRequest(call: Call, method: string, headers: Record<string, unknown>, body: string, seq?: number): SipRequest {
  const d = call.dialog;
  if (seq === undefined) seq = ++d.localSeq;
  const { listener } = call.flow;
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return {
    method,
    uri: d.remoteTarget,
    version: '2.0',
    headers: {
      via: [{ version: '2.0', protocol: listener.viaTransport, host, port: listener.port, params: { branch: newBranch(), rport: null } }],
      'max-forwards': '70',
      to: d.remote,
      from: d.local,
      'call-id': d.callId,
      cseq: { seq, method },
      ...(d.routeSet.length ? { route: d.routeSet } : {}),
      'user-agent': SERVER_NAME,
      ...headers,
    },
    content: body,
  };
}

/** An INVITE in the call's dialog carrying our SDP offer (our initial INVITE, or a re-INVITE). */
export function buildInvite(call: Call, offer: string): SipRequest {
  return buildRequest(
    call,
    'INVITE',
    { contact: [ourContact(call)], allow: ALLOW_HEADER, supported: SUPPORTED_HEADER, 'content-type': 'application/sdp' },
    offer,
  );
}

/**
 * A request of our INVITE's own transaction (a non-2xx ACK, a CANCEL): the
 * INVITE's Request-URI, top Via (same branch), From, Call-ID, CSeq number
 * and Route. The To differs: the ACK takes the response's, the CANCEL the INVITE's.
 */
export function inviteTransactionRequest(call: Call, invite: SipRequest, method: 'ACK' | 'CANCEL', to: SipNameAddr): SipRequest {
  return {
    method,
    uri: invite.uri,
    version: '2.0',
    headers: {
      via: [invite.headers.via![0]!],
      'max-forwards': '70',
      to,
      from: invite.headers.from!,
      'call-id': call.dialog.callId,
      cseq: { seq: invite.headers.cseq!.seq, method },
      ...(invite.headers.route ? { route: invite.headers.route } : {}),
      'user-agent': SERVER_NAME,
    },
    content: '',
  };
}

/** ACK of a non-2xx final response: part of the INVITE transaction (same branch, the response's To). */
export function sendNon2xxAck(call: Call, response: SipResponse, invite: SipRequest = call.invite): void {
  call.flow.listener.send(call.flow, inviteTransactionRequest(call, invite, 'ACK', response.headers.to!));
}

/** Our response to one of the client's INVITEs (initial or re-INVITE) in this call. */
export function sendInviteResponse(call: Call, invite: SipRequest, status: number, headers: Record<string, unknown>, body: string, phrase?: string): void {
  const response = makeResponse(invite, status, {
    reason: phrase ?? reasonPhrase(status),
    headers: {
      ...(status > 100 && status < 300 ? { contact: [ourContact(call)] } : {}),
      allow: ALLOW_HEADER,
      supported: SUPPORTED_HEADER,
      ...headers,
    },
    content: body,
  });
  response.headers.to = withTag(invite.headers.to!, call.dialog.localTag);
  // RFC 3261 §12.1.1: a proxy's Record-Route goes back in every dialog-creating response,
  // so the caller learns the route set (none on a direct WebSocket).
  const recordRoute = invite.headers['record-route'];
  if (status > 100 && status < 300 && recordRoute?.length) response.headers['record-route'] = recordRoute;
  call.flow.listener.send(call.flow, response);
}

export function ourContact(call: Call): SipNameAddr {
  const user = encodeURIComponent(call.conference || 'conference');
  const { listener } = call.flow;
  return { uri: `sip:${user}@${hostPort(listener.host, listener.port)};transport=${listener.viaTransport.toLowerCase()}`, params: {} };
}

/** A Contact in the client's request or response becomes the Request-URI of our next requests. */
export function refreshTarget(call: Call, message: SipRequest | SipResponse): void {
  const contact = Array.isArray(message.headers.contact) ? message.headers.contact[0] : undefined;
  const target = contact ? uriString(contact.uri) : '';
  if (target) call.dialog.remoteTarget = target;
}

export function checkRemoteSeq(call: Call, request: SipRequest): void {
  const seq = request.headers.cseq!.seq;
  if (seq > call.dialog.remoteSeq) call.dialog.remoteSeq = seq;
}
