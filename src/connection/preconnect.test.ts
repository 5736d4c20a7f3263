// ConnectionService's preconnect: a WebSocket the client opened ahead, or one opened while the SIP library
// loads, is handed to the factory, and closed whenever no user agent takes it.
import { expect } from '@open-wc/testing';
import type { ResolvedConnectionConfig } from '../config.js';
import { AsyncQueue } from '../queue.js';
import { ConnectionService, type ConnectionDeps } from './ConnectionService.js';
import type { SipUserAgent, UserAgentParams } from './transport.js';

const CONFIG: ResolvedConnectionConfig = {
  wsUrl: 'ws://127.0.0.1:9/',
  sipDomain: 'vinteo.local',
  user: '1001',
  displayName: '',
  register: false,
  password: undefined,
  registerExpires: 300,
  server: undefined,
  sipDomainSet: true,
  unified: false,
};

/** A stand-in socket: only close() is used by the service. */
function spareSocket(): WebSocket & { closed: number } {
  const socket = { closed: 0, close() { socket.closed += 1; } };
  return socket as unknown as WebSocket & { closed: number };
}

/** A user agent that connects at start() (a guest: connected is enough). */
function fakeUa(): SipUserAgent {
  const listeners = new Map<string, (event?: unknown) => void>();
  return {
    on: (type: string, listener: (event?: unknown) => void) => listeners.set(type, listener),
    start: () => queueMicrotask(() => listeners.get('connected')?.()),
    stop: () => undefined,
    removeAllListeners: () => undefined,
  } as unknown as SipUserAgent;
}

/**
 * A service whose factory (`factory`, a fake user agent by default) is handed what `handed` records.
 * `ahead`: a socket opened before the connect (the client's preconnect()), handed even with nothing to load.
 */
function service(prepare: ConnectionDeps['prepare'], factory: (params: UserAgentParams) => SipUserAgent = fakeUa, ahead = false) {
  const opened: string[] = [];
  const sockets: Array<WebSocket & { closed: number }> = [];
  const handed: Array<WebSocket | undefined> = [];
  const deps: ConnectionDeps = {
    factory: (params) => {
      handed.push(params.preconnected);
      return factory(params);
    },
    prepare,
    // As the coordinator: the socket opened ahead, else one opened now while the library loads.
    preconnect: (wsUrl, loading) => {
      if (!ahead && !loading) return undefined;
      opened.push(wsUrl);
      const socket = spareSocket();
      sockets.push(socket);
      return socket;
    },
    queue: new AsyncQueue(),
    update: () => undefined,
    emit: () => undefined,
    userAgentName: () => 'test',
    connectTimeoutMs: () => 5000,
    onIncomingCall: () => undefined,
    autoReconnect: () => false,
    onNotify: () => undefined,
    pingIntervalMs: () => 0,
    pingTimeoutMs: () => 1000,
  };
  return { connection: new ConnectionService(deps), opened, sockets, handed };
}

describe('ConnectionService: the WebSocket opened while the SIP library loads', () => {
  it('is opened to the config\'s URL while prepare() runs, and handed to the factory', async () => {
    let loaded!: () => void;
    const { connection, opened, sockets, handed } = service(() => new Promise<void>((resolve) => (loaded = resolve)));
    const connecting = connection.connect(CONFIG);
    await Promise.resolve();
    expect(opened, 'opened before the library has loaded').to.deep.equal([CONFIG.wsUrl]);
    loaded();
    await connecting;
    expect(handed).to.deep.equal([sockets[0]]);
    expect(sockets[0]!.closed, 'the user agent owns it now').to.equal(0);
    await connection.disconnect();
  });

  it('is not opened when there is nothing to load', async () => {
    const { connection, opened, handed } = service(() => undefined);
    await connection.connect(CONFIG);
    expect(opened).to.deep.equal([]);
    expect(handed).to.deep.equal([undefined]);
    await connection.disconnect();
  });

  it('one opened ahead of the connect is handed to the factory with nothing to load', async () => {
    const { connection, sockets, handed } = service(() => undefined, fakeUa, true);
    await connection.connect(CONFIG);
    expect(sockets).to.have.length(1);
    expect(handed).to.deep.equal([sockets[0]]);
    expect(sockets[0]!.closed).to.equal(0);
    await connection.disconnect();
  });

  it('is closed when the connection is already up the same way', async () => {
    const { connection, sockets } = service(() => undefined, fakeUa, true);
    await connection.connect(CONFIG);
    await connection.connect(CONFIG);
    expect(sockets).to.have.length(2);
    expect(sockets[1]!.closed, 'the second connect had no use for it').to.equal(1);
    await connection.disconnect();
  });

  it('is closed when the library cannot be loaded', async () => {
    const { connection, sockets } = service(() => Promise.reject(new Error('no chunk')));
    let failure: unknown;
    await connection.connect(CONFIG).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('no chunk');
    expect(sockets).to.have.length(1);
    expect(sockets[0]!.closed).to.equal(1);
  });

  it('is closed when the factory throws', async () => {
    const { connection, sockets } = service(
      () => Promise.resolve(),
      () => {
        throw new Error('bad address');
      },
    );
    let failure: unknown;
    await connection.connect(CONFIG).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('bad address');
    expect(sockets[0]!.closed).to.equal(1);
  });
});
