import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'The core, shared code and the renderer never import electron: only the hosts do.' }],
};
const noRawIpc = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message: 'Use the typed wrappers (electron/ipc.ts, electron/preload.ts) instead of raw IPC.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'release/', 'node_modules/', 'test-results/', 'coverage/', '.tmp*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', noRawIpc],
    },
  },
  {
    files: ['electron/core/**', 'electron/demo/**', 'shared/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', { ...noElectron, patterns: [{ group: ['node:*'], message: 'shared/ runs in both processes: no Node imports.' }] }],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noElectron, patterns: [{ group: ['node:*', '**/electron/core/**'], message: 'The renderer reaches the Node side only through window.api.' }] },
      ],
    },
  },
  {
    // The only two places allowed to touch raw IPC.
    files: ['electron/ipc.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
