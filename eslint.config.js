// ESLint flat config (`npm run lint` = eslint + prettier --check).
//
// typescript-eslint needs TypeScript's JS compiler API, which TypeScript 7 (the project's compiler)
// no longer ships. It therefore comes from scripts/lint/typescript-eslint-ts5, a local package whose
// own node_modules holds typescript-eslint beside TypeScript 5.9 (its peer), so `npm ci` in a clean
// clone installs both versions side by side and nothing here patches module resolution. The
// `overrides` entry for ts-api-utils in package.json keeps that helper next to 5.9 too.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint-ts5';

export default tseslint.config(
  {
    ignores: ['dist/', '.bench/', 'test-results/', 'custom-elements.json', '**/node_modules/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // The compiler (noUnusedLocals/noUnusedParameters) already reports these, with the same `_` convention.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Type-only imports are enforced by `verbatimModuleSyntax`.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  // Type-aware rules where a mistake costs the most: the element and its core (an unawaited promise
  // there is an unhandled rejection in the EHR page).
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // The Lit element and its parts.
  {
    files: ['src/**/*.ts', 'demo/page/**/*.ts', 'test/browser/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts'],
    ...wc.configs['flat/recommended'],
    rules: {
      ...wc.configs['flat/recommended'].rules,
      // LitElement always defines the lifecycle callbacks, so `super.connectedCallback()` needs no guard.
      'wc/guard-super-call': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // chai's `expect(x).to.be.true` style.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
