// Best achievable 差异系数, per county × stage × indicator: the lowest CV that any plan keeping
// every rule (budget, shares, caps, quota, move rules, locks and — when on — the never-worse
// switch) could reach at the same rotation budget. The county is solved with that one CV² as the
// whole objective, to proof within CV_TOLERANCE, and the number published is the CV of the plan the
// solve returns, computed like the report's "after": always a real CV of a real plan.
//
// The model's CV term is exact while no counted teacher crosses the CV scope's edge (a 教学点
// under the size floor); when one may, the term is first order in the county total R, so one solve
// could miss the true minimum. Then the proof goes on per value d of that net crossing: at a fixed
// d the term is exact (R = R0 + d), and the first solve's bound already bounds every d, so only
// the d whose bound is below the best plan found are solved again with d fixed — first their LP
// relaxation (seconds; it closes most of them), then the MIP of those it leaves open.
import type { Policy, Stage } from '../contract/schemas.ts';
import type { Dataset } from '../contract/dataset.ts';
import { type CountyContext, buildCountyContext, countiesOf, floorShare, quotaOf } from '../policy/county.ts';
import type { IndicatorKey } from '../policy/indicators.ts';
import { type CvPair, cvAfter, cvPairs } from '../policy/objective.ts';
import { movesMax, postMayStay, servedSchools } from '../policy/rules.ts';
import { type BuiltModel, buildModel, scopeCrossing } from '../model/county-model.ts';
import { movesFromSolution } from '../model/decode-moves.ts';
import type { Engine } from '../model/engine.ts';
import { greedyStart } from '../model/greedy-start.ts';
import { bestStart } from '../model/warm-start.ts';
import { Terms } from '../model/linear-model.ts';

/** The focus term is SCALE·CV²: HiGHS's absolute gap (1e-6) is then 1e-10 in CV². */
const SCALE = 1e4;
/**
 * How close the proof must be, in CV: proven means no plan's CV is below best − this. Half the
 * last digit the report shows (0.379): closer costs minutes of branch and bound on a county and
 * changes nothing a reader sees. The tests pass 1e-9 to check the method against enumeration.
 */
export const CV_TOLERANCE = 5e-4;
/** MIP solves per pair at most (scope crossings only); past it the bound stays as proven so far. */
const MAX_SOLVES = 4;
/** LP relaxations per pair at most (one per crossing value d, lowest bound first). */
const MAX_RELAXATIONS = 16;

export interface BestAchievable {
  county: string;
  stage: Stage;
  indicator: IndicatorKey;
  cv_before: number;
  /** CV of the best plan found that keeps every rule; null when no plan was found in time. */
  best_achievable: number | null;
  /** Proven lower bound on the CV of every plan that keeps every rule. */
  bound: number | null;
  /** best_achievable − bound ≤ the tolerance (CV_TOLERANCE unless asked closer): no plan does better by more. */
  proven: boolean;
  /** Engine solves used (1 unless teachers may cross the CV scope's edge). */
  solves: number;
}

/** Plan rows as a start (startFromPlan's input). */
type PlanStart = Parameters<typeof bestStart>[1][number];

export interface BoundsProgress {
  county: string;
  done: number;
  total: number;
}

/**
 * The policy of a best-achievable solve: only the focus CV counts. Every other weight is 0 — the
 * ones added later too: a term left in would shift the model's value, and the bound read from it.
 */
export function focusPolicy(p: Policy): Policy {
  const { cvBalance, cvOverThreshold, cvIndicator, ...rest } = p.weights;
  const zero = Object.fromEntries(Object.keys(rest).map((k) => [k, 0])) as typeof rest;
  return { ...p, weights: { cvBalance, cvOverThreshold, cvIndicator, ...zero } };
}

/**
 * What a solve proves about Q = Σ R_i²/P_i: every plan (with net scope crossing d) has
 * Q ≥ q0 + k·d, k = 2·Q0/R0 the model's first-order crossing price. The focus model's value is
 * M = s·(P·Q/R0² − 1) − s·P·k·d/R0² (SCALE = s), so a proven bound B gives q0 = (R0²/P)·(B/s + 1).
 */
interface Line {
  q0: number;
  /** Only for this d (a solve with d fixed); undefined: for every d. */
  d?: number;
}

const lineOf = (p: CvPair, B: number, d?: number): Line => ({ q0: ((p.R0 * p.R0) / p.P) * (B / SCALE + 1), ...(d === undefined ? {} : { d }) });

/** The best lower bound on CV² = P·Q/(R0 + d)² − 1 the lines give at d. */
export function cv2Bound(p: CvPair, lines: readonly Line[], d: number): number {
  const r = p.R0 + d;
  if (r <= 0) return Infinity;
  const q = Math.max(...lines.filter((l) => l.d === undefined || l.d === d).map((l) => l.q0 + ((2 * p.Q0) / p.R0) * d));
  return (p.P * q) / (r * r) - 1;
}

/** Net crossings of the pair's scope edge any plan could make: [lo, hi] (0 both when nobody can cross). */
export function crossingRange(ctx: CountyContext, built: BuiltModel, p: CvPair): { lo: number; hi: number } {
  const budget = movesMax(ctx);
  const staff = (s: string) => ctx.staffBefore.get(s) ?? 0;
  // 走教 counts toward neither cap nor quota, 支教 and 顶岗培养 not toward the quota: then only members and the moves a plan may make bound a crossing.
  const cap = (s: string) => (ctx.policy.modes.itinerant.allowed ? Infinity : floorShare(ctx.policy.limits.maxOutflowShareOfSchool, staff(s)));
  const inflow = (s: string) =>
    postMayStay(ctx) ? Infinity : Math.max(quotaOf(ctx.schoolById.get(s)!, ctx.policy).quota, staff(s)) - staff(s) + cap(s);
  const out = new Map<string, Set<number>>(); // origin outside the scope → classes that may enter it
  const into = new Map<string, Set<number>>(); // destination outside the scope → classes that may leave it
  for (const f of built.flows) {
    const c = scopeCrossing(p, f);
    // A 走教 out of the scope may serve several schools: one outside the scope stands for them (走教 bounds no inflow).
    const [m, school] = c > 0 ? [out, f.cls.origin.id] : [into, (servedSchools(f).find((s) => !p.schools.has(s.id)) ?? f.to).id];
    if (c !== 0) m.set(school, (m.get(school) ?? new Set()).add(f.cls.id));
  }
  const members = (ids: Set<number>) => [...ids].reduce((a, id) => a + built.classes[id]!.members.length, 0);
  const sum = (m: Map<string, Set<number>>, limit: (s: string) => number) =>
    Math.min(budget, [...m].reduce((a, [s, ids]) => a + Math.min(limit(s), members(ids)), 0));
  return { lo: -sum(into, inflow), hi: sum(out, cap) };
}

interface Solved {
  cv2: number | null;
  line: Line;
  /** Solved to the gap target (not stopped by the time limit). */
  optimal: boolean;
  /** The net crossing fixed in this solve (undefined: free), and whether only the LP was solved. */
  d?: number;
  relaxation: boolean;
}

/**
 * One solve of the focus model from the greedy plan `start`, with the net scope crossing fixed to d
 * when given, to the relative gap that keeps the CV within `tol` (CV − CV_lb ≤ gap·CV/2 ≤ gap·CV_before/2).
 */
async function solveFocus(ctx: CountyContext, built: BuiltModel, start: Float64Array | null, pair: CvPair, engine: Engine, tol: number, d?: number, relaxation = false): Promise<Solved> {
  const focus = built.pairs.find((q) => q.stage === pair.stage && q.indicator === pair.indicator)!;
  const terms = new Terms();
  for (const f of built.flows) terms.add(f.v, scopeCrossing(focus, f));
  const row = d === undefined ? [] : [{ name: 'scope_d', idx: terms.idx, coef: terms.coef, lb: d, ub: d }];
  const model = { ...built.model, rows: [...built.model.rows, ...row] };
  const crossing = (x: Float64Array) => terms.idx.reduce((a, j, k) => a + terms.coef[k]! * x[j]!, 0);
  // The engine trusts a start as feasible: the greedy plan is offered only when it keeps the d row too.
  const usable = start && (d === undefined || Math.abs(crossing(start) - d) < built.step / 2) ? start : null;
  // With d fixed the first restricted model needs the crossing flows, or its LP has no solution and every column joins.
  const active = d === undefined ? built.initial : Uint8Array.from(built.initial);
  if (d !== undefined) for (const j of terms.idx) active[j] = 1;
  const { timeLimitSeconds, presolve } = ctx.policy.solver;
  const mipRelGap = Math.max(1e-9, (2 * tol) / Math.max(pair.cvBefore, 1e-9));
  const r = await engine(model, { timeLimitSeconds, mipRelGap, presolve, relaxationOnly: relaxation }, { active, start: relaxation ? null : usable });
  const how = { d, relaxation };
  if (r.status === 'infeasible') return { cv2: null, line: lineOf(pair, Infinity, d), optimal: true, ...how };
  const line = lineOf(pair, r.bound ?? -Infinity, d);
  if (!r.x) return { cv2: null, line, optimal: r.status === 'optimal', ...how };
  return { cv2: cvAfter(pair, ctx, movesFromSolution(ctx, built, r.x)).cv ** 2, line, optimal: r.status === 'optimal', ...how };
}

/**
 * The lowest CV of one stage × indicator under every rule, with its proof (see the file comment):
 * the model as built, then — lowest bound first — each net crossing d whose bound is still below
 * the best plan, with d fixed (where the crossing price no longer matters). When a solve stops at
 * the time limit, or after MAX_SOLVES, the bound proven so far is reported (proven: false).
 */
export async function bestForPair(ctx: CountyContext, pair: CvPair, engine: Engine, tol = CV_TOLERANCE, plan?: PlanStart): Promise<BestAchievable> {
  const focusCtx = { ...ctx, policy: focusPolicy(ctx.policy) };
  const built = buildModel(focusCtx, { focus: { stage: pair.stage, indicator: pair.indicator, scale: SCALE } });
  const { lo, hi } = crossingRange(focusCtx, built, pair);
  // Net crossings move in CV steps: whole teachers, or 走教 shares when 走教 is allowed.
  const ds = Array.from({ length: Math.round((hi - lo) / built.step) + 1 }, (_, i) => lo + i * built.step);
  const solved: Solved[] = [];
  // CV from CV²; ±Infinity stay (no plan / no bound yet).
  const cv = (x: number) => (Number.isFinite(x) ? Math.sqrt(Math.max(0, x)) : x === Infinity ? Infinity : -Infinity);
  const bound = (d: number) => cv(cv2Bound(pair, solved.map((s) => s.line), d));
  const best = () => cv(Math.min(...solved.map((s) => s.cv2 ?? Infinity)));
  const done = (d: number, relaxation: boolean) => solved.some((s) => s.d === d && s.relaxation === relaxation);
  const count = (relaxation: boolean) => solved.filter((s) => s.relaxation === relaxation).length;
  // First the model as built (d free), then the open d with the lowest bound, until none is open:
  // its LP with d fixed (a second or two), and only if that leaves it open, its MIP. A d whose MIP
  // was solved is closed: its bound is as good as that solve proves.
  const next = (): { d?: number; relaxation: boolean } | null => {
    if (solved.length === 0) return { relaxation: false };
    // A solve stopped by the time limit: more solves of the same county would be too, so its bound stands.
    if (!solved.at(-1)!.optimal) return null;
    const open = ds.filter((d) => bound(d) < best() - tol && !done(d, false)).sort((a, b) => bound(a) - bound(b));
    const lp = open.find((d) => !done(d, true));
    if (lp !== undefined && count(true) < MAX_RELAXATIONS) return { d: lp, relaxation: true };
    return open.length === 0 || count(false) >= MAX_SOLVES ? null : { d: open[0]!, relaxation: false };
  };
  // The run's plan keeps every rule of the focus model too (only the weights differ): the better of it and the greedy plan starts.
  const start = bestStart(built, [plan?.filter((r) => ctx.teacherById.has(r.teacher_id))], greedyStart(focusCtx, built));
  for (let step = next(); step; step = next()) solved.push(await solveFocus(focusCtx, built, start, pair, engine, tol, step.d, step.relaxation));
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const [b, l] = [finite(best()), finite(Math.min(best(), ...ds.map(bound)))];
  return {
    county: ctx.county, stage: pair.stage, indicator: pair.indicator, cv_before: pair.cvBefore,
    best_achievable: b, bound: l, proven: b !== null && l !== null && b - l <= tol + 1e-12, solves: solved.length,
  };
}

export interface BestAchievableOptions {
  /** Only these counties (e.g. those with a plan); default every county. */
  counties?: readonly string[];
  onProgress?: (p: BoundsProgress) => void;
  /** The plan these bounds are for (every county's rows): a start no worse than it for each solve. */
  plan?: PlanStart;
}

/** Every county × stage × indicator with a CV, in report order. */
export async function bestAchievable(ds: Dataset, engine: Engine, opts: BestAchievableOptions = {}): Promise<BestAchievable[]> {
  const out: BestAchievable[] = [];
  const counties = countiesOf(ds).filter((c) => !opts.counties || opts.counties.includes(c)).map((c) => buildCountyContext(c, ds));
  const work = counties.flatMap((ctx) => cvPairs(ctx).map((pair) => ({ ctx, pair })));
  for (const { ctx, pair } of work) {
    opts.onProgress?.({ county: ctx.county, done: out.length, total: work.length });
    out.push(await bestForPair(ctx, pair, engine, CV_TOLERANCE, opts.plan));
  }
  return out;
}

// ── report.json: indicators.cv[] rows gain the best achievable and the plan's share of it ────

/** The fields a report's CV row gains (data contract: indicators…best_achievable, share_of_achievable). */
export interface AchievableFields {
  best_achievable: number | null;
  best_achievable_bound: number | null;
  best_achievable_proven: boolean;
  /** (CV before − CV plan) ÷ (CV before − best); null when rotation cannot lower this CV at all. */
  share_of_achievable: number | null;
  threshold_reachable: boolean | null;
  /** e.g. 仅靠交流无法降到0.50：最低可达0.67 (when the threshold is out of reach). */
  best_achievable_note: string | null;
}

export interface CvRowLike {
  county: string;
  stage: Stage;
  indicator: string;
  max: number;
  before: { cv: number | null };
  after: { cv: number | null };
}

/** Below this a CV reduction is nothing: the share of "nothing achievable" is undefined (null). */
const NO_REDUCTION = 1e-9;

export function achievableFields(b: BestAchievable | undefined, row: CvRowLike, planKeepsRules: boolean): AchievableFields {
  const none = { best_achievable: null, best_achievable_bound: null, best_achievable_proven: false, share_of_achievable: null, threshold_reachable: null, best_achievable_note: null };
  if (!b || b.best_achievable === null || row.before.cv === null) return none;
  // The plan keeps every rule too: when a bound solve stopped at its time limit above it, the plan is the better witness.
  const best = planKeepsRules && row.after.cv !== null ? Math.min(b.best_achievable, row.after.cv) : b.best_achievable;
  const reduction = row.before.cv - best;
  const reachable = best <= row.max + 1e-9;
  return {
    best_achievable: best,
    best_achievable_bound: b.bound,
    best_achievable_proven: b.bound !== null && best - b.bound <= CV_TOLERANCE + 1e-12,
    share_of_achievable: reduction > NO_REDUCTION && row.after.cv !== null ? (row.before.cv - row.after.cv) / reduction : null,
    threshold_reachable: reachable,
    best_achievable_note: reachable ? null : `仅靠交流无法降到${row.max.toFixed(2)}：最低可达${best.toFixed(2)}`,
  };
}

type ReportLike = { audit_ok: boolean; indicators: { cv: CvRowLike[] } };
export type WithAchievable<R extends ReportLike> = Omit<R, 'indicators'> & {
  indicators: Omit<R['indicators'], 'cv'> & { cv: (R['indicators']['cv'][number] & AchievableFields)[] };
};

/** The report with every CV row's achievable fields (rows without a computed bound get nulls). */
export function withBestAchievable<R extends ReportLike>(report: R, bounds: readonly BestAchievable[]): WithAchievable<R> {
  const find = (r: CvRowLike) => bounds.find((b) => b.county === r.county && b.stage === r.stage && b.indicator === r.indicator);
  const cv = report.indicators.cv.map((r) => ({ ...r, ...achievableFields(find(r), r, report.audit_ok) }));
  // TypeScript cannot spread a generic R into Omit<R, …>; the shape is exactly WithAchievable<R>.
  return { ...report, indicators: { ...report.indicators, cv } } as unknown as WithAchievable<R>;
}
