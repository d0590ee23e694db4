// Builds the three parts: the renderer (Vite), and the Node side (esbuild, `bundles.mjs`): the Electron
// main process with its preload and the sync worker, and the browser-mode host.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { nodeBundles } from './bundles.mjs';

await Promise.all([vite({ configFile: 'vite.config.ts', logLevel: 'warn' }), ...nodeBundles.map((options) => esbuild(options))]);
