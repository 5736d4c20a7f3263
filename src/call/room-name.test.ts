// The `roomname` INFO right after every confirmed call (vinteo-protocol.md §3), on the fake transport.
import { expect, waitUntil } from '@open-wc/testing';
import { makeClient } from '../../test/helpers/fake-client.js';
import { FakeSession } from '../../test/helpers/fake-transport.js';
import { ExponentialBackoff } from '../reconnect/policy.js';
import { logger } from '../logger.js';
import { roomNameOf } from './room-name.js';

const ROOMNAME = 'application/vinteo.webrtc.roomname';
const roomNames = (session: FakeSession) => session.infoSent.filter((i) => i.contentType === ROOMNAME);

/** Records console warnings (the logger's default level is `warn`) until `stop()`. */
function watchWarnings(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  return { lines, stop: () => (console.warn = original) };
}

describe('roomname INFO: what it says', () => {
  it('an outgoing call names the local user and the conference; an answered call the caller and the local user', () => {
    expect(roomNameOf({ direction: 'outgoing', conference: '1000' }, '4242')).to.deep.equal({ enterRoom: 'p2p4242to1000', participantName: '1000' });
    expect(roomNameOf({ direction: 'incoming', conference: '2000' }, '1001')).to.deep.equal({ enterRoom: 'p2p2000to1001', participantName: '2000' });
  });
});

describe('roomname INFO after the call is confirmed (fake transport)', () => {
  it('an outgoing call sends it once, right after the confirmation, with lower-case headers', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.join('1000');
    const session = transport.agents[0]!.sessions[0]!;
    expect(session.infoSent[0]).to.deep.equal({
      contentType: ROOMNAME,
      headers: ['x-webrtc-enter-room: p2p1001to1000', 'x-webrtc-participant-name: 1000', 'x-webrtc-is-direct-p2p: true'],
    });
    expect(roomNames(session)).to.have.length(1);
    client.destroy();
  });

  it("a guest's call names the guest's random user", async () => {
    const { client, transport } = makeClient();
    await client.join('1000');
    const session = transport.agents[0]!.sessions[0]!;
    const user = client.getSnapshot().connection.user!;
    expect(user).to.match(/^\d+$/);
    expect(roomNames(session)[0]!.headers[0]).to.equal(`x-webrtc-enter-room: p2p${user}to1000`);
    client.destroy();
  });

  it('an answered incoming call names the caller, then the local user; the participant is the caller', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.connect();
    const session = transport.agents[0]!.receiveCall('Support', '2000');
    expect(roomNames(session), 'nothing before the answer').to.deep.equal([]);
    await client.answer();
    expect(roomNames(session)).to.deep.equal([
      {
        contentType: ROOMNAME,
        headers: ['x-webrtc-enter-room: p2p2000to1001', 'x-webrtc-participant-name: 2000', 'x-webrtc-is-direct-p2p: true'],
      },
    ]);
    client.destroy();
  });

  it('a redialled call sends it again on its new session', async () => {
    const quick = new ExponentialBackoff({ initialDelayMs: 10, maxDelayMs: 40, jitter: 0 });
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw', reconnectPolicy: quick });
    const recovered = new Promise<void>((resolve) => client.on('call:recovered', () => resolve()));
    await client.join('1000');
    transport.agents[0]!.dropConnection();
    await recovered;
    const redial = transport.agents[1]!.sessions[0]!;
    expect(roomNames(redial).map((i) => i.headers[0])).to.deep.equal(['x-webrtc-enter-room: p2p1001to1000']);
    client.destroy();
  });

  it('a refused roomname INFO is logged and the call goes on (the reference would hang up)', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    const failures: unknown[] = [];
    client.on('call:failed', (event) => failures.push(event));
    client.on('call:ended', (event) => failures.push(event));
    // Every INFO of the fake sessions fails as a 500 does (JsSIP rejects with undefined).
    const original = FakeSession.prototype.sendInfo;
    FakeSession.prototype.sendInfo = function (this: FakeSession, contentType: string, _body?: string, options?: { extraHeaders?: string[] }) {
      this.infoSent.push({ contentType, headers: options?.extraHeaders ?? [] });
      return Promise.reject(undefined);
    };
    const warnings = watchWarnings();
    try {
      await client.join('1000');
      const session = transport.agents[0]!.sessions[0]!;
      expect(roomNames(session)).to.have.length(1);
      await waitUntil(() => warnings.lines.some((line) => line.includes('roomname INFO')), 'the refusal was not logged');
      expect(client.getSnapshot().call.state).to.equal('in-call');
      expect(session.isEnded()).to.equal(false);
      expect(failures).to.deep.equal([]);
    } finally {
      warnings.stop();
      FakeSession.prototype.sendInfo = original;
    }
    client.destroy();
  });

  it('a caller number that could inject a header sends nothing and the call goes on', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.connect();
    const level = logger.level;
    logger.level = 'silent';
    try {
      const session = transport.agents[0]!.receiveCall('Evil', '2000\r\nx-evil: 1');
      await client.answer();
      expect(roomNames(session)).to.deep.equal([]);
      expect(client.getSnapshot().call.state).to.equal('in-call');
    } finally {
      logger.level = level;
    }
    client.destroy();
  });
});
