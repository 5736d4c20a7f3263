import type { CallOptions, RTCSession, UAConfigurationParams, UAEventMap } from '@krivega/jssip';

/** Outcome handlers of an OPTIONS request (JsSIP's `sendOptions` event handlers). */
export interface OptionsHandlers {
  succeeded?: () => void;
  failed?: (event: { cause: string; response?: { status_code: number } | null }) => void;
}

/**
 * The narrow slice of a JsSIP UA the services use. The real one comes from
 * {@link createJsSipUserAgent}; component tests inject a fake.
 */
export interface SipUserAgent {
  start(): void;
  stop(): void;
  isConnected(): boolean;
  isRegistered(): boolean;
  /**
   * Sends a REGISTER (a refresh). When present, the client refreshes registrations itself on
   * `registrationExpiring` and checks the server's expiry first; without it, the user agent does.
   */
  register?(): void;
  call(target: string, options?: CallOptions): RTCSession;
  sendOptions(target: string, body?: string, options?: { eventHandlers?: OptionsHandlers }): unknown;
  on<T extends keyof UAEventMap>(type: T, listener: UAEventMap[T]): unknown;
  removeAllListeners(): unknown;
}

export interface UserAgentParams {
  readonly wsUrl: string;
  readonly configuration: UAConfigurationParams;
  /** Extra headers of every REGISTER (`X-Vinteo-Remote` from discovery). */
  readonly registerHeaders?: readonly string[];
  /**
   * A WebSocket to `wsUrl` (subprotocol `sip`) opened while the SIP library loaded: the user agent's
   * transport takes it over instead of opening its own. A factory that does not use it closes it.
   */
  readonly preconnected?: WebSocket;
}

/** Creates a user agent; swapped for a fake in component tests. */
export type UserAgentFactory = (params: UserAgentParams) => SipUserAgent;
