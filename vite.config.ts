import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/** Marks the classic-script namespace, so that a second copy of the script recognises the first. */
const LOADED_MARK = "Symbol.for('vinteo-widgets')";

/**
 * Lit keeps a few interop values on the page's global object: `litHtmlVersions`, `litElementVersions`,
 * `reactiveElementVersions`, `litPropertyMetadata`, and it polyfills `Symbol.metadata`. In the
 * classic-script bundle they stay inside the bundle instead, so that the script adds exactly one global,
 * `VinteoWidgets`. (We compile decorators the legacy way, which uses none of them.) The build fails if
 * a Lit upgrade changes the code these rewrites expect.
 */
function litGlobalsInside(): Plugin {
  const SHARED = '\0vinteo-lit-globals';
  const LIT_FILE = /node_modules[\\/](lit-html|lit-element|@lit[\\/]reactive-element)[\\/]/;
  const rewrites: Array<{ name: string; pattern: RegExp; replacement: string }> = [
    { name: 'version lists', pattern: /\(\s*[\w$]+\.(?:reactiveElementVersions|litHtmlVersions|litElementVersions)\s*\?\?=\s*\[\]\s*\)/g, replacement: '([])' },
    { name: 'Symbol.metadata polyfill', pattern: /Symbol\.metadata\s*\?\?=\s*Symbol\(\s*["'`]metadata["'`]\s*\)/g, replacement: '0' },
    { name: 'litPropertyMetadata set-up', pattern: /[\w$]+\.litPropertyMetadata\s*\?\?=\s*new WeakMap(?:\(\))?/g, replacement: '0' },
    { name: 'litPropertyMetadata uses', pattern: /(?:globalThis\.|(?<![\w$.]))litPropertyMetadata\b/g, replacement: '__vinteoLit.propertyMetadata' },
    { name: 'Symbol.metadata uses', pattern: /\bSymbol\.metadata\b/g, replacement: '__vinteoLit.metadata' },
  ];
  const counts = new Map<string, number>();
  return {
    name: 'vinteo-lit-globals-inside',
    enforce: 'pre',
    resolveId(id) {
      return id === SHARED ? SHARED : undefined;
    },
    load(id) {
      if (id !== SHARED) return undefined;
      return "export const __vinteoLit = { metadata: Symbol('metadata'), propertyMetadata: new WeakMap() };";
    },
    transform(code, id) {
      if (!LIT_FILE.test(id) || !/\.js$/.test(id)) return undefined;
      let out = code;
      for (const rewrite of rewrites) {
        out = out.replace(rewrite.pattern, () => {
          counts.set(rewrite.name, (counts.get(rewrite.name) ?? 0) + 1);
          return rewrite.replacement;
        });
      }
      if (out === code) return undefined;
      return { code: `import { __vinteoLit } from '${SHARED}';\n${out}`, map: null };
    },
    buildEnd() {
      const missing = rewrites.filter((rewrite) => !counts.get(rewrite.name)).map((rewrite) => rewrite.name);
      if (missing.length > 0) {
        this.error(`Lit changed: these rewrites found nothing: ${missing.join(', ')} (see litGlobalsInside in vite.config.ts)`);
      }
    },
  };
}

/**
 * The script-tag build imports JsSIP from its own file, dist/vinteo-widgets-sip.js, next to the script:
 * `src/connection/jssip-module.ts` (a plain `import('@krivega/jssip')`) is replaced by `jssip-chunk.ts`.
 */
function sipFromChunk(): Plugin {
  const chunk = fileURLToPath(new URL('./src/connection/jssip-chunk.ts', import.meta.url));
  let replaced = false;
  return {
    name: 'vinteo-sip-from-chunk',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== './jssip-module.js' || !importer?.replace(/\\/g, '/').endsWith('/src/connection/jssip.ts')) return undefined;
      replaced = true;
      return chunk;
    },
    buildEnd() {
      // Else JsSIP would silently be inside the loader again.
      if (!replaced) this.error('src/connection/jssip.ts no longer imports ./jssip-module.js (see sipFromChunk in vite.config.ts)');
    },
  };
}

/**
 * The script builds that hold JsSIP log through `src/connection/debug-shim.cjs` instead of the npm `debug`
 * module (lighter, and it never reads `localStorage.debug`); the ESM build leaves `debug` to the app's bundler.
 */
const DEBUG_SHIM = { alias: [{ find: /^debug$/, replacement: fileURLToPath(new URL('./src/connection/debug-shim.cjs', import.meta.url)) }] };

/**
 * V8's explicit compile hint (Chromium 136+): compile every function of the file eagerly, while it streams
 * in, off the main thread. Must be the file's first line, so it goes in after minification (`postBanner`).
 */
const SIP_COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/** What every script build shares: production code, no public folder. */
const PRODUCTION = { publicDir: false, define: { 'process.env.NODE_ENV': JSON.stringify('production') } } as const;
/** Into dist/ beside the other builds, for ES2022, with a source map. */
const INTO_DIST = { outDir: 'dist', emptyOutDir: false, target: 'es2022', sourcemap: true } as const;

/** A classic-script build of the package: the loader (JsSIP in its own file) or the one-file build. */
function classicScript(fileName: string, withSipChunk: boolean): UserConfig {
  const what = withSipChunk ? 'JsSIP is loaded from vinteo-widgets-sip.js next to this file when needed' : 'everything in one file';
  return {
    ...PRODUCTION,
    ...(withSipChunk ? {} : { resolve: DEBUG_SHIM }),
    plugins: [litGlobalsInside(), ...(withSipChunk ? [sipFromChunk()] : [])],
    build: {
      ...INTO_DIST,
      lib: {
        entry: 'index.ts',
        name: 'VinteoWidgets',
        formats: ['iife'],
        fileName: () => fileName,
      },
      rollupOptions: {
        output: {
          // Loaded twice (two CMS blocks, a theme and a plugin, the loader and the one-file build…): the
          // second copy does nothing.
          banner: `/* vinteo-widgets (${what}): one global, VinteoWidgets; a second copy of this script, or of the other build, does nothing. */\nif (!(typeof VinteoWidgets === 'object' && VinteoWidgets && VinteoWidgets[${LOADED_MARK}])) {`,
          footer: '}',
          outro: `Object.defineProperty(exports, ${LOADED_MARK}, { value: true });`,
          // The one-file build holds JsSIP, which a join runs most of: compiled while it streams in, as the
          // SIP chunk is (see SIP_COMPILE_HINT). Not the loader: a page that never joins would compile all
          // of it for nothing, and an A/B showed no gain.
          ...(withSipChunk ? {} : { postBanner: SIP_COMPILE_HINT }),
        },
      },
    },
  };
}

// `vite build`: the ESM package (dist/index.js and the core alone, dist/core.js).
// `vite build --mode bundle`: dist/vinteo-widgets.js, the classic script (elements, Lit, the core, both
//   label sets) that imports JsSIP from dist/vinteo-widgets-sip.js when a connection needs it.
// `vite build --mode sip`: dist/vinteo-widgets-sip.js, JsSIP as an ES module.
// `vite build --mode single`: dist/vinteo-widgets-single.js, one classic script with Lit and JsSIP inside.
// `vite` (through `npm start`): the demo pages in demo/.
export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      server: { host: '127.0.0.1', port: 5173, strictPort: false, fs: { allow: ['..'] } },
      publicDir: false,
    };
  }
  if (mode === 'bundle') return classicScript('vinteo-widgets.js', true);
  if (mode === 'single') return classicScript('vinteo-widgets-single.js', false);
  if (mode === 'sip') {
    return {
      ...PRODUCTION,
      resolve: DEBUG_SHIM,
      build: {
        ...INTO_DIST,
        lib: {
          entry: 'src/connection/jssip-chunk-entry.ts',
          formats: ['es'],
          fileName: () => 'vinteo-widgets-sip.js',
        },
        rollupOptions: {
          // Vite leaves whitespace in library builds of the `es` format (for the consumers' tree-shaking):
          // this file is loaded as it is, so it is minified like the classic scripts.
          // The file is fetched only to connect, and connecting runs most of it: the compile hint lets
          // Chromium compile all of it while it streams in, instead of function by function on the main
          // thread as the join calls them (README, Performance: sooner in call under 4x CPU throttling).
          // Other browsers ignore it.
          output: { minify: true, postBanner: SIP_COMPILE_HINT },
        },
      },
    };
  }
  return {
    publicDir: false,
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      lib: {
        entry: { index: 'index.ts', core: 'src/index.ts' },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rollupOptions: {
        external: [/^lit($|\/)/, /^@lit\//, /^@krivega\/jssip($|\/)/],
      },
    },
  };
});
