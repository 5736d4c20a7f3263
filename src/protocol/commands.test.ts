import { expect } from '@open-wc/testing';
import { lookupFromRecord, MAX_NOTIFY_LENGTH, parseNotification, parseReceivedInfo, parseResolution } from './info.js';
import { channelsInfo, mediaStateInfo, refusalInfo, requestCameraInfo, roomNameInfo, shareDesktopInfo, statsInfo } from './outgoing.js';

const parse = (contentType: string, headers: Record<string, string>) => parseReceivedInfo(contentType, lookupFromRecord(headers));
const MAINCAM = 'application/vinteo.webrtc.maincam';

describe('protocol: moderator and balancer commands', () => {
  const ok: Array<[string, string, Record<string, string>, unknown]> = [
    ['forced camera stop', MAINCAM, { 'X-WEBRTC-MAINCAM': 'ADMINSTOPMAINCAM', 'X-WEBRTC-SYNC': '1' }, { type: 'main-cam', command: 'ADMINSTOPMAINCAM', forced: true }],
    ['camera start request', MAINCAM, { 'X-WEBRTC-MAINCAM': 'adminstartmaincam' }, { type: 'main-cam', command: 'ADMINSTARTMAINCAM', forced: false }],
    ['pause', MAINCAM, { 'X-WEBRTC-MAINCAM': 'PAUSEMAINCAM', 'X-WEBRTC-SYNC': '0' }, { type: 'main-cam', command: 'PAUSEMAINCAM', forced: false }],
    [
      'max resolution',
      MAINCAM,
      { 'X-WEBRTC-MAINCAM': 'MAXMAINCAMRESOLUTION', 'X-WEBRTC-MAINCAM-RESOLUTION': '320x180' },
      { type: 'main-cam', command: 'MAXMAINCAMRESOLUTION', forced: false, resolution: { width: 320, height: 180 } },
    ],
    ['mic stop', 'application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'ADMINSTOPMIC', 'X-WEBRTC-SYNC': '1' }, { type: 'mic', command: 'ADMINSTOPMIC', forced: true }],
    ['spectator', 'application/vinteo.webrtc.partstate', { 'X-WEBRTC-PARTSTATE': 'SPECTATOR' }, { type: 'part-state', role: 'spectator' }],
    [
      'spectator with audio id and mode',
      'application/vinteo.webrtc.partstate',
      { 'X-WEBRTC-PARTSTATE': 'SPECTATOR', 'X-WEBRTC-AUDIOID': '17', 'X-WEBRTC-SPECTATOR-MODE': '2' },
      { type: 'part-state', role: 'spectator', audioId: '17', spectatorMode: 2 },
    ],
    [
      'participant, bad mode ignored',
      'application/vinteo.webrtc.partstate',
      { 'X-WEBRTC-PARTSTATE': 'participant', 'X-WEBRTC-SPECTATOR-MODE': '9' },
      { type: 'part-state', role: 'participant' },
    ],
    [
      'content available with codec',
      'application/vinteo.webrtc.sharedesktop',
      { 'X-WEBRTC-SHARE-STATE': 'YOUCANRECEIVECONTENT', 'X-WEBRTC-SHARE-CODEC': 'vp9' },
      { type: 'share-desktop', state: 'YOUCANRECEIVECONTENT', codec: 'VP9' },
    ],
    [
      'must stop, unknown codec dropped',
      'application/vinteo.webrtc.sharedesktop',
      { 'X-WEBRTC-SHARE-STATE': 'YOUMUSTSTOPSENDCONTENT', 'X-WEBRTC-SHARE-CODEC': 'MPEG2' },
      { type: 'share-desktop', state: 'YOUMUSTSTOPSENDCONTENT' },
    ],
    [
      'restart with two video tracks',
      'application/vinteo.webrtc.restart',
      { 'X-WEBRTC-TRACKS-DIRECTION': 'bidirectional', 'X-WEBRTC-AUDIO-TRACK-COUNT': '1', 'X-WEBRTC-VIDEO-TRACK-COUNT': '2' },
      { type: 'restart', tracksDirection: 'bidirectional', audioTrackCount: 1, videoTrackCount: 2 },
    ],
    [
      'notify channels',
      'application/vinteo.webrtc.notify',
      { 'X-VINTEO-NOTIFY': '{"cmd":"channels","input":"1","output":"2"}' },
      { type: 'notify', notification: { cmd: 'channels', input: '1', output: '2' } },
    ],
  ];
  for (const [name, contentType, headers, info] of ok) {
    it(`parses ${name}`, () => {
      expect(parse(contentType, headers)).to.deep.equal({ ok: true, info });
    });
  }

  const bad: Array<[string, string, Record<string, string>, RegExp]> = [
    ['camera without command', MAINCAM, {}, /X-WEBRTC-MAINCAM is missing/],
    ['unknown camera command', MAINCAM, { 'X-WEBRTC-MAINCAM': 'EXPLODE' }, /Unknown camera command/],
    ['max resolution without size', MAINCAM, { 'X-WEBRTC-MAINCAM': 'MAXMAINCAMRESOLUTION' }, /WxH/],
    ['max resolution with garbage', MAINCAM, { 'X-WEBRTC-MAINCAM': 'MAXMAINCAMRESOLUTION', 'X-WEBRTC-MAINCAM-RESOLUTION': '99999999x1' }, /WxH/],
    ['unknown mic command', 'application/vinteo.webrtc.mic', { 'X-WEBRTC-MIC': 'LOUDER' }, /Unknown microphone command/],
    ['part state missing', 'application/vinteo.webrtc.partstate', {}, /missing/],
    ['share state unknown', 'application/vinteo.webrtc.sharedesktop', { 'X-WEBRTC-SHARE-STATE': 'MAYBE' }, /Unknown share state/],
    ['restart without direction', 'application/vinteo.webrtc.restart', {}, /incoming, outgoing or bidirectional/],
    ['notify not JSON', 'application/vinteo.webrtc.notify', { 'X-VINTEO-NOTIFY': '{cmd:' }, /not valid JSON/],
  ];
  for (const [name, contentType, headers, pattern] of bad) {
    it(`refuses ${name} as malformed`, () => {
      const result = parse(contentType, headers);
      expect(result.ok).to.equal(false);
      if (!result.ok) {
        expect(result.reason).to.equal('malformed');
        expect(result.message).to.match(pattern);
      }
    });
  }
});

describe('protocol: X-VINTEO-NOTIFY', () => {
  const ok: Array<[string, unknown]> = [
    ['{"cmd":"WebcastStarted","body":{"conference":"1000","type":"hls"}}', { cmd: 'WebcastStarted', conference: '1000', webcastType: 'hls' }],
    ['{"cmd":"WebcastStopped","body":{"conference":1000}}', { cmd: 'WebcastStopped', conference: '1000', webcastType: '' }],
    ['{"cmd":"accountChanged"}', { cmd: 'accountChanged' }],
    ['{"cmd":"accountDeleted","extra":true}', { cmd: 'accountDeleted' }],
    ['{"cmd":"addedToListModerators","conference":"7"}', { cmd: 'addedToListModerators', conference: '7' }],
    ['{"cmd":"removedFromListModerators","body":{"conference":"7"}}', { cmd: 'removedFromListModerators', conference: '7' }],
    ['{"cmd":"ParticipationRequestAccepted","body":{"conference":"7"}}', { cmd: 'ParticipationRequestAccepted', conference: '7' }],
    ['{"cmd":"ParticipationRequestRejected","body":{"conference":"7"}}', { cmd: 'ParticipationRequestRejected', conference: '7' }],
    ['{"cmd":"ParticipantMovedToWebcast","body":{"conference":"7"}}', { cmd: 'ParticipantMovedToWebcast', conference: '7' }],
    [
      '{"cmd":"ConferenceParticipantTokenIssued","body":{"conference":"7","participant":"p","jwt":"a.b.c"}}',
      { cmd: 'ConferenceParticipantTokenIssued', conference: '7', participant: 'p', jwt: 'a.b.c' },
    ],
  ];
  for (const [raw, notification] of ok) {
    it(`parses ${raw.slice(0, 60)}`, () => {
      expect(parseNotification(raw)).to.deep.equal({ ok: true, notification });
    });
  }

  const bad: Array<[string | undefined, RegExp]> = [
    [undefined, /missing/],
    ['', /missing/],
    ['[]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['"text"', /not a JSON object/],
    ['{"cmd":"selfDestruct"}', /Unknown notify command "selfDestruct"/],
    ['{"nocmd":1}', /Unknown notify command/],
    ['{"cmd":"channels","input":"1"}', /lacks output/],
    ['{"cmd":"ConferenceParticipantTokenIssued","body":{"conference":"7"}}', /lacks body.participant/],
    ['{"cmd":"WebcastStarted","body":"x"}', /lacks body.conference/],
    [`{"cmd":"accountChanged","pad":"${'x'.repeat(MAX_NOTIFY_LENGTH)}"}`, /longer than/],
  ];
  for (const [raw, pattern] of bad) {
    it(`refuses ${raw === undefined ? 'undefined' : JSON.stringify(raw.slice(0, 40))}`, () => {
      const result = parseNotification(raw);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.message).to.match(pattern);
    });
  }
});

describe('protocol: resolutions', () => {
  const cases: Array<[string | undefined, unknown]> = [
    ['1280x720', { width: 1280, height: 720 }],
    [' 320 X 180 ', { width: 320, height: 180 }],
    ['640×360', { width: 640, height: 360 }],
    ['0x0', undefined],
    ['-1x5', undefined],
    ['20000x20000', undefined],
    ['1280', undefined],
    ['axb', undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) {
    it(`parseResolution(${JSON.stringify(input)})`, () => {
      expect(parseResolution(input)).to.deep.equal(expected);
    });
  }
});

describe('protocol: INFO the client sends', () => {
  it('formats every outgoing INFO', () => {
    expect(mediaStateInfo(false, true)).to.deep.equal({
      contentType: 'application/vinteo.webrtc.mediastate',
      headers: ['x-webrtc-media-state: currentstate', 'x-vinteo-maincam-state: 1', 'x-vinteo-mic-state: 0'],
    });
    expect(refusalInfo('microphone').headers).to.deep.equal(['x-vinteo-media-type: 0']);
    expect(refusalInfo('camera').headers).to.deep.equal(['x-vinteo-media-type: 1']);
    expect(requestCameraInfo()).to.deep.equal({
      contentType: 'application/vinteo.webrtc.maincam',
      headers: ['x-webrtc-request-enable-media-device: LETMESTARTMAINCAM'],
    });
    expect(shareDesktopInfo('LETMESTARTPRESENTATION').headers).to.deep.equal(['x-webrtc-share-state: LETMESTARTPRESENTATION']);
    expect(channelsInfo('1', '2').headers).to.deep.equal(['x-webrtc-input-channels: 1', 'x-webrtc-output-channels: 2']);
    expect(statsInfo(1234.6).headers).to.deep.equal(['x-webrtc-available-incoming-bitrate: 1235']);
    expect(statsInfo(-5).headers).to.deep.equal(['x-webrtc-available-incoming-bitrate: 0']);
    expect(roomNameInfo({ enterRoom: 'p2p123456to1000', participantName: '1000' })).to.deep.equal({
      contentType: 'application/vinteo.webrtc.roomname',
      headers: ['x-webrtc-enter-room: p2p123456to1000', 'x-webrtc-participant-name: 1000', 'x-webrtc-is-direct-p2p: true'],
    });
  });

  it('refuses hostile channel values', () => {
    expect(() => channelsInfo('1\r\nX-Evil: 1', '2')).to.throw(TypeError);
  });

  it('refuses a roomname value that could inject a header', () => {
    expect(() => roomNameInfo({ enterRoom: 'p2p1to2\r\nx-evil: 1', participantName: '2' })).to.throw(TypeError);
    expect(() => roomNameInfo({ enterRoom: 'p2p1to2', participantName: 'a\nb' })).to.throw(TypeError);
  });
});
