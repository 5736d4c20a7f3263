import { VinteoError } from '../errors.js';

/**
 * When the INVITE (or the answer) goes out:
 * - `'auto'` (default): outgoing calls as soon as a usable candidate is ready; answers to incoming
 *   calls once ICE gathering completes;
 * - `true`: both as soon as a usable candidate is ready;
 * - `false`: once ICE gathering completes (JsSIP's own behaviour).
 */
export type FastIce = boolean | 'auto';

/**
 * Reads the `fastIce` option or the `fast-ice` attribute: `auto`; `on`/`true`/`yes`/`1`/empty;
 * `off`/`false`/`no`/`0`. Anything else is a configuration error.
 */
export function parseFastIce(value: unknown, name = 'fastIce'): FastIce {
  if (value === undefined || value === null) return 'auto';
  if (typeof value === 'boolean' || value === 'auto') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'auto') return 'auto';
    if (/^(|on|true|yes|1)$/.test(text)) return true;
    if (/^(off|false|no|0)$/.test(text)) return false;
  }
  throw VinteoError.invalidConfig(`${name} must be auto, on or off (got ${JSON.stringify(String(value).slice(0, 40))})`);
}
