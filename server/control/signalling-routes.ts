/**
 * Control routes around signalling rather than one call: what discovery
 * answers (`/api/address`), the STUN responder's counters (`/api/stun`), the
 * log of every SIP message received (`/api/messages`), and notifies to a
 * user outside or inside a call (`/api/registrations/{user}/notify`).
 */
import { addressPatch } from '../discovery.js';
import { NOTIFY_ROUTES, NotifyError, notifyValue, type NotifyRoute } from '../notify.js';
import { HttpError, isObject, type Route } from './http.js';
import type { ControlApiDeps } from './routes.js';

export function signallingRoutes(deps: ControlApiDeps): Route[] {
  const { address, messages, notifier, stun, log } = deps;
  return [
    { method: 'GET', pattern: /^\/api\/address$/, handler: () => [200, address.settings()] },
    {
      method: 'POST',
      pattern: /^\/api\/address$/,
      handler: async (_p, body) => {
        const input = await body();
        let parsed;
        try {
          parsed = addressPatch(input ?? {});
        } catch (error) {
          throw new HttpError(400, error instanceof Error ? error.message : String(error));
        }
        const { patch, reset } = parsed;
        const settings = address.update(patch, reset);
        log.info(`discovery answer: ${JSON.stringify({ ...settings.overrides, status: settings.status, rawBody: settings.rawBody !== null })}`);
        return [200, settings];
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/stun$/,
      handler: () => {
        const stats = stun();
        return [200, stats ? { running: true, ...stats } : { running: false, requests: 0, ignored: 0 }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/messages$/,
      handler: (_p, _b, query) => {
        const since = query.get('since');
        if (since !== null && !/^\d{1,15}$/.test(since)) throw new HttpError(400, 'since must be a message seq (a non-negative integer)');
        const kind = query.get('kind');
        if (kind !== null && kind !== 'request' && kind !== 'response') throw new HttpError(400, 'kind must be request or response');
        const list = messages.list({
          ...(query.get('method') ? { method: query.get('method')! } : {}),
          ...(since !== null ? { since: Number(since) } : {}),
          ...(query.get('callId') ? { callId: query.get('callId')! } : {}),
          ...(query.get('flowId') ? { flowId: query.get('flowId')! } : {}),
          ...(kind ? { kind } : {}),
        });
        return [200, list];
      },
    },
    { method: 'DELETE', pattern: /^\/api\/messages$/, handler: () => [200, { ok: true, cleared: messages.clear(), lastSeq: messages.lastSeq }] },
    {
      method: 'POST',
      pattern: /^\/api\/registrations\/([^/]+)\/notify$/,
      handler: async ([user], body) => {
        const input = await body();
        if (!isObject(input)) throw new HttpError(400, 'body must be { "notify": object | string, "via"?: "auto" | "notify" | "info", "event"?: string }');
        const unknown = Object.keys(input).filter((k) => k !== 'notify' && k !== 'via' && k !== 'event');
        if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);
        const via = input.via ?? 'auto';
        if (!NOTIFY_ROUTES.includes(via as NotifyRoute)) throw new HttpError(400, `via must be one of ${NOTIFY_ROUTES.join(', ')}`);
        if (input.event !== undefined && typeof input.event !== 'string') throw new HttpError(400, 'event must be a string');
        try {
          const result = await notifier.send(user!, notifyValue(input.notify), via as NotifyRoute, input.event);
          return [200, result];
        } catch (error) {
          if (error instanceof NotifyError) throw new HttpError(error.httpStatus, error.message);
          throw error;
        }
      },
    },
  ];
}
