import { MASK, redact } from '../redact.js';
import { Header } from './headers.js';
import type { ReceivedInfo, VinteoNotification } from './info.js';
import type { ReceivedInfoMessage } from './route.js';

/**
 * The forms of received INFOs that the page may read: events, the snapshot and logs carry these,
 * never the in-room credentials (the enter-room bearer token, the `ConferenceParticipantTokenIssued`
 * jwt), which only the conference service keeps. A secret becomes {@link MASK} (`***`).
 */

/** A notification with its jwt masked. */
export function redactNotification(notification: VinteoNotification): VinteoNotification {
  return notification.cmd === 'ConferenceParticipantTokenIssued' ? { ...notification, jwt: MASK } : notification;
}

/** A parsed INFO with its bearer token or jwt masked (the rest as parsed). */
export function redactInfo(info: ReceivedInfo): ReceivedInfo {
  if (info.type === 'enter-room' && info.bearerToken !== undefined) return { ...info, bearerToken: MASK };
  if (info.type === 'notify') return { ...info, notification: redactNotification(info.notification) };
  return info;
}

/** Keys whose values are credentials, in a notify's JSON. */
const SECRET_KEY = /jwt|token|password|bearer|secret/i;

/** A JSON value with every string under a secret-looking key masked. */
function maskJson(value: unknown, depth = 0): unknown {
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) && item !== null && typeof item !== 'object' ? MASK : maskJson(item, depth + 1);
  }
  return out;
}

/** An `X-VINTEO-NOTIFY` value with its credentials masked; still JSON when it was JSON. */
function redactNotifyHeader(raw: string): string {
  try {
    return JSON.stringify(maskJson(JSON.parse(raw)));
  } catch {
    return redact(raw);
  }
}

const BEARER = Header.BEARER_TOKEN.toLowerCase();
const NOTIFY = Header.NOTIFY.toLowerCase();

/**
 * A received INFO as the `call:info` event shows it: the same content type and headers, but the
 * bearer token reads `***` and the notify JSON has its jwt masked; the body is redacted as log text.
 */
export function redactInfoMessage(message: ReceivedInfoMessage): ReceivedInfoMessage {
  return {
    contentType: message.contentType,
    body: redact(message.body),
    header: (name) => {
      const value = message.header(name);
      if (value === undefined) return undefined;
      const lower = name.toLowerCase();
      if (lower === BEARER) return MASK;
      if (lower === NOTIFY) return redactNotifyHeader(value);
      return value;
    },
  };
}
