import { expect } from '@open-wc/testing';
import { msidTrackId } from './tracks.js';

const SDP = [
  'v=0',
  'a=group:BUNDLE 0 1 2',
  'm=audio 9 UDP/TLS/RTP/SAVPF 109',
  'a=mid:0',
  'a=msid:vinteo-main a1',
  'm=video 9 UDP/TLS/RTP/SAVPF 120',
  'a=mid:1',
  'a=msid:vinteo-main v1',
  'm=video 9 UDP/TLS/RTP/SAVPF 120',
  'a=mid:2',
  'a=msid:vinteo-other-1 dual-v2',
  'm=video 9 UDP/TLS/RTP/SAVPF 120',
  'a=mid:3',
  '',
].join('\r\n');

describe('msidTrackId (the remote SDP names the track where Firefox does not)', () => {
  it("reads the m-line's msid track id by mid", () => {
    expect(msidTrackId(SDP, '0')).to.equal('a1');
    expect(msidTrackId(SDP, '2')).to.equal('dual-v2');
    expect(msidTrackId(SDP.replace(/\r\n/g, '\n'), '1')).to.equal('v1');
  });

  it('is undefined without an msid, a matching mid, a mid or an SDP', () => {
    expect(msidTrackId(SDP, '3')).to.equal(undefined);
    expect(msidTrackId(SDP, '7')).to.equal(undefined);
    expect(msidTrackId(SDP, null)).to.equal(undefined);
    expect(msidTrackId(undefined, '0')).to.equal(undefined);
  });
});
