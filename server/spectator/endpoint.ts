/**
 * `POST /api/v2/rtp2webrtc/offer/{conference}?quality=&audio=` (protocol §6,
 * §14.8) on the SIP WebSocket ports (plain and TLS), next to
 * `/api/v1/address`: a spectator's receive-only leg. The Bearer token must be
 * the in-room token of a confirmed call in that conference (401 without one,
 * 403 when it matches none); the body `{"type":"offer","sdp":…}` (400
 * otherwise); the answer 200 `{"type":"answer","sdp":…}` comes from a werift
 * peer (leg-peer.ts) that sends the main RTP of another participant's call in
 * the same conference, or, alone in it, the spectator's own call's, and on its
 * content m-line (`sendonly` from the start, msid `content_{codec}`) the
 * content the server plays in any call of the conference while it plays. CORS is
 * open to any origin, preflight included (`Authorization, Content-Type`). A
 * new POST for the same call replaces its leg; the call's end closes it.
 * Every request is recorded for `GET /api/legs` (never the token).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Call } from '../calls/call.js';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';
import { requestPath } from '../sip/ws-listener.js';
import { contentStreamId, LegPeer, type LegPeerCounters } from './leg-peer.js';

export const LEG_PATH = /^\/api\/v2\/rtp2webrtc\/offer\/([^/]+)$/;
const MAX_BODY_BYTES = 256 * 1024;
const MAX_RECORDS = 200;

/** What `GET /api/legs` shows of each POST. */
export interface LegRecord {
  at: string;
  conference: string;
  quality: string | null;
  audio: string | null;
  status: number;
  /** The spectator's call (when the token matched). */
  callId?: string;
  /** The call whose media the leg carries. */
  sourceCallId?: string;
  /** True when the request had `Authorization: Bearer …` (the token itself is never kept). */
  bearer: boolean;
  error?: string;
}

export interface LegStatus {
  callId: string;
  sourceCallId: string;
  quality: string | null;
  audio: string | null;
  connectionState: string;
  /** The content m-line's msid stream id (`content_vp8` …), when the offer had one to answer. */
  contentStreamId?: string;
  /** The call whose content (its camera) the leg forwards now. */
  contentCallId?: string;
  counters: LegPeerCounters;
}

export interface LegEndpointDeps {
  /** The confirmed, admitted call of `conference` (lower-cased room) whose in-room token is `token`. */
  callForToken: (conference: string, token: string) => Call | undefined;
  /** The live calls (to find another participant of the same room). */
  calls: () => Iterable<Call>;
  host: string;
  log: Logger;
}

interface OpenLeg {
  peer: LegPeer;
  /** The spectator's call (its room is the leg's conference). */
  call: Call;
  status: Omit<LegStatus, 'connectionState' | 'counters' | 'contentCallId'>;
  contentCallId: string | undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class LegEndpoint {
  private readonly records: LegRecord[] = [];
  private readonly legs = new Map<string, OpenLeg>();

  constructor(private readonly deps: LegEndpointDeps) {}

  /** `GET /api/legs`: every request so far and the legs open now. */
  snapshot(): { requests: LegRecord[]; open: LegStatus[] } {
    return {
      requests: [...this.records],
      open: [...this.legs.values()].map(({ peer, status, contentCallId }) => ({
        ...status,
        connectionState: peer.connectionState,
        ...(contentCallId ? { contentCallId } : {}),
        counters: { ...peer.counters },
      })),
    };
  }

  /** Content started or stopped in `call` (or the call playing it ended): the legs of its room follow. */
  contentChanged(call: Call): void {
    for (const leg of this.legs.values()) if (leg.call.room === call.room) this.followContent(leg);
  }

  /** Closes every leg (server shutdown). */
  async close(): Promise<void> {
    const legs = [...this.legs.values()];
    this.legs.clear();
    await Promise.all(legs.map((leg) => leg.peer.close()));
  }

  /** The SIP listeners' `http` hook: answers the leg path (true), leaves anything else (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const match = LEG_PATH.exec(requestPath(req.url));
    if (!match) return false;
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') {
      req.resume();
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return true;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(405, { Allow: 'POST, OPTIONS', 'Content-Type': 'text/plain' }).end('Method Not Allowed\n');
      return true;
    }
    this.post(req, res, match[1]!).catch((error: unknown) => {
      this.deps.log.warn(`leg request failed: ${errorMessage(error)}`);
      if (!res.headersSent) this.reply(res, 500, { error: 'internal error' });
    });
    return true;
  }

  private async post(req: IncomingMessage, res: ServerResponse, encoded: string): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://path.invalid').searchParams;
    let conference: string;
    try {
      conference = decodeURIComponent(encoded);
    } catch {
      conference = encoded;
    }
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const record: LegRecord = { at: new Date().toISOString(), conference, quality: query.get('quality'), audio: query.get('audio'), status: 0, bearer: !!auth };
    const fail = (status: number, error: string): void => {
      req.resume();
      record.status = status;
      record.error = error;
      this.record(record);
      this.deps.log.info(`leg POST for ${conference}: ${status} ${error}`);
      this.reply(res, status, { error });
    };
    if (!auth) return fail(401, 'an Authorization: Bearer token is required');
    const call = this.deps.callForToken(conference, auth[1]!.trim());
    if (!call) return fail(403, 'the token is not the in-room token of a call in this conference');
    record.callId = call.id;
    let offer: unknown;
    try {
      offer = JSON.parse(await readBody(req));
    } catch {
      return fail(400, 'the body must be JSON {"type":"offer","sdp":…}');
    }
    const body = offer as { type?: unknown; sdp?: unknown } | null;
    if (!body || body.type !== 'offer' || typeof body.sdp !== 'string' || !body.sdp.startsWith('v=')) {
      return fail(400, 'the body must be JSON {"type":"offer","sdp":…}');
    }
    const source = this.sourceFor(call);
    if (!source?.peer) return fail(409, 'no call in this conference has media to send');
    record.sourceCallId = source.id;
    await this.legs.get(call.id)?.peer.close();
    const peer = new LegPeer(source.peer, { host: this.deps.host, log: this.deps.log.child(`leg ${call.id}`) });
    let answer: string;
    try {
      answer = await peer.answer(body.sdp);
    } catch (error) {
      await peer.close();
      return fail(400, `the offer could not be applied: ${errorMessage(error)}`);
    }
    const contentCodec = peer.contentCodec;
    const leg: OpenLeg = {
      peer,
      call,
      contentCallId: undefined,
      status: {
        callId: call.id,
        sourceCallId: source.id,
        quality: record.quality,
        audio: record.audio,
        ...(contentCodec ? { contentStreamId: contentStreamId(contentCodec) } : {}),
      },
    };
    this.legs.set(call.id, leg);
    this.followContent(leg);
    const end = (): void => {
      if (this.legs.get(call.id)?.peer !== peer) return;
      this.legs.delete(call.id);
      void peer.close();
    };
    call.onEnd.add(end);
    record.status = 200;
    this.record(record);
    this.deps.log.info(`leg POST for ${conference} (call ${call.id}, quality ${record.quality ?? '-'}, audio ${record.audio ?? '-'}): media of call ${source.id}`);
    this.reply(res, 200, { type: 'answer', sdp: answer });
  }

  /** Points the leg's content m-line at the call of its room playing content now (none: it stops). */
  private followContent(leg: OpenLeg): void {
    const playing = this.contentCallIn(leg.call.room);
    if (playing?.id !== leg.contentCallId) {
      this.deps.log.info(`leg of call ${leg.call.id}: ${playing ? `content of call ${playing.id}` : 'no content'}`);
    }
    leg.contentCallId = playing?.id;
    leg.peer.setContent(playing?.peer);
  }

  /** The confirmed call of `room` the server plays content in (calls/content.ts), if any. */
  private contentCallIn(room: string | undefined): Call | undefined {
    if (!room) return undefined;
    for (const call of this.deps.calls()) {
      if (call.state === 'confirmed' && call.room === room && call.content.state === 'active' && call.peer) return call;
    }
    return undefined;
  }

  /** Another participant's confirmed call in the same room with media; else the spectator's own. */
  private sourceFor(call: Call): Call | undefined {
    for (const other of this.deps.calls()) {
      if (other !== call && other.state === 'confirmed' && other.room === call.room && other.peer) return other;
    }
    return call.peer ? call : undefined;
  }

  private record(record: LegRecord): void {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
  }

  private reply(res: ServerResponse, status: number, payload: unknown): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}
