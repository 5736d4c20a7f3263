/**
 * "Another participant's content" played into a confirmed call: INFO
 * sharedesktop YOUCANRECEIVECONTENT, then a server re-INVITE adding a content
 * m-line that carries the caller's camera; stopped with CONTENTEND and a
 * re-INVITE setting that m-line inactive.
 */
import { errorMessage } from '../log.js';
import { ContentError } from '../media/types.js';
import { SHAREDESKTOP, type Call } from './call.js';
import type { CallContext } from './context.js';
import type { Renegotiation } from './renegotiation.js';
import { CallError, type ContentResult } from './types.js';
import { contentInfo } from './view.js';

export class ContentPlayer {
  constructor(
    private readonly ctx: CallContext,
    private readonly renegotiation: Renegotiation,
  ) {}

  /**
   * Plays "another participant's content" into a confirmed call: INFO
   * sharedesktop YOUCANRECEIVECONTENT (+ X-WEBRTC-SHARE-CODEC), then, if the
   * client accepts it, a re-INVITE adding a sendonly video m-line that
   * carries the caller's own camera RTP. `codec` defaults to the camera's.
   */
  async start(id: string, codec?: string): Promise<ContentResult> {
    const call = this.confirmedCall(id);
    if (call.content.state === 'active') throw new CallError(`content is already playing in call ${id}`, 409);
    const peer = call.peer!;
    const chosen = codec ?? peer.cameraCodec() ?? 'VP8';
    try {
      peer.checkContentCodec(chosen);
    } catch (error) {
      if (error instanceof ContentError) throw new CallError(error.message, 409);
      throw error;
    }
    call.contentBusy = true;
    try {
      const info = await this.ctx.sendInDialogInfo(call, SHAREDESKTOP, { 'X-WEBRTC-SHARE-STATE': 'YOUCANRECEIVECONTENT', 'X-WEBRTC-SHARE-CODEC': chosen }, '');
      if (info.status === null || info.status >= 300) {
        this.ctx.log.info(`call ${call.id}: the client declined the content INFO (${info.status}); no re-INVITE`);
        return { status: info.status, reinviteStatus: null, content: contentInfo(call) };
      }
      const reinviteStatus = await this.renegotiation.reinvite(call, () => peer.createContentOffer(chosen), `content start, ${chosen}`);
      if (reinviteStatus < 300 && peer.contentStatus().active) {
        call.content = { state: 'active', startedAt: Date.now() };
        this.ctx.log.info(`call ${call.id}: content playing (${chosen})`);
      }
      return { status: info.status, reinviteStatus, content: contentInfo(call) };
    } finally {
      call.contentBusy = false;
    }
  }

  /** Stops the content: INFO sharedesktop CONTENTEND, then a re-INVITE setting the content m-line inactive. */
  async stop(id: string): Promise<ContentResult> {
    const call = this.confirmedCall(id);
    if (call.content.state !== 'active') throw new CallError(`no content is playing in call ${id}`, 409);
    const peer = call.peer!;
    call.contentBusy = true;
    try {
      // The content ends whatever the client answers; the re-INVITE takes the m-line down.
      call.content = { ...call.content, state: 'idle', stoppedAt: Date.now() };
      peer.pauseContent();
      let status: number | null = null;
      try {
        status = (await this.ctx.sendInDialogInfo(call, SHAREDESKTOP, { 'X-WEBRTC-SHARE-STATE': 'CONTENTEND' }, '')).status;
      } catch (error) {
        this.ctx.log.warn(`call ${call.id}: CONTENTEND INFO failed: ${errorMessage(error)}`);
      }
      const reinviteStatus = await this.renegotiation.reinvite(call, () => peer.createContentStopOffer(), 'content stop');
      return { status, reinviteStatus, content: contentInfo(call) };
    } finally {
      call.contentBusy = false;
    }
  }

  /** The call content may start or stop in: confirmed, with a peer, no start/stop running. */
  private confirmedCall(id: string): Call {
    const call = this.ctx.require(id);
    if (call.state !== 'confirmed' || !call.peer) throw new CallError(`call ${id} is ${call.state}; content needs a confirmed call`, 409);
    if (call.contentBusy) throw new CallError(`a content start/stop is already running in call ${id}`, 409);
    return call;
  }
}
