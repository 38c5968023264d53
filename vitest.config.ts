import { defineConfig } from 'vitest/config';

// Browser tests start a server and Chromium, so they get longer time-outs than unit tests.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
