import { initialBalancerSnapshot } from './balancer/types.js';
import { initialCallSnapshot } from './call/types.js';
import { initialRoomSnapshot } from './conference/types.js';
import { initialConnectionSnapshot } from './connection/types.js';
import { initialDevicesSnapshot } from './devices/types.js';
import { initialPresentationSnapshot } from './presentation/types.js';
import { initialStatsSnapshot } from './stats/types.js';
import type { VinteoSnapshot } from './types.js';

/** A new client's snapshot: nothing connected, no call. */
export function initialSnapshot(): VinteoSnapshot {
  return {
    connection: initialConnectionSnapshot,
    reconnect: undefined,
    call: initialCallSnapshot,
    room: initialRoomSnapshot,
    devices: initialDevicesSnapshot,
    presentation: initialPresentationSnapshot,
    stats: initialStatsSnapshot,
    balancer: initialBalancerSnapshot,
  };
}
