/** The codecs the echo peer negotiates (audio: opus + telephone-event; video: VP8, H264) and their copies for the content m-line. */
import { RTCRtpCodecParameters } from 'werift';

const VIDEO_FEEDBACK = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb' },
  { type: 'transport-cc' },
];

/** Codecs the echo peer accepts; everything else in an offer is rejected by werift's negotiation. */
export function echoCodecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return {
    audio: [
      new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, rtcpFeedback: [{ type: 'transport-cc' }], parameters: 'minptime=10;useinbandfec=1' }),
      new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1 }),
    ],
    video: [
      new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: VIDEO_FEEDBACK }),
      new RTCRtpCodecParameters({
        mimeType: 'video/H264',
        clockRate: 90000,
        rtcpFeedback: VIDEO_FEEDBACK,
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      }),
    ],
  };
}

/** A copy of a negotiated codec (payload type and feedback included) for another transceiver. */
export function cloneCodec(codec: RTCRtpCodecParameters): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: codec.mimeType,
    clockRate: codec.clockRate,
    payloadType: codec.payloadType,
    rtcpFeedback: codec.rtcpFeedback.map((f) => ({ ...f })),
    ...(codec.channels !== undefined ? { channels: codec.channels } : {}),
    ...(codec.parameters !== undefined ? { parameters: codec.parameters } : {}),
  });
}

