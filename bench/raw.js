/* global window, document, performance, navigator, MediaStream, fetch -- browser code (eslint.config.mjs gives bench/ Node globals only) */
// The baseline page's code (bench/pages/raw.html): a minimal integration of raw @krivega/jssip doing
// what <vinteo-call auto-join> does — register, call the conference, show the remote video — and
// nothing else. Bundled with JsSIP by esbuild in the benchmark run (bench/run.mjs), minified like ours.
//
// Query: ws, domain, user, pw, conf, mode (join | hold | cycles | recover | scale), early=1 (send the
// INVITE at the first ICE candidate: JsSIP's `icecandidate` event with ready()), pregum=1 (open camera
// and microphone while registering and pass the stream to ua.call() instead of mediaConstraints).
// Marks (ms since navigation start) go to window.__bench (bench/pages/instrument.js).
import { UA, WebSocketInterface } from '@krivega/jssip';

const bench = window.__bench;
bench.mark('script');
const config = bench.config();
const query = config.query;
Object.assign(config, {
  early: query.get('early') === '1',
  pregum: query.get('pregum') === '1',
  // With pregum: show the local preview as soon as the camera is open (as <vinteo-call> does),
  // before the call starts, instead of once it is confirmed.
  preview: query.get('preview') === '1',
  // hd=1: the camera as <vinteo-call> asks for it (1280×720 at 30 fps, ideal) instead of the browser's default,
  // so that both pages encode and decode the same video (the scale section, where that work is most of the CPU).
  hd: query.get('hd') === '1',
});
const videoConstraints = config.hd ? { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } } : true;
const remoteVideo = document.querySelector('video.remote');
const localVideo = document.querySelector('video.local');
const now = () => performance.now();

/** A UA that registers; resolves once registered. Every UA event is logged with its time. */
function startUserAgent() {
  bench.mark('ua:start');
  const ua = new UA({
    sockets: [new WebSocketInterface(config.ws)],
    uri: `sip:${config.user}@${config.domain}`,
    ...(config.password ? { password: config.password } : {}),
    register: true,
    display_name: `raw ${config.user}`,
  });
  for (const type of ['connected', 'disconnected', 'registered', 'unregistered', 'registrationFailed']) {
    ua.on(type, () => bench.event(`ua:${type}`));
  }
  const registered = new Promise((resolve, reject) => {
    ua.once('registered', resolve);
    ua.once('registrationFailed', (event) => reject(new Error(`registration failed: ${event.cause}`)));
  });
  ua.start();
  return { ua, registered };
}

/** Calls the conference; resolves with the session once confirmed. Shows both videos. */
function call(ua, mediaStream) {
  return new Promise((resolve, reject) => {
    bench.event('call');
    const session = ua.call(`sip:${config.conference}@${config.domain}`, {
      ...(mediaStream ? { mediaStream } : { mediaConstraints: { audio: true, video: videoConstraints } }),
      pcConfig: { iceServers: [] },
      eventHandlers: {
        peerconnection: ({ peerconnection }) => {
          peerconnection.addEventListener('track', (event) => {
            const stream = event.streams[0] ?? new MediaStream([event.track]);
            if (remoteVideo.srcObject !== stream) remoteVideo.srcObject = stream;
          });
        },
        ...(config.early
          ? {
              icecandidate: (event) => {
                if (event.candidate) event.ready();
              },
            }
          : {}),
        confirmed: () => {
          bench.event('session:confirmed');
          if (!localVideo.srcObject) {
            const tracks = session.connection.getSenders().map((sender) => sender.track).filter(Boolean);
            localVideo.srcObject = new MediaStream(tracks);
          }
          resolve(session);
        },
        ended: (event) => bench.event(`session:ended:${event.cause}`),
        failed: (event) => {
          bench.event(`session:failed:${event.cause}`);
          reject(new Error(`call failed: ${event.cause}`));
        },
      },
    });
  });
}

function nextUaEvent(ua, type) {
  return new Promise((resolve) => ua.once(type, () => resolve(now())));
}

/**
 * One join: register, call, first remote frame; then hang up and stop the UA. `waitForStop`: wait
 * for JsSIP's 'disconnected' (it comes after the un-REGISTER wait, up to 2 s); the join figure times
 * it, the cycles do not wait for it (as our element does not).
 */
async function join({ leave = true, waitForStop = true } = {}) {
  const frame = bench.firstFrame(remoteVideo);
  const { ua, registered } = startUserAgent();
  const media = config.pregum ? navigator.mediaDevices.getUserMedia({ audio: true, video: videoConstraints }) : undefined;
  if (media && config.preview) {
    media.then((stream) => {
      localVideo.srcObject = stream;
      localVideo.play().catch(() => undefined);
    });
  }
  await registered;
  bench.mark('registered');
  const session = await call(ua, await media);
  bench.mark('in-call');
  const first = await frame;
  bench.mark('frame', first.time);
  bench.t.frameMeta = first.metadata;
  if (!leave) return { ua, session };
  await bench.sleep(150);
  const ended = new Promise((resolve) => session.once('ended', resolve));
  bench.mark('leave');
  session.terminate();
  await ended;
  bench.mark('left');
  if (media) for (const track of (await media).getTracks()) track.stop();
  remoteVideo.srcObject = null;
  localVideo.srcObject = null;
  const disconnected = nextUaEvent(ua, 'disconnected');
  bench.mark('remove');
  ua.stop();
  if (waitForStop) bench.mark('disconnected', await disconnected);
  return undefined;
}

bench.kind = 'raw';
// For the runner's count of live UA instances after the join/leave cycles.
bench.UA = UA;
bench.run = async () => {
  if (config.mode === 'join') {
    await join();
  } else if (config.mode === 'hold' || config.mode === 'recover') {
    const held = await join({ leave: false });
    bench.held = held;
    if (config.mode === 'recover') watchRecovery(held.ua);
  }
  bench.done = true;
  return bench.t;
};

/** Scale: every page joins when the runner calls go() on all of them at once. */
bench.go = async () => {
  bench.mark('go');
  try {
    bench.held = await join({ leave: false });
  } catch (error) {
    bench.fail(error);
  }
  return bench.t;
};

/** Leaves the held call and stops the UA (hold mode); resolves once the socket is closed. */
bench.leaveAll = async () => {
  const held = bench.held;
  if (!held) return;
  bench.held = undefined;
  try {
    held.session.terminate();
  } catch {
    // already ended
  }
  const disconnected = nextUaEvent(held.ua, 'disconnected');
  held.ua.stop();
  await bench.within(disconnected, 3000);
  remoteVideo.srcObject = null;
  localVideo.srcObject = null;
};

/** `n` join/leave cycles, each a new UA: register, call, first frame, hang up, stop. */
bench.cycles = async (n) => {
  bench.recording = false;
  for (let i = 0; i < n; i += 1) {
    bench.reset();
    await join({ waitForStop: false });
  }
  return n;
};

// Recovery with raw JsSIP: its own transport recovery (reconnect and re-REGISTER), plus the
// redial an integrator would add: once registered again after a lost connection, hang up the old
// session (JsSIP keeps a confirmed session across a lost socket) and call again.
// `bench.recover(kind)` triggers a drop or a restart through the runner and times it.
let redial;
function watchRecovery(ua) {
  ua.on('registered', () => redial?.());
}

bench.recover = async (kind) => {
  const held = bench.held;
  const ua = held.ua;
  const t0 = now();
  let lost = false;
  ua.once('disconnected', () => {
    lost = true;
  });
  const result = new Promise((resolve, reject) => {
    redial = () => {
      if (!lost) return;
      redial = undefined;
      const registered = now();
      try {
        held.session.terminate();
      } catch {
        // already ended
      }
      remoteVideo.srcObject = null;
      const frame = bench.firstFrame(remoteVideo);
      call(ua).then((session) => {
        held.session = session;
        const confirmed = now();
        frame.then((first) => resolve({ registered, inCall: confirmed, frame: first.time }));
      }, reject);
    };
  });
  const response = await fetch(`/__bench/${kind}`, { method: 'POST' });
  if (!response.ok) throw new Error(`/__bench/${kind}: ${response.status} ${await response.text()}`);
  const back = await result;
  return { registered: back.registered - t0, inCall: back.inCall - t0, frame: back.frame - t0 };
};

bench.started = bench.run().catch((error) => {
  bench.fail(error);
  bench.done = true;
  return bench.t;
});
