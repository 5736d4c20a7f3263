#!/usr/bin/env node
/* global window, document, JsSIP -- used inside page.evaluate() callbacks, which run in the browser */
// Optional manual check: real Chromium + JsSIP (@krivega/jssip) against the
// built dev server. Registers, calls a conference with the fake camera and
// microphone, checks that the echoed audio/video decode, renegotiates (added
// transceiver, ICE restart), plays server content into the call (server
// re-INVITE; the second video stream must decode), presents a second video
// stream (permission INFO, reused content transceiver), takes a server-initiated call (answered,
// commands, cancelled, declined), drives the moderator console page under
// its CSP, then runs N simultaneous calls and reports the server's CPU use. Run after building:
//   node server/test/browser-echo.mjs [--calls 8] [--chromium /usr/bin/chromium] [--screenshot console.png]
import http from 'node:http';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { startDevServer } from '../../dist/server/index.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '8' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    verbose: { type: 'boolean', default: false },
    screenshot: { type: 'string' }, // save a PNG of the moderator console there
  },
});
const CALLS = Number(values.calls);

let passed = 0;
let failed = 0;
const check = (name, ok, detail) => {
  if (ok) passed++;
  else failed++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail !== undefined ? ` -- ${JSON.stringify(detail)}` : ''}`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const overall = setTimeout(() => {
  console.log('timed out');
  process.exit(1);
}, 90_000);

const jssip = await build({
  stdin: { contents: "import * as JsSIP from '@krivega/jssip'; window.JsSIP = JsSIP.default ?? JsSIP;", resolveDir: process.cwd() },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  write: false,
  logLevel: 'error',
});
const jssipCode = jssip.outputFiles[0].text;

const page = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><meta charset="utf-8"><title>echo</title><body></body>');
});
await new Promise((r) => page.listen(0, '127.0.0.1', r));
const pageUrl = `http://localhost:${page.address().port}/`;

const server = await startDevServer({ port: 0, controlPort: 0, users: { 1001: 'secret1001' }, log: values.verbose ? (l) => console.log(`    [server] ${l}`) : undefined });
console.log(`server ${server.wsUrl}, page ${pageUrl}`);
const api = async (method, path, body) => {
  const r = await fetch(server.controlUrl + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return r.json();
};

const browser = await puppeteer.launch({
  executablePath: values.chromium,
  headless: true,
  args: [
    '--no-sandbox',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
try {
  const tab = await browser.newPage();
  tab.on('console', (m) => values.verbose && console.log(`    [page] ${m.text()}`));
  await tab.goto(pageUrl);
  await tab.addScriptTag({ content: jssipCode });
  await tab.evaluate((wsUrl) => {
    window.makeCall = async ({ user, password, conference, name, register }) => {
      const socket = new JsSIP.WebSocketInterface(wsUrl);
      const ua = new JsSIP.UA({
        sockets: [socket],
        uri: `sip:${user}@vinteo.local`,
        ...(password ? { password } : {}),
        register,
        display_name: name,
        ...(register ? {} : { session_timers: false }),
      });
      const state = { infos: [], ended: null, registered: false };
      ua.on('registered', () => (state.registered = true));
      ua.start();
      if (register) {
        await new Promise((resolve, reject) => {
          ua.once('registered', resolve);
          ua.once('registrationFailed', (e) => reject(new Error(`registration failed: ${e.cause}`)));
        });
      } else {
        await new Promise((resolve) => ua.once('connected', resolve));
      }
      const session = ua.call(`sip:${conference}@vinteo.local`, {
        mediaConstraints: { audio: true, video: true },
        pcConfig: { iceServers: [] },
        extraHeaders: ['X-Vinteo-Mic-State: 1', 'X-Vinteo-MainCam-State: 1'],
      });
      session.on('newInfo', (e) => {
        if (e.originator === 'remote') state.infos.push({ contentType: e.info.contentType, headers: Object.fromEntries(['X-WEBRTC-ENTER-ROOM', 'X-WEBRTC-PARTICIPANT-NAME', 'X-WEBRTC-USE-LICENSE', 'X-WEBRTC-SHARE-STATE', 'X-WEBRTC-SHARE-CODEC'].map((h) => [h, e.request.getHeader(h)])) });
      });
      state.reinvites = 0;
      state.tracks = [];
      session.on('reinvite', () => state.reinvites++);

      session.on('ended', (e) => (state.ended = e.cause));
      session.on('failed', (e) => (state.ended = `failed: ${e.cause}`));
      await new Promise((resolve, reject) => {
        session.once('confirmed', resolve);
        session.once('failed', (e) => reject(new Error(`call failed: ${e.cause}`)));
      });
      // (JsSIP emits 'peerconnection' inside ua.call(), before a listener could be added)
      session.connection.addEventListener('track', (ev) => state.tracks.push({ mid: ev.transceiver.mid, kind: ev.track.kind }));
      return { ua, session, state };
    };
    window.inbound = async (pc) => {
      const stats = await pc.getStats();
      const out = {};
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp') out[s.kind] = { packetsReceived: s.packetsReceived, framesDecoded: s.framesDecoded, codecId: s.codecId, keyFramesDecoded: s.keyFramesDecoded };
        if (s.type === 'codec' && s.mimeType) out[`codec:${s.id}`] = s.mimeType;
      });
      for (const k of ['audio', 'video']) if (out[k]?.codecId) out[k].codec = out[`codec:${out[k].codecId}`];
      return { audio: out.audio, video: out.video };
    };
    // inbound-rtp stats of one m-line (by mid)
    window.inboundMid = async (pc, mid) => {
      const stats = await pc.getStats();
      let found;
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.mid === mid) found = { packetsReceived: s.packetsReceived, framesDecoded: s.framesDecoded, keyFramesDecoded: s.keyFramesDecoded, frameWidth: s.frameWidth };
      });
      return found;
    };
    window.calls = [];
    JsSIP.debug.enable('JsSIP:RTCSession JsSIP:ERROR*');
  }, server.wsUrl);

  // --- one registered call
  await tab.evaluate(async () => {
    window.calls.push(await window.makeCall({ user: '1001', password: 'secret1001', conference: '3000', name: 'Иван Петров', register: true }));
  });
  const regs = await api('GET', '/api/registrations');
  check('JsSIP registers (digest)', regs.length === 1 && regs[0].user === '1001', regs);
  await sleep(2500);
  const s1 = await tab.evaluate(() => window.inbound(window.calls[0].session.connection));
  check('echoed video decodes in Chromium', s1.video?.framesDecoded > 10, s1);
  check('echoed audio arrives', s1.audio?.packetsReceived > 20, s1);
  console.log(`    negotiated: audio ${s1.audio?.codec}, video ${s1.video?.codec}`);
  const infos = await tab.evaluate(() => window.calls[0].state.infos);
  check('JsSIP receives roomname + uselic INFOs', infos.length >= 2 && infos[0].headers['X-WEBRTC-ENTER-ROOM'] === '3000' && infos[0].headers['X-WEBRTC-PARTICIPANT-NAME'] === 'Иван Петров' && infos[1].headers['X-WEBRTC-USE-LICENSE'] === 'VIDEO', infos);
  let calls = await api('GET', '/api/calls');
  check('server: call confirmed, info statuses 200, media counters move', calls[0].state === 'confirmed' && calls[0].infoSent.every((i) => i.status === 200) && calls[0].media.every((m) => m.packetsReceived > 0), calls[0]);
  check('server: displayName decoded', calls[0].displayName === 'Иван Петров', calls[0].displayName);

  // --- control API INFO to JsSIP
  const r = await api('POST', `/api/calls/${calls[0].id}/info`, { contentType: 'application/vinteo.webrtc.maincam', headers: { 'X-WEBRTC-MAINCAM': 'PAUSEMAINCAM' } });
  check('POST /info → JsSIP answers 200', r.status === 200, r);

  // --- client INFO + DTMF
  await tab.evaluate(() => {
    const s = window.calls[0].session;
    s.sendInfo('application/vinteo.webrtc.mediastate', undefined, { extraHeaders: ['X-WEBRTC-MEDIA-STATE: currentstate', 'X-VINTEO-MIC-STATE: 0'] });
    s.sendDTMF('1#', { duration: 100, interToneGap: 70 });
  });
  await sleep(800);
  calls = await api('GET', '/api/calls');
  check('server records the client INFO and DTMF', calls[0].infoReceived.some((i) => i.headers['x-webrtc-media-state'] === 'currentstate') && calls[0].dtmfReceived === '1#', { info: calls[0].infoReceived, dtmf: calls[0].dtmfReceived });

  // --- renegotiate: add a recvonly video transceiver, then ICE restart
  const before = await tab.evaluate(() => window.inbound(window.calls[0].session.connection));
  const ok1 = await tab.evaluate(async () => {
    const s = window.calls[0].session;
    s.connection.addTransceiver('video', { direction: 'recvonly' });
    return new Promise((resolve) => s.renegotiate({}, () => resolve(true)) || resolve(false));
  });
  await sleep(500);
  calls = await api('GET', '/api/calls');
  check('re-INVITE with an added m-line', ok1 && calls[0].media.length === 3 && calls[0].reinvites === 1, { ok1, media: calls[0].media.map((m) => `${m.kind}:${m.direction}`) });
  const ok2 = await tab.evaluate(async () => {
    const s = window.calls[0].session;
    return new Promise((resolve) => s.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, () => resolve(true)) || resolve(false));
  });
  await sleep(2500);
  const after = await tab.evaluate(() => window.inbound(window.calls[0].session.connection));
  check('ICE restart re-INVITE; echo keeps decoding', ok2 && after.video.framesDecoded > before.video.framesDecoded + 20, { before: before.video, after: after.video });
  const pcState = await tab.evaluate(() => window.calls[0].session.connection.connectionState);
  check('peer connection still connected', pcState === 'connected', pcState);

  // --- remove the added m-line (transceiver.stop → port 0), renegotiate with UPDATE
  const ok3 = await tab.evaluate(async () => {
    const s = window.calls[0].session;
    const t = s.connection.getTransceivers()[2];
    t.stop();
    return new Promise((resolve) => s.renegotiate({ useUpdate: true }, () => resolve(true)) || resolve(false));
  });
  await sleep(2000);
  calls = await api('GET', '/api/calls');
  const removed = await tab.evaluate(() => window.inbound(window.calls[0].session.connection));
  check('UPDATE with an offer that removes an m-line (port 0)', ok3 && calls[0].media.length === 3 && calls[0].media[2].direction === 'inactive' && calls[0].media[2].port === 0, { ok3, media: calls[0].media.map((m) => `${m.kind}:${m.port}:${m.direction}`) });
  check('echo keeps decoding after the removal', removed.video.framesDecoded > after.video.framesDecoded + 20, { after: after.video, now: removed.video });

  // --- content from the server: INFO + server re-INVITE (JsSIP answers it on its own); the new stream must decode
  const callId = calls[0].id;
  const contentStart = await api('POST', `/api/calls/${callId}/content/start`, { codec: 'VP8' });
  check('content/start: JsSIP answers the INFO and the server re-INVITE (200)', contentStart.status === 200 && contentStart.reinviteStatus === 200 && contentStart.content?.state === 'active', contentStart);
  const contentMid = contentStart.content?.mid;
  await sleep(2500);
  const contentView = await tab.evaluate(async (mid) => {
    const { session, state } = window.calls[0];
    const pc = session.connection;
    return {
      reinvites: state.reinvites,
      info: state.infos.find((i) => i.headers['X-WEBRTC-SHARE-STATE'] === 'YOUCANRECEIVECONTENT'),
      track: state.tracks.find((t) => t.mid === mid),
      content: await window.inboundMid(pc, mid),
      main: await window.inboundMid(pc, pc.getTransceivers()[1].mid),
      direction: pc.getTransceivers().find((t) => t.mid === mid)?.currentDirection,
      state: pc.connectionState,
    };
  }, contentMid);
  check('JsSIP gets YOUCANRECEIVECONTENT (VP8), a reinvite event and a new video track', contentView.info?.headers['X-WEBRTC-SHARE-CODEC'] === 'VP8' && contentView.reinvites === 1 && contentView.track?.kind === 'video' && contentView.direction === 'recvonly', contentView);
  check('Chromium decodes the content stream (second video m-line) and still the echo', contentView.content?.framesDecoded > 10 && contentView.content.keyFramesDecoded > 0 && contentView.main?.framesDecoded > removed.video.framesDecoded, contentView);
  const contentStop = await api('POST', `/api/calls/${callId}/content/stop`);
  await sleep(1500);
  const afterStop = await tab.evaluate(async (mid) => {
    const pc = window.calls[0].session.connection;
    const t = pc.getTransceivers().find((x) => x.mid === mid);
    return { direction: t?.currentDirection, stopped: t?.stopped, content: await window.inboundMid(pc, mid), main: await window.inboundMid(pc, pc.getTransceivers()[1].mid), state: pc.connectionState, end: window.calls[0].state.infos.some((i) => i.headers['X-WEBRTC-SHARE-STATE'] === 'CONTENTEND') };
  }, contentMid);
  check('content/stop: CONTENTEND, the m-line inactive (not stopped), the echo keeps decoding', contentStop.reinviteStatus === 200 && afterStop.end && afterStop.direction === 'inactive' && afterStop.stopped !== true && afterStop.main.framesDecoded > contentView.main.framesDecoded + 20 && afterStop.state === 'connected', { contentStop, afterStop });

  // --- presentation from the browser: permission INFO, then a second video sender on the reused content transceiver
  const askPresentation = () =>
    tab.evaluate(() =>
      window.calls[0].session
        .sendInfo('application/vinteo.webrtc.sharedesktop', undefined, { extraHeaders: ['X-WEBRTC-SHARE-STATE: LETMESTARTPRESENTATION'] })
        .then(() => 'accepted', () => 'declined'),
    );
  await api('POST', `/api/calls/${callId}/presentation-policy`, { accept: true, failNext: 1 });
  const answers = [await askPresentation(), await askPresentation()];
  check('LETMESTARTPRESENTATION from JsSIP: declined once (failNext 1), then accepted', answers[0] === 'declined' && answers[1] === 'accepted', answers);
  const presented = await tab.evaluate(async (mid) => {
    const s = window.calls[0].session;
    const pc = s.connection;
    const screen = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
    const t = pc.getTransceivers().find((x) => x.mid === mid && x.direction === 'recvonly');
    if (!t) return { error: 'no recvonly transceiver to reuse' };
    t.direction = 'sendrecv';
    await t.sender.replaceTrack(screen.getVideoTracks()[0]);
    window.screenStream = screen;
    const ok = await new Promise((resolve) => s.renegotiate({}, () => resolve(true)) || resolve(false));
    return { ok, mid: t.mid };
  }, contentMid);
  await sleep(2000);
  let pcall = await api('GET', `/api/calls/${callId}`);
  const pmedia = pcall.media.find((m) => m.mid === contentMid);
  check('the browser\'s second video stream reaches the server: role presentation, counted, presentation active', presented.ok && pmedia?.role === 'presentation' && pmedia.packetsReceived > 20 && pcall.presentation.state === 'active', { presented, pmedia, presentation: pcall.presentation });
  const order = await api('POST', `/api/calls/${callId}/presentation/stop`);
  await tab.evaluate(async () => {
    window.screenStream.getTracks().forEach((t) => t.stop());
    await window.calls[0].session.sendInfo('application/vinteo.webrtc.sharedesktop', undefined, { extraHeaders: ['X-WEBRTC-SHARE-STATE: STOPPRESENTATION'] });
  });
  pcall = await api('GET', `/api/calls/${callId}`);
  check('presentation/stop reaches JsSIP (200); STOPPRESENTATION → stopped', order.status === 200 && pcall.presentation.state === 'stopped', { order, presentation: pcall.presentation });

  // --- main-video faults (protocol §11): what Chromium's inbound-rtp stats show for stall and garble
  const mainVideo = () =>
    tab.evaluate(async () => {
      const pc = window.calls[0].session.connection;
      const t = pc.getTransceivers()[1];
      let found;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.mid === t.mid) found = { packets: s.packetsReceived, bytes: s.bytesReceived, framesReceived: s.framesReceived, framesDecoded: s.framesDecoded };
      });
      return { ...found, muted: t.receiver.track.muted };
    });
  await api('POST', `/api/calls/${callId}/video`, { mode: 'stall' });
  await sleep(1000);
  const stall1 = await mainVideo();
  await sleep(1500);
  const stall2 = await mainVideo();
  check('video stall: Chromium\'s inbound packets and bytes stop', stall2.packets === stall1.packets && stall2.bytes === stall1.bytes, { stall1, stall2 });
  await api('POST', `/api/calls/${callId}/video`, { mode: 'garble', until: 'command' });
  await sleep(1000);
  const garble1 = await mainVideo();
  await sleep(2000);
  const garble2 = await mainVideo();
  check(
    'video garble: packets keep rising, frames received and decoded do not',
    garble2.packets > garble1.packets + 20 && garble2.framesDecoded === garble1.framesDecoded && garble2.framesReceived === garble1.framesReceived,
    { garble1, garble2 },
  );
  console.log(`    main video track muted: ${stall2.muted} while stalled, ${garble2.muted} while garbled`);
  const recovered = await tab.evaluate(() => new Promise((resolve) => window.calls[0].session.renegotiate({}, () => resolve(true)) || resolve(false)));
  const stillGarbled = (await api('GET', `/api/calls/${callId}`)).videoMode;
  await api('POST', `/api/calls/${callId}/video`, { mode: 'flow' });
  await sleep(2500);
  const flow = await mainVideo();
  check('until command: a re-INVITE keeps the garble; flow → Chromium decodes again', recovered && stillGarbled === 'garble' && flow.framesDecoded > garble2.framesDecoded + 10, { stillGarbled, garble2, flow });

  // --- hangup from the browser
  await tab.evaluate(() => window.calls[0].session.terminate());
  await sleep(300);
  calls = await api('GET', '/api/calls');
  check('browser hangup ends the call on the server', calls[0].state === 'ended' && calls[0].endReason === 'bye', calls[0].endReason);

  // --- server-initiated call: JsSIP (still registered as 1001) answers it
  await tab.evaluate(() => {
    window.autoAnswer = true;
    window.calls[0].ua.on('newRTCSession', (e) => {
      if (e.originator !== 'remote') return;
      const s = e.session;
      const record = { session: s, infos: [], ended: null, confirmed: false };
      window.incoming = record;
      s.on('newInfo', (ev) => {
        if (ev.originator !== 'remote') return;
        const get = (h) => ev.request.getHeader(h);
        record.infos.push({ contentType: ev.info.contentType, maincam: get('X-WEBRTC-MAINCAM'), sync: get('X-WEBRTC-SYNC'), notify: get('X-VINTEO-NOTIFY') });
      });
      s.on('confirmed', () => (record.confirmed = true));
      s.on('ended', (ev) => (record.ended = ev.cause));
      s.on('failed', (ev) => (record.ended = `failed: ${ev.cause}`));
      if (window.autoAnswer) s.answer({ mediaConstraints: { audio: true, video: true }, pcConfig: { iceServers: [] } });
    });
  });
  const placed = await api('POST', '/api/registrations/1001/call', { displayName: 'Support', from: '2000' });
  let confirmedIn = false;
  for (let i = 0; i < 50 && !confirmedIn; i++) {
    await sleep(100);
    confirmedIn = (await api('GET', `/api/calls/${placed.id}`)).state === 'confirmed';
  }
  const identity = await tab.evaluate(() => ({ name: window.incoming?.session.remote_identity.display_name, user: window.incoming?.session.remote_identity.uri.user, confirmed: window.incoming?.confirmed }));
  check('JsSIP accepts the server INVITE and answers; server call confirmed', confirmedIn && identity.confirmed, identity);
  check('JsSIP sees From "Support" <sip:2000@…>', identity.name === 'Support' && identity.user === '2000', identity);
  await sleep(2500);
  const inStats = await tab.evaluate(() => window.inbound(window.incoming.session.connection));
  check('server-initiated call: echoed video decodes in Chromium', inStats.video?.framesDecoded > 10 && inStats.audio?.packetsReceived > 20, inStats);
  let outCall = await api('GET', `/api/calls/${placed.id}`);
  check('server-initiated call: direction outgoing, media from the answer, counters move', outCall.direction === 'outgoing' && outCall.media.length === 2 && outCall.media.every((m) => m.direction === 'sendrecv' && m.packetsReceived > 0), outCall.media);
  const cmd = await api('POST', `/api/calls/${placed.id}/command`, { command: 'stop-camera', forced: true });
  const notify = await api('POST', `/api/calls/${placed.id}/command`, { command: 'notify', notify: { cmd: 'channels', input: '1', output: '2' } });
  await sleep(200);
  const gotInfos = await tab.evaluate(() => window.incoming.infos);
  check(
    'command INFOs reach JsSIP (maincam ADMINSTOPMAINCAM SYNC 1, notify JSON) and JsSIP answers 200',
    cmd.status === 200 && notify.status === 200 && gotInfos.some((i) => i.maincam === 'ADMINSTOPMAINCAM' && i.sync === '1') && gotInfos.some((i) => i.notify === '{"cmd":"channels","input":"1","output":"2"}'),
    { cmd, notify, gotInfos },
  );

  // --- the moderator console in a second tab (CSP enforced by Chromium)
  const hostile = '<img src=x onerror="window.pwned=1">Mallory';
  await tab.evaluate(async (name) => {
    window.hostile = await window.makeCall({ user: '900999', conference: '5000', name, register: false });
  }, hostile);
  const consoleTab = await browser.newPage();
  const pageProblems = [];
  consoleTab.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') pageProblems.push(m.text());
  });
  consoleTab.on('pageerror', (e) => pageProblems.push(String(e)));
  await consoleTab.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window.cspViolations = [...(window.cspViolations ?? []), `${e.violatedDirective} ${e.blockedURI}`]));
  });
  await consoleTab.goto(`${server.controlUrl}/`);
  await consoleTab.waitForFunction((id) => [...document.querySelectorAll('#calls th')].some((th) => th.textContent === id), { timeout: 5000 }, placed.id);
  const view = await consoleTab.evaluate((id) => {
    const rows = [...document.querySelectorAll('#calls tr')];
    const row = rows.find((r) => r.querySelector('th')?.textContent === id);
    const cells = [...row.children].map((c) => c.textContent);
    const visible = [...row.querySelectorAll('button')].filter((b) => !b.hidden).map((b) => b.textContent);
    const hostileRow = rows.find((r) => r.children[3]?.textContent === '5000' && r.children[5]?.textContent === 'confirmed');
    return {
      cells,
      visible,
      hostileName: hostileRow?.children[2]?.textContent,
      images: document.querySelectorAll('#calls img').length,
      pwned: window.pwned === 1,
      csp: window.cspViolations ?? [],
      users: [...document.querySelectorAll('#call-user option')].map((o) => o.value),
    };
  }, placed.id);
  check('console lists the call (from, conference, direction, state, media)', view.cells[1] === '1001' && view.cells[3] === '2000' && /outgoing/.test(view.cells[4]) && view.cells[5] === 'confirmed' && /video #1: sendrecv/.test(view.cells[6]), view.cells);
  check('console shows bilingual buttons for a live call', view.visible.includes('Stop camera / Остановить камеру') && view.visible.includes('Hang up / Завершить') && !view.visible.some((t) => t.startsWith('Admit')), view.visible);
  check(
    'console shows the presentation buttons (deny, order stop, play content)',
    view.visible.includes('Deny presentations / Запретить демонстрацию') && view.visible.includes('Order presentation stop / Потребовать остановить демонстрацию') && view.visible.includes('Play content / Показать контент') && !view.visible.includes('Stop content / Остановить контент') && !view.visible.includes('Allow presentations / Разрешить демонстрацию'),
    view.visible,
  );
  check('console renders a hostile display name as text', view.hostileName === hostile && view.images === 0 && !view.pwned, view);
  check('console: no CSP violations, no errors', view.csp.length === 0 && pageProblems.length === 0, { csp: view.csp, pageProblems });
  check('console lists registered users in the call form', view.users.includes('1001'), view.users);
  // Keyboard: focus the row's "Pause camera" button and press Enter.
  const infosBefore = await tab.evaluate(() => window.incoming.infos.length);
  await consoleTab.evaluate((id) => {
    const row = [...document.querySelectorAll('#calls tr')].find((r) => r.querySelector('th')?.textContent === id);
    [...row.querySelectorAll('button')].find((b) => b.textContent.startsWith('Pause camera')).focus();
  }, placed.id);
  await consoleTab.keyboard.press('Enter');
  await consoleTab.waitForFunction(() => /client answered 200/.test(document.getElementById('status').textContent), { timeout: 3000 }).catch(() => {});
  const afterInfos = await tab.evaluate(() => window.incoming.infos);
  const status = await consoleTab.evaluate(() => document.getElementById('status').textContent);
  check('console button (keyboard) sends PAUSEMAINCAM; status shows the client answer', afterInfos.length === infosBefore + 1 && afterInfos.at(-1).maincam === 'PAUSEMAINCAM' && /client answered 200/.test(status), { status, last: afterInfos.at(-1) });
  // "Play content" from the console: the server re-INVITEs JsSIP; the button flips to "Stop content".
  const clickButton = (id, prefix) =>
    consoleTab.evaluate(
      (callId, text) => {
        const row = [...document.querySelectorAll('#calls tr')].find((r) => r.querySelector('th')?.textContent === callId);
        const button = [...row.querySelectorAll('button')].find((b) => !b.hidden && b.textContent.startsWith(text));
        button?.click();
        return !!button;
      },
      id,
      prefix,
    );
  const played = await clickButton(placed.id, 'Play content');
  await consoleTab.waitForFunction(() => /Play content.*OK/.test(document.getElementById('status').textContent), { timeout: 8000 }).catch(() => {});
  const playedCall = await api('GET', `/api/calls/${placed.id}`);
  await consoleTab.waitForFunction(
    (id) => [...[...document.querySelectorAll('#calls tr')].find((r) => r.querySelector('th')?.textContent === id).querySelectorAll('button')].some((b) => !b.hidden && b.textContent.startsWith('Stop content')),
    { timeout: 3000 },
    placed.id,
  ).catch(() => {});
  const stopShown = await clickButton(placed.id, 'Stop content');
  await consoleTab.waitForFunction(() => /Stop content.*OK/.test(document.getElementById('status').textContent), { timeout: 8000 }).catch(() => {});
  const stoppedCall = await api('GET', `/api/calls/${placed.id}`);
  check(
    'console Play content / Stop content drive the server re-INVITEs (server-initiated call)',
    played && playedCall.content.state === 'active' && stopShown && stoppedCall.content.state === 'idle' && stoppedCall.serverReinvites === 2,
    { played, content: playedCall.content, stopShown, after: stoppedCall.content, serverReinvites: stoppedCall.serverReinvites },
  );
  if (values.screenshot) {
    await consoleTab.setViewport({ width: 1600, height: 900 });
    await consoleTab.screenshot({ path: values.screenshot, fullPage: true });
  }
  await tab.evaluate(() => window.hostile.session.terminate());

  // --- hang up from the browser
  await tab.evaluate(() => window.incoming.session.terminate());
  await sleep(300);
  outCall = await api('GET', `/api/calls/${placed.id}`);
  check('JsSIP hangup (BYE) ends the server-initiated call', outCall.state === 'ended' && outCall.endReason === 'bye', outCall.endReason);

  // --- server hangs up while JsSIP is still ringing: CANCEL
  await tab.evaluate(() => (window.autoAnswer = false));
  const ring = await api('POST', '/api/registrations/1001/call', {});
  let ringing = false;
  for (let i = 0; i < 30 && !ringing; i++) {
    await sleep(100);
    ringing = (await api('GET', `/api/calls/${ring.id}`)).state === 'ringing';
  }
  const hangRinging = await api('POST', `/api/calls/${ring.id}/hangup`);
  const ringCall = await api('GET', `/api/calls/${ring.id}`);
  const jsEnded = await tab.evaluate(() => window.incoming.ended);
  check('JsSIP rings (180); hangup sends CANCEL; JsSIP answers 200 + 487', ringing && hangRinging.status === 200 && ringCall.endReason === 'hangup' && ringCall.finalStatus === 487 && /Canceled/i.test(jsEnded ?? ''), { ringing, hangRinging, end: ringCall.endReason, finalStatus: ringCall.finalStatus, jsEnded });

  // --- and declines: JsSIP terminate() on an incoming session answers 480/486
  const dec = await api('POST', '/api/registrations/1001/call', {});
  for (let i = 0; i < 30; i++) {
    await sleep(100);
    if ((await api('GET', `/api/calls/${dec.id}`)).state === 'ringing') break;
  }
  await tab.evaluate(() => window.incoming.session.terminate({ status_code: 486 }));
  await sleep(300);
  const decCall = await api('GET', `/api/calls/${dec.id}`);
  check('JsSIP declines with 486 → rejected', decCall.endReason === 'rejected' && decCall.finalStatus === 486, { endReason: decCall.endReason, finalStatus: decCall.finalStatus });
  await consoleTab.close();

  // --- N simultaneous guest calls
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await tab.evaluate(async (n) => {
    const made = [];
    for (let i = 0; i < n; i++) made.push(window.makeCall({ user: String(900000 + i), conference: '4000', name: `Guest ${i}`, register: false }));
    window.many = await Promise.all(made);
  }, CALLS);
  const setupMs = Date.now() - t0;
  await sleep(5000);
  const stats = await tab.evaluate(() => Promise.all(window.many.map((c) => window.inbound(c.session.connection))));
  const cpu = process.cpuUsage(cpu0);
  const wall = (Date.now() - t0) / 1000;
  check(`${CALLS} simultaneous calls all echo video`, stats.every((s) => s.video?.framesDecoded > 30), stats.map((s) => s.video?.framesDecoded));
  calls = await api('GET', '/api/calls');
  const live = calls.filter((c) => c.conference === '4000' && c.state === 'confirmed');
  check(`${CALLS} calls confirmed on the server`, live.length === CALLS, live.length);
  console.log(`    ${CALLS} calls set up in ${setupMs} ms; server process CPU over ${wall.toFixed(1)} s: ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)}% of one core (includes this script and puppeteer)`);

  // --- drop all sockets: JsSIP sees the disconnect, server ends calls
  const drop = await api('POST', '/api/connections/drop');
  await sleep(500);
  calls = await api('GET', '/api/calls');
  check('connections/drop ends every live call', drop.dropped >= CALLS && calls.filter((c) => c.conference === '4000').every((c) => c.state === 'ended' && c.endReason === 'connection-dropped'), drop);
  await tab.evaluate(() => window.many.forEach((c) => c.ua.stop()));
} catch (error) {
  failed++;
  console.log(`  FAIL ${error.stack ?? error}`);
} finally {
  await browser.close();
  await server.close();
  page.close();
  clearTimeout(overall);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
