// The planning pipeline of one dataset: county by county, check → model → engine → moves.
// The engine is passed in (HiGHS in a worker from the server/CLI, javascript-lp-solver in
// cross-checks), so everything here stays pure.
import type { PlanRow } from './contract/schemas.ts';
import type { Dataset } from './contract/dataset.ts';
import { type CountyContext, buildCountyContext, countiesOf } from './policy/county.ts';
import { baselineChanges, objectiveBreakdown } from './policy/objective.ts';
import { type Conflict, precheck } from './policy/precheck.ts';
import { type Move, rotationBudget } from './policy/rules.ts';
import { type BuiltModel, buildModel } from './model/county-model.ts';
import { movesFromSolution } from './model/decode-moves.ts';
import { type Engine, type EngineResult, type ProofStats, engineUntil } from './model/engine.ts';
import { greedyStart } from './model/greedy-start.ts';
import { bestStart, elasticStart } from './model/warm-start.ts';
import type { LinearModel } from './model/linear-model.ts';
import { explainElastic } from './report/infeasibility.ts';
import { planRows } from './report/plan-rows.ts';

export type PlanStatus = 'optimal' | 'feasible' | 'infeasible';

export interface CountyPlan {
  county: string;
  status: PlanStatus;
  /** Why there is no plan: 'conflict' (rules contradict) or 'time_limit' / 'engine_error'. */
  noPlanCause?: 'conflict' | 'time_limit' | 'engine_error';
  objective: number | null;
  gap: number | null;
  /** Lower bound on the objective of every plan of the whole model. */
  bound: number | null;
  engine: EngineResult['engine'] | null;
  seconds: { build: number; solve: number };
  model: { variables: number; integer_variables: number; rows: number; teacher_classes: number } | null;
  proof: ProofStats | null;
  budget: ReturnType<typeof rotationBudget>;
  /** Each objective term's value for the plan (their sum is the objective). */
  terms: ReturnType<typeof objectiveBreakdown>;
  /** Teachers assigned differently from the baseline (re-plans only). */
  baselineChanges: number | null;
  moves: Move[];
  rows: PlanRow[];
  conflicts: Conflict[];
  /** When no plan keeps every rule: the best plan that breaks only the rules named (NOT compliant). */
  noncompliant?: { rows: PlanRow[]; rules: string[] };
  message?: string;
}

export interface PlanOptions {
  /** Called with each county's full model before it is solved (for --export-lp). */
  onModel?: (county: string, model: LinearModel) => void;
  /** Counties solved at once (each in its own engine instance); counties are independent. */
  concurrency?: number;
  /**
   * A previous plan (plan.csv rows, any county) to re-plan against: its moves are kept unless a rule
   * needs a change or a change pays more than `weights.changeFromBaseline` per teacher.
   */
  baseline?: readonly PlanRow[];
  /**
   * A plan that keeps every rule of this county's model (e.g. the previous frontier point's, at a
   * smaller budget): the engine starts from it (or from the baseline or the greedy plan, when
   * lower), so the result is never worse than it. Ignored when it does not fit the model.
   */
  start?: readonly PlanRow[];
  /** With `baseline`: a move the baseline does not have is no change (the frontier's points). */
  baselineAdditionsFree?: boolean;
  /**
   * Date.now() by which every solve of the run is over (`lungang plan --time-limit`: the whole
   * command's limit less the report's time). Counties share what remains, `concurrency` at a time.
   */
  deadline?: number;
}

const modelStats = (b: BuiltModel) => ({
  variables: b.model.vars.length,
  integer_variables: b.model.vars.filter((v) => v.int).length,
  rows: b.model.rows.length,
  teacher_classes: b.classes.length,
});

export async function planCounty(ctx: CountyContext, engine: Engine, opts: PlanOptions = {}): Promise<CountyPlan> {
  const started = performance.now();
  const { timeLimitSeconds, mipRelGap, presolve } = ctx.policy.solver;
  // One time limit for the county, from the start of its check to its last solve (the elastic one
  // after an infeasible solve too), within the run's deadline: every solve gets what remains.
  const solve = engineUntil(engine, Math.min(Date.now() + timeLimitSeconds * 1000, opts.deadline ?? Infinity));
  const since = () => (performance.now() - started) / 1000;
  const budget = rotationBudget(ctx);
  const base = {
    county: ctx.county, moves: [] as Move[], rows: [] as PlanRow[], objective: null, gap: null, bound: null, budget, terms: [], baselineChanges: null,
  };
  const conflicts = precheck(ctx);
  if (conflicts.length > 0) {
    return { ...base, status: 'infeasible', noPlanCause: 'conflict', engine: null, seconds: { build: 0, solve: 0 }, model: null, proof: null, conflicts };
  }
  const against = opts.baseline ? { baseline: opts.baseline, baselineAdditionsFree: opts.baselineAdditionsFree === true } : {};
  const built = buildModel(ctx, against);
  // The lowest of: the given start, a re-plan's baseline, the greedy plan (those that keep every rule here).
  const mine = (rows?: readonly PlanRow[]) => rows?.filter((r) => ctx.teacherById.has(r.teacher_id));
  const start = bestStart(built, [mine(opts.start), mine(opts.baseline)], greedyStart(ctx, built));
  const build = since();
  opts.onModel?.(ctx.county, built.model);
  const engineOpts = { timeLimitSeconds, mipRelGap, presolve };
  const result = await solve(built.model, engineOpts, { active: built.initial, start });
  const seconds = { build, solve: result.seconds };
  const solved = { engine: result.engine, seconds, model: modelStats(built), proof: result.proof };
  if (result.status === 'infeasible') {
    const elastic = buildModel(ctx, { elastic: true, ...against });
    const relaxed = await solve(elastic.model, engineOpts, { active: elastic.initial, start: elasticStart(elastic) });
    const bestBroken = relaxed.x ? movesFromSolution(ctx, elastic, relaxed.x) : [];
    const found = relaxed.x ? explainElastic(ctx, elastic, relaxed.x, bestBroken) : [];
    return {
      ...base, ...solved, status: 'infeasible', noPlanCause: 'conflict',
      conflicts: found.length > 0 ? found : [{ rules: [], message: '规则之间互相矛盾，但未能定位到具体规则', shortBy: 0 }],
      ...(found.length > 0 ? { noncompliant: { rows: planRows(ctx, bestBroken), rules: [...new Set(found.map((c) => c.rules[0]!))] } } : {}),
    };
  }
  if (!result.x || result.status === 'no_solution' || result.status === 'error') {
    const cause = result.status === 'error' ? 'engine_error' : 'time_limit';
    const message = cause === 'time_limit'
      ? `${result.message ?? `在${timeLimitSeconds}秒内未找到方案`}（不代表无解；可延长求解时间）`
      : result.message ?? 'HiGHS 出错';
    return { ...base, ...solved, status: 'infeasible', noPlanCause: cause, conflicts: [{ rules: [cause], message, shortBy: 0 }], message };
  }
  const moves = movesFromSolution(ctx, built, result.x);
  // The objective reported is the exact one, term by term; the engine's bound is a bound on it too
  // (the model never overstates a plan), so the gap is re-measured against the exact value.
  const terms = objectiveBreakdown(built.objective, moves);
  const objective = terms.reduce((a, t) => a + t.value, 0);
  const gap = result.bound === null ? null : Math.max(0, objective - result.bound) / Math.max(1e-9, Math.abs(objective));
  return {
    ...base,
    ...solved,
    status: result.status === 'optimal' && gap !== null && gap <= mipRelGap + 1e-9 ? 'optimal' : 'feasible',
    objective,
    gap,
    bound: result.bound,
    terms,
    baselineChanges: built.objective.baseline ? baselineChanges(built.objective, moves) : null,
    moves,
    rows: planRows(ctx, moves, built.objective),
    conflicts: [],
    ...(result.message ? { message: result.message } : {}),
  };
}

/** Plans every county of the dataset, `concurrency` at a time; results in county order. */
export async function planDataset(ds: Dataset, engine: Engine, opts: PlanOptions = {}): Promise<CountyPlan[]> {
  const counties = countiesOf(ds);
  const plans: CountyPlan[] = new Array(counties.length);
  const lanes = Math.max(1, opts.concurrency ?? 1);
  let next = 0;
  const lane = async () => {
    while (next < counties.length) {
      const i = next++;
      // Under a deadline each county takes its share of what remains: this lane's part of the counties not yet started.
      const deadline = opts.deadline === undefined ? undefined : Date.now() + (opts.deadline - Date.now()) * Math.min(1, lanes / (counties.length - i));
      plans[i] = await planCounty(buildCountyContext(counties[i]!, ds), engine, { ...opts, ...(deadline === undefined ? {} : { deadline }) });
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return plans;
}
