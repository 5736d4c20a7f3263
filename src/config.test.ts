import { expect } from '@open-wc/testing';
import { GUEST_MAX, GUEST_MIN, randomGuestUser } from './connection/guest.js';
import { checkConnectionOptions, resolveConnectionConfig, sameConnection, validateConference, type ConnectionOptions } from './config.js';
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
    expect(Number(config.user)).to.be.within(GUEST_MIN, GUEST_MAX);
    expect(config.registerExpires).to.equal(300);
    expect(config.server, 'discovery runs for server').to.equal('vinteo.example.com');
    expect(config.sipDomainSet).to.equal(false);
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
    expect(config.server, 'no discovery with ws-url').to.equal(undefined);
    expect(config.sipDomainSet).to.equal(true);
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
    // Header and URI injection: the user part is checked after percent-decoding.
    ['user with a percent-encoded CR LF (a new header line)', { server: 'h', user: '1001%0D%0AX-Injected%3A%20yes' }, /user/],
    ['user with a percent-encoded quote (closes the digest quote)', { server: 'h', register: true, user: '1001%22', password: 'p' }, /user/],
    ['user with a percent-encoded backslash', { server: 'h', user: '1001%5C' }, /user/],
    ['user with a percent-encoded control character', { server: 'h', user: '1001%01' }, /user/],
    ['user with a percent-encoded DEL', { server: 'h', user: '1001%7F' }, /user/],
    ['user with malformed percent-encoding', { server: 'h', user: 'a%zz' }, /user.*percent/],
    ['user ending in a lone %', { server: 'h', user: '1001%' }, /user.*percent/],
    ['display name with U+0001', { server: 'h', displayName: 'Ann\u0001' }, /display-name/],
    ['display name with DEL', { server: 'h', displayName: 'Ann\u007f' }, /display-name/],
    ['display name with a tab', { server: 'h', displayName: 'Ann\tB' }, /display-name/],
    ['password with a line break', { server: 'h', register: true, user: '1001', password: 'p\r\nX: y' }, /password/],
    ['password with a control character', { server: 'h', register: true, user: '1001', password: 'p\u0000' }, /password/],
    ['server port above 65535', { server: '127.0.0.1:99999' }, /server.*port/],
    ['server port 65536', { server: 'vinteo.example.com:65536' }, /server.*port/],
    ['server port 0', { server: 'vinteo.example.com:0' }, /server.*port/],
    ['ws-url port above 65535', { wsUrl: 'ws://127.0.0.1:99999/webrtc/wss/' }, /ws-url.*port/],
    ['ws-url port 0', { wsUrl: 'wss://vinteo.example.com:0/webrtc/wss/' }, /ws-url.*port/],
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

  it('checks conference numbers after percent-decoding', () => {
    expect(validateConference('10%30')).to.equal('10%30');
    for (const [conference, pattern] of [
      ['100%', /conference.*percent/],
      ['100%zz', /conference.*percent/],
      ['1000%0D%0AX-Injected%3A%20yes', /conference/],
      ['1000%22', /conference/],
      ['1000%00', /conference/],
    ] as const) {
      let error: unknown;
      try {
        validateConference(conference);
      } catch (caught) {
        error = caught;
      }
      expect(error, conference).to.be.instanceOf(VinteoError);
      expect((error as VinteoError).reason, conference).to.equal('invalid-config');
      expect((error as VinteoError).message, conference).to.match(pattern);
    }
  });

  it('checkConnectionOptions checks what is set and leaves what is missing to connect', () => {
    expect(() => checkConnectionOptions({})).not.to.throw();
    expect(() => checkConnectionOptions({ register: true })).not.to.throw();
    expect(() => checkConnectionOptions({ server: 'vinteo.example.com:443', user: '1001', displayName: 'Ann' })).not.to.throw();
    expect(() => checkConnectionOptions({ server: '127.0.0.1:99999' })).to.throw(VinteoError, /port/);
    expect(() => checkConnectionOptions({ user: '1001%0D%0AX-Injected%3A%20yes' })).to.throw(VinteoError, /user/);
    expect(() => checkConnectionOptions({ displayName: 'Ann\u0001' })).to.throw(VinteoError, /display-name/);
  });

  it('error messages never contain the password', () => {
    const error = invalid({ server: 'h', register: true, user: '1001', password: 'secret\r\n' });
    expect(error.message).not.to.contain('secret');
  });

  it('compares connections by server and identity', () => {
    const a = resolveConnectionConfig({ wsUrl: 'ws://127.0.0.1:1/', user: '5' });
    const b = resolveConnectionConfig({ wsUrl: 'ws://127.0.0.1:1/', user: '6' });
    const c = resolveConnectionConfig({ wsUrl: 'ws://127.0.0.1:2/' });
    expect(sameConnection(a, b)).to.equal(true, 'guests differ only by random user');
    expect(sameConnection(a, c)).to.equal(false);
  });

  it('makes random guest users from 100000 to 99999998, as the reference does', () => {
    const users = new Set(Array.from({ length: 200 }, randomGuestUser));
    expect(users.size).to.be.greaterThan(190);
    for (const user of users) {
      expect(user).to.match(/^[1-9]\d{5,7}$/);
      expect(Number(user)).to.be.within(100_000, 99_999_998);
    }
  });
});
