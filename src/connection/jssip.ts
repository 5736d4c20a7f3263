import { UA, WebSocketInterface } from '@krivega/jssip';
import type { SipUserAgent, UserAgentFactory } from './transport.js';

/** The real transport: JsSIP over a WebSocket. */
export const createJsSipUserAgent: UserAgentFactory = ({ wsUrl, configuration }) => {
  const socket = new WebSocketInterface(wsUrl);
  return new UA({ ...configuration, sockets: [socket] }) as unknown as SipUserAgent;
};
