// The trade-off frontier: the county planned once per rotation budget (point = the upper share
// `maxRotatedShareOfEligible`; the minimum stays the policy's), smallest share first. Each point
// starts from the previous point's plan (still within every rule, since the budget only grew) and
// re-plans against it as the stability baseline, so neighbouring plans differ little and the
// objective never gets worse as the share rises. Against that baseline only dropping or
// redirecting one of its moves costs `changeFromBaseline`; adding moves is what a larger budget
// is for. What each point reports is frontier.csv's row.
import { csvText } from './contract/csv-text.ts';
import type { Dataset } from './contract/dataset.ts';
import { STAGES, type Policy, type Stage } from './contract/schemas.ts';
import { type CountyContext, buildCountyContext, countiesOf, homeDistanceKm } from './policy/county.ts';
import { INDICATOR_KEYS, type IndicatorKey } from './policy/indicators.ts';
import { towardRuralOrWeak, unfilledNeeds } from './policy/objective.ts';
import type { Engine } from './model/engine.ts';
import { auditCounty } from './report/audit.ts';
import { type AchievableFields, type BoundsProgress, achievableFields, bestAchievable } from './report/best-achievable.ts';
import { type CountyPlan, type PlanStatus, planCounty } from './pipeline.ts';

/** The shares planned when none are given (the policy's minimum always comes first). */
export const DEFAULT_SHARES = [0.1, 0.12, 0.15, 0.2, 0.25] as const;

type CvColumn = `cv_${Stage}_${IndicatorKey}`;
export const CV_COLUMNS = STAGES.flatMap((s) => INDICATOR_KEYS.map((k) => `cv_${s}_${k}` as CvColumn));

/** frontier.csv's columns (data contract), in order. */
export const FRONTIER_COLUMNS = [
  'county', 'share', 'rotated', 'backbone_rotated', ...CV_COLUMNS, 'indicators_meeting_threshold', 'needs_unfilled',
  'toward_rural_or_weak', 'commute_km_total', 'objective', 'status', 'gap',
] as const;

/** One county at one point; the numbers are null when the point has no plan. */
export type FrontierRow = { county: string; share: number; status: PlanStatus; gap: number | null } & Record<CvColumn, number | null> & {
  rotated: number | null;
  backbone_rotated: number | null;
  indicators_meeting_threshold: number | null;
  needs_unfilled: number | null;
  toward_rural_or_weak: number | null;
  commute_km_total: number | null;
  /** The objective without the stability term (README "The trade-off frontier"). */
  objective: number | null;
};

/** A row with what the API adds beyond frontier.csv. */
export type FrontierPointRow = FrontierRow & {
  eligible: number;
  /** ⌈share × eligible⌉ (or the move locks, when more). */
  max_rotated: number;
  /** Whole-teacher need units short before any move (needs filled = this − needs_unfilled). */
  needs_unfilled_before: number;
  /** Teachers assigned differently from the previous point's plan (null at the first point). */
  changed_from_previous: number | null;
  audit_ok: boolean | null;
};

/** One county × stage × indicator at one point: the plan's CV against the lowest any plan could reach there. */
export type PointBest = { county: string; stage: Stage; indicator: IndicatorKey; cv_before: number; cv_plan: number | null } & AchievableFields;

export interface FrontierPoint {
  share: number;
  /** The dataset at this point's budget (its policy's upper share = `share`). */
  ds: Dataset;
  plans: CountyPlan[];
  rows: FrontierPointRow[];
  /** With `bounds`: the best achievable CVs at this point (counties with a plan). */
  best?: PointBest[];
}

export interface FrontierOptions {
  /** Before each county's solve at each point (for progress). */
  onSolve?: (index: number, share: number, county: string) => void;
  /** When a point is planned in every county. */
  onPoint?: (point: FrontierPoint, index: number) => void | Promise<void>;
  /**
   * Also the best achievable 差异系数 at every point (README "Best achievable"), once every point
   * is planned: a leader sees the plans first; this costs 6 or more solves per county and point.
   */
  bounds?: boolean;
  onBoundsProgress?: (index: number, share: number, progress: BoundsProgress) => void;
  /** When a point's best achievable CVs are known. */
  onBest?: (point: FrontierPoint, index: number) => void | Promise<void>;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** "0.10", "0.125": the share as plans/<share>/ and frontier.csv show it. */
export const shareLabel = (s: number): string => (Number(s.toFixed(2)) === s ? s.toFixed(2) : String(s));

/** The points to plan, ascending without repeats; every share in (0, 1] and not below the policy's minimum. */
export function frontierShares(policy: Policy, given?: readonly number[]): { shares: number[] } | { problem: string; problemEn: string } {
  const min = policy.ratios.minRotatedShareOfEligible;
  const shares = given ?? [min, ...DEFAULT_SHARES.filter((s) => s > min + 1e-9)];
  const bad = shares.find((s) => !Number.isFinite(s) || s <= 0 || s > 1);
  if (bad !== undefined) return { problem: `交流比例 ${bad} 应在 0–1 之间（如 0.15）`, problemEn: `share ${bad} must be within 0–1 (e.g. 0.15)` };
  const low = shares.find((s) => s < min - 1e-9);
  if (low !== undefined) {
    return { problem: `交流比例 ${low} 低于政策的最低交流比例 ${min}`, problemEn: `share ${low} is below the policy's minimum rotated share ${min}` };
  }
  if (shares.length === 0) return { problem: '至少需要一个交流比例', problemEn: 'at least one share is needed' };
  return { shares: [...new Set(shares)].sort((a, b) => a - b) };
}

/** The dataset with the point's upper share; everything else as the policy says. */
export function atShare(ds: Dataset, share: number): Dataset {
  return { ...ds, policy: { ...ds.policy, ratios: { ...ds.policy.ratios, maxRotatedShareOfEligible: share } } };
}

/**
 * The plan's objective without its stability term: with the previous point as baseline, the
 * engine's objective includes `changeFromBaseline` per teacher changed, which is not part of what
 * the plan buys. Every other term is the same function of the plan at every point.
 */
export const objectiveWithoutBaseline = (p: CountyPlan): number | null =>
  p.objective === null ? null : p.objective - (p.terms.find((t) => t.id === 'baseline_change')?.value ?? 0);

export function frontierRow(ctx: CountyContext, share: number, plan: CountyPlan): FrontierPointRow {
  const base = {
    county: ctx.county, share, status: plan.status, gap: plan.gap === null ? null : Number(plan.gap.toPrecision(3)), eligible: plan.budget.eligible, max_rotated: plan.budget.max,
    needs_unfilled_before: unfilledNeeds(ctx, []), changed_from_previous: plan.baselineChanges,
  };
  if (plan.status === 'infeasible') {
    const none = Object.fromEntries(CV_COLUMNS.map((c) => [c, null])) as Record<CvColumn, null>;
    return {
      ...base, ...none, rotated: null, backbone_rotated: null, indicators_meeting_threshold: null, needs_unfilled: null,
      toward_rural_or_weak: null, commute_km_total: null, objective: null, audit_ok: null,
    };
  }
  const audit = auditCounty(ctx, plan.moves);
  const cvAfter = new Map(audit.indicators.cv.map((c) => [`cv_${c.stage}_${c.indicator}`, c.after]));
  const cvs = Object.fromEntries(CV_COLUMNS.map((c) => {
    const cv = cvAfter.get(c)?.cv;
    return [c, cv === null || cv === undefined ? null : round(cv, 6)];
  })) as Record<CvColumn, number | null>;
  let km = 0;
  for (const m of plan.moves) km += homeDistanceKm(m.teacher, m.to) ?? 0;
  const objective = objectiveWithoutBaseline(plan);
  return {
    ...base, ...cvs,
    rotated: plan.moves.length,
    backbone_rotated: audit.counts.backbone_rotated,
    indicators_meeting_threshold: audit.indicators.cv.filter((c) => c.after.ok === true).length,
    needs_unfilled: unfilledNeeds(ctx, plan.moves),
    toward_rural_or_weak: plan.moves.filter(towardRuralOrWeak).length,
    commute_km_total: round(km, 1),
    objective: objective === null ? null : round(objective, 6),
    audit_ok: audit.ok,
  };
}

/** Plans every county at every share, ascending; each point starts from and re-plans against the previous point's plan. */
export async function planFrontier(ds: Dataset, engine: Engine, shares: readonly number[], opts: FrontierOptions = {}): Promise<FrontierPoint[]> {
  const counties = countiesOf(ds);
  // The last plan found per county: a point with no plan (a time limit) does not break the chain.
  const previous = new Map<string, CountyPlan>();
  const points: FrontierPoint[] = [];
  for (const [index, share] of shares.entries()) {
    const at = atShare(ds, share);
    const plans: CountyPlan[] = [];
    const rows: FrontierPointRow[] = [];
    for (const county of counties) {
      const ctx = buildCountyContext(county, at);
      const prev = previous.get(county);
      opts.onSolve?.(index, share, county);
      const plan = await planCounty(ctx, engine, prev ? { baseline: prev.rows, baselineAdditionsFree: true, start: prev.rows } : {});
      if (plan.status !== 'infeasible') previous.set(county, plan);
      plans.push(plan);
      rows.push(frontierRow(ctx, share, plan));
    }
    const point = { share, ds: at, plans, rows };
    points.push(point);
    await opts.onPoint?.(point, index);
  }
  if (opts.bounds) {
    for (const [index, point] of points.entries()) {
      point.best = await bestAtPoint(point, engine, (p) => opts.onBoundsProgress?.(index, point.share, p));
      await opts.onBest?.(point, index);
    }
  }
  return points;
}

/** The best achievable CV of every stage × indicator at one point, against that point's plan (audit rules kept). */
export async function bestAtPoint(point: FrontierPoint, engine: Engine, onProgress?: (p: BoundsProgress) => void): Promise<PointBest[]> {
  const counties = point.plans.filter((p) => p.status !== 'infeasible').map((p) => p.county);
  const found = await bestAchievable(point.ds, engine, { counties, plan: point.plans.flatMap((p) => p.rows), ...(onProgress ? { onProgress } : {}) });
  // The plan's CVs unrounded (frontier rows round to 6 digits): the plan may itself be the best witness.
  const audits = new Map(point.plans.filter((p) => counties.includes(p.county)).map((p) => [p.county, auditCounty(buildCountyContext(p.county, point.ds), p.moves)]));
  return found.map((b) => {
    const audit = audits.get(b.county)!;
    const after = audit.indicators.cv.find((c) => c.stage === b.stage && c.indicator === b.indicator)?.after.cv ?? null;
    const cvRow = { county: b.county, stage: b.stage, indicator: b.indicator, max: point.ds.policy.indicators.cvMax[b.stage], before: { cv: b.cv_before }, after: { cv: after } };
    return { county: b.county, stage: b.stage, indicator: b.indicator, cv_before: b.cv_before, cv_plan: after, ...achievableFields(b, cvRow, audit.ok) };
  });
}

/** frontier-best.csv's columns (`lungang frontier --bounds`): one row per county, point, stage and indicator. */
export const FRONTIER_BEST_COLUMNS = [
  'county', 'share', 'stage', 'indicator', 'cv_before', 'cv_plan', 'best_achievable', 'best_achievable_bound', 'best_achievable_proven', 'share_of_achievable', 'best_achievable_note',
] as const;

export const frontierBestCsvText = (points: readonly FrontierPoint[]): string =>
  csvText(points.flatMap((p) => (p.best ?? []).map((b) => ({ ...b, share: shareLabel(p.share) }))), FRONTIER_BEST_COLUMNS);

/** frontier.csv: exactly the contract's columns; a point with no plan leaves its numbers empty. */
export const frontierCsvText = (rows: readonly FrontierRow[]): string =>
  csvText(rows.map((r) => ({ ...r, share: shareLabel(r.share) })), FRONTIER_COLUMNS);
