import { expect, waitUntil } from '@open-wc/testing';
import { makeClient } from '../../test/helpers/fake-client.js';
import { ExponentialBackoff } from '../reconnect/policy.js';
import type { VinteoClientEvents } from '../types.js';

/** A `fetch` stand-in for discovery answering `body`. */
function discovery(body: unknown, status = 200): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const stub = (async (url: string | URL | Request) => {
    urls.push(String(url));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fetch: stub, urls };
}

const quick = new ExponentialBackoff({ initialDelayMs: 10, maxDelayMs: 20, jitter: 0 });

describe('the client on the wire (fake transport): discovery, identity, liveness, notifies', () => {
  it('with server: discovers first, then uses ip, remoteAddress, iceServers and the unified User-Agent', async () => {
    const answer = { ip: '10.9.8.7', remoteAddress: '203.0.113.9', iceServers: [{ urls: 'stun:10.9.8.7:3478' }], unified: true };
    const { fetch, urls } = discovery(answer);
    const { client, transport } = makeClient({}, { wsUrl: undefined, sipDomain: undefined, server: 'vinteo.example.com:8443', fetch, displayName: ' Anna Petrova ', appName: 'myapp', appVersion: '3.2' });
    const found: VinteoClientEvents['connection:discovered'][] = [];
    client.on('connection:discovered', (event) => found.push(event));
    await client.join('1000');
    expect(urls).to.deep.equal(['https://vinteo.example.com:8443/api/v1/address']);
    expect(found).to.deep.equal([{ sipDomain: '10.9.8.7', iceServers: 1, unified: true, remoteAddress: true }]);
    const agent = transport.agents[0]!;
    expect(agent.params.wsUrl).to.equal('wss://vinteo.example.com:8443/webrtc/wss/');
    expect(agent.params.configuration.uri).to.match(/^sip:\d+@10\.9\.8\.7$/);
    expect(agent.params.configuration.user_agent).to.match(new RegExp(`^ChromeNew - ${navigator.userAgent.includes('Firefox/') ? 'Firefox' : 'Chrome'} \\d+, myapp 3$`));
    expect(agent.params.configuration.display_name, 'trimmed, spaces as _').to.equal('Anna_Petrova');
    expect(agent.params.registerHeaders).to.deep.equal(['X-Vinteo-Remote: 203.0.113.9']);
    const session = agent.sessions[0]!;
    expect(session.target).to.equal('sip:1000@10.9.8.7');
    expect(session.options.extraHeaders).to.include('X-Vinteo-Remote: 203.0.113.9');
    expect((session.options as { pcConfig?: RTCConfiguration }).pcConfig?.iceServers).to.deep.equal([{ urls: 'stun:10.9.8.7:3478' }]);
    // A second join on the same connection asks no second time.
    await client.leave();
    await client.join('1000');
    expect(urls).to.have.length(1);
    client.destroy();
  });

  it('a failed discovery falls back (host name, STUN on it, "Chrome") and still connects', async () => {
    const { fetch } = discovery('<h1>502</h1>', 502);
    const { client, transport } = makeClient({}, { wsUrl: undefined, sipDomain: undefined, server: 'vinteo.example.com', fetch });
    const found: VinteoClientEvents['connection:discovered'][] = [];
    client.on('connection:discovered', (event) => found.push(event));
    await client.join('1000');
    expect(client.getSnapshot().call.state).to.equal('in-call');
    expect(found[0]).to.include({ sipDomain: 'vinteo.example.com', unified: false, remoteAddress: false });
    expect(found[0]!.fallback).to.contain('not JSON');
    const agent = transport.agents[0]!;
    expect(agent.params.configuration.user_agent).to.equal('Chrome');
    expect(agent.params.registerHeaders).to.deep.equal([]);
    expect((agent.sessions[0]!.options as { pcConfig?: RTCConfiguration }).pcConfig?.iceServers).to.deep.equal([{ urls: ['stun:vinteo.example.com:3478'] }]);
    expect(agent.sessions[0]!.options.extraHeaders!.some((h) => h.startsWith('X-Vinteo-Remote'))).to.equal(false);
    client.destroy();
  });

  it('the iceServers option wins over discovery; ws-url skips discovery', async () => {
    const { fetch, urls } = discovery({ ip: '10.0.0.1', iceServers: [{ urls: 'stun:10.0.0.1:3478' }] });
    const mine = [{ urls: 'turn:turn.example.com', username: 'u', credential: 'c' }];
    const { client, transport } = makeClient({}, { wsUrl: undefined, sipDomain: undefined, server: 'v.example.com', fetch, iceServers: mine });
    await client.join('1000');
    expect((transport.agents[0]!.sessions[0]!.options as { pcConfig?: RTCConfiguration }).pcConfig?.iceServers).to.deep.equal(mine);
    client.destroy();
    const plain = makeClient({}, { fetch });
    await plain.client.join('1000');
    expect(urls, 'ws-url: no discovery').to.have.length(1);
    expect(plain.transport.agents[0]!.params.configuration.user_agent).to.equal('Chrome');
    plain.client.destroy();
  });

  it('pings its own AOR right after connecting', async () => {
    const { client, transport } = makeClient({}, { user: '1001' });
    await client.connect();
    await waitUntil(() => transport.agents[0]!.pings > 0, 'no ping after the connect');
    expect(transport.agents[0]!.pingTargets[0]).to.equal('sip:1001@vinteo.local');
    client.destroy();
  });

  it('two non-2xx answers in a row reconnect; one does not', async () => {
    const { client, transport } = makeClient({}, { reconnectPolicy: quick, pingIntervalMs: 1000 });
    await client.join('1000');
    const agent = transport.agents[0]!;
    await waitUntil(() => agent.pings === 1);
    agent.pingStatus = 404;
    await waitUntil(() => agent.pings === 2, 'no second ping', { timeout: 5000 });
    expect(transport.agents, 'one failure keeps the connection').to.have.length(1);
    await waitUntil(() => transport.agents.length === 2, 'no reconnect after two failed pings', { timeout: 5000 });
    expect(agent.pings).to.equal(3);
    await waitUntil(() => client.getSnapshot().call.state === 'in-call' && client.getSnapshot().call.recoveringSince === undefined);
    client.destroy();
  });

  it('a NOTIFY outside any dialog reaches conference:notify like the in-dialog INFO, and its jwt stays inside', async () => {
    const { client, transport } = makeClient({}, {});
    await client.connect();
    const notes: VinteoClientEvents['conference:notify'][] = [];
    const ignored: VinteoClientEvents['conference:ignored-info'][] = [];
    client.on('conference:notify', (event) => notes.push(event));
    client.on('conference:ignored-info', (event) => ignored.push(event));
    const agent = transport.agents[0]!;
    agent.receiveNotify('{"cmd":"accountChanged"}');
    agent.receiveNotify('{"cmd":"addedToListModerators","conference":"1000"}');
    agent.receiveNotify('{"cmd":"ConferenceParticipantTokenIssued","body":{"conference":"1000","participant":"p","jwt":"SECRET-JWT"}}');
    agent.receiveNotify('{not json');
    agent.receiveNotify('{"cmd":"noSuchCommand"}');
    agent.receiveNotify(undefined);
    expect(notes.map((n) => n.notification.cmd)).to.deep.equal(['accountChanged', 'addedToListModerators', 'ConferenceParticipantTokenIssued']);
    expect(client.getSnapshot().room.moderator).to.equal(true);
    expect(JSON.stringify(notes)).not.to.contain('SECRET-JWT');
    expect(JSON.stringify(client.getSnapshot())).not.to.contain('SECRET-JWT');
    expect(ignored.map((i) => i.contentType)).to.deep.equal(['NOTIFY', 'NOTIFY', 'NOTIFY']);
    client.destroy();
  });
});
