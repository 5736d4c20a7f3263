import { expect } from '@open-wc/testing';
import { resolveConnectionConfig } from '../config.js';
import { discover, parseDiscovery, withDiscovery } from './discovery.js';

/** A `fetch` stand-in answering `body` with `status`, recording the requests. */
function answering(body: string, status = 200): { fetch: typeof fetch; requests: { url: string; init: RequestInit | undefined }[] } {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  const stub = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init });
    return new Response(body, { status });
  }) as typeof fetch;
  return { fetch: stub, requests };
}

/** A `fetch` that never answers, rejecting only when aborted (as the real one does). */
const silent = ((_url: string | URL | Request, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  })) as typeof fetch;

describe('discovery (/api/v1/address)', () => {
  it('takes the SIP domain, remote address, ICE servers and unified from the answer', () => {
    const found = parseDiscovery(
      { ip: '10.1.2.3', remoteAddress: '203.0.113.7', iceServers: [{ urls: ['stun:10.1.2.3:3478'] }, { urls: 'turn:t.example.com', username: 'u', credential: 'c' }], unified: true },
      'vinteo.example.com',
    );
    expect(found).to.deep.equal({
      sipDomain: '10.1.2.3',
      remoteAddress: '203.0.113.7',
      iceServers: [{ urls: ['stun:10.1.2.3:3478'] }, { urls: 'turn:t.example.com', username: 'u', credential: 'c' }],
      unified: true,
    });
  });

  it('falls back to stun:{ip}:3478 when iceServers is missing or any urls is no URL', () => {
    expect(parseDiscovery({ ip: '10.1.2.3' }, 'h').iceServers).to.deep.equal([{ urls: ['stun:10.1.2.3:3478'] }]);
    expect(parseDiscovery({ ip: '10.1.2.3', iceServers: [{ urls: 'stun:a:1' }, { urls: 'not a url' }] }, 'h').iceServers).to.deep.equal([
      { urls: ['stun:10.1.2.3:3478'] },
    ]);
    expect(parseDiscovery({ ip: '10.1.2.3', iceServers: 'stun:a' }, 'h').iceServers).to.deep.equal([{ urls: ['stun:10.1.2.3:3478'] }]);
    expect(parseDiscovery({ ip: '10.1.2.3', iceServers: [{ urls: [] }] }, 'h').iceServers).to.deep.equal([{ urls: ['stun:10.1.2.3:3478'] }]);
  });

  it('uses an empty iceServers list as given (every urls of none parses)', () => {
    expect(parseDiscovery({ ip: '10.1.2.3', iceServers: [] }, 'h').iceServers).to.deep.equal([]);
  });

  it('keeps unified false unless it is exactly true, and drops an empty remote address', () => {
    const found = parseDiscovery({ ip: 'sip.example.com', unified: 'yes', remoteAddress: '  ' }, 'h');
    expect(found.unified).to.equal(false);
    expect(found).not.to.have.property('remoteAddress');
  });

  it('refuses an ip or remote address that could break a SIP URI or header', () => {
    const found = parseDiscovery({ ip: 'evil.example.com>;x=1', remoteAddress: '1.2.3.4\r\nX-Injected: 1' }, 'vinteo.example.com:8443');
    expect(found.sipDomain, 'the server host name instead').to.equal('vinteo.example.com');
    expect(found).not.to.have.property('remoteAddress');
  });

  it('brackets an IPv6 ip', () => {
    const found = parseDiscovery({ ip: '2001:db8::1' }, 'h');
    expect(found.sipDomain).to.equal('[2001:db8::1]');
    expect(found.iceServers).to.deep.equal([{ urls: ['stun:[2001:db8::1]:3478'] }]);
  });

  it('sends a plain GET to https://{server}/api/v1/address without credentials', async () => {
    const { fetch, requests } = answering(JSON.stringify({ ip: '10.0.0.1' }));
    const found = await discover('vinteo.example.com:8443', { fetch, timeoutMs: 1000 });
    expect(found.sipDomain).to.equal('10.0.0.1');
    expect(requests).to.have.length(1);
    expect(requests[0]!.url).to.equal('https://vinteo.example.com:8443/api/v1/address');
    expect(requests[0]!.init?.credentials).to.equal('omit');
    expect(requests[0]!.init?.headers, 'no extra headers').to.equal(undefined);
    expect(requests[0]!.init?.method ?? 'GET').to.equal('GET');
  });

  it('reads the JSON whatever the HTTP status', async () => {
    const found = await discover('h.example.com', { fetch: answering(JSON.stringify({ ip: '10.0.0.2', unified: true }), 404).fetch, timeoutMs: 1000 });
    expect(found).to.include({ sipDomain: '10.0.0.2', unified: true });
    expect(found.fallback).to.equal(undefined);
  });

  it('falls back to the host name, STUN on it and the legacy User-Agent when the answer is not JSON', async () => {
    const found = await discover('vinteo.example.com', { fetch: answering('<html>Bad gateway</html>', 502).fetch, timeoutMs: 1000 });
    expect(found).to.deep.equal({
      sipDomain: 'vinteo.example.com',
      iceServers: [{ urls: ['stun:vinteo.example.com:3478'] }],
      unified: false,
      fallback: 'the answer (HTTP 502) is not JSON',
    });
  });

  it('falls back when the request fails or takes too long, and never throws for that', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect((await discover('a.example.com', { fetch: failing, timeoutMs: 1000 })).fallback).to.equal('the request failed');
    expect((await discover('a.example.com', { fetch: silent, timeoutMs: 100 })).fallback).to.equal('no answer within 100 ms');
  });

  it('rethrows when the caller aborts', async () => {
    const abort = new AbortController();
    const pending = discover('a.example.com', { fetch: silent, timeoutMs: 60_000, signal: abort.signal });
    abort.abort();
    let thrown: unknown;
    try {
      await pending;
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(DOMException);
  });

  it('applies to a config: sip-domain wins over ip, the rest comes from discovery', () => {
    const found = parseDiscovery({ ip: '10.0.0.3', remoteAddress: '198.51.100.1', iceServers: [], unified: true }, 'v.example.com');
    const plain = withDiscovery(resolveConnectionConfig({ server: 'v.example.com' }), found);
    expect(plain).to.include({ sipDomain: '10.0.0.3', remoteAddress: '198.51.100.1', unified: true });
    expect(plain.iceServers).to.deep.equal([]);
    const pinned = withDiscovery(resolveConnectionConfig({ server: 'v.example.com', sipDomain: 'sip.example.com' }), found);
    expect(pinned.sipDomain).to.equal('sip.example.com');
    expect(pinned.remoteAddress).to.equal('198.51.100.1');
  });
});
