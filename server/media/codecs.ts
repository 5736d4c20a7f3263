/** The codecs the echo peer negotiates (audio: opus + telephone-event; video: VP8, H264) and their copies for the content m-line. */
import { RTCRtpCodecParameters, useAudioLevelIndication, useSdesMid, type PeerConfig } from 'werift';

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


/**
 * The werift configuration of every server peer (the echo peer, a spectator's leg): host candidates on
 * the loopback `host` only, no ICE servers, one bundle, the given codecs. transport-cc is deliberately
 * not negotiated: werift's TWCC feedback makes Chromium's send-side BWE collapse (target bitrate keeps
 * falling); without it Chromium uses loss-based estimation from our receiver reports and ramps up.
 */
export function loopbackPeerConfig(host: string, codecs: { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] }): Partial<PeerConfig> {
  return {
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: [host],
    iceInterfaceAddresses: host.includes(':') ? { udp6: host } : { udp4: host },
    bundlePolicy: 'max-bundle',
    codecs,
    headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()], video: [useSdesMid()] },
  };
}
