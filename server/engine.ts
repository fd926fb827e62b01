// Runs HiGHS in a worker thread under a hard wall-clock limit. HiGHS honours its own
// time_limit but has been seen to overshoot; past the hard limit the worker is terminated and
// the best incumbent it streamed is returned, so a solve never hangs the process.
import { Worker } from 'node:worker_threads';
import type { Engine, EngineResult } from '../solver/model/engine.ts';
import { toSparse } from '../solver/model/linear-model.ts';

export interface SolveProgress {
  seconds: number;
  objective: number | null;
  gap: number | null;
}

type WorkerMessage =
  | { type: 'progress'; primal?: number; dual?: number; gap?: number; seconds?: number }
  | { type: 'incumbent'; objective: number; x: number[] }
  | { type: 'done'; status: string; objective: number | null; gap: number | null; x: number[] | null }
  | { type: 'error'; message: string };

/** Seconds the worker may run past HiGHS's own time limit before it is killed. */
const graceSeconds = (limit: number) => Math.max(5, 0.25 * limit);

export function highsEngine(onProgress?: (p: SolveProgress) => void, signal?: AbortSignal): Engine {
  return (model, options) =>
    new Promise<EngineResult>((resolve) => {
      const started = performance.now();
      const elapsed = () => (performance.now() - started) / 1000;
      const worker = new Worker(new URL('./engine-worker.mjs', import.meta.url), {
        workerData: { model: toSparse(model), options },
      });
      let best: { objective: number; x: number[] } | null = null;
      let lastGap: number | null = null;
      let settled = false;
      const finish = (r: Omit<EngineResult, 'engine' | 'seconds'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
        resolve({ engine: 'highs', seconds: elapsed(), ...r });
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
          best = { objective: m.objective, x: m.x };
          onProgress?.({ seconds: elapsed(), objective: m.objective, gap: lastGap });
        } else if (m.type === 'progress') {
          lastGap = typeof m.gap === 'number' && Number.isFinite(m.gap) ? m.gap : lastGap;
          onProgress?.({ seconds: elapsed(), objective: best?.objective ?? null, gap: lastGap });
        } else if (m.type === 'error') {
          // HiGHS's WASM heap is capped at 2 GiB; an Aborted() lands here.
          if (best) fromIncumbent(`HiGHS 出错：${m.message}`);
          else finish({ status: 'error', objective: null, gap: null, x: null, message: m.message });
        } else if (m.status === 'optimal') {
          finish({ status: 'optimal', objective: m.objective, gap: m.gap ?? 0, x: m.x });
        } else if (m.status === 'infeasible') {
          finish({ status: 'infeasible', objective: null, gap: null, x: null });
        } else if (m.x) {
          finish({ status: 'feasible', objective: m.objective, gap: m.gap, x: m.x, message: `HiGHS: ${m.status}` });
        } else {
          fromIncumbent(`在${options.timeLimitSeconds}秒内未找到可行方案（HiGHS: ${m.status}）`);
        }
      });
      worker.on('error', (err) => (best ? fromIncumbent(String(err)) : finish({ status: 'error', objective: null, gap: null, x: null, message: String(err) })));
      worker.on('exit', () => fromIncumbent('求解进程意外退出'));
    });
}
