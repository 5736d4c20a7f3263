import { expect, waitUntil } from '@open-wc/testing';
import { VinteoError } from './errors.js';
import { deniedMedia, syntheticMedia } from '../test/helpers/fake-transport.js';
import type { MediaProvider } from './call/media-provider.js';
import { makeClient } from '../test/helpers/fake-client.js';

async function rejection(promise: Promise<unknown>): Promise<VinteoError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(VinteoError);
    return error as VinteoError;
  }
  throw new Error('expected a rejection');
}

describe('VinteoClient (fake transport)', () => {
  it('joins as a guest: connecting → calling → in-call, with Vinteo INVITE headers and room facts', async () => {
    const { client, transport } = makeClient();
    const states: string[] = [];
    client.subscribe(
      (s) => s.call.state,
      (state) => states.push(state),
    );
    const connection: string[] = [];
    client.on('connection:state', ({ state }) => connection.push(state));
    await client.join('1000');
    expect(states).to.deep.equal(['calling', 'in-call']);
    expect(connection).to.deep.equal(['connecting', 'connected']);
    const agent = transport.agents[0]!;
    expect(agent.params.wsUrl).to.equal('ws://127.0.0.1:1/webrtc/wss/');
    expect(agent.params.configuration.uri).to.match(/^sip:[1-9]\d{5,7}@vinteo\.local$/);
    expect(agent.params.configuration.register).to.equal(false);
    const session = agent.sessions[0]!;
    expect(session.target).to.equal('sip:1000@vinteo.local');
    expect(session.options.extraHeaders).to.deep.equal([
      'X-Vinteo-Mic-State: 1',
      'X-Vinteo-MainCam-State: 1',
      'X-Vinteo-Purgatory-Call: yes',
    ]);
    await waitUntil(() => client.getSnapshot().room.license === 'VIDEO', 'licence INFO not applied');
    const snapshot = client.getSnapshot();
    expect(snapshot.room.name).to.equal('1000');
    expect(snapshot.room.participantName).to.equal('Tester');
    expect(snapshot.call.localStream?.getTracks().length).to.equal(2);
    expect(snapshot.call.remoteStream?.getTracks().length).to.equal(2);
    await client.leave();
    expect(client.getSnapshot().call.state).to.equal('ended');
    expect(client.getSnapshot().call.endReason).to.equal('local-hangup');
    expect(snapshot.call.localStream?.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    client.destroy();
  });

  it('registers when asked and uses the registered user', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.connect();
    expect(client.getSnapshot().connection.state).to.equal('registered');
    expect(transport.agents[0]!.params.configuration.uri).to.equal('sip:1001@vinteo.local');
    expect(transport.agents[0]!.params.configuration.password).to.equal('pw');
    await client.join('1000');
    expect(transport.agents[0]!.sessions[0]!.options.extraHeaders).not.to.include('X-Vinteo-Purgatory-Call: yes');
    client.destroy();
  });

  it('a wrong password is terminal: failed, authentication-failed, UA stopped', async () => {
    const { client, transport } = makeClient({ register: 'wrong-password' }, { register: true, user: '1001', password: 'bad' });
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('authentication-failed');
    expect(client.getSnapshot().connection.state).to.equal('failed');
    expect(client.getSnapshot().connection.error?.reason).to.equal('authentication-failed');
    expect(client.getSnapshot().call.state).to.equal('failed');
    expect(transport.agents[0]!.stopped).to.equal(true);
    client.destroy();
  });

  it('a dead server gives connection-failed', async () => {
    const { client } = makeClient({ connect: 'fail' });
    const error = await rejection(client.connect());
    expect(error.reason).to.equal('connection-failed');
    expect(client.getSnapshot().connection.state).to.equal('failed');
    client.destroy();
  });

  it('a server that never answers times out', async () => {
    const { client } = makeClient({ connect: 'never' }, { connectTimeoutMs: 100 });
    const error = await rejection(client.connect());
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('100 ms');
    client.destroy();
  });

  it('connect() twice with the same options creates one user agent', async () => {
    const { client, transport } = makeClient();
    await Promise.all([client.connect(), client.connect()]);
    expect(transport.agents.length).to.equal(1);
    await client.disconnect();
    expect(client.getSnapshot().connection.state).to.equal('disconnected');
    expect(transport.agents[0]!.stopped).to.equal(true);
    client.destroy();
  });

  it('a busy conference rejects with call-rejected and the SIP status', async () => {
    const { client } = makeClient({ invite: { status: 486, cause: 'Busy' } });
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('call-rejected');
    expect(error.statusCode).to.equal(486);
    expect(client.getSnapshot().call.error?.statusCode).to.equal(486);
  });

  it('a refused camera permission: the call goes on receive-only, with the reason reported', async () => {
    const { client, transport } = makeClient({}, { mediaProvider: deniedMedia });
    const errors: string[] = [];
    client.on('error', ({ error }) => errors.push(error.reason));
    await client.join('1000');
    const snapshot = client.getSnapshot().call;
    expect(snapshot.state).to.equal('in-call');
    expect(snapshot.receiveOnly).to.equal(true);
    expect(snapshot.localStream).to.equal(undefined);
    expect(snapshot.warning?.reason).to.equal('media-permission-denied');
    expect(errors).to.deep.equal(['media-permission-denied']);
    const session = transport.agents[0]!.sessions[0]!;
    expect(session.options.mediaStream).to.equal(undefined);
    expect((session.options as { rtcOfferConstraints?: unknown }).rtcOfferConstraints).to.deep.equal({
      offerToReceiveAudio: true,
      offerToReceiveVideo: true,
    });
    expect(session.options.extraHeaders).to.include('X-Vinteo-Mic-State: 0');
    expect(() => client.setCameraEnabled(true)).to.throw(VinteoError, /camera or microphone/);
  });

  it('leaving while the INVITE is pending cancels cleanly', async () => {
    const { client } = makeClient({ invite: 'never' });
    const joining = client.join('1000');
    await waitUntil(() => client.getSnapshot().call.phase === 'inviting');
    await client.leave();
    const error = await rejection(joining);
    expect(error.reason).to.equal('aborted');
    expect(client.getSnapshot().call.state).to.equal('ended');
    expect(client.getSnapshot().call.endReason).to.equal('cancelled');
  });

  it('refuses a second join while in a call', async () => {
    const { client } = makeClient();
    await client.join('1000');
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('invalid-state');
    expect(client.getSnapshot().call.state).to.equal('in-call');
  });

  it('a remote hang-up ends the call with remote-hangup', async () => {
    const { client, transport } = makeClient();
    const ended = new Promise((resolve) => client.on('call:ended', resolve));
    await client.join('1000');
    transport.agents[0]!.sessions[0]!.remoteHangup();
    expect(await ended).to.deep.equal({ conference: '1000', reason: 'remote-hangup' });
  });

  it('with auto-reconnect off, losing the WebSocket mid-call ends the call with connection-lost', async () => {
    const { client, transport } = makeClient({}, { autoReconnect: false });
    await client.join('1000');
    transport.agents[0]!.dropConnection();
    expect(client.getSnapshot().call.state).to.equal('ended');
    expect(client.getSnapshot().call.endReason).to.equal('connection-lost');
    expect(client.getSnapshot().connection.state).to.equal('failed');
    expect(client.getSnapshot().connection.error?.reason).to.equal('connection-lost');
  });

  it('ignores malformed and unknown INFO without leaving the call', async () => {
    const { client, transport } = makeClient({ roomHeaders: { 'X-WEBRTC-PARTICIPANT-NAME': 'no room' } });
    const ignored: string[] = [];
    client.on('conference:ignored-info', ({ reason }) => ignored.push(reason));
    await client.join('1000');
    transport.agents[0]!.sessions[0]!.receiveInfo('application/unknown', {});
    await waitUntil(() => ignored.length === 2);
    expect(ignored.some((reason) => reason.includes('X-WEBRTC-ENTER-ROOM'))).to.equal(true, ignored.join());
    expect(ignored.some((reason) => reason.includes('application/unknown'))).to.equal(true, ignored.join());
    expect(client.getSnapshot().call.state).to.equal('in-call');
    expect(client.getSnapshot().room.name).to.equal(undefined);
  });

  it('keeps the bearer token out of the snapshot', async () => {
    const { client } = makeClient({ roomHeaders: { 'X-WEBRTC-ENTER-ROOM': '1000', 'X-BEARER-TOKEN': 'secret-token' } });
    await client.join('1000');
    await waitUntil(() => client.bearerToken !== undefined);
    expect(client.bearerToken).to.equal('secret-token');
    expect(JSON.stringify(client.getSnapshot().room)).not.to.contain('secret-token');
  });

  it('microphone and camera toggles change tracks and send the mediastate INFO', async () => {
    const { client, transport } = makeClient();
    await client.join('1000', { camera: false });
    const stream = client.getSnapshot().call.localStream!;
    expect(stream.getVideoTracks()[0]!.enabled).to.equal(false);
    expect(transport.agents[0]!.sessions[0]!.options.extraHeaders).to.include('X-Vinteo-MainCam-State: 0');
    client.setMicrophoneEnabled(false);
    client.setCameraEnabled(true);
    expect(stream.getAudioTracks()[0]!.enabled).to.equal(false);
    expect(stream.getVideoTracks()[0]!.enabled).to.equal(true);
    // The roomname INFO went out when the call was confirmed; then one mediastate per toggle.
    const sent = transport.agents[0]!.sessions[0]!.infoSent.filter((i) => i.contentType === 'application/vinteo.webrtc.mediastate');
    expect(sent.length).to.equal(2);
    expect(sent[1]).to.deep.equal({
      contentType: 'application/vinteo.webrtc.mediastate',
      headers: ['x-webrtc-media-state: currentstate', 'x-vinteo-maincam-state: 1', 'x-vinteo-mic-state: 0'],
    });
  });

  it('invalid options reject join with invalid-config before anything starts', async () => {
    const { client, transport } = makeClient({}, { wsUrl: 'http://nope' });
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('invalid-config');
    expect(transport.agents.length).to.equal(0);
    expect(client.getSnapshot().call.state).to.equal('idle');
  });

  it('a bad fastIce option (the fast-ice attribute) rejects join with invalid-config', async () => {
    const { client, transport } = makeClient({}, { fastIce: 'sometimes' as 'auto' });
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('invalid-config');
    expect(error.message).to.contain('fast-ice must be auto, on or off');
    expect(transport.agents.length).to.equal(0);
    client.destroy();
  });

  it('opens camera and microphone while connecting, and releases them when the connection fails', async () => {
    const { client } = makeClient({ connect: 'never' }, { connectTimeoutMs: 400 });
    const joining = client.join('1000');
    // The preview is there before the server has answered.
    await waitUntil(() => client.getSnapshot().call.localStream !== undefined, 'no preview while connecting');
    const preview = client.getSnapshot().call.localStream!;
    expect(client.getSnapshot().connection.state).to.equal('connecting');
    expect(client.getSnapshot().call.phase).to.equal('connecting');
    const error = await rejection(joining);
    expect(error.reason).to.equal('connection-failed');
    expect(client.getSnapshot().call.state).to.equal('failed');
    expect(client.getSnapshot().call.localStream).to.equal(undefined);
    expect(preview.getTracks().every((track) => track.readyState === 'ended')).to.equal(true);
    client.destroy();
  });

  it('leaving while the camera is still opening releases it as soon as it opens', async () => {
    let release: () => void = () => undefined;
    let opened: MediaStream | undefined;
    const slowMedia: MediaProvider = {
      getUserMedia: async (constraints) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        opened = await syntheticMedia.getUserMedia(constraints);
        return opened;
      },
    };
    const { client } = makeClient({}, { mediaProvider: slowMedia });
    const joining = client.join('1000');
    await waitUntil(() => client.getSnapshot().connection.state === 'connected', 'not connected');
    expect(client.getSnapshot().call.phase).to.equal('media');
    await client.leave();
    expect((await rejection(joining)).reason).to.equal('aborted');
    release();
    await waitUntil(() => opened !== undefined, 'the camera never opened');
    await waitUntil(() => opened!.getTracks().every((track) => track.readyState === 'ended'), 'tracks left live');
    expect(client.getSnapshot().call.localStream).to.equal(undefined);
    expect(client.getSnapshot().call.state).to.equal('ended');
    client.destroy();
  });

  it('destroy() releases listeners, and the client refuses further use', async () => {
    const { client, transport } = makeClient();
    client.on('call:state', () => undefined);
    await client.join('1000');
    client.destroy();
    expect(transport.agents[0]!.stopped).to.equal(true);
    expect(transport.agents[0]!.count).to.equal(0);
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('invalid-state');
  });
});

describe('VinteoClient: options that could inject or misfire are refused before anything is sent', () => {
  const refusedOptions: Array<[string, Parameters<typeof makeClient>[1], RegExp]> = [
    ['a percent-encoded CR LF in user', { register: true, user: '1001%0D%0AX-Injected%3A%20yes', password: 'pw' }, /user/],
    ['a percent-encoded quote in user', { register: true, user: '1001%22', password: 'pw' }, /user/],
    ['malformed percent-encoding in user', { user: 'a%zz' }, /user.*percent/],
    ['a control character in the display name', { displayName: 'Ann\u0001' }, /display-name/],
    ['a server port above 65535', { wsUrl: undefined, server: '127.0.0.1:99999' }, /port/],
    ['a ping every millisecond', { pingIntervalMs: 1 }, /ping-interval/],
    ['a ping interval past the timer limit', { pingIntervalMs: 1e300 }, /ping-interval/],
    ['a stats interval past the timer limit', { statsIntervalMs: 3_000_000_000 }, /stats-interval/],
    ['a balancer delay past the timer limit', { balancerDelayMs: 3_000_000_000 }, /balancer-delay/],
    ['a connect timeout past the timer limit', { connectTimeoutMs: 1e300 }, /connectTimeoutMs/],
    ['a redial timeout past the timer limit', { redialTimeoutMs: 3_000_000_000 }, /redialTimeoutMs/],
  ];
  for (const [name, options, pattern] of refusedOptions) {
    it(`join() and connect() refuse ${name} with invalid-config`, async () => {
      const { client, transport } = makeClient({}, options);
      const onJoin = await rejection(client.join('1000'));
      expect(onJoin.reason).to.equal('invalid-config');
      expect(onJoin.message).to.match(pattern);
      const onConnect = await rejection(client.connect());
      expect(onConnect.reason).to.equal('invalid-config');
      expect(transport.agents.length, 'a user agent was created').to.equal(0);
      expect(client.getSnapshot().call.state).to.equal('idle');
      client.destroy();
    });
  }

  it('sendDTMF() refuses a tone duration or gap out of range (a gap past the timer limit would not pause)', async () => {
    const { client, transport } = makeClient();
    await client.join('1000');
    for (const options of [{ interToneGap: 1e300 }, { interToneGap: 10 }, { duration: Number.NaN }, { duration: 60_000 }]) {
      let error: unknown;
      try {
        client.sendDTMF('1', options);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(options)).to.be.instanceOf(VinteoError);
      expect((error as VinteoError).reason).to.equal('invalid-config');
    }
    client.sendDTMF('12', { duration: 100, interToneGap: 70 });
    expect(transport.agents[0]!.sessions[0]!.dtmfSent).to.deep.equal(['12']);
    client.destroy();
  });

  it('join() refuses a conference with malformed or dangerous percent-encoding', async () => {
    const { client, transport } = makeClient();
    for (const conference of ['100%', '1000%0D%0AX-Injected%3A%20yes', '1000%22']) {
      const error = await rejection(client.join(conference));
      expect(error.reason, conference).to.equal('invalid-config');
      expect(error.message, conference).to.contain('conference');
    }
    expect(transport.agents.length).to.equal(0);
    client.destroy();
  });

  it('credentials from a function are checked too: an injected user never reaches a REGISTER', async () => {
    for (const user of ['1001%0D%0AX-Injected%3A%20yes', '1001\r\nX-Injected: yes', '1001%22']) {
      const { client, transport } = makeClient({}, { credentials: async () => ({ user, password: 'pw' }) });
      const error = await rejection(client.connect());
      expect(error.reason, user).to.equal('invalid-config');
      expect(transport.agents.length, user).to.equal(0);
      client.destroy();
    }
    const { client, transport } = makeClient({}, { credentials: async () => ({ user: '1001', password: 'pw\r\n' }) });
    const error = await rejection(client.connect());
    expect(error.reason).to.equal('invalid-config');
    expect(error.message).not.to.contain('pw');
    expect(transport.agents.length).to.equal(0);
    client.destroy();
  });

  it('credentials that never arrive time out like the connection (connectTimeoutMs), and the request is aborted', async () => {
    let signal: AbortSignal | undefined;
    const { client, transport } = makeClient(
      {},
      {
        connectTimeoutMs: 100,
        credentials: (context?: { signal: AbortSignal }) => {
          signal = context?.signal;
          return new Promise(() => undefined);
        },
      },
    );
    const error = await rejection(client.join('1000'));
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('did not answer within 100 ms');
    expect(signal?.aborted, 'the credentials request was not aborted').to.equal(true);
    expect(client.getSnapshot().call.state).to.equal('failed');
    expect(transport.agents.length).to.equal(0);
    client.destroy();
  });

  for (const how of ['disconnect', 'leave', 'destroy'] as const) {
    it(`${how}() aborts credentials that are still being fetched`, async () => {
      let signal: AbortSignal | undefined;
      const { client, transport } = makeClient(
        {},
        {
          credentials: (context?: { signal: AbortSignal }) => {
            signal = context?.signal;
            return new Promise(() => undefined);
          },
        },
      );
      const joining = client.join('1000');
      joining.catch(() => undefined);
      await waitUntil(() => signal !== undefined, 'the credentials were never asked for');
      if (how === 'destroy') client.destroy();
      else await client[how]();
      expect(signal!.aborted, 'the credentials request is still running').to.equal(true);
      if (how !== 'destroy') {
        const error = await rejection(joining);
        expect(error.reason).to.equal('aborted');
        expect(client.getSnapshot().call.state).to.equal('ended');
      }
      expect(transport.agents.length).to.equal(0);
      client.destroy();
    });
  }

  it('configure() re-POSTs a spectator leg only when the quality really changes (elements pass every setting on any change)', () => {
    const { client } = makeClient({}, { quality: 'high' });
    const core = (client as unknown as { core: { qualityChanged(): void } }).core;
    let changes = 0;
    core.qualityChanged = () => {
      changes += 1;
    };
    client.configure({ quality: 'high', statsIntervalMs: 2000 });
    expect(changes, 'the same quality').to.equal(0);
    client.configure({ quality: 'low' });
    expect(changes).to.equal(1);
    client.configure({ displayName: 'Ann', quality: 'low' });
    expect(changes).to.equal(1);
    client.destroy();
  });
});
