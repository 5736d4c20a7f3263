/**
 * Main-video faults, to drive a client's stream-health monitor (protocol §11):
 * - `flow`: the camera's RTP is echoed as it is;
 * - `stall`: nothing is echoed on the main video m-line (the client's inbound
 *   packet and byte counters stop; from the start of a call: "no traffic");
 * - `garble`: RTP keeps flowing but cannot be decoded: every packet that
 *   starts a keyframe (VP8 key frame, H.264 IDR/SPS/PPS) is dropped and the
 *   rest have their codec payload inverted after the codec's own header, so
 *   packets rise while no frame is ever decodable (nothing refers to a keyframe).
 * Only the main video m-line is affected: audio, content and presentation
 * m-lines never are.
 */
import { RtpPacket } from 'werift';

export type VideoMode = 'flow' | 'stall' | 'garble';
export const VIDEO_MODES: readonly VideoMode[] = ['flow', 'stall', 'garble'];

/** Length of a VP8 payload descriptor (RFC 7741 §4.2); undefined when truncated. */
export function vp8DescriptorLength(payload: Buffer): number | undefined {
  if (payload.length < 1) return undefined;
  let length = 1;
  if (payload[0]! & 0x80) {
    const x = payload[1];
    if (x === undefined) return undefined;
    length = 2;
    if (x & 0x80) length += payload[2] !== undefined && payload[2] & 0x80 ? 2 : 1; // I (7 or 15-bit picture id)
    if (x & 0x40) length += 1; // L
    if (x & 0x30) length += 1; // T / K
  }
  return length <= payload.length ? length : undefined;
}

const H264_KEY_NALS = new Set([5, 7, 8]);

/** True when this RTP payload starts (or, for H.264, carries part of) a keyframe. */
export function isKeyframePacket(codec: string, payload: Buffer): boolean {
  const name = codec.toUpperCase();
  if (name === 'VP8') {
    const d = vp8DescriptorLength(payload);
    if (d === undefined || d >= payload.length) return false;
    const start = (payload[0]! & 0x10) !== 0 && (payload[0]! & 0x07) === 0; // S bit, partition 0
    return start && (payload[d]! & 0x01) === 0; // P bit 0: key frame
  }
  if (name === 'H264') {
    const type = (payload[0] ?? 0) & 0x1f;
    if (type === 28) return H264_KEY_NALS.has((payload[1] ?? 0) & 0x1f); // FU-A
    if (type === 24) {
      // STAP-A: 16-bit sizes, each followed by a NAL unit.
      for (let i = 1; i + 2 < payload.length; ) {
        const size = payload.readUInt16BE(i);
        if (H264_KEY_NALS.has(payload[i + 2]! & 0x1f)) return true;
        i += 2 + size;
      }
      return false;
    }
    return H264_KEY_NALS.has(type);
  }
  return false;
}

/** How many leading payload bytes `garble` keeps (the codec's descriptor / NAL header). */
function headerBytes(codec: string, payload: Buffer): number {
  const name = codec.toUpperCase();
  if (name === 'VP8') return Math.min(payload.length, (vp8DescriptorLength(payload) ?? 1) + 3);
  if (name === 'H264') return Math.min(payload.length, ((payload[0] ?? 0) & 0x1f) === 28 ? 2 : 1);
  return Math.min(payload.length, 1);
}

/**
 * What to echo for a main-video packet in `mode` (`codec` is the encoding
 * name of its payload type): the packet itself, a garbled copy, or undefined
 * to send nothing.
 */
export function applyVideoMode(mode: VideoMode, codec: string, rtp: RtpPacket): RtpPacket | undefined {
  if (mode === 'flow') return rtp;
  if (mode === 'stall' || isKeyframePacket(codec, rtp.payload)) return undefined;
  const payload = Buffer.from(rtp.payload);
  for (let i = headerBytes(codec, payload); i < payload.length; i++) payload[i] = payload[i]! ^ 0xff;
  return new RtpPacket(rtp.header, payload);
}
