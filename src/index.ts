export { VinteoClient } from './client.js';
export type { VinteoClientOptions, VinteoSnapshot, VinteoClientEvents } from './client.js';
export { VinteoError } from './errors.js';
export type { VinteoErrorReason, VinteoErrorInfo } from './errors.js';
export type { ConnectionOptions, ResolvedConnectionConfig } from './config.js';
export { resolveConnectionConfig, validateConference } from './config.js';
export type { ConnectionState, ConnectionSnapshot } from './connection/ConnectionService.js';
export type { SipUserAgent, UserAgentFactory, UserAgentParams } from './connection/transport.js';
export type { CallState, CallPhase, CallEndReason, CallDirection, CallSnapshot, Caller, JoinOptions } from './call/CallService.js';
export type { CodecPreferences } from './call/codecs.js';
export type { Device, ModeratorCommand, ModeratorRequest } from './conference/ConferenceService.js';
export type { DeviceOption, DevicesSnapshot, DeviceProvider } from './devices/DevicesService.js';
export type { MediaProvider } from './call/media.js';
export type { RoomSnapshot } from './conference/ConferenceService.js';
export { logger } from './logger.js';
export type { LogLevel } from './logger.js';
export * as protocol from './protocol/index.js';
export type {
  ContentHint,
  DisplayMediaProvider,
  PresentationEndReason,
  PresentationOptions,
  PresentationSnapshot,
  PresentationState,
} from './presentation/PresentationService.js';
