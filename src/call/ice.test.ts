import { expect } from '@open-wc/testing';
import { earlyIceGate, parseFastIce } from './ice.js';
import { VinteoError } from '../errors.js';

const candidate = (type: RTCIceCandidateType) => ({ type }) as RTCIceCandidate;

describe('early INVITE (fastIce)', () => {
  it('parses the option and the attribute, and refuses anything else', () => {
    expect(parseFastIce(undefined)).to.equal('auto');
    expect(parseFastIce('auto')).to.equal('auto');
    expect(parseFastIce(' AUTO ')).to.equal('auto');
    expect(parseFastIce(true)).to.equal(true);
    expect(parseFastIce('')).to.equal(true);
    expect(parseFastIce('on')).to.equal(true);
    expect(parseFastIce('off')).to.equal(false);
    expect(parseFastIce('false')).to.equal(false);
    expect(parseFastIce(false)).to.equal(false);
    expect(() => parseFastIce('sometimes', 'fast-ice')).to.throw(VinteoError, /fast-ice must be auto, on or off \(got "sometimes"\)/);
    expect(() => parseFastIce(3)).to.throw(VinteoError, /fastIce/);
  });

  it('by default sends outgoing INVITEs early and answers only after gathering completes', () => {
    const outgoing = earlyIceGate('auto', 'outgoing', []);
    expect(outgoing).to.be.a('function');
    expect(outgoing!(candidate('host'))).to.equal(true);
    expect(earlyIceGate('auto', 'incoming', [])).to.equal(undefined);
    expect(earlyIceGate(true, 'incoming', [])!(candidate('host'))).to.equal(true);
    expect(earlyIceGate(false, 'outgoing', [])).to.equal(undefined);
  });

  it('waits for the candidate type the ICE servers can give', () => {
    const stun = earlyIceGate('auto', 'outgoing', [{ urls: 'stun:stun.example.com:3478' }])!;
    expect(stun(candidate('host'))).to.equal(false);
    expect(stun(candidate('srflx'))).to.equal(true);
    expect(stun(candidate('relay'))).to.equal(true);
    const turn = earlyIceGate(true, 'outgoing', [{ urls: ['stun:stun.example.com'] }, { urls: ['turns:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' }])!;
    expect(turn(candidate('host'))).to.equal(false);
    expect(turn(candidate('srflx'))).to.equal(false);
    expect(turn(candidate('relay'))).to.equal(true);
  });
});
