// ESLint with typescript-eslint: `npm run lint`, and the first stage of `npm test` (scripts/lint.mjs).
// TypeScript is linted with type information (the rules that need it catch floating promises and unsafe
// `any`); the plain ES module scripts (*.mjs) have no types to read, so they get the syntax rules only.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      '.cache/',
      '.vscode-test/',
      'test-results/',
      '**/out/',
      'media/',
      'bench/.build/',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Rules that fight the codebase's deliberate style:
      // - `async` functions without `await` implement promise-returning interfaces (VS Code's API, MSAL's
      //   cache plugin, the emulator's handlers) and turn a throw into a rejection, which callers rely on.
      '@typescript-eslint/require-await': 'off',
      // - Methods are passed as callbacks on purpose: the form's `actions` and the flows' `ui` are plain
      //   objects of functions (declared with method syntax in their interfaces), never bound to `this`.
      '@typescript-eslint/unbound-method': 'off',
      // - Event handlers (`process.on`, `requestAnimationFrame`, emitters) take async functions; a rejection
      //   there is reported as unhandled, which is what we want; wrapping each in `void (async () => …)()`
      //   adds nothing.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      // - A caught value or an AbortSignal's `reason` is passed on to `reject` as it came.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // - An empty `catch {}` says "ignore this failure" (a missing file, unparsable leftovers) on purpose.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // - `_`-prefixed names are deliberately unused (parameters kept for an interface's shape).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The webview form runs in the browser.
    files: ['src/webview/form/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
