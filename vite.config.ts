import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer only: main, preload and the browser host are bundled by scripts/build.mjs.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    // No inline scripts: the CSP allows scripts from the app itself only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
