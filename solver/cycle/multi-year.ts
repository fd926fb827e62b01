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
import type { HistoryRow, Lock, PlanRow, Policy, School, Teacher } from '../contract/schemas.ts';
import { buildCountyContext, ceilShare, countiesOf, countyOf, floorShare, isRuralOrWeak, quotaOf } from '../policy/county.ts';
import { assessEligibility } from '../policy/eligibility.ts';
import type { Engine } from '../model/engine.ts';
import { type CountyPlan, type PlanOptions, planDataset } from '../pipeline.ts';
import { type PlanAudit, auditPlan } from '../report/audit.ts';
import { type ReturnRow, historyLocks, planAsHistory, returnsDue, withHistoryCareers } from './history.ts';
import { type Dropped, mustRotateList, withMustRotate } from './must-rotate-list.ts';

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
  /** The year's must-rotate list: cycle teachers due (about to age out, or their school's pace), how many for the pace, how many the plan was held to, and who was left off with why. */
  must_rotate: { due: number; paced: number; listed: number; dropped: Dropped[] };
  /** The year's staffing floors the plan was held to (policy.cycle.staffFloor, rule staff_floor). */
  staff_floors: Record<string, number>;
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
  return { backbone, by_backbone_share: share > 0 ? Math.floor(backbone / share + 1e-9) : own.length, by_outflow_caps: withinCaps(ds, cycle, ds.policy, years) };
}

export interface CycleResult {
  years: CycleYear[];
  bounds: CycleBounds;
  /** Teachers eligible in the cycle's first year. */
  cycle_teachers: number;
  rotated: number;
  /** Cycle teachers who did not rotate, each with why. */
  left_over: LeftOver[];
  /** Which way the cycle was planned (see planCycle), and how many the other way rotated when it was tried. */
  pacing: { kept: 'paced' | 'free'; other_rotated: number | null };
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

/**
 * How many of `ids` the schools' outflow caps let go in `years` years: Σ per school min(those there,
 * this year's cap + (years − 1) × the largest cap it can reach — ⌊20% × its quota⌋ when it may grow
 * to its quota, else ⌊20% × its teachers now⌋).
 */
function withinCaps(ds: Roster, ids: ReadonlySet<string>, policy: Policy, years = 1): number {
  const there = new Map<string, number>();
  for (const t of ds.teachers) if (ids.has(t.id)) there.set(t.school_id, (there.get(t.school_id) ?? 0) + 1);
  const caps = schoolCaps(ds, policy);
  return [...there].reduce((a, [s, n]) => a + Math.min(n, caps.now(s) + (years - 1) * caps.largest(s)), 0);
}

type Roster = { teachers: readonly Teacher[]; schools: readonly School[] };

/** Each school's outflow cap this year and the largest it can reach in a later year (staff grown to its quota). */
function schoolCaps(ds: Roster, policy: Policy) {
  const staff = new Map<string, number>();
  for (const t of ds.teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  const byId = new Map(ds.schools.map((s) => [s.id, s]));
  const share = policy.limits.maxOutflowShareOfSchool;
  const most = (id: string) => Math.max(staff.get(id) ?? 0, byId.has(id) ? quotaOf(byId.get(id)!, policy).quota : 0);
  return { now: (id: string) => floorShare(share, staff.get(id) ?? 0), largest: (id: string) => floorShare(share, most(id)), most };
}

/** How many rounds a year is asked for fewer before it is planned as a plain year. */
const FEWER_ROUNDS = 6;
/** How many times the must-rotate list is cut (its members in conflict left off, else halved) before the year is planned without it. */
const LIST_CUTS = 3;

/**
 * The list less the members a failed year names: those the best rule-breaking plan leaves unrotated
 * where the must_rotate row gave way, else (no such plan) the second half. Unchanged when no conflict
 * is about the list.
 */
function cutList(list: readonly string[], plans: readonly CountyPlan[], ds: Dataset): string[] {
  const about = plans.filter((p) => p.conflicts.some((c) => c.rules.includes('must_rotate')));
  if (about.length === 0) return [...list];
  const schoolOf = new Map(ds.teachers.map((t) => [t.id, t.school_id]));
  const countyOfSchool = new Map(ds.schools.map((s) => [s.id, countyOf(s)]));
  const stuck = new Set<string>();
  for (const p of about) {
    if (!p.noncompliant) return list.slice(0, Math.floor(list.length / 2));
    const rotated = new Set(p.noncompliant.rows.filter((r) => ds.policy.modes[r.mode].countsTowardRotation).map((r) => r.teacher_id));
    for (const id of list) if (!rotated.has(id) && countyOfSchool.get(schoolOf.get(id)!) === p.county) stuck.add(id);
  }
  return stuck.size > 0 ? list.filter((id) => !stuck.has(id)) : list.slice(0, Math.floor(list.length / 2));
}

/**
 * One year, tried in turn: the cycle's teachers with backbone kept for later years and the
 * must-rotate list; without the reserve; the list cut where it is in conflict (the members the
 * best rule-breaking plan cannot rotate left off, else halved; at last none); asked for fewer (less
 * what the conflicts say is short, then halfway to the minimum); then a plain year (the policy's
 * minimum, every teacher who may move free to be chosen). The messages of the attempts that failed
 * say why the year fell back; `listed` is the list the plan was held to.
 */
async function planYear(y: { held: Dataset; reserve: Lock[]; plain: Dataset; target: number; minimum: number; eligible: number; list: readonly string[]; floors: Record<string, number> }, engine: Engine, opts: PlanOptions) {
  let list = [...y.list];
  let floors = y.floors;
  const at = (n: number): Dataset => ({ ...y.held, policy: withMustRotate(policyFor(y.plain.policy, n, y.eligible), list, floors) });
  const why: string[] = [];
  let ds = y.reserve.length > 0 ? { ...at(y.target), locks: [...y.held.locks, ...y.reserve] } : at(y.target);
  let plans = await planDataset(ds, engine, opts);
  const retry = async (next: Dataset) => {
    why.push(...plans.flatMap((p) => p.conflicts.map((c) => c.message)));
    ds = next;
    plans = await planDataset(ds, engine, opts);
  };
  // A reserve that leaves the year short of backbone (the precheck counts how many) is shrunk by that many, the oldest first, before it goes.
  const backboneShort = () => Math.max(0, ...plans.flatMap((p) => p.conflicts.filter((c) => c.rules[0] === 'backbone_share').map((c) => c.shortBy)));
  if (infeasible(plans) && backboneShort() > 0 && backboneShort() < y.reserve.length) await retry({ ...at(y.target), locks: [...y.held.locks, ...y.reserve.slice(0, y.reserve.length - backboneShort())] });
  if (infeasible(plans) && y.reserve.length > 0) await retry(at(y.target));
  // Staffing floors in conflict (a school that cannot gain or keep teachers under the other rules) go before the list is cut.
  if (infeasible(plans) && plans.some((p) => p.conflicts.some((c) => c.rules.includes('staff_floor')))) {
    floors = {};
    await retry(at(y.target));
  }
  for (let cut = 1; infeasible(plans) && list.length > 0 && cut <= LIST_CUTS; cut++) {
    const next = cut === LIST_CUTS ? [] : cutList(list, plans, ds);
    if (next.length === list.length) break; // the conflict is not about the list
    list = next;
    await retry(at(y.target));
  }
  // Asked for fewer: down by what is short (twice: often all it takes), then halfway to the minimum
  // while there is no plan; once there is, halfway back up between the most with a plan and the fewest
  // without, as the rounds allow (each round is a solve; a 差异系数 can bar fewer moves and allow more).
  if (infeasible(plans) && y.target > y.minimum) {
    let [lo, hi] = [y.minimum, y.target];
    let best: { ds: Dataset; plans: CountyPlan[] } | null = null;
    for (let round = 0; round < FEWER_ROUNDS; round++) {
      const short = Math.max(1, ...plans.flatMap((p) => p.conflicts.map((c) => c.shortBy)));
      const n: number = best ? Math.floor((lo + hi) / 2) : Math.max(y.minimum, hi - (round < 2 ? short : Math.max(short, Math.ceil((hi - y.minimum) / 2))));
      if (best && n <= lo) break;
      // The list never asks for more than the year may rotate, nor for the members in conflict.
      list = cutList(list, plans, ds).slice(0, n);
      await retry(at(n));
      if (!infeasible(plans)) [lo, best] = [n, { ds, plans }];
      else if (n === y.minimum) break;
      else hi = n;
    }
    if (best) ({ ds, plans } = best);
  }
  if (infeasible(plans) && list.length > 0) {
    list = [];
    await retry(at(Math.max(y.minimum, ceilShare(ds.policy.ratios.minRotatedShareOfEligible, y.eligible))));
  }
  if (infeasible(plans)) await retry(y.plain);
  return { ds, plans, why: [...new Set(why)], listed: ds.policy.cycle.mustRotate, floors: ds.policy.cycle.staffFloor };
}

const infeasible = (plans: readonly CountyPlan[]) => plans.some((p) => p.status === 'infeasible');

/**
 * The last year's principals left alone of their stage: a principal moves only in a swap or chain
 * (leaders.ts principal_kept), so one cycle principal left waiting can go only with a principal from
 * outside the cycle. Such a principal is listed, and the same stage's principals who may move are
 * freed from the cycle's hold to be the partner (the sample county's last year kept one otherwise).
 */
function lonePrincipals(teachers: readonly Teacher[], waiting: ReadonlySet<string>, locked: ReadonlySet<string>, mayMove: (t: Teacher) => boolean) {
  const principals = teachers.filter((t) => t.role === 'principal' && !locked.has(t.id) && mayMove(t));
  const listed: string[] = [];
  const partners = new Set<string>();
  for (const stage of ['primary', 'junior'] as const) {
    const mine = principals.filter((t) => t.stage === stage && waiting.has(t.id));
    const others = principals.filter((t) => t.stage === stage && !waiting.has(t.id));
    if (mine.length !== 1 || others.length === 0) continue;
    listed.push(mine[0]!.id);
    for (const t of others) partners.add(t.id);
  }
  return { listed, partners };
}

/**
 * Plans `years` years from the dataset's plan year (one county at a time is the caller's choice
 * through `opts.concurrency`; the cycle's counts are county-wide sums), paced: each year before the last also lists its
 * schools' pace and the principals still waiting, and holds staffing floors (must-rotate-list.ts).
 * Which teachers are left for the last year decides whether it has a plan (the backbone share and
 * the never-worse rule bite there), and pacing can leave a harder last year: the small county
 * rotated 50 of 75 paced and 59 free (each year by its indicators, only those about to age out
 * listed), while the sample county rotated 1,184 of 1,188 paced (its bound) and 1,177 free. So when the paced
 * cycle falls short of its bounds, the free cycle is planned too and the one that rotates more of the
 * cycle's teachers is kept (ties: paced); `pacing` says which and what the other reached.
 */
export async function planCycle(ds0: Dataset, engine: Engine, years: number, opts: PlanOptions = {}): Promise<CycleResult> {
  const paced = await planCycleWith(ds0, engine, years, opts, true);
  if (paced.rotated >= Math.min(paced.cycle_teachers, paced.bounds.by_outflow_caps, paced.bounds.by_backbone_share)) return { ...paced, pacing: { kept: 'paced', other_rotated: null } };
  const free = await planCycleWith(ds0, engine, years, opts, false);
  return free.rotated > paced.rotated ? { ...free, pacing: { kept: 'free', other_rotated: paced.rotated } } : { ...paced, pacing: { kept: 'paced', other_rotated: free.rotated } };
}

async function planCycleWith(ds0: Dataset, engine: Engine, years: number, opts: PlanOptions, paced: boolean): Promise<Omit<CycleResult, 'pacing'>> {
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
    // Hold back the others only while the cycle's own teachers can fill the year's minimum.
    const lastYear = k === years - 1;
    const lone = paced && lastYear ? lonePrincipals(teachers, remainingSet, locked, (t) => elig.get(t.id)?.mayMove === true) : { listed: [], partners: new Set<string>() };
    const hold: Lock[] = remaining.length >= minimum
      ? teachers.filter((t) => elig.get(t.id)?.mayMove && !remainingSet.has(t.id) && !locked.has(t.id) && !lone.partners.has(t.id)).map((t): Lock => ({ teacher_id: t.id, action: 'stay', reason: CYCLE_HOLD }))
      : [];
    const base: Dataset = { ...ds0, teachers, history, locks: [...own, ...fromHistory] };
    const held = { ...base, locks: [...base.locks, ...hold] };
    // Who must go this year (their last chance in the cycle): the target is at least their number.
    const listedBefore = mustRotateList({ ...held, policy: at }, teachers.filter((t) => remainingSet.has(t.id)), years - k, paced);
    const must = { ...listedBefore, listed: [...new Set([...listedBefore.listed, ...lone.listed])] };
    const listed = new Set(must.listed);
    // Before the last year the list (teachers about to age out) raises the target; in the last year it is everyone left, held to the target.
    // A lone principal's partner (from outside the cycle) rotates too: one more each.
    const target = lone.listed.length + Math.max(minimum, lastYear ? 0 : must.listed.length, Math.min(Math.ceil(remaining.length / (years - k)), withinCaps({ teachers, schools: ds0.schools }, new Set(remaining.filter((id) => !locked.has(id))), at)));
    const reserve = hold.length > 0 ? backboneReserve(teachers.filter((t) => remainingSet.has(t.id) && !locked.has(t.id) && !listed.has(t.id)), at, target, remaining.length) : [];
    const tried = await planYear({ held, reserve, plain: { ...base, policy: at }, target, minimum, eligible, list: must.listed.slice(0, target), floors: must.floors }, engine, opts);
    const { ds: yds, plans } = tried;
    const kept = new Set(tried.listed);
    // The conflict that names the teacher, else the first that made the year fall back.
    const cutWhy = (id: string) => tried.why.find((w) => w.includes(`教师${id}`)) ?? tried.why[0] ?? '';
    const cut = must.listed.filter((id) => !kept.has(id)).map((id): Dropped => ({ teacher_id: id, reason: must.listed.indexOf(id) >= target ? `超出本年交流人数${target}人（名单按骨干优先、年长优先排列）` : `名单与本年其他规则冲突，未列入（${cutWhy(id)}）` }));
    const whyFellBack = tried.why;
    const asked = yds.policy === at ? minimum : ceilShare(yds.policy.ratios.minRotatedShareOfEligible, eligible);
    const fellBack = asked < target;
    const rows = plans.flatMap((p) => p.rows);
    const cycleRotated = rows.filter((r) => remainingSet.has(r.teacher_id) && yds.policy.modes[r.mode].countsTowardRotation);
    for (const r of cycleRotated) rotated.add(r.teacher_id);
    out.push({
      year, ds: yds, plans, rows, returns: returnsDue(history, at), audit: auditPlan(yds, rows),
      remaining_before: remaining.length, target, asked, fell_back: fellBack, why_fell_back: whyFellBack, cycle_rotated: new Set(cycleRotated.map((r) => r.teacher_id)).size,
      must_rotate: { due: must.listed.length + must.dropped.length, paced: must.paced, listed: tried.listed.length, dropped: [...must.dropped, ...cut] },
      staff_floors: tried.floors,
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
  const offList = new Map(last?.must_rotate.dropped.map((d) => [d.teacher_id, d.reason]));
  const caps = schoolCaps({ teachers, schools: ds0.schools }, ds0.policy);
  return [...cycle].filter((id) => !rotated.has(id)).map((id) => {
    const t = byId.get(id)!;
    const e = last ? assessEligibility(t, last.ds.policy) : undefined;
    const why = caps.largest(t.school_id) === 0 ? `本校教师至多${caps.most(t.school_id)}人（含编制），流出上限⌊${ds0.policy.limits.maxOutflowShareOfSchool} × ${caps.most(t.school_id)}⌋ = 0，任何一年都不能调出`
      : !e?.eligible ? `已不符合交流条件：${e?.reason ?? ''}`
      : last && infeasible(last.plans) ? `${last.year}年无可行方案`
      : last && offList.has(id) ? `${last.year}年未列入须交流名单：${offList.get(id)}`
      : last?.fell_back ? `${last.year}年要求交流${last.target}人无可行方案（${last.why_fell_back[0] ?? ''}），改为${last.asked}人，未能轮到`
      : `${last?.year ?? ds0.policy.year}年未被选中`;
    return { teacher_id: id, school_id: t.school_id, reason: why };
  });
}
