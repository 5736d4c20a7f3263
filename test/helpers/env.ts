// Helpers for integration tests: where the local conference server is, and its control API.
import { waitUntil } from '@open-wc/testing';

export interface TestEnv {
  readonly wsUrl: string;
  readonly controlUrl: string;
  readonly sipDomain: string;
  readonly users: Readonly<Record<string, string>>;
  /** `127.0.0.1:PORT` of the server's TLS port: the `server` attribute (discovery, wss). */
  readonly tlsHost: string;
  /** `stun:127.0.0.1:PORT`: the STUN server the server's discovery names. */
  readonly stunUrl: string;
}

let cached: Promise<TestEnv> | undefined;

/** The URLs of the vinteo-dev-server the test runner started. */
export function testEnv(): Promise<TestEnv> {
  cached ??= fetch('/__vinteo/env').then(async (response) => {
    if (!response.ok) throw new Error(`/__vinteo/env answered ${response.status}: is the dev server plugin on?`);
    return (await response.json()) as TestEnv;
  });
  return cached;
}

export interface ServerMedia {
  kind: 'audio' | 'video';
  mid: string;
  direction: string;
  packetsReceived: number;
  bytesReceived: number;
  /** Audio only: packets whose RFC 6464 audio level carries sound (a muted microphone sends none). */
  audiblePacketsReceived?: number;
  /** Codec names in the order the client offered them (e.g. `VP8`, `H264`). */
  codecs: string[];
}

export interface ServerCall {
  id: string;
  from: string;
  displayName: string;
  conference: string;
  state: string;
  endReason?: string;
  /** Final status of the INVITE (200, or the error it was answered with). */
  finalStatus?: number;
  /** Set once the ACK of the 200 OK arrived. */
  confirmedAt?: string;
  /** Set when the client's CANCEL arrived. */
  cancelledAt?: string;
  inviteHeaders: Record<string, string>;
  media: ServerMedia[];
  infoReceived: Array<{ contentType: string; headers: Record<string, string>; body: string }>;
  dtmfReceived: string;
  /** Re-INVITEs received in the dialog. */
  reinvites: number;
  /** `incoming` for calls the client made, `outgoing` for calls the server placed. */
  direction?: 'incoming' | 'outgoing';
  /** The room of the last enter-room INFO the server sent (`purgatory` while waiting). */
  room?: string;
  /** The in-room token issued with it, redacted to its first 4 characters (`abcd…`). */
  bearerToken?: string;
}

/** Calls the control API; throws on a non-2xx answer. */
export async function control<T>(path: string, body?: unknown): Promise<T> {
  const { controlUrl } = await testEnv();
  const response = await fetch(`${controlUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export const serverCalls = (): Promise<ServerCall[]> => control<ServerCall[]>('/api/calls');

/** Waits until the server lists a call matching `predicate`, and returns it. */
export async function waitForServerCall(predicate: (call: ServerCall) => boolean, message: string, timeout = 15_000): Promise<ServerCall> {
  let found: ServerCall | undefined;
  await waitUntil(
    async () => {
      found = (await serverCalls()).find(predicate);
      return found !== undefined;
    },
    message,
    { timeout, interval: 200 },
  );
  return found!;
}

/** Collects uncaught errors and unhandled rejections on the page while a test runs. */
export function watchUncaught(): { errors: unknown[]; stop: () => void } {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent): void => {
    errors.push(event.error ?? event.message);
  };
  const onRejection = (event: PromiseRejectionEvent): void => {
    errors.push(event.reason);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

/**
 * Counts the frames `video` shows from now on. Chromium counts them in getVideoPlaybackQuality(); Firefox keeps
 * totalVideoFrames at 0 for MediaStream playback (frames are painted all the same), so there each
 * requestVideoFrameCallback call, one per newly presented frame, counts.
 */
export function videoFrameCounter(video: HTMLVideoElement): { frames: () => number; stop: () => void } {
  if (!navigator.userAgent.includes('Firefox/')) {
    const start = video.getVideoPlaybackQuality().totalVideoFrames;
    return { frames: () => video.getVideoPlaybackQuality().totalVideoFrames - start, stop: () => {} };
  }
  let presented = 0;
  let stopped = false;
  let handle = 0;
  const onFrame = (): void => {
    presented += 1;
    if (!stopped) handle = video.requestVideoFrameCallback(onFrame);
  };
  handle = video.requestVideoFrameCallback(onFrame);
  return {
    frames: () => presented,
    stop: () => {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
    },
  };
}

/** Resolves once the video has decoded frames of a real size and keeps decoding new ones. */
export async function expectVideoPlaying(video: HTMLVideoElement, timeout = 15_000): Promise<void> {
  await waitUntil(() => video.videoWidth > 0 && video.videoHeight > 0, 'remote video never got a size', { timeout });
  const counter = videoFrameCounter(video);
  try {
    await waitUntil(() => counter.frames() > 5, 'remote video frames did not advance (fewer than 6 new frames)', { timeout });
  } finally {
    counter.stop();
  }
}

let unique = 0;
/** A conference number no other test uses in this run. */
export function uniqueConference(): string {
  unique += 1;
  return `${Date.now() % 100_000}${unique}`.slice(-8);
}
