/**
 * Reading the caller's RTP and RTCP without decoding: RFC 6464 audio levels,
 * RFC 4733 telephone-events (DTMF), and keyframe requests both ways (our PLI
 * to the caller's sender; the caller's PLI/FIR on our sender SSRCs).
 */
import { PictureLossIndication, RtcpPayloadSpecificFeedback, type RTCRtpTransceiver, type RtcpPacket, type RtpPacket } from 'werift';
import type { Logger } from '../log.js';
import type { TransceiverState } from './types.js';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const SILENCE_DBOV = 127;
const DTMF_EVENTS = '0123456789*#ABCD';
const PLI_MIN_INTERVAL_MS = 200;

/** True when an audio packet's RFC 6464 level is above digital silence (−127 dBov). */
export function isAudible(extensions: Record<string, unknown> | undefined): boolean {
  const level = (extensions?.[AUDIO_LEVEL_URI] as { level?: unknown } | undefined)?.level;
  return typeof level === 'number' && level < SILENCE_DBOV;
}

export function isTelephoneEvent(transceiver: RTCRtpTransceiver, pt: number): boolean {
  const codec = transceiver.codecs.find((c) => c.payloadType === pt);
  return !!codec && codec.mimeType.toLowerCase() === 'audio/telephone-event';
}
/** The digit a telephone-event packet starts (undefined for the rest of the same event, or a short payload). */
export function telephoneEventDigit(state: TransceiverState, rtp: RtpPacket): string | undefined {
  const payload = rtp.payload;
  if (payload.length < 4) return undefined;
  const event = payload[0]!;
  if (state.lastDtmfTimestamp === rtp.header.timestamp) return undefined;
  state.lastDtmfTimestamp = rtp.header.timestamp;
  return DTMF_EVENTS[event];
}
/** A PLI to the caller's sender on this transceiver (at most one per 200 ms unless `force`). */
export function requestKeyframe(state: TransceiverState, why: string, log: Logger, force = false): void {
  const ssrc = state.track?.ssrc;
  if (ssrc === undefined) return;
  const now = Date.now();
  if (!force && now - state.lastPliAt < PLI_MIN_INTERVAL_MS) return;
  state.lastPliAt = now;
  log.debug(`PLI to caller ssrc ${ssrc} (mid ${state.transceiver.mid}, ${why})`);
  state.transceiver.receiver.sendRtcpPLI(ssrc).catch(() => {});
}
/** The sender SSRCs a PLI or FIR from the caller asks a keyframe for, and which it was; undefined for any other RTCP. */
export function keyframeRequest(packet: RtcpPacket): { targets: number[]; why: string } | undefined {
  if (packet.type !== RtcpPayloadSpecificFeedback.type) return undefined;
  const feedback = (packet as RtcpPayloadSpecificFeedback).feedback as
    | (PictureLossIndication & { fir?: undefined })
    | { count: number; mediaSsrc: number; fir?: Array<{ ssrc: number }> }
    | undefined;
  if (!feedback) return undefined;
  let targets: number[] = [];
  if (feedback.count === PictureLossIndication.count) targets = [feedback.mediaSsrc];
  else if (feedback.count === 4 && Array.isArray(feedback.fir)) targets = feedback.fir.map((f) => f.ssrc);
  else return undefined;
  return { targets, why: feedback.count === 4 ? 'FIR from caller' : 'PLI from caller' };
}
