#!/usr/bin/env node
// Smoke test of the spectators' receive leg (protocol §6, §14.8): `POST /api/v2/rtp2webrtc/offer/{conference}`
// on the SIP WebSocket port: CORS preflight, 401/403/400, and a werift "browser" whose recvonly offer gets an
// answer with candidates and then the RTP another participant's call sends, under msid stream id `default`.
// Run after the build: node server/test/smoke-legs.mjs (SMOKE_VERBOSE=1 prints the server log).
import { MediaStreamTrack } from 'werift';
import { api, check, ClientCall, clientPeer, gathered, results, SipClient, startRtp, summary, until } from './smoke-lib.mjs';

let startDevServer;
try {
  ({ startDevServer } = await import('../../dist/server/index.js'));
} catch (error) {
  console.error(`cannot import dist/server/index.js; build first (npm run build:server): ${error.message}`);
  process.exit(1);
}
const verbose = !!process.env.SMOKE_VERBOSE;
const overall = setTimeout(() => {
  console.error('smoke-legs timed out');
  summary();
  process.exit(1);
}, 45_000);

/** A confirmed call into `conference` sending audio+video RTP; resolves with its in-room token. */
async function participant(server, conference) {
  const client = new SipClient(server.wsUrl, String(10_000_000 + Math.floor(Math.random() * 89_999_999)));
  await client.open();
  const pc = clientPeer();
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const video = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(audio, { direction: 'sendrecv' });
  pc.addTransceiver(video, { direction: 'sendrecv' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const call = new ClientCall(client, conference);
  const inv = await call.invite(pc.localDescription.sdp);
  call.established(inv.final);
  await pc.setRemoteDescription({ type: 'answer', sdp: inv.final.content });
  call.ack();
  const room = await client.waitForRequest((m) => m.method === 'INFO' && m.headers['call-id'] === call.callId && m.headers['x-webrtc-enter-room'] === conference, 5000);
  const stop = startRtp([audio, video]);
  const info = await until(async () => (await api(server, 'GET', '/api/calls')).json.find((c) => c.callId === call.callId && c.state === 'confirmed'), 3000);
  return { client, pc, token: room.headers['x-bearer-token'], id: info?.id, stop };
}

const post = (server, conference, { token, body, method = 'POST', headers = {} } = {}) =>
  fetch(`http://127.0.0.1:${server.port}/api/v2/rtp2webrtc/offer/${encodeURIComponent(conference)}?quality=high&audio=7`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

async function main() {
  const server = await startDevServer({ port: 0, controlPort: 0, log: (line) => verbose && console.log(`    [server] ${line}`) });
  const conference = '4700';
  const spectator = await participant(server, conference);
  const other = await participant(server, conference);
  try {
    const preflight = await post(server, conference, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' } });
    check(
      'preflight: 204, any origin, Authorization and Content-Type allowed',
      preflight.status === 204 && preflight.headers.get('access-control-allow-origin') === '*' && /Authorization/.test(preflight.headers.get('access-control-allow-headers') ?? ''),
      preflight.status,
    );
    check('no Bearer token → 401', (await post(server, conference, { body: { type: 'offer', sdp: 'v=0' } })).status === 401);
    check('a wrong token → 403', (await post(server, conference, { token: 'nope', body: { type: 'offer', sdp: 'v=0' } })).status === 403);
    check('the token of another conference → 403', (await post(server, '4701', { token: spectator.token, body: { type: 'offer', sdp: 'v=0' } })).status === 403);
    check('a body that is not an offer → 400', (await post(server, conference, { token: spectator.token, body: { type: 'answer' } })).status === 400);

    // The leg: audio recvonly, then video recvonly ×4, no candidates in the offer.
    const leg = clientPeer();
    leg.addTransceiver('audio', { direction: 'recvonly' });
    const videos = [0, 1, 2, 3].map(() => leg.addTransceiver('video', { direction: 'recvonly' }));
    let audioPackets = 0;
    let videoPackets = 0;
    leg.getTransceivers()[0].onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => audioPackets++));
    videos[0].onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => videoPackets++));
    await leg.setLocalDescription(await leg.createOffer());
    // A browser sends no candidates (the server learns peer-reflexive ones, checked by the browser
    // integration test); werift as the client only connects with its candidates in the offer.
    await gathered(leg);
    const offer = leg.localDescription.sdp;
    const response = await post(server, conference, { token: spectator.token, body: { type: 'offer', sdp: offer } });
    const answer = await response.json();
    check('the leg POST → 200 {type: answer, sdp} with candidates', response.status === 200 && answer.type === 'answer' && /a=candidate:/.test(answer.sdp), response.status);
    check('the main audio and video go under msid stream id default', (answer.sdp.match(/a=msid:default /g) ?? []).length === 2, answer.sdp.match(/a=msid:.*/g));
    await leg.setRemoteDescription(answer);
    check('connects', await until(() => leg.connectionState === 'connected', 5000), leg.connectionState);
    check('the other participant’s audio and video arrive on the leg', await until(() => audioPackets > 10 && videoPackets > 10, 5000), { audioPackets, videoPackets });
    const legs = (await api(server, 'GET', '/api/legs')).json;
    const record = legs.requests.find((r) => r.status === 200);
    check(
      'GET /api/legs records quality, audio id, the calls, and no token',
      record?.quality === 'high' && record.audio === '7' && record.callId === spectator.id && record.sourceCallId === other.id && record.bearer === true && !JSON.stringify(legs).includes(spectator.token),
      record,
    );
    check('GET /api/legs shows the open leg with its counters', legs.open.some((l) => l.callId === spectator.id && l.counters.videoPacketsSent > 0), legs.open);
    await leg.close();
  } finally {
    spectator.stop();
    other.stop();
    await spectator.pc.close();
    await other.pc.close();
    await server.close();
  }
}

await main();
clearTimeout(overall);
summary();
process.exit(results.failed === 0 ? 0 : 1);
