import { defineConfig } from 'vite';

// `vite build`: the ESM package (dist/index.js and the core alone, dist/core.js).
// `vite build --mode bundle`: dist/vinteo-widgets.js, one classic-script file with Lit and JsSIP inside.
// `vite` (through `npm start`): the demo pages in demo/.
export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      server: { host: '127.0.0.1', port: 5173, strictPort: false, fs: { allow: ['..'] } },
      publicDir: false,
    };
  }
  if (mode === 'bundle') {
    return {
      publicDir: false,
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: 'dist',
        emptyOutDir: false,
        target: 'es2022',
        sourcemap: true,
        lib: {
          entry: 'index.ts',
          name: 'VinteoWidgets',
          formats: ['iife'],
          fileName: () => 'vinteo-widgets.js',
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
