/**
 * Imports JsSIP. The script-tag build (`vite build --mode bundle`) puts this file's twin,
 * `jssip-chunk.ts`, in its place: there JsSIP is a file of its own next to the script.
 */
export function importJsSip(): Promise<unknown> {
  return import('@krivega/jssip');
}
