#!/usr/bin/env node
// End-to-end smoke test of vinteo-dev-server (the built dist/server/index.js):
// a raw SIP-over-WebSocket client built with the `sip` package plus a werift
// peer connection in Node play the browser. Run: node server/test/smoke.mjs
// (after building: npx esbuild server/cli.ts server/index.ts --bundle ...).
// SMOKE_VERBOSE=1 prints the server log.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import sip from 'sip';
import { MediaStreamTrack, RtpHeader, RtcpPayloadSpecificFeedback } from 'werift';
import { api, check, ClientCall, clientPeer, DOMAIN, gathered, results, SipClient, sleep, startRtp, summary, until } from './smoke-lib.mjs';

let startDevServer;
try {
  ({ startDevServer } = await import('../../dist/server/index.js'));
} catch (error) {
  console.error('cannot import dist/server/index.js; build first:\n  npx esbuild server/cli.ts server/index.ts --bundle --platform=node --format=esm --packages=external --target=node20 --outdir=dist/server');
  console.error(error.message);
  process.exit(1);
}

const OVERALL_TIMEOUT_MS = 30_000;
const verbose = !!process.env.SMOKE_VERBOSE;
const overall = setTimeout(() => {
  console.error(`smoke test timed out after ${OVERALL_TIMEOUT_MS} ms`);
  summary();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

/** Local addresses of the open dgram (UDP) sockets of this process. */
function udpSockets() {
  return process
    ._getActiveHandles()
    .filter((h) => h && typeof h.address === 'function' && typeof h.send === 'function' && typeof h.setBroadcast === 'function')
    .map((h) => {
      try {
        return h.address().address;
      } catch {
        return 'unbound';
      }
    });
}

async function portIsFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '127.0.0.1', port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Codec names per m-line, in m-line format order (what media[].codecs must show). */
function mLineCodecs(sdp) {
  return sdp.split(/\r?\n(?=m=)/).slice(1).map((section) => {
    const formats = /^m=\S+ \d+ \S+ (.*)$/m.exec(section)[1].trim().split(/\s+/);
    const names = [];
    for (const pt of formats) {
      const name = new RegExp(`^a=rtpmap:${pt} ([^/\\s]+)`, 'm').exec(section)?.[1]?.toUpperCase();
      if (name && !names.includes(name)) names.push(name);
    }
    return names;
  });
}

/** Answers a server INVITE with a werift peer that sends fake RTP and counts the echo. */
async function answerWithMedia(offerSdp) {
  const peer = clientPeer();
  await peer.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  const tracks = [];
  const echoed = { audio: 0, video: 0 };
  for (const t of peer.getTransceivers()) {
    const track = new MediaStreamTrack({ kind: t.kind });
    t.setDirection('sendrecv');
    await t.sender.replaceTrack(track);
    // The offer announces its SSRCs, so werift may have created the remote tracks already.
    const counted = new Set();
    const count = (remote) => {
      if (counted.has(remote)) return;
      counted.add(remote);
      remote.onReceiveRtp.subscribe(() => echoed[t.kind]++);
    };
    t.receiver.tracks.forEach(count);
    t.onTrack.subscribe(count);
    tracks.push(track);
  }
  await peer.setLocalDescription(await peer.createAnswer());
  await gathered(peer);
  return { peer, tracks, echoed, sdp: peer.localDescription.sdp };
}

// ------------------------------------------------- server-initiated calls

async function testOutgoingCalls(server, alice) {
  const seenInvites = new Set();
  const nextInvite = async () => {
    const m = await alice.waitForRequest((x) => x.method === 'INVITE' && !x.headers.to?.params?.tag && !seenInvites.has(x.headers['call-id']), 8000).catch(() => undefined);
    if (m) seenInvites.add(m.headers['call-id']);
    return m;
  };
  const getCall = async (id) => (await api(server, 'GET', `/api/calls/${id}`)).json;

  const notReg = await api(server, 'POST', '/api/registrations/9999/call', {});
  check('call to a user that is not registered → 404 JSON', notReg.status === 404 && typeof notReg.json?.error === 'string', notReg);
  const badName = await api(server, 'POST', '/api/registrations/1001/call', { displayName: 'a\r\nVia: x' });
  check('call: CR/LF in displayName → 400', badName.status === 400, badName);
  const badFrom = await api(server, 'POST', '/api/registrations/1001/call', { from: 'a b@c' });
  check('call: invalid from → 400', badFrom.status === 400, badFrom);

  // --- answered call
  const t0 = Date.now();
  const out = await api(server, 'POST', '/api/registrations/1001/call', { displayName: 'Support "Служба"', from: '2000' });
  check('POST /api/registrations/1001/call → 201 { id } at once', out.status === 201 && typeof out.json?.id === 'string' && Date.now() - t0 < 1000, out);
  const id = out.json?.id;
  const inv = await nextInvite();
  check('registered client receives the server INVITE', !!inv);
  if (!inv) return;
  const h = inv.headers;
  check('INVITE Request-URI is the registered Contact', inv.uri === alice.contact, inv.uri);
  check(
    'INVITE From: "displayName" <sip:2000@domain> with a tag; To: <sip:1001@domain> without',
    h.from.name === '"Support \\"Служба\\""' && h.from.uri === `sip:2000@${DOMAIN}` && !!h.from.params.tag && h.to.uri === `sip:1001@${DOMAIN}` && !h.to.params?.tag,
    { from: h.from, to: h.to },
  );
  check(
    'INVITE has Contact (ws, back to the server), Allow, Supported, Max-Forwards, Content-Type application/sdp',
    /^sip:2000@127\.0\.0\.1:\d+;transport=ws$/.test(String(h.contact?.[0]?.uri)) && /INVITE/.test(h.allow ?? '') && /BYE/.test(h.allow ?? '') && !!h.supported && String(h['max-forwards']) === '70' && h['content-type'] === 'application/sdp',
    { contact: h.contact, allow: h.allow, supported: h.supported, mf: h['max-forwards'], ct: h['content-type'] },
  );
  check('INVITE Via: SIP/2.0/WS with rport', h.via[0].protocol === 'WS' && 'rport' in h.via[0].params && /^z9hG4bK/.test(h.via[0].params.branch), h.via[0]);
  const offer = inv.content ?? '';
  const candidates = offer.split(/\r?\n/).filter((l) => l.startsWith('a=candidate'));
  check(
    'offer: audio + video sendrecv, opus/VP8/H264, actpass, loopback candidates only',
    /m=audio/.test(offer) && /m=video/.test(offer) && (offer.match(/a=sendrecv/g) ?? []).length === 2 && /opus\/48000/.test(offer) && /VP8\/90000/.test(offer) && /H264\/90000/.test(offer) && /a=setup:actpass/.test(offer) && /a=rtcp-fb:\d+ nack pli/.test(offer) && candidates.length > 0 && candidates.every((l) => / 127\.0\.0\.1 \d+ typ host/.test(l)),
    candidates,
  );
  let oc = await getCall(id);
  check('outgoing call is "calling" before a provisional response', oc?.state === 'calling' && oc.direction === 'outgoing', oc && { state: oc.state, direction: oc.direction });
  const tag = randomBytes(4).toString('hex');
  alice.respond(inv, 180, { tag });
  const rang = await until(async () => (await getCall(id))?.state === 'ringing', 2000);
  check('180 → state ringing', rang);
  const answer = await answerWithMedia(offer);
  alice.respond(inv, 200, { tag, sdp: answer.sdp });
  const ack = await alice.waitForRequest((m) => m.method === 'ACK' && m.headers['call-id'] === h['call-id'], 3000).catch(() => undefined);
  check(
    'server ACKs the 200: Request-URI = our Contact, To tag, CSeq = INVITE\'s, new branch',
    ack && ack.uri === alice.contact && ack.headers.to.params.tag === tag && ack.headers.cseq.seq === h.cseq.seq && ack.headers.via[0].params.branch !== h.via[0].params.branch,
    ack && { uri: ack.uri, cseq: ack.headers.cseq },
  );
  oc = await getCall(id);
  check(
    'call confirmed: direction outgoing, conference = from user, from = callee, localDisplayName',
    oc?.state === 'confirmed' && oc.direction === 'outgoing' && oc.conference === '2000' && oc.from === '1001' && oc.fromUri === `sip:1001@${DOMAIN}` && oc.localDisplayName === 'Support "Служба"' && oc.finalStatus === 200,
    oc && { state: oc.state, direction: oc.direction, conference: oc.conference, from: oc.from, local: oc.localDisplayName },
  );
  check(
    'media[] of an outgoing call comes from the client\'s answer',
    oc?.media?.length === 2 && oc.media.every((m) => m.direction === 'sendrecv') && JSON.stringify(oc.media.map((m) => m.codecs)) === JSON.stringify(mLineCodecs(answer.sdp)),
    oc?.media,
  );
  const stopRtp = startRtp(answer.tracks);
  const echoedBack = await until(() => answer.echoed.audio > 5 && answer.echoed.video > 5, 5000);
  check('outgoing call: media echoed back to the callee', echoedBack, answer.echoed);
  oc = await getCall(id);
  check('outgoing call: packets counted per m-line', oc?.media?.every((m) => m.packetsReceived > 0 && m.packetsEchoed > 0), oc?.media?.map((m) => [m.packetsReceived, m.packetsEchoed]));
  const sdps = (await api(server, 'GET', `/api/calls/${id}/sdp`)).json;
  check('GET /sdp of an outgoing call: localOffer + remoteAnswer', sdps?.localOffer === offer && sdps?.remoteAnswer === answer.sdp, sdps && Object.keys(sdps));

  // in-dialog requests from the callee: the dialog is (call-id, our From tag, its To tag)
  let seq = 1;
  const inDialog = (method, extra = {}) =>
    alice.baseRequest(method, String(h.contact[0].uri), { callId: h['call-id'], from: { uri: h.to.uri, params: { tag } }, to: h.from, seq: seq++, ...extra });
  const dtmf = await alice.request(inDialog('INFO', { headers: { 'content-type': 'application/dtmf-relay' }, content: 'Signal=7\r\nDuration=100\r\n' }));
  check('callee INFO (DTMF) in the outgoing call → 200, recorded', dtmf.final.status === 200 && (await getCall(id))?.dtmfReceived === '7', dtmf.final.status);

  // --- moderator commands: what the client receives
  const seenInfo = new Set();
  const sendCommand = async (body) => {
    const pending = api(server, 'POST', `/api/calls/${id}/command`, body);
    const info = await alice
      .waitForRequest((m) => m.method === 'INFO' && m.headers['call-id'] === h['call-id'] && !seenInfo.has(m.headers.cseq.seq), 3000)
      .catch(() => undefined);
    if (info) seenInfo.add(info.headers.cseq.seq);
    return { res: await pending, info };
  };
  const notify = { cmd: 'ConferenceParticipantTokenIssued', body: { conference: '2000', participant: 'Иван', jwt: 'a.b.c' } };
  const commandTable = [
    [{ command: 'stop-camera', forced: true }, 'application/vinteo.webrtc.maincam', { 'x-webrtc-maincam': 'ADMINSTOPMAINCAM', 'x-webrtc-sync': '1' }],
    [{ command: 'start-camera' }, 'application/vinteo.webrtc.maincam', { 'x-webrtc-maincam': 'ADMINSTARTMAINCAM', 'x-webrtc-sync': '0' }],
    [{ command: 'stop-mic', forced: true }, 'application/vinteo.webrtc.mic', { 'x-webrtc-mic': 'ADMINSTOPMIC', 'x-webrtc-sync': '1' }],
    [{ command: 'spectator', audioId: 7, spectatorMode: 2 }, 'application/vinteo.webrtc.partstate', { 'x-webrtc-partstate': 'SPECTATOR', 'x-webrtc-audioid': '7', 'x-webrtc-spectator-mode': '2' }],
    [{ command: 'participant' }, 'application/vinteo.webrtc.partstate', { 'x-webrtc-partstate': 'PARTICIPANT' }],
    [{ command: 'pause-camera' }, 'application/vinteo.webrtc.maincam', { 'x-webrtc-maincam': 'PAUSEMAINCAM' }],
    [{ command: 'max-resolution', resolution: '320x180' }, 'application/vinteo.webrtc.maincam', { 'x-webrtc-maincam': 'MAXMAINCAMRESOLUTION', 'x-webrtc-maincam-resolution': '320x180' }],
    [{ command: 'notify', notify }, 'application/vinteo.webrtc.notify', { 'x-vinteo-notify': JSON.stringify(notify) }],
    [{ command: 'restart', tracksDirection: 'incoming', audioTrackCount: 1, videoTrackCount: 2 }, 'application/vinteo.webrtc.restart', { 'x-webrtc-tracks-direction': 'incoming', 'x-webrtc-audio-track-count': '1', 'x-webrtc-video-track-count': '2' }],
  ];
  for (const [body, type, headers] of commandTable) {
    const { res, info } = await sendCommand(body);
    const got = info && Object.fromEntries(Object.keys(headers).map((k) => [k, String(info.headers[k])]));
    check(
      `command ${body.command}${body.forced ? ' (forced)' : ''} → INFO ${type.replace('application/vinteo.webrtc.', '')} with the right headers, { status: 200 }`,
      info?.headers['content-type'] === type && JSON.stringify(got) === JSON.stringify(headers) && res.status === 200 && res.json?.status === 200,
      { got, status: res.status, json: res.json, type: info?.headers['content-type'] },
    );
  }
  const unknownCmd = await api(server, 'POST', `/api/calls/${id}/command`, { command: 'explode' });
  check('unknown command → 400 listing the valid ones', unknownCmd.status === 400 && Array.isArray(unknownCmd.json?.validCommands) && unknownCmd.json.validCommands.includes('stop-camera') && /stop-camera/.test(unknownCmd.json.error), unknownCmd);
  const bigNotify = await api(server, 'POST', `/api/calls/${id}/command`, { command: 'notify', notify: { pad: 'x'.repeat(9000) } });
  check('notify over 8 KiB → 400', bigNotify.status === 400, bigNotify.status);
  const badRes = await api(server, 'POST', `/api/calls/${id}/command`, { command: 'max-resolution', resolution: 'big' });
  check('max-resolution without WxH → 400', badRes.status === 400, badRes.status);
  const cmd404 = await api(server, 'POST', '/api/calls/nope/command', { command: 'stop-camera' });
  check('command on an unknown call → 404', cmd404.status === 404, cmd404.status);

  // --- the callee hangs up
  const bye = await alice.request(inDialog('BYE'));
  stopRtp();
  oc = await getCall(id);
  check('BYE from the callee → 200, call ended (bye)', bye.final.status === 200 && oc?.state === 'ended' && oc.endReason === 'bye', oc && { state: oc.state, endReason: oc.endReason });
  const cmd409 = await api(server, 'POST', `/api/calls/${id}/command`, { command: 'stop-camera' });
  check('command on an ended call → 409', cmd409.status === 409, cmd409.status);
  await answer.peer.close();

  // --- declined (486)
  const d = await api(server, 'POST', '/api/registrations/1001/call', {});
  const dinv = await nextInvite();
  check('default From is sip:vinteo@domain without a display name', dinv?.headers.from.uri === `sip:vinteo@${DOMAIN}` && !dinv?.headers.from.name, dinv?.headers.from);
  if (dinv) alice.respond(dinv, 486, { tag: randomBytes(4).toString('hex'), reason: 'Busy Here' });
  const dack = dinv && (await alice.waitForRequest((m) => m.method === 'ACK' && m.headers['call-id'] === dinv.headers['call-id'], 3000).catch(() => undefined));
  check('486 is ACKed in the INVITE transaction (same branch)', dack?.headers.via[0].params.branch === dinv?.headers.via[0].params.branch && dack?.headers.cseq.method === 'ACK', dack?.headers.via);
  const dc = await until(async () => {
    const x = await getCall(d.json?.id);
    return x?.state === 'ended' ? x : undefined;
  }, 2000);
  check('declined call ended: endReason rejected, finalStatus 486', dc?.endReason === 'rejected' && dc.finalStatus === 486, dc && { endReason: dc.endReason, finalStatus: dc.finalStatus });

  // --- cancelled while ringing (hangup through the API)
  const r = await api(server, 'POST', '/api/registrations/1001/call', { displayName: 'Support' });
  const rinv = await nextInvite();
  const rtag = randomBytes(4).toString('hex');
  if (rinv) alice.respond(rinv, 180, { tag: rtag });
  await until(async () => (await getCall(r.json?.id))?.state === 'ringing', 2000);
  const hang = api(server, 'POST', `/api/calls/${r.json?.id}/hangup`);
  const cancel = await alice.waitForRequest((m) => m.method === 'CANCEL' && m.headers['call-id'] === rinv?.headers['call-id'], 3000).catch(() => undefined);
  check(
    'hangup of a ringing outgoing call sends CANCEL (same branch and CSeq number as the INVITE)',
    cancel && cancel.headers.via[0].params.branch === rinv.headers.via[0].params.branch && cancel.headers.cseq.seq === rinv.headers.cseq.seq && cancel.uri === rinv.uri,
    cancel?.headers.cseq,
  );
  if (cancel) {
    alice.reply(cancel, 200);
    alice.respond(rinv, 487, { tag: rtag, reason: 'Request Terminated' });
  }
  const hangRes = await hang;
  const rc = await getCall(r.json?.id);
  check('cancelled call: hangup answers the CANCEL status, ended (hangup, 487)', hangRes.json?.status === 200 && rc?.state === 'ended' && rc.endReason === 'hangup' && rc.finalStatus === 487, { hang: hangRes.json, endReason: rc?.endReason, finalStatus: rc?.finalStatus });
  const rack = await alice.waitForRequest((m) => m.method === 'ACK' && m.headers['call-id'] === rinv?.headers['call-id'], 2000).catch(() => undefined);
  check('487 is ACKed', !!rack);
}

// ------------------------------------------------------------ waiting room

async function testWaitingRoom(server, guest) {
  const getCalls = async () => (await api(server, 'GET', '/api/calls')).json;
  const off = await api(server, 'GET', '/api/waiting-room');
  check('GET /api/waiting-room: disabled by default', off.status === 200 && off.json?.enabled === false, off.json);
  const bad = await api(server, 'POST', '/api/waiting-room', { enabled: 'yes' });
  check('POST /api/waiting-room validates enabled', bad.status === 400, bad.status);
  const on = await api(server, 'POST', '/api/waiting-room', { enabled: true });
  check('POST /api/waiting-room { enabled: true }', on.status === 200 && on.json?.enabled === true && (await api(server, 'GET', '/api/waiting-room')).json?.enabled === true, on.json);

  const peer = clientPeer();
  peer.addTransceiver('audio', { direction: 'sendrecv' });
  peer.addTransceiver('video', { direction: 'sendrecv' });
  await peer.setLocalDescription(await peer.createOffer());
  await gathered(peer);
  const offer = peer.localDescription.sdp;
  const purgatory = { 'X-Vinteo-Purgatory-Call': 'yes' };

  const tokens = await api(server, 'GET', '/api/tokens');
  check('GET /api/tokens: mode enter-room by default', tokens.status === 200 && tokens.json?.mode === 'enter-room', tokens.json);
  const badMode = await api(server, 'POST', '/api/tokens', { mode: 'jwt' });
  check('POST /api/tokens validates mode', badMode.status === 400, badMode.status);

  const infoOf = (call, type, pred = () => true) =>
    guest.waitForRequest((m) => m.method === 'INFO' && m.headers['call-id'] === call.callId && (m.headers['content-type'] ?? '') === `application/vinteo.webrtc.${type}` && pred(m), 3000).catch(() => undefined);
  const enterRoom = (call, room) => infoOf(call, 'roomname', (m) => m.headers['x-webrtc-enter-room'] === room);
  // A guest's call: answered 200 at once (no 180 hold), ACKed, then the purgatory enter-room: state waiting.
  const enterPurgatory = async (conference, name) => {
    const call = new ClientCall(guest, conference, name);
    const provisionals = [];
    const final = (await call.invite(offer, purgatory, (r) => provisionals.push(r))).final;
    call.established(final);
    call.ack();
    const room = await enterRoom(call, 'purgatory');
    const info = await until(async () => (await getCalls()).find((x) => x.callId === call.callId && x.state === 'waiting'), 3000);
    return { call, final, provisionals, room, info };
  };

  // admitted, token on the enter-room INFO
  const w = await enterPurgatory('3100', 'Гость');
  check('guest INVITE with the waiting room on → 200 with the echo answer at once, no 180', w.final.status === 200 && /^v=0/.test(w.final.content ?? '') && !w.provisionals.some((r) => r.status === 180), { status: w.final.status, provisionals: w.provisionals.map((r) => r.status) });
  check('after the ACK: enter-room purgatory with the participant name, no token', w.room?.headers['x-webrtc-participant-name'] === 'Гость' && w.room.headers['x-bearer-token'] === undefined, w.room?.headers);
  const wlic = await infoOf(w.call, 'uselic');
  check('uselic INFO follows the purgatory enter-room', wlic?.headers['x-webrtc-use-license'] === 'VIDEO', wlic?.headers);
  check('call in purgatory: state waiting, room purgatory, no bearerToken', w.info?.room === 'purgatory' && w.info.bearerToken === undefined && !!w.info.confirmedAt, w.info && { state: w.info.state, room: w.info.room });
  const winfo = await api(server, 'POST', `/api/calls/${w.info?.id}/info`, { contentType: 'application/vinteo.webrtc.notify', headers: { 'x-vinteo-notify': '{"cmd":"channels","input":"1","output":"1"}' } });
  check('an INFO can be sent to a waiting call', winfo.status === 200 && winfo.json?.status === 200, winfo);
  const admit = await api(server, 'POST', `/api/calls/${w.info?.id}/admit`);
  check('POST /admit → 200 { ok, state: confirmed }', admit.status === 200 && admit.json?.ok === true && admit.json?.state === 'confirmed', admit);
  const wreal = await enterRoom(w.call, '3100');
  const token = wreal?.headers['x-bearer-token'];
  check('admission: a later enter-room names the room, with x-bearer-token and the participant name', typeof token === 'string' && token.length >= 16 && wreal.headers['x-webrtc-participant-name'] === 'Гость', wreal?.headers);
  const admitted = (await api(server, 'GET', `/api/calls/${w.info?.id}`)).json;
  check(
    'admitted call: confirmed, room 3100, bearerToken redacted to 4 characters (also in infoSent)',
    admitted?.state === 'confirmed' && admitted.room === '3100' && admitted.bearerToken === `${token?.slice(0, 4)}…` && !JSON.stringify(admitted).includes(token),
    admitted && { state: admitted.state, room: admitted.room, bearerToken: admitted.bearerToken },
  );
  const again = await api(server, 'POST', `/api/calls/${w.info?.id}/admit`);
  check('admit on a call that is not waiting → 409 JSON', again.status === 409 && typeof again.json?.error === 'string', again);
  await api(server, 'POST', `/api/calls/${w.info?.id}/hangup`);

  // admitted, token by the TokenIssued notify INFO
  const nmode = await api(server, 'POST', '/api/tokens', { mode: 'notify' });
  check('POST /api/tokens { mode: notify }', nmode.status === 200 && nmode.json?.mode === 'notify', nmode.json);
  const n = await enterPurgatory('3101', 'Guest N');
  await api(server, 'POST', `/api/calls/${n.info?.id}/admit`);
  const nreal = await enterRoom(n.call, '3101');
  const nnotify = await infoOf(n.call, 'notify', (m) => /TokenIssued/.test(m.headers['x-vinteo-notify'] ?? ''));
  let issued;
  try {
    issued = JSON.parse(nnotify?.headers['x-vinteo-notify'] ?? '');
  } catch {
    issued = undefined;
  }
  const ncall = (await api(server, 'GET', `/api/calls/${n.info?.id}`)).json;
  check(
    'notify mode: enter-room without a token, then ConferenceParticipantTokenIssued { conference, participant, jwt }',
    !!nreal && nreal.headers['x-bearer-token'] === undefined && issued?.cmd === 'ConferenceParticipantTokenIssued' && issued.body?.conference === '3101' && issued.body?.participant === 'Guest N' && typeof issued.body?.jwt === 'string' && ncall?.bearerToken === `${issued.body.jwt.slice(0, 4)}…` && !JSON.stringify(ncall).includes(issued.body.jwt),
    { room: nreal?.headers, issued, bearerToken: ncall?.bearerToken },
  );
  await api(server, 'POST', `/api/calls/${n.info?.id}/hangup`);

  // admitted without a token; the guest hangs up (BYE) while waiting
  await api(server, 'POST', '/api/tokens', { mode: 'off' });
  const o = await enterPurgatory('3102', 'Guest O');
  await api(server, 'POST', `/api/calls/${o.info?.id}/admit`);
  const oreal = await enterRoom(o.call, '3102');
  const ocall = (await api(server, 'GET', `/api/calls/${o.info?.id}`)).json;
  check('tokens off: admission enter-room without a token, no bearerToken', !!oreal && oreal.headers['x-bearer-token'] === undefined && ocall?.room === '3102' && ocall.bearerToken === undefined, { room: oreal?.headers, call: ocall?.bearerToken });
  await api(server, 'POST', `/api/calls/${o.info?.id}/hangup`);
  await api(server, 'POST', '/api/tokens', { mode: 'enter-room' });

  const b = await enterPurgatory('3104', 'Guest B');
  const bye = await b.call.client.request(b.call.inDialog('BYE'));
  const bc = await until(async () => {
    const c = (await api(server, 'GET', `/api/calls/${b.info?.id}`)).json;
    return c?.state === 'ended' ? c : undefined;
  }, 2000);
  check('BYE while waiting → 200, ended (bye)', bye.final.status === 200 && bc?.endReason === 'bye', { bye: bye.final.status, endReason: bc?.endReason });

  // hung up by the server while waiting: BYE
  const d = await enterPurgatory('3105');
  const dbye = guest.waitForRequest((m) => m.method === 'BYE' && m.headers['call-id'] === d.call.callId, 3000).catch(() => undefined);
  const dh = await api(server, 'POST', `/api/calls/${d.info?.id}/hangup`);
  const dc = (await api(server, 'GET', `/api/calls/${d.info?.id}`)).json;
  check('hangup while waiting → BYE, ended (hangup)', dh.status === 200 && !!(await dbye) && dc?.state === 'ended' && dc.endReason === 'hangup', { api: dh.status, endReason: dc?.endReason });

  // INVITEs without the purgatory header enter their room (lower-cased) at once
  const rcall = new ClientCall(guest, 'Team3103');
  const rfinal = await rcall.invite(offer);
  rcall.established(rfinal.final);
  rcall.ack();
  const rroom = await infoOf(rcall, 'roomname');
  check('INVITE without X-Vinteo-Purgatory-Call: answered, enter-room names the room lower-cased with a token', rfinal.final.status === 200 && rroom?.headers['x-webrtc-enter-room'] === 'team3103' && !!rroom.headers['x-bearer-token'], rroom?.headers);
  const rc = (await getCalls()).find((x) => x.callId === rcall.callId);
  check('its call is confirmed in room team3103', rc?.state === 'confirmed' && rc.room === 'team3103', rc && { state: rc.state, room: rc.room });
  await api(server, 'POST', `/api/calls/${rc?.id}/hangup`);

  const offAgain = await api(server, 'POST', '/api/waiting-room', { enabled: false });
  check('waiting room switched off again', offAgain.json?.enabled === false);
  await peer.close();
}

// ------------------------- options: waitingRoom, ringTimeoutMs; welcome INFOs

async function testServerOptions() {
  const server = await startDevServer({ port: 0, controlPort: 0, users: { 1003: 'pw-1003-x' }, waitingRoom: true, ringTimeoutMs: 400 });
  try {
    const wr = await api(server, 'GET', '/api/waiting-room');
    check('startDevServer({ waitingRoom: true }) starts with the waiting room on', wr.json?.enabled === true, wr.json);
    const carol = new SipClient(server.wsUrl, '1003');
    await carol.open();
    await carol.register('pw-1003-x');
    // not answered: cancelled after ringTimeoutMs
    const r = await api(server, 'POST', '/api/registrations/1003/call', { from: '4000' });
    const inv = await carol.waitForRequest((m) => m.method === 'INVITE', 5000).catch(() => undefined);
    const tag = randomBytes(4).toString('hex');
    if (inv) carol.respond(inv, 180, { tag });
    const cancel = await carol.waitForRequest((m) => m.method === 'CANCEL', 3000).catch(() => undefined);
    if (cancel) {
      carol.reply(cancel, 200);
      carol.respond(inv, 487, { tag, reason: 'Request Terminated' });
    }
    const ended = await until(async () => {
      const c = (await api(server, 'GET', `/api/calls/${r.json?.id}`)).json;
      return c?.state === 'ended' ? c : undefined;
    }, 2000);
    check('unanswered outgoing call is cancelled after ringTimeoutMs (no-answer, 487)', !!cancel && ended?.endReason === 'no-answer' && ended.finalStatus === 487, ended && { endReason: ended.endReason, finalStatus: ended.finalStatus });
    // welcome: roomname + uselic after the ACK
    const w = await api(server, 'POST', '/api/registrations/1003/call', { from: '4001', welcome: true });
    const winv = await carol.waitForRequest((m) => m.method === 'INVITE' && m.headers['call-id'] !== inv?.headers['call-id'], 5000).catch(() => undefined);
    if (winv) {
      const answer = await answerWithMedia(winv.content);
      carol.respond(winv, 200, { tag, sdp: answer.sdp });
      const room = await carol.waitForRequest((m) => m.method === 'INFO' && /roomname/.test(m.headers['content-type'] ?? ''), 3000).catch(() => undefined);
      check('call with welcome: true gets the roomname INFO (room = from user)', room?.headers['x-webrtc-enter-room'] === '4001' && room?.headers['x-webrtc-participant-name'] === '1003', room?.headers);
      const hang = await api(server, 'POST', `/api/calls/${w.json?.id}/hangup`);
      check('hangup of a confirmed outgoing call sends BYE', hang.json?.status === 200, hang.json);
      await answer.peer.close();
    } else {
      check('call with welcome: true gets the roomname INFO (room = from user)', false, 'no INVITE');
    }
    carol.close();
  } finally {
    await server.close();
  }
}

// ------------------------------------------- presentations and content

/** Requests from the server in one dialog, each seen once (by CSeq). */
// ------------------------------------------------- SIP over UDP behind a proxy

/**
 * Plays a SIP proxy (Kamailio) in front of the server's UDP listener: requests leave from `out`,
 * our Via and the first Record-Route name `back`, so replies and in-dialog requests must find
 * `back` through Via and Route (not the source address).
 */
class FakeProxy {
  constructor() {
    this.received = [];
    this.waiters = [];
  }
  async open() {
    const bind = () =>
      new Promise((resolve, reject) => {
        const socket = dgram.createSocket('udp4');
        socket.once('error', reject);
        socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve(socket));
      });
    this.out = await bind();
    this.back = await bind();
    this.backPort = this.back.address().port;
    for (const socket of [this.out, this.back]) {
      socket.on('message', (data, rinfo) => {
        const message = sip.parse(data.toString('utf8'));
        if (!message) return;
        const entry = { message, socket: socket === this.back ? 'back' : 'out', from: rinfo, raw: data.toString('utf8') };
        this.received.push(entry);
        for (const w of [...this.waiters]) {
          if (w.predicate(entry)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(entry);
          }
        }
      });
    }
  }
  wait(predicate, timeoutMs = 5000) {
    const already = this.received.find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const w = { predicate, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      }, timeoutMs);
    });
  }
  count(predicate) {
    return this.received.filter(predicate).length;
  }
  send(message, port) {
    const body = message.content ?? '';
    const copy = { ...message, headers: { ...message.headers }, content: '' };
    delete copy.headers['content-length'];
    const text = sip.stringify(copy).replace(/Content-Length: 0\r\n\r\n$/, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`) + body;
    this.out.send(Buffer.from(text, 'utf8'), port, '127.0.0.1');
  }
  /** The proxy's Via on top of the browser's (as Kamailio forwards a WebSocket request). */
  vias(branch = `z9hG4bK${randomBytes(6).toString('hex')}`) {
    return [
      { version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: this.backPort, params: { branch } },
      { version: '2.0', protocol: 'WS', host: 'abcd.invalid', params: { branch: `z9hG4bK${randomBytes(6).toString('hex')}`, received: '127.0.0.1', rport: '50000' } },
    ];
  }
  recordRoute() {
    return [
      { uri: `sip:127.0.0.1:${this.backPort};r2=on;lr`, params: {} },
      { uri: 'sip:127.0.0.1:5999;transport=ws;r2=on;lr', params: {} },
    ];
  }
  close() {
    this.out.close();
    this.back.close();
  }
}

async function testProxyListener() {
  const server = await startDevServer({ port: 0, controlPort: 0, sipPort: 0 });
  const proxy = new FakeProxy();
  const peers = [];
  try {
    check('sipPort: the UDP listener is on 127.0.0.1', /^sip:127\.0\.0\.1:\d+$/.test(server.sipUri ?? '') && server.sipPort > 0, server.sipUri);
    try {
      const clash = await startDevServer({ port: 0, controlPort: 0, sipPort: server.sipPort });
      await clash.close();
      check('a taken sipPort is refused', false);
    } catch (error) {
      check('a taken sipPort is refused', /SIP UDP port \d+ .*already in use/.test(error.message), error.message);
    }
    await proxy.open();
    const port = server.sipPort;
    const callId = randomBytes(8).toString('hex');
    const fromTag = randomBytes(4).toString('hex');
    const browserContact = 'sip:x1y2@127.0.0.1:50000;transport=ws;alias=127.0.0.1~50000~5';
    const from = { name: '"Через прокси"', uri: `sip:777001@${DOMAIN}`, params: { tag: fromTag } };
    const ruri = `sip:5100@${DOMAIN}`;

    const pc = clientPeer();
    peers.push(pc);
    const echoed = { audio: 0, video: 0 };
    const tracks = [];
    for (const kind of ['audio', 'video']) {
      const track = new MediaStreamTrack({ kind });
      tracks.push(track);
      const t = pc.addTransceiver(track, { direction: 'sendrecv' });
      t.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe(() => echoed[kind]++));
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const inviteBranch = `z9hG4bK${randomBytes(6).toString('hex')}`;
    const invite = {
      method: 'INVITE',
      uri: ruri,
      version: '2.0',
      headers: {
        via: proxy.vias(inviteBranch),
        'record-route': proxy.recordRoute(),
        'max-forwards': '69',
        to: { uri: ruri, params: {} },
        from,
        'call-id': callId,
        cseq: { seq: 1, method: 'INVITE' },
        contact: [{ uri: browserContact, params: {} }],
        'content-type': 'application/sdp',
        'x-vinteo-mic-state': '1',
      },
      content: pc.localDescription.sdp,
    };
    proxy.send(invite, port);
    const isInviteResponse = (status) => (e) => e.message.status === status && e.message.headers.cseq?.method === 'INVITE' && e.message.headers['call-id'] === callId;
    const trying = await proxy.wait(isInviteResponse(100));
    check('UDP INVITE → 100, sent to the top Via (not the source address)', trying?.socket === 'back', trying && { socket: trying.socket });
    const ok = await proxy.wait(isInviteResponse(200), 8000);
    const okMsg = ok?.message;
    check('UDP INVITE → 200 with SDP at the top Via', ok?.socket === 'back' && /^v=0/.test(okMsg?.content ?? ''), ok && { socket: ok.socket, status: okMsg.status });
    check(
      '200 keeps both Vias, copies the Record-Route set in order',
      okMsg?.headers.via?.length === 2 &&
        okMsg.headers['record-route']?.length === 2 &&
        String(sip.stringifyUri(okMsg.headers['record-route'][0].uri)).includes(`127.0.0.1:${proxy.backPort}`) &&
        String(sip.stringifyUri(okMsg.headers['record-route'][1].uri)).includes('transport=ws'),
      okMsg && { via: okMsg.headers.via, rr: okMsg.headers['record-route'] },
    );
    const serverContact = okMsg?.headers.contact?.[0]?.uri;
    check('200 Contact is the UDP listener', String(serverContact) === `sip:5100@127.0.0.1:${port};transport=udp`, serverContact);
    check('Content-Length of the 200 counts bytes', /Content-Length: (\d+)/i.exec(ok?.raw ?? '')?.[1] === String(Buffer.byteLength(okMsg?.content ?? '')));
    const again = await proxy.wait((e) => isInviteResponse(200)(e) && e !== ok, 2500);
    check('an un-ACKed 2xx is retransmitted over UDP', !!again);
    await pc.setRemoteDescription({ type: 'answer', sdp: okMsg.content });
    const toWithTag = okMsg.headers.to;
    let seq = 1;
    const inDialog = (method, extra = {}) => ({
      method,
      uri: String(serverContact),
      version: '2.0',
      headers: {
        via: proxy.vias(),
        'max-forwards': '69',
        to: toWithTag,
        from,
        'call-id': callId,
        cseq: { seq: method === 'ACK' ? 1 : ++seq, method },
        ...(extra.headers ?? {}),
      },
      content: extra.content ?? '',
    });
    proxy.send(inDialog('ACK'), port);
    const stop = startRtp(tracks);
    const room = await proxy.wait((e) => e.message.method === 'INFO' && /roomname/.test(e.message.headers['content-type'] ?? ''), 5000);
    const info = room?.message;
    check('roomname INFO goes to the first Record-Route address', room?.socket === 'back', room && { socket: room.socket });
    check(
      'server INFO: Request-URI = the aliased Contact, Route = the Record-Route set, UDP Via',
      info?.uri === browserContact &&
        info.headers.route?.length === 2 &&
        String(sip.stringifyUri(info.headers.route[0].uri)).includes(`127.0.0.1:${proxy.backPort}`) &&
        info.headers.via?.[0]?.protocol === 'UDP' &&
        info.headers.via[0].port === port &&
        info.headers.to?.params?.tag === fromTag,
      info && { uri: info.uri, route: info.headers.route, via: info.headers.via },
    );
    check('roomname INFO names the conference and the caller', info?.headers['x-webrtc-enter-room'] === '5100' && info.headers['x-webrtc-participant-name'] === 'Через прокси', info?.headers);
    const answerInfo = (entry) => {
      const response = sip.makeResponse(entry.message, 200, 'OK');
      proxy.send(response, port);
    };
    if (room) answerInfo(room);
    const lic = await proxy.wait((e) => e.message.method === 'INFO' && /uselic/.test(e.message.headers['content-type'] ?? ''), 5000);
    check('uselic INFO VIDEO follows', lic?.message.headers['x-webrtc-use-license'] === 'VIDEO', lic?.message.headers);
    if (lic) answerInfo(lic);
    const withMedia = await until(async () => {
      const c = (await api(server, 'GET', '/api/calls')).json.find((x) => x.callId === callId);
      return c && c.media.every((m) => m.packetsReceived > 20) && echoed.audio > 10 && echoed.video > 10 ? c : undefined;
    }, 8000);
    stop();
    check('call through the proxy: confirmed, media received and echoed', withMedia?.state === 'confirmed' && withMedia.flowId.startsWith('udp'), withMedia ? { state: withMedia.state, flowId: withMedia.flowId, echoed } : echoed);
    check('call lists the caller and the X-Vinteo headers', withMedia?.from === '777001' && withMedia.displayName === 'Через прокси' && withMedia.inviteHeaders['x-vinteo-mic-state'] === '1', withMedia);

    // INFO from the browser through the proxy; its retransmission is absorbed and answered again.
    const clientInfo = inDialog('INFO', { headers: { 'content-type': 'application/vinteo.webrtc.mediastate', 'x-vinteo-mic-state': '0' } });
    proxy.send(clientInfo, port);
    const infoOk = await proxy.wait((e) => e.message.status === 200 && e.message.headers.cseq?.method === 'INFO' && e.message.headers.cseq.seq === clientInfo.headers.cseq.seq);
    check('client INFO through the proxy → 200 at the top Via', infoOk?.socket === 'back', infoOk && infoOk.socket);
    proxy.send(clientInfo, port);
    const infoOk2 = await proxy.wait((e) => e !== infoOk && e.message.status === 200 && e.message.headers.cseq?.seq === clientInfo.headers.cseq.seq);
    const afterInfo = (await api(server, 'GET', '/api/calls')).json.find((x) => x.callId === callId);
    check('a retransmitted INFO is answered again but recorded once', !!infoOk2 && afterInfo?.infoReceived.filter((i) => /mediastate/.test(i.contentType)).length === 1, afterInfo?.infoReceived);

    // INFO from the control API goes out through the proxy and reports the answer.
    const sending = api(server, 'POST', `/api/calls/${withMedia?.id}/info`, { contentType: 'application/vinteo.webrtc.notify', headers: { 'X-VINTEO-NOTIFY': '{"cmd":"x"}' } });
    const notify = await proxy.wait((e) => e.message.method === 'INFO' && /notify/.test(e.message.headers['content-type'] ?? ''), 5000);
    if (notify) answerInfo(notify);
    const sent = await sending;
    check('control-API INFO reaches the proxy and reports its 200', notify?.socket === 'back' && sent.json?.status === 200, sent.json);

    // BYE from the browser ends the call.
    const bye = inDialog('BYE');
    proxy.send(bye, port);
    const byeOk = await proxy.wait((e) => e.message.status === 200 && e.message.headers.cseq?.method === 'BYE');
    const ended = (await api(server, 'GET', '/api/calls')).json.find((x) => x.callId === callId);
    check('BYE through the proxy → 200, call ended (bye)', !!byeOk && ended?.state === 'ended' && ended.endReason === 'bye', ended && { state: ended.state, endReason: ended.endReason });
    const stray = proxy.count((e) => e.socket === 'out');
    check('nothing was sent to the source address instead of Via/Route', stray === 0, stray);
  } finally {
    proxy.close?.();
    for (const pc of peers) await pc.close();
    const sipPort = server.sipPort;
    await server.close();
    check('SIP UDP port free after close()', await udpPortIsFree(sipPort), sipPort);
  }
}

function udpPortIsFree(port) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind({ address: '127.0.0.1', port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

function dialogRequests(client, callId) {
  const seen = new Set();
  return (method, timeoutMs = 5000, extra = () => true) =>
    client
      .waitForRequest((m) => m.method === method && m.headers['call-id'] === callId && !seen.has(`${method}${m.headers.cseq.seq}`) && extra(m), timeoutMs)
      .then((m) => {
        seen.add(`${method}${m.headers.cseq.seq}`);
        return m;
      })
      .catch(() => undefined);
}

/** The m-section of an SDP with a given mid. */
function mSection(sdp, mid) {
  return (sdp ?? '').split(/\r?\n(?=m=)/).slice(1).find((s) => new RegExp(`^a=mid:${mid}\\r?$`, 'm').test(s));
}

async function testPresentationAndContent(server, alice) {
  const getCall = async (id) => (await api(server, 'GET', `/api/calls/${id}`)).json;
  const def = await api(server, 'GET', '/api/presentation-policy');
  check('GET /api/presentation-policy: accept by default, declines with 403', def.status === 200 && def.json?.accept === true && def.json.status === 403 && def.json.failNext === 0, def.json);
  const bads = await Promise.all([{ accept: 'no' }, { status: 200 }, { status: 700 }, { failNext: -1 }, { nope: 1 }, [1]].map((b) => api(server, 'POST', '/api/presentation-policy', b)));
  check('POST /api/presentation-policy validates accept, status 400–699, failNext, unknown fields', bads.every((r) => r.status === 400), bads.map((r) => r.status));

  // --- a call with audio + camera
  const pc = clientPeer();
  const audioTrack = new MediaStreamTrack({ kind: 'audio' });
  const videoTrack = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(audioTrack, { direction: 'sendrecv' });
  const videoT = pc.addTransceiver(videoTrack, { direction: 'sendrecv' });
  const echoed = { video: 0 };
  videoT.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => echoed.video++));
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const call = new ClientCall(alice, '3300', 'Presenter');
  const inv = await call.invite(pc.localDescription.sdp);
  call.established(inv.final);
  await pc.setRemoteDescription({ type: 'answer', sdp: inv.final.content });
  call.ack();
  const plisToUs = [];
  videoT.dtlsTransport.onRtcp.subscribe((p) => {
    if (p.type === RtcpPayloadSpecificFeedback.type && p.feedback?.mediaSsrc === videoT.sender.ssrc) plisToUs.push(Date.now());
  });
  const tracks = [audioTrack, videoTrack];
  const stopRtp = startRtp(tracks);
  const next = dialogRequests(alice, call.callId);
  await until(() => pc.connectionState === 'connected' && echoed.video > 5, 5000);
  const id = (await api(server, 'GET', '/api/calls')).json.find((x) => x.callId === call.callId)?.id;
  let c = await getCall(id);
  check(
    'new call: presentation idle, global policy, content idle, media roles main',
    c?.presentation?.state === 'idle' && c.presentationPolicy?.scope === 'global' && c.presentationPolicy.accept === true && c.content?.state === 'idle' && c.media.every((m) => m.role === 'main') && c.serverReinvites === 0,
    c && { presentation: c.presentation, policy: c.presentationPolicy, content: c.content, roles: c.media.map((m) => m.role) },
  );

  // --- permission: LETMESTARTPRESENTATION answered by the policy
  const share = (state) =>
    alice.request(call.inDialog('INFO', { headers: { 'content-type': 'application/vinteo.webrtc.sharedesktop', 'X-WEBRTC-SHARE-STATE': state } })).then((r) => r.final.status);
  const ask = () => share('LETMESTARTPRESENTATION');
  const setPolicy = (body) => api(server, 'POST', `/api/calls/${id}/presentation-policy`, body);
  check('LETMESTARTPRESENTATION accepted (200) by default; presentation requested', (await ask()) === 200 && (await getCall(id))?.presentation?.state === 'requested');
  const deny = await setPolicy({ accept: false });
  check('POST /calls/{id}/presentation-policy { accept: false } → the call\'s own policy', deny.status === 200 && deny.json?.accept === false && deny.json.status === 403 && deny.json.scope === 'call', deny.json);
  check('declined presentation request → 403', (await ask()) === 403);
  await setPolicy({ status: 488 });
  check('declined with the configured status (488)', (await ask()) === 488);
  await setPolicy({ accept: true, status: 403, failNext: 1 });
  const once = [await ask(), await ask()];
  check('failNext 1: the first request declined (403), the next accepted (200)', once[0] === 403 && once[1] === 200, once);
  await api(server, 'POST', '/api/presentation-policy', { accept: false, status: 603 });
  const reset = await setPolicy({ reset: true });
  check('reset: the call follows the global policy again; global { accept: false, status: 603 } applies', reset.json?.scope === 'global' && (await ask()) === 603, reset.json);
  await api(server, 'POST', '/api/presentation-policy', { accept: true, status: 403, failNext: 1 });
  const globalOnce = [await ask(), await ask()];
  check('global failNext 1: declined once (403), then accepted', globalOnce[0] === 403 && globalOnce[1] === 200, globalOnce);
  const badPolicy = await setPolicy({ status: 999 });
  const noCall = await api(server, 'POST', '/api/calls/nope/presentation-policy', { accept: false });
  check('call policy validates (400) and needs a known call (404)', badPolicy.status === 400 && noCall.status === 404, [badPolicy.status, noCall.status]);
  c = await getCall(id);
  const asks = c?.infoReceived?.filter((i) => i.headers['x-webrtc-share-state'] === 'LETMESTARTPRESENTATION').map((i) => i.status);
  check('every sharedesktop INFO recorded in infoReceived with our status', JSON.stringify(asks) === JSON.stringify([200, 403, 488, 403, 200, 603, 403, 200]), asks);

  // --- content from "another participant": INFO + server re-INVITE adding a video m-line
  const ssrcOf = (section) => Number(/^a=ssrc:(\d+) /m.exec(section ?? '')?.[1]);
  const answerReinvite = async (invite, onRemote) => {
    await pc.setRemoteDescription({ type: 'offer', sdp: invite.content });
    onRemote?.();
    await pc.setLocalDescription(await pc.createAnswer());
    alice.respond(invite, 200, { sdp: pc.localDescription.sdp });
    return next('ACK', 3000, (m) => m.headers.cseq.seq === invite.headers.cseq.seq);
  };
  const contentRx = { packets: 0 };
  let contentT;
  const watchContent = (mid) => {
    const t = pc.getTransceivers().find((x) => x.mid === mid);
    if (!t || t === contentT) return;
    contentT = t;
    const counted = new Set();
    const count = (track) => {
      if (counted.has(track)) return;
      counted.add(track);
      track.onReceiveRtp.subscribe(() => contentRx.packets++);
    };
    t.receiver.tracks.forEach(count);
    t.onTrack.subscribe(count);
  };
  const startedAt = Date.now();
  const starting = api(server, 'POST', `/api/calls/${id}/content/start`, { codec: 'VP8' });
  const youCan = await next('INFO', 3000, (m) => /sharedesktop/.test(m.headers['content-type'] ?? ''));
  check('content/start sends INFO sharedesktop YOUCANRECEIVECONTENT with X-WEBRTC-SHARE-CODEC: VP8', youCan?.headers['x-webrtc-share-state'] === 'YOUCANRECEIVECONTENT' && youCan.headers['x-webrtc-share-codec'] === 'VP8', youCan?.headers);
  const reinv = await next('INVITE', 5000);
  const offer = reinv?.content ?? '';
  const mids = [...offer.matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
  const contentMid = mids[2];
  const section = mSection(offer, contentMid);
  const cameraVp8 = /^a=rtpmap:(\d+) VP8\/90000/m.exec(mSection(inv.final.content, mids[1]) ?? '')?.[1];
  check(
    'msid (protocol §8): main audio+video under one stream id, the content under its own with `dual` in its track id',
    /^a=msid:vinteo-main /m.test(mSection(offer, mids[0]) ?? '') && /^a=msid:vinteo-main /m.test(mSection(offer, mids[1]) ?? '') && /^a=msid:vinteo-content \S*dual\S*$/m.test(section ?? ''),
    [0, 1, 2].map((i) => /^a=msid:.*$/m.exec(mSection(offer, mids[i]) ?? '')?.[0]),
  );
  check(
    'server re-INVITE in the dialog (after the INFO): Contact, Content-Type application/sdp, higher CSeq, To/From tags of the dialog',
    !!reinv && reinv.headers.cseq.seq > youCan.headers.cseq.seq && reinv.uri === alice.contact && reinv.headers['content-type'] === 'application/sdp' && !!reinv.headers.contact?.[0] && reinv.headers.to.params.tag === call.from.params.tag && reinv.headers.from.params.tag === call.to.params.tag,
    reinv && { uri: reinv.uri, cseq: reinv.headers.cseq },
  );
  check(
    're-offer: 3 m-lines, the new video m-line sendonly on port 9 in BUNDLE with the camera\'s VP8 payload type',
    mids.length === 3 && /^m=video 9 /.test(section ?? '') && /^a=sendonly/m.test(section ?? '') && new RegExp(`^a=group:BUNDLE .*\\b${contentMid}\\b`, 'm').test(offer) && !!cameraVp8 && new RegExp(`^m=video 9 \\S+ ${cameraVp8}\\r?$`, 'm').test(section ?? ''),
    { mids, section: section?.split('\r\n').slice(0, 3), cameraVp8 },
  );
  const oAnswer = /^o=\S+ (\S+) (\d+)/m.exec(inv.final.content);
  const oOffer = /^o=\S+ (\S+) (\d+)/m.exec(offer);
  check('re-offer keeps our o= session id and raises its version', oOffer && oAnswer && oOffer[1] === oAnswer[1] && Number(oOffer[2]) > Number(oAnswer[2]), { answer: oAnswer?.[0], offer: oOffer?.[0] });
  const ack = reinv && (await answerReinvite(reinv, () => watchContent(contentMid)));
  check('the client\'s 200 is ACKed (CSeq of the re-INVITE, new branch)', !!ack && ack.headers.via[0].params.branch !== reinv.headers.via[0].params.branch, ack?.headers.cseq);
  const started = await starting;
  check(
    'content/start → { status: 200, reinviteStatus: 200, content: active VP8 }',
    started.status === 200 && started.json?.status === 200 && started.json.reinviteStatus === 200 && started.json.content?.state === 'active' && started.json.content.codec === 'VP8' && started.json.content.mid === contentMid,
    started.json,
  );
  const gotContent = await until(() => contentRx.packets > 20, 5000);
  check('the client receives RTP on the new content m-line (the camera forwarded)', gotContent, contentRx);
  c = await getCall(id);
  check(
    'call: content active with packetsSent, media[2] role content (recvonly at the client), serverReinvites 1',
    c?.content?.state === 'active' && c.content.packetsSent > 0 && c.media.length === 3 && c.media[2].role === 'content' && c.media[2].direction === 'recvonly' && c.serverReinvites === 1,
    c && { content: c.content, media: c.media.map((m) => `${m.mid}:${m.role}:${m.direction}`), serverReinvites: c.serverReinvites },
  );
  const sdps = (await api(server, 'GET', `/api/calls/${id}/sdp`)).json;
  check('GET /sdp after a server re-INVITE: localOffer + remoteAnswer', sdps?.localOffer === offer && sdps?.remoteAnswer === pc.localDescription.sdp, sdps && Object.keys(sdps));
  await sleep(250);
  const plisBefore = plisToUs.length;
  const contentSsrc = contentT?.receiver.tracks[0]?.ssrc ?? ssrcOf(section);
  await contentT?.receiver.sendRtcpPLI(contentSsrc);
  check('PLI on the content stream → PLI to the caller\'s camera', await until(() => plisToUs.length > plisBefore, 3000), { plisBefore, now: plisToUs.length, contentSsrc });
  const again = await api(server, 'POST', `/api/calls/${id}/content/start`, {});
  const vp9 = await api(server, 'POST', `/api/calls/${id}/content/start`, { codec: 'VP9' });
  check('content/start while playing → 409; codec VP9 → 400', again.status === 409 && vp9.status === 400, [again.status, vp9.status]);

  // --- content stop: INFO CONTENTEND + re-INVITE with the m-line inactive
  const stopping = api(server, 'POST', `/api/calls/${id}/content/stop`);
  const end = await next('INFO', 3000, (m) => /sharedesktop/.test(m.headers['content-type'] ?? ''));
  check('content/stop sends INFO sharedesktop CONTENTEND', end?.headers['x-webrtc-share-state'] === 'CONTENTEND', end?.headers);
  const reinv2 = await next('INVITE', 5000);
  const section2 = mSection(reinv2?.content, contentMid);
  check('the stop re-INVITE keeps 3 m-lines; the content one a=inactive on port 9 (not rejected)', (reinv2?.content.match(/^m=/gm) ?? []).length === 3 && /^m=video 9 /.test(section2 ?? '') && /^a=inactive/m.test(section2 ?? ''), section2?.split('\r\n').slice(0, 4));
  if (reinv2) await answerReinvite(reinv2);
  const stopped = await stopping;
  check('content/stop → { status: 200, reinviteStatus: 200, content: idle }', stopped.json?.status === 200 && stopped.json.reinviteStatus === 200 && stopped.json.content?.state === 'idle', stopped.json);
  await sleep(200);
  const rxAfterStop = contentRx.packets;
  const echoBefore = echoed.video;
  // Wait for the echo to move on (slow under load), then check the content stream stayed still meanwhile.
  const echoMoved = await until(() => echoed.video > echoBefore + 5, 3000);
  check('no more content RTP; the camera echo keeps flowing', contentRx.packets <= rxAfterStop + 1 && echoMoved, { rxAfterStop, now: contentRx.packets, echoBefore, echo: echoed.video });
  const stopIdle = await api(server, 'POST', `/api/calls/${id}/content/stop`);
  check('content/stop when idle → 409', stopIdle.status === 409, stopIdle.status);

  // --- presentation: the client adds a second sendonly video m-line and sends its "screen"
  check('LETMESTARTPRESENTATION → 200', (await ask()) === 200);
  // werift would recycle the client's inactive content transceiver for the new track; force a new m-line.
  if (contentT) contentT.usedForSender = true;
  const screenTrack = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(screenTrack, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const re = await call.reinvite(pc.localDescription.sdp);
  const reMids = [...(re.final.content ?? '').matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
  const screenMid = reMids[3];
  check(
    'client re-INVITE adding a sendonly video m-line → 200: answered recvonly; our inactive content m-line kept on port 9',
    re.final.status === 200 && reMids.length === 4 && /^a=recvonly/m.test(mSection(re.final.content, screenMid) ?? '') && /^m=video 9 /.test(mSection(re.final.content, contentMid) ?? ''),
    { status: re.final.status, mids: reMids },
  );
  if (re.final.status === 200) await pc.setRemoteDescription({ type: 'answer', sdp: re.final.content });
  call.ack(re.seq);
  tracks.push(screenTrack);
  const presented = await until(async () => {
    const x = await getCall(id);
    return x?.media?.find((m) => m.mid === screenMid)?.packetsReceived > 20 ? x : undefined;
  }, 5000);
  const pm = presented?.media?.find((m) => m.mid === screenMid);
  check(
    'the screen RTP is counted under media[] role presentation (kind video, direction sendonly), not echoed',
    pm?.role === 'presentation' && pm.kind === 'video' && pm.direction === 'sendonly' && pm.bytesReceived > 0 && pm.packetsEchoed === 0 && presented.media[1].role === 'main',
    presented?.media,
  );
  check('presentation state active (startedAt, mid)', presented?.presentation?.state === 'active' && !!presented.presentation.startedAt && presented.presentation.mid === screenMid, presented?.presentation);

  // --- the server orders a stop
  const order = api(server, 'POST', `/api/calls/${id}/presentation/stop`);
  const must = await next('INFO', 3000, (m) => /sharedesktop/.test(m.headers['content-type'] ?? ''));
  const orderRes = await order;
  check('presentation/stop delivers INFO sharedesktop YOUMUSTSTOPSENDCONTENT → { status: 200 }', must?.headers['x-webrtc-share-state'] === 'YOUMUSTSTOPSENDCONTENT' && orderRes.json?.status === 200, { headers: must?.headers, res: orderRes.json });
  const cmd = api(server, 'POST', `/api/calls/${id}/command`, { command: 'stop-presentation' });
  const must2 = await next('INFO', 3000, (m) => /sharedesktop/.test(m.headers['content-type'] ?? ''));
  check('command stop-presentation → the same INFO', must2?.headers['x-webrtc-share-state'] === 'YOUMUSTSTOPSENDCONTENT' && (await cmd).json?.status === 200, must2?.headers);
  tracks.pop();
  check('STOPPRESENTATION → 200; presentation stopped', (await share('STOPPRESENTATION')) === 200 && (await getCall(id))?.presentation?.state === 'stopped');
  check('presentation.packetsReceived counts the screen RTP', presented?.presentation?.packetsReceived > 20, presented?.presentation);
  await setPolicy({ stopStatus: 488 });
  const p2pStart = await share('YOUCANRECEIVECONTENT');
  const refusedStop = await share('STOPPRESENTATION');
  check(
    'YOUCANRECEIVECONTENT from the client (p2p start) → 200, requested; stopStatus 488 refuses STOPPRESENTATION and the presentation is not stopped',
    p2pStart === 200 && refusedStop === 488 && (await getCall(id))?.presentation?.state !== 'stopped',
    { p2pStart, refusedStop },
  );
  await setPolicy({ stopStatus: 200 });
  check('CONTENTEND from the client (p2p stop) → 200; presentation stopped', (await share('CONTENTEND')) === 200 && (await getCall(id))?.presentation?.state === 'stopped');

  // --- glare: the client's re-INVITE crosses ours; the client answers ours 491; the server retries
  const startAgain = api(server, 'POST', `/api/calls/${id}/content/start`, {});
  await next('INFO', 3000, (m) => /sharedesktop/.test(m.headers['content-type'] ?? ''));
  const first = await next('INVITE', 5000);
  const crossing = await call.reinvite(pc.localDescription.sdp);
  check('a client re-INVITE while ours is pending → 491', crossing.final.status === 491, crossing.final.status);
  call.ack(crossing.seq);
  if (first) alice.respond(first, 491, { reason: 'Request Pending' });
  const ack491 = first && (await next('ACK', 3000, (m) => m.headers.cseq.seq === first.headers.cseq.seq));
  check('our re-INVITE answered 491 is ACKed in its transaction (same branch)', ack491?.headers.via[0].params.branch === first?.headers.via[0].params.branch, ack491?.headers.via);
  const t491 = Date.now();
  const second = await next('INVITE', 5000);
  check('the server sends the re-INVITE again after a short delay (new CSeq)', !!second && second.headers.cseq.seq > first.headers.cseq.seq && Date.now() - t491 < 2500, second && { cseq: second.headers.cseq, afterMs: Date.now() - t491 });
  const before = contentRx.packets;
  if (second) await answerReinvite(second);
  const again2 = await startAgain;
  check('content plays again on the same m-line (reused) after the retry', again2.json?.reinviteStatus === 200 && again2.json.content?.state === 'active' && again2.json.content.mid === contentMid && (await until(() => contentRx.packets > before + 10, 4000)), { json: again2.json, before, now: contentRx.packets });
  c = await getCall(id);
  check('serverReinvites counts accepted server re-INVITEs (3)', c?.serverReinvites === 3, c?.serverReinvites);

  const bye = await alice.request(call.inDialog('BYE'));
  stopRtp();
  c = await getCall(id);
  check('BYE ends the call; content/start on it → 409', bye.final.status === 200 && c?.state === 'ended' && (await api(server, 'POST', `/api/calls/${id}/content/start`, {})).status === 409);
  await pc.close();
  console.log(`    (presentation/content section: ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
}

/**
 * Glare on the very first content offer: the client answers it 491 and adds
 * its own (presentation) m-line during the server's back-off; the retried
 * offer must keep the client's m-line and put the content one after it.
 */
async function testContentGlareFirstOffer(server, alice) {
  const pc = clientPeer();
  const videoTrack = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
  pc.addTransceiver(videoTrack, { direction: 'sendrecv' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const call = new ClientCall(alice, '3400');
  const inv = await call.invite(pc.localDescription.sdp);
  call.established(inv.final);
  await pc.setRemoteDescription({ type: 'answer', sdp: inv.final.content });
  call.ack();
  const tracks = [videoTrack];
  const stopRtp = startRtp(tracks);
  await until(() => pc.connectionState === 'connected', 5000);
  const id = (await api(server, 'GET', '/api/calls')).json.find((x) => x.callId === call.callId)?.id;
  const next = dialogRequests(alice, call.callId);
  const starting = api(server, 'POST', `/api/calls/${id}/content/start`, {});
  const first = await next('INVITE', 5000);
  if (first) alice.respond(first, 491, { reason: 'Request Pending' });
  await next('ACK', 3000, (m) => m.headers.cseq.seq === first?.headers.cseq.seq);
  const screen = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(screen, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const re = await call.reinvite(pc.localDescription.sdp);
  if (re.final.status === 200) await pc.setRemoteDescription({ type: 'answer', sdp: re.final.content });
  call.ack(re.seq);
  tracks.push(screen);
  const second = await next('INVITE', 5000);
  const mids = [...(second?.content ?? '').matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
  let rx = 0;
  if (second) {
    await pc.setRemoteDescription({ type: 'offer', sdp: second.content });
    const ct = pc.getTransceivers().find((t) => t.mid === mids[3]);
    ct?.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => rx++));
    ct?.receiver.tracks.forEach((track) => track.onReceiveRtp.subscribe(() => rx++));
    await pc.setLocalDescription(await pc.createAnswer());
    alice.respond(second, 200, { sdp: pc.localDescription.sdp });
  }
  const res = await starting;
  check(
    'first content offer rolled back (491) while the client adds an m-line: the retry offers the client\'s m-line, then the content one (sendonly)',
    re.final.status === 200 && mids.length === 4 && mids[2] === re.final.content.match(/^a=mid:(\S+)/gm)?.[2]?.slice(6) && /^a=sendonly/m.test(mSection(second?.content, mids[3]) ?? '') && res.json?.content?.state === 'active',
    { mids, status: re.final.status, res: res.json },
  );
  const received = await until(() => rx > 10, 4000);
  const c = (await api(server, 'GET', `/api/calls/${id}`)).json;
  check('… the content reaches the client and the screen counts as presentation', received && c?.media?.[2]?.role === 'presentation' && c.media[2].packetsReceived > 0 && c.media[3]?.role === 'content', { rx, media: c?.media?.map((m) => `${m.mid}:${m.role}:${m.packetsReceived}`) });
  await alice.request(call.inDialog('BYE'));
  stopRtp();
  await pc.close();
}

// --------------------------------------------------------- console page

async function testConsole(server) {
  const page = await fetch(`${server.controlUrl}/`);
  const html = await page.text();
  const csp = page.headers.get('content-security-policy') ?? '';
  check('GET / serves the console page (HTML) with CSP default-src \'self\'', page.status === 200 && /^text\/html/.test(page.headers.get('content-type') ?? '') && /^default-src 'self'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp), { status: page.status, csp });
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  check(
    'console page has no inline script or handlers, only <script src="/console.js">',
    scripts.length === 1 && /src="\/console\.js"/.test(scripts[0][1]) && scripts[0][2].trim() === '' && !/\son[a-z]+\s*=/i.test(html),
    scripts.map((m) => m[0].slice(0, 80)),
  );
  check('console page labels are English / Russian', /Waiting room \/ <span lang="ru">Зал ожидания/.test(html) && /Call a registered user/.test(html));
  const js = await fetch(`${server.controlUrl}/console.js`);
  const code = await js.text();
  check(
    'GET /console.js: JavaScript with the same CSP, renders with textContent only',
    js.status === 200 && /javascript/.test(js.headers.get('content-type') ?? '') && js.headers.get('content-security-policy') === csp && /textContent/.test(code) && !/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(code) && /Остановить камеру|\\u041e\\u0441\\u0442/i.test(code) && /Play content/.test(code) && /Order presentation stop/.test(code) && /Deny presentations/.test(code),
    { status: js.status, type: js.headers.get('content-type') },
  );
  const sameOrigin = await fetch(`${server.controlUrl}/api/waiting-room`, { method: 'POST', headers: { origin: server.controlUrl, 'content-type': 'application/json' }, body: '{"enabled":false}' });
  check('same-origin POST from the console origin is allowed', sameOrigin.status === 200 && sameOrigin.headers.get('access-control-allow-origin') === server.controlUrl, sameOrigin.status);
  const post = await fetch(`${server.controlUrl}/`, { method: 'POST' });
  check('POST / → 405', post.status === 405, post.status);
}

async function main() {
  const logLines = [];
  const server = await startDevServer({
    port: 0,
    controlPort: 0,
    users: { 1001: 's3cr3t-1001', 1002: 'pw-1002-zz' },
    log: (line) => {
      logLines.push(line);
      if (verbose) console.log(`    [server] ${line}`);
    },
  });
  console.log(`server: ${server.wsUrl} control ${server.controlUrl}`);
  check('wsUrl has the /webrtc/wss/ path on 127.0.0.1', /^ws:\/\/127\.0\.0\.1:\d+\/webrtc\/wss\/$/.test(server.wsUrl), server.wsUrl);

  // --- rejects a taken port
  try {
    await startDevServer({ port: server.port, controlPort: 0 });
    check('second server on a taken port rejects', false);
  } catch (error) {
    check('second server on a taken port rejects', /already in use/.test(error.message), error.message);
  }
  try {
    await startDevServer({ host: '0.0.0.0', port: 0, controlPort: 0 });
    check('non-loopback host is refused', false);
  } catch (error) {
    check('non-loopback host is refused', /loopback/.test(error.message), error.message);
  }

  const health = await api(server, 'GET', '/api/health');
  check('GET /api/health', health.status === 200 && health.json?.ok === true, health);

  // --- REGISTER
  const alice = new SipClient(server.wsUrl, '1001');
  await alice.open();
  check('websocket subprotocol "sip" echoed', alice.protocol === 'sip', alice.protocol);
  const reg = await alice.register('s3cr3t-1001');
  check('REGISTER challenged with 401 + Digest realm', reg.first.status === 401 && /vinteo\.local/.test(reg.first.headers['www-authenticate']?.[0]?.realm ?? ''), reg.first.status);
  check('REGISTER with the right password → 200', reg.final?.status === 200, reg.final?.status);
  const contactBack = reg.final?.headers.contact?.[0];
  check('200 REGISTER echoes our Contact with expires', contactBack && String(contactBack.uri) === alice.contact && contactBack.params.expires === '300', contactBack);

  const mallory = new SipClient(server.wsUrl, '1001');
  await mallory.open();
  const bad = await mallory.register('wrong');
  check('REGISTER with a wrong password → 403', bad.final?.status === 403, bad.final?.status);
  const ghost = new SipClient(server.wsUrl, '7777');
  await ghost.open();
  const unknown = await ghost.register('x');
  check('REGISTER of an unknown user → 404', unknown.final?.status === 404, unknown.final?.status);
  mallory.close();
  ghost.close();

  const regs = await api(server, 'GET', '/api/registrations');
  check(
    'GET /api/registrations lists 1001',
    regs.status === 200 && regs.json.length === 1 && regs.json[0].user === '1001' && regs.json[0].contact === alice.contact && regs.json[0].expires === 300 && !!regs.json[0].registeredAt,
    regs.json,
  );

  // --- OPTIONS, unknown methods, malformed input
  const opt = await alice.request(alice.baseRequest('OPTIONS', `sip:${DOMAIN}`));
  check('OPTIONS → 200 with Allow', opt.final.status === 200 && /INVITE/.test(opt.final.headers.allow ?? ''), opt.final.status);
  const sub = await alice.request(alice.baseRequest('SUBSCRIBE', `sip:${DOMAIN}`));
  check('SUBSCRIBE → 405', sub.final.status === 405, sub.final.status);
  const foo = await alice.request(alice.baseRequest('FOO', `sip:${DOMAIN}`));
  check('unknown method → 501', foo.final.status === 501, foo.final.status);
  alice.sendRaw('this is not SIP\r\n\r\n');
  alice.sendRaw('INVITE sip:x@y SIP/2.0\r\nVia: garbage\r\n\r\n');
  alice.sendRaw('\r\n\r\n');
  const opt2 = await alice.request(alice.baseRequest('OPTIONS', `sip:${DOMAIN}`));
  check('server survives malformed messages', opt2.final.status === 200, opt2.final.status);

  // --- INVITE a conference with audio + video
  const pc = clientPeer();
  const audioTrack = new MediaStreamTrack({ kind: 'audio' });
  const videoTrack = new MediaStreamTrack({ kind: 'video' });
  const audioT = pc.addTransceiver(audioTrack, { direction: 'sendrecv' });
  const videoT = pc.addTransceiver(videoTrack, { direction: 'sendrecv' });
  const echoed = { audio: 0, video: 0 };
  for (const t of [audioT, videoT]) t.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => echoed[t.kind]++));
  const plisToUs = [];
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const call = new ClientCall(alice, '3000', 'Иван Тестов');
  const inv = await call.invite(pc.localDescription.sdp, { 'x-vinteo-mic-state': '1', 'X-Vinteo-MainCam-State': '1', 'x-other': 'ignored' });
  check('INVITE → 100 Trying', inv.responses.some((r) => r.status === 100), inv.responses.map((r) => r.status));
  check('INVITE → 200 OK with SDP', inv.final.status === 200 && /^v=0/.test(inv.final.content ?? ''), inv.final.status);
  const answer = inv.final.content ?? '';
  check('answer has a 127.0.0.1 host candidate', /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/.test(answer), answer.split('\r\n').filter((l) => l.includes('candidate')));
  check('answer negotiates opus and VP8 (and H264), not VP9', /opus\/48000/i.test(answer) && /VP8\/90000/i.test(answer) && /H264\/90000/i.test(answer) && !/VP9/i.test(answer));
  check('answer video m-line is sendrecv with nack pli', /m=video[\s\S]*a=sendrecv/.test(answer) && /a=rtcp-fb:\d+ nack pli/.test(answer));
  check('200 OK has Contact, Allow, Supported', !!inv.final.headers.contact?.[0] && !!inv.final.headers.allow && !!inv.final.headers.supported);
  check('200 OK has a To tag', !!inv.final.headers.to?.params?.tag);
  call.established(inv.final);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  for (const t of [videoT]) {
    t.dtlsTransport.onRtcp.subscribe((p) => {
      if (p.type === RtcpPayloadSpecificFeedback.type && p.feedback?.mediaSsrc === videoT.sender.ssrc) plisToUs.push(Date.now());
    });
  }
  let calls = (await api(server, 'GET', '/api/calls')).json;
  check('call is "answered" before the ACK', calls?.[0]?.state === 'answered', calls?.[0]?.state);
  call.ack();
  const stopRtp = startRtp([audioTrack, videoTrack]);

  const roomInfo = await alice.waitForRequest((m) => m.method === 'INFO' && /roomname/.test(m.headers['content-type'] ?? ''), 5000).catch(() => undefined);
  check(
    'server sends INFO vinteo.webrtc.roomname with room and participant name (UTF-8)',
    roomInfo && roomInfo.headers['x-webrtc-enter-room'] === '3000' && roomInfo.headers['x-webrtc-participant-name'] === 'Иван Тестов',
    roomInfo?.headers,
  );
  check('roomname INFO: Request-URI is our Contact, tags swapped, own CSeq', roomInfo && roomInfo.uri === alice.contact && roomInfo.headers.to.params.tag === call.from.params.tag && roomInfo.headers.from.params.tag === call.to.params.tag && roomInfo.headers.cseq.seq === 1, roomInfo && { uri: roomInfo.uri, cseq: roomInfo.headers.cseq });
  const licInfo = await alice.waitForRequest((m) => m.method === 'INFO' && /uselic/.test(m.headers['content-type'] ?? ''), 5000).catch(() => undefined);
  check('server sends INFO vinteo.webrtc.uselic VIDEO', licInfo?.headers['x-webrtc-use-license'] === 'VIDEO', licInfo?.headers);
  check('uselic INFO has a higher CSeq', licInfo?.headers.cseq.seq === 2, licInfo?.headers.cseq);

  const connected = await until(() => pc.connectionState === 'connected', 5000);
  const udp = udpSockets();
  check('every UDP socket (ICE) is bound to 127.0.0.1', udp.length > 0 && udp.every((a) => a === '127.0.0.1'), udp);
  check('ICE + DTLS connect', connected, pc.connectionState);
  const gotEcho = await until(() => echoed.audio > 5 && echoed.video > 5, 5000);
  check('audio and video RTP are echoed back', gotEcho, echoed);
  const gotPli = await until(() => plisToUs.length > 0, 3000);
  check('server asks the caller for a keyframe (PLI) once video arrives', gotPli, plisToUs.length);

  calls = (await api(server, 'GET', '/api/calls')).json;
  let c = calls?.[0];
  check('GET /api/calls: confirmed call with caller details', c?.state === 'confirmed' && c.from === '1001' && c.fromUri === `sip:1001@${DOMAIN}` && c.displayName === 'Иван Тестов' && c.conference === '3000', c && { state: c.state, from: c.from, fromUri: c.fromUri, displayName: c.displayName, conference: c.conference });
  check('inviteHeaders has the X-Vinteo-* headers only', c && c.inviteHeaders['x-vinteo-mic-state'] === '1' && c.inviteHeaders['x-vinteo-maincam-state'] === '1' && !('x-other' in c.inviteHeaders), c?.inviteHeaders);
  check('media: audio + video entries with offered direction', c?.media?.length === 2 && c.media[0].kind === 'audio' && c.media[1].kind === 'video' && c.media.every((m) => m.direction === 'sendrecv' && m.mid !== undefined), c?.media);
  check('media counters move', c?.media?.every((m) => m.packetsReceived > 0 && m.bytesReceived > 0), c?.media);
  check('conference call has direction "incoming"', c?.direction === 'incoming', c?.direction);
  const offeredOrder = mLineCodecs(pc.localDescription.sdp);
  check(
    'media[].codecs follow the order of the offer\'s m-lines',
    JSON.stringify(c?.media?.map((m) => m.codecs)) === JSON.stringify(offeredOrder) && c.media[1].codecs.slice(0, 3).join() === 'VP8,H264,VP9',
    { got: c?.media?.map((m) => m.codecs), offered: offeredOrder },
  );
  check('infoSent statuses recorded (200)', c?.infoSent?.length === 2 && c.infoSent.every((i) => i.status === 200), c?.infoSent);

  // PLI forwarding: ask the server (as the receiver of the echo) for a keyframe; it must ask us.
  const before = plisToUs.length;
  await sleep(250);
  const echoedVideoSsrc = videoT.receiver.track?.ssrc ?? Object.values(videoT.receiver.trackBySSRC)[0]?.ssrc;
  await videoT.receiver.sendRtcpPLI(echoedVideoSsrc);
  const forwarded = await until(() => plisToUs.length > before, 3000);
  check('PLI from the echo receiver is forwarded to the caller', forwarded, { before, after: plisToUs.length, echoedVideoSsrc });

  // --- INFO from the client
  const mediaState = call.inDialog('INFO', {
    headers: { 'content-type': 'application/vinteo.webrtc.mediastate', 'X-WEBRTC-MEDIA-STATE': 'currentstate', 'X-VINTEO-MAINCAM-STATE': '0', 'X-VINTEO-MIC-STATE': '1' },
    content: 'тело',
  });
  const infoRes = await alice.request(mediaState);
  check('client INFO → 200', infoRes.final.status === 200, infoRes.final.status);
  const dtmf = await alice.request(call.inDialog('INFO', { headers: { 'content-type': 'application/dtmf-relay' }, content: 'Signal=5\r\nDuration=120\r\n' }));
  check('INFO dtmf-relay → 200', dtmf.final.status === 200);
  c = (await api(server, 'GET', `/api/calls/${c.id}`)).json;
  const rec = c?.infoReceived?.find((i) => i.contentType === 'application/vinteo.webrtc.mediastate');
  check('infoReceived records content type, X- headers and UTF-8 body', rec && rec.headers['x-webrtc-media-state'] === 'currentstate' && rec.headers['x-vinteo-maincam-state'] === '0' && rec.body === 'тело' && !!rec.receivedAt, rec);
  check('dtmfReceived has the INFO digit', c?.dtmfReceived === '5', c?.dtmfReceived);

  // RFC 4733 telephone-event over RTP (sent at the transport level to keep its payload type).
  const tePt = audioT.codecs.find((x) => x.mimeType.toLowerCase() === 'audio/telephone-event')?.payloadType;
  if (tePt !== undefined) {
    for (let i = 0; i < 3; i++) {
      const header = new RtpHeader({ payloadType: tePt, sequenceNumber: 30000 + i, timestamp: 123456, ssrc: audioT.sender.ssrc, marker: i === 0 });
      await audioT.sender.dtlsTransport.sendRtp(Buffer.from([11, i === 2 ? 0x80 : 0, 0, 160 * (i + 1)]), header);
    }
    const gotTe = await until(async () => (await api(server, 'GET', `/api/calls/${c.id}`)).json?.dtmfReceived === '5#', 2000);
    check('RFC 4733 telephone-event "#" recorded once', gotTe);
  } else {
    check('telephone-event negotiated', false);
  }

  // --- INFO from the server through the control API
  const sent = api(server, 'POST', `/api/calls/${c.id}/info`, {
    contentType: 'application/vinteo.webrtc.maincam',
    headers: { 'X-WEBRTC-MAINCAM': 'MAXMAINCAMRESOLUTION', 'X-WEBRTC-MAINCAM-RESOLUTION': '640x360' },
    body: 'Привет',
  });
  const maincam = await alice.waitForRequest((m) => m.method === 'INFO' && /maincam/.test(m.headers['content-type'] ?? ''), 5000).catch(() => undefined);
  const sentRes = await sent;
  check('POST /info delivers the INFO with headers and body', maincam?.headers['x-webrtc-maincam'] === 'MAXMAINCAMRESOLUTION' && maincam?.headers['x-webrtc-maincam-resolution'] === '640x360' && maincam?.content === 'Привет', maincam?.headers);
  check('INFO Content-Length counts UTF-8 bytes', maincam?.headers['content-length'] === Buffer.byteLength('Привет'), maincam?.headers['content-length']);
  check('POST /info answers the client status', sentRes.status === 200 && sentRes.json?.status === 200, sentRes);
  alice.autoAnswerInfo = 0;
  const declined = api(server, 'POST', `/api/calls/${c.id}/info`, { contentType: 'application/vinteo.webrtc.sharedesktop', headers: { 'X-WEBRTC-SHARE-STATE': 'CONTENTEND' } });
  const share = await alice.waitForRequest((m) => m.method === 'INFO' && /sharedesktop/.test(m.headers['content-type'] ?? ''), 5000).catch(() => undefined);
  if (share) alice.reply(share, 488, 'Not Acceptable Here');
  const declinedRes = await declined;
  check('POST /info reports a client error status', declinedRes.json?.status === 488, declinedRes);
  alice.autoAnswerInfo = 200;
  const badName = await api(server, 'POST', `/api/calls/${c.id}/info`, { contentType: 'application/x', headers: { 'Bad Header': 'x' } });
  check('POST /info: invalid header name → 400', badName.status === 400, badName);
  const crlf = await api(server, 'POST', `/api/calls/${c.id}/info`, { contentType: 'application/x', headers: { 'X-A': 'a\r\nVia: evil' } });
  check('POST /info: CR/LF in a value → 400', crlf.status === 400, crlf);
  const noType = await api(server, 'POST', `/api/calls/${c.id}/info`, { headers: {} });
  check('POST /info: missing contentType → 400', noType.status === 400, noType);
  const malformed = await api(server, 'POST', `/api/calls/${c.id}/info`, '{not json');
  check('POST /info: malformed JSON → 400', malformed.status === 400 && typeof malformed.json?.error === 'string', malformed);
  const unknownCall = await api(server, 'POST', '/api/calls/nope/info', { contentType: 'application/x' });
  check('POST /info: unknown call → 404', unknownCall.status === 404, unknownCall);

  if (process.env.SMOKE_DEBUG) console.log('DEBUG echoed before reinvite', echoed, (await api(server, 'GET', '/api/calls/' + c.id)).json.media);
  // --- in-dialog OPTIONS and UPDATE without SDP
  const dOpt = await alice.request(call.inDialog('OPTIONS'));
  check('in-dialog OPTIONS → 200', dOpt.final.status === 200);
  const upd = await alice.request(call.inDialog('UPDATE'));
  check('UPDATE without SDP → 200', upd.final.status === 200, upd.final.status);

  // --- re-INVITE adding a video m-line (recvonly, like a presentation receiver)
  pc.addTransceiver('video', { direction: 'recvonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const re = await call.reinvite(pc.localDescription.sdp);
  check('re-INVITE (added m-line) → 200 with 3 m-lines', re.final.status === 200 && (re.final.content.match(/^m=/gm) ?? []).length === 3, re.final.status);
  check('added recvonly m-line is answered sendonly', /m=video[\s\S]*m=video[\s\S]*a=sendonly/.test(re.final.content ?? ''));
  if (re.final.status === 200) await pc.setRemoteDescription({ type: 'answer', sdp: re.final.content });
  call.ack(re.seq);
  c = (await api(server, 'GET', `/api/calls/${c.id}`)).json;
  check('media lists 3 m-lines with their offered directions', c?.media?.length === 3 && c.media[2].direction === 'recvonly', c?.media?.map((m) => `${m.kind}:${m.mid}:${m.direction}`));
  const sdps = (await api(server, 'GET', `/api/calls/${c.id}/sdp`)).json;
  check('GET /sdp: last offer from the client and our last answer', sdps?.remoteOffer === pc.localDescription.sdp && sdps?.localAnswer === re.final.content && Object.keys(sdps).length === 2, sdps && Object.keys(sdps));

  await sleep(500); if (process.env.SMOKE_DEBUG) console.log('DEBUG echoed after add-mline', echoed, pc.connectionState, (await api(server, 'GET', '/api/calls/' + c.id)).json.media);
  // --- re-INVITE with ICE restart
  const oldUfrag = /a=ice-ufrag:(\S+)/.exec(re.final.content ?? '')?.[1];
  const countBefore = echoed.video;
  await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
  await gathered(pc);
  const restart = await call.reinvite(pc.localDescription.sdp);
  const newUfrag = /a=ice-ufrag:(\S+)/.exec(restart.final.content ?? '')?.[1];
  check('ICE-restart re-INVITE → 200 with new ICE credentials', restart.final.status === 200 && !!newUfrag && newUfrag !== oldUfrag, { oldUfrag, newUfrag });
  if (restart.final.status === 200) await pc.setRemoteDescription({ type: 'answer', sdp: restart.final.content });
  // The werift client has the same ICE-restart bug the server works around (see server/media/ice.ts).
  for (const d of pc.dtlsTransports) if (d.state === 'connected' && !d.iceTransport.connection.nominated) d.iceTransport.start().catch(() => {});
  call.ack(restart.seq);
  const stillEcho = await until(() => echoed.video > countBefore + 20, 5000);
  check('echo continues after the ICE restart', stillEcho, { countBefore, now: echoed.video });

  // --- BYE from the client
  const bye = await alice.request(call.inDialog('BYE'));
  check('BYE → 200', bye.final.status === 200);
  stopRtp();
  c = (await api(server, 'GET', `/api/calls/${c.id}`)).json;
  check('call ended by BYE (state ended, endReason bye)', c?.state === 'ended' && c.endReason === 'bye', c && { state: c.state, endReason: c.endReason });
  await pc.close();

  await testPresentationAndContent(server, alice);
  await testContentGlareFirstOffer(server, alice);
  await testOutgoingCalls(server, alice);

  // --- audio-only call from a guest on another socket, ended by the server (hangup)
  const guest = new SipClient(server.wsUrl, String(100000 + Math.floor(Math.random() * 899999)));
  await guest.open();
  const gpc = clientPeer();
  gpc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
  await gpc.setLocalDescription(await gpc.createOffer());
  await gathered(gpc);
  const gcall = new ClientCall(guest, '3000', 'Guest');
  const ginv = await gcall.invite(gpc.localDescription.sdp, { 'X-Vinteo-Purgatory-Call': 'yes' });
  check('guest INVITE (no REGISTER) → 200', ginv.final.status === 200, ginv.final.status);
  gcall.established(ginv.final);
  gcall.ack();
  const glic = await guest.waitForRequest((m) => m.method === 'INFO' && /uselic/.test(m.headers['content-type'] ?? ''), 5000).catch(() => undefined);
  check('audio-only call gets uselic AUDIO', glic?.headers['x-webrtc-use-license'] === 'AUDIO', glic?.headers);
  const gc = (await api(server, 'GET', '/api/calls')).json.find((x) => x.from === guest.user);
  check('guest call listed with its purgatory header', gc?.inviteHeaders['x-vinteo-purgatory-call'] === 'yes' && gc.state === 'confirmed', gc);
  const hang = await api(server, 'POST', `/api/calls/${gc.id}/hangup`);
  const gbye = await guest.waitForRequest((m) => m.method === 'BYE', 3000).catch(() => undefined);
  check('POST /hangup sends BYE in the dialog', !!gbye && gbye.headers.cseq.method === 'BYE' && gbye.headers['call-id'] === gcall.callId, gbye?.headers.cseq);
  check('POST /hangup answers the BYE status', hang.status === 200 && hang.json?.status === 200, hang);
  const gc2 = (await api(server, 'GET', `/api/calls/${gc.id}`)).json;
  check('hung-up call ended with endReason hangup', gc2?.state === 'ended' && gc2.endReason === 'hangup', gc2 && { state: gc2.state, endReason: gc2.endReason });
  const hang2 = await api(server, 'POST', `/api/calls/${gc.id}/hangup`);
  check('POST /hangup on an ended call → 409', hang2.status === 409, hang2);
  await gpc.close();

  await testWaitingRoom(server, guest);

  // --- CANCEL while ringing (answer delayed through fault injection)
  const setDelay = await api(server, 'POST', '/api/faults', { answerDelayMs: 3000 });
  check('POST /api/faults sets an answer delay', setDelay.status === 200 && setDelay.json?.answerDelayMs === 3000, setDelay);
  const cpc = clientPeer();
  cpc.addTransceiver('audio', { direction: 'sendrecv' });
  await cpc.setLocalDescription(await cpc.createOffer());
  await gathered(cpc);
  const ccall = new ClientCall(guest, '3001');
  const pendingInvite = ccall.invite(cpc.localDescription.sdp);
  const ringing = await until(async () => (await api(server, 'GET', '/api/calls')).json.find((x) => x.conference === '3001' && x.state === 'ringing'), 2000);
  check('delayed call is ringing', !!ringing);
  const cancel = await ccall.cancel();
  const cancelled = await pendingInvite;
  check('CANCEL → 200 and INVITE → 487', cancel.final.status === 200 && cancelled.final.status === 487, { cancel: cancel.final.status, invite: cancelled.final.status });
  const cc = (await api(server, 'GET', `/api/calls/${ringing?.id}`)).json;
  check('cancelled call ended with endReason cancel', cc?.state === 'ended' && cc.endReason === 'cancel', cc && { state: cc.state, endReason: cc.endReason });
  check('the CANCEL is recorded (cancelledAt), no 200 OK after it', !!cc?.cancelledAt && cc.finalStatus === 487 && !cc.answeredAt, cc && { cancelledAt: cc.cancelledAt, finalStatus: cc.finalStatus });
  await api(server, 'POST', '/api/faults', { answerDelayMs: 0 });
  await cpc.close();

  // --- CANCEL ignored (fault injection): the INVITE is answered 200 after the CANCEL, the client ACKs and BYEs it
  const badIgnore = await api(server, 'POST', '/api/faults', { ignoreCancel: 'yes' });
  check('ignoreCancel must be a boolean', badIgnore.status === 400, badIgnore);
  const setIgnore = await api(server, 'POST', '/api/faults', { answerDelayMs: 1000, ignoreCancel: true });
  check('POST /api/faults sets ignoreCancel', setIgnore.status === 200 && setIgnore.json?.ignoreCancel === true, setIgnore.json);
  const lpc = clientPeer();
  lpc.addTransceiver('audio', { direction: 'sendrecv' });
  await lpc.setLocalDescription(await lpc.createOffer());
  await gathered(lpc);
  const lcall = new ClientCall(guest, '3009');
  const pendingLate = lcall.invite(lpc.localDescription.sdp);
  const lringing = await until(async () => (await api(server, 'GET', '/api/calls')).json.find((x) => x.conference === '3009' && x.state === 'ringing'), 2000);
  const lcancel = await lcall.cancel();
  const late = await pendingLate;
  check('ignored CANCEL → 200, and the INVITE is still answered 200 OK', lcancel.final.status === 200 && late.final.status === 200, { cancel: lcancel.final.status, invite: late.final.status });
  lcall.established(late.final);
  lcall.ack();
  const lconfirmed = await until(async () => {
    const c = (await api(server, 'GET', `/api/calls/${lringing?.id}`)).json;
    return c?.state === 'confirmed' ? c : undefined;
  }, 3000);
  check('the late 200 OK is confirmed by the ACK, with cancelledAt set', !!lconfirmed?.cancelledAt, lconfirmed && { state: lconfirmed.state, cancelledAt: lconfirmed.cancelledAt });
  const lbye = await guest.request(lcall.inDialog('BYE'));
  const lended = (await api(server, 'GET', `/api/calls/${lringing?.id}`)).json;
  check('… and ended by the BYE', lbye.final.status === 200 && lended?.state === 'ended' && lended.endReason === 'bye', lended && { state: lended.state, endReason: lended.endReason });
  const resetIgnore = await api(server, 'POST', '/api/faults', { answerDelayMs: 0, ignoreCancel: false });
  check('ignoreCancel switched off again', resetIgnore.json?.ignoreCancel === false, resetIgnore.json);
  await lpc.close();

  // --- reject-next
  const badReject = await api(server, 'POST', '/api/calls/reject-next', { count: 1, status: 200 });
  check('reject-next validates the status (400–699)', badReject.status === 400, badReject);
  const rj = await api(server, 'POST', '/api/calls/reject-next', { count: 1, status: 486 });
  check('POST /api/calls/reject-next', rj.status === 200, rj);
  const rpc = clientPeer();
  rpc.addTransceiver('audio', { direction: 'sendrecv' });
  await rpc.setLocalDescription(await rpc.createOffer());
  await gathered(rpc);
  const rcall = new ClientCall(guest, '3002');
  const rinv = await rcall.invite(rpc.localDescription.sdp);
  check('next INVITE answered 486', rinv.final.status === 486, rinv.final.status);
  rcall.to = rinv.final.headers.to;
  rcall.ack();
  const rc = (await api(server, 'GET', '/api/calls')).json.find((x) => x.conference === '3002');
  check('rejected call ended (rejected, finalStatus 486)', rc?.state === 'ended' && rc.endReason === 'rejected' && rc.finalStatus === 486, rc && { state: rc.state, endReason: rc.endReason, finalStatus: rc.finalStatus });
  const rcall2 = new ClientCall(guest, '3002');
  const rinv2 = await rcall2.invite(rpc.localDescription.sdp);
  check('the INVITE after that is answered 200', rinv2.final.status === 200, rinv2.final.status);
  rcall2.established(rinv2.final);
  rcall2.ack();
  await rpc.close();

  // --- connections/drop ends calls on every socket and removes registrations
  const drop = await api(server, 'POST', '/api/connections/drop');
  check('POST /api/connections/drop', drop.status === 200 && drop.json?.dropped >= 2, drop);
  await until(() => guest.closed && alice.closed, 2000);
  check('client sockets closed', guest.closed && alice.closed);
  const afterDrop = (await api(server, 'GET', '/api/calls')).json.find((x) => x.conference === '3002' && x.finalStatus === 200);
  check('call on a dropped socket ended with connection-dropped', afterDrop?.state === 'ended' && afterDrop.endReason === 'connection-dropped', afterDrop && { state: afterDrop.state, endReason: afterDrop.endReason });
  const regsAfter = (await api(server, 'GET', '/api/registrations')).json;
  check('registrations removed with their socket', Array.isArray(regsAfter) && regsAfter.length === 0, regsAfter);

  // --- un-REGISTER
  const bob = new SipClient(server.wsUrl, '1002');
  await bob.open();
  const breg = await bob.register('pw-1002-zz', 120);
  const listed = (await api(server, 'GET', '/api/registrations')).json;
  check('REGISTER with Expires 120 is honoured', breg.final?.status === 200 && listed?.[0]?.expires === 120, listed);
  const unreg = await bob.register('pw-1002-zz', 0);
  const listed2 = (await api(server, 'GET', '/api/registrations')).json;
  check('un-REGISTER (Expires 0) removes it', unreg.final?.status === 200 && listed2.length === 0, listed2);
  bob.close();

  // --- CORS and HTTP errors
  const pre = await fetch(`${server.controlUrl}/api/calls/reject-next`, { method: 'OPTIONS', headers: { origin: 'http://localhost:8000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  check(
    'CORS preflight from a localhost origin',
    pre.status === 204 && pre.headers.get('access-control-allow-origin') === 'http://localhost:8000' && /POST/.test(pre.headers.get('access-control-allow-methods') ?? '') && /content-type/i.test(pre.headers.get('access-control-allow-headers') ?? ''),
  );
  const v6 = await fetch(`${server.controlUrl}/api/health`, { headers: { origin: 'http://[::1]:9000' } });
  check('CORS for [::1] origin', v6.headers.get('access-control-allow-origin') === 'http://[::1]:9000');
  const evil = await fetch(`${server.controlUrl}/api/health`, { headers: { origin: 'http://evil.example' } });
  check('foreign origin refused without ACAO', evil.status === 403 && evil.headers.get('access-control-allow-origin') === null, evil.status);
  const big = await api(server, 'POST', '/api/calls/reject-next', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
  check('body over 64 KiB → 413', big.status === 413, big.status);
  const nf = await api(server, 'GET', '/api/nothing');
  check('unknown route → 404 JSON', nf.status === 404 && typeof nf.json?.error === 'string');

  await testConsole(server);
  await testServerOptions();
  await testProxyListener();

  check('server log never contains passwords or Authorization', !logLines.some((l) => /s3cr3t|pw-1002|authorization:/i.test(l)), logLines.filter((l) => /s3cr3t|pw-1002|authorization:/i.test(l)));

  // --- close frees both ports
  const { port, controlPort } = server;
  await server.close();
  check('SIP port free after close()', await portIsFree(port), port);
  check('control port free after close()', await portIsFree(controlPort), controlPort);
  const again = await startDevServer({ port, controlPort });
  check('server restarts on the same ports', again.port === port && again.controlPort === controlPort);
  await again.close();
  const leftUdp = await until(() => udpSockets().length === 0, 2000);
  check('no UDP sockets left after close() (peer connections closed)', leftUdp, udpSockets());
}

const started = Date.now();
try {
  await main();
} catch (error) {
  results.failed++;
  console.log(`  FAIL unexpected error: ${error.stack ?? error}`);
}
clearTimeout(overall);
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
summary();
process.exit(results.failed === 0 ? 0 : 1);
