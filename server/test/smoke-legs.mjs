#!/usr/bin/env node
// Smoke test of the spectators' receive leg (protocol §6, §14.8): `POST /api/v2/rtp2webrtc/offer/{conference}`
// on the SIP WebSocket port: CORS preflight, 401/403/400, and a werift "browser" whose recvonly offer gets an
// answer with candidates and then the RTP another participant's call sends, under msid stream id `default`;
// its content m-line (sendonly from the start, msid `content_vp8`) carries the conference's content while
// the server plays it (content/start … content/stop on another call), keyframe requests on it included.
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
  return { client, pc, call, token: room.headers['x-bearer-token'], id: info?.id, stop };
}

/** Answers the server's next re-INVITE in `p`'s call (content start/stop) from its peer. */
async function answerReinvite(p) {
  const invite = await p.client.waitForRequest((m) => m.method === 'INVITE' && m.headers['call-id'] === p.call.callId && !p.answered?.has(m), 5000);
  (p.answered ??= new Set()).add(invite);
  await p.pc.setRemoteDescription({ type: 'offer', sdp: invite.content });
  await p.pc.setLocalDescription(await p.pc.createAnswer());
  p.client.respond(invite, 200, { sdp: p.pc.localDescription.sdp });
}

/** The sharedesktop INFOs `p`'s call got so far: their X-WEBRTC-SHARE-STATE and codec. */
const shareInfos = (p) =>
  p.client.received
    .filter((m) => m.method === 'INFO' && m.headers['call-id'] === p.call.callId && /sharedesktop/.test(m.headers['content-type'] ?? ''))
    .map((m) => [m.headers['x-webrtc-share-state'], m.headers['x-webrtc-share-codec']].filter(Boolean).join(' '));

/** The m-line sections of an SDP, in order. */
const sections = (sdp) => sdp.split(/\r?\n(?=m=)/).slice(1);

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
    let contentPackets = 0;
    let contentTrack;
    leg.getTransceivers()[0].onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => audioPackets++));
    videos[0].onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => videoPackets++));
    videos[1].onTrack.subscribe((t) => {
      contentTrack = t;
      t.onReceiveRtp.subscribe(() => contentPackets++);
    });
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

    // Content: the second video m-line is declared from the start (the leg has no signalling after its POST).
    const media = sections(answer.sdp);
    const contentSection = media[2] ?? '';
    check(
      'the content m-line (the second video) is sendonly with msid content_vp8 and a `dual` track id; the other two are inactive',
      /^m=video [1-9]/m.test(contentSection) && /^a=sendonly/m.test(contentSection) && /^a=msid:content_vp8 \S*dual\S*$/m.test(contentSection) && / VP8\/90000/.test(contentSection) && media.slice(3).every((m) => /^a=inactive/m.test(m)),
      media.map((m) => [/^m=\S+ \d+/.exec(m)?.[0], /^a=(sendonly|recvonly|sendrecv|inactive)/m.exec(m)?.[1], /^a=msid:.*$/m.exec(m)?.[0]]),
    );
    const openLeg = async () => (await api(server, 'GET', '/api/legs')).json.open.find((l) => l.callId === spectator.id);
    const idle = await openLeg();
    check('no content plays yet: nothing on the content m-line', idle?.contentStreamId === 'content_vp8' && idle.contentCallId === undefined && idle.counters.contentPacketsSent === 0 && contentPackets === 0, { idle, contentPackets });

    // PLIs each participant's camera gets (its video sender's SSRC).
    const plis = (p) => {
      const camera = p.pc.getTransceivers()[1];
      const seen = { count: 0 };
      camera.dtlsTransport.onRtcp.subscribe((packet) => {
        if (packet.type === 206 && packet.feedback?.count === 1 && packet.feedback.mediaSsrc === camera.sender.ssrc) seen.count++;
      });
      return seen;
    };
    const plisToOther = plis(other);
    const plisToSpectator = plis(spectator);

    const starting = api(server, 'POST', `/api/calls/${other.id}/content/start`, { codec: 'VP8' });
    await answerReinvite(other);
    const started = await starting;
    check(
      'content/start on the other call: active, and the spectator\'s call is told too (YOUCANRECEIVECONTENT VP8)',
      started.status === 200 && started.json.content?.state === 'active' && started.json.notified?.some((n) => n.callId === spectator.id && n.status === 200) && shareInfos(spectator).join() === 'YOUCANRECEIVECONTENT VP8',
      { started: started.json, spectator: shareInfos(spectator) },
    );
    check('the content plays on the leg: the other camera’s RTP arrives on the content m-line', await until(() => contentPackets > 20, 5000), { contentPackets });
    const playing = await openLeg();
    check('GET /api/legs: the leg forwards the other call’s content', playing?.contentCallId === other.id && playing.counters.contentPacketsSent > 0, playing);
    const plisBefore = plisToOther.count;
    await leg.getTransceivers()[2].receiver.sendRtcpPLI(contentTrack.ssrc);
    check('a PLI on the leg’s content SSRC → a PLI to the camera playing the content', await until(() => plisToOther.count > plisBefore, 3000), { plisBefore, plisToOther });

    const stopping = api(server, 'POST', `/api/calls/${other.id}/content/stop`);
    await answerReinvite(other);
    const stopped = await stopping;
    const afterStop = await openLeg();
    check(
      'content/stop: idle, CONTENTEND to the spectator\'s call too, the leg no longer forwards content',
      stopped.status === 200 && stopped.json.content?.state === 'idle' && stopped.json.notified?.some((n) => n.callId === spectator.id && n.status === 200) && shareInfos(spectator).join() === 'YOUCANRECEIVECONTENT VP8,CONTENTEND' && afterStop?.contentCallId === undefined,
      { stopped: stopped.json, spectator: shareInfos(spectator), afterStop },
    );
    // The main video keeps flowing while nothing more arrives on the content m-line.
    const [contentAtStop, videoAtStop] = [contentPackets, videoPackets];
    await until(() => videoPackets > videoAtStop + 50, 5000);
    check('after the stop the main video flows and the content m-line gets nothing more', videoPackets > videoAtStop + 50 && contentPackets === contentAtStop, { videoAtStop, videoPackets, contentAtStop, contentPackets });

    // Content from any call of the conference: now the spectator's own (the leg's main video stays the other's).
    const ownStart = api(server, 'POST', `/api/calls/${spectator.id}/content/start`, {});
    await answerReinvite(spectator);
    const own = await ownStart;
    check('content/start on the spectator’s own call tells the other call', own.json?.content?.state === 'active' && own.json.notified?.some((n) => n.callId === other.id && n.status === 200), own.json);
    check('the leg forwards it on the same content m-line', await until(() => contentPackets > contentAtStop + 20, 5000), { contentAtStop, contentPackets });
    check('GET /api/legs: content of the spectator’s call, main media still the other’s', (await openLeg())?.contentCallId === spectator.id && (await openLeg())?.sourceCallId === other.id, await openLeg());
    const [toSpectator, toOther] = [plisToSpectator.count, plisToOther.count];
    await leg.getTransceivers()[2].receiver.sendRtcpPLI(contentTrack.ssrc);
    check('a PLI on the content SSRC goes to the camera playing the content (the spectator’s), not the main source', await until(() => plisToSpectator.count > toSpectator, 3000) && plisToOther.count === toOther, {
      toSpectator,
      plisToSpectator,
      toOther,
      plisToOther,
    });
    const ownStop = api(server, 'POST', `/api/calls/${spectator.id}/content/stop`);
    await answerReinvite(spectator);
    check('content/stop on the spectator’s call → idle, the leg forwards none', (await ownStop).json?.content?.state === 'idle' && (await openLeg())?.contentCallId === undefined);
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
