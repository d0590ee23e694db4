import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which way imports may run between the Node side's parts: the core is assembled by the hosts (`electron/*.ts`)
 * and handed the demo office by them, so nothing under `electron/core/` imports a host or `electron/demo/`.
 * Resolved from the importing file, so `../../demo/office` and `../../../electron/demo` are caught alike.
 */
const electronDir = path.resolve('electron');
const coreDir = path.join(electronDir, 'core');
const demoDir = path.join(electronDir, 'demo');
const boundaries = {
  rules: {
    'core-stays-inside': {
      meta: { type: 'problem', schema: [], messages: { demo: 'The core never imports the demo office: the hosts pass it in (CoreConfig.demo).', host: 'The core never imports a host: the hosts import the core.' } },
      create(context) {
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const target = path.resolve(path.dirname(context.filename), spec);
          if (target === demoDir || target.startsWith(demoDir + path.sep)) context.report({ node: node.source, messageId: 'demo' });
          else if (path.dirname(target) === electronDir && target !== coreDir) context.report({ node: node.source, messageId: 'host' });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};

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
    files: ['electron/core/**'],
    plugins: { boundaries },
    rules: { 'boundaries/core-stays-inside': 'error' },
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
