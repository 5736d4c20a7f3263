import { expect, waitUntil } from '@open-wc/testing';
import { makeClient } from '../../test/helpers/fake-client.js';
import type { VinteoError } from '../errors.js';

const MAINCAM = 'application/vinteo.webrtc.maincam';
const MIC = 'application/vinteo.webrtc.mic';
const PARTSTATE = 'application/vinteo.webrtc.partstate';

async function inCall(behaviour = {}) {
  const made = makeClient(behaviour);
  await made.client.join('1000');
  const session = made.transport.agents[0]!.sessions[0]!;
  return { ...made, session };
}

describe('conference: moderator commands (fake transport)', () => {
  it('a forced ADMINSTOPMIC turns the microphone off and sends mediastate', async () => {
    const { client, session } = await inCall();
    const commands: unknown[] = [];
    client.on('conference:moderator-command', (c) => commands.push(c));
    session.receiveInfo(MIC, { 'X-WEBRTC-MIC': 'ADMINSTOPMIC', 'X-WEBRTC-SYNC': '1' });
    expect(client.getSnapshot().call.microphoneEnabled).to.equal(false);
    expect(client.getSnapshot().call.localStream!.getAudioTracks()[0]!.enabled).to.equal(false);
    expect(client.getSnapshot().room.microphoneBlocked).to.equal(true);
    expect(commands).to.deep.equal([{ command: 'ADMINSTOPMIC', forced: true }]);
    expect(session.infoSent.at(-1)).to.deep.equal({
      contentType: 'application/vinteo.webrtc.mediastate',
      headers: ['x-webrtc-media-state: currentstate', 'x-vinteo-maincam-state: 1', 'x-vinteo-mic-state: 0'],
    });
  });

  it('an unforced request waits for the user; accepting applies it', async () => {
    const { client, session } = await inCall();
    session.receiveInfo(MAINCAM, { 'X-WEBRTC-MAINCAM': 'ADMINSTOPMAINCAM', 'X-WEBRTC-SYNC': '0' });
    expect(client.getSnapshot().call.cameraEnabled).to.equal(true);
    expect(client.getSnapshot().room.pendingRequest).to.deep.equal({ device: 'camera', enable: false, command: 'ADMINSTOPMAINCAM' });
    client.acceptModeratorRequest();
    expect(client.getSnapshot().call.cameraEnabled).to.equal(false);
    expect(client.getSnapshot().room.pendingRequest).to.equal(undefined);
    expect(client.getSnapshot().room.cameraBlocked).to.equal(true);
  });

  it('declining a request sends the refusal INFO', async () => {
    const { client, session } = await inCall();
    session.receiveInfo(MIC, { 'X-WEBRTC-MIC': 'ADMINSTARTMIC' });
    await client.declineModeratorRequest();
    expect(session.infoSent.at(-1)).to.deep.equal({
      contentType: 'application/vinteo.webrtc.refusal',
      headers: ['x-vinteo-media-type: 0'],
    });
    expect(client.getSnapshot().room.pendingRequest).to.equal(undefined);
    let error: unknown;
    try {
      client.acceptModeratorRequest();
    } catch (e) {
      error = e;
    }
    expect((error as VinteoError).reason).to.equal('invalid-state');
  });

  it('after a moderator stopped the camera, turning it on asks for permission', async () => {
    const { client, session } = await inCall();
    session.receiveInfo(MAINCAM, { 'X-WEBRTC-MAINCAM': 'ADMINSTOPMAINCAM', 'X-WEBRTC-SYNC': '1' });
    client.setCameraEnabled(true);
    await waitUntil(() => client.getSnapshot().room.cameraRequested);
    expect(client.getSnapshot().call.cameraEnabled).to.equal(false);
    expect(session.infoSent.at(-1)).to.deep.equal({
      contentType: 'application/vinteo.webrtc.maincam',
      headers: ['x-webrtc-request-enable-media-device: LETMESTARTMAINCAM'],
    });
    session.receiveInfo(MAINCAM, { 'X-WEBRTC-MAINCAM': 'ADMINSTARTMAINCAM', 'X-WEBRTC-SYNC': '1' });
    expect(client.getSnapshot().call.cameraEnabled).to.equal(true);
    expect(client.getSnapshot().room.cameraBlocked).to.equal(false);
    expect(client.getSnapshot().room.cameraRequested).to.equal(false);
  });
});

describe('conference: roles (fake transport)', () => {
  it('SPECTATOR and PARTICIPANT change the role without any renegotiation or INFO (protocol §6)', async () => {
    const { client, session } = await inCall();
    client.setMicrophoneEnabled(false);
    const infos = session.infoSent.length;
    const roles: unknown[] = [];
    client.on('conference:role', (r) => roles.push(r));
    session.receiveInfo(PARTSTATE, { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-SPECTATOR-MODE': '1' });
    expect(client.getSnapshot().room.role).to.equal('spectator');
    expect(client.getSnapshot().room.spectatorMode).to.equal(1);
    session.receiveInfo(PARTSTATE, { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' });
    expect(client.getSnapshot().room.role).to.equal('participant');
    await Promise.resolve();
    expect(session.renegotiations).to.have.length(0);
    expect(session.infoSent).to.have.length(infos);
    expect(client.getSnapshot().call.microphoneEnabled).to.equal(false);
    expect(client.getSnapshot().call.cameraEnabled).to.equal(true);
    expect(client.getSnapshot().call.leg).to.equal(undefined);
    expect(roles).to.deep.equal([
      { role: 'spectator', previous: 'participant', spectatorMode: 1 },
      { role: 'participant', previous: 'spectator' },
    ]);
  });

  it('the old restart INFO is harmless: understood, and nothing is renegotiated (protocol §13)', async () => {
    const { client, session } = await inCall();
    const parsed: string[] = [];
    client.on('conference:info', (info) => parsed.push(info.type));
    session.receiveInfo('application/vinteo.webrtc.restart', {
      'X-WEBRTC-TRACKS-DIRECTION': 'bidirectional',
      'X-WEBRTC-VIDEO-TRACK-COUNT': '2',
    });
    expect(parsed).to.deep.equal(['restart']);
    await client.restartIce();
    expect(session.renegotiations, 'only the ICE restart the application asked for').to.have.length(1);
    expect(client.getSnapshot().call.state).to.equal('in-call');
  });
});

describe('conference: notifications (fake transport)', () => {
  it('parses notify commands into events, keeps channels, masks tokens', async () => {
    const { client, session } = await inCall();
    const seen: unknown[] = [];
    client.on('conference:notify', ({ notification }) => seen.push(notification));
    session.receiveInfo('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': '{"cmd":"channels","input":"2","output":"3"}' });
    session.receiveInfo('application/vinteo.webrtc.notify', {
      'X-VINTEO-NOTIFY': '{"cmd":"ConferenceParticipantTokenIssued","body":{"conference":"1000","participant":"p","jwt":"secret.jwt"}}',
    });
    session.receiveInfo('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': '{"cmd":"addedToListModerators","conference":"1000"}' });
    session.receiveInfo('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': '<b>not json</b>' });
    expect(seen).to.deep.equal([
      { cmd: 'channels', input: '2', output: '3' },
      { cmd: 'ConferenceParticipantTokenIssued', conference: '1000', participant: 'p', jwt: '***' },
      { cmd: 'addedToListModerators', conference: '1000' },
    ]);
    expect(client.getSnapshot().room.channels).to.deep.equal({ input: '2', output: '3' });
    expect(client.getSnapshot().room.moderator).to.equal(true);
    expect(client.bearerToken).to.equal('secret.jwt');
    expect(client.getSnapshot().call.state).to.equal('in-call');
  });
});

describe('calls: incoming and waiting room (fake transport)', () => {
  it('an incoming call rings; answer gives in-call with local media', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.connect();
    const incoming: unknown[] = [];
    client.on('call:incoming', ({ caller }) => incoming.push(caller));
    const session = transport.agents[0]!.receiveCall('Support', '2000');
    expect(client.getSnapshot().call.state).to.equal('ringing');
    expect(client.getSnapshot().call.caller).to.deep.equal({ name: 'Support', number: '2000' });
    expect(incoming).to.deep.equal([{ name: 'Support', number: '2000' }]);
    await client.answer();
    expect(client.getSnapshot().call.state).to.equal('in-call');
    expect(client.getSnapshot().call.direction).to.equal('incoming');
    expect(session.answered?.mediaStream?.getTracks().length).to.equal(2);
    expect(client.getSnapshot().call.remoteStream?.getTracks().length).to.equal(2);
  });

  it('decline ends a ringing call with declined; a caller who gives up makes it missed', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.connect();
    const first = transport.agents[0]!.receiveCall('', '2000');
    client.decline();
    expect(first.ended).to.equal(true);
    expect(client.getSnapshot().call.endReason).to.equal('declined');
    const second = transport.agents[0]!.receiveCall('', '2001');
    second.remoteCancel();
    expect(client.getSnapshot().call.endReason).to.equal('missed');
  });

  it('a second incoming call while busy is refused with 486', async () => {
    const { client, transport } = makeClient({}, { register: true, user: '1001', password: 'pw' });
    await client.join('1000');
    const session = transport.agents[0]!.receiveCall('', '2000');
    expect(session.ended).to.equal(true);
    expect(client.getSnapshot().call.state).to.equal('in-call');
  });

  const credentialsOf = (client: unknown) => (client as { core: { conference: { credentials: unknown } } }).core.conference.credentials;

  it('a guest answered into the room purgatory waits until a later enter-room admits it', async () => {
    const { client, transport } = makeClient({ invite: 'waiting' });
    const accesses: string[] = [];
    client.on('conference:access', ({ access }) => accesses.push(access));
    const waiting = new Promise((resolve) => client.on('call:waiting', resolve));
    await client.join('1000');
    await waiting;
    expect(client.getSnapshot().call.state).to.equal('in-call');
    expect(client.getSnapshot().call.waitingSince).to.be.a('number');
    expect(client.getSnapshot().room.access).to.equal('waiting');
    transport.agents[0]!.sessions[0]!.admit({ 'X-BEARER-TOKEN': 'secret-token' });
    await waitUntil(() => client.getSnapshot().room.access === 'in-room');
    expect(client.getSnapshot().call.waitingSince).to.equal(undefined);
    expect(credentialsOf(client)).to.deep.equal({ token: 'secret-token', conference: '1000' });
    expect(JSON.stringify(client.getSnapshot().room)).not.to.contain('secret-token');
    expect(accesses).to.deep.equal(['waiting', 'in-room']);
  });

  it('a TokenIssued notify gives in-room; a token-less room is pending', async () => {
    const { client, transport } = makeClient({ invite: 'waiting' });
    await client.join('1000');
    await waitUntil(() => client.getSnapshot().room.access === 'waiting');
    const session = transport.agents[0]!.sessions[0]!;
    session.admit();
    await waitUntil(() => client.getSnapshot().room.access === 'pending');
    const notify = JSON.stringify({ cmd: 'ConferenceParticipantTokenIssued', body: { conference: '1000', participant: 'Гость 7', jwt: 'j.w.t' } });
    session.receiveInfo('application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': notify });
    await waitUntil(() => client.getSnapshot().room.access === 'in-room');
    expect(client.getSnapshot().room.participantName).to.equal('Гость 7');
    expect(credentialsOf(client)).to.deep.equal({ token: 'j.w.t', conference: '1000' });
  });
});
