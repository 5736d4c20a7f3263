import type { Resolution } from '../protocol/info.js';
import type { OutgoingShareState } from '../protocol/outgoing.js';
import { logger } from '../logger.js';
import type { PresentationOptions } from './types.js';

/** The cap on the presentation sender, bps: always applied (protocol §8, step 5); an app's lower `maxBitrate` wins. */
export const PRESENTATION_MAX_BITRATE = 1_000_000;

/** The sharedesktop states a sender uses: MCU rooms ask for the floor; direct p2p rooms and presentation-only calls announce content. */
export function shareStates(directP2P: boolean): { readonly start: OutgoingShareState; readonly stop: OutgoingShareState } {
  return directP2P ? { start: 'YOUCANRECEIVECONTENT', stop: 'CONTENTEND' } : { start: 'LETMESTARTPRESENTATION', stop: 'STOPPRESENTATION' };
}

/**
 * The presentation's sendEncodings (protocol §3): the app's, scaled to `max` when it is set. The scale is
 * `max(trackW/w, trackH/h, 1)`; app encodings keep the larger of theirs and it, but a computed scale of 1
 * forces 1. Undefined when there is nothing to set.
 */
export function presentationEncodings(
  app: readonly RTCRtpEncodingParameters[] | undefined,
  track: { readonly width?: number | undefined; readonly height?: number | undefined },
  max: Resolution | undefined,
): RTCRtpEncodingParameters[] | undefined {
  if (!max || !track.width || !track.height || max.width <= 0 || max.height <= 0) return app ? app.map((e) => ({ ...e })) : undefined;
  const scale = Math.max(track.width / max.width, track.height / max.height, 1);
  if (!app || app.length === 0) return [{ scaleResolutionDownBy: scale }];
  return app.map((e) => ({ ...e, scaleResolutionDownBy: scale <= 1 ? 1 : Math.max(e.scaleResolutionDownBy ?? 1, scale) }));
}

/** The bitrate cap on every encoding: 1 Mbps, or the app's lower one. */
export function presentationBitrate(options: Pick<PresentationOptions, 'maxBitrate'>): number {
  return options.maxBitrate !== undefined ? Math.min(options.maxBitrate, PRESENTATION_MAX_BITRATE) : PRESENTATION_MAX_BITRATE;
}

/** Sets the track's contentHint: `detail` by default; `none` leaves the track alone. */
export function applyContentHint(track: MediaStreamTrack, hint: PresentationOptions['contentHint']): void {
  if (hint === 'none') return;
  track.contentHint = hint ?? 'detail';
}

/** The size the track is captured at (for the scale to `maxAvailableResolution`). */
export function trackSize(track: MediaStreamTrack): { width?: number; height?: number } {
  const settings = typeof track.getSettings === 'function' ? track.getSettings() : {};
  return { width: settings.width, height: settings.height };
}

/**
 * Puts the screen on the peer connection (protocol §8, step 3): when any transceiver is negotiated
 * `recvonly`, `addTrack` (the browser reuses a free receive-only video transceiver, which becomes
 * `sendrecv`, or makes a new one); otherwise a new `sendrecv` transceiver with the encodings.
 */
export function attachScreen(peer: RTCPeerConnection, track: MediaStreamTrack, stream: MediaStream, encodings: RTCRtpEncodingParameters[] | undefined): RTCRtpTransceiver {
  const anyRecvOnly = peer.getTransceivers().some((t) => t.currentDirection === 'recvonly');
  if (anyRecvOnly) {
    const sender = peer.addTrack(track, stream);
    const transceiver = peer.getTransceivers().find((t) => t.sender === sender);
    if (transceiver) {
      transceiver.direction = 'sendrecv';
      return transceiver;
    }
  }
  return peer.addTransceiver(track, { direction: 'sendrecv', streams: [stream], ...(encodings ? { sendEncodings: encodings } : {}) });
}

/** The encodings' scales, the degradation preference and (with `cap`: after the re-INVITE) the bitrate cap on the sender. */
export async function applySenderParameters(
  sender: RTCRtpSender,
  options: PresentationOptions,
  encodings: RTCRtpEncodingParameters[] | undefined,
  cap: boolean,
): Promise<void> {
  const parameters = sender.getParameters();
  if (!parameters.encodings || parameters.encodings.length === 0) parameters.encodings = [{}];
  const bitrate = presentationBitrate(options);
  parameters.encodings.forEach((encoding, index) => {
    // Sending again after a stop (deactivateSender).
    encoding.active = true;
    const wanted = encodings?.[index];
    if (wanted?.scaleResolutionDownBy !== undefined) encoding.scaleResolutionDownBy = wanted.scaleResolutionDownBy;
    if (cap) encoding.maxBitrate = bitrate;
  });
  const withPreference = parameters as RTCRtpSendParameters & { degradationPreference?: RTCDegradationPreference };
  if (options.degradationPreference) withPreference.degradationPreference = options.degradationPreference;
  try {
    await sender.setParameters(parameters);
  } catch (error) {
    // Some browsers refuse degradationPreference in setParameters: keep the bitrate cap at least.
    if (!options.degradationPreference) throw error;
    delete withPreference.degradationPreference;
    await sender.setParameters(parameters);
    logger.warn('degradationPreference was refused by the browser', error);
  }
}

/** No RTP from the sender, without a renegotiation: every encoding inactive (after a stop; the m-line stays). */
export async function deactivateSender(sender: RTCRtpSender): Promise<void> {
  const parameters = sender.getParameters();
  if (!parameters.encodings || parameters.encodings.length === 0 || parameters.encodings.every((encoding) => encoding.active === false)) return;
  for (const encoding of parameters.encodings) encoding.active = false;
  await sender.setParameters(parameters);
}
