// JsSIP logs through the `debug` module, which turns itself on from `localStorage.debug` as JsSIP
// loads; its log holds every SIP message, the digest Authorization of each REGISTER included. The
// library keeps JsSIP's namespaces off (without touching the page's setting or other namespaces)
// unless the page calls enableSipDebug(). This file must be the first to load JsSIP in its page.
import { expect } from '@open-wc/testing';
import { VinteoClient } from '../../src/client.js';
import { enableSipDebug } from '../../src/connection/sip-debug.js';
import { useIntegrationEnv } from '../helpers/integration.js';

interface Debug {
  enabled(name: string): boolean;
}

describe('integration: JsSIP debug log', function () {
  this.timeout(30_000);
  const env = useIntegrationEnv();
  const PAGE_SETTING = 'JsSIP:*,page:*';
  let stored: string | null;

  before(() => {
    stored = localStorage.getItem('debug');
  });
  after(() => {
    enableSipDebug(false);
    if (stored === null) localStorage.removeItem('debug');
    else localStorage.setItem('debug', stored);
  });

  it('localStorage.debug = "JsSIP:*": a registered connect prints no SIP message; the setting and other namespaces stay', async () => {
    const lines: string[] = [];
    const methods = ['debug', 'info', 'log', 'warn', 'error'] as const;
    const originals = methods.map((method) => console[method]);
    // Before JsSIP loads: its loggers bind the console methods as they are created.
    methods.forEach((method, index) => {
      console[method] = (...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
        originals[index]!.apply(console, args);
      };
    });
    localStorage.setItem('debug', PAGE_SETTING);
    const password = env().users['1001']!;
    const client = new VinteoClient({ wsUrl: env().wsUrl, sipDomain: env().sipDomain, credentials: { user: '1001', password } });
    try {
      await client.connect();
      expect(client.getSnapshot().connection.state).to.equal('registered');
      await client.disconnect();
    } finally {
      methods.forEach((method, index) => {
        console[method] = originals[index]!;
      });
      client.destroy();
    }
    const { debug } = (await import('@krivega/jssip')) as unknown as { debug: Debug };
    // JsSIP's own namespaces are off; nothing of the SIP exchange reached the console.
    expect(debug.enabled('JsSIP:Transport')).to.equal(false);
    expect(debug.enabled('JsSIP:DigestAuthentication')).to.equal(false);
    const sip = lines.filter((line) => /JsSIP:|REGISTER sip:|Authorization|WWW-Authenticate/i.test(line) || line.includes(password));
    expect(sip, 'SIP log lines').to.deep.equal([]);
    // The page's own setting is not rewritten, and its other namespaces still log.
    expect(localStorage.getItem('debug')).to.equal(PAGE_SETTING);
    expect(debug.enabled('page:widget')).to.equal(true);
  });

  it('enableSipDebug() turns JsSIP\'s log on, enableSipDebug(false) off again, without writing storage', async () => {
    const { debug } = (await import('@krivega/jssip')) as unknown as { debug: Debug };
    enableSipDebug();
    expect(debug.enabled('JsSIP:Transport')).to.equal(true);
    expect(debug.enabled('page:widget')).to.equal(true);
    enableSipDebug(false);
    expect(debug.enabled('JsSIP:Transport')).to.equal(false);
    expect(debug.enabled('page:widget')).to.equal(true);
    expect(localStorage.getItem('debug')).to.equal(PAGE_SETTING);
  });
});
