/**
 * The control API's HTTP plumbing: its error type, route shape, input
 * checks shared by routes, the loopback rules (Host and Origin), and JSON
 * bodies in and out (64 KiB at most).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../log.js';

export const MAX_BODY_BYTES = 64 * 1024;
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A failed request: its status and `{ error: message, ...extra }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra fields of the JSON error body. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type Json = unknown;
export type Handler = (params: string[], body: () => Promise<Json>, query: URLSearchParams) => Promise<[number, Json]> | [number, Json];

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function intInRange(value: unknown, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** True when an Origin header value names a loopback page (any scheme/port). */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
  } catch {
    return false;
  }
}

/** True when a Host header names a loopback address (absent counts as loopback). */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return true;
  try {
    const hostname = new URL(`http://${host}`).hostname;
    return LOOPBACK_HOSTNAMES.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
  } catch {
    return false;
  }
}

export function readJson(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        chunks.length = 0;
        reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!failed) reject(new HttpError(400, `cannot read body: ${error.message}`));
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text) as Json);
      } catch (error) {
        reject(new HttpError(400, `malformed JSON: ${errorMessage(error)}`));
      }
    });
  });
}

export function sendJson(res: ServerResponse, status: number, payload: Json): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
