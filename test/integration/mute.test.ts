// Integration: a muted microphone and camera stay muted through every operation that touches the call's
// media (renegotiations, presentation start/update/stop, the restart INFO, ICE restart, device switch,
// role change, redial), checked on the senders, on the buttons and on what the server receives.
import { expect, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import { ExponentialBackoff } from '../../src/reconnect/policy.js';
import { control, serverCalls, uniqueConference, type ServerCall, type ServerMedia } from '../helpers/env.js';
import { canvasStream, part, reach, sessionWithPresentation, useIntegrationEnv } from '../helpers/integration.js';
import type { VinteoClientOptions } from '../../src/types.js';
import { openInFirefox } from '../helpers/browser.js';

const STATE_TIMEOUT = 30_000;
const quick: VinteoClientOptions = { reconnectPolicy: new ExponentialBackoff({ initialDelayMs: 300, maxDelayMs: 2000, jitter: 0.2 }) };

type Role = 'audio' | 'camera';
const media = (call: ServerCall, role: Role): ServerMedia | undefined =>
  role === 'audio' ? call.media.find((m) => m.kind === 'audio') : call.media.find((m) => m.kind === 'video');

interface Received {
  /** Payload bytes per packet. */
  readonly bytesPerPacket: number;
  /** Packets carrying sound (audio only, from the RFC 6464 audio level). */
  readonly audible: number;
}

/**
 * What the server receives on the microphone's or the camera's m-line over its next `packets`
 * packets. A disabled track still sends RTP, but silence (audio level −127 dBov) and black frames
 * (tiny packets next to live video): this tells them apart without timing anything.
 */
async function received(conference: string, role: Role, packets: number): Promise<Received> {
  const current = async (): Promise<ServerCall | undefined> =>
    (await serverCalls()).filter((c) => c.conference === conference && c.state === 'confirmed').at(-1);
  const first = await current();
  const start = first && media(first, role);
  if (!first || !start) throw new Error(`no confirmed call with ${role} on the server`);
  let end: ServerMedia | undefined;
  await waitUntil(
    async () => {
      const now = await current();
      end = now?.id === first.id ? media(now, role) : undefined;
      return end !== undefined && end.packetsReceived >= start.packetsReceived + packets;
    },
    `the server received fewer than ${packets} ${role} packets`,
    { timeout: STATE_TIMEOUT, interval: 200 },
  );
  return {
    bytesPerPacket: (end!.bytesReceived - start.bytesReceived) / (end!.packetsReceived - start.packetsReceived),
    audible: (end!.audiblePacketsReceived ?? 0) - (start.audiblePacketsReceived ?? 0),
  };
}

describe('integration: muted stays muted', function () {
  this.timeout(180_000);
  const env = useIntegrationEnv();

  it('keeps microphone and camera off through presentation start/update/stop, the restart INFO, ICE restart, device switch, role change and redial', async function () {
    openInFirefox(this, "after the redial the black frames' packets (a new encoder's keyframe, and a no-traffic video recovery) average more than a quarter of Firefox's small fake-camera packets; every step before passes");
    const conference = uniqueConference();
    const { session, call, presentation } = await sessionWithPresentation(env(), conference, quick);
    const client = session.client;
    const screens: Array<{ stop: () => void }> = [];
    try {
      await call.join();
      await reach(call, 'in-call', STATE_TIMEOUT);
      // Live media first, as the reference for "what a sent camera and microphone look like".
      // Chromium's fake microphone beeps twice a second: 100 packets (2 s) hold sound.
      const liveAudio = await received(conference, 'audio', 100);
      const liveVideo = await received(conference, 'camera', 100);
      expect(liveAudio.audible, 'the live microphone sends sound').to.be.greaterThan(0);

      part(call, 'microphone-button').click();
      part(call, 'camera-button').click();

      // Any write of enabled = true to a camera or microphone track, even for the moment of a
      // renegotiation (shorter than what the server's counters can catch), is recorded.
      const unmutes: string[] = [];
      const watched = new WeakSet<MediaStreamTrack>();
      const native = Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'enabled')!;
      let step = 'muting';
      const watchTracks = (): void => {
        for (const track of client.getSnapshot().call.localStream?.getTracks() ?? []) {
          if (watched.has(track)) continue;
          watched.add(track);
          Object.defineProperty(track, 'enabled', {
            configurable: true,
            get(this: MediaStreamTrack) {
              return native.get!.call(this) as boolean;
            },
            set(this: MediaStreamTrack, value: boolean) {
              if (value) unmutes.push(`${this.kind} during ${step}`);
              native.set!.call(this, value);
            },
          });
        }
      };
      watchTracks();

      /** The server's newest call to the conference (a redial makes a new one). */
      const server = async (): Promise<ServerCall> => {
        const newest = (await serverCalls()).filter((c) => c.conference === conference).at(-1);
        if (!newest) throw new Error('the server lists no call to the conference');
        return newest;
      };

      /** Everything says off: the snapshot, the buttons, the local and sent tracks, and the server's packets. */
      const expectMuted = async (after: string): Promise<void> => {
        await call.updateComplete;
        expect(unmutes, `${after}: tracks switched on`).to.deep.equal([]);
        watchTracks();
        const snapshot = client.getSnapshot().call;
        expect(snapshot.microphoneEnabled, `${after}: microphone in the snapshot`).to.equal(false);
        expect(snapshot.cameraEnabled, `${after}: camera in the snapshot`).to.equal(false);
        expect(part(call, 'microphone-button').getAttribute('aria-pressed'), `${after}: microphone button`).to.equal('false');
        expect(part(call, 'camera-button').getAttribute('aria-pressed'), `${after}: camera button`).to.equal('false');
        const local = snapshot.localStream!;
        expect(local.getTracks().map((t) => t.enabled), `${after}: local tracks`).to.deep.equal(local.getTracks().map(() => false));
        const screen = client.presentationSender?.track;
        const sent = client.peerConnection!.getSenders().flatMap((s) => (s.track && s.track !== screen ? [s.track] : []));
        expect(sent.length, `${after}: senders with camera or microphone`).to.be.greaterThan(0);
        expect(sent.map((t) => `${t.kind}:${t.enabled}`), `${after}: sent tracks`).to.deep.equal(sent.map((t) => `${t.kind}:false`));
        // Packets encoded before the last change may still be on their way: let 50 (1 s) pass first.
        await received(conference, 'audio', 50);
        const audio = await received(conference, 'audio', 100);
        const video = await received(conference, 'camera', 10);
        expect(audio.audible, `${after}: audio packets with sound (live: ${liveAudio.audible} in 100)`).to.equal(0);
        expect(video.bytesPerPacket, `${after}: video bytes per packet (live: ${liveVideo.bytesPerPacket.toFixed(1)})`).to.be.below(
          liveVideo.bytesPerPacket / 4,
        );
      };

      await expectMuted('muting');

      step = 'presentation start';
      const first = canvasStream();
      screens.push(first);
      presentation.source = first.stream;
      await presentation.start();
      await reach(presentation, 'active', STATE_TIMEOUT);
      await expectMuted('presentation start');

      step = 'presentation update';
      const second = canvasStream();
      screens.push(second);
      await client.updatePresentation({ stream: second.stream });
      await expectMuted('presentation update');

      step = 'presentation stop';
      await presentation.stop();
      await reach(presentation, 'idle', STATE_TIMEOUT);
      await expectMuted('presentation stop');

      step = 'ICE restart';
      await client.restartIce();
      await expectMuted('ICE restart');

      step = 'device switch';
      await client.watchDevices();
      await waitUntil(() => client.getSnapshot().devices.cameras.some((c) => c.deviceId !== ''), 'no cameras listed', { timeout: STATE_TIMEOUT });
      const inUse = client.getSnapshot().call.localStream!.getVideoTracks()[0]!.getSettings().deviceId;
      const other = client.getSnapshot().devices.cameras.find((c) => c.deviceId !== inUse) ?? client.getSnapshot().devices.cameras[0]!;
      await client.selectCamera(other.deviceId);
      const microphone = client.getSnapshot().devices.microphones.at(-1);
      if (microphone) await client.selectMicrophone(microphone.deviceId);
      await expectMuted('device switch');

      step = 'role change';
      const id = (await server()).id;
      await control(`/api/calls/${id}/info`, { contentType: 'application/vinteo.webrtc.partstate', headers: { 'X-WEBRTC-PARTSTATE': 'SPECTATOR' } });
      await waitUntil(() => call.getAttribute('conference-role') === 'spectator', 'never a spectator', { timeout: STATE_TIMEOUT });
      await control(`/api/calls/${id}/info`, { contentType: 'application/vinteo.webrtc.partstate', headers: { 'X-WEBRTC-PARTSTATE': 'PARTICIPANT' } });
      await waitUntil(() => call.getAttribute('conference-role') === 'participant', 'never a participant again', { timeout: STATE_TIMEOUT });
      const sending = (c: ServerCall): boolean => media(c, 'audio')?.direction === 'sendrecv' && media(c, 'camera')?.direction === 'sendrecv';
      await waitUntil(async () => sending(await server()), 'the server never saw sendrecv again', {
        timeout: STATE_TIMEOUT,
      });
      await expectMuted('role change');

      step = 'redial';
      await control('/api/connections/drop', {});
      await reach(call, 'reconnecting', STATE_TIMEOUT);
      await reach(call, 'in-call', STATE_TIMEOUT);
      await waitUntil(async () => (await server()).id !== id, 'the call was not redialled', { timeout: STATE_TIMEOUT });
      await expectMuted('redial');
    } finally {
      for (const screen of screens) screen.stop();
    }
  });
});
