// Shared by the dev server's smoke tests (smoke.mjs, smoke-vinteo.mjs): check/summary, a raw
// SIP-over-WebSocket client built with the `sip` package, a client call's dialog, a werift peer
// that plays the browser, fake RTP, and the control API helper.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import sip from 'sip';
import digest from 'sip/digest.js';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useSdesMid } from 'werift';

/** Checks passed and failed so far (a test file's summary and exit code). */
export const results = { passed: 0, failed: 0 };
export function check(name, condition, detail) {
  if (condition) {
    results.passed++;
    console.log(`  ok   ${name}`);
  } else {
    results.failed++;
    console.log(`  FAIL ${name}${detail !== undefined ? ` -- ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` : ''}`);
  }
}
export function summary() {
  console.log(`${results.passed} passed, ${results.failed} failed`);
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export async function until(fn, timeoutMs = 5000, stepMs = 50) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) return value;
    await sleep(stepMs);
  }
}

// ------------------------------------------------------------------ SIP client

export const DOMAIN = 'vinteo.local';

export class SipClient {
  /** `wsOptions`: options of the `ws` client, e.g. `{ ca }` for the TLS listener. */
  constructor(url, user, wsOptions = {}) {
    this.url = url;
    this.user = user;
    this.wsOptions = wsOptions;
    this.host = `${randomBytes(4).toString('hex')}.invalid`;
    this.contact = `sip:${randomBytes(4).toString('hex')}@${this.host};transport=ws`;
    this.pending = new Map();
    this.waiters = [];
    this.received = [];
    this.cseq = 1;
    this.autoAnswerInfo = 200;
  }
  open() {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.url, 'sip', this.wsOptions);
      this.ws.on('open', () => resolve());
      this.ws.on('error', reject);
      this.ws.on('close', () => (this.closed = true));
      this.ws.on('message', (data) => this.onMessage(data.toString('utf8')));
    });
  }
  get protocol() {
    return this.ws.protocol;
  }
  sendRaw(text) {
    this.ws.send(text);
  }
  send(message) {
    // content-length in bytes (the sip package counts UTF-16 units)
    const body = message.content ?? '';
    const copy = { ...message, headers: { ...message.headers }, content: '' };
    delete copy.headers['content-length'];
    let text = sip.stringify(copy);
    text = text.replace(/Content-Length: 0\r\n\r\n$/, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`) + body;
    this.ws.send(text);
  }
  onMessage(text) {
    const message = sip.parse(text);
    if (!message) return;
    if (message.status) {
      const branch = message.headers.via?.[0]?.params?.branch;
      const key = `${branch}|${message.headers.cseq?.method}`;
      const tx = this.pending.get(key);
      if (!tx) return;
      tx.responses.push(message);
      if (message.status < 200) tx.onProvisional?.(message);
      if (message.status >= 200) {
        this.pending.delete(key);
        tx.resolve(message);
      }
      return;
    }
    this.received.push(message);
    if (message.method === 'INFO' && this.autoAnswerInfo) this.reply(message, this.autoAnswerInfo);
    if (message.method === 'BYE') this.reply(message, 200);
    for (const w of [...this.waiters]) {
      if (w.predicate(message)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  }
  waitForRequest(predicate, timeoutMs = 5000) {
    const already = this.received.find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('timed out waiting for a request'));
      }, timeoutMs);
      const w = {
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiters.push(w);
    });
  }
  reply(request, status, reason = status === 200 ? 'OK' : 'Error') {
    const response = sip.makeResponse(request, status, reason);
    this.send(response);
  }
  /** Answers a request as a UAS of a dialog: To tag, Contact and optional SDP. */
  respond(request, status, { tag, sdp, reason } = {}) {
    const response = sip.makeResponse(request, status, reason ?? (status === 200 ? 'OK' : status === 180 ? 'Ringing' : 'Error'));
    response.headers.to = { ...request.headers.to, params: { ...request.headers.to.params, ...(tag ? { tag } : {}) } };
    if (status > 100 && status < 300) response.headers.contact = [{ uri: this.contact, params: {} }];
    if (sdp) {
      response.headers['content-type'] = 'application/sdp';
      response.content = sdp;
    }
    this.send(response);
  }
  /** Sends a request; resolves with { final, responses }. */
  request(message, timeoutMs = 6000, onProvisional) {
    const branch = message.headers.via[0].params.branch;
    const key = `${branch}|${message.headers.cseq.method}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error(`no final response to ${message.method}`));
      }, timeoutMs);
      const tx = {
        responses: [],
        onProvisional,
        resolve: (final) => {
          clearTimeout(timer);
          resolve({ final, responses: tx.responses });
        },
      };
      this.pending.set(key, tx);
      this.send(message);
    });
  }
  via() {
    return [{ version: '2.0', protocol: 'WS', host: this.host, params: { branch: `z9hG4bK${randomBytes(6).toString('hex')}` } }];
  }
  baseRequest(method, uri, extra = {}) {
    return {
      method,
      uri,
      version: '2.0',
      headers: {
        via: this.via(),
        'max-forwards': '70',
        to: extra.to ?? { uri },
        from: extra.from ?? { name: extra.displayName, uri: `sip:${this.user}@${DOMAIN}`, params: { tag: randomBytes(4).toString('hex') } },
        'call-id': extra.callId ?? `${randomBytes(8).toString('hex')}`,
        cseq: { seq: extra.seq ?? this.cseq++, method },
        contact: [{ uri: this.contact, params: {} }],
        ...extra.headers,
      },
      content: extra.content ?? '',
    };
  }
  /** REGISTER, answering the digest challenge; `headers` go on both requests (e.g. X-Vinteo-Remote). */
  async register(password, expires = 300, headers = {}) {
    const uri = `sip:${DOMAIN}`;
    const callId = randomBytes(8).toString('hex');
    const fromTag = randomBytes(4).toString('hex');
    const make = () =>
      this.baseRequest('REGISTER', uri, {
        callId,
        to: { uri: `sip:${this.user}@${DOMAIN}` },
        from: { uri: `sip:${this.user}@${DOMAIN}`, params: { tag: fromTag } },
        headers: { expires: String(expires), contact: [{ uri: this.contact, params: { expires: String(expires) } }], ...headers },
      });
    const first = make();
    const { final: challenge } = await this.request(first);
    if (challenge.status !== 401) return { first: challenge };
    const second = make();
    digest.signRequest({}, second, challenge, { user: this.user, password });
    const { final } = await this.request(second);
    return { first: challenge, final };
  }
  close() {
    try {
      this.ws.close();
    } catch {
      // already closed
    }
  }
}

/** A call from the SIP client side: dialog state and helpers. */
export class ClientCall {
  constructor(client, conference, displayName) {
    this.client = client;
    this.conference = conference;
    this.ruri = `sip:${conference}@${DOMAIN}`;
    this.callId = randomBytes(8).toString('hex');
    this.from = { name: displayName ? `"${displayName}"` : undefined, uri: `sip:${client.user}@${DOMAIN}`, params: { tag: randomBytes(4).toString('hex') } };
    this.to = { uri: this.ruri, params: {} };
    this.seq = 1;
  }
  invite(sdp, headers = {}, onProvisional) {
    const rq = this.client.baseRequest('INVITE', this.ruri, {
      callId: this.callId,
      from: this.from,
      to: this.to,
      seq: this.seq,
      headers: { 'content-type': 'application/sdp', ...headers },
      content: sdp,
    });
    this.lastInvite = rq;
    return this.client.request(rq, 10_000, onProvisional);
  }
  established(response) {
    this.to = response.headers.to;
    this.remoteTarget = response.headers.contact?.[0]?.uri;
  }
  ack(inviteSeq = this.seq) {
    const rq = this.client.baseRequest('ACK', this.remoteTarget ?? this.ruri, { callId: this.callId, from: this.from, to: this.to, seq: inviteSeq });
    this.client.send(rq);
  }
  inDialog(method, extra = {}) {
    this.seq++;
    const rq = this.client.baseRequest(method, this.remoteTarget, { callId: this.callId, from: this.from, to: this.to, seq: this.seq, ...extra });
    return rq;
  }
  reinvite(sdp) {
    const rq = this.inDialog('INVITE', { headers: { 'content-type': 'application/sdp' }, content: sdp });
    return this.client.request(rq, 10_000).then((r) => ({ ...r, seq: rq.headers.cseq.seq }));
  }
  cancel() {
    const rq = {
      method: 'CANCEL',
      uri: this.ruri,
      version: '2.0',
      headers: {
        via: this.lastInvite.headers.via,
        'max-forwards': '70',
        to: this.lastInvite.headers.to,
        from: this.from,
        'call-id': this.callId,
        cseq: { seq: this.lastInvite.headers.cseq.seq, method: 'CANCEL' },
      },
      content: '',
    };
    return this.client.request(rq);
  }
}

// ---------------------------------------------------------------- media client

export function clientPeer() {
  return new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    // Like Chromium, offer everything on one BUNDLE transport (a non-bundled werift offerer leaks its extra transports).
    bundlePolicy: 'max-bundle',
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 }),
        new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1 }),
      ],
      video: [
        new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }] }),
        new RTCRtpCodecParameters({
          mimeType: 'video/H264',
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
          parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
        }),
        new RTCRtpCodecParameters({ mimeType: 'video/VP9', clockRate: 90000 }),
      ],
    },
    headerExtensions: { audio: [useSdesMid()], video: [useSdesMid()] },
  });
}

export async function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return;
  await pc.iceGatheringStateChange.watch((s) => s === 'complete', 5000);
}

/** Sends fake RTP on local tracks every 20 ms. */
export function startRtp(tracks) {
  let seq = 1000;
  let ts = 0;
  const timer = setInterval(() => {
    seq = (seq + 1) & 0xffff;
    ts = (ts + 960) >>> 0;
    for (const track of tracks) {
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: ts, marker: true, ssrc: 1 });
      track.writeRtp(new RtpPacket(header, randomBytes(track.kind === 'video' ? 600 : 80)));
    }
  }, 20);
  return () => clearInterval(timer);
}

// ---------------------------------------------------------------------- tests

export async function api(server, method, path, body, headers = {}) {
  const res = await fetch(`${server.controlUrl}${path}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  let json;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers };
}

