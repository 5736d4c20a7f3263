import { expect } from '@open-wc/testing';
import { detectBrowser, sipDisplayName, userAgentString } from './identity.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.7204.100 Safari/537.36';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86';
const YANDEX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36';

// The browser running the tests: Chromium or Firefox (npm test runs both).
const THIS_BROWSER = navigator.userAgent.includes('Firefox/') ? 'Firefox' : 'Chrome';

describe('identity (User-Agent, display name)', () => {
  it('sends "Chrome" unless the server asked for the unified User-Agent', () => {
    expect(userAgentString({ unified: false, appName: 'myapp', appVersion: '3.1.4', browserUserAgent: CHROME })).to.equal('Chrome');
  });

  it('sends "ChromeNew - {browser} {major}, {app} {major}" when unified', () => {
    expect(userAgentString({ unified: true, appName: 'myapp', appVersion: '3.1.4', browserUserAgent: CHROME })).to.equal('ChromeNew - Chrome 138, myapp 3');
    expect(userAgentString({ unified: true, browserUserAgent: FIREFOX })).to.equal('ChromeNew - Firefox 140, vinteo-widgets 0');
  });

  it('leaves the browser out when it is unknown, and turns @*!| in the app name into _', () => {
    expect(userAgentString({ unified: true, appName: 'my@app*!|', appVersion: '12', browserUserAgent: 'curl/8.0' })).to.equal('ChromeNew - my_app___ 12');
    expect(userAgentString({ unified: true, appName: 'x', appVersion: '1' })).to.equal('ChromeNew - x 1');
  });

  it('knows the browsers whose tokens hide behind Chrome/', () => {
    expect(detectBrowser(CHROME)).to.deep.equal({ name: 'Chrome', major: '138' });
    expect(detectBrowser(HEADLESS)).to.deep.equal({ name: 'Chrome', major: '142' });
    expect(detectBrowser(EDGE)).to.deep.equal({ name: 'Edge', major: '131' });
    expect(detectBrowser(YANDEX)).to.deep.equal({ name: 'Yandex', major: '24' });
    expect(detectBrowser(SAFARI)).to.deep.equal({ name: 'Safari', major: '18' });
    expect(detectBrowser('')).to.equal(undefined);
  });

  it('names this browser (the one running the test)', () => {
    expect(userAgentString({ unified: true, browserUserAgent: navigator.userAgent })).to.match(new RegExp(`^ChromeNew - ${THIS_BROWSER} \\d+, vinteo-widgets 0$`));
  });

  it('trims the display name and turns each space into _', () => {
    expect(sipDisplayName('  Anna  Petrova ')).to.equal('Anna__Petrova');
    expect(sipDisplayName('Анна')).to.equal('Анна');
    expect(sipDisplayName(undefined)).to.equal('');
  });
});
