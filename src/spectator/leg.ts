import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { LegQuality } from './quality.js';

export type { LegQuality } from './quality.js';

/** What goes in the `quality` query parameter. */
export function wireQuality(quality: LegQuality): 'low' | 'medium' | 'high' {
  return quality === 'auto' ? 'high' : quality;
}

/**
 * The leg's HTTPS base: `https://{server}` with the `server` option; with a WebSocket URL, its host
 * over http (ws) or https (wss).
 */
export function legBaseUrl(options: { server?: string | undefined; wsUrl?: string | undefined }): string | undefined {
  if (options.wsUrl) {
    try {
      const url = new URL(options.wsUrl);
      const scheme = url.protocol === 'ws:' ? 'http:' : 'https:';
      return `${scheme}//${url.host}`;
    } catch {
      return undefined;
    }
  }
  const server = options.server?.trim();
  return server ? `https://${server.replace(/^https?:\/\//, '').replace(/\/+$/, '')}` : undefined;
}

/** `POST {base}/api/v2/rtp2webrtc/offer/{conference}?quality={q}&audio={audioId}` (protocol §6). */
export function legUrl(base: string, conference: string, quality: LegQuality, audioId: string): string {
  const query = new URLSearchParams({ quality: wireQuality(quality), audio: audioId });
  return `${base}/api/v2/rtp2webrtc/offer/${encodeURIComponent(conference)}?${query.toString()}`;
}

export interface LegRequest {
  readonly url: string;
  /** Sent only in the Authorization header, never logged. */
  readonly token: string;
}

export interface LegTiming {
  /** Tries of the POST (default 10) and the pause between them (default 500 ms). */
  readonly tries: number;
  readonly retryDelayMs: number;
  /** How long the leg may take to connect after the answer (default 5000 ms). */
  readonly connectTimeoutMs: number;
}

export const DEFAULT_LEG_TIMING: LegTiming = { tries: 10, retryDelayMs: 500, connectTimeoutMs: 5000 };

export interface LegDeps {
  readonly iceServers: RTCIceServer[];
  readonly fetch: typeof fetch;
  readonly createPeer: (config: RTCConfiguration) => RTCPeerConnection;
  readonly timing: LegTiming;
  /** Remote tracks changed (main or content stream). */
  readonly changed: () => void;
  /** The leg failed after it opened (its connection went `failed` or `closed`). */
  readonly lost: (reason: string) => void;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * One receive-only leg (protocol §6): a peer connection apart from the call's, with audio `recvonly`
 * then video `recvonly` ×4; the offer is POSTed at once (no candidates, no trickle) and tried again,
 * the same offer, on a non-2xx or a network error (10 tries, 500 ms apart). After the answer the
 * connection must be `connected` within 5 s (`new` at that moment is accepted).
 */
export class ReceiveLeg {
  readonly peer: RTCPeerConnection;
  /** Remote streams by msid stream id: `default` is the main one, `content_{codec}` content. */
  readonly streams = new Map<string, MediaStream>();
  private readonly abort = new AbortController();
  private opened = false;

  constructor(private readonly deps: LegDeps) {
    this.peer = deps.createPeer({ iceServers: deps.iceServers });
    this.peer.addTransceiver('audio', { direction: 'recvonly' });
    for (let i = 0; i < 4; i += 1) this.peer.addTransceiver('video', { direction: 'recvonly' });
    this.peer.addEventListener('track', (event) => this.track(event));
    this.peer.addEventListener('connectionstatechange', () => {
      const state = this.peer.connectionState;
      if (this.opened && !this.abort.signal.aborted && (state === 'failed' || state === 'closed')) this.deps.lost(`the receive leg's connection is ${state}`);
    });
  }

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** The main stream (`default`, else the first that is not content). */
  get main(): MediaStream | undefined {
    const found = this.streams.get('default');
    if (found) return found;
    for (const [id, stream] of this.streams) if (!id.startsWith('content_')) return stream;
    return undefined;
  }

  /** The content stream of `codec` (any case), if it arrived. */
  content(codec: string | undefined): MediaStream | undefined {
    if (codec) return this.streams.get(`content_${codec.toLowerCase()}`);
    for (const [id, stream] of this.streams) if (id.startsWith('content_')) return stream;
    return undefined;
  }

  /** True once an audio and a video track arrived: the leg counts as started. */
  get started(): boolean {
    const tracks = [...this.streams.values()].flatMap((s) => s.getTracks());
    return tracks.some((t) => t.kind === 'audio') && tracks.some((t) => t.kind === 'video');
  }

  /** Offers, POSTs (with retries) and waits for the connection. Rejects with a VinteoError. */
  async open(request: LegRequest): Promise<void> {
    const offer = await this.peer.createOffer();
    await this.peer.setLocalDescription(offer);
    const sdp = this.peer.localDescription?.sdp ?? offer.sdp ?? '';
    const answer = await this.post(request, sdp);
    this.checkOpen();
    await this.peer.setRemoteDescription(answer);
    this.opened = true;
    await this.connected();
  }

  close(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.peer.close();
    for (const stream of this.streams.values()) for (const track of stream.getTracks()) track.stop();
  }

  private checkOpen(): void {
    if (this.abort.signal.aborted) throw VinteoError.aborted('Opening the receive leg');
  }

  private async post(request: LegRequest, sdp: string): Promise<RTCSessionDescriptionInit> {
    const { tries, retryDelayMs } = this.deps.timing;
    let last = 'no answer';
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      this.checkOpen();
      try {
        const response = await this.deps.fetch(request.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${request.token}` },
          body: JSON.stringify({ type: 'offer', sdp }),
          signal: this.abort.signal,
        });
        if (response.ok) {
          const body = (await response.json()) as { type?: unknown; sdp?: unknown };
          if (body.type === 'answer' && typeof body.sdp === 'string') return { type: 'answer', sdp: body.sdp };
          last = 'the answer is not {type: "answer", sdp}';
        } else {
          last = `HTTP ${response.status}`;
        }
      } catch (error) {
        this.checkOpen();
        last = error instanceof Error ? error.message : 'network error';
      }
      logger.debug(`receive leg: try ${attempt} of ${tries} failed (${last})`);
      if (attempt < tries) await delay(retryDelayMs, this.abort.signal);
    }
    this.checkOpen();
    throw VinteoError.protocolError(`The receive leg could not be opened after ${tries} tries (${last})`);
  }

  private connected(): Promise<void> {
    const peer = this.peer;
    return new Promise((resolve, reject) => {
      const finish = (error?: VinteoError): void => {
        clearTimeout(timer);
        peer.removeEventListener('connectionstatechange', check);
        this.abort.signal.removeEventListener('abort', check);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (this.abort.signal.aborted) finish(VinteoError.aborted('Opening the receive leg'));
        else if (peer.connectionState === 'connected') finish();
        else if (peer.connectionState === 'failed' || peer.connectionState === 'closed') {
          finish(VinteoError.protocolError(`The receive leg's connection is ${peer.connectionState}`));
        }
      };
      const timer = setTimeout(() => {
        if (peer.connectionState === 'new' || peer.connectionState === 'connected') finish();
        else finish(VinteoError.protocolError(`The receive leg did not connect within ${this.deps.timing.connectTimeoutMs} ms`));
      }, this.deps.timing.connectTimeoutMs);
      peer.addEventListener('connectionstatechange', check);
      this.abort.signal.addEventListener('abort', check);
      check();
    });
  }

  private track(event: RTCTrackEvent): void {
    if (this.abort.signal.aborted) return;
    const streams = event.streams.length ? event.streams : [new MediaStream([event.track])];
    for (const stream of streams) {
      const known = this.streams.get(stream.id);
      if (known && known !== stream && !known.getTracks().includes(event.track)) known.addTrack(event.track);
      else if (!known) this.streams.set(stream.id, stream);
    }
    this.deps.changed();
  }
}
