// Worker-thread entry for lane-job.ts (one solve lane). Plain JS so the worker can register tsx's
// loader before importing TypeScript: there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('./lane-job.ts');
