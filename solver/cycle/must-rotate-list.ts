// Which of the cycle's teachers a year must rotate (policy.cycle.mustRotate, rule must_rotate).
// Without a list the optimiser picks the year's rotations by the indicators alone, and a teacher
// who passes the age cap before their turn leaves the cycle unrotated (the sample county: 54 of 61
// left over). So a year before the last lists the cycle's teachers who will no longer be eligible
// next year. The last year lists no one: listing every teacher still waiting made the sample county's
// last year infeasible and its fallback rotated 158 instead of 351 (950 in the cycle, not 1,127). Members no plan can move are left off with the reason, and
// a school lists no more than its outflow cap (or leaders cap) lets go, so the list alone never
// makes a year infeasible by counting; what is still in conflict is halved by the cycle (multi-year.ts).
import type { Dataset } from '../contract/dataset.ts';
import type { Policy, Teacher } from '../contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../policy/county.ts';
import { assessEligibility } from '../policy/eligibility.ts';
import { isLeader } from '../policy/leaders.ts';
import { noDestinationText, obstacleOf, outflowCap } from '../policy/precheck.ts';

export interface Dropped {
  teacher_id: string;
  reason: string;
}

export interface MustRotateList {
  /** Teachers the year is asked to rotate, in priority order (backbone first, then the oldest). */
  listed: string[];
  /** Teachers due this year who were left off, each with why. */
  dropped: Dropped[];
}

/** True when the teacher, a year on (tenure +1, age +1), is still eligible. */
function eligibleNextYear(t: Teacher, policy: Policy): boolean {
  return assessEligibility({ ...t, years_at_school: t.years_at_school + 1 }, { ...policy, year: policy.year + 1 }).eligible;
}

/**
 * The year's list from the cycle teachers still waiting (`waiting`, eligible now): those who will
 * not be eligible next year; none in the last year (see above). `ds` is the year's input with its
 * locks, so a teacher the history or the cycle keeps at school is left off.
 */
export function mustRotateList(ds: Dataset, waiting: readonly Teacher[], lastYear: boolean): MustRotateList {
  const due = waiting
    .filter((t) => !lastYear && !eligibleNextYear(t, ds.policy))
    // Backbone first: they are the scarce ones the 20% share needs; then the oldest, the next to pass the age cap.
    .sort((a, b) => Number(b.backbone !== 'none') - Number(a.backbone !== 'none') || a.birth_year - b.birth_year || a.id.localeCompare(b.id));
  const dueIds = new Set(due.map((t) => t.id));
  const listed: string[] = [];
  const dropped: Dropped[] = [];
  for (const county of countiesOf(ds)) {
    const ctx = buildCountyContext(county, ds);
    const out = new Map<string, number>();
    const leaders = new Map<string, number>();
    for (const t of due.filter((x) => ctx.teacherById.has(x.id))) {
      const o = obstacleOf(ctx, t);
      const leader = isLeader(t, ctx.policy);
      const why = o?.kind === 'may_not_move' ? `不可交流：${ctx.eligibility.get(t.id)!.reason}`
        : o?.kind === 'stay_lock' ? `锁定留任：${o.reason}`
        : o?.kind === 'no_destination' ? `无可去学校：${noDestinationText(ctx.policy, o)}`
        : (out.get(t.school_id) ?? 0) >= outflowCap(ctx, t.school_id) ? `本校须交流人数超过流出上限${outflowCap(ctx, t.school_id)}人`
        : leader && (leaders.get(t.school_id) ?? 0) >= ctx.policy.leaders.maxLeavingPerSchool ? `本校须交流的学校领导超过每年调出上限${ctx.policy.leaders.maxLeavingPerSchool}人`
        : null;
      if (why !== null) { dropped.push({ teacher_id: t.id, reason: why }); continue; }
      out.set(t.school_id, (out.get(t.school_id) ?? 0) + 1);
      if (leader) leaders.set(t.school_id, (leaders.get(t.school_id) ?? 0) + 1);
      listed.push(t.id);
    }
  }
  // countiesOf walks county by county: put the list back in priority order.
  const order = new Map([...dueIds].map((id, i) => [id, i]));
  return { listed: listed.sort((a, b) => order.get(a)! - order.get(b)!), dropped };
}

/** The policy with the year's must-rotate list. */
export const withMustRotate = (policy: Policy, listed: readonly string[]): Policy => ({ ...policy, cycle: { ...policy.cycle, mustRotate: [...listed] } });
