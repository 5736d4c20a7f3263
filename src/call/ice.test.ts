import { expect } from '@open-wc/testing';
import type { IceCandidateEvent } from '@krivega/jssip';
import { parseFastIce } from './fast-ice.js';
import { earlyIceGate, firstOfferIce } from './ice.js';
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

  it('STUN servers (discovery gives the server’s own) do not delay it; TURN servers wait for a relay candidate', () => {
    const stun = earlyIceGate('auto', 'outgoing', [{ urls: 'stun:stun.example.com:3478' }])!;
    expect(stun(candidate('host'))).to.equal(true);
    expect(stun(candidate('srflx'))).to.equal(true);
    expect(stun(candidate('relay'))).to.equal(true);
    const turn = earlyIceGate(true, 'outgoing', [{ urls: ['stun:stun.example.com'] }, { urls: ['turns:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' }])!;
    expect(turn(candidate('host'))).to.equal(false);
    expect(turn(candidate('srflx'))).to.equal(false);
    expect(turn(candidate('relay'))).to.equal(true);
  });

  it('lets only the first offer or answer of a call go early', () => {
    let readies = 0;
    const event = (type: RTCIceCandidateType): IceCandidateEvent => ({ candidate: candidate(type), ready: () => (readies += 1) });
    const ice = firstOfferIce(() => earlyIceGate('auto', 'outgoing', [{ urls: 'turn:turn.example.com', username: 'u', credential: 'c' }]));
    ice.candidate(event('host'));
    expect(readies, 'a host candidate with TURN configured').to.equal(0);
    ice.candidate(event('relay'));
    expect(readies).to.equal(1);
    ice.candidate(event('relay'));
    expect(readies, 'after the first offer').to.equal(1);
    const late = firstOfferIce(() => earlyIceGate(true, 'outgoing', []));
    late.sent();
    late.candidate(event('host'));
    expect(readies, 'once the offer was sent (a re-INVITE)').to.equal(1);
  });
});
