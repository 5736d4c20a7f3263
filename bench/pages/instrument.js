/* global window, document, navigator, location, URLSearchParams, performance, PerformanceObserver, WebSocket, setTimeout, clearTimeout -- browser code (eslint.config.mjs gives bench/ Node globals only) */
// Loaded first by both benchmark pages (ours.html and raw.html), before any library: the same
// instrumentation on both sides. Times are performance.now(), i.e. ms since the page's navigation
// started. `__bench.mark(name)` keeps the first time of each mark; `__bench.log` keeps every SIP
// message and WebRTC step in order (for the breakdown of where join time goes).
(() => {
  'use strict';
  const now = () => performance.now();
  // BENCH_PAGE_TEXT=1: the page's own text before anything of the call (the same on both pages), as a real page has.
  if (new URLSearchParams(location.search).get('text') === '1') {
    const heading = document.createElement('h1');
    heading.textContent = 'Weekly meeting';
    const text = document.createElement('p');
    text.textContent = 'Join the conference below with your camera and microphone. Участники видят вас после входа.';
    document.body.prepend(heading, text);
  }
  const bench = {
    t: {},
    log: [],
    recording: true,
    longTasks: [],
    peers: [],
    tracks: [],
    sockets: [],
    error: undefined,
    /** First time of `name` (kept); later marks of the same name are ignored. */
    mark(name, time = now()) {
      if (!(name in bench.t)) bench.t[name] = Math.round(time * 10) / 10;
      return time;
    },
    event(name, time = now()) {
      if (bench.recording && bench.log.length < 2000) bench.log.push([Math.round(time * 10) / 10, name]);
      bench.mark(name, time);
    },
    /** Forgets marks and log (between phases of one page). */
    reset() {
      bench.t = {};
      bench.log = [];
    },
    /** The page's query and what both pages read from it: ws, domain, user, pw, conf, mode. */
    config() {
      const query = new URLSearchParams(location.search);
      return {
        query,
        ws: query.get('ws'),
        domain: query.get('domain') || 'vinteo.local',
        user: query.get('user'),
        password: query.get('pw') || undefined,
        conference: query.get('conf'),
        mode: query.get('mode') || 'join',
      };
    },
    fail(error) {
      bench.error ??= String(error && error.stack ? error.stack : error).slice(0, 2000);
      bench.event('error');
    },
    /**
     * Peer connections not closed, camera/microphone tracks still live, sockets still open (held
     * weakly: the instrumentation must not keep them alive; a collected one is closed).
     */
    leftovers() {
      const live = (list) => list.map((ref) => ref.deref()).filter(Boolean);
      return {
        peerConnections: live(bench.peers).filter((pc) => pc.signalingState !== 'closed').length,
        tracks: live(bench.tracks).filter((track) => track.readyState === 'live').length,
        sockets: live(bench.sockets).filter((ws) => ws.readyState !== WebSocket.CLOSED).length,
        peersCreated: bench.peers.length,
        tracksCreated: bench.tracks.length,
      };
    },
  };
  window.__bench = bench;
  window.addEventListener('error', (event) => bench.fail(event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => bench.fail(event.reason));

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (bench.longTasks.length < 5000) bench.longTasks.push([Math.round(entry.startTime), Math.round(entry.duration)]);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask support: the runner reports none
  }
  // Layout shifts with what moved (for the cycles' heap figures: each entry stays in the page's buffer).
  bench.layoutShifts = [];
  /** `button[part=…].class` for a shifted node (`?` when it is gone), kept as text: no node is held. */
  const shiftedNode = (node) =>
    node ? `${node.nodeName.toLowerCase()}${node.getAttribute?.('part') ? `[part=${node.getAttribute('part')}]` : ''}${node.className && typeof node.className === 'string' ? `.${node.className.split(' ').join('.')}` : ''}` : '?';
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (bench.layoutShifts.length >= 200) break;
        bench.layoutShifts.push({ at: Math.round(entry.startTime), value: entry.value, sources: (entry.sources ?? []).map((source) => `${shiftedNode(source.node)} ${JSON.stringify(source.previousRect)}→${JSON.stringify(source.currentRect)}`) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  } catch {
    // no layout-shift support: none recorded
  }

  // Our loader's SIP chunk (dist/vinteo-widgets-sip.js): when it was asked for and when it had arrived.
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!/vinteo-widgets-sip\.js/.test(entry.name)) continue;
        bench.mark('chunk:requested', entry.startTime);
        bench.mark('chunk:fetched', entry.responseEnd);
      }
    }).observe({ type: 'resource', buffered: true });
  } catch {
    // no resource timing: the steps stay empty
  }

  /** `REGISTER`, `INVITE`, `ACK`… or `200 INVITE` / `401 REGISTER` for a response. */
  const describe = (data) => {
    if (typeof data !== 'string') return undefined;
    const first = data.slice(0, data.indexOf('\r\n'));
    const response = /^SIP\/2\.0 (\d{3})/.exec(first);
    if (response) {
      const cseq = /\r\nCSeq:\s*\d+\s+([A-Z]+)/i.exec(data);
      return `${response[1]} ${cseq ? cseq[1] : '?'}`;
    }
    const request = /^([A-Z]+) /.exec(first);
    return request ? request[1] : undefined;
  };

  const NativeWebSocket = window.WebSocket;
  class BenchWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      bench.sockets.push(new WeakRef(this));
      bench.event('ws:new');
      this.addEventListener('open', () => bench.event('ws:open'));
      this.addEventListener('close', () => bench.event('ws:close'));
      this.addEventListener('message', (event) => {
        const what = describe(event.data);
        if (what) bench.event(`sip<${what}`);
      });
    }

    send(data) {
      const what = describe(data);
      if (what) bench.event(`sip>${what}`);
      return super.send(data);
    }
  }
  window.WebSocket = BenchWebSocket;

  const devices = navigator.mediaDevices;
  if (devices && devices.getUserMedia) {
    const getUserMedia = devices.getUserMedia.bind(devices);
    // BENCH_CAMERA_MS: a real camera's start-up, which runs beside the page's work (not on its main thread).
    const cameraMs = Number(new URLSearchParams(location.search).get('camera') ?? 0);
    devices.getUserMedia = async (constraints) => {
      bench.event('gum:start');
      const startedUp = cameraMs > 0 ? new Promise((resolve) => setTimeout(resolve, cameraMs)) : undefined;
      const stream = await getUserMedia(constraints);
      if (startedUp) await startedUp;
      bench.tracks.push(...stream.getTracks().map((track) => new WeakRef(track)));
      const video = stream.getVideoTracks()[0];
      if (video) {
        const { width, height } = video.getSettings();
        bench.t.gumVideo ??= `${width}x${height}`;
      }
      bench.event('gum:done');
      return stream;
    };
  }

  const NativePeer = window.RTCPeerConnection;
  class BenchPeer extends NativePeer {
    constructor(...args) {
      super(...args);
      bench.peers.push(new WeakRef(this));
      bench.event('pc:created');
      let candidates = 0;
      this.addEventListener('icecandidate', (event) => {
        if (event.candidate) {
          candidates += 1;
          bench.event(candidates === 1 ? 'ice:first-candidate' : 'ice:candidate');
        }
      });
      this.addEventListener('icegatheringstatechange', () => {
        if (this.iceGatheringState === 'complete') bench.event('ice:gathering-complete');
      });
      this.addEventListener('iceconnectionstatechange', () => bench.event(`ice:${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => bench.event(`pcstate:${this.connectionState}`));
      this.addEventListener('track', (event) => {
        const kind = event.track.kind;
        bench.event(`pc:track-${kind}`);
        event.track.addEventListener('unmute', () => bench.event(`track:unmute-${kind}`), { once: true });
      });
    }

    async setLocalDescription(...args) {
      bench.event('pc:setLocalDescription');
      return super.setLocalDescription(...args);
    }

    async setRemoteDescription(...args) {
      bench.event('pc:setRemoteDescription');
      const result = await super.setRemoteDescription(...args);
      bench.event('pc:remoteDescriptionSet');
      return result;
    }
  }
  window.RTCPeerConnection = BenchPeer;

  /**
   * Resolves with the time of the first video frame `video` presents from now on
   * (requestVideoFrameCallback; the callback's metadata says when it was received and decoded).
   */
  bench.firstFrame = (video) =>
    new Promise((resolve) => {
      video.requestVideoFrameCallback((time, metadata) => {
        resolve({ time: now(), metadata: { ...metadata } });
      });
    });

  /** Waits for `predicate` (polled every animation frame and every 50 ms), up to `timeoutMs`. */
  bench.until = (predicate, what, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const deadline = now() + timeoutMs;
      const check = () => {
        let value;
        try {
          value = predicate();
        } catch (error) {
          reject(error);
          return;
        }
        if (value) resolve(value);
        else if (now() > deadline) reject(new Error(`timed out waiting for ${what}`));
        else setTimeout(check, 20);
      };
      check();
    });

  bench.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  /** `promise`, or `ms` passing first; the timer is cleared either way (a pending one would keep its promise alive). */
  bench.within = (promise, ms) => {
    let timer;
    return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
  };
})();
