// @krivega/jssip is CommonJS; the test server hands the browser an ESM build of it made by esbuild.
import { build } from 'esbuild';

const VENDOR_PATH = '/__vendor/jssip.js';
const ENTRY = "export { UA, WebSocketInterface, debug, C, URI, NameAddrHeader, RTCSession } from '@krivega/jssip';";

export function jssipPlugin() {
  let bundle;
  return {
    name: 'vendor-jssip',
    resolveImport({ source }) {
      return source === '@krivega/jssip' ? VENDOR_PATH : undefined;
    },
    async serve(context) {
      if (context.path !== VENDOR_PATH) return undefined;
      bundle ??= build({
        stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0].text);
      return { type: 'js', body: await bundle };
    },
  };
}
