// Unit tests of the dev server's pure helpers (SIP message guards, SDP helpers
// for answers and re-offers, CORS, moderator commands, the console page).
// Run: node --test server/test/unit.test.mjs
// The TypeScript modules are bundled on the fly with esbuild into node_modules/.cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { SERVER_BUNDLE_OPTIONS } from '../esbuild-options.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = `${root}node_modules/.cache/vinteo-dev-server-unit`;
await build({
  ...SERVER_BUNDLE_OPTIONS,
  absWorkingDir: root,
  entryPoints: {
    'sip-message': 'server/sip/message.ts',
    'sdp-info': 'server/sdp-info.ts',
    'control-api': 'server/control/api.ts',
    commands: 'server/commands.ts',
    'console-page': 'server/control/console-page.ts',
    index: 'server/index.ts',
    'video-fault': 'server/media/video-fault.ts',
    'message-log': 'server/sip/message-log.ts',
    discovery: 'server/discovery.ts',
    stun: 'server/stun.ts',
  },
  outdir,
  logLevel: 'error',
});
const load = (name) => import(pathToFileURL(`${outdir}/${name}.js`).href);
const msg = await load('sip-message');
const sdp = await load('sdp-info');
const control = await load('control-api');
const index = await load('index');
const commands = await load('commands');
const consolePage = await load('console-page');
const videoFault = await load('video-fault');
const messageLog = await load('message-log');
const discovery = await load('discovery');
const stun = await load('stun');

const INFO = [
  'INFO sip:a@b.invalid;transport=ws SIP/2.0',
  'Via: SIP/2.0/WSS x.invalid;branch=z9hG4bK1',
  'To: "Пётр \\"П\\"" <sip:1@d>;tag=t1',
  'From: <sip:2@d>;tag=f1',
  'Call-ID: c1',
  'CSeq: 3 INFO',
  'Content-Type: application/vinteo.webrtc.mediastate',
  'X-WEBRTC-MEDIA-STATE: currentstate',
  'Content-Length: 8',
  '',
  'тело',
].join('\r\n');

test('parseSipMessage parses a UTF-8 message and its body', () => {
  const parsed = msg.parseSipMessage(INFO);
  assert.ok('message' in parsed);
  const m = parsed.message;
  assert.equal(m.method, 'INFO');
  assert.equal(m.content, 'тело');
  assert.equal(msg.contentType(m), 'application/vinteo.webrtc.mediastate');
  assert.deepEqual(msg.headersWithPrefix(m, 'x-'), { 'x-webrtc-media-state': 'currentstate' });
  assert.equal(msg.decodeDisplayName(m.headers.to.name), 'Пётр "П"');
});

test('parseSipMessage rejects junk without throwing', () => {
  for (const junk of ['', 'hello', 'INVITE sip:x SIP/2.0\r\n\r\n', 'SIP/2.0 999999 X\r\n\r\n', 'INVITE sip:a@b SIP/2.0\r\nVia: x\r\nFrom: <\r\n\r\n', '\u0000\u0001']) {
    const parsed = msg.parseSipMessage(junk);
    assert.ok('error' in parsed, JSON.stringify(junk));
  }
});

test('serializeSipMessage counts Content-Length in UTF-8 bytes and refuses CR/LF in headers', () => {
  const m = msg.parseSipMessage(INFO).message;
  m.content = 'Привет';
  const text = msg.serializeSipMessage(m);
  assert.match(text, /Content-Length: 12\r\n\r\nПривет$/);
  assert.equal(msg.parseSipMessage(text).message.content, 'Привет');
  m.headers['x-evil'] = 'a\r\nVia: b';
  assert.throws(() => msg.serializeSipMessage(m), /CR\/LF/);
});

test('makeResponse never mutates the request headers', () => {
  const m = msg.parseSipMessage(INFO).message;
  const r = msg.makeResponse(m, 200);
  r.headers.to = msg.withTag(r.headers.to, 'zz');
  r.headers.via[0].params.received = '1.2.3.4';
  assert.equal(m.headers.to.params.tag, 't1');
  assert.equal(m.headers.via[0].params.received, undefined);
  assert.match(msg.serializeSipMessage(r), /^SIP\/2.0 200 OK\r\n/);
});

const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=sendonly',
  'a=rtpmap:111 opus/48000/2',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'a=mid:1',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=recvonly',
  '',
].join('\r\n');

test('parseOfferedMedia reads kinds, mids, directions and codecs', () => {
  assert.deepEqual(sdp.parseOfferedMedia(OFFER), [
    { kind: 'audio', mid: '0', direction: 'sendonly', port: 9, codecs: ['OPUS'] },
    { kind: 'video', mid: '1', direction: 'sendrecv', port: 9, codecs: ['VP8', 'RTX'] },
    { kind: 'video', mid: '2', direction: 'inactive', port: 0, codecs: [] },
  ]);
  assert.equal(sdp.hasVideo(sdp.parseOfferedMedia(OFFER)), true);
});

test('fixAnswerSdp keeps only offered, accepted mids in BUNDLE and sets the session version', () => {
  const answer = ['v=0', 'o=- 77 0 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2', 'm=audio 9 X 111', 'a=mid:0', 'm=video 9 X 96', 'a=mid:1', 'm=video 0 X 96', 'a=mid:2', ''].join('\r\n');
  const fixed = sdp.fixAnswerSdp(OFFER, answer, 5);
  assert.match(fixed, /\r\na=group:BUNDLE 0 1\r\n/);
  assert.match(fixed, /^v=0\r\no=- 77 5 IN IP4 0\.0\.0\.0\r\n/);
});

test('fixAnswerSdp gives an inactive m-line the offer kept alive port 9 (werift writes 0) and keeps it bundled; stable session id', () => {
  const offer = ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 c1', 'm=audio 9 X 111', 'a=mid:0', 'm=video 9 X 96', 'a=mid:1', 'm=video 9 X 96', 'a=mid:c1', 'a=recvonly', ''].join('\r\n');
  const answer = ['v=0', 'o=- 99 0 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 c1', 'm=audio 9 X 111', 'a=mid:0', 'm=video 9 X 96', 'a=mid:1', 'm=video 0 X 96', 'a=mid:c1', 'a=inactive', ''].join('\r\n');
  const fixed = sdp.fixAnswerSdp(offer, answer, { version: 4, sessionId: '77' });
  assert.match(fixed, /\r\nm=video 9 X 96\r\na=mid:c1\r\na=inactive\r\n/);
  assert.match(fixed, /\r\na=group:BUNDLE 0 1 c1\r\n/);
  assert.match(fixed, /^v=0\r\no=- 77 4 IN IP4 0\.0\.0\.0\r\n/);
});

test('fixOfferSdp: kept-alive mids get port 9, rejected ones stay 0 and leave BUNDLE; o= id and version', () => {
  const offer = ['v=0', 'o=- 5555 0 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2 c1', 'm=audio 9 X 111', 'a=mid:0', 'm=video 9 X 96', 'a=mid:1', 'm=video 0 X 96', 'a=mid:2', 'a=inactive', 'm=video 0 X 96', 'a=mid:c1', 'a=inactive', ''].join('\r\n');
  const fixed = sdp.fixOfferSdp(offer, { version: 3, sessionId: '1234' }, new Set(['c1']));
  assert.match(fixed, /\r\nm=video 0 X 96\r\na=mid:2\r\n/);
  assert.match(fixed, /\r\nm=video 9 X 96\r\na=mid:c1\r\n/);
  assert.match(fixed, /\r\na=group:BUNDLE 0 1 c1\r\n/);
  assert.match(fixed, /^v=0\r\no=- 1234 3 IN IP4 /);
  assert.equal(sdp.sessionIdOf(fixed), '1234');
});

test('isLoopbackOrigin accepts only loopback pages', () => {
  for (const ok of ['http://localhost:8000', 'http://127.0.0.1:1', 'https://localhost', 'http://[::1]:9000']) assert.equal(control.isLoopbackOrigin(ok), true, ok);
  for (const bad of ['http://evil.example', 'null', 'http://localhost.evil.example', 'file:///x', 'http://127.0.0.2:80', '']) assert.equal(control.isLoopbackOrigin(bad), false, bad);
});

test('normalizeLoopbackHost and validateUsers', () => {
  assert.equal(index.normalizeLoopbackHost(undefined), '127.0.0.1');
  assert.equal(index.normalizeLoopbackHost('localhost'), '127.0.0.1');
  assert.equal(index.normalizeLoopbackHost('[::1]'), '::1');
  for (const bad of ['0.0.0.0', '192.168.1.2', '::', 'example.com']) assert.throws(() => index.normalizeLoopbackHost(bad), /loopback/);
  assert.deepEqual(index.validateUsers({ 1001: 'a' }), { 1001: 'a' });
  assert.throws(() => index.validateUsers({ 'a b': 'x' }), /invalid user/);
  assert.throws(() => index.validateUsers({ a: 1 }), /password/);
  assert.throws(() => index.validateUsers([]), /object/);
});

test('parseOfferedMedia lists codecs in m-line (preference) order, static payload types included', () => {
  const offer = [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=recvonly',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0 111 8 126',
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:126 telephone-event/8000',
    'a=rtpmap:0 PCMU/8000',
    'm=video 9 UDP/TLS/RTP/SAVPF 102 96 103 97',
    'a=mid:v',
    'a=inactive',
    'a=rtpmap:96 VP8/90000',
    'a=rtpmap:97 rtx/90000',
    'a=rtpmap:102 H264/90000',
    'a=rtpmap:103 rtx/90000',
    '',
  ].join('\r\n');
  const [audio, video] = sdp.parseOfferedMedia(offer);
  assert.deepEqual(audio.codecs, ['PCMU', 'OPUS', 'PCMA', 'TELEPHONE-EVENT']);
  assert.equal(audio.direction, 'recvonly', 'session-level direction applies');
  assert.deepEqual(video.codecs, ['H264', 'VP8', 'RTX']);
  assert.equal(video.direction, 'inactive');
  assert.equal(video.mid, 'v');
});

test('setSessionVersion rewrites only the o= version', () => {
  assert.equal(sdp.setSessionVersion('v=0\r\no=- 13674263 0 IN IP4 0.0.0.0\r\ns=-\r\n', 7), 'v=0\r\no=- 13674263 7 IN IP4 0.0.0.0\r\ns=-\r\n');
});

test('quoteDisplayName escapes quotes and backslashes and drops control characters', () => {
  assert.equal(msg.quoteDisplayName('Support "Служба" \\ x\r\n'), '"Support \\"Служба\\" \\\\ x"');
  const parsed = msg.parseSipMessage(INFO.replace('To: "Пётр \\"П\\"" <sip:1@d>', `To: ${msg.quoteDisplayName('A "b"')} <sip:1@d>`)).message;
  assert.equal(msg.decodeDisplayName(parsed.headers.to.name), 'A "b"');
});

test('moderator commands map to the protocol INFOs', () => {
  const table = [
    [{ command: 'stop-camera', forced: true }, 'application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'ADMINSTOPMAINCAM', 'X-WEBRTC-SYNC': '1' }],
    [{ command: 'start-camera' }, 'application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'ADMINSTARTMAINCAM', 'X-WEBRTC-SYNC': '0' }],
    [{ command: 'stop-mic', forced: false }, 'application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTOPMIC', 'X-WEBRTC-SYNC': '0' }],
    [{ command: 'start-mic', forced: true }, 'application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTARTMIC', 'X-WEBRTC-SYNC': '1' }],
    [{ command: 'spectator' }, 'application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR' }],
    [{ command: 'spectator', audioId: 12, spectatorMode: 1 }, 'application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-AUDIOID': '12', 'X-WEBRTC-SPECTATOR-MODE': '1' }],
    [{ command: 'participant', audioId: 'a-7' }, 'application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT', 'X-WEBRTC-AUDIOID': 'a-7' }],
    [{ command: 'pause-camera' }, 'application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'PAUSEMAINCAM' }],
    [{ command: 'resume-camera' }, 'application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'RESUMEMAINCAM' }],
    [{ command: 'max-resolution', resolution: '320x180' }, 'application/vinteo.webrtc.maincam', { 'X-WEBRTC-MAINCAM': 'MAXMAINCAMRESOLUTION', 'X-WEBRTC-MAINCAM-RESOLUTION': '320x180' }],
    [{ command: 'notify', notify: { cmd: 'channels', input: 2, text: 'Привет\r\n' } }, 'application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': '{"cmd":"channels","input":2,"text":"Привет\\r\\n"}' }],
    [{ command: 'restart' }, 'application/vinteo.webrtc.restart', { 'X-WEBRTC-TRACKS-DIRECTION': 'bidirectional', 'X-WEBRTC-AUDIO-TRACK-COUNT': '1', 'X-WEBRTC-VIDEO-TRACK-COUNT': '1' }],
    [{ command: 'restart', tracksDirection: 'incoming', audioTrackCount: 0, videoTrackCount: 2 }, 'application/vinteo.webrtc.restart', { 'X-WEBRTC-TRACKS-DIRECTION': 'incoming', 'X-WEBRTC-AUDIO-TRACK-COUNT': '0', 'X-WEBRTC-VIDEO-TRACK-COUNT': '2' }],
    [{ command: 'stop-presentation' }, 'application/vinteo.webrtc.sharedesktop', { 'X-WEBRTC-SHARE-STATE': 'YOUMUSTSTOPSENDCONTENT' }],
  ];
  for (const [input, contentType, headers] of table) {
    assert.deepEqual(commands.buildCommandInfo(input), { contentType, headers, body: '' }, JSON.stringify(input));
  }
});

test('moderator commands reject bad input', () => {
  const unknown = (() => {
    try {
      commands.buildCommandInfo({ command: 'explode' });
    } catch (error) {
      return error;
    }
  })();
  assert.ok(unknown instanceof commands.CommandError);
  assert.match(unknown.message, /unknown command "explode"; valid commands: stop-camera, start-camera/);
  assert.deepEqual([...unknown.validCommands], [...commands.MODERATOR_COMMANDS]);
  const bad = [
    {},
    { command: 'stop-camera', forced: 'yes' },
    { command: 'spectator', spectatorMode: 3 },
    { command: 'spectator', audioId: 'a b' },
    { command: 'max-resolution' },
    { command: 'max-resolution', resolution: '320x' },
    { command: 'max-resolution', resolution: '0x180' },
    { command: 'notify', notify: 'text' },
    { command: 'notify', notify: [1] },
    { command: 'notify', notify: { pad: 'x'.repeat(8 * 1024) } },
    { command: 'restart', tracksDirection: 'sideways' },
    { command: 'restart', videoTrackCount: 1.5 },
  ];
  for (const input of bad) assert.throws(() => commands.buildCommandInfo(input), commands.CommandError, JSON.stringify(input).slice(0, 80));
  // 8 KiB exactly is accepted.
  const pad = 'x'.repeat(8 * 1024 - '{"p":""}'.length);
  assert.equal(commands.buildCommandInfo({ command: 'notify', notify: { p: pad } }).headers['X-VINTEO-NOTIFY'].length, 8 * 1024);
});

test('console page: no inline script, CSP allows only self and the inline style by hash', async () => {
  const html = consolePage.CONSOLE_HTML;
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], /\bsrc="\/console\.js"/);
  assert.equal(scripts[0][2].trim(), '');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'no style attributes (blocked by the CSP)');
  assert.doesNotMatch(html, /javascript:/i);
  const csp = consolePage.CONSOLE_CSP;
  assert.match(csp, /^default-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)[1];
  const { createHash } = await import('node:crypto');
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`), 'style hash matches');
  const js = consolePage.CONSOLE_JS;
  assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  assert.match(js, /Stop camera/);
  assert.match(js, /Остановить камеру/);
  for (const label of ['Deny presentations', 'Allow presentations', 'Order presentation stop', 'Play content', 'Stop content', 'Показать контент', 'Запретить демонстрацию']) assert.ok(js.includes(label), label);
  assert.match(html, /<html lang="en">/);
  // The script parses as a standalone program.
  const vm = await import('node:vm');
  assert.doesNotThrow(() => new vm.Script(js));
});

test('video faults: key frames found (VP8, H.264), stall drops, garble inverts after the codec header', async () => {
  const { RtpHeader, RtpPacket } = await import('werift');
  const vp8 = (bytes) => Buffer.from(bytes);
  assert.equal(videoFault.isKeyframePacket('VP8', vp8([0x10, 0x00, 0x9d, 0x01, 0x2a])), true, 'S=1 PID 0, P=0');
  assert.equal(videoFault.isKeyframePacket('VP8', vp8([0x10, 0x01, 0x00])), false, 'P=1: delta frame');
  assert.equal(videoFault.isKeyframePacket('VP8', vp8([0x00, 0x00, 0x00])), false, 'not the first packet');
  assert.equal(videoFault.isKeyframePacket('VP8', vp8([0x90, 0x80, 0x81, 0x23, 0x00])), true, 'extended descriptor with a 15-bit picture id');
  assert.equal(videoFault.vp8DescriptorLength(vp8([0x90, 0xe0, 0x12, 0x34, 0x56])), 5, 'X: I (7-bit) + L + T/K');
  assert.equal(videoFault.isKeyframePacket('H264', Buffer.from([0x65, 0x88])), true, 'IDR');
  assert.equal(videoFault.isKeyframePacket('H264', Buffer.from([0x67, 0x42])), true, 'SPS');
  assert.equal(videoFault.isKeyframePacket('H264', Buffer.from([0x41, 0x9a])), false, 'non-IDR slice');
  assert.equal(videoFault.isKeyframePacket('H264', Buffer.from([0x7c, 0x85, 0x00])), true, 'FU-A of an IDR');
  assert.equal(videoFault.isKeyframePacket('H264', Buffer.from([0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce])), true, 'STAP-A with SPS + PPS');
  const packet = (payload) => new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1 }), payload);
  const delta = packet(vp8([0x10, 0x01, 0xaa, 0xaa, 0xaa, 0xaa]));
  assert.equal(videoFault.applyVideoMode('flow', 'VP8', delta), delta);
  assert.equal(videoFault.applyVideoMode('stall', 'VP8', delta), undefined);
  assert.equal(videoFault.applyVideoMode('garble', 'VP8', packet(vp8([0x10, 0x00, 0x9d, 0x01, 0x2a]))), undefined, 'key frames are dropped');
  const garbled = videoFault.applyVideoMode('garble', 'VP8', delta);
  assert.deepEqual([...garbled.payload], [0x10, 0x01, 0xaa, 0xaa, 0x55, 0x55]);
  assert.deepEqual([...delta.payload], [0x10, 0x01, 0xaa, 0xaa, 0xaa, 0xaa], 'the received packet is not changed');
  assert.deepEqual([...videoFault.applyVideoMode('garble', 'H264', packet(Buffer.from([0x41, 0x0f]))).payload], [0x41, 0xf0]);
});

test('message log: header values written back, Authorization reduced to scheme + username, filters, ring buffer', () => {
  const text = [
    'REGISTER sip:vinteo.local SIP/2.0',
    'Via: SIP/2.0/WSS a.invalid;branch=z9hG4bK1;rport',
    'Via: SIP/2.0/WSS b.invalid;branch=z9hG4bK2',
    'To: <sip:1001@vinteo.local>',
    'From: <sip:1001@vinteo.local>;tag=f1',
    'Call-ID: c1',
    'CSeq: 2 REGISTER',
    'Contact: <sip:x@y.invalid;transport=ws>;expires=300',
    'Authorization: Digest username="1001", realm="vinteo.local", nonce="n0nce", uri="sip:vinteo.local", response="d1g3st", qop=auth, nc=00000001, cnonce="cn"',
    'X-Vinteo-Remote: 203.0.113.9',
    'User-Agent: ChromeNew - Chrome 138, app 1',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const parsed = msg.parseSipMessage(text);
  assert.ok('message' in parsed);
  const log = new messageLog.MessageLog(3);
  log.record(parsed.message, { id: 'ws1' });
  const [entry] = log.list();
  assert.equal(entry.kind, 'request');
  assert.equal(entry.method, 'REGISTER');
  assert.equal(entry.requestUri, 'sip:vinteo.local');
  assert.equal(entry.callId, 'c1');
  assert.deepEqual(entry.headers.via, ['SIP/2.0/WSS a.invalid;branch=z9hG4bK1;rport', 'SIP/2.0/WSS b.invalid;branch=z9hG4bK2']);
  assert.deepEqual(entry.headers.authorization, ['Digest username="1001"']);
  assert.deepEqual(entry.headers['x-vinteo-remote'], ['203.0.113.9']);
  assert.deepEqual(entry.headers['user-agent'], ['ChromeNew - Chrome 138, app 1']);
  assert.deepEqual(entry.headers.cseq, ['2 REGISTER']);
  assert.doesNotMatch(JSON.stringify(entry), /d1g3st|n0nce|cnonce/);
  for (let i = 0; i < 4; i++) log.record(parsed.message, { id: 'ws2' });
  assert.equal(log.list().length, 3, 'ring buffer keeps the last 3');
  assert.equal(log.lastSeq, 5);
  assert.deepEqual(log.list({ since: 4 }).map((e) => e.seq), [5]);
  assert.equal(log.list({ method: 'register', callId: 'c1', kind: 'request' }).length, 3);
  assert.equal(log.list({ method: 'INVITE' }).length, 0);
  assert.equal(log.clear(), 3);
  assert.equal(log.lastSeq, 5);
});

test('discovery: defaults, overrides, removal with null, validation', () => {
  let stunUrl;
  const endpoint = new discovery.AddressEndpoint({ sipDomain: 'vinteo.local', host: '127.0.0.1', stunUrl: () => stunUrl });
  assert.deepEqual(endpoint.answer('10.0.0.1'), { ip: 'vinteo.local', remoteAddress: '10.0.0.1', unified: true });
  stunUrl = 'stun:127.0.0.1:3478';
  assert.deepEqual(endpoint.answer('127.0.0.1').iceServers, [{ urls: 'stun:127.0.0.1:3478' }]);
  endpoint.update({ ip: 'x.example', unified: null, iceServers: null });
  assert.deepEqual(endpoint.answer('127.0.0.1'), { ip: 'x.example', remoteAddress: '127.0.0.1' });
  assert.deepEqual(endpoint.settings().overrides, { ip: 'x.example', iceServers: null, unified: null });
  endpoint.update({}, true);
  assert.deepEqual(endpoint.settings().overrides, {});
  assert.equal(discovery.plainAddress('::ffff:127.0.0.1'), '127.0.0.1');
  assert.deepEqual(discovery.addressPatch({ status: 503, rawBody: 'x', reset: true }), { patch: { status: 503, rawBody: 'x' }, reset: true });
  for (const bad of [{ ip: 1 }, { iceServers: {} }, { unified: 'yes' }, { status: 700 }, { rawBody: 5 }, { other: 1 }, []]) assert.throws(() => discovery.addressPatch(bad), Error, JSON.stringify(bad));
});

test('STUN: a Binding success response with XOR-MAPPED-ADDRESS, decoded by hand', async () => {
  const { Message, methods, classes } = await import('werift');
  const request = new Message(methods.BINDING, classes.REQUEST);
  const data = stun.bindingResponse(request, { address: '127.0.0.1', port: 54321 });
  assert.equal(data.readUInt16BE(0), 0x0101, 'Binding success response');
  assert.equal(data.readUInt16BE(2), data.length - 20, 'message length');
  assert.equal(data.readUInt32BE(4), 0x2112a442, 'magic cookie');
  assert.ok(data.subarray(8, 20).equals(request.transactionId), 'same transaction id');
  let pos = 20;
  let mapped;
  const types = [];
  while (pos + 4 <= data.length) {
    const type = data.readUInt16BE(pos);
    const length = data.readUInt16BE(pos + 2);
    const value = data.subarray(pos + 4, pos + 4 + length);
    types.push(type);
    if (type === 0x0020) mapped = { family: value[1], port: value.readUInt16BE(2) ^ 0x2112, ip: [...value.subarray(4, 8)].map((b, i) => b ^ [0x21, 0x12, 0xa4, 0x42][i]).join('.') };
    pos += 4 + length + ((4 - (length % 4)) % 4);
  }
  assert.deepEqual(mapped, { family: 1, port: 54321, ip: '127.0.0.1' });
  assert.equal(types.at(-1), 0x8028, 'FINGERPRINT last');
});
