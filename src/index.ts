export { VinteoClient } from './client.js';
export { validateClientOptions } from './settings.js';
export type { VinteoClientOptions, VinteoSnapshot, VinteoClientEvents } from './types.js';
export { VinteoError } from './errors.js';
export type { VinteoErrorReason, VinteoErrorInfo } from './errors.js';
export type { ConnectionOptions, ResolvedConnectionConfig } from './config.js';
export { checkCredentials, credentialsFromUrl } from './credentials.js';
export type { CredentialsContext, CredentialsSource, VinteoCredentials } from './credentials.js';
export type { ResolveCredentialsOptions } from './credentials-resolve.js';
export { checkConnectionOptions, resolveConnectionConfig, validateConference } from './config.js';
export { MAX_TIMER_DELAY_MS, safeDelay, TIMING_LIMITS } from './timing.js';
export type { TimingLimit, TimingName } from './timing.js';
export type { ConnectionState, ConnectionSnapshot } from './connection/types.js';
export type { SipUserAgent, UserAgentFactory, UserAgentParams } from './connection/transport.js';
export type { CallState, CallPhase, CallEndReason, CallDirection, CallSnapshot, Caller, JoinOptions } from './call/types.js';
export type { CodecPreferences } from './call/codecs.js';
export type { FastIce } from './call/fast-ice.js';
export type { Device, ModeratorRequest } from './conference/types.js';
export type { BalancerCommand, ModeratorCommand } from './protocol/info.js';
export type { DeviceOption, DevicesSnapshot, DeviceProvider } from './devices/types.js';
export type { MediaProvider } from './call/media-provider.js';
export type { RoomSnapshot } from './conference/types.js';
export type { RoomAccess } from './conference/access.js';
export { logger } from './logger.js';
export type { LogLevel } from './logger.js';
export { enableSipDebug } from './connection/sip-debug.js';
// The pure helpers (protocol, parseStats, assessQuality, the balancer's tables…) and loadHelpers(): with the
// script-tag loader in its SIP chunk, reached through loadHelpers() (helpers-lazy.ts).
export * from './helpers-module.js';
// Also in `protocol`; here by itself too, since <vinteo-presentation> checks its max-resolution with it.
export { parseResolution } from './protocol/resolution.js';
export type { Resolution } from './protocol/resolution.js';
export type {
  ContentHint,
  DisplayMediaProvider,
  PresentationEndReason,
  PresentationOptions,
  PresentationSnapshot,
  PresentationState,
} from './presentation/types.js';
export type {
  CallStats,
  CandidatePairStats,
  MediaKind,
  QualityAssessment,
  QualityLevel,
  QualityReason,
  QualityReasonCode,
  RtpStreamStats,
  StatsSample,
  StatsSnapshot,
  StreamDirection,
  TransportStats,
} from './stats/types.js';
export type { CallSettings } from './stats/settings.js';
export type {
  BalancerAppliedDetail,
  BalancerSkipReason,
  BalancerSnapshot,
  BalancerState,
  BalancerTrigger,
} from './balancer/types.js';
export type { BalancerParameters } from './balancer/parameters.js';
