/**
 * The control API's routes: inspect registrations and calls, place calls,
 * send INFOs and moderator commands, presentation policy and content, the
 * waiting room and in-room tokens, hangup/admit, connection drops and fault injection. Each
 * validates its input and maps call errors to HTTP statuses.
 */
import type { CallManager } from '../calls/manager.js';
import { TOKEN_MODES, type TokenMode } from '../calls/rooms.js';
import { CONTENT_CODECS, CallError, RESERVED_HEADERS, type PresentationPolicy } from '../calls/types.js';
import { buildCommandInfo, CommandError } from '../commands.js';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import type { AddressEndpoint } from '../discovery.js';
import { VIDEO_MODES, type VideoMode } from '../media/video-fault.js';
import type { Notifier } from '../notify.js';
import type { Registrar } from '../registrar.js';
import type { MessageLog } from '../sip/message-log.js';
import type { StunStats } from '../stun.js';
import { TransactionTimeoutError } from '../sip/listener.js';
import { TOKEN_RE } from '../sip/message.js';
import type { SignallingFaults } from '../sip-router.js';
import type { SipTransport } from '../sip/ws-listener.js';
import { HttpError, intInRange, isObject, type Json, type Route } from './http.js';

export interface ControlApiDeps {
  registrar: Registrar;
  calls: CallManager;
  /** Flows of every listener (registrations name theirs) and the WebSocket drop. */
  transport: Pick<SipTransport, 'getFlow' | 'dropAll'>;
  faults: SignallingFaults;
  /** `/api/v1/address` on the SIP ports, driven by `GET/POST /api/address`. */
  address: AddressEndpoint;
  /** Every SIP message received (`/api/messages`). */
  messages: MessageLog;
  /** Out-of-dialog NOTIFY / notify INFO (`POST /api/registrations/{user}/notify`). */
  notifier: Notifier;
  /** The STUN responder's port, URL and counters, when it runs. */
  stun: () => (StunStats & { port: number; url: string }) | undefined;
  log: Logger;
}

/** A SIP URI user part we are willing to put in From (the `from` of a server-initiated call). */
const FROM_USER_RE = /^[A-Za-z0-9._~+-]{1,64}$/;
const MAX_DISPLAY_NAME_CHARS = 128;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_RE = /[\u0000-\u001f\u007f]/;

export function controlRoutes(deps: ControlApiDeps): Route[] {
  const { registrar, calls, transport, faults, log } = deps;
  return [
    { method: 'GET', pattern: /^\/api\/health$/, handler: () => [200, { ok: true }] },
    { method: 'GET', pattern: /^\/api\/registrations$/, handler: () => [200, registrar.list()] },
    {
      method: 'POST',
      pattern: /^\/api\/registrations\/([^/]+)\/call$/,
      handler: async ([user], body) => {
        const input = await body();
        if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object');
        const displayName = input?.displayName;
        if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length > MAX_DISPLAY_NAME_CHARS || CONTROL_CHARS_RE.test(displayName))) {
          throw new HttpError(400, `displayName must be a string of at most ${MAX_DISPLAY_NAME_CHARS} characters without control characters (CR, LF …)`);
        }
        const from = input?.from ?? 'vinteo';
        if (typeof from !== 'string' || !FROM_USER_RE.test(from)) throw new HttpError(400, 'from must be a SIP user part of 1–64 letters, digits and . _ ~ + -');
        if (input?.welcome !== undefined && typeof input.welcome !== 'boolean') throw new HttpError(400, 'welcome must be a boolean');
        // The most recent binding whose WebSocket is still open.
        const binding = registrar
          .lookup(user!)
          .filter((b) => transport.getFlow(b.flowId)?.isOpen)
          .sort((a, b) => b.registeredAt.localeCompare(a.registeredAt))[0];
        const flow = binding && transport.getFlow(binding.flowId);
        if (!binding || !flow) throw new HttpError(404, `user ${user} is not registered`);
        const call = callOp(() =>
          calls.callUser({
            flow,
            target: binding.contact,
            user: user!,
            from,
            ...(displayName ? { displayName } : {}),
            ...(input?.welcome === true ? { welcome: true } : {}),
          }),
        );
        return [201, { id: call.id }];
      },
    },
    { method: 'GET', pattern: /^\/api\/waiting-room$/, handler: () => [200, { enabled: calls.waitingRoom }] },
    {
      method: 'POST',
      pattern: /^\/api\/waiting-room$/,
      handler: async (_p, body) => {
        const input = await body();
        if (!isObject(input) || typeof input.enabled !== 'boolean') throw new HttpError(400, 'body must be { "enabled": true | false }');
        calls.waitingRoom = input.enabled;
        log.info(`waiting room ${input.enabled ? 'enabled' : 'disabled'}`);
        return [200, { enabled: calls.waitingRoom }];
      },
    },
    { method: 'GET', pattern: /^\/api\/tokens$/, handler: () => [200, { mode: calls.tokenMode }] },
    {
      method: 'POST',
      pattern: /^\/api\/tokens$/,
      handler: async (_p, body) => {
        const input = await body();
        if (!isObject(input) || !(TOKEN_MODES as readonly unknown[]).includes(input.mode)) throw new HttpError(400, `body must be { "mode": ${TOKEN_MODES.map((m) => `"${m}"`).join(' | ')} }`);
        calls.tokenMode = input.mode as TokenMode;
        log.info(`in-room tokens: ${calls.tokenMode}`);
        return [200, { mode: calls.tokenMode }];
      },
    },
    { method: 'GET', pattern: /^\/api\/calls$/, handler: () => [200, calls.list()] },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/reject-next$/,
      handler: async (_p, body) => {
        const input = await body();
        if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object');
        const count = intInRange(input?.count, 'count', 0, 1000, 1);
        const status = intInRange(input?.status, 'status', 400, 699, 486);
        calls.rejectNext(count, status);
        log.info(`next ${count} INVITE(s) will be answered ${status}`);
        return [200, { ok: true, count, status }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/calls\/([^/]+)$/,
      handler: ([id]) => {
        const call = calls.get(id!);
        if (!call) throw new HttpError(404, `unknown call ${id}`);
        return [200, call];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/info$/,
      handler: async ([id], body) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        const info = validateInfo(await body());
        const record = await sendInfo(calls, id!, info);
        return [200, { status: record.status }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/calls\/([^/]+)\/sdp$/,
      handler: ([id]) => {
        return [200, callOp(() => calls.sdp(id!))];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/command$/,
      handler: async ([id], body) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        const input = await body();
        if (!isObject(input)) throw new HttpError(400, 'body must be a JSON object { "command": "…" }');
        let info;
        try {
          info = buildCommandInfo(input);
        } catch (error) {
          if (error instanceof CommandError) throw new HttpError(400, error.message, error.validCommands ? { validCommands: error.validCommands } : {});
          throw error;
        }
        const record = await sendInfo(calls, id!, info);
        return [200, { status: record.status, command: input.command, contentType: info.contentType, headers: info.headers }];
      },
    },
    { method: 'GET', pattern: /^\/api\/presentation-policy$/, handler: () => [200, { ...calls.presentationPolicy }] },
    {
      method: 'POST',
      pattern: /^\/api\/presentation-policy$/,
      handler: async (_p, body) => {
        const { patch } = policyPatch(await body(), false);
        return [200, calls.setDefaultPresentationPolicy(patch)];
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/calls\/([^/]+)\/presentation-policy$/,
      handler: ([id]) => {
        const call = calls.get(id!);
        if (!call) throw new HttpError(404, `unknown call ${id}`);
        return [200, call.presentationPolicy];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/presentation-policy$/,
      handler: async ([id], body) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        const { patch, reset } = policyPatch(await body(), true);
        return [200, callOp(() => calls.setCallPresentationPolicy(id!, patch, reset))];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/presentation\/stop$/,
      handler: async ([id]) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        const record = await sendInfo(calls, id!, buildCommandInfo({ command: 'stop-presentation' }));
        return [200, { status: record.status }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/content\/start$/,
      handler: async ([id], body) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        const input = await body();
        if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object { "codec"?: "VP8" }');
        const unknown = Object.keys(input ?? {}).filter((k) => k !== 'codec');
        if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);
        let codec: string | undefined;
        if (input?.codec !== undefined) {
          codec = typeof input.codec === 'string' ? input.codec.toUpperCase() : '';
          if (!(CONTENT_CODECS as readonly string[]).includes(codec)) {
            throw new HttpError(400, `codec must be one of ${CONTENT_CODECS.join(', ')} (the content m-line forwards the caller's camera RTP, so only codecs the server negotiates work)`);
          }
        }
        return [200, await contentOp(() => calls.startContent(id!, codec))];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/content\/stop$/,
      handler: async ([id]) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        return [200, await contentOp(() => calls.stopContent(id!))];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/video$/,
      handler: async ([id], body) => {
        if (!calls.get(id!)) throw new HttpError(404, `unknown call ${id}`);
        const input = await body();
        if (!isObject(input) || !VIDEO_MODES.includes(input.mode as VideoMode)) throw new HttpError(400, `body must be { "mode": ${VIDEO_MODES.map((m) => `"${m}"`).join(' | ')}, "until"?: "reinvite" | "command" }`);
        const unknown = Object.keys(input).filter((k) => k !== 'mode' && k !== 'until');
        if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);
        if (input.until !== undefined && input.until !== 'reinvite' && input.until !== 'command') throw new HttpError(400, 'until must be "reinvite" or "command"');
        const call = callOp(() => calls.setVideoMode(id!, input.mode as VideoMode, (input.until as 'reinvite' | 'command' | undefined) ?? 'reinvite'));
        return [200, { mode: call.videoMode, ...(call.videoModeUntil ? { until: call.videoModeUntil } : {}) }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/admit$/,
      handler: async ([id]) => {
        const call = await callOp(() => calls.admit(id!));
        return [200, { ok: call.state !== 'ended', state: call.state }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/calls\/([^/]+)\/hangup$/,
      handler: async ([id]) => {
        const result = await callOp(() => calls.hangup(id!));
        return [200, { ok: true, status: result.status }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/connections\/drop$/,
      handler: () => {
        const dropped = transport.dropAll();
        log.info(`dropped ${dropped} connection(s)`);
        return [200, { ok: true, dropped }];
      },
    },
    { method: 'GET', pattern: /^\/api\/faults$/, handler: () => [200, faultsSnapshot(deps)] },
    {
      method: 'POST',
      pattern: /^\/api\/faults$/,
      handler: async (_p, body) => {
        const input = await body();
        if (!isObject(input)) throw new HttpError(400, 'body must be a JSON object');
        const known = new Set([
          'answerDelayMs',
          'ignoreOptions',
          'optionsStatus',
          'ignoreCancel',
          'rejectNextInvites',
          'rejectNextRegisters',
          'registerExpires',
          'registerMinExpires',
          'roomnameStatus',
          'videoStartsStalled',
        ]);
        const unknown = Object.keys(input).filter((k) => !known.has(k));
        if (unknown.length) throw new HttpError(400, `unknown fault(s): ${unknown.join(', ')}`);
        const answerDelayMs = input.answerDelayMs === undefined ? undefined : intInRange(input.answerDelayMs, 'answerDelayMs', 0, 60_000);
        if (input.ignoreOptions !== undefined && typeof input.ignoreOptions !== 'boolean') throw new HttpError(400, 'ignoreOptions must be a boolean');
        if (input.ignoreCancel !== undefined && typeof input.ignoreCancel !== 'boolean') throw new HttpError(400, 'ignoreCancel must be a boolean');
        const rejectSpec = (value: unknown, name: string): { count: number; status: number } | undefined => {
          if (value === undefined) return undefined;
          if (!isObject(value)) throw new HttpError(400, `${name} must be an object { count, status }`);
          return { count: intInRange(value.count, `${name}.count`, 0, 1000, 1), status: intInRange(value.status, `${name}.status`, 400, 699) };
        };
        const invites = rejectSpec(input.rejectNextInvites, 'rejectNextInvites');
        const registers = rejectSpec(input.rejectNextRegisters, 'rejectNextRegisters');
        // Written into SIP headers as they are: visible ASCII, no line breaks, at most 32 characters.
        const headerText = (value: unknown, name: string): string | null | undefined => {
          if (value === undefined || value === null) return value;
          if (typeof value !== 'string' || !/^[\x21-\x7e]{0,32}$/.test(value)) throw new HttpError(400, `${name} must be null or up to 32 visible ASCII characters`);
          return value;
        };
        const statusOrNull = (value: unknown, name: string): number | null | undefined =>
          value === undefined || value === null ? value : intInRange(value, name, 200, 699);
        const optionsStatus = statusOrNull(input.optionsStatus, 'optionsStatus');
        const roomnameStatus = statusOrNull(input.roomnameStatus, 'roomnameStatus');
        if (input.videoStartsStalled !== undefined && typeof input.videoStartsStalled !== 'boolean') throw new HttpError(400, 'videoStartsStalled must be a boolean');
        const registerExpires = headerText(input.registerExpires, 'registerExpires');
        const registerMinExpires = headerText(input.registerMinExpires, 'registerMinExpires');
        if (answerDelayMs !== undefined) calls.faults.answerDelayMs = answerDelayMs;
        if (typeof input.ignoreOptions === 'boolean') faults.ignoreOptions = input.ignoreOptions;
        if (optionsStatus !== undefined) faults.optionsStatus = optionsStatus;
        if (roomnameStatus !== undefined) calls.faults.roomnameStatus = roomnameStatus;
        if (typeof input.videoStartsStalled === 'boolean') calls.faults.videoStartsStalled = input.videoStartsStalled;
        if (typeof input.ignoreCancel === 'boolean') calls.faults.ignoreCancel = input.ignoreCancel;
        if (invites) calls.rejectNext(invites.count, invites.status);
        if (registers) registrar.faults.rejectNext = registers;
        if (registerExpires !== undefined) registrar.faults.grantExpires = registerExpires;
        if (registerMinExpires !== undefined) registrar.faults.minExpires = registerMinExpires;
        return [200, faultsSnapshot(deps)];
      },
    },
  ];
}

/** Sends an INFO through the call manager, mapping its errors to HTTP ones. */
async function sendInfo(calls: CallManager, id: string, info: { contentType: string; headers: Record<string, string>; body: string }): Promise<{ status: number | null }> {
  try {
    return await calls.sendInfo(id, info);
  } catch (error) {
    if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
    if (error instanceof TransactionTimeoutError) throw new HttpError(504, 'the client did not answer the INFO in time');
    throw new HttpError(502, errorMessage(error));
  }
}

/** Runs a call manager operation, mapping CallError (thrown, or rejected by a promise) to its HTTP status. */
function callOp<T>(fn: () => T): T {
  const toHttp = (error: unknown): never => {
    if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
    throw error;
  };
  try {
    const result = fn();
    return (result instanceof Promise ? result.catch(toHttp) : result) as T;
  } catch (error) {
    return toHttp(error);
  }
}

/** Runs a content start/stop: CallError → its status, no answer from the client → 504, other failures → 502. */
async function contentOp<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CallError) throw new HttpError(error.httpStatus, error.message);
    if (error instanceof TransactionTimeoutError) throw new HttpError(504, `the client did not answer in time (${error.message})`);
    throw new HttpError(502, errorMessage(error));
  }
}

/** Validates `{ accept?, status?, failNext? }` (plus `reset?` for a call). */
function policyPatch(input: Json, allowReset: boolean): { patch: Partial<PresentationPolicy>; reset: boolean } {
  if (input !== undefined && !isObject(input)) throw new HttpError(400, 'body must be a JSON object { "accept"?: boolean, "status"?: 400–699, "failNext"?: count, "stopStatus"?: 200–699 }');
  const body = input ?? {};
  const known = new Set(['accept', 'status', 'failNext', 'stopStatus', ...(allowReset ? ['reset'] : [])]);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}; allowed: ${[...known].join(', ')}`);
  const patch: Partial<PresentationPolicy> = {};
  if (body.accept !== undefined) {
    if (typeof body.accept !== 'boolean') throw new HttpError(400, 'accept must be a boolean');
    patch.accept = body.accept;
  }
  if (body.status !== undefined) patch.status = intInRange(body.status, 'status', 400, 699);
  if (body.failNext !== undefined) patch.failNext = intInRange(body.failNext, 'failNext', 0, 1000);
  if (body.stopStatus !== undefined) patch.stopStatus = intInRange(body.stopStatus, 'stopStatus', 200, 699);
  if (body.reset !== undefined && typeof body.reset !== 'boolean') throw new HttpError(400, 'reset must be a boolean');
  return { patch, reset: body.reset === true };
}

function faultsSnapshot({ calls, registrar, faults }: ControlApiDeps): Json {
  return {
    answerDelayMs: calls.faults.answerDelayMs,
    ignoreOptions: faults.ignoreOptions,
    optionsStatus: faults.optionsStatus,
    ignoreCancel: calls.faults.ignoreCancel,
    rejectNextInvites: { ...calls.faults.rejectNext },
    rejectNextRegisters: { ...registrar.faults.rejectNext },
    registerExpires: registrar.faults.grantExpires,
    registerMinExpires: registrar.faults.minExpires,
    roomnameStatus: calls.faults.roomnameStatus,
    videoStartsStalled: calls.faults.videoStartsStalled,
  };
}

function validateInfo(input: Json): { contentType: string; headers: Record<string, string>; body: string } {
  if (!isObject(input)) throw new HttpError(400, 'body must be a JSON object');
  const { contentType, headers = {}, body = '' } = input;
  if (typeof contentType !== 'string' || !/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;[^\r\n]*)?$/.test(contentType.trim())) {
    throw new HttpError(400, 'contentType is required and must be a media type such as application/vinteo.webrtc.maincam');
  }
  if (!isObject(headers)) throw new HttpError(400, 'headers must be an object of header name → string value');
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN_RE.test(name)) throw new HttpError(400, `invalid header name ${JSON.stringify(name)}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new HttpError(400, `header ${name} cannot be set`);
    if (typeof value !== 'string' && typeof value !== 'number') throw new HttpError(400, `header ${name} must have a string value`);
    const text = String(value);
    if (/[\r\n\0]/.test(text)) throw new HttpError(400, `header ${name} must not contain CR, LF or NUL`);
    clean[name] = text;
  }
  if (typeof body !== 'string') throw new HttpError(400, 'body must be a string');
  return { contentType: contentType.trim(), headers: clean, body };
}
