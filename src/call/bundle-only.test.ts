import { expect } from '@open-wc/testing';
import { withoutBundleOnly } from './bundle-only.js';

const sdp = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

// Firefox's re-offer after a presentation transceiver was added to the established call (trimmed).
const FIREFOX_REOFFER = sdp(
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-128.0 1 2 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'm=audio 53065 UDP/TLS/RTP/SAVPF 109 101',
  'c=IN IP4 192.0.2.2',
  'a=sendrecv',
  'a=mid:0',
  'm=video 36096 UDP/TLS/RTP/SAVPF 120 124',
  'c=IN IP4 192.0.2.2',
  'a=sendrecv',
  'a=mid:1',
  'm=video 0 UDP/TLS/RTP/SAVPF 120 124',
  'c=IN IP4 0.0.0.0',
  'a=bundle-only',
  'a=sendrecv',
  'a=mid:2',
);

describe('withoutBundleOnly (the local SDP as SIP servers read it)', () => {
  it('gives a bundle-only m-line the port of the BUNDLE transport and drops a=bundle-only', () => {
    const out = withoutBundleOnly(FIREFOX_REOFFER);
    expect(out).to.equal(FIREFOX_REOFFER.replace('m=video 0 UDP', 'm=video 53065 UDP').replace('a=bundle-only\r\n', ''));
  });

  it('leaves SDP without bundle-only alone (Chromium), and a rejected m-line (port 0, no bundle-only)', () => {
    const chromium = FIREFOX_REOFFER.replace('m=video 0 UDP', 'm=video 9 UDP').replace('a=bundle-only\r\n', '');
    expect(withoutBundleOnly(chromium)).to.equal(chromium);
    const rejected = FIREFOX_REOFFER.replace('a=bundle-only\r\n', '');
    expect(withoutBundleOnly(rejected)).to.equal(rejected);
  });

  it('keeps bundle-only when the m-line is outside the group or the group has no transport with a port', () => {
    const outside = FIREFOX_REOFFER.replace('a=group:BUNDLE 0 1 2', 'a=group:BUNDLE 0 1');
    expect(withoutBundleOnly(outside)).to.equal(outside);
    const noTransport = FIREFOX_REOFFER.replace('m=audio 53065', 'm=audio 0').replace('m=video 36096', 'm=video 0');
    expect(withoutBundleOnly(noTransport)).to.equal(noTransport);
    expect(withoutBundleOnly('')).to.equal('');
  });

  it('keeps LF line endings when the SDP uses them', () => {
    const lf = FIREFOX_REOFFER.replace(/\r\n/g, '\n');
    expect(withoutBundleOnly(lf)).to.equal(lf.replace('m=video 0 UDP', 'm=video 53065 UDP').replace('a=bundle-only\n', ''));
  });
});
