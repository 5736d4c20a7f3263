/**
 * "Another participant's content" played into a confirmed call: INFO
 * sharedesktop YOUCANRECEIVECONTENT, then a server re-INVITE adding a content
 * m-line that carries the caller's camera; stopped with CONTENTEND and a
 * re-INVITE setting that m-line inactive. Like a real server, the conference's
 * other confirmed calls are told too (the same INFO, no re-INVITE: a
 * spectator's receive leg carries the content to them, server/spectator/),
 * and the content listeners (the legs) follow every start, stop and the end
 * of the call playing it.
 */
import { errorMessage } from '../log.js';
import { ContentError } from '../media/types.js';
import { SHAREDESKTOP, type Call } from './call.js';
import type { CallContext } from './context.js';
import type { Renegotiation } from './renegotiation.js';
import { PURGATORY } from './rooms.js';
import { CallError, type ContentResult } from './types.js';
import { contentInfo } from './view.js';

export class ContentPlayer {
  /** Per call playing content: what its end does (CONTENTEND to the others, the legs told). */
  private readonly endHooks = new WeakMap<Call, () => void>();

  constructor(
    private readonly ctx: CallContext,
    private readonly renegotiation: Renegotiation,
  ) {}

  /**
   * Plays "another participant's content" into a confirmed call: INFO
   * sharedesktop YOUCANRECEIVECONTENT (+ X-WEBRTC-SHARE-CODEC), then, if the
   * client accepts it, a re-INVITE adding a sendonly video m-line that
   * carries the caller's own camera RTP. `codec` defaults to the camera's.
   * Once it plays, the conference's other confirmed calls get the same INFO.
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
      const headers = { 'X-WEBRTC-SHARE-STATE': 'YOUCANRECEIVECONTENT', 'X-WEBRTC-SHARE-CODEC': chosen };
      const info = await this.ctx.sendInDialogInfo(call, SHAREDESKTOP, headers, '');
      if (info.status === null || info.status >= 300) {
        this.ctx.log.info(`call ${call.id}: the client declined the content INFO (${info.status}); no re-INVITE`);
        return { status: info.status, reinviteStatus: null, content: contentInfo(call), notified: [] };
      }
      const reinviteStatus = await this.renegotiation.reinvite(call, () => peer.createContentOffer(chosen), `content start, ${chosen}`);
      let notified: ContentResult['notified'] = [];
      if (reinviteStatus < 300 && peer.contentStatus().active && call.state === 'confirmed') {
        call.content = { state: 'active', startedAt: Date.now() };
        this.ctx.log.info(`call ${call.id}: content playing (${chosen})`);
        this.watchEnd(call);
        this.ctx.contentChanged(call);
        notified = await this.notifyOthers(call, headers);
      }
      return { status: info.status, reinviteStatus, content: contentInfo(call), notified };
    } finally {
      call.contentBusy = false;
    }
  }

  /**
   * Stops the content: INFO sharedesktop CONTENTEND (to this call and the conference's other confirmed
   * calls), then a re-INVITE setting the content m-line inactive.
   */
  async stop(id: string): Promise<ContentResult> {
    const call = this.confirmedCall(id);
    if (call.content.state !== 'active') throw new CallError(`no content is playing in call ${id}`, 409);
    const peer = call.peer!;
    call.contentBusy = true;
    try {
      // The content ends whatever the client answers; the re-INVITE takes the m-line down.
      call.content = { ...call.content, state: 'idle', stoppedAt: Date.now() };
      peer.pauseContent();
      this.unwatchEnd(call);
      this.ctx.contentChanged(call);
      const end = { 'X-WEBRTC-SHARE-STATE': 'CONTENTEND' };
      const others = this.notifyOthers(call, end);
      let status: number | null = null;
      try {
        status = (await this.ctx.sendInDialogInfo(call, SHAREDESKTOP, end, '')).status;
      } catch (error) {
        this.ctx.log.warn(`call ${call.id}: CONTENTEND INFO failed: ${errorMessage(error)}`);
      }
      const reinviteStatus = await this.renegotiation.reinvite(call, () => peer.createContentStopOffer(), 'content stop');
      return { status, reinviteStatus, content: contentInfo(call), notified: await others };
    } finally {
      call.contentBusy = false;
    }
  }

  /** The conference's other confirmed calls (same room, not the waiting room). */
  private others(call: Call): Call[] {
    if (!call.room || call.room === PURGATORY) return [];
    return [...this.ctx.active.values()].filter((c) => c !== call && c.state === 'confirmed' && c.room === call.room);
  }

  /** Sends the sharedesktop INFO to the conference's other calls, all at once; resolves with how each answered. */
  private notifyOthers(call: Call, headers: Record<string, string>): Promise<ContentResult['notified']> {
    return Promise.all(
      this.others(call).map(async (other) => {
        try {
          return { callId: other.id, status: (await this.ctx.sendInDialogInfo(other, SHAREDESKTOP, headers, '')).status };
        } catch (error) {
          this.ctx.log.warn(`call ${other.id}: ${headers['X-WEBRTC-SHARE-STATE']} INFO failed: ${errorMessage(error)}`);
          return { callId: other.id, status: null };
        }
      }),
    );
  }

  /** The call playing content ends: the legs stop forwarding it and the others get CONTENTEND. */
  private watchEnd(call: Call): void {
    const ended = (): void => {
      this.endHooks.delete(call);
      if (call.content.state !== 'active') return;
      this.ctx.contentChanged(call);
      void this.notifyOthers(call, { 'X-WEBRTC-SHARE-STATE': 'CONTENTEND' });
    };
    this.endHooks.set(call, ended);
    call.onEnd.add(ended);
  }

  private unwatchEnd(call: Call): void {
    const hook = this.endHooks.get(call);
    if (hook) call.onEnd.delete(hook);
    this.endHooks.delete(call);
  }

  /** The call content may start or stop in: confirmed, with a peer, no start/stop running. */
  private confirmedCall(id: string): Call {
    const call = this.ctx.require(id);
    if (call.state !== 'confirmed' || !call.peer) throw new CallError(`call ${id} is ${call.state}; content needs a confirmed call`, 409);
    if (call.contentBusy) throw new CallError(`a content start/stop is already running in call ${id}`, 409);
    return call;
  }
}
