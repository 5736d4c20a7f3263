/** werift ICE around an answer or offer: waiting for candidate gathering, and checks resumed after an ICE restart. */
import type { RTCPeerConnection } from 'werift';
import type { Logger } from '../log.js';
import { errorMessage } from '../log.js';

/**
 * werift bug workaround: after an ICE restart the ICE agent is reset, but
 * RTCPeerConnection.connect() skips transports whose DTLS is already
 * connected, so connectivity checks never run again and media stops.
 * Restart the checks ourselves (DTLS keeps its session).
 */
export function resumeIceAfterRestart(pc: RTCPeerConnection, log: Logger, onFailed: (reason: string) => void): void {
  for (const dtls of pc.dtlsTransports) {
    const ice = dtls.iceTransport;
    if (dtls.state !== 'connected' || ice.connection.nominated || ice.state === 'checking') continue;
    log.debug('ICE restart: running connectivity checks again');
    ice.start().catch((error: unknown) => {
      log.warn(`ICE restart failed: ${errorMessage(error)}`);
      onFailed('ICE restart failed');
    });
  }
}
/** Resolves when ICE gathering completes, or after `timeoutMs` (answering with the candidates gathered so far). */
export async function waitForGathering(pc: RTCPeerConnection, timeoutMs: number, log: Logger): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      sub.unSubscribe();
      log.warn('ICE gathering did not complete in time; answering with the candidates gathered so far');
      resolve();
    }, timeoutMs);
    const sub = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      }
    });
    if (pc.iceGatheringState === 'complete') {
      clearTimeout(timer);
      sub.unSubscribe();
      resolve();
    }
  });
}