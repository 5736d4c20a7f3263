// A TCP proxy on 127.0.0.1 that adds network latency to a WebSocket server on loopback, for the throttled
// join with BENCH_RTT_MS: each chunk is forwarded half a round trip late in each direction (in order), and a
// new connection's first bytes wait `setupRtts` round trips more, as a wss:// connection waits for the TCP and
// TLS 1.3 handshakes before its HTTP upgrade (2 round trips). Media (WebRTC over UDP) does not pass through it.
import net from 'node:net';

/**
 * Starts the proxy in front of `wsUrl` (ws://127.0.0.1:PORT/path); resolves with the proxied URL and `close()`.
 * @param {string} wsUrl
 * @param {number} rttMs
 * @param {number} [setupRtts]
 */
export async function latencyProxy(wsUrl, rttMs, setupRtts = 2) {
  const target = new URL(wsUrl);
  const half = rttMs / 2;
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    // The connection's set-up: nothing is forwarded from the browser before this time.
    const openAt = Date.now() + setupRtts * rttMs;
    /** Forwards `from` to `to` `delay` ms late, never before `notBefore` (both in order). */
    const pipe = (from, to, notBefore) => {
      let last = 0;
      const later = (run) => {
        const at = Math.max(Date.now() + half, notBefore, last);
        last = at;
        setTimeout(run, at - Date.now());
      };
      from.on('data', (chunk) => later(() => to.destroyed || to.write(chunk)));
      from.on('end', () => later(() => to.destroyed || to.end()));
      from.on('close', () => later(() => to.destroyed || to.end()));
    };
    pipe(client, upstream, openAt);
    pipe(upstream, client, 0);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const proxied = new URL(wsUrl);
  proxied.port = String(server.address().port);
  return {
    wsUrl: proxied.toString(),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
