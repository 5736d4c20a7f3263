import type { Emit } from '../emitter.js';
import { VinteoError } from '../errors.js';
import { logger } from '../logger.js';
import type { Role } from '../protocol/info.js';
import { capSenders, restoreSenders, type SavedLimits } from './caps.js';
import { DEFAULT_LEG_TIMING, legUrl, ReceiveLeg, type LegQuality, type LegTiming } from './leg.js';
import type { LegSnapshot, SpectatorEvents } from './types.js';

/** The in-room credentials (protocol §5): internal to the client, never in a snapshot, event or log. */
export interface LegCredentials {
  readonly token: string;
  readonly conference: string;
}

export interface SpectatorDeps {
  /** The call's peer connection (its senders get the caps). */
  readonly callPeer: () => RTCPeerConnection | undefined;
  /** Stops our presentation, INFO included (entering either spectator role while presenting). */
  readonly stopPresentation: () => void;
  readonly iceServers: () => RTCIceServer[];
  /** `https://{server}`, or from the ws-url (ws → http, wss → https). */
  readonly baseUrl: () => string | undefined;
  readonly credentials: () => LegCredentials | undefined;
  /** True in the in-room state (protocol §5): the only state in which the leg opens. */
  readonly inRoom: () => boolean;
  readonly quality: () => LegQuality;
  /** The codec of the content the server says is available (YOUCANRECEIVECONTENT), or false. */
  readonly content: () => { codec: string | undefined } | false;
  readonly fetch?: () => typeof fetch | undefined;
  readonly createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
  readonly timing?: Partial<LegTiming>;
  /** The leg could not open (10 tries, 5 s, failed): the whole call fails (BYE). */
  readonly failCall: (error: VinteoError) => void;
  readonly update: (leg: LegSnapshot | undefined) => void;
  readonly emit: Emit<SpectatorEvents>;
}

/**
 * Roles without re-INVITE (protocol §6): SPECTATOR caps every sender (6000 audio, 60000 video) after
 * saving the limits and stops our presentation; with an audio id the receive-only leg opens (in the
 * in-room state only). PARTICIPANT closes the leg and restores the limits.
 */
export class SpectatorService {
  private readonly saved: SavedLimits = new Map();
  private capped = false;
  private audioId: string | undefined;
  private leg: ReceiveLeg | undefined;
  /** The conference the current leg was POSTed for (a change re-POSTs). */
  private legConference: string | undefined;
  private snapshot: LegSnapshot | undefined;
  /** Bumped by every open and close: an older open's outcome is dropped. */
  private generation = 0;

  constructor(private readonly deps: SpectatorDeps) {}

  /** The open leg's peer connection (stats come from it while it is open). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.snapshot?.state === 'open' && this.leg && !this.leg.closed ? this.leg.peer : undefined;
  }

  /** True while a leg is wanted (spectator with an audio id), opening or open. */
  get active(): boolean {
    return this.audioId !== undefined;
  }

  get current(): LegSnapshot | undefined {
    return this.snapshot;
  }

  /** A partstate INFO. Never rejects. */
  async roleChanged(role: Role, audioId: string | undefined): Promise<void> {
    if (role === 'spectator') {
      this.capped = true;
      this.deps.stopPresentation();
      const wanted = audioId || undefined;
      if (!wanted) this.closeLeg('spectator without an audio id');
      else if (wanted !== this.audioId || !this.leg) {
        this.audioId = wanted;
        this.open();
      }
      await capSenders(this.deps.callPeer(), this.saved);
      return;
    }
    this.closeLeg('participant');
    if (this.capped) {
      this.capped = false;
      await restoreSenders(this.deps.callPeer(), this.saved);
    }
  }

  /** The room state changed (in room, waiting, …): a waiting leg opens once in room. */
  accessChanged(): void {
    if (this.audioId === undefined) return;
    if (!this.deps.inRoom()) return;
    const conference = this.deps.credentials()?.conference;
    if (!this.leg || conference !== this.legConference) this.open();
  }

  /** The receive quality changed: a new POST. */
  qualityChanged(): void {
    if (this.audioId !== undefined) this.open();
  }

  /** The main stream stays broken (§11): a spectator's recovery is a new POST. Returns false without a leg. */
  recover(): boolean {
    if (this.audioId === undefined || !this.leg) return false;
    logger.warn('receive leg video broken: POSTing a new offer');
    this.open();
    return true;
  }

  /** Content became available or ended: the content stream shows or hides. */
  contentChanged(): void {
    if (this.snapshot) this.publish({});
  }

  /** The call ended: the leg closes and the saved limits are forgotten (they were the call's senders). */
  callEnded(): void {
    this.closeLeg('call ended');
    this.saved.clear();
    this.capped = false;
  }

  dispose(): void {
    this.callEnded();
  }

  private open(): void {
    const generation = ++this.generation;
    const quality = this.deps.quality();
    const previous = this.leg;
    this.leg = undefined;
    previous?.close();
    const credentials = this.deps.credentials();
    const base = this.deps.baseUrl();
    const wasOpen = this.snapshot !== undefined;
    this.publishState({ state: 'opening', quality, started: false, remoteStream: undefined, contentStream: undefined });
    if (!wasOpen) this.deps.emit('spectator:leg', { state: 'opening', quality });
    if (!this.deps.inRoom() || !credentials) {
      logger.debug('receive leg: waiting for the in-room state');
      this.legConference = undefined;
      return;
    }
    if (!base) {
      this.fail(generation, VinteoError.invalidState('open the receive leg', 'no server address to POST to'));
      return;
    }
    const fetcher = this.deps.fetch?.() ?? globalThis.fetch.bind(globalThis);
    const leg = new ReceiveLeg({
      iceServers: this.deps.iceServers(),
      fetch: fetcher,
      createPeer: this.deps.createPeer ?? ((config) => new RTCPeerConnection(config)),
      timing: { ...DEFAULT_LEG_TIMING, ...this.deps.timing },
      changed: () => {
        if (this.leg === leg) this.publish({});
      },
      lost: (reason) => {
        if (this.leg !== leg) return;
        logger.warn(`receive leg lost: ${reason}; POSTing a new offer`);
        this.open();
      },
    });
    this.leg = leg;
    this.legConference = credentials.conference;
    const url = legUrl(base, credentials.conference, quality, this.audioId ?? '');
    leg.open({ url, token: credentials.token }).then(
      () => {
        if (generation !== this.generation) return;
        this.publish({ state: 'open' });
        this.deps.emit('spectator:leg', { state: 'open', quality });
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.fail(generation, VinteoError.from(error, 'protocol-error'));
      },
    );
  }

  private fail(generation: number, error: VinteoError): void {
    if (generation !== this.generation) return;
    this.leg?.close();
    this.leg = undefined;
    this.audioId = undefined;
    const quality = this.snapshot?.quality ?? this.deps.quality();
    this.publish({ state: 'failed' });
    logger.warn(`receive leg failed: ${error.message}`);
    this.deps.emit('spectator:leg', { state: 'failed', quality, reason: error.message });
    this.deps.failCall(error);
  }

  private closeLeg(reason: string): void {
    this.audioId = undefined;
    this.legConference = undefined;
    this.generation += 1;
    const leg = this.leg;
    this.leg = undefined;
    leg?.close();
    const before = this.snapshot;
    if (!before) return;
    this.publishState(undefined);
    if (before.state !== 'failed') this.deps.emit('spectator:leg', { state: 'closed', quality: before.quality, reason });
  }

  private publish(patch: Partial<LegSnapshot>): void {
    if (!this.snapshot) return;
    const leg = this.leg;
    const content = this.deps.content();
    this.publishState({
      ...this.snapshot,
      ...patch,
      started: leg?.started ?? false,
      remoteStream: leg?.main,
      contentStream: content ? leg?.content(content.codec) : undefined,
    });
  }

  private publishState(next: LegSnapshot | undefined): void {
    this.snapshot = next;
    this.deps.update(next);
  }
}
