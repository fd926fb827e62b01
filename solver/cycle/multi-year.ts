// A rotation cycle of several years (issue 12 item 5): year by year with the one-year optimiser,
// each year's moves applied to the roster before the next. The cycle's teachers are those eligible
// in its first year; each year's budget is raised so the ones not yet rotated are covered by the
// last year (⌈remaining ÷ years left⌉, never below the policy's 10%), and the other teachers who
// may move are held back by stay locks until the cycle's teachers are through — otherwise the
// optimiser would spend the budget on teachers who become eligible on the way. A teacher moved in
// the cycle (or by the history) is not moved again within the minimum term (history.ts locks).
// Where a year cannot meet the raised budget with the cycle's teachers alone (outflow caps, quotas,
// the backbone share, a 差异系数 that may not get worse), it is planned as a plain year — the
// policy's minimum, anyone who may move — and the cycle says so; teachers left over are listed
// with the reason.
import type { Dataset } from '../contract/dataset.ts';
import type { HistoryRow, Lock, PlanRow, Policy, Teacher } from '../contract/schemas.ts';
import { buildCountyContext, ceilShare, countiesOf, floorShare, isRuralOrWeak } from '../policy/county.ts';
import { assessEligibility } from '../policy/eligibility.ts';
import type { Engine } from '../model/engine.ts';
import { type CountyPlan, type PlanOptions, planDataset } from '../pipeline.ts';
import { type PlanAudit, auditPlan } from '../report/audit.ts';
import { type ReturnRow, historyLocks, planAsHistory, returnsDue, withHistoryCareers } from './history.ts';

export interface CycleYear {
  year: number;
  /** The year's input: roster at the start of the year, the year's locks and policy (its budget). */
  ds: Dataset;
  plans: CountyPlan[];
  rows: PlanRow[];
  returns: ReturnRow[];
  audit: PlanAudit;
  /** Cycle teachers not rotated before this year, still eligible now. */
  remaining_before: number;
  /** Rotations the year was asked for: ⌈remaining ÷ years left⌉, at least the policy's minimum. */
  target: number;
  /** True when the raised budget had no plan and the year was planned at the policy's minimum. */
  fell_back: boolean;
  /** Why the raised budget had no plan (the conflicts' messages), when it fell back. */
  why_fell_back: string[];
  cycle_rotated: number;
}

export interface LeftOver {
  teacher_id: string;
  school_id: string;
  reason: string;
}

/**
 * How many of the cycle's teachers any cycle could rotate, by two rules alone: the backbone share
 * (each year ≥ 20% of the rotated are backbone, so all years together rotate at most ⌊backbone ÷ 20%⌋)
 * and the outflow caps (a school sends at most years × ⌊20% × its teachers⌋). Below the cycle's
 * teachers, "every eligible teacher rotates" cannot be met, whatever the plan.
 */
export interface CycleBounds {
  backbone: number;
  by_backbone_share: number;
  by_outflow_caps: number;
}

export function cycleBounds(ds: Dataset, cycle: ReadonlySet<string>, years: number): CycleBounds {
  const own = ds.teachers.filter((t) => cycle.has(t.id));
  const backbone = own.filter((t) => t.backbone !== 'none').length;
  const share = ds.policy.ratios.minBackboneShareOfRotated;
  const staff = new Map<string, number>();
  const inCycle = new Map<string, number>();
  for (const t of ds.teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  for (const t of own) inCycle.set(t.school_id, (inCycle.get(t.school_id) ?? 0) + 1);
  const byCaps = [...inCycle].reduce((a, [s, n]) => a + Math.min(n, years * floorShare(ds.policy.limits.maxOutflowShareOfSchool, staff.get(s) ?? 0)), 0);
  return { backbone, by_backbone_share: share > 0 ? Math.floor(backbone / share + 1e-9) : own.length, by_outflow_caps: byCaps };
}

export interface CycleResult {
  years: CycleYear[];
  bounds: CycleBounds;
  /** Teachers eligible in the cycle's first year. */
  cycle_teachers: number;
  rotated: number;
  /** Cycle teachers who did not rotate, each with why. */
  left_over: LeftOver[];
}

const CYCLE_HOLD = '本轮交流周期先安排周期初符合条件、尚未交流的教师';

/** The roster a year later: transfers change school (tenure from 0), everyone one year on at the school they taught. */
export function rosterAfter(teachers: readonly Teacher[], rows: readonly PlanRow[], ds: Dataset): Teacher[] {
  const schoolById = new Map(ds.schools.map((s) => [s.id, s]));
  const moved = new Map<string, PlanRow>();
  for (const r of rows) if (!moved.has(r.teacher_id)) moved.set(r.teacher_id, r);
  return teachers.map((t) => {
    const m = moved.get(t.id);
    const whole = m && m.mode !== 'itinerant';
    const taughtAt = schoolById.get(whole ? m.to_school_id : t.school_id);
    return {
      ...t,
      // A transfer moves the post: tenure restarts; 支教/顶岗培养 keep the post (and its tenure) at home.
      school_id: m?.mode === 'transfer' ? m.to_school_id : t.school_id,
      years_at_school: m?.mode === 'transfer' ? 1 : t.years_at_school + 1,
      schools_worked: t.schools_worked + (m?.mode === 'transfer' || m?.mode === 'support' ? 1 : 0),
      rural_weak_years: t.rural_weak_years + (taughtAt && isRuralOrWeak(taughtAt) && m?.mode !== 'shadow' ? 1 : 0),
    };
  });
}

/**
 * The year's budget as a policy: the minimum share raised so that ⌈share × eligible⌉ = target (in a
 * file of several counties the same share applies to each, so each county carries its part).
 */
function policyFor(base: Policy, target: number, eligible: number): Policy {
  if (target <= ceilShare(base.ratios.minRotatedShareOfEligible, eligible) || eligible === 0) return base;
  const share = target / eligible;
  const max = base.ratios.maxRotatedShareOfEligible;
  return { ...base, ratios: { ...base.ratios, minRotatedShareOfEligible: share, maxRotatedShareOfEligible: max === null ? null : Math.max(max, share) } };
}

const infeasible = (plans: readonly CountyPlan[]) => plans.some((p) => p.status === 'infeasible');

/**
 * Plans `years` years from the dataset's plan year. One county at a time is the caller's choice
 * through `opts.concurrency`; the cycle's counts are county-wide sums.
 */
export async function planCycle(ds0: Dataset, engine: Engine, years: number, opts: PlanOptions = {}): Promise<CycleResult> {
  let history: HistoryRow[] = [...(ds0.history ?? [])];
  let teachers = withHistoryCareers(ds0.teachers, history, ds0.schools, ds0.policy);
  const first = ds0.policy.year;
  const cycle = new Set(teachers.filter((t) => assessEligibility(t, ds0.policy).eligible).map((t) => t.id));
  const rotated = new Set<string>();
  const out: CycleYear[] = [];
  for (let k = 0; k < years; k++) {
    const year = first + k;
    const at = { ...ds0.policy, year };
    const elig = new Map(teachers.map((t) => [t.id, assessEligibility(t, at)]));
    const remaining = [...cycle].filter((id) => !rotated.has(id) && elig.get(id)?.eligible);
    const eligible = [...elig.values()].filter((e) => e.eligible).length;
    const minimum = countiesOf({ ...ds0, teachers }).reduce((a, c) => a + ceilShare(at.ratios.minRotatedShareOfEligible, buildCountyContext(c, { ...ds0, teachers, policy: at }).eligibleCount), 0);
    const target = Math.max(minimum, Math.ceil(remaining.length / (years - k)));
    // The planner's locks.csv is about the first year; later years have only the history's and the cycle's.
    const own = k === 0 ? ds0.locks : [];
    const fromHistory = historyLocks(history, at, new Set(own.map((l) => l.teacher_id)));
    const locked = new Set([...own, ...fromHistory].map((l) => l.teacher_id));
    const remainingSet = new Set(remaining);
    // Hold back the others only while the cycle's own teachers can fill the year's minimum.
    const hold: Lock[] = remaining.length >= minimum
      ? teachers.filter((t) => elig.get(t.id)?.mayMove && !remainingSet.has(t.id) && !locked.has(t.id)).map((t): Lock => ({ teacher_id: t.id, action: 'stay', reason: CYCLE_HOLD }))
      : [];
    const base: Dataset = { ...ds0, teachers, history, locks: [...own, ...fromHistory] };
    let yds: Dataset = { ...base, locks: [...base.locks, ...hold], policy: policyFor(at, target, eligible) };
    let plans = await planDataset(yds, engine, opts);
    const fellBack = infeasible(plans) && (target > minimum || hold.length > 0);
    const whyFellBack = fellBack ? plans.flatMap((p) => p.conflicts.map((c) => c.message)) : [];
    if (fellBack) {
      // The policy's own year: its minimum, every teacher who may move free to be chosen.
      yds = { ...base, policy: at };
      plans = await planDataset(yds, engine, opts);
    }
    const rows = plans.flatMap((p) => p.rows);
    const cycleRotated = rows.filter((r) => remainingSet.has(r.teacher_id) && yds.policy.modes[r.mode].countsTowardRotation);
    for (const r of cycleRotated) rotated.add(r.teacher_id);
    out.push({
      year, ds: yds, plans, rows, returns: returnsDue(history, at), audit: auditPlan(yds, rows),
      remaining_before: remaining.length, target: fellBack ? minimum : target, fell_back: fellBack, why_fell_back: whyFellBack, cycle_rotated: new Set(cycleRotated.map((r) => r.teacher_id)).size,
    });
    if (infeasible(plans)) break;
    history = [...history, ...planAsHistory(rows, year)];
    teachers = rosterAfter(teachers, rows, ds0);
  }
  return { years: out, bounds: cycleBounds({ ...ds0, teachers: withHistoryCareers(ds0.teachers, ds0.history ?? [], ds0.schools, ds0.policy) }, cycle, years), cycle_teachers: cycle.size, rotated: rotated.size, left_over: leftOver(ds0, cycle, rotated, teachers, out) };
}

/** Why each cycle teacher who did not rotate stayed: no longer eligible, or not chosen in the last year planned. */
function leftOver(ds0: Dataset, cycle: ReadonlySet<string>, rotated: ReadonlySet<string>, teachers: readonly Teacher[], years: readonly CycleYear[]): LeftOver[] {
  const last = years.at(-1);
  const byId = new Map(teachers.map((t) => [t.id, t]));
  return [...cycle].filter((id) => !rotated.has(id)).map((id) => {
    const t = byId.get(id)!;
    const e = last ? assessEligibility(t, last.ds.policy) : undefined;
    const why = !e?.eligible ? `已不符合交流条件：${e?.reason ?? ''}`
      : last && infeasible(last.plans) ? `${last.year}年无可行方案`
      : last?.fell_back ? `${last.year}年只安排本周期教师时无可行方案（${last.why_fell_back[0] ?? ''}），按最低比例安排，未能轮到`
      : `${last?.year ?? ds0.policy.year}年未被选中`;
    return { teacher_id: id, school_id: t.school_id, reason: why };
  });
}
