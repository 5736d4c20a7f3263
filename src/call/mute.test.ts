import { expect } from '@open-wc/testing';
import { RTCSession, type RTCSession as Session } from '@krivega/jssip';
import { applyMuteSettings, keepMuteSettings } from './mute.js';

/** A live audio track and a live video track, without asking for devices. */
function localStream(): { stream: MediaStream; stop: () => void } {
  const audio = new AudioContext();
  const destination = audio.createMediaStreamDestination();
  const canvas = document.createElement('canvas');
  const video = canvas.captureStream(1);
  const stream = new MediaStream([...destination.stream.getAudioTracks(), ...video.getVideoTracks()]);
  return {
    stream,
    stop: () => {
      for (const track of stream.getTracks()) track.stop();
      void audio.close();
    },
  };
}

describe('mute settings', () => {
  it('sets audio tracks from the microphone setting and video tracks from the camera setting', () => {
    const { stream, stop } = localStream();
    try {
      applyMuteSettings(stream, { microphoneEnabled: false, cameraEnabled: true });
      expect(stream.getAudioTracks().map((t) => t.enabled)).to.deep.equal([false]);
      expect(stream.getVideoTracks().map((t) => t.enabled)).to.deep.equal([true]);
      applyMuteSettings(stream, { microphoneEnabled: true, cameraEnabled: false });
      expect(stream.getAudioTracks().map((t) => t.enabled)).to.deep.equal([true]);
      expect(stream.getVideoTracks().map((t) => t.enabled)).to.deep.equal([false]);
      applyMuteSettings(undefined, { microphoneEnabled: true, cameraEnabled: true });
    } finally {
      stop();
    }
  });

  it("puts ours in place of the session's hook, and says so when there is none", () => {
    let ours = 0;
    const session = { _setLocalMediaStatus: () => expect.fail('JsSIP hook ran') } as unknown as Session;
    expect(keepMuteSettings(session, () => (ours += 1))).to.equal(true);
    (session as unknown as { _setLocalMediaStatus: () => void })._setLocalMediaStatus();
    expect(ours).to.equal(1);
    expect(keepMuteSettings({} as Session, () => undefined)).to.equal(false);
  });

  it('JsSIP still re-enables tracks through that hook before its renegotiations (a JsSIP upgrade must keep it)', () => {
    const prototype = (RTCSession as unknown as { prototype: Record<string, unknown> }).prototype;
    expect(prototype['_setLocalMediaStatus']).to.be.a('function');
    // Its body is the one that writes track.enabled; renegotiate() (and so restartIce()) calls it.
    expect(String(prototype['_toggleMuteAudio'])).to.contain('enabled');
    expect(String(prototype['renegotiate'])).to.contain('_setLocalMediaStatus');
  });
});
