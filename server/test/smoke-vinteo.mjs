#!/usr/bin/env node
// End-to-end smoke test of what makes vinteo-dev-server behave like a real Vinteo server
// (protocol §1–§4, §11, §14): the TLS listener (HTTPS + wss), the WebSocket path, discovery
// (/api/v1/address), the STUN responder, OPTIONS to any AOR, the log of received messages,
// notifies outside and inside a call, the client's roomname INFO, main-video faults and
// X-Vinteo-Remote. Raw SIP over `ws` plus werift peers play the browser.
// Run after the build: node server/test/smoke-vinteo.mjs (SMOKE_VERBOSE=1 prints the server log).
import dgram from 'node:dgram';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { MediaStreamTrack, RtpHeader, RtpPacket } from 'werift';
import { api, check, ClientCall, clientPeer, DOMAIN, gathered, results, SipClient, summary, until } from './smoke-lib.mjs';

let startDevServer;
try {
  ({ startDevServer } = await import('../../dist/server/index.js'));
} catch (error) {
  console.error(`cannot import dist/server/index.js; build first (npm run build:server): ${error.message}`);
  process.exit(1);
}

const OVERALL_TIMEOUT_MS = 60_000;
const verbose = !!process.env.SMOKE_VERBOSE;
const overall = setTimeout(() => {
  console.error(`smoke test timed out after ${OVERALL_TIMEOUT_MS} ms`);
  summary();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

// ------------------------------------------------------------------ helpers

/** Opens a WebSocket and settles with 'open' (then closes it) or the HTTP status of the refusal. */
function wsOutcome(url, options = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'sip', options);
    ws.on('open', () => {
      resolve({ outcome: 'open', protocol: ws.protocol });
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ outcome: res.statusCode });
      res.resume();
      ws.terminate();
    });
    ws.on('error', (error) => resolve({ outcome: `error: ${error.message}` }));
  });
}

/** A plain HTTP(S) request: { status, headers, text, json }. */
function httpGet(url, { method = 'GET', headers = {}, ca } = {}) {
  return new Promise((resolve, reject) => {
    const module = url.startsWith('https:') ? https : http;
    const req = module.request(url, { method, headers, ...(ca ? { ca } : {}) }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** An offer with audio + video from a werift peer; `count` counts echoed RTP, `payloads` keeps the video ones. */
async function mediaPeer() {
  const pc = clientPeer();
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const video = new MediaStreamTrack({ kind: 'video' });
  const audioT = pc.addTransceiver(audio, { direction: 'sendrecv' });
  const videoT = pc.addTransceiver(video, { direction: 'sendrecv' });
  const count = { audio: 0, video: 0 };
  const payloads = [];
  audioT.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => count.audio++));
  videoT.onTrack.subscribe((t) =>
    t.onReceiveRtp.subscribe((rtp) => {
      count.video++;
      payloads.push(Buffer.from(rtp.payload));
      if (payloads.length > 200) payloads.shift();
    }),
  );
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return { pc, audio, video, audioT, videoT, count, payloads };
}

/**
 * Sends RTP every 20 ms: opus-sized audio, and VP8 packets that a garbling server must change:
 * delta frames `10 01 AA AA …`, every 10th a key frame `10 00 BB BB …` (payload descriptor S=1, PID 0).
 */
function startVp8Rtp(media) {
  let seq = 100;
  let ts = 0;
  let n = 0;
  const timer = setInterval(() => {
    seq = (seq + 1) & 0xffff;
    ts = (ts + 960) >>> 0;
    n++;
    const vp8 = media.videoT.codecs.find((c) => c.mimeType.toLowerCase() === 'video/vp8')?.payloadType ?? 96;
    const opus = media.audioT.codecs.find((c) => c.mimeType.toLowerCase() === 'audio/opus')?.payloadType ?? 96;
    const key = n % 10 === 0;
    const body = Buffer.alloc(300, key ? 0xbb : 0xaa);
    body[0] = 0x10;
    body[1] = key ? 0x00 : 0x01;
    media.video.writeRtp(new RtpPacket(new RtpHeader({ payloadType: vp8, sequenceNumber: seq, timestamp: ts, marker: true, ssrc: 1 }), body));
    media.audio.writeRtp(new RtpPacket(new RtpHeader({ payloadType: opus, sequenceNumber: seq, timestamp: ts, marker: true, ssrc: 2 }), randomBytes(80)));
  }, 20);
  return () => clearInterval(timer);
}

/** Calls a conference from `client` and confirms the call (200 + ACK); returns the dialog, the media and the call object. */
async function confirmedCall(server, client, conference, headers = {}) {
  const media = await mediaPeer();
  const call = new ClientCall(client, conference);
  const inv = await call.invite(media.pc.localDescription.sdp, headers);
  if (inv.final.status !== 200) return { call, media, status: inv.final.status };
  call.established(inv.final);
  await media.pc.setRemoteDescription({ type: 'answer', sdp: inv.final.content });
  call.ack();
  const info = await until(async () => (await api(server, 'GET', '/api/calls')).json.find((c) => c.callId === call.callId && c.state === 'confirmed'), 3000);
  return { call, media, info, status: 200, invite: inv.final };
}

/** The server's view of a call's main video m-line. */
async function mainVideo(server, id) {
  const c = (await api(server, 'GET', `/api/calls/${id}`)).json;
  return { call: c, video: c?.media?.find((m) => m.kind === 'video' && m.role === 'main') };
}

/** Waits until the server has received `n` more main-video packets than now (event-driven, no fixed sleep). */
async function serverReceivesMore(server, id, n) {
  const start = (await mainVideo(server, id)).video?.packetsReceived ?? 0;
  return until(async () => ((await mainVideo(server, id)).video?.packetsReceived ?? 0) >= start + n, 5000);
}

/** A plain re-INVITE with the peer's current (unchanged) session, as a stream-health recovery sends. */
async function plainReinvite(call, media) {
  await media.pc.setLocalDescription(await media.pc.createOffer());
  await gathered(media.pc);
  const re = await call.reinvite(media.pc.localDescription.sdp);
  if (re.final.status === 200) await media.pc.setRemoteDescription({ type: 'answer', sdp: re.final.content });
  call.ack(re.seq);
  return re.final.status;
}

// --------------------------------------------------------------- the tests

async function testProperties(server) {
  check('server.tlsPort, tlsHost and wssUrl name 127.0.0.1', Number.isInteger(server.tlsPort) && server.tlsPort > 0 && server.tlsHost === `127.0.0.1:${server.tlsPort}` && server.wssUrl === `wss://127.0.0.1:${server.tlsPort}/webrtc/wss/`, {
    tlsPort: server.tlsPort,
    tlsHost: server.tlsHost,
    wssUrl: server.wssUrl,
  });
  check('server.stunPort and stunUrl', Number.isInteger(server.stunPort) && server.stunUrl === `stun:127.0.0.1:${server.stunPort}`, server.stunUrl);
  check(
    'server.tlsCertificate: PEM, SPKI hash, fingerprint',
    /^-----BEGIN CERTIFICATE-----/.test(server.tlsCertificate?.cert ?? '') && /^[A-Za-z0-9+/]{43}=$/.test(server.tlsCertificate?.spkiSha256 ?? '') && /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(server.tlsCertificate?.fingerprint256 ?? ''),
    server.tlsCertificate && { spki: server.tlsCertificate.spkiSha256 },
  );
}

async function testTls(server) {
  const ca = server.tlsCertificate.cert;
  for (const servername of ['localhost', undefined]) {
    const handshake = await new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: server.tlsPort, ca, ...(servername ? { servername } : {}) }, () => {
        resolve({ authorized: socket.authorized, protocol: socket.getProtocol() });
        socket.end();
      });
      socket.on('error', (error) => resolve({ error: error.message }));
    });
    check(`TLS handshake verifies the self-signed certificate for ${servername ?? '127.0.0.1'}`, handshake.authorized === true, handshake);
  }
  const untrusted = await wsOutcome(server.wssUrl);
  check('wss without the certificate as CA is refused by the client (self-signed)', /self-signed|self signed/i.test(String(untrusted.outcome)), untrusted);

  const address = await httpGet(`https://${server.tlsHost}/api/v1/address`, { ca, headers: { origin: 'https://app.example' } });
  check(
    'GET https://{tlsHost}/api/v1/address: defaults with CORS *',
    address.status === 200 &&
      address.headers['access-control-allow-origin'] === '*' &&
      address.json?.ip === DOMAIN &&
      address.json?.remoteAddress === '127.0.0.1' &&
      address.json?.unified === true &&
      JSON.stringify(address.json?.iceServers) === JSON.stringify([{ urls: server.stunUrl }]),
    address,
  );
  const tlsWrongPath = await wsOutcome(`wss://${server.tlsHost}/sip`, { ca });
  check('wss upgrade on another path → 404', tlsWrongPath.outcome === 404, tlsWrongPath);

  // REGISTER and a call over wss, with X-Vinteo-Remote on both.
  const bob = new SipClient(server.wssUrl, '1002', { ca });
  await bob.open();
  check('wss: subprotocol sip', bob.protocol === 'sip', bob.protocol);
  const reg = await bob.register('pw-1002-def', 300, { 'X-Vinteo-Remote': '198.51.100.20' });
  check('wss: REGISTER 401 then 200', reg.first.status === 401 && reg.final?.status === 200, { first: reg.first.status, final: reg.final?.status });
  const regs = (await api(server, 'GET', '/api/registrations')).json;
  const bobReg = regs.find((r) => r.user === '1002');
  check('wss registration: flowId wss…, remote from X-Vinteo-Remote', /^wss\d+$/.test(bobReg?.flowId ?? '') && bobReg?.remote === '198.51.100.20', bobReg);

  const { call, media, info, status } = await confirmedCall(server, bob, '3500', { 'X-Vinteo-Remote': '198.51.100.20', 'X-Vinteo-Mic-State': '1' });
  check('wss: INVITE → 200, ACK → confirmed', status === 200 && info?.state === 'confirmed', status);
  check('call object: remote from the INVITE\'s X-Vinteo-Remote, flowId wss…', info?.remote === '198.51.100.20' && /^wss\d+$/.test(info?.flowId ?? ''), info && { remote: info.remote, flowId: info.flowId });
  const room = await bob.waitForRequest((m) => m.method === 'INFO' && m.headers['call-id'] === call.callId && /roomname/.test(m.headers['content-type'] ?? ''), 3000).catch(() => undefined);
  check('wss: server INFO arrives with Via SIP/2.0/WSS', room?.headers.via?.[0]?.protocol === 'WSS', room?.headers.via?.[0]);
  const stop = startVp8Rtp(media);
  const echoed = await until(() => media.count.audio > 5 && media.count.video > 5, 6000);
  check('wss: media echoed', echoed, media.count);

  // A registered user in a confirmed call: notify `auto` goes into the call as an INFO.
  const pending = api(server, 'POST', '/api/registrations/1002/notify', { notify: { cmd: 'accountChanged' } });
  const notifyInfo = await bob.waitForRequest((m) => m.method === 'INFO' && /vinteo\.webrtc\.notify/.test(m.headers['content-type'] ?? ''), 3000).catch(() => undefined);
  const res = await pending;
  check(
    'notify auto during a call: INFO application/vinteo.webrtc.notify with x-vinteo-notify in the call → { status: 200, via: info }',
    notifyInfo?.headers['call-id'] === call.callId && notifyInfo?.headers['x-vinteo-notify'] === '{"cmd":"accountChanged"}' && res.status === 200 && res.json?.status === 200 && res.json?.via === 'info',
    { res: res.json, headers: notifyInfo?.headers },
  );
  // via: notify forces the NOTIFY outside the dialog even during the call.
  const forced = api(server, 'POST', '/api/registrations/1002/notify', { notify: { cmd: 'accountDeleted' }, via: 'notify' });
  const outside = await bob.waitForRequest((m) => m.method === 'NOTIFY', 3000).catch(() => undefined);
  if (outside) bob.reply(outside, 200);
  const forcedRes = await forced;
  check(
    'notify via notify during a call: a NOTIFY outside the dialog (new Call-ID, no To tag), over wss',
    outside && outside.headers['call-id'] !== call.callId && !outside.headers.to?.params?.tag && outside.headers.via?.[0]?.protocol === 'WSS' && forcedRes.json?.via === 'notify' && forcedRes.json?.status === 200,
    { res: forcedRes.json, to: outside?.headers.to },
  );
  stop();
  await bob.request(call.inDialog('BYE'));
  await media.pc.close();
  bob.close();
}

async function testWebSocketPath(server) {
  const base = `ws://127.0.0.1:${server.port}`;
  for (const path of ['/', '/sip', '/webrtc', '/webrtc/wss/extra', '/WEBRTC/WSS/']) {
    const r = await wsOutcome(`${base}${path}`);
    check(`WebSocket upgrade on ${path} → HTTP 404, no WebSocket`, r.outcome === 404, r);
  }
  for (const path of ['/webrtc/wss/', '/webrtc/wss', '/webrtc/wss/?token=abc']) {
    const r = await wsOutcome(`${base}${path}`);
    check(`WebSocket upgrade on ${path} opens (subprotocol sip)`, r.outcome === 'open' && r.protocol === 'sip', r);
  }
  const plain = await httpGet(`${base.replace('ws:', 'http:')}/webrtc/wss/`);
  check('plain GET /webrtc/wss/ → 426 Upgrade Required', plain.status === 426, plain.status);
  const other = await httpGet(`${base.replace('ws:', 'http:')}/nothing`);
  check('plain GET of another path → 404', other.status === 404, other.status);
}

async function testDiscovery(server) {
  const url = `http://127.0.0.1:${server.port}/api/v1/address`;
  const get = (headers) => httpGet(url, { headers });
  const d = await get({ origin: 'https://widgets.example' });
  check(
    'GET /api/v1/address on the ws port: { ip: sipDomain, remoteAddress: 127.0.0.1, iceServers: [stun], unified: true }, CORS *',
    d.status === 200 &&
      /^application\/json/.test(d.headers['content-type'] ?? '') &&
      d.headers['access-control-allow-origin'] === '*' &&
      JSON.stringify(d.json) === JSON.stringify({ ip: DOMAIN, remoteAddress: '127.0.0.1', iceServers: [{ urls: server.stunUrl }], unified: true }),
    d,
  );
  const query = await get({});
  const withQuery = await httpGet(`${url}?t=1`);
  check('a query string is ignored', withQuery.status === 200 && withQuery.json?.ip === query.json?.ip, withQuery.status);
  const pre = await httpGet(url, { method: 'OPTIONS', headers: { origin: 'https://widgets.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-custom' } });
  check(
    'OPTIONS preflight → 204 with Allow-Origin *, GET allowed, asked headers allowed',
    pre.status === 204 && pre.headers['access-control-allow-origin'] === '*' && /GET/.test(pre.headers['access-control-allow-methods'] ?? '') && pre.headers['access-control-allow-headers'] === 'x-custom',
    { status: pre.status, headers: pre.headers },
  );
  const post = await httpGet(url, { method: 'POST' });
  check('POST /api/v1/address → 405', post.status === 405, post.status);

  const shown = await api(server, 'GET', '/api/address');
  check(
    'GET /api/address: no overrides, status 200, the answer a local client gets, requests counted',
    shown.status === 200 && JSON.stringify(shown.json?.overrides) === '{}' && shown.json?.status === 200 && shown.json?.rawBody === null && shown.json?.answer?.ip === DOMAIN && shown.json?.requests >= 2,
    shown.json,
  );

  const set = await api(server, 'POST', '/api/address', { remoteAddress: '203.0.113.7', iceServers: null, unified: false, ip: 'conf.example' });
  const over = await get({});
  check(
    'POST /api/address overrides fields; null removes iceServers',
    set.status === 200 && JSON.stringify(over.json) === JSON.stringify({ ip: 'conf.example', remoteAddress: '203.0.113.7', unified: false }) && set.json?.overrides?.iceServers === null,
    { set: set.json, got: over.json },
  );
  await api(server, 'POST', '/api/address', { ip: null, iceServers: [{ urls: 'not a url' }] });
  const removed = await get({});
  check('null ip removes ip; iceServers served as given', removed.json && !('ip' in removed.json) && removed.json.iceServers?.[0]?.urls === 'not a url', removed.json);
  await api(server, 'POST', '/api/address', { status: 503 });
  const failing = await get({});
  check('status: 503 → the answer comes with HTTP 503 (JSON still served)', failing.status === 503 && failing.json?.remoteAddress === '203.0.113.7' && failing.headers['access-control-allow-origin'] === '*', failing.status);
  await api(server, 'POST', '/api/address', { status: null, rawBody: '{"ip": broken' });
  const raw = await get({});
  check('rawBody is served verbatim (text/plain), status back to 200', raw.status === 200 && raw.text === '{"ip": broken' && /^text\/plain/.test(raw.headers['content-type'] ?? ''), raw);
  const bad = await api(server, 'POST', '/api/address', { unified: 'yes' });
  const badStatus = await api(server, 'POST', '/api/address', { status: 42 });
  const unknown = await api(server, 'POST', '/api/address', { foo: 1 });
  check('POST /api/address validates (unified type, status range, unknown fields) → 400', bad.status === 400 && badStatus.status === 400 && unknown.status === 400, [bad.status, badStatus.status, unknown.status]);
  const reset = await api(server, 'POST', '/api/address', { reset: true });
  const back = await get({});
  check('reset: true restores the defaults', reset.json?.rawBody === null && reset.json?.status === 200 && JSON.stringify(back.json) === JSON.stringify(d.json), back.json);

  const other = await startDevServer({ port: 0, controlPort: 0, sipDomain: 'media.example', address: { unified: null, remoteAddress: '192.0.2.1' } });
  try {
    const r = await httpGet(`http://127.0.0.1:${other.port}/api/v1/address`);
    check('address option: overrides at start; no STUN → no iceServers', JSON.stringify(r.json) === JSON.stringify({ ip: 'media.example', remoteAddress: '192.0.2.1' }), r.json);
  } finally {
    await other.close();
  }
  try {
    await startDevServer({ port: 0, controlPort: 0, address: { unified: 'yes' } });
    check('an invalid address option rejects', false);
  } catch (error) {
    check('an invalid address option rejects', /address: unified/.test(error.message), error.message);
  }
}

async function testStun(server) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  const local = socket.address();
  const transaction = randomBytes(12);
  const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), transaction]);
  const response = new Promise((resolve) => socket.once('message', resolve));
  socket.send(Buffer.from('not stun at all'), server.stunPort, '127.0.0.1');
  socket.send(request, server.stunPort, '127.0.0.1');
  const data = await Promise.race([response, new Promise((r) => setTimeout(() => r(undefined), 3000))]);
  socket.close();
  // Decode by hand (RFC 5389 §6, §15.2): type, length, cookie, transaction id, then TLV attributes.
  let mapped;
  let software;
  if (data) {
    for (let pos = 20; pos + 4 <= data.length; ) {
      const type = data.readUInt16BE(pos);
      const length = data.readUInt16BE(pos + 2);
      const value = data.subarray(pos + 4, pos + 4 + length);
      if (type === 0x0020 && value[1] === 0x01) {
        const port = value.readUInt16BE(2) ^ 0x2112;
        const ip = [...value.subarray(4, 8)].map((b, i) => b ^ [0x21, 0x12, 0xa4, 0x42][i]).join('.');
        mapped = { ip, port };
      }
      if (type === 0x8022) software = value.toString('utf8');
      pos += 4 + length + ((4 - (length % 4)) % 4);
    }
  }
  check(
    'STUN Binding request → Binding success response in the same transaction',
    data && data.readUInt16BE(0) === 0x0101 && data.readUInt32BE(4) === 0x2112a442 && data.subarray(8, 20).equals(transaction) && data.readUInt16BE(2) === data.length - 20,
    data && data.subarray(0, 20).toString('hex'),
  );
  check('XOR-MAPPED-ADDRESS decodes to the sender\'s 127.0.0.1:port; SOFTWARE names the server', mapped?.ip === '127.0.0.1' && mapped?.port === local.port && software === 'vinteo-dev-server', { mapped, local, software });
  const stats = (await api(server, 'GET', '/api/stun')).json;
  check('GET /api/stun counts the request (and the ignored junk)', stats?.running === true && stats.requests >= 1 && stats.ignored >= 1 && stats.lastFrom === `127.0.0.1:${local.port}` && stats.url === server.stunUrl, stats);
}

async function testOptionsAndMessages(server) {
  const guestId = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const guest = new SipClient(server.wsUrl, guestId);
  await guest.open();
  const since = (await api(server, 'GET', '/api/messages')).json.at(-1)?.seq ?? 0;
  const ping = (user, extraHeaders = {}) => {
    const aor = `sip:${user}@${DOMAIN}`;
    return guest.request(guest.baseRequest('OPTIONS', aor, { to: { uri: aor, params: {} }, headers: { 'content-type': 'application/sdp', 'user-agent': 'ChromeNew - Chrome 138, smoke 1', ...extraHeaders } }));
  };
  const g = await ping(guestId);
  check('OPTIONS to an unregistered guest AOR (random id) → 200', g.final.status === 200, g.final.status);
  const r = await ping('1001');
  check('OPTIONS to a registered user AOR → 200', r.final.status === 200, r.final.status);
  const log = (await api(server, 'GET', `/api/messages?method=options&since=${since}`)).json;
  const entry = log?.find((m) => m.requestUri === `sip:${guestId}@${DOMAIN}`);
  check(
    'GET /api/messages?method=OPTIONS&since=…: the ping with its Request-URI, Content-Type, User-Agent and no body',
    entry?.kind === 'request' && entry.method === 'OPTIONS' && entry.seq > since && entry.headers['content-type']?.[0] === 'application/sdp' && entry.headers['user-agent']?.[0] === 'ChromeNew - Chrome 138, smoke 1' && entry.bodyBytes === 0 && entry.headers['content-length']?.[0] === '0' && entry.flowId.startsWith('ws'),
    entry,
  );
  check('the log is filtered by method and since (an array, oldest first)', Array.isArray(log) && log.length === 2 && log.every((m) => m.method === 'OPTIONS' && m.seq > since) && log[0].seq < log[1].seq, log?.map((m) => [m.seq, m.method]));

  const setStatus = await api(server, 'POST', '/api/faults', { optionsStatus: 503 });
  const failing = await ping(guestId);
  check('faults optionsStatus: 503 → OPTIONS answered 503', setStatus.json?.optionsStatus === 503 && failing.final.status === 503, failing.final.status);
  const badStatus = await api(server, 'POST', '/api/faults', { optionsStatus: 99 });
  check('optionsStatus is checked (200–699 or null)', badStatus.status === 400, badStatus.status);
  await api(server, 'POST', '/api/faults', { optionsStatus: null });
  const again = await ping(guestId);
  check('optionsStatus: null → 200 again', again.final.status === 200, again.final.status);

  // REGISTER with X-Vinteo-Remote: logged, with the Authorization redacted to scheme + username.
  const alice = new SipClient(server.wsUrl, '1001');
  await alice.open();
  const before = (await api(server, 'GET', '/api/messages')).json.at(-1)?.seq ?? 0;
  const reg = await alice.register('pw-1001-abc', 300, { 'X-Vinteo-Remote': '203.0.113.9', 'User-Agent': 'ChromeNew - Chrome 138, smoke 1' });
  const registers = (await api(server, 'GET', `/api/messages?method=REGISTER&since=${before}`)).json;
  const signed = registers.find((m) => m.headers.authorization);
  check(
    'REGISTER logged with X-Vinteo-Remote and User-Agent; Authorization reduced to scheme + username',
    reg.final?.status === 200 &&
      registers.length === 2 &&
      signed?.headers['x-vinteo-remote']?.[0] === '203.0.113.9' &&
      signed.headers['user-agent']?.[0] === 'ChromeNew - Chrome 138, smoke 1' &&
      JSON.stringify(signed.headers.authorization) === JSON.stringify(['Digest username="1001"']),
    signed?.headers,
  );
  const everything = JSON.stringify((await api(server, 'GET', '/api/messages')).json);
  check('no digest response, nonce or password anywhere in the message log', !/response=|nonce=|cnonce|pw-1001-abc/i.test(everything));
  const reg1001 = (await api(server, 'GET', '/api/registrations')).json.find((x) => x.user === '1001');
  check('registration shows remote (X-Vinteo-Remote)', reg1001?.remote === '203.0.113.9', reg1001);
  return { guest, guestId, alice };
}

async function testNotify(server, alice) {
  const notify = (user, body) => api(server, 'POST', `/api/registrations/${encodeURIComponent(user)}/notify`, body);
  const seen = new Set();
  const nextNotify = () =>
    alice.waitForRequest((m) => m.method === 'NOTIFY' && !seen.has(m.headers['call-id']), 3000).then(
      (m) => {
        seen.add(m.headers['call-id']);
        return m;
      },
      () => undefined,
    );

  const since = (await api(server, 'GET', '/api/messages')).json.at(-1)?.seq ?? 0;
  const pending = notify('1001', { notify: { cmd: 'ConferenceParticipantTokenIssued', body: { conference: '3000', participant: 'Иван', jwt: 'a.b.c' } } });
  const n = await nextNotify();
  if (n) alice.reply(n, 200);
  const res = await pending;
  const h = n?.headers ?? {};
  check('out-of-dialog NOTIFY reaches the registered client\'s WebSocket', !!n);
  check('NOTIFY Request-URI = the AOR sip:1001@domain; To without a tag; From the server with a tag', n?.uri === `sip:1001@${DOMAIN}` && h.to?.uri === `sip:1001@${DOMAIN}` && !h.to?.params?.tag && !!h.from?.params?.tag, { uri: n?.uri, to: h.to, from: h.from });
  check(
    'NOTIFY: X-VINTEO-NOTIFY one line of JSON, Via WS, Max-Forwards 70, CSeq NOTIFY, no Event, no body',
    h['x-vinteo-notify'] === JSON.stringify({ cmd: 'ConferenceParticipantTokenIssued', body: { conference: '3000', participant: 'Иван', jwt: 'a.b.c' } }) &&
      h.via?.[0]?.protocol === 'WS' &&
      String(h['max-forwards']) === '70' &&
      h.cseq?.method === 'NOTIFY' &&
      !('event' in h) &&
      (n?.content ?? '') === '' &&
      !!h['call-id'],
    h,
  );
  check('POST /notify answers exactly { status: 200, via: notify }', res.status === 200 && JSON.stringify(res.json) === '{"status":200,"via":"notify"}', res.json);
  const reply = (await api(server, 'GET', `/api/messages?kind=response&method=NOTIFY&since=${since}`)).json;
  check('the client\'s 200 to the NOTIFY is in the message log', reply.length === 1 && reply[0].status === 200 && reply[0].callId === h['call-id'], reply);

  const withEvent = notify('1001', { notify: '{"cmd": broken', event: 'vinteo' });
  const raw = await nextNotify();
  if (raw) alice.reply(raw, 200);
  await withEvent;
  check('a string notify is sent verbatim (bad JSON on purpose); Event only when asked', raw?.headers['x-vinteo-notify'] === '{"cmd": broken' && raw?.headers.event === 'vinteo', raw?.headers);

  const refused = notify('1001', { notify: { cmd: 'accountDeleted' } });
  const r481 = await nextNotify();
  if (r481) alice.reply(r481, 481, 'Call/Transaction Does Not Exist');
  const refusedRes = await refused;
  check('the client\'s non-2xx is reported as status', refusedRes.status === 200 && refusedRes.json?.status === 481, refusedRes.json);

  const t0 = Date.now();
  const unanswered = notify('1001', { notify: { cmd: 'accountChanged' } });
  await nextNotify(); // not answered
  const timeout = await unanswered;
  check('an unanswered NOTIFY → 504', timeout.status === 504 && Date.now() - t0 < 5000, timeout);

  const unknown = await notify('4242', { notify: { cmd: 'accountChanged' } });
  check('notify to a user neither registered nor in a call → 404', unknown.status === 404, unknown);
  const infoNoCall = await notify('1001', { notify: { cmd: 'accountChanged' }, via: 'info' });
  check('via: info without a confirmed call → 409', infoNoCall.status === 409, infoNoCall);
  const badVia = await notify('1001', { notify: { cmd: 'accountChanged' }, via: 'smoke' });
  const badNotify = await notify('1001', { notify: [1, 2] });
  const crlf = await notify('1001', { notify: 'a\r\nVia: x' });
  check('bad via, an array notify, CR/LF in the notify → 400', badVia.status === 400 && badNotify.status === 400 && crlf.status === 400, [badVia.status, badNotify.status, crlf.status]);
}

async function testGuestCall(server, guest, guestId) {
  const { call, media, info, status } = await confirmedCall(server, guest, '3600', { 'X-Vinteo-Purgatory-Call': 'yes' });
  check('guest call confirmed', status === 200 && info?.state === 'confirmed', status);
  await guest.waitForRequest((m) => m.method === 'INFO' && m.headers['call-id'] === call.callId && /uselic/.test(m.headers['content-type'] ?? ''), 3000).catch(() => undefined);

  // notify to a guest in a call, by its user id: the INFO route.
  const pending = api(server, 'POST', `/api/registrations/${guestId}/notify`, { notify: { cmd: 'ParticipationRequestAccepted', body: { conference: '3600' } } });
  const infoMsg = await guest.waitForRequest((m) => m.method === 'INFO' && /vinteo\.webrtc\.notify/.test(m.headers['content-type'] ?? ''), 3000).catch(() => undefined);
  const res = await pending;
  check('notify to a guest in a call → INFO in its call → { status: 200, via: info }', infoMsg?.headers['call-id'] === call.callId && JSON.stringify(res.json) === '{"status":200,"via":"info"}', res.json);
  const viaNotify = api(server, 'POST', `/api/registrations/${guestId}/notify`, { notify: { cmd: 'accountChanged' }, via: 'notify' });
  const outside = await guest.waitForRequest((m) => m.method === 'NOTIFY', 3000).catch(() => undefined);
  if (outside) guest.reply(outside, 200);
  const outsideRes = await viaNotify;
  check('via: notify to a guest → NOTIFY on its call\'s WebSocket, Request-URI = its AOR', outside?.uri === `sip:${guestId}@${DOMAIN}` && outsideRes.json?.via === 'notify', outsideRes.json);

  // The client's own roomname INFO (§3): 200, recorded, nothing else changes.
  const roomInfo = (extra = {}) =>
    guest.request(
      call.inDialog('INFO', {
        headers: {
          'content-type': 'application/vinteo.webrtc.roomname',
          'x-webrtc-enter-room': `p2p${guestId}to3600`,
          'x-webrtc-participant-name': '3600',
          'x-webrtc-is-direct-p2p': 'true',
          ...extra,
        },
      }),
    );
  const ok = await roomInfo();
  let c = (await api(server, 'GET', `/api/calls/${info.id}`)).json;
  const recorded = c?.infoReceived?.filter((i) => i.contentType === 'application/vinteo.webrtc.roomname');
  check(
    'client roomname INFO (p2p…to…) → 200, recorded, call still confirmed',
    ok.final.status === 200 && recorded?.length === 1 && recorded[0].status === 200 && recorded[0].headers['x-webrtc-enter-room'] === `p2p${guestId}to3600` && recorded[0].headers['x-webrtc-is-direct-p2p'] === 'true' && c.state === 'confirmed',
    recorded,
  );
  const set = await api(server, 'POST', '/api/faults', { roomnameStatus: 488 });
  const refused = await roomInfo();
  c = (await api(server, 'GET', `/api/calls/${info.id}`)).json;
  const last = c?.infoReceived?.filter((i) => i.contentType === 'application/vinteo.webrtc.roomname').at(-1);
  check('faults roomnameStatus: 488 → the roomname INFO answered 488 (recorded), the call goes on', set.json?.roomnameStatus === 488 && refused.final.status === 488 && last?.status === 488 && c.state === 'confirmed', { sip: refused.final.status, last });
  const other = await guest.request(call.inDialog('INFO', { headers: { 'content-type': 'application/vinteo.webrtc.mediastate', 'x-webrtc-media-state': 'currentstate' } }));
  check('… other INFOs are still answered 200', other.final.status === 200, other.final.status);
  await api(server, 'POST', '/api/faults', { roomnameStatus: null });
  const after = await roomInfo();
  check('roomnameStatus: null → 200 again', after.final.status === 200, after.final.status);

  await guest.request(call.inDialog('BYE'));
  await media.pc.close();
}

async function testVideoModes(server, alice) {
  const { call, media, info, status } = await confirmedCall(server, alice, '3700');
  check('video call confirmed; videoMode flow', status === 200 && info?.videoMode === 'flow' && info?.reinvites === 0, info && { videoMode: info.videoMode, reinvites: info.reinvites });
  const stop = startVp8Rtp(media);
  await until(() => media.count.video > 20 && media.count.audio > 20, 6000);
  const flowing = media.payloads.slice(-10);
  check('flow: VP8 payloads echoed unchanged (AA…), key frames too', flowing.length > 0 && flowing.every((p) => p[2] === 0xaa || p[2] === 0xbb), flowing.map((p) => p.subarray(0, 4).toString('hex')));

  // stall: the client's inbound video stops, audio goes on.
  const stalled = await api(server, 'POST', `/api/calls/${info.id}/video`, { mode: 'stall' });
  check('POST /video { mode: stall } → { mode: stall, until: reinvite }', stalled.status === 200 && stalled.json?.mode === 'stall' && stalled.json?.until === 'reinvite', stalled.json);
  await serverReceivesMore(server, info.id, 15);
  const c1 = { ...media.count };
  const echoed1 = (await mainVideo(server, info.id)).video?.packetsEchoed;
  await serverReceivesMore(server, info.id, 25);
  const c2 = { ...media.count };
  const { call: sc, video: sv } = await mainVideo(server, info.id);
  check('stall: the client\'s video counter stops while the server keeps receiving; audio still echoed', c2.video === c1.video && c2.audio > c1.audio && sv?.packetsEchoed === echoed1, { c1, c2, echoed1, echoed2: sv?.packetsEchoed });
  check('call object: videoMode stall, videoModeUntil reinvite', sc?.videoMode === 'stall' && sc?.videoModeUntil === 'reinvite', sc && { videoMode: sc.videoMode, until: sc.videoModeUntil });

  // a plain re-INVITE (recovery, no ICE restart) puts it back to flow
  const reStatus = await plainReinvite(call, media);
  const resumed = await until(() => media.count.video > c2.video + 10, 5000);
  const afterRe = (await mainVideo(server, info.id)).call;
  check('a plain re-INVITE → 200, video flows again, videoMode flow, reinvites counted', reStatus === 200 && resumed && afterRe?.videoMode === 'flow' && !('videoModeUntil' in afterRe) && afterRe.reinvites === 1, {
    reStatus,
    count: media.count,
    videoMode: afterRe?.videoMode,
    reinvites: afterRe?.reinvites,
  });

  // garble until a command: packets keep coming, payloads inverted, no key frame ever
  const garbled = await api(server, 'POST', `/api/calls/${info.id}/video`, { mode: 'garble', until: 'command' });
  check('POST /video { mode: garble, until: command }', garbled.json?.mode === 'garble' && garbled.json?.until === 'command', garbled.json);
  await serverReceivesMore(server, info.id, 10);
  const g0 = media.count.video;
  media.payloads.length = 0;
  await serverReceivesMore(server, info.id, 30);
  const got = media.payloads.slice();
  check(
    'garble: packets still arrive, every payload corrupted after the VP8 header, no key frame',
    media.count.video > g0 + 10 && got.length > 10 && got.every((p) => p[0] === 0x10 && p[1] === 0x01 && p.subarray(4).every((b) => b === 0x55)),
    { rose: media.count.video - g0, sample: got.slice(0, 3).map((p) => p.subarray(0, 8).toString('hex')) },
  );
  const reStatus2 = await plainReinvite(call, media);
  const still = (await mainVideo(server, info.id)).call;
  check('until: command → a re-INVITE does not end the fault', reStatus2 === 200 && still?.videoMode === 'garble' && still?.reinvites === 2, still && { videoMode: still.videoMode, reinvites: still.reinvites });
  const back = await api(server, 'POST', `/api/calls/${info.id}/video`, { mode: 'flow' });
  await serverReceivesMore(server, info.id, 10);
  media.payloads.length = 0;
  await serverReceivesMore(server, info.id, 15);
  check('mode flow → payloads unchanged again', back.json?.mode === 'flow' && media.payloads.length > 5 && media.payloads.every((p) => p[2] === 0xaa || p[2] === 0xbb), media.payloads.slice(0, 3).map((p) => p.subarray(0, 4).toString('hex')));

  const bad = await api(server, 'POST', `/api/calls/${info.id}/video`, { mode: 'freeze' });
  const badUntil = await api(server, 'POST', `/api/calls/${info.id}/video`, { mode: 'stall', until: 'later' });
  const missing = await api(server, 'POST', '/api/calls/nope/video', { mode: 'stall' });
  check('POST /video validates mode and until (400), unknown call 404', bad.status === 400 && badUntil.status === 400 && missing.status === 404, [bad.status, badUntil.status, missing.status]);
  stop();
  await alice.request(call.inDialog('BYE'));
  const ended = await api(server, 'POST', `/api/calls/${info.id}/video`, { mode: 'stall' });
  check('POST /video on an ended call → 409', ended.status === 409, ended.status);
  await media.pc.close();

  // videoStartsStalled: a new call has no main-video RTP at all until the client re-INVITEs.
  const fault = await api(server, 'POST', '/api/faults', { videoStartsStalled: true });
  const s = await confirmedCall(server, alice, '3701');
  const stop2 = startVp8Rtp(s.media);
  await until(() => s.media.count.audio > 20, 5000);
  await serverReceivesMore(server, s.info.id, 20);
  const noTraffic = (await mainVideo(server, s.info.id)).call;
  check('faults videoStartsStalled: a new call echoes audio but no video at all ("no traffic")', fault.json?.videoStartsStalled === true && s.media.count.audio > 20 && s.media.count.video === 0 && noTraffic?.videoMode === 'stall', {
    count: s.media.count,
    videoMode: noTraffic?.videoMode,
  });
  await api(server, 'POST', '/api/faults', { videoStartsStalled: false });
  const st = await plainReinvite(s.call, s.media);
  const flows = await until(() => s.media.count.video > 5, 5000);
  check('… the recovery re-INVITE starts the video', st === 200 && flows, s.media.count);
  stop2();
  await alice.request(s.call.inDialog('BYE'));
  await s.media.pc.close();
}

async function testConsole(server) {
  const html = await (await fetch(`${server.controlUrl}/`)).text();
  const commands = ['channels', 'WebcastStarted', 'WebcastStopped', 'accountChanged', 'accountDeleted', 'addedToListModerators', 'removedFromListModerators', 'ParticipationRequestAccepted', 'ParticipationRequestRejected', 'ParticipantMovedToWebcast', 'ConferenceParticipantTokenIssued'];
  check('console: a notify form with a user field, every notify command and a Send button', /id="notify-form"/.test(html) && /id="notify-user"/.test(html) && commands.every((c) => html.includes(`<option value="${c}"`)) && /Send \/ <span lang="ru">Отправить/.test(html));
  const js = await (await fetch(`${server.controlUrl}/console.js`)).text();
  check('console script: main-video buttons and the notify route', /Stall video/.test(js) && /Garble video/.test(js) && /callPath\(call, "video"\)/.test(js) && /\/notify/.test(js) && !/innerHTML/.test(js));
}

/** The CLI takes --tls-port and --stun-port and prints where they listen. */
async function testCli() {
  const bin = fileURLToPath(new URL('../../bin/vinteo-dev-server.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--port', '0', '--control-port', '0', '--tls-port', '0', '--stun-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const ready = await until(() => /Press Ctrl\+C/.test(out), 8000);
  check('CLI --tls-port 0 --stun-port 0: prints the wss URL and the STUN URL', ready && /SIP over TLS:\s+wss:\/\/127\.0\.0\.1:\d+\/webrtc\/wss\//.test(out) && /STUN:\s+stun:127\.0\.0\.1:\d+/.test(out), out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  check('CLI stops cleanly on SIGINT', (await exited) === 0);
}

async function main() {
  const server = await startDevServer({
    port: 0,
    controlPort: 0,
    tlsPort: 0,
    stunPort: 0,
    infoTimeoutMs: 1500,
    users: { 1001: 'pw-1001-abc', 1002: 'pw-1002-def' },
    log: (line) => {
      if (verbose) console.log(`    [server] ${line}`);
    },
  });
  console.log(`server: ${server.wsUrl}, ${server.wssUrl}, ${server.stunUrl}, control ${server.controlUrl}`);
  try {
    await testProperties(server);
    await testWebSocketPath(server);
    await testDiscovery(server);
    await testStun(server);
    await testTls(server);
    const { guest, guestId, alice } = await testOptionsAndMessages(server);
    await testNotify(server, alice);
    await testGuestCall(server, guest, guestId);
    await testVideoModes(server, alice);
    await testConsole(server);
    const cleared = await api(server, 'DELETE', '/api/messages');
    const empty = (await api(server, 'GET', '/api/messages')).json;
    const ping = await alice.request(alice.baseRequest('OPTIONS', `sip:1001@${DOMAIN}`));
    const next = (await api(server, 'GET', '/api/messages')).json;
    check(
      'DELETE /api/messages clears the log; seq numbers go on',
      cleared.json?.cleared > 0 && Array.isArray(empty) && empty.length === 0 && ping.final.status === 200 && next.length === 1 && next[0].seq === cleared.json.lastSeq + 1,
      { cleared: cleared.json, next: next.map((m) => m.seq) },
    );
    guest.close();
    alice.close();
  } finally {
    await server.close();
  }
  await testCli();
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
