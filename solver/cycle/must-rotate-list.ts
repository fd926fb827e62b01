// Which of the cycle's teachers a year must rotate (policy.cycle.mustRotate, rule must_rotate).
// Without a list the optimiser picks the year's rotations by the indicators alone, and two kinds of
// cycle teacher are lost: one who passes the age cap before their turn (the sample county: 54 of 61
// left over), and one at a school whose teachers waiting outnumber what its outflow caps let go in
// the years left (⌊20% × its teachers⌋ a year: the sample county's last year found 6 such teachers
// it could no longer move). So a year before the last lists (1) the cycle's teachers who will no
// longer be eligible next year and (2) per school, as many more as its later years' caps cannot
// take — the school's pace; the year before the last also lists the principals still waiting. The
// paced cycle's last year lists everyone still waiting (the pace has left it only teachers its caps
// can take). Unpaced, the last year lists no one: listing everyone there made the sample county's
// last year infeasible and its fallback rotated 158 instead of 351. Members no plan can move are
// left off with the reason, and a school lists no more than its outflow cap (or leaders cap) lets
// go, so the list alone never makes a year infeasible by counting; what is still in conflict is cut
// by the cycle (multi-year.ts).
import type { Dataset } from '../contract/dataset.ts';
import type { Policy, Teacher } from '../contract/schemas.ts';
import { buildCountyContext, countiesOf, floorShare, quotaOf } from '../policy/county.ts';
import { assessEligibility } from '../policy/eligibility.ts';
import { isLeader } from '../policy/leaders.ts';
import { noDestinationText, obstacleOf, outflowCap } from '../policy/precheck.ts';

export interface Dropped {
  teacher_id: string;
  reason: string;
}

export interface MustRotateList {
  /** Teachers the year is asked to rotate, in priority order (about to age out first, backbone first, then the oldest). */
  listed: string[];
  /** Teachers due this year who were left off, each with why. */
  dropped: Dropped[];
  /** How many of the listed are there for their school's pace (not about to age out). */
  paced: number;
  /** Staffing floors (policy.cycle.staffFloor): teachers a school keeps so next year's cap lets its waiting ones go. */
  floors: Record<string, number>;
}

/** True when the teacher, a year on (tenure +1, age +1), is still eligible. */
function eligibleNextYear(t: Teacher, policy: Policy): boolean {
  return assessEligibility({ ...t, years_at_school: t.years_at_school + 1 }, { ...policy, year: policy.year + 1 }).eligible;
}

/** The smallest staff whose outflow cap ⌊share × staff⌋ reaches `cap`. */
function staffForCap(share: number, cap: number): number {
  let n = share > 0 ? Math.max(0, Math.floor(cap / share) - 1) : Infinity;
  while (floorShare(share, n) < cap) n++;
  return n;
}

/** Backbone first: they are the scarce ones the 20% share needs; then the oldest, the next to pass the age cap. */
const byPriority = (a: Teacher, b: Teacher) =>
  Number(b.backbone !== 'none') - Number(a.backbone !== 'none') || a.birth_year - b.birth_year || a.id.localeCompare(b.id);

/**
 * The year's list from the cycle teachers still waiting (`waiting`, eligible now), `yearsLeft`
 * counting this one: those who will not be eligible next year, then each school's pace — its
 * waiting teachers some plan can move, less what `yearsLeft − 1` more years of its outflow cap can
 * take; in the last year everyone waiting (see above). `ds` is the year's input with its locks, so a
 * teacher the history or the cycle keeps at school is left off. Without `pacing`: those about to age
 * out only, none in the last year.
 */
export function mustRotateList(ds: Dataset, waiting: readonly Teacher[], yearsLeft: number, pacing = true): MustRotateList {
  const lastYear = yearsLeft <= 1;
  const due = waiting.filter((t) => (lastYear ? pacing : !eligibleNextYear(t, ds.policy))).sort(byPriority);
  const dueIds = new Set(due.map((t) => t.id));
  const listed: string[] = [];
  const paced: string[] = [];
  const dropped: Dropped[] = [];
  const floors: Record<string, number> = {};
  for (const county of countiesOf(ds)) {
    const ctx = buildCountyContext(county, ds);
    const out = new Map<string, number>();
    const leaders = new Map<string, number>();
    const add = (t: Teacher) => {
      out.set(t.school_id, (out.get(t.school_id) ?? 0) + 1);
      if (isLeader(t, ctx.policy)) leaders.set(t.school_id, (leaders.get(t.school_id) ?? 0) + 1);
    };
    const leadersFull = (t: Teacher) => isLeader(t, ctx.policy) && (leaders.get(t.school_id) ?? 0) >= ctx.policy.leaders.maxLeavingPerSchool;
    for (const t of due.filter((x) => ctx.teacherById.has(x.id))) {
      const o = obstacleOf(ctx, t);
      const why = o?.kind === 'may_not_move' ? `不可交流：${ctx.eligibility.get(t.id)!.reason}`
        : o?.kind === 'stay_lock' ? `锁定留任：${o.reason}`
        : o?.kind === 'no_destination' ? `无可去学校：${noDestinationText(ctx.policy, o)}`
        : (out.get(t.school_id) ?? 0) >= outflowCap(ctx, t.school_id) ? `本校须交流人数超过流出上限${outflowCap(ctx, t.school_id)}人`
        : leadersFull(t) ? `本校须交流的学校领导超过每年调出上限${ctx.policy.leaders.maxLeavingPerSchool}人`
        : null;
      if (why !== null) { dropped.push({ teacher_id: t.id, reason: why }); continue; }
      add(t);
      listed.push(t.id);
    }
    if (lastYear || !pacing) continue;
    // The school's pace: what its caps in the later years cannot take must go now (up to this year's cap).
    const movable = new Map<string, Teacher[]>();
    for (const t of waiting) if (ctx.teacherById.has(t.id) && obstacleOf(ctx, t) === null) movable.set(t.school_id, [...(movable.get(t.school_id) ?? []), t]);
    // Principals move only in swaps and chains (leaders.ts principal_kept): one left alone of a stage
    // for the last year can no longer move (the sample county's last year kept two). So the year
    // before the last lists all of a stage's when at least two can go together.
    if (yearsLeft === 2) {
      for (const stage of ['primary', 'junior'] as const) {
        const principals = [...movable.values()].flat().filter((t) => t.role === 'principal' && t.stage === stage && !dueIds.has(t.id));
        if (principals.length < 2) continue;
        for (const t of principals) {
          if ((out.get(t.school_id) ?? 0) >= outflowCap(ctx, t.school_id) || leadersFull(t)) continue;
          add(t);
          paced.push(t.id);
        }
      }
    }
    for (const [school, here] of movable) {
      const cap = outflowCap(ctx, school);
      const need = Math.min(cap, here.length - (yearsLeft - 1) * cap);
      // The oldest first: the next to pass the age cap; backbone are left for the 20% share of the later years.
      const rest = here.filter((t) => !dueIds.has(t.id) && !paced.includes(t.id)).sort((a, b) => Number(a.backbone !== 'none') - Number(b.backbone !== 'none') || a.birth_year - b.birth_year || a.id.localeCompare(b.id));
      for (const t of rest) {
        if ((out.get(school) ?? 0) >= need) break;
        if (leadersFull(t)) continue;
        add(t);
        paced.push(t.id);
      }
      // Next year's cap must take those whose last chance it is and its share of the rest:
      // the school keeps (or, up to its quota, reaches) the staff that cap needs.
      const left = here.length - (out.get(school) ?? 0);
      const lastChanceNext = here.filter((t) => !dueIds.has(t.id) && eligibleNextYear(t, ds.policy) && !eligibleNextYear(t, { ...ds.policy, year: ds.policy.year + 1 })).length;
      const capNeeded = Math.min(left, Math.max(lastChanceNext, Math.ceil(left / (yearsLeft - 1))));
      const before = ctx.staffBefore.get(school) ?? 0;
      const s = ctx.schoolById.get(school)!;
      const floor = Math.min(staffForCap(ctx.policy.limits.maxOutflowShareOfSchool, capNeeded), Math.max(before, quotaOf(s, ctx.policy).quota));
      // A floor the year's own outflow cap already keeps is no rule.
      if (floor > before - cap) floors[school] = floor;
    }
  }
  // countiesOf walks county by county: put the list back in priority order, the paced after the due.
  const order = new Map([...dueIds].map((id, i) => [id, i]));
  return { listed: [...listed.sort((a, b) => order.get(a)! - order.get(b)!), ...paced], dropped, paced: paced.length, floors };
}

/** The policy with the year's must-rotate list and staffing floors. */
export const withMustRotate = (policy: Policy, listed: readonly string[], floors: Record<string, number> = {}): Policy => ({ ...policy, cycle: { ...policy.cycle, mustRotate: [...listed], staffFloor: floors } });
