import { defineConfig } from 'vitest/config';

// Unit and integration tests: the core in plain Node, real SQLite files, real loopback servers.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
