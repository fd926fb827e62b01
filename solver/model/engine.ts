// What every engine returns, and javascript-lp-solver as the independent cross-check engine
// (pure JavaScript, dense tableau: only for small models — see solver-notes.md).
import jsLpModule from 'javascript-lp-solver';
import { type LinearModel, objectiveOf, toJsLpSolverModel } from './linear-model.ts';

// The package's types describe its CommonJS build (solver on `default`); Node loads its ESM
// build, whose default export is the solver itself.
const jsLpSolver = jsLpModule as unknown as typeof jsLpModule.default;

export type EngineStatus = 'optimal' | 'feasible' | 'infeasible' | 'no_solution' | 'error';

export interface EngineResult {
  engine: 'highs' | 'javascript-lp-solver';
  status: EngineStatus;
  objective: number | null;
  /** Relative MIP gap of the returned solution (0 when proved optimal). */
  gap: number | null;
  /** Column values in model order, when a solution exists. */
  x: number[] | null;
  seconds: number;
  message?: string;
}

export interface EngineOptions {
  timeLimitSeconds: number;
  mipRelGap: number;
  presolve?: 'off' | 'choose' | 'on';
}

/** Any engine: the planner takes one of these, so tests and the server can choose. */
export type Engine = (model: LinearModel, options: EngineOptions) => Promise<EngineResult>;

export const jsLpSolverEngine: Engine = async (model) => {
  const started = performance.now();
  const result = jsLpSolver.Solve(toJsLpSolverModel(model)) as Record<string, number | boolean | undefined>;
  const seconds = (performance.now() - started) / 1000;
  if (!result.feasible) return { engine: 'javascript-lp-solver', status: 'infeasible', objective: null, gap: null, x: null, seconds };
  const x = model.vars.map((v) => {
    const value = result[v.name];
    return typeof value === 'number' ? value : 0;
  });
  return { engine: 'javascript-lp-solver', status: 'optimal', objective: objectiveOf(model, x), gap: 0, x, seconds };
};
