// ESLint (flat config): JavaScript and TypeScript recommended rules everywhere, Lit and web-component
// rules for the elements in src/ui. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'public/**',
      'test-results/**',
      'playwright-report/**',
      'bench-results/**',
      'training/cache/**',
      'training/runs/**',
      'training/reports/**',
      'docs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Unused names are errors, except a deliberate `_` prefix (ignored arguments, exhaustive destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-duplicate-imports': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/ui/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/ui/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    // The pure layers: no Node built-ins, no browser-only libraries (scripts/architecture.test.ts checks imports too).
    files: ['src/core/**/*.ts', 'packages/contract/**/*.ts'],
    // Tests and their helpers (*test-kit.ts, as scripts/architecture.test.ts counts them) run in Node.
    ignores: ['**/*.test.ts', '**/*test-kit.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'idb', 'lit', 'lit/*', 'workbox-*', 'comlink'] }],
    },
  },
);
