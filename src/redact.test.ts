import { expect } from '@open-wc/testing';
import { VinteoError } from './errors.js';
import { logger } from './logger.js';
import { neutralizeBidi, redact, redactError, redactUrl } from './redact.js';

const SECRET = 's3cr3t-pw';
const BASE64 = btoa(JSON.stringify({ user: '1001', password: SECRET }));

describe('redactUrl', () => {
  const cases: Array<[string, string]> = [
    [`ws://1001:${SECRET}@127.0.0.1:8089/webrtc/wss/`, 'ws://***@127.0.0.1:8089/webrtc/wss/'],
    [`wss://vinteo.example.com/webrtc/wss/?token=${SECRET}#x`, 'wss://vinteo.example.com/webrtc/wss/?***'],
    [`https://a:b@c@host/path#access_token=${SECRET}`, 'https://***@host/path#***'],
    [`wss://user@host?${SECRET}`, 'wss://***@host?***'],
    [`data:application/json;base64,${BASE64}`, 'data:…'],
    ['wss://vinteo.example.com/webrtc/wss/', 'wss://vinteo.example.com/webrtc/wss/'],
    ['not a url', 'not a url'],
  ];
  for (const [input, output] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => {
      expect(redactUrl(input)).to.equal(output);
      expect(redactUrl(output), 'idempotent').to.equal(output);
    });
  }
});

describe('redact: URLs in free text', () => {
  const cases: Array<[string, string]> = [
    // JSON.stringify'd, as config errors quote attributes.
    [`ws-url ${JSON.stringify(`ws://1001:${SECRET} x@host/`)} is not a valid URL`, 'ws-url "ws://***@host/" is not a valid URL'],
    [
      `ws-url must start with ws:// or wss:// (got ${JSON.stringify(`data:application/json,{"user":"1001","password":"${SECRET}"}`)})`,
      'ws-url must start with ws:// or wss:// (got "data:…")',
    ],
    [`credentials-url 'data:text/plain,${SECRET} more' failed`, "credentials-url 'data:…' failed"],
    // Unquoted: up to white space, less a sentence's punctuation.
    [`no answer from ws://1001:${SECRET}@127.0.0.1:1/webrtc/wss/ within 100 ms`, 'no answer from ws://***@127.0.0.1:1/webrtc/wss/ within 100 ms'],
    [`Cannot reach wss://h/x?t=${SECRET}.`, 'Cannot reach wss://h/x?***.'],
    [`fetch data:application/json;base64,${BASE64} failed`, 'fetch data:… failed'],
    [`data:application/json,{"user": "1001", "password": "${SECRET}"}`, 'data:… "1001", "password": ***}'],
    // Left alone.
    ['sip:1001@vinteo.local answered 486', 'sip:1001@vinteo.local answered 486'],
    ['the WebSocket to wss://vinteo.example.com/webrtc/wss/ closed', 'the WebSocket to wss://vinteo.example.com/webrtc/wss/ closed'],
    ['The call failed: Busy Here', 'The call failed: Busy Here'],
  ];
  for (const [input, output] of cases) {
    it(`masks ${JSON.stringify(input)}`, () => {
      expect(redact(input)).to.equal(output);
      expect(redact(output), 'idempotent').to.equal(output);
    });
  }
});

describe('redactError', () => {
  it('keeps an error with nothing to hide as it is', () => {
    const error = new TypeError('plain');
    expect(redactError(error)).to.equal(error);
    expect(redactError('text')).to.equal('text');
  });

  it('replaces one whose message, stack or cause holds a secret by a redacted copy of the same name', () => {
    const inner = new Error(`cannot open ws://u:${SECRET}@h/`);
    const error = new TypeError(`Failed to construct 'WebSocket': The URL 'ws://u:${SECRET}@h/' is invalid.`, { cause: inner });
    const safe = redactError(error) as Error;
    expect(safe).not.to.equal(error);
    expect(safe.name).to.equal('TypeError');
    expect(safe.message).to.equal("Failed to construct 'WebSocket': The URL 'ws://***@h/' is invalid.");
    expect(String(safe.stack)).not.to.contain(SECRET);
    expect((safe.cause as Error).message).to.equal('cannot open ws://***@h/');
  });
});

describe('VinteoError: messages are safe whoever builds them', () => {
  it('redacts the message, toJSON() and the cause', () => {
    const cause = new DOMException(`The URL 'ws://1001:${SECRET}@h/' is invalid.`, 'SyntaxError');
    const error = VinteoError.connectionFailed(`no answer from ws://1001:${SECRET}@h/ within 5 ms`, cause);
    expect(error.message).to.equal('Cannot reach the conference server: no answer from ws://***@h/ within 5 ms');
    expect(JSON.stringify(error.toJSON())).not.to.contain(SECRET);
    expect(String(error.stack)).not.to.contain(SECRET);
    expect((error.cause as Error).message).not.to.contain(SECRET);
    expect((error.cause as Error).name).to.equal('SyntaxError');
    expect(VinteoError.from(new Error(`GET data:application/json;base64,${BASE64}`)).message).to.equal('GET data:…');
  });

  it('masks fields, but leaves prose about passwords alone', () => {
    expect(VinteoError.invalidConfig('register needs a password: set the password property from script').message).to.equal(
      'register needs a password: set the password property from script',
    );
    expect(VinteoError.protocolError(`bad answer {"user":"1001","password":"${SECRET}"} and token=${SECRET}`).message).to.equal(
      'bad answer {"user":"1001","password":***} and token=***',
    );
  });

  it('neutralizes bidi controls a server string brings into a message', () => {
    const error = VinteoError.connectionLost('closed: \u202Eevil');
    expect(error.message).to.equal('Connection lost: closed: \uFFFDevil');
    expect(neutralizeBidi('a\u2066b\u2069c\u200Fd')).to.equal('a\uFFFDb\uFFFDc\u200Fd');
  });
});

describe('logger: redacts strings and errors it is given', () => {
  it('never writes a URL password to the console', () => {
    const lines: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => lines.push(args);
    try {
      logger.warn(`lost ws://1001:${SECRET}@h/`, `wss://h/?t=${SECRET}`, new Error(`at ws://u:${SECRET}@h/`), { kept: 'as is' });
    } finally {
      console.warn = original;
    }
    const [message, detail, error, object] = lines[0]!;
    expect(message).to.equal('[vinteo] lost ws://***@h/');
    expect(detail).to.equal('wss://h/?***');
    expect((error as Error).message).to.equal('at ws://***@h/');
    expect(object).to.deep.equal({ kept: 'as is' });
  });
});
