import type { CallStats, CandidatePairStats, MediaKind, RtpStreamStats, StatsSample, TransportStats } from './types.js';

/** Cumulative counters of one stream at one collection: what the next collection's deltas start from. */
interface StreamCounters {
  readonly timestamp: number;
  readonly bytes: number;
  readonly packets: number;
  readonly packetsLost: number | undefined;
}

/** What {@link parseStats} remembers between two collections. Opaque to callers. */
export interface StatsCounters {
  readonly streams: ReadonlyMap<string, StreamCounters>;
}

export interface ParseOptions {
  /** The camera track's id: picks the main outbound video when a presentation sends a second one. */
  readonly cameraTrackId?: string;
}

type Entry = Readonly<Record<string, unknown>>;

/** A finite number, else undefined: malformed values never leak into the model. */
function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Seconds → milliseconds, keeping undefined. */
function ms(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000 * 100) / 100;
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Entries of an `RTCStatsReport`, a plain array (recorded fixtures) or anything iterable; junk is skipped. */
function entriesOf(report: unknown): Map<string, Entry> {
  const byId = new Map<string, Entry>();
  if (report === null || typeof report !== 'object') return byId;
  const candidate = report as { values?: () => Iterable<unknown>; [Symbol.iterator]?: () => Iterator<unknown> };
  let values: Iterable<unknown>;
  try {
    if (typeof candidate.values === 'function') values = candidate.values();
    else if (typeof candidate[Symbol.iterator] === 'function') values = candidate as Iterable<unknown>;
    else return byId;
    for (const value of values) {
      if (value === null || typeof value !== 'object') continue;
      const entry = value as Entry;
      const id = str(entry['id']);
      if (id && str(entry['type'])) byId.set(id, entry);
    }
  } catch {
    // A broken report is an empty one.
  }
  return byId;
}

function kindOf(entry: Entry): MediaKind | undefined {
  const kind = entry['kind'] ?? entry['mediaType'];
  return kind === 'audio' || kind === 'video' ? kind : undefined;
}

function codecOf(byId: Map<string, Entry>, entry: Entry | undefined): string | undefined {
  const codecId = entry ? str(entry['codecId']) : undefined;
  return codecId ? str(byId.get(codecId)?.['mimeType']) : undefined;
}

/** Bits per second from two byte counters; undefined without a usable previous value. */
function bitrateOf(bytes: number, timestamp: number, previous: StreamCounters | undefined): number | undefined {
  if (!previous) return undefined;
  const seconds = (timestamp - previous.timestamp) / 1000;
  const delta = bytes - previous.bytes;
  if (!(seconds > 0) || delta < 0) return undefined;
  return Math.round((delta * 8) / seconds);
}

/** Loss over the interval: lost / (received + lost), 0 when nothing arrived and nothing was lost. */
function intervalLoss(packets: number, lost: number | undefined, previous: StreamCounters | undefined): number | undefined {
  if (!previous || lost === undefined || previous.packetsLost === undefined) return undefined;
  const received = packets - previous.packets;
  const lostDelta = lost - previous.packetsLost;
  if (received < 0) return undefined;
  // A negative loss delta means duplicates or late packets made up for earlier loss.
  const missing = Math.max(0, lostDelta);
  const expected = received + missing;
  return expected === 0 ? 0 : round((missing / expected) * 100);
}

function midOrder(a: RtpStreamStats, b: RtpStreamStats): number {
  const x = a.mid === undefined ? Number.POSITIVE_INFINITY : Number(a.mid);
  const y = b.mid === undefined ? Number.POSITIVE_INFINITY : Number(b.mid);
  if (x !== y) return (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x) - (Number.isNaN(y) ? Number.POSITIVE_INFINITY : y);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function parseStream(
  byId: Map<string, Entry>,
  entry: Entry,
  direction: 'inbound' | 'outbound',
  reportTime: number,
  previous: StatsCounters | undefined,
): { stream: RtpStreamStats; counters: StreamCounters } | undefined {
  const id = str(entry['id'])!;
  const kind = kindOf(entry);
  if (!kind) return undefined;
  const timestamp = num(entry['timestamp']) ?? reportTime;
  const bytes = num(direction === 'inbound' ? entry['bytesReceived'] : entry['bytesSent']) ?? 0;
  const packets = num(direction === 'inbound' ? entry['packetsReceived'] : entry['packetsSent']) ?? 0;
  const before = previous?.streams.get(id);
  // The remote side's view: `remote-inbound-rtp` for what we send, found by remoteId or localId.
  const remoteId = str(entry['remoteId']);
  let remote = remoteId ? byId.get(remoteId) : undefined;
  if (!remote && direction === 'outbound') {
    for (const candidate of byId.values()) {
      if (candidate['type'] === 'remote-inbound-rtp' && candidate['localId'] === id) remote = candidate;
    }
  }
  let packetsLost: number | undefined;
  let lossPercent: number | undefined;
  let jitterMs: number | undefined;
  let roundTripTimeMs: number | undefined;
  let trackIdentifier: string | undefined;
  if (direction === 'inbound') {
    packetsLost = num(entry['packetsLost']);
    lossPercent = intervalLoss(packets, packetsLost, before);
    jitterMs = ms(num(entry['jitter']));
    trackIdentifier = str(entry['trackIdentifier']);
  } else {
    if (remote && remote['type'] === 'remote-inbound-rtp') {
      packetsLost = num(remote['packetsLost']);
      const fraction = num(remote['fractionLost']);
      lossPercent = fraction === undefined ? undefined : round(Math.min(1, Math.max(0, fraction)) * 100);
      jitterMs = ms(num(remote['jitter']));
      roundTripTimeMs = ms(num(remote['roundTripTime']));
    }
    const sourceId = str(entry['mediaSourceId']);
    trackIdentifier = sourceId ? str(byId.get(sourceId)?.['trackIdentifier']) : undefined;
  }
  const video = kind === 'video';
  const stream: RtpStreamStats = {
    id,
    kind,
    direction,
    ssrc: num(entry['ssrc']),
    mid: str(entry['mid']),
    trackIdentifier,
    packets,
    bytes,
    bitrate: bitrateOf(bytes, timestamp, before),
    packetsLost,
    lossPercent,
    jitterMs,
    roundTripTimeMs,
    framesPerSecond: video ? num(entry['framesPerSecond']) : undefined,
    width: video ? num(entry['frameWidth']) : undefined,
    height: video ? num(entry['frameHeight']) : undefined,
    codec: codecOf(byId, entry),
    nackCount: num(entry['nackCount']),
    pliCount: video ? num(entry['pliCount']) : undefined,
    firCount: video ? num(entry['firCount']) : undefined,
    framesDropped: video && direction === 'inbound' ? num(entry['framesDropped']) : undefined,
    framesReceived: video && direction === 'inbound' ? num(entry['framesReceived']) : undefined,
    framesDecoded: video && direction === 'inbound' ? num(entry['framesDecoded']) : undefined,
    qualityLimitationReason: video && direction === 'outbound' ? str(entry['qualityLimitationReason']) : undefined,
  };
  return { stream, counters: { timestamp, bytes, packets, packetsLost: direction === 'inbound' ? packetsLost : undefined } };
}

function parseTransport(entry: Entry): TransportStats {
  return {
    id: str(entry['id'])!,
    iceState: str(entry['iceState']),
    dtlsState: str(entry['dtlsState']),
    iceRole: str(entry['iceRole']),
    dtlsRole: str(entry['dtlsRole']),
    tlsVersion: str(entry['tlsVersion']),
    dtlsCipher: str(entry['dtlsCipher']),
    srtpCipher: str(entry['srtpCipher']),
    selectedCandidatePairChanges: num(entry['selectedCandidatePairChanges']),
    bytesSent: num(entry['bytesSent']),
    bytesReceived: num(entry['bytesReceived']),
  };
}

/** The selected pair: named by the transport, else the nominated succeeded one (or the legacy `selected`). */
function selectedPair(byId: Map<string, Entry>, transport: Entry | undefined): Entry | undefined {
  const named = transport ? str(transport['selectedCandidatePairId']) : undefined;
  const pair = named ? byId.get(named) : undefined;
  if (pair?.['type'] === 'candidate-pair') return pair;
  let fallback: Entry | undefined;
  for (const entry of byId.values()) {
    if (entry['type'] !== 'candidate-pair') continue;
    if (entry['selected'] === true) return entry;
    if (entry['nominated'] === true && entry['state'] === 'succeeded') fallback ??= entry;
  }
  return fallback;
}

function parseCandidatePair(byId: Map<string, Entry>, pair: Entry): CandidatePairStats {
  const local = byId.get(str(pair['localCandidateId']) ?? '');
  const remote = byId.get(str(pair['remoteCandidateId']) ?? '');
  return {
    id: str(pair['id'])!,
    state: str(pair['state']),
    roundTripTimeMs: ms(num(pair['currentRoundTripTime'])),
    localCandidateType: str(local?.['candidateType']),
    remoteCandidateType: str(remote?.['candidateType']),
    protocol: str(local?.['protocol']),
    availableOutgoingBitrate: num(pair['availableOutgoingBitrate']),
    availableIncomingBitrate: num(pair['availableIncomingBitrate']),
    bytesSent: num(pair['bytesSent']),
    bytesReceived: num(pair['bytesReceived']),
  };
}

function sum(values: ReadonlyArray<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : defined.reduce((a, b) => a + b, 0);
}

/**
 * Parses one `getStats()` report into {@link CallStats}. `previous` holds the counters of the last
 * collection (bitrates and interval loss come from the deltas); pass back the returned `counters`
 * next time. Never throws: missing fields stay `undefined`, malformed entries are skipped, a zero
 * time delta or a counter that went backwards gives no bitrate rather than a wrong one.
 */
export function parseStats(
  report: unknown,
  previous?: StatsCounters,
  options: ParseOptions = {},
): { stats: CallStats; counters: StatsCounters } {
  const byId = entriesOf(report);
  let reportTime = 0;
  for (const entry of byId.values()) reportTime = Math.max(reportTime, num(entry['timestamp']) ?? 0);

  const streams: RtpStreamStats[] = [];
  const counters = new Map<string, StreamCounters>();
  let transportEntry: Entry | undefined;
  for (const entry of byId.values()) {
    const type = entry['type'];
    if (type === 'inbound-rtp' || type === 'outbound-rtp') {
      const parsed = parseStream(byId, entry, type === 'inbound-rtp' ? 'inbound' : 'outbound', reportTime, previous);
      if (!parsed) continue;
      streams.push(parsed.stream);
      counters.set(parsed.stream.id, parsed.counters);
    } else if (type === 'transport') {
      // With bundling there is one; otherwise the one that carries a selected pair.
      if (!transportEntry || (!transportEntry['selectedCandidatePairId'] && entry['selectedCandidatePairId'])) transportEntry = entry;
    }
  }
  streams.sort((a, b) => (a.direction === b.direction ? midOrder(a, b) : a.direction === 'inbound' ? -1 : 1));

  const pick = (direction: 'inbound' | 'outbound', kind: MediaKind): RtpStreamStats | undefined => {
    const matching = streams.filter((s) => s.direction === direction && s.kind === kind);
    if (direction === 'outbound' && kind === 'video' && options.cameraTrackId) {
      const camera = matching.find((s) => s.trackIdentifier === options.cameraTrackId);
      if (camera) return camera;
    }
    return matching[0];
  };

  const pairEntry = selectedPair(byId, transportEntry);
  const candidatePair = pairEntry ? parseCandidatePair(byId, pairEntry) : undefined;
  const receiveBitrate = sum(streams.filter((s) => s.direction === 'inbound').map((s) => s.bitrate));
  const stats: CallStats = {
    timestamp: reportTime,
    inbound: { audio: pick('inbound', 'audio'), video: pick('inbound', 'video') },
    outbound: { audio: pick('outbound', 'audio'), video: pick('outbound', 'video') },
    streams,
    candidatePair,
    transport: transportEntry ? parseTransport(transportEntry) : undefined,
    sendBitrate: sum(streams.filter((s) => s.direction === 'outbound').map((s) => s.bitrate)),
    receiveBitrate,
    // Only the browser's own estimate: where it reports none, there is none (never a substitute).
    availableIncomingBitrate: candidatePair?.availableIncomingBitrate,
  };
  return { stats, counters: { streams: counters } };
}

function max(values: ReadonlyArray<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.max(...defined);
}

/** The chart point of one collection. */
export function sampleOf(stats: CallStats): StatsSample {
  const inbound = stats.streams.filter((s) => s.direction === 'inbound');
  const outbound = stats.streams.filter((s) => s.direction === 'outbound');
  return {
    timestamp: stats.timestamp,
    sendBitrate: stats.sendBitrate,
    receiveBitrate: stats.receiveBitrate,
    sendLossPercent: max(outbound.map((s) => s.lossPercent)),
    receiveLossPercent: max(inbound.map((s) => s.lossPercent)),
    jitterMs: max(inbound.map((s) => s.jitterMs)),
    roundTripTimeMs: stats.candidatePair?.roundTripTimeMs ?? max(outbound.map((s) => s.roundTripTimeMs)),
    sendFramesPerSecond: stats.outbound.video?.framesPerSecond,
    receiveFramesPerSecond: stats.inbound.video?.framesPerSecond,
  };
}
