// Worker thread that runs one HiGHS (WebAssembly) solve. Plain JS so it starts without a
// TypeScript loader. A fresh WASM instance per worker: its heap (≤ 2 GiB) dies with the thread.
// Messages out: {type:'progress'}, {type:'incumbent', x}, then {type:'done'} or {type:'error'}.
import { parentPort, workerData } from 'node:worker_threads';
import highsLoader from 'highs';

const { model, options } = workerData;
const post = (m) => parentPort.postMessage(m);

const STATUS = { 7: 'optimal', 8: 'infeasible', 9: 'infeasible', 10: 'unbounded', 13: 'time_limit', 17: 'interrupted' };

try {
  const highs = await highsLoader();
  const m = highs.createModel();
  try {
    m.passModel({
      numCols: model.numCols,
      numRows: model.numRows,
      offset: model.offset,
      sense: highs.constants.objectiveSense.minimize,
      colCost: Float64Array.from(model.colCost),
      colLower: Float64Array.from(model.colLower, (v) => (v === null ? -highs.infinity : v)),
      colUpper: Float64Array.from(model.colUpper, (v) => (v === null ? highs.infinity : v)),
      rowLower: Float64Array.from(model.rowLower, (v) => (v === null ? -highs.infinity : v)),
      rowUpper: Float64Array.from(model.rowUpper, (v) => (v === null ? highs.infinity : v)),
      matrix: {
        format: 'csr',
        numRows: model.numRows,
        numCols: model.numCols,
        starts: Int32Array.from(model.starts),
        indices: Int32Array.from(model.indices),
        values: Float64Array.from(model.values),
      },
      integrality: Int32Array.from(model.integrality),
    });
    m.options.set({
      time_limit: options.timeLimitSeconds,
      mip_rel_gap: options.mipRelGap,
      presolve: options.presolve ?? 'choose',
      output_flag: false,
    });
    let lastProgress = 0;
    const cb = highs.constants.callbackType;
    const result = m.run({
      [cb.mipImprovingSolution](e) {
        post({ type: 'incumbent', objective: e.data.objective_function_value, x: Array.from(e.data.mip_solution ?? []) });
      },
      [cb.mipLogging](e) {
        const now = Date.now();
        if (now - lastProgress < 500) return undefined;
        lastProgress = now;
        post({ type: 'progress', primal: e.data.mip_primal_bound, dual: e.data.mip_dual_bound, gap: e.data.mip_gap, seconds: e.data.running_time });
        return undefined;
      },
    });
    const status = STATUS[result.modelStatus] ?? `highs_status_${result.modelStatus}`;
    const hasInts = model.integrality.some((v) => v !== 0);
    const primalOk = Number(m.info.get('primal_solution_status')) === 2;
    const gap = hasInts ? Number(m.info.get('mip_gap')) : 0;
    const dualBound = hasInts ? Number(m.info.get('mip_dual_bound')) : undefined;
    const x = primalOk ? Array.from(m.getSolution().colValue) : null;
    post({ type: 'done', status, objective: primalOk ? m.getObjectiveValue() : null, gap: Number.isFinite(gap) ? gap : null, dualBound, x });
  } finally {
    m.dispose();
  }
} catch (err) {
  post({ type: 'error', message: String(err && err.message ? err.message : err) });
}
