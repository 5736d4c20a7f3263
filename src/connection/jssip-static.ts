/**
 * The script-tag loader's chunk (vite.config.ts puts this file in place of `jssip-module.ts` there):
 * the chunk is itself fetched on demand, so JsSIP is inside it rather than a further file to wait for.
 */
import * as JsSIP from '@krivega/jssip';

export function importJsSip(): Promise<unknown> {
  return Promise.resolve(JsSIP);
}
