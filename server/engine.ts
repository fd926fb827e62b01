// Runs HiGHS in a worker thread under a hard wall-clock limit. HiGHS honours its own
// time_limit but has been seen to overshoot; past the hard limit the worker is terminated and
// the best incumbent it streamed is returned, so a solve never hangs the process.
import { Worker } from 'node:worker_threads';
import type { Engine, EngineResult, ProofStats } from '../solver/model/engine.ts';
import { toSparse } from '../solver/model/linear-model.ts';
import type { PricedMessage, PricedResult } from '../solver/model/priced-solve.ts';

export interface SolveProgress {
  seconds: number;
  objective: number | null;
  gap: number | null;
}

type WorkerMessage = PricedMessage | ({ type: 'done' } & PricedResult) | { type: 'error'; message: string };

/** Seconds the worker may run past HiGHS's own time limit before it is killed. */
const graceSeconds = (limit: number) => Math.max(5, 0.25 * limit);

export function highsEngine(onProgress?: (p: SolveProgress) => void, signal?: AbortSignal): Engine {
  return (model, options, hints = {}) =>
    new Promise<EngineResult>((resolve) => {
      const started = performance.now();
      const elapsed = () => (performance.now() - started) / 1000;
      const sparse = toSparse(model);
      const active = hints.active ?? new Uint8Array(sparse.numCols).fill(1);
      const worker = new Worker(new URL('./engine-worker.mjs', import.meta.url), {
        workerData: { model: sparse, active, start: hints.start ?? null, options },
      });
      // Until the worker says otherwise, the start plan is the best known.
      let best: { objective: number; x: Float64Array } | null = hints.start ? { objective: startObjective(sparse, hints.start), x: hints.start } : null;
      let proof: ProofStats | null = null;
      let lastGap: number | null = null;
      let settled = false;
      const finish = (r: Omit<EngineResult, 'engine' | 'seconds' | 'bound' | 'proof'> & { bound?: number | null }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
        resolve({ engine: 'highs', seconds: elapsed(), bound: null, proof, ...r });
      };
      const fromIncumbent = (message: string) =>
        best
          ? finish({ status: 'feasible', objective: best.objective, gap: lastGap, x: best.x, message })
          : finish({ status: 'no_solution', objective: null, gap: null, x: null, message });
      const timer = setTimeout(
        () => fromIncumbent(`求解超过${Math.round(options.timeLimitSeconds + graceSeconds(options.timeLimitSeconds))}秒被终止`),
        (options.timeLimitSeconds + graceSeconds(options.timeLimitSeconds)) * 1000,
      );
      const onAbort = () => fromIncumbent('求解已取消');
      signal?.addEventListener('abort', onAbort);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'incumbent') {
          if (!best || m.objective < best.objective) best = { objective: m.objective, x: m.x };
          onProgress?.({ seconds: elapsed(), objective: best.objective, gap: lastGap });
        } else if (m.type === 'progress') {
          lastGap = typeof m.gap === 'number' && Number.isFinite(m.gap) ? m.gap : lastGap;
          onProgress?.({ seconds: elapsed(), objective: best?.objective ?? null, gap: lastGap });
        } else if (m.type === 'error') {
          // HiGHS's WASM heap is capped at 2 GiB; an Aborted() lands here.
          if (best) fromIncumbent(`HiGHS 出错：${m.message}`);
          else finish({ status: 'error', objective: null, gap: null, x: null, message: m.message });
        } else {
          proof = m.proof;
          if (m.status === 'no_solution') fromIncumbent(m.message ?? `在${options.timeLimitSeconds}秒内未找到方案（不代表无解）`);
          else finish({ status: m.status, objective: m.objective, gap: m.gap, bound: m.bound, x: m.x, ...(m.message ? { message: m.message } : {}) });
        }
      });
      worker.on('error', (err) => (best ? fromIncumbent(String(err)) : finish({ status: 'error', objective: null, gap: null, x: null, message: String(err) })));
      worker.on('exit', () => fromIncumbent('求解进程意外退出'));
    });
}

function startObjective(m: { offset: number; colCost: Float64Array }, x: Float64Array): number {
  let z = m.offset;
  m.colCost.forEach((c, j) => (z += c * x[j]!));
  return z;
}
