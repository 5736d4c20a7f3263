import { formatHeader, Header } from './headers.js';

export interface InviteHeaderOptions {
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  /** False for guests: the server may hold the call in a waiting room. */
  registered: boolean;
  sessionId?: string | undefined;
  presentationCall?: boolean | undefined;
  remoteAddress?: string | undefined;
}

/** The Vinteo `X-` headers of an outgoing INVITE, as JsSIP `extraHeaders`. */
export function buildInviteHeaders(options: InviteHeaderOptions): string[] {
  const headers = [
    formatHeader(Header.MIC_STATE, options.microphoneEnabled ? '1' : '0'),
    formatHeader(Header.MAIN_CAM_STATE, options.cameraEnabled ? '1' : '0'),
  ];
  if (!options.registered) headers.push(formatHeader(Header.PURGATORY_CALL, 'yes'));
  if (options.sessionId) headers.push(formatHeader(Header.SESSION, options.sessionId));
  if (options.presentationCall) headers.push(formatHeader(Header.PRESENTATION_CALL, 'yes'));
  if (options.remoteAddress) headers.push(formatHeader(Header.REMOTE, options.remoteAddress));
  return headers;
}
