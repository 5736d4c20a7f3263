/* global window, document, performance, MutationObserver, fetch -- browser code (eslint.config.mjs gives bench/ Node globals only) */
// Our benchmark page's code (bench/pages/ours.html), run after dist/vinteo-widgets.js: a
// <vinteo-call auto-join> configured by attributes (and the password property), exactly as a page
// would embed it. Marks (ms since navigation start) go to window.__bench (instrument.js).
//
// Query: ws, domain, user, pw, conf, server (the `server` attribute instead of ws-url and sip-domain:
// discovery first), mode (join | hold | cycles | recover | scale), fastice=off|on|auto
// (the fast-ice attribute; without it the default: the INVITE goes out at the first ICE candidate),
// stats=1 (a visible <vinteo-stats for="call"> next to the call).
(() => {
  'use strict';
  const bench = window.__bench;
  bench.mark('script');
  bench.kind = 'ours';
  const config = bench.config();
  const query = config.query;
  Object.assign(config, {
    fastIce: query.get('fastice'),
    server: query.get('server'),
    stats: query.get('stats') === '1',
  });
  const now = () => performance.now();
  /** Every value of the element's `state` attribute and every connection state, with their times. */
  const states = [];
  const connection = [];

  function create(autoJoin = true) {
    const el = document.createElement('vinteo-call');
    el.id = 'call';
    if (config.server) {
      el.setAttribute('server', config.server);
    } else {
      el.setAttribute('ws-url', config.ws);
      el.setAttribute('sip-domain', config.domain);
    }
    el.setAttribute('display-name', `ours ${config.user ?? 'guest'}`);
    el.setAttribute('conference', config.conference);
    if (config.user) {
      el.setAttribute('user', config.user);
      el.setAttribute('register', '');
    }
    if (config.password) el.password = config.password;
    if (config.fastIce) el.setAttribute('fast-ice', config.fastIce);
    if (autoJoin) el.setAttribute('auto-join', '');
    // updated() sets `state` on every render, changed or not: the records count the element's renders.
    new MutationObserver((records) => {
      bench.renders = (bench.renders ?? 0) + records.length;
      const state = el.getAttribute('state');
      bench.mark('rendered');
      if (states.at(-1)?.[1] !== state) {
        states.push([now(), state]);
        bench.event(`state:${state}`);
      }
    }).observe(el, { attributes: true, attributeFilter: ['state'] });
    el.addEventListener('vinteo-connection-change', (event) => {
      connection.push([now(), event.detail.state]);
      bench.event(`conn:${event.detail.state}`);
    });
    el.addEventListener('vinteo-reconnecting', () => bench.event('reconnecting'));
    el.addEventListener('vinteo-reconnected', () => {
      connection.push([now(), 'reconnected']);
      bench.event('reconnected');
    });
    return el;
  }

  /** Resolves with the time the element's state (or the connection's) became one of `wanted` after `after`. */
  const stateAfter = (log, wanted, after, what, timeoutMs) =>
    bench.until(() => log.find(([time, state]) => time >= after && wanted.includes(state))?.[0], what, timeoutMs);

  const remoteVideo = (el) => el.shadowRoot?.querySelector('[part~="remote-video"]');

  /** Appends the element (and <vinteo-stats>); resolves once rendered, with the next-frame promise armed. */
  async function append(autoJoin = true) {
    bench.mark('append');
    const el = create(autoJoin);
    document.body.append(el);
    if (config.stats) {
      const stats = document.createElement('vinteo-stats');
      stats.setAttribute('for', 'call');
      document.body.append(stats);
    }
    await el.updateComplete;
    // Armed before any frame can be presented: the first remote frame the element shows.
    const frame = bench.firstFrame(remoteVideo(el));
    return { el, frame };
  }

  /**
   * One join: registered, in-call, first remote frame. With `staged` (an element appended earlier
   * without auto-join, as a page with a Join button has it), the join is its join() call.
   */
  async function join(timeoutMs = 30_000, staged = undefined) {
    const start = now();
    const { el, frame } = staged ? await staged : await append();
    if (staged) void el.join();
    bench.mark('registered', await stateAfter(connection, ['registered'], start, 'registration', timeoutMs));
    const inCall = await stateAfter(states, ['in-call', 'failed'], start, 'in-call', timeoutMs);
    if (el.getAttribute('state') === 'failed') throw new Error(`the call failed: ${el.shadowRoot.querySelector('[part~="error"]')?.textContent?.trim()}`);
    bench.mark('in-call', inCall);
    const first = await frame;
    bench.mark('frame', first.time);
    bench.t.frameMeta = first.metadata;
    return el;
  }

  /** Leave, then remove the element: times to `ended`/`idle` and to the connection's `disconnected`. */
  async function leaveAndRemove(el) {
    const client = el.client;
    bench.mark('leave');
    const leaving = now();
    await el.leave();
    bench.mark('left', await stateAfter(states, ['ended', 'idle'], leaving, 'ended after leave()', 10_000));
    let disconnected;
    const done = new Promise((resolve) => {
      const off = client.subscribe(
        (snapshot) => snapshot.connection.state,
        (state) => {
          if (state === 'disconnected') {
            disconnected = now();
            off();
            resolve();
          }
        },
      );
    });
    bench.mark('remove');
    el.remove();
    document.querySelector('vinteo-stats')?.remove();
    await bench.within(done, 10_000);
    if (disconnected !== undefined) bench.mark('disconnected', disconnected);
  }

  bench.run = async () => {
    if (config.mode === 'join') {
      const el = await join();
      await bench.sleep(150);
      await leaveAndRemove(el);
    } else if (config.mode === 'hold' || config.mode === 'recover') {
      bench.held = await join();
    }
    // cycles: bench.cycles(n); scale: bench.go()
    bench.done = true;
    return bench.t;
  };

  bench.leaveAll = async () => {
    const el = bench.held;
    bench.held = undefined;
    if (el) await leaveAndRemove(el);
  };

  /** `n` join/leave cycles, each a new element and client: in-call, first frame, leave, remove. */
  bench.cycles = async (n) => {
    bench.recording = false;
    for (let i = 0; i < n; i += 1) {
      bench.reset();
      states.length = 0;
      connection.length = 0;
      const el = await join();
      await leaveAndRemove(el);
    }
    return n;
  };

  /**
   * Scale (and the main-thread diagnostics): the element is on the page from the start, without
   * auto-join, as a page with a Join button has it (the raw page has JsSIP loaded, too); every page
   * joins when the runner calls go() on all of them at once.
   */
  const staged = config.mode === 'scale' ? append(false) : undefined;
  // Ready for go() once the element's services (the loader's SIP chunk, which it loads when the browser is idle)
  // are here, as they are by the time a person clicks Join; the raw page has JsSIP from its start.
  bench.ready = staged?.then(({ el }) => el.client?.loadServices?.());
  bench.go = async () => {
    bench.mark('go');
    try {
      bench.held = await join(120_000, staged);
    } catch (error) {
      bench.fail(error);
    }
    return bench.t;
  };

  /** Recovery: a drop or a server restart (through the runner); times from the trigger. */
  bench.recover = async (kind) => {
    const el = bench.held;
    const t0 = now();
    const response = await fetch(`/__bench/${kind}`, { method: 'POST' });
    if (!response.ok) throw new Error(`/__bench/${kind}: ${response.status} ${await response.text()}`);
    const lost = await stateAfter(states, ['reconnecting'], t0, 'state="reconnecting"', 20_000);
    await el.updateComplete;
    const frame = bench.firstFrame(remoteVideo(el));
    const registered = await stateAfter(connection, ['registered'], lost, 'registered again', 60_000);
    const inCall = await stateAfter(states, ['in-call'], lost, 'in-call again', 60_000);
    const first = await frame;
    return { lost: lost - t0, registered: registered - t0, inCall: inCall - t0, frame: first.time - t0 };
  };

  if (config.mode !== 'cycles' && config.mode !== 'scale') {
    bench.started = bench.run().catch((error) => {
      bench.fail(error);
      bench.done = true;
      return bench.t;
    });
  } else {
    bench.started = Promise.resolve(bench.t);
  }
})();
