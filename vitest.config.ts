import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The solver tests spawn HiGHS workers; two cores, so keep parallel files low.
    maxWorkers: 2,
  },
});
