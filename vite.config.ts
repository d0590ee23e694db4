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
    // The app and its messages in three languages; pdf.js is split off and loaded with the first PDF.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // pdf.js's worker ships as .mjs; both hosts serve .js as JavaScript (a worker refuses any other type).
        assetFileNames: (asset) => (asset.names?.[0]?.endsWith('.mjs') ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]'),
      },
    },
  },
});
