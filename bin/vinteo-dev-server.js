#!/usr/bin/env node
// Entry point of the `vinteo-dev-server` command; the server is bundled into dist/server by `npm run build:server`.
import('../dist/server/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/server/cli.js')) {
    process.stderr.write('vinteo-dev-server: dist/server/cli.js is missing; build it first (npm run build:server)\n');
  } else {
    process.stderr.write(`vinteo-dev-server: ${error && error.message ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
