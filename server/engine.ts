// Runs HiGHS in a worker thread under a hard wall-clock limit. HiGHS honours its own
// time_limit but has been seen to overshoot; past the hard limit the worker is terminated and
// the best incumbent it streamed is returned, so a solve never hangs the process. Workers are
// warm ones reused across solves (engine-workers.ts); one that ended any other way than a clean
// answer is never reused.
import { type EngineWorkers, engineWorkers } from './engine-workers.ts';
import type { Engine, EngineResult, ProofStats } from '../solver/model/engine.ts';
import { objectiveOf, toSparse } from '../solver/model/linear-model.ts';
import type { PricedMessage, PricedResult } from '../solver/model/priced-solve.ts';

export interface SolveProgress {
  seconds: number;
  objective: number | null;
  gap: number | null;
}

type WorkerMessage = PricedMessage | ({ type: 'done'; heapBytes: number } & PricedResult) | { type: 'error'; message: string };

/** Seconds the worker may run past HiGHS's own time limit before it is killed (never past `options.deadline`). */
const graceSeconds = (limit: number) => Math.max(5, 0.25 * limit);
/** Below this, a worker could not even start: the start plan (if any) is the answer. */
const TOO_LITTLE_SECONDS = 0.05;

export function highsEngine(onProgress?: (p: SolveProgress) => void, signal?: AbortSignal, workers: EngineWorkers = engineWorkers): Engine {
  const once = solveOnce(workers, onProgress, signal);
  return async (model, options, hints = {}) => {
    const first = await once(model, options, hints);
    const left = options.timeLimitSeconds - first.seconds;
    // HiGHS 1.15 (WASM) can abort inside branch and bound on some models with presolve off (and,
    // rarely, on): once, in a fresh worker (an aborted one is never reused) with presolve flipped,
    // from the best plan found so far.
    if (!first.aborted || signal?.aborted || left < 5) return first;
    const presolve = options.presolve === 'on' ? 'off' : 'on';
    const start = first.x ? Float64Array.from(first.x) : hints.start ?? null;
    const second = await once(model, { ...options, timeLimitSeconds: left, presolve }, { ...hints, start });
    return { ...second, seconds: first.seconds + second.seconds, aborted: second.aborted };
  };
}

type Result = EngineResult & { aborted?: boolean };

function solveOnce(workers: EngineWorkers, onProgress?: (p: SolveProgress) => void, signal?: AbortSignal) {
  return (model: Parameters<Engine>[0], options: Parameters<Engine>[1], hints: NonNullable<Parameters<Engine>[2]>) =>
    new Promise<Result>((resolve) => {
      const started = performance.now();
      const stopAt = Date.now() + options.timeLimitSeconds * 1000;
      const elapsed = () => (performance.now() - started) / 1000;
      if (options.timeLimitSeconds < TOO_LITTLE_SECONDS) {
        const x = hints.start ?? null;
        const objective = x ? objectiveOf(model, x) : null;
        const message = x ? '求解时间已用完，返回初始方案' : '求解时间已用完，未找到方案';
        return resolve({ engine: 'highs', status: x ? 'feasible' : 'no_solution', objective, gap: null, bound: null, proof: null, x, seconds: elapsed(), message });
      }
      const sparse = toSparse(model);
      const active = hints.active ?? new Uint8Array(sparse.numCols).fill(1);
      const worker = workers.acquire();
      worker.postMessage({ model: sparse, active, start: hints.start ?? null, options, stopAt });
      // Until the worker says otherwise, the start plan is the best known.
      let best: { objective: number; x: Float64Array } | null = hints.start ? { objective: startObjective(sparse, hints.start), x: hints.start } : null;
      let proof: ProofStats | null = null;
      let lastGap: number | null = null;
      let settled = false;
      /** `heapBytes`: the worker answered cleanly and may be reused; otherwise it is ended. */
      const finish = (r: Omit<Result, 'engine' | 'seconds' | 'bound' | 'proof'> & { bound?: number | null }, heapBytes?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (heapBytes === undefined) workers.discard(worker);
        else workers.release(worker, heapBytes);
        resolve({ engine: 'highs', seconds: elapsed(), bound: null, proof, ...r });
      };
      const fromIncumbent = (message: string, heapBytes?: number) =>
        best
          ? finish({ status: 'feasible', objective: best.objective, gap: lastGap, x: best.x, message }, heapBytes)
          : finish({ status: 'no_solution', objective: null, gap: null, x: null, message }, heapBytes);
      const hard = Math.max(0, Math.min(options.timeLimitSeconds + graceSeconds(options.timeLimitSeconds), ((options.deadline ?? Infinity) - Date.now()) / 1000));
      const timer = setTimeout(() => fromIncumbent(`求解超过${Math.round(hard)}秒被终止`), hard * 1000);
      const onAbort = () => fromIncumbent('求解已取消');
      signal?.addEventListener('abort', onAbort);
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'incumbent') {
          if (!best || m.objective < best.objective) best = { objective: m.objective, x: m.x };
          onProgress?.({ seconds: elapsed(), objective: best.objective, gap: lastGap });
        } else if (m.type === 'progress') {
          lastGap = typeof m.gap === 'number' && Number.isFinite(m.gap) ? m.gap : lastGap;
          onProgress?.({ seconds: elapsed(), objective: best?.objective ?? null, gap: lastGap });
        } else if (m.type === 'error') {
          // An Aborted() lands here (a HiGHS assertion, or the WASM heap's 2 GiB cap).
          if (best) finish({ status: 'feasible', objective: best.objective, gap: lastGap, x: best.x, message: `HiGHS 出错：${m.message}`, aborted: true });
          else finish({ status: 'error', objective: null, gap: null, x: null, message: m.message, aborted: true });
        } else {
          proof = m.proof;
          if (m.status === 'no_solution') fromIncumbent(m.message ?? `在${options.timeLimitSeconds}秒内未找到方案（不代表无解）`, m.heapBytes);
          else finish({ status: m.status, objective: m.objective, gap: m.gap, bound: m.bound, x: m.x, ...(m.message ? { message: m.message } : {}) }, m.heapBytes);
        }
      };
      const onError = (err: Error) => (best ? fromIncumbent(String(err)) : finish({ status: 'error', objective: null, gap: null, x: null, message: String(err) }));
      const onExit = () => fromIncumbent('求解进程意外退出');
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
}

function startObjective(m: { offset: number; colCost: Float64Array }, x: Float64Array): number {
  let z = m.offset;
  m.colCost.forEach((c, j) => (z += c * x[j]!));
  return z;
}
