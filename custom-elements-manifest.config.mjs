// custom-elements.json is generated from the elements' JSDoc (`npm run analyze`) and checked for drift by `npm test`.
export default {
  globs: ['components/**/*.ts'],
  exclude: ['**/*.test.ts', 'components/shared/**'],
  litelement: true,
  // The package.json `customElements` field is written by hand; the drift check writes elsewhere.
  packagejson: false,
  plugins: [
    {
      name: 'vinteo-documented-events-only',
      // Events are documented with @fires; drop what the analyzer guesses from dispatchEvent calls.
      packageLinkPhase({ customElementsManifest }) {
        // The analyzer reads files in whatever order the file system gives: sort for a stable file.
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            if (declaration.events) {
              declaration.events = declaration.events.filter((event) => event.name && event.name.startsWith('vinteo-'));
            }
          }
        }
      },
    },
  ],
};
