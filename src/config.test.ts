import { expect } from '@open-wc/testing';
import { randomGuestUser, resolveConnectionConfig, sameConnection, validateConference, type ConnectionOptions } from './config.js';
import { VinteoError } from './errors.js';

function invalid(options: ConnectionOptions): VinteoError {
  try {
    resolveConnectionConfig(options);
  } catch (error) {
    expect(error).to.be.instanceOf(VinteoError);
    return error as VinteoError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('config', () => {
  it('builds the production WebSocket URL from server', () => {
    const config = resolveConnectionConfig({ server: 'vinteo.example.com' });
    expect(config.wsUrl).to.equal('wss://vinteo.example.com/webrtc/wss/');
    expect(config.sipDomain).to.equal('vinteo.example.com');
    expect(config.register).to.equal(false);
    expect(config.user).to.match(/^\d{9}$/);
    expect(config.registerExpires).to.equal(300);
  });

  it('keeps a port in server but not in the SIP domain', () => {
    const config = resolveConnectionConfig({ server: 'vinteo.example.com:8443' });
    expect(config.wsUrl).to.equal('wss://vinteo.example.com:8443/webrtc/wss/');
    expect(config.sipDomain).to.equal('vinteo.example.com');
  });

  it('lets ws-url override server and sip-domain be separate', () => {
    const config = resolveConnectionConfig({
      server: 'ignored.example.com',
      wsUrl: 'ws://127.0.0.1:8089/webrtc/wss/',
      sipDomain: 'vinteo.local',
    });
    expect(config.wsUrl).to.equal('ws://127.0.0.1:8089/webrtc/wss/');
    expect(config.sipDomain).to.equal('vinteo.local');
  });

  it('registered users keep their user and password', () => {
    const config = resolveConnectionConfig({ server: 'h', register: true, user: '1001', password: 'p' });
    expect(config.user).to.equal('1001');
    expect(config.password).to.equal('p');
  });

  const bad: Array<[string, ConnectionOptions, RegExp]> = [
    ['nothing', {}, /server/],
    ['blank server', { server: '   ' }, /server/],
    ['server with a scheme', { server: 'https://vinteo.example.com' }, /server must be a host name/],
    ['server with a path', { server: 'host/path' }, /server must be a host name/],
    ['ws-url that is no URL', { wsUrl: 'not a url' }, /ws-url/],
    ['ws-url with http', { wsUrl: 'http://127.0.0.1/' }, /ws:\/\/ or wss:\/\//],
    ['bad sip-domain', { server: 'h', sipDomain: 'a b' }, /sip-domain/],
    ['register without user', { server: 'h', register: true, password: 'p' }, /user/],
    ['register without password', { server: 'h', register: true, user: '1001' }, /password/],
    ['user with spaces', { server: 'h', user: 'a b' }, /user/],
    ['display name with a line break', { server: 'h', displayName: 'a\r\nb' }, /display-name/],
    ['display name too long', { server: 'h', displayName: 'x'.repeat(129) }, /display-name/],
    ['expires too small', { server: 'h', registerExpires: 5 }, /registerExpires/],
  ];
  for (const [name, options, pattern] of bad) {
    it(`refuses ${name} with invalid-config`, () => {
      const error = invalid(options);
      expect(error.reason).to.equal('invalid-config');
      expect(error.message).to.match(pattern);
    });
  }

  it('validates conference numbers', () => {
    expect(validateConference(' 1000 ')).to.equal('1000');
    expect(() => validateConference('')).to.throw(VinteoError, /conference/);
    expect(() => validateConference(undefined)).to.throw(VinteoError, /conference/);
    expect(() => validateConference('10 00')).to.throw(VinteoError, /conference/);
  });

  it('compares connections by server and identity', () => {
    const a = resolveConnectionConfig({ wsUrl: 'ws://127.0.0.1:1/', user: '5' });
    const b = resolveConnectionConfig({ wsUrl: 'ws://127.0.0.1:1/', user: '6' });
    const c = resolveConnectionConfig({ wsUrl: 'ws://127.0.0.1:2/' });
    expect(sameConnection(a, b)).to.equal(true, 'guests differ only by random user');
    expect(sameConnection(a, c)).to.equal(false);
  });

  it('makes random 9-digit guest users', () => {
    const users = new Set(Array.from({ length: 50 }, randomGuestUser));
    expect(users.size).to.be.greaterThan(45);
    for (const user of users) expect(user).to.match(/^[1-9]\d{8}$/);
  });
});
