import {
  isBalancerInfo,
  parseReceivedInfo,
  type BalancerInfo,
  type EnterRoomInfo,
  type HeaderLookup,
  type ModeratorInfo,
  type NotifyInfo,
  type PartStateInfo,
  type ReceivedInfo,
  type RestartInfo,
  type ShareDesktopInfo,
  type UseLicenseInfo,
} from './info.js';

/** An INFO as the call received it, before parsing. */
export interface ReceivedInfoMessage {
  readonly contentType: string;
  readonly body: string;
  readonly header: HeaderLookup;
}

/** What the conference service handles: the room, licence, moderator commands, roles, notifications, ICE restarts. */
export type ConferenceInfo = EnterRoomInfo | UseLicenseInfo | ModeratorInfo | PartStateInfo | RestartInfo | NotifyInfo;

/** The services that parsed INFOs go to. */
export interface InfoTargets {
  readonly conference: (info: ConferenceInfo) => void;
  readonly presentation: (info: ShareDesktopInfo) => void;
  readonly balancer: (info: BalancerInfo) => void;
  /** Every INFO that was understood, before its service acts on it. */
  readonly parsed: (info: ReceivedInfo) => void;
  /** An INFO that could not be understood; ignored safely. */
  readonly ignored: (contentType: string, reason: string) => void;
}

/**
 * Parses a received INFO and hands it to the one service of its kind: presentations to the
 * presentation service, the balancer's `maincam` commands to the balancer, everything else (room,
 * licence, moderator commands, roles, notifications, ICE restarts) to the conference. Never throws.
 */
export function routeInfo(message: ReceivedInfoMessage, targets: InfoTargets): void {
  const result = parseReceivedInfo(message.contentType, message.header);
  if (!result.ok) {
    targets.ignored(message.contentType, result.message);
    return;
  }
  const info = result.info;
  targets.parsed(info);
  switch (info.type) {
    case 'share-desktop':
      targets.presentation(info);
      break;
    case 'main-cam':
      if (isBalancerInfo(info)) targets.balancer(info);
      else targets.conference(info);
      break;
    default:
      targets.conference(info);
  }
}
