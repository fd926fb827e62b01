import { setPriority } from 'node:os';

/**
 * Solves are batch work; requests are interactive. On Linux the nice value is per thread and
 * setpriority(0) means the calling thread, so this lowers only this worker thread (and the HiGHS
 * worker it starts, which inherits it): the event loop keeps its core whenever it needs it, and
 * solves use every idle cycle. Elsewhere priority 0 would mean the whole server, so it is left alone.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(10);
  } catch {
    // Not permitted in some containers: solves then simply share the CPU evenly.
  }
}
