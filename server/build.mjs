// Bundles the dev server for Node (same as the documented esbuild command):
//   npx esbuild server/cli.ts server/index.ts --bundle --platform=node --format=esm \
//     --packages=external --target=node20 --charset=utf8 --outdir=dist/server
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['server/cli.ts', 'server/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  target: 'node20',
  // Keep non-ASCII text (the console's Russian labels) readable in the bundle.
  charset: 'utf8',
  outdir: 'dist/server',
  logLevel: 'warning',
});
