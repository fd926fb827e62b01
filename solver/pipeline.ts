// The planning pipeline of one dataset: county by county, check → model → engine → moves.
// The engine is passed in (HiGHS in a worker from the server/CLI, javascript-lp-solver in
// cross-checks), so everything here stays pure.
import type { PlanRow } from './contract/schemas.ts';
import { type CountyContext, buildCountyContext, countiesOf } from './policy/county.ts';
import type { Dataset } from './contract/dataset.ts';
import type { Engine, EngineResult } from './model/engine.ts';
import { explainElastic } from './report/infeasibility.ts';
import { type Conflict, precheck } from './policy/precheck.ts';
import { type LinearModel } from './model/linear-model.ts';
import { type BuiltModel, buildModel } from './model/county-model.ts';
import { movesFromSolution, planRows } from './report/plan-rows.ts';
import type { Move } from './policy/rules.ts';

export type PlanStatus = 'optimal' | 'feasible' | 'infeasible';

export interface CountyPlan {
  county: string;
  status: PlanStatus;
  /** Why there is no plan: 'conflict' (rules contradict) or 'time_limit' / 'engine_error'. */
  noPlanCause?: 'conflict' | 'time_limit' | 'engine_error';
  objective: number | null;
  gap: number | null;
  engine: EngineResult['engine'] | null;
  seconds: { build: number; solve: number };
  model: { variables: number; integer_variables: number; rows: number; teacher_classes: number; pruned: boolean } | null;
  moves: Move[];
  rows: PlanRow[];
  conflicts: Conflict[];
  message?: string;
}

export interface PlanOptions {
  /** Called with each county's model before it is solved (for --export-lp). */
  onModel?: (county: string, model: LinearModel) => void;
  /** Counties solved at once (each in its own engine instance); counties are independent. */
  concurrency?: number;
  /**
   * A previous plan (plan.csv rows, any county) to re-plan against: its moves are kept unless a rule
   * needs a change or a change pays more than `weights.changeFromBaseline` per teacher.
   */
  baseline?: readonly PlanRow[];
}

const modelStats = (b: BuiltModel) => ({
  variables: b.model.vars.length,
  integer_variables: b.model.vars.filter((v) => v.int).length,
  rows: b.model.rows.length,
  teacher_classes: b.classes.length,
  pruned: b.pruned,
});

export async function planCounty(ctx: CountyContext, engine: Engine, opts: PlanOptions = {}): Promise<CountyPlan> {
  const base = { county: ctx.county, moves: [] as Move[], rows: [] as PlanRow[], objective: null, gap: null };
  const conflicts = precheck(ctx);
  if (conflicts.length > 0) {
    return { ...base, status: 'infeasible', noPlanCause: 'conflict', engine: null, seconds: { build: 0, solve: 0 }, model: null, conflicts };
  }
  const { timeLimitSeconds, mipRelGap, presolve } = ctx.policy.solver;
  const engineOpts = { timeLimitSeconds, mipRelGap, presolve };
  let build = 0;
  let solve = 0;
  const attempt = async (prune: boolean, elastic = false) => {
    const t0 = performance.now();
    const built = buildModel(ctx, { prune, elastic });
    build += (performance.now() - t0) / 1000;
    if (!elastic) opts.onModel?.(ctx.county, built.model);
    const result = await engine(built.model, engineOpts);
    solve += result.seconds;
    return { built, result };
  };
  // Pruned destinations first; a pruned model that is infeasible may only lack a destination.
  let { built, result } = await attempt(true);
  if (result.status === 'infeasible') ({ built, result } = await attempt(false));
  const seconds = () => ({ build, solve });
  if (result.status === 'infeasible') {
    const elastic = await attempt(false, true);
    const found = elastic.result.x ? explainElastic(ctx, elastic.built, elastic.result.x) : [];
    return {
      ...base, status: 'infeasible', noPlanCause: 'conflict', engine: result.engine, seconds: seconds(), model: modelStats(built),
      conflicts: found.length > 0 ? found : [{ rules: [], message: '规则之间互相矛盾，但未能定位到具体规则', shortBy: 0 }],
    };
  }
  if (!result.x || result.status === 'no_solution' || result.status === 'error') {
    const cause = result.status === 'error' ? 'engine_error' : 'time_limit';
    const message = result.message ?? `在${engineOpts.timeLimitSeconds}秒内未找到可行方案`;
    return {
      ...base, status: 'infeasible', noPlanCause: cause, engine: result.engine, seconds: seconds(), model: modelStats(built),
      conflicts: [{ rules: [cause], message, shortBy: 0 }], message,
    };
  }
  const moves = movesFromSolution(ctx, built, result.x);
  return {
    county: ctx.county,
    status: result.status === 'optimal' ? 'optimal' : 'feasible',
    objective: result.objective,
    gap: result.gap,
    engine: result.engine,
    seconds: seconds(),
    model: modelStats(built),
    moves,
    rows: planRows(ctx, moves),
    conflicts: [],
    ...(result.message ? { message: result.message } : {}),
  };
}

/** Plans every county of the dataset, `concurrency` at a time; results in county order. */
export async function planDataset(ds: Dataset, engine: Engine, opts: PlanOptions = {}): Promise<CountyPlan[]> {
  const counties = countiesOf(ds);
  const plans: CountyPlan[] = new Array(counties.length);
  let next = 0;
  const lane = async () => {
    while (next < counties.length) {
      const i = next++;
      plans[i] = await planCounty(buildCountyContext(counties[i]!, ds), engine, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
  return plans;
}
