// What every engine returns, and javascript-lp-solver as the independent cross-check engine
// (pure JavaScript, dense tableau: only for small models — see solver-notes.md).
import jsLpModule from 'javascript-lp-solver';
import { type LinearModel, objectiveOf, toJsLpSolverModel, varName } from './linear-model.ts';

// The package's types describe its CommonJS build (solver on `default`); Node loads its ESM
// build, whose default export is the solver itself.
const jsLpSolver = jsLpModule as unknown as typeof jsLpModule.default;

export type EngineStatus = 'optimal' | 'feasible' | 'infeasible' | 'no_solution' | 'error';

/** How the optimality claim was proven for the whole model (README "What optimal means"). */
export interface ProofStats {
  /** 'pricing': restricted model + column generation; 'full': every column given to the engine. */
  method: 'pricing' | 'full';
  columns_total: number;
  columns_initial: number;
  columns_final: number;
  pricing_rounds: number;
  /** The full model's LP optimum (a lower bound on every plan), when pricing converged. */
  lp_bound: number | null;
}

export interface EngineResult {
  engine: 'highs' | 'javascript-lp-solver';
  status: EngineStatus;
  objective: number | null;
  /** Relative gap of the returned solution to `bound`, for the WHOLE model (0 when proved optimal). */
  gap: number | null;
  /** Lower bound on every plan of the whole model. */
  bound: number | null;
  proof: ProofStats | null;
  /** Column values in model order, when a solution exists. */
  x: ArrayLike<number> | null;
  seconds: number;
  message?: string;
}

export interface EngineOptions {
  timeLimitSeconds: number;
  mipRelGap: number;
  presolve?: 'auto' | 'off' | 'choose' | 'on';
  /**
   * Only the LP relaxation: its optimum (`bound`, and `objective`) bounds every plan; no plan is
   * returned. A quick bound where a MIP would be too costly; an engine may solve the MIP instead.
   */
  relaxationOnly?: boolean;
  /**
   * Date.now() by which the engine hands back the best plan it has, whatever HiGHS is doing then
   * (engineUntil sets it with `timeLimitSeconds` a little before, so a solve normally ends itself).
   */
  deadline?: number;
}

/** What the model builder knows that makes the solve faster; never changes the answer. */
export interface EngineHints {
  /** 1 = column of the first restricted model (an engine that prices may start from these). */
  active?: Uint8Array;
  /** A feasible column vector (e.g. the greedy plan) to start from. */
  start?: Float64Array | null;
}

/** Any engine: the planner takes one of these, so tests and the server can choose. */
export type Engine = (model: LinearModel, options: EngineOptions, hints?: EngineHints) => Promise<EngineResult>;

/**
 * The engine with every solve over by `deadline` (Date.now()): each gets what remains of the time,
 * never more than its own limit, so one limit holds however many solves a plan takes (an
 * infeasible county's explanation, the bounds). The engine is asked to stop a little before the
 * deadline (a tenth of what remains, at most 2 s) to hand its plan back by it.
 */
export function engineUntil(engine: Engine, deadline: number): Engine {
  return (model, options, hints) => {
    const left = Math.max(0, (deadline - Date.now()) / 1000);
    const timeLimitSeconds = Math.min(options.timeLimitSeconds, left - Math.min(2, 0.1 * left));
    return engine(model, { ...options, timeLimitSeconds, deadline: Math.min(options.deadline ?? Infinity, deadline) }, hints);
  };
}

export const jsLpSolverEngine: Engine = async (model) => {
  const started = performance.now();
  const result = jsLpSolver.Solve(toJsLpSolverModel(model)) as Record<string, number | boolean | undefined>;
  const seconds = (performance.now() - started) / 1000;
  const proof = { method: 'full' as const, columns_total: model.vars.length, columns_initial: model.vars.length, columns_final: model.vars.length, pricing_rounds: 0, lp_bound: null };
  if (!result.feasible) return { engine: 'javascript-lp-solver', status: 'infeasible', objective: null, gap: null, bound: null, proof, x: null, seconds };
  const x = model.vars.map((_, i) => {
    const value = result[varName(model, i)];
    return typeof value === 'number' ? value : 0;
  });
  const objective = objectiveOf(model, x);
  return { engine: 'javascript-lp-solver', status: 'optimal', objective, gap: 0, bound: objective, proof, x, seconds };
};
