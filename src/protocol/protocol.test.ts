import { expect } from '@open-wc/testing';
import { buildInviteHeaders } from './invite.js';
import { formatHeader, normalizeContentType } from './headers.js';
import { lookupFromRecord, parseReceivedInfo, type ParseResult } from './info.js';

describe('protocol: received INFO', () => {
  const cases: Array<{ name: string; contentType: string | undefined; headers: Record<string, string>; expected: ParseResult | 'ok-only' }> = [
    {
      name: 'enter-room with name',
      contentType: 'application/vinteo.webrtc.roomname',
      headers: { 'X-WEBRTC-ENTER-ROOM': '1000', 'X-WEBRTC-PARTICIPANT-NAME': 'Анна' },
      expected: { ok: true, info: { type: 'enter-room', room: '1000', participantName: 'Анна', isDirectP2P: false } },
    },
    {
      name: 'enter-room, header names in other case, content type with parameters',
      contentType: 'Application/Vinteo.WebRTC.RoomName; charset=utf-8',
      headers: { 'x-webrtc-enter-room': ' 42 ', 'x-webrtc-is-direct-p2p': 'true', 'X-Bearer-Token': 'abc' },
      expected: { ok: true, info: { type: 'enter-room', room: '42', participantName: '', isDirectP2P: true, bearerToken: 'abc' } },
    },
    {
      name: 'enter-room with both channels',
      contentType: 'application/vinteo.webrtc.roomname',
      headers: { 'X-WEBRTC-ENTER-ROOM': '7', 'X-WEBRTC-INPUT-CHANNELS': '1', 'X-WEBRTC-OUTPUT-CHANNELS': '2' },
      expected: {
        ok: true,
        info: { type: 'enter-room', room: '7', participantName: '', isDirectP2P: false, channels: { input: '1', output: '2' } },
      },
    },
    {
      name: 'enter-room with only one channel header ignores channels',
      contentType: 'application/vinteo.webrtc.roomname',
      headers: { 'X-WEBRTC-ENTER-ROOM': '7', 'X-WEBRTC-INPUT-CHANNELS': '1' },
      expected: { ok: true, info: { type: 'enter-room', room: '7', participantName: '', isDirectP2P: false } },
    },
    {
      name: 'enter-room without a room is malformed',
      contentType: 'application/vinteo.webrtc.roomname',
      headers: { 'X-WEBRTC-PARTICIPANT-NAME': 'x' },
      expected: { ok: false, reason: 'malformed', message: 'X-WEBRTC-ENTER-ROOM is missing' },
    },
    {
      name: 'enter-room with a blank room is malformed',
      contentType: 'application/vinteo.webrtc.roomname',
      headers: { 'X-WEBRTC-ENTER-ROOM': '   ' },
      expected: { ok: false, reason: 'malformed', message: 'X-WEBRTC-ENTER-ROOM is missing' },
    },
    {
      name: 'licence VIDEO',
      contentType: 'application/vinteo.webrtc.uselic',
      headers: { 'X-WEBRTC-USE-LICENSE': 'VIDEO' },
      expected: { ok: true, info: { type: 'use-license', license: 'VIDEO' } },
    },
    {
      name: 'licence in lower case',
      contentType: 'application/vinteo.webrtc.uselic',
      headers: { 'X-WEBRTC-USE-LICENSE': 'audioPlusPresentation' },
      expected: { ok: true, info: { type: 'use-license', license: 'AUDIOPLUSPRESENTATION' } },
    },
    {
      name: 'unknown licence is malformed',
      contentType: 'application/vinteo.webrtc.uselic',
      headers: { 'X-WEBRTC-USE-LICENSE': 'HOLOGRAM' },
      expected: { ok: false, reason: 'malformed', message: 'Unknown licence "HOLOGRAM"' },
    },
    {
      name: 'missing licence is malformed',
      contentType: 'application/vinteo.webrtc.uselic',
      headers: {},
      expected: { ok: false, reason: 'malformed', message: 'X-WEBRTC-USE-LICENSE is missing' },
    },
    {
      name: 'unknown content type',
      contentType: 'application/x-something',
      headers: {},
      expected: { ok: false, reason: 'unknown-content-type', message: 'Unknown content type "application/x-something"' },
    },
    {
      name: 'no content type at all',
      contentType: undefined,
      headers: {},
      expected: { ok: false, reason: 'unknown-content-type', message: 'Unknown content type ""' },
    },
  ];

  for (const { name, contentType, headers, expected } of cases) {
    it(name, () => {
      expect(parseReceivedInfo(contentType, lookupFromRecord(headers))).to.deep.equal(expected);
    });
  }

  it('never throws when the header lookup itself throws', () => {
    const result = parseReceivedInfo('application/vinteo.webrtc.roomname', () => {
      throw new Error('broken message');
    });
    expect(result).to.deep.equal({ ok: false, reason: 'malformed', message: 'broken message' });
  });
});

describe('protocol: INVITE headers', () => {
  it('guest with microphone on and camera off', () => {
    expect(buildInviteHeaders({ microphoneEnabled: true, cameraEnabled: false, registered: false })).to.deep.equal([
      'X-Vinteo-Mic-State: 1',
      'X-Vinteo-MainCam-State: 0',
      'X-Vinteo-Purgatory-Call: yes',
    ]);
  });

  it('registered user with session, presentation call and remote address', () => {
    expect(
      buildInviteHeaders({
        microphoneEnabled: false,
        cameraEnabled: true,
        registered: true,
        sessionId: 's-1',
        presentationCall: true,
        remoteAddress: '10.0.0.1',
      }),
    ).to.deep.equal([
      'X-Vinteo-Mic-State: 0',
      'X-Vinteo-MainCam-State: 1',
      'X-Vinteo-Session: s-1',
      'X-Vinteo-Presentation-Call: yes',
      'X-Vinteo-Remote: 10.0.0.1',
    ]);
  });

  it('refuses header injection through a value', () => {
    expect(() =>
      buildInviteHeaders({ microphoneEnabled: true, cameraEnabled: true, registered: true, sessionId: 'x\r\nVia: evil' }),
    ).to.throw(TypeError, /X-Vinteo-Session/);
  });

  it('refuses invalid header names', () => {
    expect(() => formatHeader('X Bad', 'v')).to.throw(TypeError);
    expect(() => formatHeader('', 'v')).to.throw(TypeError);
    expect(formatHeader('X-Ok', '  v ')).to.equal('X-Ok: v');
  });

  it('normalizes content types', () => {
    expect(normalizeContentType(' Application/SDP ; a=b')).to.equal('application/sdp');
    expect(normalizeContentType(undefined)).to.equal('');
    expect(normalizeContentType('')).to.equal('');
  });
});
