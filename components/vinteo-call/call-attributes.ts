import { parseCodecList } from '../../src/call/codec-list.js';
import type { CodecPreferences } from '../../src/call/codecs.js';
import type { CallSnapshot } from '../../src/call/types.js';
import { CONNECTION_PROPERTIES } from '../shared/connection-attributes.js';
import { callRunning } from '../../src/selectors.js';
import type { VinteoSnapshot } from '../../src/types.js';

/**
 * The properties of `<vinteo-call>` whose values are checked before Join (see `checkAttributes`).
 *
 * @internal
 */
export const CHECKED_PROPERTIES: readonly string[] = [...CONNECTION_PROPERTIES, 'clientOptions', 'conference', 'preferredCodecs', 'excludeCodecs'];

/**
 * The codec choice of the `preferred-codecs` and `exclude-codecs` attributes; undefined when both are
 * empty. Throws `invalid-config` on a malformed list.
 *
 * @internal
 */
export function codecPreferences(preferredCodecs: string | undefined, excludeCodecs: string | undefined): CodecPreferences | undefined {
  const preferred = parseCodecList(preferredCodecs, 'preferred-codecs');
  const excluded = parseCodecList(excludeCodecs, 'exclude-codecs');
  return preferred.length === 0 && excluded.length === 0 ? undefined : { preferred, excluded };
}

/**
 * Reflects the call that `element` shows as its read-only attributes: `conference-role`, `may-send`,
 * `leg` and `room-access` (each removed when the call does not run, or says nothing).
 *
 * @internal
 */
export function reflectCallAttributes(element: Element, snapshot: VinteoSnapshot | undefined, call: CallSnapshot | undefined): void {
  const running = snapshot && call && callRunning(call);
  if (running) element.setAttribute('conference-role', snapshot.room.role);
  else element.removeAttribute('conference-role');
  element.toggleAttribute('may-send', !!running && snapshot.room.role === 'spectator' && snapshot.room.spectatorMode === 1);
  if (running && call.leg) element.setAttribute('leg', call.leg.state);
  else element.removeAttribute('leg');
  const access = snapshot && call && callRunning(call) ? snapshot.room.access : 'none';
  if (access === 'none') element.removeAttribute('room-access');
  else element.setAttribute('room-access', access);
}
