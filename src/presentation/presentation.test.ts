import { expect } from '@open-wc/testing';
import type { RTCSession } from '@krivega/jssip';
import { VinteoError } from '../errors.js';
import type { OutgoingInfo } from '../protocol/outgoing.js';
import { classifyRemoteTracks, isDualTrack } from '../call/tracks.js';
import { PresentationService, type PresentationDeps } from './PresentationService.js';
import { applyContentHint, presentationBitrate, presentationEncodings, shareStates } from './sending.js';

describe('presentation: the pure parts (protocol §8)', () => {
  it('MCU rooms ask for the floor; direct p2p rooms and presentation-only calls announce content', () => {
    expect(shareStates(false)).to.deep.equal({ start: 'LETMESTARTPRESENTATION', stop: 'STOPPRESENTATION' });
    expect(shareStates(true)).to.deep.equal({ start: 'YOUCANRECEIVECONTENT', stop: 'CONTENTEND' });
  });

  it('the 1 Mbps cap always applies; a lower app cap wins', () => {
    expect(presentationBitrate({})).to.equal(1_000_000);
    expect(presentationBitrate({ maxBitrate: 600_000 })).to.equal(600_000);
    expect(presentationBitrate({ maxBitrate: 5_000_000 })).to.equal(1_000_000);
  });

  it('sendEncodings are scaled to maxAvailableResolution (§3)', () => {
    const track = { width: 1920, height: 1080 };
    expect(presentationEncodings(undefined, track, undefined)).to.equal(undefined);
    expect(presentationEncodings([{ rid: 'a' }], track, undefined)).to.deep.equal([{ rid: 'a' }]);
    expect(presentationEncodings(undefined, track, { width: 960, height: 720 })).to.deep.equal([{ scaleResolutionDownBy: 2 }]);
    // App encodings keep the larger scale…
    expect(presentationEncodings([{ scaleResolutionDownBy: 4 }, { scaleResolutionDownBy: 1 }], track, { width: 960, height: 540 })).to.deep.equal([
      { scaleResolutionDownBy: 4 },
      { scaleResolutionDownBy: 2 },
    ]);
    // …but a computed scale of 1 forces 1.
    expect(presentationEncodings([{ scaleResolutionDownBy: 4 }], track, { width: 3840, height: 2160 })).to.deep.equal([{ scaleResolutionDownBy: 1 }]);
  });

  it('contentHint: detail by default; none leaves the track alone', () => {
    const track = { contentHint: '' } as MediaStreamTrack;
    applyContentHint(track, undefined);
    expect(track.contentHint).to.equal('detail');
    applyContentHint(track, 'text');
    expect(track.contentHint).to.equal('text');
    applyContentHint(track, 'none');
    expect(track.contentHint).to.equal('text');
  });

  it('remote tracks: the main stream is the first msid group without `dual`; every other group is content', () => {
    const t = (id: string, label = 'remote video') => ({ id, label });
    const [audio, video, dual, other] = [t('a', 'remote audio'), t('v'), t('vinteo-dual-content-0'), t('x')];
    expect([...classifyRemoteTracks(new Map([[audio, 'main'], [video, 'main'], [dual, 'content']])).values()]).to.deep.equal(['main', 'main', 'content']);
    // Content that arrives first does not take the main place.
    expect([...classifyRemoteTracks(new Map([[dual, 'c'], [audio, 'm'], [video, 'm']])).values()]).to.deep.equal(['content', 'main', 'main']);
    // Without `dual`, the first group is the main one.
    expect([...classifyRemoteTracks(new Map([[audio, 'm'], [other, 'o']])).values()]).to.deep.equal(['main', 'content']);
    expect(isDualTrack(t('1', 'DUAL stream'))).to.equal(true);
  });
});

/** A fake peer connection: transceivers whose senders record what is done to them. */
function fakePeer(): { peer: RTCPeerConnection; transceivers: RTCRtpTransceiver[]; log: string[] } {
  const log: string[] = [];
  const transceivers: RTCRtpTransceiver[] = [];
  const sender = (track: MediaStreamTrack | null): RTCRtpSender => {
    let parameters: RTCRtpSendParameters = { encodings: [{}], transactionId: '', codecs: [], headerExtensions: [], rtcp: {} };
    const s = {
      track,
      getParameters: () => structuredClone(parameters),
      setParameters: async (p: RTCRtpSendParameters) => {
        parameters = p;
        log.push(`setParameters ${p.encodings.map((e) => e.maxBitrate ?? '-').join(',')}${p.encodings.every((e) => e.active === false) ? ' inactive' : ''}`);
      },
      replaceTrack: async (next: MediaStreamTrack | null) => {
        s.track = next;
        log.push(`replaceTrack ${next ? next.id.slice(0, 4) : 'null'}`);
      },
      setStreams: () => undefined,
    };
    return s as unknown as RTCRtpSender;
  };
  const peer = {
    getTransceivers: () => transceivers,
    addTrack: () => {
      throw new Error('no recvonly transceiver here');
    },
    addTransceiver: (track: MediaStreamTrack, init: RTCRtpTransceiverInit) => {
      log.push(`addTransceiver ${init.direction}`);
      const t = { sender: sender(track), direction: init.direction, currentDirection: null, mid: '2' } as unknown as RTCRtpTransceiver;
      transceivers.push(t);
      return t;
    },
  } as unknown as RTCPeerConnection;
  return { peer, transceivers, log };
}

function service(refuse: (info: OutgoingInfo) => boolean = () => false) {
  const { peer, log } = fakePeer();
  const session = {
    renegotiate: async () => {
      log.push('re-INVITE');
      return true;
    },
  } as unknown as RTCSession;
  const deps: PresentationDeps = {
    display: { getDisplayMedia: () => Promise.reject(new Error('not used')) },
    session: () => session,
    peer: () => peer,
    localStream: () => undefined,
    sendInfo: async (info) => {
      const state = info.headers[0]!.split(': ')[1]!;
      log.push(`INFO ${state}`);
      if (refuse(info)) throw new VinteoError('protocol-error', 'refused', { statusCode: 403 });
    },
    renegotiate: async (_what, operation) => {
      await operation(session, peer);
    },
    update: () => undefined,
    emit: () => undefined,
    attempts: () => 1,
    retryDelayMs: () => 0,
    directP2P: () => false,
    maxAvailableResolution: () => undefined,
    reportError: () => undefined,
  };
  return { presentation: new PresentationService(deps), log };
}

const screen = (): MediaStream => document.createElement('canvas').captureStream(1);

describe('PresentationService (protocol §8) with a fake call', () => {
  it('start: INFO, new sendrecv transceiver, one re-INVITE, then the 1 Mbps cap; update: INFO and replaceTrack; stop: INFO, no re-INVITE', async () => {
    const { presentation, log } = service();
    const first = screen();
    await presentation.start({ stream: first });
    expect(presentation.state).to.equal('active');
    expect(first.getVideoTracks()[0]!.contentHint).to.equal('detail');
    expect(log.filter((l) => !l.startsWith('setParameters -'))).to.deep.equal([
      'INFO LETMESTARTPRESENTATION',
      'addTransceiver sendrecv',
      're-INVITE',
      'setParameters 1000000',
    ]);
    const sender = presentation.sender;
    log.length = 0;
    const second = screen();
    await presentation.update({ stream: second });
    expect(presentation.sender).to.equal(sender);
    expect(log).to.deep.equal(['INFO LETMESTARTPRESENTATION', `replaceTrack ${second.getVideoTracks()[0]!.id.slice(0, 4)}`, 'setParameters 1000000']);
    log.length = 0;
    await presentation.stop();
    expect(presentation.state).to.equal('idle');
    // The encodings go inactive too: no RTP without a track, in Firefox as well.
    expect(log).to.deep.equal(['INFO STOPPRESENTATION', 'replaceTrack null', 'setParameters 1000000 inactive']);
    for (const s of [first, second]) for (const t of s.getTracks()) t.stop();
  });

  it('a refused permission fails the start with nothing else sent', async () => {
    const { presentation, log } = service(() => true);
    const error = await presentation.start({ stream: screen() }).catch((e: unknown) => e);
    expect((error as VinteoError).reason).to.equal('presentation-declined');
    expect(presentation.state).to.equal('failed');
    expect(log).to.deep.equal(['INFO LETMESTARTPRESENTATION']);
  });

  it('options.attempts tries a refused start again', async () => {
    let refusals = 2;
    const { presentation, log } = service(() => refusals-- > 0);
    await presentation.start({ stream: screen(), attempts: 3 });
    expect(log.filter((l) => l.startsWith('INFO'))).to.deep.equal(Array(3).fill('INFO LETMESTARTPRESENTATION'));
    expect(presentation.state).to.equal('active');
  });

  it('a refused stop leaves the presentation active with its track', async () => {
    const { presentation } = service((info) => info.headers[0]!.includes('STOPPRESENTATION'));
    const stream = screen();
    await presentation.start({ stream });
    const error = await presentation.stop().catch((e: unknown) => e);
    expect((error as VinteoError).reason).to.equal('presentation-failed');
    expect(presentation.state).to.equal('active');
    expect(presentation.sender!.track).to.equal(stream.getVideoTracks()[0]);
    // stopForRole reports instead of rejecting.
    await presentation.stopForRole();
    expect(presentation.state).to.equal('active');
  });

  it('the next start reuses the sender and re-INVITEs again', async () => {
    const { presentation, log } = service();
    await presentation.start({ stream: screen() });
    const sender = presentation.sender;
    await presentation.stop();
    log.length = 0;
    await presentation.start({ stream: screen() });
    expect(presentation.sender).to.equal(sender);
    expect(log.filter((l) => !l.startsWith('setParameters')).map((l) => l.split(' ')[0])).to.deep.equal(['INFO', 'replaceTrack', 're-INVITE']);
  });
});
