// Warm HiGHS workers, reused solve after solve. Starting a worker costs its TypeScript loader and a
// fresh WebAssembly instance (0.2–0.3 s of WASM start alone, more on a loaded machine), paid once
// per solve before; a county with an infeasibility explanation, a frontier or the per-indicator
// bounds solve many times. A worker goes back to the idle list only when it finished cleanly and
// its heap is below `heapLimitBytes`: WASM memory never shrinks and is capped at 2 GiB, and an
// Aborted() leaves the instance unusable, so any other ending terminates it (a fresh one follows).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./engine-worker.mjs', import.meta.url);

export interface EngineWorkersOptions {
  /** A worker whose WASM heap passed this after a solve is retired rather than reused. */
  heapLimitBytes?: number;
  /** Idle workers kept at most (each holds its heap). */
  maxIdle?: number;
  /** An idle worker is ended after this long unused, giving its heap back. */
  idleSeconds?: number;
}

interface Idle { worker: Worker; gone: () => void; timer: NodeJS.Timeout }

export class EngineWorkers {
  private readonly idle: Idle[] = [];
  /** Workers started so far: tests read it to tell reuse from replacement. */
  started = 0;
  readonly heapLimitBytes: number;
  private readonly maxIdle: number;
  private readonly idleSeconds: number;

  constructor(opts: EngineWorkersOptions = {}) {
    // Half the cap: the next, possibly larger, county still has room to grow.
    this.heapLimitBytes = opts.heapLimitBytes ?? 2 ** 30;
    this.maxIdle = opts.maxIdle ?? availableParallelism();
    this.idleSeconds = opts.idleSeconds ?? 60;
  }

  /** A warm worker, or a new one; the caller owns it until `release` or `discard`. */
  acquire(): Worker {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(warm.timer);
      warm.worker.off('exit', warm.gone).off('error', warm.gone);
      warm.worker.ref();
      return warm.worker;
    }
    this.started++;
    return new Worker(WORKER_URL);
  }

  /** Back to the idle list after a clean solve, unless its heap says it should be renewed. */
  release(worker: Worker, heapBytes: number): void {
    if (heapBytes > this.heapLimitBytes || this.idle.length >= this.maxIdle) return this.discard(worker);
    // Idle workers never keep the process alive on their own.
    worker.unref();
    const gone = () => this.drop(entry);
    const entry = { worker, gone, timer: setTimeout(gone, this.idleSeconds * 1000).unref() };
    // A worker that dies while idle is simply forgotten (an 'error' without a listener would throw).
    worker.on('exit', gone).on('error', gone);
    this.idle.push(entry);
  }

  discard(worker: Worker): void {
    worker.on('error', () => undefined);
    void worker.terminate();
  }

  private drop(entry: Idle): void {
    const at = this.idle.indexOf(entry);
    if (at < 0) return;
    this.idle.splice(at, 1);
    clearTimeout(entry.timer);
    entry.worker.off('exit', entry.gone).off('error', entry.gone);
    this.discard(entry.worker);
  }
}

/** The process's warm workers, shared by every `highsEngine()` of this thread. */
export const engineWorkers = new EngineWorkers();
