// A rotation cycle of several years (issue 12 item 5): year by year with the one-year optimiser,
// each year's moves applied to the roster before the next. The cycle's teachers are those eligible
// in its first year; each year's budget is raised so the ones not yet rotated are covered by the
// last year (⌈remaining ÷ years left⌉, never below the policy's 10%, never above what the outflow
// caps let go), and the other teachers who may move are held back by stay locks until the cycle's
// teachers are through — otherwise the optimiser would spend the budget on teachers who become
// eligible on the way; some backbone teachers are kept for the later years' 20% share. A teacher
// moved in the cycle (or by the history) is not moved again within the minimum term (history.ts).
// Where a year cannot meet its target (outflow caps, quotas, the backbone share, a 差异系数 that may
// not get worse), it is asked for fewer, then planned as a plain year — the policy's minimum,
// anyone who may move — and the cycle says so; teachers left over are listed with the reason.
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
  /** Rotations the year's plan was finally held to: the target, or less when that had no plan. */
  asked: number;
  /** True when the target had no plan: fewer were asked (as many as the rules let go), or a plain year at the policy's minimum. */
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
  return { backbone, by_backbone_share: share > 0 ? Math.floor(backbone / share + 1e-9) : own.length, by_outflow_caps: withinCaps(ds.teachers, cycle, ds.policy, years) };
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

/**
 * Backbone teachers of the cycle kept for later years: the optimiser would rather move them early
 * (they even out the backbone 差异系数 most), and the last year then lacks the backbone its 20% share
 * needs (the sample county: 25 left where 70 were needed). The years after this one need
 * ⌈20% × (remaining − target)⌉ backbone; those are held, the youngest, since the oldest are the
 * next to pass the age cap.
 */
function backboneReserve(free: readonly Teacher[], policy: Policy, target: number, remaining: number): Lock[] {
  const backbone = free.filter((t) => t.backbone !== 'none').sort((a, b) => b.birth_year - a.birth_year || a.id.localeCompare(b.id));
  const keep = Math.min(ceilShare(policy.ratios.minBackboneShareOfRotated, remaining - target), backbone.length - ceilShare(policy.ratios.minBackboneShareOfRotated, target));
  return backbone.slice(0, Math.max(0, keep)).map((t) => ({ teacher_id: t.id, action: 'stay', reason: `${CYCLE_HOLD}：骨干教师留待以后年度，保证各年骨干比例` }));
}

/** How many of `ids` the schools' outflow caps let go in `years` years: Σ per school min(those there, years × ⌊20% × its teachers⌋). */
function withinCaps(teachers: readonly Teacher[], ids: ReadonlySet<string>, policy: Policy, years = 1): number {
  const staff = new Map<string, number>();
  const there = new Map<string, number>();
  for (const t of teachers) {
    staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
    if (ids.has(t.id)) there.set(t.school_id, (there.get(t.school_id) ?? 0) + 1);
  }
  return [...there].reduce((a, [s, n]) => a + Math.min(n, years * floorShare(policy.limits.maxOutflowShareOfSchool, staff.get(s) ?? 0)), 0);
}

/** How many rounds a year is asked for fewer before it is planned as a plain year. */
const FEWER_ROUNDS = 4;

/**
 * One year, tried in turn: the cycle's teachers with backbone kept for later years; without; asked
 * for fewer (less what the conflicts say is short, then halfway to the minimum); then a plain year (the policy's
 * minimum, every teacher who may move free to be chosen). The messages of the attempts that failed
 * say why the year fell back.
 */
async function planYear(y: { held: Dataset; reserve: Lock[]; plain: Dataset; target: number; minimum: number; eligible: number }, engine: Engine, opts: PlanOptions) {
  const at = (n: number): Dataset => ({ ...y.held, policy: policyFor(y.plain.policy, n, y.eligible) });
  const why: string[] = [];
  let ds = y.reserve.length > 0 ? { ...at(y.target), locks: [...y.held.locks, ...y.reserve] } : at(y.target);
  let plans = await planDataset(ds, engine, opts);
  const retry = async (next: Dataset) => {
    why.push(...plans.flatMap((p) => p.conflicts.map((c) => c.message)));
    ds = next;
    plans = await planDataset(ds, engine, opts);
  };
  if (infeasible(plans) && y.reserve.length > 0) await retry(at(y.target));
  for (let n = y.target, round = 0; infeasible(plans) && n > y.minimum && round < FEWER_ROUNDS; round++) {
    // First less by what is short (often all it takes); then halfway to the minimum, so a few rounds reach it.
    const short = Math.max(1, ...plans.flatMap((p) => p.conflicts.map((c) => c.shortBy)));
    n = Math.max(y.minimum, n - (round === 0 ? short : Math.max(short, Math.ceil((n - y.minimum) / 2))));
    await retry(at(n));
  }
  if (infeasible(plans)) await retry(y.plain);
  return { ds, plans, why: [...new Set(why)] };
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
    // The planner's locks.csv is about the first year; later years have only the history's and the cycle's.
    const own = k === 0 ? ds0.locks : [];
    const fromHistory = historyLocks(history, at, new Set(own.map((l) => l.teacher_id)));
    const locked = new Set([...own, ...fromHistory].map((l) => l.teacher_id));
    const remainingSet = new Set(remaining);
    // No school sends more than its outflow cap in one year: more than that many cannot be asked for.
    const target = Math.max(minimum, Math.min(Math.ceil(remaining.length / (years - k)), withinCaps(teachers, new Set(remaining.filter((id) => !locked.has(id))), at)));
    // Hold back the others only while the cycle's own teachers can fill the year's minimum.
    const hold: Lock[] = remaining.length >= minimum
      ? teachers.filter((t) => elig.get(t.id)?.mayMove && !remainingSet.has(t.id) && !locked.has(t.id)).map((t): Lock => ({ teacher_id: t.id, action: 'stay', reason: CYCLE_HOLD }))
      : [];
    const base: Dataset = { ...ds0, teachers, history, locks: [...own, ...fromHistory] };
    const reserve = hold.length > 0 ? backboneReserve(teachers.filter((t) => remainingSet.has(t.id) && !locked.has(t.id)), at, target, remaining.length) : [];
    const held = { ...base, locks: [...base.locks, ...hold] };
    const tried = await planYear({ held, reserve, plain: { ...base, policy: at }, target, minimum, eligible }, engine, opts);
    const { ds: yds, plans } = tried;
    const whyFellBack = tried.why;
    const asked = yds.policy === at ? minimum : ceilShare(yds.policy.ratios.minRotatedShareOfEligible, eligible);
    const fellBack = asked < target;
    const rows = plans.flatMap((p) => p.rows);
    const cycleRotated = rows.filter((r) => remainingSet.has(r.teacher_id) && yds.policy.modes[r.mode].countsTowardRotation);
    for (const r of cycleRotated) rotated.add(r.teacher_id);
    out.push({
      year, ds: yds, plans, rows, returns: returnsDue(history, at), audit: auditPlan(yds, rows),
      remaining_before: remaining.length, target, asked, fell_back: fellBack, why_fell_back: whyFellBack, cycle_rotated: new Set(cycleRotated.map((r) => r.teacher_id)).size,
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
      : last?.fell_back ? `${last.year}年要求交流${last.target}人无可行方案（${last.why_fell_back[0] ?? ''}），改为${last.asked}人，未能轮到`
      : `${last?.year ?? ds0.policy.year}年未被选中`;
    return { teacher_id: id, school_id: t.school_id, reason: why };
  });
}
