// Unit tests of the dev server's pure helpers (SIP message guards, SDP helpers, CORS).
// Run: node --test server/test/unit.test.mjs
// The TypeScript modules are bundled on the fly with esbuild into node_modules/.cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = `${root}node_modules/.cache/vinteo-dev-server-unit`;
await build({
  absWorkingDir: root,
  entryPoints: {
    'sip-message': 'server/sip-message.ts',
    'sdp-info': 'server/sdp-info.ts',
    'control-api': 'server/control-api.ts',
    index: 'server/index.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  target: 'node20',
  logLevel: 'error',
});
const load = (name) => import(pathToFileURL(`${outdir}/${name}.js`).href);
const msg = await load('sip-message');
const sdp = await load('sdp-info');
const control = await load('control-api');
const index = await load('index');

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
