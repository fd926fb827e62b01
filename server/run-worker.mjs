// Worker-thread entry for run-job.ts (solves and CPU-heavy tasks). Plain JS so the worker can
// register tsx's loader before importing TypeScript: there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('./run-job.ts');
