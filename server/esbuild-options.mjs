// How the dev server is bundled for Node, shared by server/build.mjs (dist/server)
// and server/test/unit.test.mjs (its modules bundled on the fly). Same as the
// documented command:
//   npx esbuild server/cli.ts server/index.ts --bundle --platform=node --format=esm \
//     --packages=external --target=node20 --charset=utf8 --outdir=dist/server
export const SERVER_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  target: 'node20',
  // Keep non-ASCII text (the console's Russian labels) readable in the bundle.
  charset: 'utf8',
};
