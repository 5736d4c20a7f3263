/**
 * Account and moderator notifies (protocol §4, §14.9) sent to one user:
 * - outside any dialog, a NOTIFY on the user's own connection (its newest
 *   registration's, else the flow of its live call: a guest): Request-URI =
 *   the AOR `sip:{user}@{domain}`, `To` without a tag, a new Call-ID,
 *   `X-VINTEO-NOTIFY: {json}` and no body (an `Event` header only when asked);
 * - during a confirmed call, the INFO `application/vinteo.webrtc.notify`
 *   with `x-vinteo-notify` in that call.
 * `auto` takes the INFO when the user has a confirmed call, the NOTIFY
 * otherwise; `notify` and `info` force one.
 */
import { randomBytes } from 'node:crypto';
import type { CallManager } from './calls/manager.js';
import { CallError } from './calls/types.js';
import { MAX_NOTIFY_BYTES } from './commands.js';
import type { Logger } from './log.js';
import type { Registrar } from './registrar.js';
import { TransactionTimeoutError, type Flow, type SipListener } from './sip/listener.js';
import { newBranch, newTag, SERVER_NAME, TOKEN_RE, type SipRequest } from './sip/message.js';

export const NOTIFY_ROUTES = ['auto', 'notify', 'info'] as const;
export type NotifyRoute = (typeof NOTIFY_ROUTES)[number];
export const NOTIFY_INFO_TYPE = 'application/vinteo.webrtc.notify';
/** The user part we accept in a Request-URI (the users file's rule). */
const USER_RE = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]{1,64}$/;

/** A notify that cannot be sent: its HTTP status and message. */
export class NotifyError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'NotifyError';
  }
}

export interface NotifyResult {
  /** The client's final response. */
  status: number;
  /** The route taken: a NOTIFY outside any dialog, or the INFO in the user's call. */
  via: 'notify' | 'info';
}

/** The X-VINTEO-NOTIFY value: an object as one line of JSON, a string verbatim (bad JSON on purpose). Throws NotifyError. */
export function notifyValue(notify: unknown): string {
  let text: string;
  if (typeof notify === 'string') text = notify;
  else if (typeof notify === 'object' && notify !== null && !Array.isArray(notify)) text = JSON.stringify(notify);
  else throw new NotifyError(400, 'notify must be a JSON object (serialized to one line) or a string (sent verbatim)');
  if (Buffer.byteLength(text, 'utf8') > MAX_NOTIFY_BYTES) throw new NotifyError(400, `notify is larger than ${MAX_NOTIFY_BYTES} bytes`);
  if (/[\r\n\0]/.test(text)) throw new NotifyError(400, 'notify must not contain CR, LF or NUL');
  return text;
}

/** The NOTIFY outside any dialog that carries `json` to `user` over `listener`. */
export function buildOutOfDialogNotify(listener: SipListener, user: string, sipDomain: string, json: string, event?: string): SipRequest {
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  const aor = `sip:${user}@${sipDomain}`;
  return {
    method: 'NOTIFY',
    uri: aor,
    version: '2.0',
    headers: {
      via: [{ version: '2.0', protocol: listener.viaTransport, host, port: listener.port, params: { branch: newBranch(), rport: null } }],
      'max-forwards': '70',
      to: { uri: aor, params: {} },
      from: { uri: `sip:vinteo@${sipDomain}`, params: { tag: newTag() } },
      'call-id': randomBytes(12).toString('hex'),
      cseq: { seq: 1, method: 'NOTIFY' },
      ...(event !== undefined ? { event } : {}),
      'user-agent': SERVER_NAME,
      'X-VINTEO-NOTIFY': json,
    },
    content: '',
  };
}

export class Notifier {
  constructor(
    private readonly deps: {
      registrar: Registrar;
      calls: CallManager;
      getFlow: (id: string) => Flow | undefined;
      sipDomain: string;
      timeoutMs: number;
      log: Logger;
    },
  ) {}

  /** Sends `json` to `user` by `route`; throws NotifyError (404 unknown user, 409 no call for `info`, 504 unanswered …). */
  async send(user: string, json: string, route: NotifyRoute = 'auto', event?: string): Promise<NotifyResult> {
    const { registrar, calls, getFlow, log } = this.deps;
    if (!USER_RE.test(user)) throw new NotifyError(400, 'user must be a SIP user part');
    if (event !== undefined && (!TOKEN_RE.test(event) || event.length > 64)) throw new NotifyError(400, 'event must be a token of at most 64 characters');
    const call = calls.liveCallOf(user);
    const registration = registrar
      .lookup(user)
      .filter((b) => getFlow(b.flowId)?.isOpen)
      .sort((a, b) => b.registeredAt.localeCompare(a.registeredAt))[0];
    if (!call && !registration) throw new NotifyError(404, `user ${user} is neither registered nor in a call`);

    const inCall = call?.state === 'confirmed' || call?.state === 'waiting';
    if (route === 'info' || (route === 'auto' && inCall)) {
      if (!call || !inCall) throw new NotifyError(409, `user ${user} has no confirmed call for the INFO`);
      try {
        const record = await calls.sendInfo(call.id, { contentType: NOTIFY_INFO_TYPE, headers: { 'x-vinteo-notify': json }, body: '' });
        log.info(`notify to ${user} by INFO in call ${call.id}: ${String(record.status)}`);
        return { status: record.status ?? 0, via: 'info' };
      } catch (error) {
        throw this.mapError(error, 'INFO');
      }
    }

    const flow = (registration && getFlow(registration.flowId)) ?? (call?.flow.isOpen ? call.flow : undefined);
    if (!flow) throw new NotifyError(404, `user ${user} has no open connection`);
    const request = buildOutOfDialogNotify(flow.listener, user, this.deps.sipDomain, json, event);
    try {
      const response = await flow.listener.request(flow, request, this.deps.timeoutMs);
      log.info(`notify to ${user} by NOTIFY on ${flow.id}: ${response.status}`);
      return { status: response.status, via: 'notify' };
    } catch (error) {
      throw this.mapError(error, 'NOTIFY');
    }
  }

  private mapError(error: unknown, what: string): NotifyError {
    if (error instanceof NotifyError) return error;
    if (error instanceof CallError) return new NotifyError(error.httpStatus, error.message);
    if (error instanceof TransactionTimeoutError) return new NotifyError(504, `the client did not answer the ${what} in time`);
    return new NotifyError(502, error instanceof Error ? error.message : String(error));
  }
}
