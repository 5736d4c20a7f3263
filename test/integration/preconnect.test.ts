// Integration: the signalling WebSocket opened while JsSIP loads (ConnectionService's `preconnect`) is the one
// the user agent uses, against vinteo-dev-server on 127.0.0.1 with real JsSIP.
import { expect, waitUntil } from '@open-wc/testing';
import { createJsSipUserAgent, loadJsSip } from '../../src/connection/jssip.js';
import { openSipSocket } from '../../src/connection/spare-socket.js';
import type { SipUserAgent } from '../../src/connection/transport.js';
import { useIntegrationEnv } from '../helpers/integration.js';

const WAIT = { timeout: 15_000, interval: 50 };

describe('integration: the WebSocket opened while the SIP library loads', function () {
  this.timeout(30_000);
  const env = useIntegrationEnv();
  const Native = window.WebSocket;
  let made: WebSocket[] = [];
  let ua: SipUserAgent | undefined;

  beforeEach(async () => {
    await loadJsSip();
    made = [];
    // Every WebSocket the page makes, JsSIP's included.
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        made.push(this);
      }
    };
  });
  afterEach(() => {
    window.WebSocket = Native;
    ua?.stop();
    ua = undefined;
    for (const ws of made) ws.close();
  });

  /** A registering user agent over `spare`; resolves once registered. */
  async function register(spare: WebSocket): Promise<void> {
    const user = '1001';
    ua = createJsSipUserAgent({
      wsUrl: env().wsUrl,
      preconnected: spare,
      configuration: { uri: `sip:${user}@${env().sipDomain}`, password: env().users[user], register: true, sockets: [] },
    });
    const registered = new Promise<void>((resolve, reject) => {
      ua!.on('registered', () => resolve());
      ua!.on('registrationFailed', (event: { cause?: string }) => reject(new Error(`registration failed: ${event.cause}`)));
    });
    ua.start();
    await registered;
  }

  it('an open socket is taken over: the REGISTER goes over it and no second socket is made', async () => {
    const spare = openSipSocket(env().wsUrl)!;
    expect(spare.protocol === '' || spare.protocol === 'sip').to.equal(true);
    await waitUntil(() => spare.readyState === WebSocket.OPEN, 'the socket did not open', WAIT);
    await register(spare);
    expect(made).to.have.length(1);
    expect(made[0]).to.equal(spare);
    expect(spare.protocol).to.equal('sip');
    expect(spare.readyState).to.equal(WebSocket.OPEN);
  });

  it('a socket still connecting is taken over too', async () => {
    const spare = openSipSocket(env().wsUrl)!;
    expect(spare.readyState).to.equal(WebSocket.CONNECTING);
    await register(spare);
    expect(made).to.deep.equal([spare]);
  });

  it('a socket that closed meanwhile is replaced by a fresh one, and the user agent still registers', async () => {
    const spare = openSipSocket(env().wsUrl)!;
    await waitUntil(() => spare.readyState === WebSocket.OPEN, 'the socket did not open', WAIT);
    spare.close();
    await waitUntil(() => spare.readyState === WebSocket.CLOSED, 'the socket did not close', WAIT);
    await register(spare);
    expect(made).to.have.length(2);
    expect(made[1]!.readyState).to.equal(WebSocket.OPEN);
  });

  it('a user agent that cannot be made closes the socket (nothing is left open)', () => {
    const spare = openSipSocket(env().wsUrl)!;
    expect(() =>
      createJsSipUserAgent({ wsUrl: 'http://not-a-websocket.invalid/', preconnected: spare, configuration: { uri: `sip:1001@${env().sipDomain}`, sockets: [] } }),
    ).to.throw();
    // Closing (or closed): JsSIP rejected the address before any socket of its own.
    expect(spare.readyState).to.be.at.least(WebSocket.CLOSING);
  });
});
