import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    // Set-ups upload counties and solve them before any test: minutes when the CI machine is busy.
    hookTimeout: 600_000,
    // The solver tests spawn HiGHS workers; two cores, so keep parallel files low.
    maxWorkers: 2,
    // Every test on the embedded back end (SQLite); the API tests once more on PostgreSQL, the
    // production mode's storage (README "Production mode"). `--project sqlite` or `--project postgres` picks one.
    projects: [
      // The job queue exists only in production mode: its test runs in the postgres project alone.
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/api/queue.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: ['test/api/**/*.test.ts'], globalSetup: ['test/postgres-setup.ts'] } },
    ],
  },
});
