// Bundles the dev server for Node into dist/server (options: esbuild-options.mjs).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { SERVER_BUNDLE_OPTIONS } from './esbuild-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  ...SERVER_BUNDLE_OPTIONS,
  absWorkingDir: root,
  entryPoints: ['server/cli.ts', 'server/index.ts'],
  outdir: 'dist/server',
  logLevel: 'warning',
});
