import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RolldownMagicString } from 'rolldown';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import type { PluginContext } from 'rolldown';

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
 * Lit templates without their source indentation, in the script builds: in components/, in each `html` and
 * `svg` tagged template the spaces and tabs after a line break go (the line break stays, so where the source
 * had white space the template still has some; no template renders inside `white-space: pre`); in each `css`
 * template, and each untagged template of a `*.styles.ts` file (the CSS written as strings for `unsafeCSS`),
 * the comments go too. The files are loaded as they are, so this is bytes every visitor downloads (README,
 * Size). The build fails if a template's text is not where the parser says.
 */
function compactTemplates(): Plugin {
  type Node = { type?: string; start: number; end: number; [key: string]: unknown };
  const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
  /** Each template text to compact, and whether it is CSS. */
  function* templates(node: unknown, parent: Node | undefined, stylesFile: boolean): Generator<{ quasi: Node; css: boolean }> {
    if (Array.isArray(node)) {
      for (const item of node) yield* templates(item, parent, stylesFile);
      return;
    }
    if (!isNode(node)) return;
    if (node.type === 'TemplateLiteral') {
      const tag = parent?.type === 'TaggedTemplateExpression' && parent['quasi'] === node ? (parent['tag'] as Node) : undefined;
      const name = tag === undefined ? '' : tag.type === 'Identifier' ? String(tag['name']) : '?';
      const css = name === 'css' || (stylesFile && name === '');
      if (css || name === 'html' || name === 'svg') for (const quasi of node['quasis'] as Node[]) yield { quasi, css };
    }
    for (const key of Object.keys(node)) if (key !== 'type') yield* templates(node[key], node, stylesFile);
  }
  return {
    name: 'vinteo-compact-templates',
    transform(code, id) {
      if (!/[\\/]components[\\/][^?]*\.ts$/.test(id) || !code.includes('`')) return undefined;
      const ms = new RolldownMagicString(code);
      let changed = false;
      for (const { quasi, css } of templates(this.parse(code), undefined, /\.styles\.ts$/.test(id))) {
        const raw = String((quasi['value'] as { raw: string }).raw);
        if (code.slice(quasi.start, quasi.end) !== raw) this.error(`${id}: a template's text is not at ${quasi.start}-${quasi.end}`);
        const text = css ? raw.replace(/\/\*[\s\S]*?\*\//g, ' ') : raw;
        const compact = text.replace(/\n[ \t]*(?=\n)/g, '').replace(/\n[ \t]+/g, '\n');
        if (compact === raw) continue;
        ms.overwrite(quasi.start, quasi.end, compact);
        changed = true;
      }
      return changed ? { code: ms.toString(), map: ms.generateMap({ hires: true }).toString() } : undefined;
    },
  };
}

/** The language of a one-language loader (`vinteo-widgets.ru.js`, `vinteo-widgets.en.js`). */
type OneLanguage = 'ru' | 'en';

/**
 * The loader's chunks, next to it, by the module each is built from: the services and JsSIP
 * (`src/core-lazy.ts` asks for it), and the panels (`components/panels-lazy.ts` asks for it).
 */
const CHUNKS: ReadonlyArray<{ entry: string; file: string }> = [
  { entry: '/src/core-entry.ts', file: 'vinteo-widgets-sip.js' },
  { entry: '/components/panels.ts', file: 'vinteo-widgets-panels.js' },
];
/** Where the loader hands its modules to the chunks: a symbol-keyed, non-enumerable property of `VinteoWidgets`. */
const INTERNALS_MARK = "Symbol.for('vinteo-widgets:internals')";

/**
 * The script-tag loader: `vite build --mode bundle` builds `index.ts` as three ES chunks and turns the
 * entry into the classic script.
 *
 * - `src/core-module.ts` (the services at hand) is replaced by `src/core-lazy.ts`, which imports
 *   `src/core-entry.ts` (the coordinator, every service) dynamically: that, with JsSIP
 *   (`src/connection/jssip-module.ts` replaced by the static `jssip-static.ts`), becomes
 *   dist/vinteo-widgets-sip.js.
 * - `components/panels-module.ts` (the panels defined at once) is replaced by `components/panels-lazy.ts`,
 *   which imports `components/panels.ts` dynamically: dist/vinteo-widgets-panels.js.
 * - The elements `<vinteo-call>` and `<vinteo-session>`, Lit, the client and what the chunks share stay in
 *   the loader, dist/vinteo-widgets.js, rendered as a classic script (a function run once; no `import`, no
 *   `export`): its public exports become the global `VinteoWidgets`, and everything a chunk imports from it
 *   is handed over in a frozen object under {@link INTERNALS_MARK}.
 * - A chunk's `import … from './vinteo-widgets.js'` reads that object instead, so that every module
 *   exists once: one `VinteoError` class, one logger, one `enableSipDebug` switch.
 *
 * The build fails if the output no longer has the shape these rewrites expect.
 */
function loaderChunks(only: OneLanguage | undefined): Plugin {
  /** The names a module exports, following `export * from` (which module info lists as `*`). */
  async function exportedNames(context: PluginContext, id: string): Promise<string[]> {
    const info = context.getModuleInfo(id);
    if (!info?.code) throw new Error(`no module info for ${id}`);
    const names = info.exports.filter((name) => name !== '*');
    if (!info.exports.includes('*')) return names;
    for (const node of context.parse(info.code).body) {
      if (node.type !== 'ExportAllDeclaration' || node.exported) continue;
      const resolved = await context.resolve(String(node.source.value), id, { skipSelf: false });
      if (!resolved) throw new Error(`cannot resolve ${String(node.source.value)} from ${id}`);
      names.push(...(await exportedNames(context, resolved.id)));
    }
    return names;
  }

  const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
  const swaps = [
    { source: './core-module.js', importer: '/src/client.ts', target: file('./src/core-lazy.ts') },
    { source: './jssip-module.js', importer: '/src/connection/jssip.ts', target: file('./src/connection/jssip-static.ts') },
    { source: './panels-module.js', importer: '/components/index.ts', target: file('./components/panels-lazy.ts') },
    { source: './helpers-module.js', importer: '/src/index.ts', target: file('./src/helpers-lazy.ts') },
    // A one-language loader: that language's labels and error sentences alone.
    ...(only ? [{ source: './i18n/tables.js', importer: '/components/shared/i18n.ts', target: file(`./components/shared/i18n/tables-${only}.ts`) }] : []),
  ];
  const swapped = new Set<string>();
  let entryFile = '';
  return {
    name: 'vinteo-loader-chunks',
    enforce: 'pre',
    resolveId(source, importer) {
      const swap = swaps.find((candidate) => candidate.source === source && importer?.replace(/\\/g, '/').endsWith(candidate.importer));
      if (!swap) return undefined;
      swapped.add(swap.target);
      return swap.target;
    },
    buildEnd() {
      // Else the services or JsSIP would silently be inside the loader again.
      const missing = swaps.filter((swap) => !swapped.has(swap.target)).map((swap) => `${swap.importer} no longer imports ${swap.source}`);
      if (missing.length > 0) this.error(`${missing.join('; ')} (see loaderChunks in vite.config.ts)`);
    },
    // A one-language loader shares the default loader's chunks (built first, by `--mode bundle`): it writes
    // none of its own, and fails if its chunks would differ from them by one byte (e.g. another name in the
    // object the loader hands over), since the one set of chunks must serve every loader.
    generateBundle(_options, bundle) {
      if (!only) return;
      for (const { file } of CHUNKS) {
        const output = bundle[file];
        if (!output || output.type !== 'chunk') this.error(`the ${only} loader built no ${file}`);
        const shared = fileURLToPath(new URL(`./dist/${file}`, import.meta.url));
        if (!existsSync(shared)) this.error(`dist/${file} is missing: run vite build --mode bundle first`);
        if (readFileSync(shared, 'utf8') !== output.code) this.error(`the ${only} loader's ${file} differs from dist/${file}: it cannot share the default loader's chunks`);
        delete bundle[file];
        delete bundle[`${file}.map`];
      }
    },
    async renderChunk(code, chunk) {
      const program = this.parse(code);
      const ms = new RolldownMagicString(code);
      if (chunk.isEntry) {
        entryFile = chunk.fileName;
        if (!chunk.facadeModuleId) this.error('the loader entry has no module');
        const publicNames = new Set(await exportedNames(this, chunk.facadeModuleId));
        const pairs: Array<{ exported: string; local: string }> = [];
        for (const node of program.body) {
          if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportDefaultDeclaration') {
            this.error(`the loader cannot become a classic script: it has a top-level ${node.type}`);
          }
          if (node.type !== 'ExportNamedDeclaration') continue;
          if (node.declaration || node.source) this.error('the loader cannot become a classic script: an export other than `export { … }`');
          for (const specifier of node.specifiers) {
            const name = (id: { type: string; name?: string; value?: unknown }): string => (id.type === 'Identifier' ? String(id.name) : String(id.value));
            pairs.push({ exported: name(specifier.exported), local: name(specifier.local) });
          }
          ms.remove(node.start, node.end);
        }
        if (/\bimport\.meta\b/.test(code)) this.error('the loader cannot become a classic script: it uses import.meta');
        const missing = [...publicNames].filter((name) => !pairs.some((pair) => pair.exported === name));
        if (missing.length > 0) this.error(`the loader does not export ${missing.join(', ')}`);
        const object = (list: typeof pairs): string => `{ ${list.map((pair) => `${JSON.stringify(pair.exported)}: ${pair.local}`).join(', ')} }`;
        ms.prepend(`if (!(typeof VinteoWidgets === 'object' && VinteoWidgets && VinteoWidgets[${LOADED_MARK}])) (function () {\n`);
        // The chunk's object is made before the page can touch `VinteoWidgets`: the public exports, then the rest.
        const exported = object(pairs.filter((pair) => publicNames.has(pair.exported)));
        const internal = pairs.filter((pair) => !publicNames.has(pair.exported)).map((pair) => `${JSON.stringify(pair.exported)}: ${pair.local}`);
        ms.append(
          `\nconst __vinteoExports = ${exported};\nglobalThis.VinteoWidgets = Object.defineProperties(__vinteoExports, {` +
            ` [Symbol.toStringTag]: { value: 'Module' }, [${LOADED_MARK}]: { value: true },` +
            ` [${INTERNALS_MARK}]: { value: Object.freeze({ ...__vinteoExports, ${internal.join(', ')} }) } });\n})();\n`,
        );
      } else {
        const own = CHUNKS.find((candidate) => candidate.file === chunk.fileName)?.file;
        if (!own) this.error(`an unexpected chunk, ${chunk.fileName} (${Object.keys(chunk.modules).join(', ')}): the loader knows only ${CHUNKS.map((candidate) => candidate.file).join(', ')}`);
        let found = 0;
        for (const node of program.body) {
          if (node.type !== 'ImportDeclaration') continue;
          if (node.source.value !== `./${entryFile}`) this.error(`${own} imports ${String(node.source.value)}: it may import only the loader`);
          const bindings = node.specifiers.map((specifier) => {
            if (specifier.type !== 'ImportSpecifier') this.error(`${own} imports the loader other than by name`);
            const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
            return `${JSON.stringify(imported)}: ${specifier.local.name}`;
          });
          ms.overwrite(node.start, node.end, `const { ${bindings.join(', ')} } = __vinteoLoader;`);
          found += 1;
        }
        ms.prepend(
          `const __vinteoLoader = (typeof VinteoWidgets === 'object' && VinteoWidgets && VinteoWidgets[${INTERNALS_MARK}]) || (() => {` +
            ` throw new Error('${own} runs only when vinteo-widgets.js loads it'); })();\n`,
        );
        if (found === 0) this.error(`${own} no longer imports the loader`);
      }
      return { code: ms.toString(), map: ms.generateMap({ hires: true }).toString() };
    },
  };
}

/**
 * The script builds that hold JsSIP log through `src/connection/debug-shim.cjs` instead of the npm `debug`
 * module (lighter, and it never reads `localStorage.debug`); the ESM build leaves `debug` to the app's bundler.
 */
const DEBUG_SHIM = { alias: [{ find: /^debug$/, replacement: fileURLToPath(new URL('./src/connection/debug-shim.cjs', import.meta.url)) }] };

// No build opens with V8's explicit compile hint (`//# allFunctionsCalledOnLoad`, which compiles the whole file
// eagerly on background threads as it streams in): DevTools' CPU throttling slows the page's main thread and not
// those threads, so at 4x it looked faster, while unthrottled (every thread at one speed, as on a slow phone) it
// made a join 50-90 ms later to registered, the main thread idle while the whole file compiled (README,
// Performance: Throttled join).

/** What every script build shares: production code, no public folder. */
const PRODUCTION = { publicDir: false, define: { 'process.env.NODE_ENV': JSON.stringify('production') } } as const;
/** Into dist/ beside the other builds, for ES2022, with a source map. */
const INTO_DIST = { outDir: 'dist', emptyOutDir: false, target: 'es2022', sourcemap: true } as const;

/**
 * The script-tag loader, dist/vinteo-widgets.js (`<vinteo-call>`, `<vinteo-session>`, Lit, the client, both
 * label sets), and its chunks, fetched from next to it: dist/vinteo-widgets-sip.js (the services and JsSIP)
 * when a client first needs them, dist/vinteo-widgets-panels.js (the other four elements) when one is on
 * the page. See {@link loaderChunks}.
 */
function loaderScript(only?: OneLanguage): UserConfig {
  return {
    ...PRODUCTION,
    resolve: DEBUG_SHIM,
    plugins: [litGlobalsInside(), compactTemplates(), loaderChunks(only)],
    build: {
      ...INTO_DIST,
      lib: { entry: 'index.ts', formats: ['es'], fileName: () => (only ? `vinteo-widgets.${only}.js` : 'vinteo-widgets.js') },
      rollupOptions: {
        // The entry may export more than index.ts does (what the chunks take from it), so that modules a
        // chunk shares with the loader stay in the loader instead of a file of their own.
        preserveEntrySignatures: 'allow-extension',
        output: {
          // Every module the loader imports statically is in the loader: without this group Rolldown puts the
          // ones that both chunks use too (errors, the logger…) into a common chunk of their own.
          codeSplitting: { groups: [{ name: 'vinteo-widgets', tags: ['$initial'] }] },
          chunkFileNames: (chunk) =>
            CHUNKS.find((candidate) => chunk.facadeModuleId?.replace(/\\/g, '/').endsWith(candidate.entry))?.file ?? '[name]-unexpected.js',
          // Vite leaves whitespace in library builds of the `es` format (for the consumers' tree-shaking):
          // these files are loaded as they are.
          minify: true,
        },
      },
    },
  };
}

/** The one-file classic script, dist/vinteo-widgets-single.js: elements, Lit, the services and JsSIP. */
function singleScript(): UserConfig {
  return {
    ...PRODUCTION,
    resolve: DEBUG_SHIM,
    plugins: [litGlobalsInside(), compactTemplates()],
    build: {
      ...INTO_DIST,
      lib: {
        entry: 'index.ts',
        name: 'VinteoWidgets',
        formats: ['iife'],
        fileName: () => 'vinteo-widgets-single.js',
      },
      rollupOptions: {
        output: {
          // Loaded twice (two CMS blocks, a theme and a plugin, the loader and the one-file build…): the
          // second copy does nothing.
          banner: `if (!(typeof VinteoWidgets === 'object' && VinteoWidgets && VinteoWidgets[${LOADED_MARK}])) {`,
          footer: '}',
          outro: `Object.defineProperty(exports, ${LOADED_MARK}, { value: true });`,
        },
      },
    },
  };
}

// `vite build`: the ESM package (dist/index.js and the core alone, dist/core.js).
// `vite build --mode bundle`: dist/vinteo-widgets.js, the classic script (<vinteo-call>, <vinteo-session>, Lit,
//   the client, both label sets) that imports the services and JsSIP from dist/vinteo-widgets-sip.js when a
//   client needs them, and the other elements from dist/vinteo-widgets-panels.js when one is on the page.
// `vite build --mode bundle-ru` / `bundle-en` (after `--mode bundle`): dist/vinteo-widgets.ru.js / .en.js, the
//   same loader with one language's labels; they share the chunks the default loader's build wrote.
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
  if (mode === 'bundle') return loaderScript();
  if (mode === 'bundle-ru' || mode === 'bundle-en') return loaderScript(mode === 'bundle-ru' ? 'ru' : 'en');
  if (mode === 'single') return singleScript();
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
