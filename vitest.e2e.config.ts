import { defineConfig } from 'vitest/config';

// End-to-end: the built renderer in Debian's Chromium against the real core through the
// web host, and the real Electron app where its binary exists. Needs `npm run build` first.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts', 'test/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
