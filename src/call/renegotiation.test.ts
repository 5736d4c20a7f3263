import { expect } from '@open-wc/testing';
import { firstConnectionSettled } from './renegotiation.js';

/** A peer connection as far as its connection state goes. */
class FakePeer extends EventTarget {
  connectionState: RTCPeerConnectionState;
  constructor(state: RTCPeerConnectionState) {
    super();
    this.connectionState = state;
  }
  set(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

const asPeer = (peer: FakePeer) => peer as unknown as RTCPeerConnection;

describe('firstConnectionSettled (an ICE restart lets a first connection attempt finish)', () => {
  for (const state of ['connected', 'disconnected', 'failed', 'closed'] as const) {
    it(`resolves at once when the connection is ${state}`, async () => {
      let done = false;
      const settled = firstConnectionSettled(asPeer(new FakePeer(state)), 60_000).then(() => (done = true));
      await Promise.resolve();
      await Promise.resolve();
      expect(done).to.equal(true);
      await settled;
    });
  }

  for (const end of ['connected', 'failed'] as const) {
    it(`waits while connecting, and resolves when it is ${end}`, async () => {
      const peer = new FakePeer('connecting');
      let done = false;
      const settled = firstConnectionSettled(asPeer(peer), 60_000).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(done).to.equal(false);
      peer.set('connecting');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(done).to.equal(false);
      peer.set(end);
      await settled;
      expect(done).to.equal(true);
    });
  }

  it('stops waiting after the limit', async () => {
    const peer = new FakePeer('new');
    await firstConnectionSettled(asPeer(peer), 10);
    expect(peer.connectionState).to.equal('new');
  });
});
