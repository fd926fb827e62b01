// Solves the FULL model while HiGHS only ever holds a restricted one, and proves the claim:
//
// 1. Column generation on the LP relaxation: solve the restricted LP, price every left-out column
//    with its duals (reduced cost = cost − Σ a·y), add those that could lower the objective, repeat
//    until none is left. The restricted LP optimum is then the full LP optimum: a lower bound on
//    every plan of the full model.
// 2. The MIP on the priced columns, from a feasible start when one was built (none when the start
//    already meets the gap against the LP bound). Groups of implied-integer columns whose row binds
//    at the LP optimum (`integralWhenBinding`) are declared integer first: same optimum, tighter search.
// 3. The proof: a plan using a left-out column j costs at least LP bound + reduced cost of j, so
//    the full model's bound is min(restricted MIP bound, LP bound + smallest left-out reduced cost).
//    While the gap to that bound is above the target, every left-out column whose reduced cost is
//    below the gap is added and the MIP solved again.
// The reported status and gap are therefore those of the whole model, not of the reduced one.
import type { Highs, HighsCallbackMap } from 'highs';
import type { EngineOptions, ProofStats } from './engine.ts';
import type { SparseModel } from './linear-model.ts';

export interface PricedInput {
  model: SparseModel;
  /** 1 = column in the first restricted model. */
  active: Uint8Array;
  /** A full feasible column vector to start the MIP from, when one was built. */
  start: Float64Array | null;
  options: EngineOptions;
  /** Date.now() when the time limit runs out, counted from the solve's request (a worker takes a while to start). */
  stopAt?: number;
}

export type PricedMessage =
  | { type: 'progress'; gap?: number; seconds?: number }
  | { type: 'incumbent'; objective: number; x: Float64Array };

export interface PricedResult {
  status: 'optimal' | 'feasible' | 'infeasible' | 'no_solution';
  objective: number | null;
  gap: number | null;
  bound: number | null;
  x: Float64Array | null;
  proof: ProofStats;
  message?: string;
}

const RC_TOL = 1e-7;
/** A row whose dual is larger than this binds at the LP optimum. */
const BINDING_DUAL = 1e-7;
const STATUS_OPTIMAL = 7;
const STATUS_INFEASIBLE = new Set([8, 9]);

export function pricedSolve(highs: Highs, input: PricedInput, post: (m: PricedMessage) => void): PricedResult {
  const { model: M, options } = input;
  const started = performance.now();
  const remaining = () => Math.max(0.01, Math.min(options.timeLimitSeconds - (performance.now() - started) / 1000, ((input.stopAt ?? Infinity) - Date.now()) / 1000));
  const inModel = new Int32Array(M.numCols).fill(-1);
  const order: number[] = [];
  const initial = input.active.reduce((a, v) => a + v, 0);
  const proof: ProofStats = { method: 'pricing', columns_total: M.numCols, columns_initial: initial, columns_final: 0, pricing_rounds: 0, lp_bound: null };
  const m = highs.createModel();
  try {
    m.passModel({
      numCols: 0, numRows: M.numRows, offset: M.offset, sense: highs.constants.objectiveSense.minimize,
      colCost: new Float64Array(0), colLower: new Float64Array(0), colUpper: new Float64Array(0),
      rowLower: Float64Array.from(M.rowLower), rowUpper: Float64Array.from(M.rowUpper),
      matrix: { format: 'csc', numRows: M.numRows, numCols: 0, starts: new Int32Array([0]), indices: new Int32Array(0), values: new Float64Array(0) },
    });
    const presolve = options.presolve ?? 'auto';
    m.options.set({ presolve: presolve === 'auto' ? 'off' : presolve, output_flag: false });
    const integrality = Uint8Array.from(M.integrality);
    const markIntegers = () => {
      const ints = order.flatMap((j, i) => (integrality[j] === 1 ? [i] : []));
      if (ints.length > 0) m.changeColsIntegrality({ kind: 'set', indices: Int32Array.from(ints) }, Int32Array.from(ints, () => 1));
    };
    const add = (cols: number[], integer: boolean) => {
      if (cols.length === 0) return;
      // HiGHS 1.15 (WASM) aborts in a MIP solve that follows added columns without an LP solve
      // in between: the columns join the LP, the LP is re-solved, then the integers are marked again.
      if (integer) m.clearIntegrality();
      addColumns(m, M, cols);
      for (const j of cols) inModel[j] = order.push(j) - 1;
      if (integer) {
        m.options.set({ time_limit: remaining() });
        m.run();
        markIntegers();
      }
    };
    add(range(M.numCols).filter((j) => input.active[j] === 1), false);

    // 1. Column generation on the LP relaxation.
    let y: Float64Array | null = null;
    let lpBound: number | null = null;
    let lagrangian = -Infinity;
    for (;;) {
      m.options.set({ time_limit: remaining() });
      const status = m.run().modelStatus as number;
      if (STATUS_INFEASIBLE.has(status)) {
        const rest = range(M.numCols).filter((j) => inModel[j]! < 0);
        if (rest.length === 0) return { status: 'infeasible', objective: null, gap: null, bound: null, x: null, proof: done(proof, order) };
        add(rest, false); // a restricted LP may lack a column that makes the county feasible
        proof.pricing_rounds++;
        continue;
      }
      if (status !== STATUS_OPTIMAL) break; // time is up: the Lagrangian bound stands in
      y = m.getSolution().rowDual;
      const z = m.getObjectiveValue();
      const rc = reducedCosts(M, y, inModel);
      let lag = z;
      rc.forEach((r, j) => (lag += r < 0 ? r * M.colUpper[j]! : 0));
      lagrangian = Math.max(lagrangian, lag);
      const improving = columnsWhere(rc, (r) => r < -RC_TOL).sort((a, b) => rc[a]! - rc[b]!);
      if (improving.length === 0) {
        lpBound = z;
        break;
      }
      proof.pricing_rounds++;
      add(improving.slice(0, Math.max(500, Math.ceil(order.length / 4))), false);
    }
    proof.lp_bound = lpBound;
    post({ type: 'progress', seconds: (performance.now() - started) / 1000 });
    if (options.relaxationOnly) {
      const status = lpBound === null ? 'no_solution' : 'optimal';
      return { status, objective: lpBound, gap: lpBound === null ? null : 0, bound: lpBound ?? lagrangian, x: null, proof: done(proof, order) };
    }
    if (y) for (const g of M.integralWhenBinding) if (Math.abs(y[g.row]!) > BINDING_DUAL) for (const j of g.columns) integrality[j] = 1;

    // 2. The MIP on the priced columns.
    markIntegers();
    // Presolve off for the LP (it stalls on the county-wide rows), on for the MIP: without it HiGHS
    // (WASM) has run out of heap in branch and bound on some 6,000-teacher counties.
    if (presolve === 'auto') m.options.set({ presolve: 'on' });
    let best: { z: number; x: Float64Array } | null = input.start ? { z: objectiveOf(M, input.start), x: input.start } : null;
    // A start already within the gap of the whole model's LP bound is proven optimal without a MIP
    // (a re-plan or frontier point whose previous plan still is the best).
    if (best && lpBound !== null && relGap(best.z, lpBound) <= options.mipRelGap) {
      return { status: 'optimal', objective: best.z, gap: relGap(best.z, lpBound), bound: lpBound, x: best.x, proof: done(proof, order) };
    }
    let fullBound = lpBound ?? lagrangian;
    let provedInfeasible = false;
    for (let round = 0; round < 4; round++) {
      // The best plan so far is the fallback incumbent; its columns join the model so the MIP can find it too.
      if (best) add(range(M.numCols).filter((j) => best!.x[j]! > 0.5 && inModel[j]! < 0), true);
      // The best plan so far as a cutoff (objective_bound): HiGHS prunes every node that cannot beat it.
      // (Set only when there is one: the WASM options reject an infinite value.)
      m.options.set({ time_limit: remaining(), mip_rel_gap: options.mipRelGap, ...(best ? { objective_bound: best.z } : {}) });
      const status = m.run(progressCallbacks(highs, M, order, started, post)).modelStatus as number;
      const primal = Number(m.info.get('primal_solution_status')) === 2;
      if (primal) {
        const x = new Float64Array(M.numCols);
        m.getSolution().colValue.forEach((v, i) => (x[order[i]!] = v));
        const z = m.getObjectiveValue();
        if (!best || z < best.z - 1e-9) best = { z, x };
      }
      // Under the cutoff, "infeasible" only says no restricted plan beats the best one.
      const restricted = STATUS_INFEASIBLE.has(status) ? best?.z ?? Infinity : Number(m.info.get('mip_dual_bound'));
      provedInfeasible = !best && STATUS_INFEASIBLE.has(status) && order.length === M.numCols;
      // Plans that use a column still left out cost at least (LP bound + its reduced cost).
      const rc = y ? reducedCosts(M, y, inModel) : new Float64Array(0);
      const outside = lpBound === null ? lagrangian : lpBound + smallest(rc);
      // The whole LP's optimum bounds every plan as well: a MIP stopped early may report less.
      fullBound = Math.max(lpBound ?? -Infinity, Math.min(Number.isNaN(restricted) ? -Infinity : restricted, outside));
      if (lpBound === null || remaining() < 0.05 || (best && relGap(best.z, fullBound) <= options.mipRelGap)) break;
      // No plan among the priced columns: any left-out column may be needed; else only those that could beat the plan.
      const worth = columnsWhere(rc, (r) => !best || lpBound! + r < best.z - 1e-9);
      if (worth.length === 0) break;
      add(worth, true);
    }
    if (!best && provedInfeasible) return { status: 'infeasible', objective: null, gap: null, bound: null, x: null, proof: done(proof, order) };
    if (!best) return { status: 'no_solution', objective: null, gap: null, bound: fullBound, x: null, proof: done(proof, order), message: `在${options.timeLimitSeconds}秒内未找到方案（不代表无解）` };
    const gap = relGap(best.z, fullBound);
    return { status: gap <= options.mipRelGap + 1e-12 ? 'optimal' : 'feasible', objective: best.z, gap, bound: fullBound, x: best.x, proof: done(proof, order) };
  } finally {
    m.dispose();
  }
}

const done = (p: ProofStats, order: number[]): ProofStats => ({ ...p, columns_final: order.length });

const relGap = (z: number, bound: number): number => (Number.isFinite(bound) ? Math.max(0, z - bound) / Math.max(1e-9, Math.abs(z)) : Infinity);

function smallest(rc: Float64Array): number {
  let m = Infinity;
  for (const r of rc) if (r < m) m = r; // NaN (in the model) never compares smaller
  return m;
}

function range(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Reduced cost (cost − Σ a·y over its rows) of every column not in the model; NaN for those in it. */
export function reducedCosts(M: SparseModel, y: ArrayLike<number>, inModel: Int32Array): Float64Array {
  const rc = new Float64Array(M.numCols).fill(NaN);
  for (let j = 0; j < M.numCols; j++) {
    if (inModel[j]! >= 0) continue;
    let r = M.colCost[j]!;
    for (let k = M.starts[j]!; k < M.starts[j + 1]!; k++) r -= M.values[k]! * y[M.indices[k]!]!;
    rc[j] = r;
  }
  return rc;
}

/** Columns whose reduced cost passes the test, in column order. */
function columnsWhere(rc: Float64Array, test: (r: number) => boolean): number[] {
  const out: number[] = [];
  rc.forEach((r, j) => {
    if (!Number.isNaN(r) && test(r)) out.push(j);
  });
  return out;
}

function objectiveOf(M: SparseModel, x: Float64Array): number {
  let z = M.offset;
  for (let j = 0; j < M.numCols; j++) z += M.colCost[j]! * x[j]!;
  return z;
}

function addColumns(m: ReturnType<Highs['createModel']>, M: SparseModel, cols: number[]): void {
  const starts = new Int32Array(cols.length + 1);
  let nnz = 0;
  cols.forEach((j, i) => {
    nnz += M.starts[j + 1]! - M.starts[j]!;
    starts[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  cols.forEach((j, i) => {
    indices.set(M.indices.slice(M.starts[j]!, M.starts[j + 1]!), starts[i]!);
    values.set(M.values.slice(M.starts[j]!, M.starts[j + 1]!), starts[i]!);
  });
  m.addCols({
    cost: Float64Array.from(cols, (j) => M.colCost[j]!),
    lower: Float64Array.from(cols, (j) => M.colLower[j]!),
    upper: Float64Array.from(cols, (j) => M.colUpper[j]!),
    matrix: { format: 'csc', numRows: M.numRows, numCols: cols.length, starts, indices, values },
  });
}

function progressCallbacks(highs: Highs, M: SparseModel, order: number[], started: number, post: (m: PricedMessage) => void): HighsCallbackMap {
  let last = 0;
  const cb = highs.constants.callbackType;
  return {
    [cb.mipImprovingSolution](e) {
      const x = new Float64Array(M.numCols);
      Array.from(e.data.mip_solution ?? [], Number).forEach((v, i) => (x[order[i]!] = v));
      if (e.data.objective_function_value !== undefined) post({ type: 'incumbent', objective: e.data.objective_function_value, x });
      return undefined;
    },
    [cb.mipLogging](e) {
      const now = Date.now();
      if (now - last < 500) return undefined;
      last = now;
      post({ type: 'progress', ...(e.data.mip_gap !== undefined ? { gap: e.data.mip_gap } : {}), seconds: (performance.now() - started) / 1000 });
      return undefined;
    },
  };
}
