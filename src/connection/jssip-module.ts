/**
 * Imports JsSIP. The script-tag loader (`vite build --mode bundle`) puts this file's twin,
 * `jssip-static.ts`, in its place: there JsSIP is inside the chunk that holds the services, itself
 * loaded on demand (`core-lazy.ts`).
 */
export function importJsSip(): Promise<unknown> {
  return import('@krivega/jssip');
}
