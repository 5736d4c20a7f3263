import type { CallService } from '../call/CallService.js';
import type { ConferenceService } from '../conference/ConferenceService.js';
import type { ConnectionService } from '../connection/ConnectionService.js';
import type { TypedEmitter } from '../emitter.js';
import type { PresentationService } from '../presentation/PresentationService.js';
import type { Settings } from '../settings.js';
import type { Store } from '../store.js';
import type { VinteoClientEvents, VinteoSnapshot } from '../types.js';
import { legBaseUrl } from './leg.js';
import { SpectatorService } from './SpectatorService.js';

/** The services the spectator service works with (the coordinator's). */
export interface SpectatorHost {
  readonly call: CallService;
  readonly connection: ConnectionService;
  readonly conference: ConferenceService;
  readonly presentation: PresentationService;
  readonly store: Store<VinteoSnapshot>;
  readonly settings: Settings;
  readonly events: TypedEmitter<VinteoClientEvents>;
}

/** Builds the spectator service over the coordinator's services (read when used, never copied). */
export function createSpectatorService(host: SpectatorHost): SpectatorService {
  const { store, settings } = host;
  return new SpectatorService({
    callPeer: () => host.call.peerConnection,
    stopPresentation: () => void host.presentation.stopForRole(),
    iceServers: () => settings.options.iceServers ?? [...(host.connection.currentConfig?.iceServers ?? [])],
    baseUrl: () => {
      const config = host.connection.currentConfig;
      return config ? legBaseUrl(config.server ? { server: config.server } : { wsUrl: config.wsUrl }) : undefined;
    },
    credentials: () => host.conference.credentials,
    inRoom: () => store.get().room.access === 'in-room',
    quality: () => settings.callSettings.quality,
    content: () => {
      const presentation = store.get().presentation;
      return presentation.contentAvailable ? { codec: presentation.contentCodec } : false;
    },
    fetch: () => settings.options.fetch,
    failCall: (error) => host.call.fail(error),
    update: (leg) => host.call.setLeg(leg),
    emit: host.events.slice(),
  });
}
