import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'custom-elements.json', 'bench/out/', 'demo/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['components/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // The core has no UI: no Lit outside context.ts.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['lit', 'lit/*'], message: 'src/ is the core: no Lit here (context.ts uses @lit/context only).' }] },
      ],
    },
  },
  {
    // Classic scripts the drop-in test pages load in the browser.
    files: ['test/drop-in/pages/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['server/**/*.ts', 'server/**/*.mjs', 'bin/**/*.js', 'demo/**/*.mjs', 'bench/**/*.mjs', 'test/**/*.mjs', '*.mjs', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
