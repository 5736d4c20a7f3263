/**
 * The calls as the control API sees them: `CallInfo` (with each m-line's
 * role and counters, the presentation, the policy and the content), and the
 * last SDP each way.
 */
import type { MediaRole } from '../media/types.js';
import type { OfferedMedia } from '../sdp-info.js';
import { iso, type Call, type SdpRecord } from './call.js';
import { policyOf } from './presentation.js';
import { redactToken } from './rooms.js';
import type { CallInfo, ContentInfo, PresentationPolicy } from './types.js';

/** The control API's view of a call (a copy: nothing in it is live). */
export function toInfo(call: Call, defaultPolicy: PresentationPolicy): CallInfo {
  return {
    id: call.id,
    callId: call.dialog.callId,
    flowId: call.flow.id,
    direction: call.direction,
    from: call.from,
    fromUri: call.fromUri,
    displayName: call.displayName,
    conference: call.conference,
    ...(call.localDisplayName ? { localDisplayName: call.localDisplayName } : {}),
    state: call.state,
    ...(call.endReason ? { endReason: call.endReason } : {}),
    ...(call.finalStatus !== undefined ? { finalStatus: call.finalStatus } : {}),
    startedAt: iso(call.startedAt)!,
    ...(call.answeredAt ? { answeredAt: iso(call.answeredAt) } : {}),
    ...(call.confirmedAt ? { confirmedAt: iso(call.confirmedAt) } : {}),
    ...(call.cancelledAt ? { cancelledAt: iso(call.cancelledAt) } : {}),
    ...(call.endedAt ? { endedAt: iso(call.endedAt) } : {}),
    ...(call.userAgent ? { userAgent: call.userAgent } : {}),
    ...(call.room !== undefined ? { room: call.room } : {}),
    ...(call.bearerToken !== undefined ? { bearerToken: redactToken(call.bearerToken) } : {}),
    inviteHeaders: { ...call.inviteHeaders },
    ...(call.inviteHeaders['x-vinteo-remote']?.trim() ? { remote: call.inviteHeaders['x-vinteo-remote'].trim() } : {}),
    media: call.offeredMedia.map((m, i) => {
      const counters = call.peer?.counters(m.mid) ?? { packetsReceived: 0, bytesReceived: 0, packetsEchoed: 0, audiblePacketsReceived: 0 };
      return {
        role: roleOf(call, m, i),
        kind: m.kind,
        mid: m.mid,
        direction: m.direction,
        port: m.port,
        codecs: m.codecs,
        packetsReceived: counters.packetsReceived,
        bytesReceived: counters.bytesReceived,
        packetsEchoed: counters.packetsEchoed,
        ...(m.kind === 'audio' ? { audiblePacketsReceived: counters.audiblePacketsReceived } : {}),
      };
    }),
    ...(call.peer ? { mediaConnectionState: call.peer.connectionState } : {}),
    reinvites: call.reinvites,
    serverReinvites: call.serverReinvites,
    videoMode: call.video.mode,
    ...(call.video.mode !== 'flow' ? { videoModeUntil: call.video.until } : {}),
    infoReceived: call.infoReceived.map((r) => ({ ...r, headers: { ...r.headers } })),
    infoSent: call.infoSent.map((r) => ({ ...r, headers: redactTokens(r.headers) })),
    dtmfReceived: call.dtmfReceived,
    presentation: {
      state: call.presentation.state,
      ...(call.presentation.requestedAt ? { requestedAt: iso(call.presentation.requestedAt) } : {}),
      ...(call.presentation.startedAt ? { startedAt: iso(call.presentation.startedAt) } : {}),
      ...(call.presentation.stoppedAt ? { stoppedAt: iso(call.presentation.stoppedAt) } : {}),
      ...(call.presentation.mid !== undefined ? { mid: call.presentation.mid } : {}),
      packetsReceived: call.presentation.packetsReceived,
    },
    presentationPolicy: policyOf(call, defaultPolicy),
    content: contentInfo(call),
  };
}

/** Sent INFO headers with the in-room tokens (x-bearer-token, a TokenIssued jwt) cut to their first 4 characters. */
function redactTokens(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'x-bearer-token') result[name] = redactToken(value);
    else result[name] = value.replace(/("jwt"\s*:\s*")([^"]{4})[^"]*"/g, '$1$2…"');
  }
  return result;
}

/**
 * Role of an m-line of the client's last SDP: the peer's view when it has
 * one (our content m-line the client sends on counts as its presentation),
 * else by position (audio and the first video main, later video presentation).
 */
function roleOf(call: Call, m: OfferedMedia, index: number): MediaRole {
  const known = call.peer?.roleOf(m.mid);
  if (known === 'content') return m.direction === 'sendonly' || m.direction === 'sendrecv' ? 'presentation' : 'content';
  if (known) return known;
  if (m.kind !== 'video') return 'main';
  return call.offeredMedia.findIndex((x) => x.kind === 'video') === index ? 'main' : 'presentation';
}

export function contentInfo(call: Call): ContentInfo {
  const status = call.peer?.contentStatus();
  const c = call.content;
  return {
    state: c.state,
    ...(status?.codec ? { codec: status.codec } : {}),
    ...(status?.mid ? { mid: status.mid } : {}),
    ...(status?.mid ? { packetsSent: status.packetsSent, packetsDropped: status.packetsDropped } : {}),
    ...(c.startedAt ? { startedAt: iso(c.startedAt) } : {}),
    ...(c.stoppedAt ? { stoppedAt: iso(c.stoppedAt) } : {}),
  };
}

/** The last SDP received from the client and the last one sent to it, keyed `remoteOffer`/`remoteAnswer` and `localOffer`/`localAnswer`. */
export function sdpOf(call: Call): Record<string, string> {
  const result: Record<string, string> = {};
  const key = (side: string, r: SdpRecord): string => `${side}${r.type === 'offer' ? 'Offer' : 'Answer'}`;
  if (call.lastLocalSdp) result[key('local', call.lastLocalSdp)] = call.lastLocalSdp.sdp;
  if (call.lastRemoteSdp) result[key('remote', call.lastRemoteSdp)] = call.lastRemoteSdp.sdp;
  return result;
}
