// Global set-up of the `postgres` test project (vitest.config.ts): starts the throwaway PostgreSQL
// server (test/ensure-postgres.sh) and gives its URL to the tests (helpers.ts testDatabase).
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): void {
  const url = execFileSync('sh', [new URL('./ensure-postgres.sh', import.meta.url).pathname], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  project.provide('postgresUrl', url);
}
