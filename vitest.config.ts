import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Set-ups upload counties and solve them before any test: minutes when the CI machine is busy.
    hookTimeout: 600_000,
    // The solver tests spawn HiGHS workers; two cores, so keep parallel files low.
    maxWorkers: 2,
  },
});
