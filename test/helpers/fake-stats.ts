// A getStats() for fake sessions, shaped like Chromium's report (as recorded in test/fixtures/stats).
import type { FakeSession } from './fake-transport.js';

/** What the fake peer connection's getStats() reports; tests change it between collections. */
export interface Scenario {
  kbps: number;
  lossPercent: number;
  rttMs: number;
  jitterMs: number;
  fps: number;
  limitation: string;
}

export const GOOD: Scenario = { kbps: 400, lossPercent: 0, rttMs: 20, jitterMs: 4, fps: 25, limitation: 'none' };

/**
 * Gives a fake session's peer connection a getStats() with cumulative counters that advance by one
 * second of media per call, shaped like Chromium's report (as recorded in test/fixtures/stats).
 */
export function installStats(session: FakeSession, scenario: Scenario): void {
  let at = 1_700_000_000_000;
  let bytes = 0;
  let packets = 0;
  let lost = 0;
  Object.assign(session.connection, {
    getStats: () => {
      at += 1000;
      bytes += (scenario.kbps * 1000) / 8;
      packets += 100;
      lost += Math.round((100 * scenario.lossPercent) / (100 - scenario.lossPercent));
      const video = { kind: 'video', timestamp: at, frameWidth: 640, frameHeight: 480, framesPerSecond: scenario.fps, nackCount: 1, pliCount: 2, firCount: 0 };
      return Promise.resolve([
        { id: 'CV', type: 'codec', timestamp: at, mimeType: 'video/VP8' },
        { id: 'CA', type: 'codec', timestamp: at, mimeType: 'audio/opus' },
        { id: 'IV', type: 'inbound-rtp', ...video, mid: '1', codecId: 'CV', bytesReceived: bytes, packetsReceived: packets, packetsLost: lost, jitter: scenario.jitterMs / 1000 },
        { id: 'IA', type: 'inbound-rtp', kind: 'audio', mid: '0', timestamp: at, codecId: 'CA', bytesReceived: bytes / 10, packetsReceived: packets, packetsLost: 0, jitter: 0.002 },
        { id: 'OV', type: 'outbound-rtp', ...video, mid: '1', codecId: 'CV', bytesSent: bytes, packetsSent: packets, remoteId: 'RV', qualityLimitationReason: scenario.limitation },
        { id: 'OA', type: 'outbound-rtp', kind: 'audio', mid: '0', timestamp: at, codecId: 'CA', bytesSent: bytes / 10, packetsSent: packets },
        { id: 'RV', type: 'remote-inbound-rtp', kind: 'video', timestamp: at, fractionLost: 0, packetsLost: 0, roundTripTime: scenario.rttMs / 1000, jitter: 0.001 },
        { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'CP', dtlsState: 'connected', iceState: 'connected' },
        { id: 'CP', type: 'candidate-pair', timestamp: at, state: 'succeeded', nominated: true, localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: scenario.rttMs / 1000, availableOutgoingBitrate: 2e6 },
        { id: 'L', type: 'local-candidate', timestamp: at, candidateType: 'host', protocol: 'udp' },
        { id: 'R', type: 'remote-candidate', timestamp: at, candidateType: 'relay', protocol: 'udp' },
      ]);
    },
  });
}

/** The main inbound video's cumulative counters that {@link installVideoStats} reports; tests change them between collections. */
export interface VideoCounters {
  packets: number;
  bytes: number;
  framesReceived: number;
  framesDecoded: number;
}

/**
 * Gives a fake session's peer connection a getStats() that reports one inbound video (the main
 * stream) with the counters in the returned object, as they are at each call; `reports` counts the calls.
 */
export function installVideoStats(session: FakeSession, initial: Partial<VideoCounters> = {}): VideoCounters & { reports: number } {
  const counters = { packets: 0, bytes: 0, framesReceived: 0, framesDecoded: 0, reports: 0, ...initial };
  let at = 1_700_000_000_000;
  Object.assign(session.connection, {
    getStats: () => {
      at += 1000;
      counters.reports += 1;
      return Promise.resolve([
        {
          id: 'IV',
          type: 'inbound-rtp',
          kind: 'video',
          mid: '1',
          timestamp: at,
          packetsReceived: counters.packets,
          bytesReceived: counters.bytes,
          framesReceived: counters.framesReceived,
          framesDecoded: counters.framesDecoded,
        },
      ]);
    },
  });
  return counters;
}
