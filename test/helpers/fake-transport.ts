// A scriptable stand-in for JsSIP, for unit and component tests only. Integration tests use the real thing.
import type { RTCSession } from '@krivega/jssip';
import type { OptionsHandlers, SipUserAgent, UserAgentFactory, UserAgentParams } from '../../src/connection/transport.js';
import type { MediaProvider } from '../../src/call/media-provider.js';
import type { DeviceProvider } from '../../src/devices/types.js';

type Listener = (event?: unknown) => void;

class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(type: string, listener: Listener): this {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return this;
  }

  emit(type: string, event?: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  get count(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

export interface FakeBehaviour {
  /** What the socket does on start (default: connects). */
  connect?: 'ok' | 'fail' | 'never';
  /** How REGISTER is answered when registering (default: 200). */
  register?: 'ok' | 'wrong-password';
  /**
   * How the INVITE is answered (default: 200 and then the room INFOs); `waiting`: 200, then the
   * enter-room `purgatory` (the waiting room, protocol §5) until `admit()`; `ringing`: a 180 Ringing
   * (JsSIP's `progress`), then nothing until `session.remoteAnswer()` (200 and the room INFOs, as `ok`).
   */
  invite?: 'ok' | { status: number; cause: string } | 'never' | 'waiting' | 'ringing';
  /** Headers of the enter-room INFO the fake server sends after the call is confirmed. */
  roomHeaders?: Record<string, string>;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Mimics JsSIP's RTCSession closely enough for CallService. */
export class FakeSession extends Emitter {
  ended = false;
  /** `incoming` for calls from `receiveCall`. */
  direction: 'outgoing' | 'incoming' = 'outgoing';
  /** Set by the `accepted` event, as JsSIP's established states. */
  accepted = false;
  readonly connection = Object.assign(new EventTarget(), { connectionState: 'new' as RTCPeerConnectionState });
  readonly infoSent: Array<{ contentType: string; headers: string[] }> = [];

  constructor(
    readonly target: string,
    readonly options: { extraHeaders?: string[]; mediaStream?: MediaStream },
  ) {
    super();
    for (const track of options.mediaStream?.getTracks() ?? []) {
      this.transceivers.push({ direction: 'sendrecv', currentDirection: 'sendrecv', sender: { track }, receiver: { track: null } });
    }
    Object.assign(this.connection, { getTransceivers: () => this.transceivers });
  }

  isEnded(): boolean {
    return this.ended;
  }

  /** Like JsSIP: neither answered nor over yet. */
  isInProgress(): boolean {
    return !this.ended && !this.accepted;
  }

  /** Like JsSIP: answered and not over. */
  isEstablished(): boolean {
    return this.accepted && !this.ended;
  }

  override emit(type: string, event?: unknown): void {
    if (type === 'accepted') {
      this.accepted = true;
      // Media connects as soon as the call is answered, as on a fast network (an ICE restart waits for it).
      if (this.connection.connectionState === 'new') {
        this.connection.connectionState = 'connected';
        this.connection.dispatchEvent(new Event('connectionstatechange'));
      }
    }
    super.emit(type, event);
  }

  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('ended', { originator: 'local', cause: 'Terminated', message: null });
  }

  sendInfo(contentType: string, _body?: string, options?: { extraHeaders?: string[] }): Promise<void> {
    this.infoSent.push({ contentType, headers: options?.extraHeaders ?? [] });
    return Promise.resolve();
  }

  /** The fake server sends an INFO into the call. */
  receiveInfo(contentType: string, headers: Record<string, string>): void {
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    this.emit('newInfo', {
      originator: 'remote',
      info: { contentType, body: '' },
      request: { getHeader: (name: string) => lower.get(name.toLowerCase()) },
    });
  }

  /** DTMF tones the client sent, one entry per `sendDTMF` call. */
  readonly dtmfSent: string[] = [];
  /** When set, the next `sendDTMF` throws this (as JsSIP does for a bad state or bad tones). */
  failNextDTMF: Error | undefined;

  sendDTMF(tones: string, _options?: { duration?: number; interToneGap?: number }): void {
    const failure = this.failNextDTMF;
    if (failure) {
      this.failNextDTMF = undefined;
      throw failure;
    }
    this.dtmfSent.push(tones);
  }

  /** Offer/answer exchanges after the call was set up, with the transceiver directions offered. */
  readonly renegotiations: Array<{ iceRestart: boolean; directions: string[] }> = [];
  /** Fake transceivers, one per local track (what setSending changes). */
  readonly transceivers: Array<{ direction: RTCRtpTransceiverDirection; currentDirection: string | null; sender: { track: MediaStreamTrack | null }; receiver: { track: MediaStreamTrack | null } }> = [];

  renegotiate(options: { rtcOfferConstraints?: { iceRestart?: boolean } } = {}): Promise<boolean> {
    this.renegotiations.push({
      iceRestart: options.rtcOfferConstraints?.iceRestart === true,
      directions: this.transceivers.map((t) => t.direction),
    });
    return Promise.resolve(true);
  }

  restartIce(): Promise<boolean> {
    return this.renegotiate({ rtcOfferConstraints: { iceRestart: true } });
  }

  /** Answer options given to `answer()` (incoming calls). */
  answered: { mediaStream?: MediaStream; mediaConstraints?: unknown } | undefined;

  answer(options: { mediaStream?: MediaStream; mediaConstraints?: unknown } = {}): void {
    this.answered = options;
    Object.assign(this.options, { mediaStream: options.mediaStream });
    for (const track of options.mediaStream?.getTracks() ?? []) {
      this.transceivers.push({ direction: 'sendrecv', currentDirection: 'sendrecv', sender: { track }, receiver: { track: null } });
    }
    this.emit('peerconnection', { peerconnection: this.connection });
    void Promise.resolve().then(() => {
      if (this.ended) return;
      this.echoTracks();
      this.emit('accepted', { originator: 'local' });
      this.emit('confirmed', { originator: 'remote' });
    });
  }

  /** The caller gives up before the call is answered. */
  remoteCancel(): void {
    this.ended = true;
    this.emit('failed', { originator: 'remote', cause: 'Canceled', message: null });
  }

  /** With `invite: 'ringing'`: the fake server answers the INVITE it held at 180 (200, then the room INFOs). */
  remoteAnswer: () => void = () => {
    throw new Error('remoteAnswer() needs a session of the fake behaviour invite: "ringing", still ringing');
  };

  /** The provisional responses the fake server sent to our INVITE, in order. */
  readonly provisional: number[] = [];

  /** The fake server sends a provisional response to our INVITE (JsSIP's `progress`), 180 Ringing by default. */
  remoteProgress(status = 180, reason = 'Ringing'): void {
    this.provisional.push(status);
    this.emit('progress', { originator: 'remote', response: { status_code: status, reason_phrase: reason } });
  }

  /** The fake server lets a waiting guest in: an enter-room naming the real room (`headers` added, e.g. `X-BEARER-TOKEN`). */
  admit(headers: Record<string, string> = {}): void {
    this.receiveInfo('application/vinteo.webrtc.roomname', {
      'X-WEBRTC-ENTER-ROOM': this.target.replace(/^sip:([^@]+)@.*$/, '$1').toLowerCase(),
      'X-WEBRTC-PARTICIPANT-NAME': 'Guest',
      ...headers,
    });
  }

  /** The fake server hangs up. */
  remoteHangup(): void {
    this.ended = true;
    this.emit('ended', { originator: 'remote', cause: 'Terminated', message: null });
  }

  /** Delivers the local tracks back as remote ones, as the echo server does. */
  echoTracks(): void {
    for (const track of this.options.mediaStream?.getTracks() ?? []) {
      this.connection.dispatchEvent(Object.assign(new Event('track'), { track: track.clone(), streams: [] }));
    }
  }
}

export class FakeUserAgent extends Emitter implements SipUserAgent {
  started = false;
  stopped = false;
  readonly sessions: FakeSession[] = [];

  constructor(
    readonly params: UserAgentParams,
    private readonly behaviour: FakeBehaviour,
  ) {
    super();
  }

  isConnected(): boolean {
    return this.started && !this.stopped;
  }

  isRegistered(): boolean {
    return false;
  }

  start(): void {
    this.started = true;
    void (async () => {
      await tick();
      this.emit('connecting', { attempts: 1 });
      await tick();
      if (this.behaviour.connect === 'never') return;
      if (this.behaviour.connect === 'fail') {
        this.emit('disconnected', { error: true, code: 1006, reason: 'refused' });
        return;
      }
      this.emit('connected', {});
      if (!this.params.configuration.register) return;
      await tick();
      if (this.behaviour.register === 'wrong-password') {
        this.emit('registrationFailed', { cause: 'Authentication Error', response: { status_code: 401 } });
      } else {
        this.emit('registered', { response: {} });
      }
    })();
  }

  stop(): void {
    this.stopped = true;
  }

  /** The fake server calls this user agent; returns the ringing session. */
  receiveCall(callerName: string, callerNumber: string): FakeSession {
    const session = new FakeSession(`sip:${callerNumber}@vinteo.local`, {});
    Object.assign(session, { direction: 'incoming', remote_identity: { display_name: callerName, uri: { user: callerNumber } } });
    this.sessions.push(session);
    this.emit('newRTCSession', { originator: 'remote', session, request: { from: { display_name: callerName, uri: { user: callerNumber } } } });
    return session;
  }

  /** OPTIONS pings sent, and their Request-URIs; answered 200 unless `answerPings` is false. */
  pings = 0;
  readonly pingTargets: string[] = [];
  answerPings = true;
  /** A final status other than 2xx to answer pings with (they then fail), e.g. 404. */
  pingStatus: number | undefined;

  sendOptions(target: string, _body?: string, options?: { eventHandlers?: OptionsHandlers }): void {
    this.pings += 1;
    this.pingTargets.push(target);
    if (!this.answerPings) return;
    const status = this.pingStatus;
    void Promise.resolve().then(() => {
      if (status === undefined) options?.eventHandlers?.succeeded?.();
      else options?.eventHandlers?.failed?.({ cause: 'Rejected', response: { status_code: status } });
    });
  }

  /** The fake server sends a NOTIFY outside any dialog with this `X-VINTEO-NOTIFY` (JsSIP's `sipEvent`). */
  receiveNotify(notify: string | undefined): void {
    const request = { getHeader: (name: string) => (name.toLowerCase() === 'x-vinteo-notify' ? (notify ?? '') : '') };
    this.emit('sipEvent', { event: undefined, request });
  }

  /** The fake server drops the WebSocket. */
  dropConnection(): void {
    this.emit('disconnected', { error: true, code: 1006, reason: 'dropped' });
  }

  call(target: string, options: { extraHeaders?: string[]; mediaStream?: MediaStream; eventHandlers?: Record<string, Listener> } = {}): RTCSession {
    const session = new FakeSession(target, options);
    for (const [type, handler] of Object.entries(options.eventHandlers ?? {})) session.on(type, handler);
    this.sessions.push(session);
    session.emit('peerconnection', { peerconnection: session.connection });
    const invite = this.behaviour.invite ?? 'ok';
    const answer = async (): Promise<void> => {
      session.echoTracks();
      session.emit('accepted', { originator: 'remote' });
      session.emit('confirmed', { originator: 'local' });
      await tick();
      if (session.ended) return;
      session.receiveInfo('application/vinteo.webrtc.roomname', this.behaviour.roomHeaders ?? {
        'X-WEBRTC-ENTER-ROOM': invite === 'waiting' ? 'purgatory' : target.replace(/^sip:([^@]+)@.*$/, '$1'),
        'X-WEBRTC-PARTICIPANT-NAME': this.params.configuration.display_name ?? '',
      });
      session.receiveInfo('application/vinteo.webrtc.uselic', { 'X-WEBRTC-USE-LICENSE': 'VIDEO' });
    };
    void (async () => {
      await tick();
      if (invite === 'never' || session.ended) return;
      if (invite === 'ringing') {
        session.remoteProgress();
        session.remoteAnswer = () => {
          if (!session.ended && !session.accepted) void answer();
        };
        return;
      }
      if (invite !== 'ok' && invite !== 'waiting') {
        session.ended = true;
        session.emit('failed', { originator: 'remote', cause: invite.cause, message: { status_code: invite.status } });
        return;
      }
      await answer();
    })();
    return session as unknown as RTCSession;
  }
}

/** A transport whose user agents are kept for inspection. */
export function fakeTransport(behaviour: FakeBehaviour = {}): { factory: UserAgentFactory; agents: FakeUserAgent[] } {
  const agents: FakeUserAgent[] = [];
  return {
    agents,
    factory: (params) => {
      const agent = new FakeUserAgent(params, behaviour);
      agents.push(agent);
      return agent;
    },
  };
}

/** Local media from a canvas and an oscillator: no devices needed. */
export const syntheticMedia: MediaProvider = {
  getUserMedia: async (constraints) => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    canvas.getContext('2d')?.fillRect(0, 0, 320, 180);
    const tracks: MediaStreamTrack[] = [];
    if (constraints.video) tracks.push(...canvas.captureStream(5).getVideoTracks());
    if (constraints.audio) {
      const context = new AudioContext();
      const destination = context.createMediaStreamDestination();
      context.createOscillator().connect(destination);
      tracks.push(...destination.stream.getAudioTracks());
    }
    return new MediaStream(tracks);
  },
};

/** A media provider that refuses as a browser does when the user blocks the camera. */
export const deniedMedia: MediaProvider = {
  getUserMedia: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
};

/** An RTP sender stand-in: records the tracks it was given. */
export interface FakeSender {
  track: MediaStreamTrack | null;
  readonly replaced: MediaStreamTrack[];
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
}

/**
 * Gives a fake session's peer connection `getSenders()`, one sender per local track, so that
 * device switching (`replaceTrack`) can run on the fake transport. Returns the senders.
 */
export function installFakeSenders(session: FakeSession): FakeSender[] {
  const senders: FakeSender[] = (session.options.mediaStream?.getTracks() ?? []).map((track) => {
    const sender: FakeSender = {
      track,
      replaced: [],
      replaceTrack: (next) => {
        sender.track = next;
        if (next) sender.replaced.push(next);
        return Promise.resolve();
      },
    };
    return sender;
  });
  Object.assign(session.connection, { getSenders: () => senders });
  return senders;
}

/** One entry of a fake device list. */
export interface FakeDeviceInit {
  readonly kind: MediaDeviceKind;
  readonly deviceId: string;
  readonly label?: string;
  readonly groupId?: string;
}

/**
 * A scriptable DeviceProvider (and MediaProvider): a device list the test sets, a `devicechange`
 * it triggers, and getUserMedia from {@link syntheticMedia} that can be made to refuse once.
 * Pass it as both `deviceProvider` and `mediaProvider` of a VinteoClient.
 */
export class FakeDevices implements DeviceProvider {
  private list: MediaDeviceInfo[] = [];
  private readonly listeners = new Set<() => void>();
  /** Every getUserMedia request, in order. */
  readonly requests: MediaStreamConstraints[] = [];
  /** When set, the next getUserMedia rejects with a DOMException of this name (e.g. `NotAllowedError`). */
  failNext: string | undefined;

  constructor(devices: readonly FakeDeviceInit[] = []) {
    this.setDevices(devices);
  }

  /** Replaces the device list without telling anyone (use {@link change} to fire `devicechange`). */
  setDevices(devices: readonly FakeDeviceInit[]): void {
    this.list = devices.map((d) => {
      const info = { kind: d.kind, deviceId: d.deviceId, label: d.label ?? '', groupId: d.groupId ?? '' };
      return { ...info, toJSON: () => info } as MediaDeviceInfo;
    });
  }

  /** Replaces the device list and fires `devicechange`, as plugging or unplugging a device does. */
  change(devices: readonly FakeDeviceInit[]): void {
    this.setDevices(devices);
    for (const listener of [...this.listeners]) listener();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  enumerateDevices = (): Promise<MediaDeviceInfo[]> => Promise.resolve([...this.list]);

  onDeviceChange = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getUserMedia = (constraints: MediaStreamConstraints): Promise<MediaStream> => {
    this.requests.push(constraints);
    const failure = this.failNext;
    if (failure) {
      this.failNext = undefined;
      return Promise.reject(new DOMException(`getUserMedia refused (${failure})`, failure));
    }
    return syntheticMedia.getUserMedia(constraints);
  };
}
