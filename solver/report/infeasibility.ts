// Why no plan exists, said in policy language with numbers. Counting arguments catch the usual
// conflicts before any solve; when the engine still proves a county infeasible, the elastic model
// (each rule with a priced slack) says which rules give way and by how much.
import { type CountyContext, ceilShare, floorShare } from '../policy/county.ts';
import type { BuiltModel } from '../model/county-model.ts';
import { type Move, moveRules } from '../policy/rules.ts';

export interface Conflict {
  rules: string[];
  message: string;
  /** How many teachers (or constraint units) the rule is short by. */
  shortBy: number;
}

/** Conflicts that counting alone proves, before the model is built. */
export function precheck(ctx: CountyContext): Conflict[] {
  const p = ctx.policy;
  const conflicts: Conflict[] = [];
  const stay = new Set(ctx.locks.filter((l) => l.action === 'stay').map((l) => l.teacher_id));
  for (const lock of ctx.locks) {
    if (lock.action !== 'move') continue;
    const teacher = ctx.teacherById.get(lock.teacher_id)!;
    const m: Move = { teacher, from: ctx.schoolById.get(teacher.school_id)!, to: ctx.schoolById.get(lock.to_school_id)!, mode: 'transfer' };
    if (!m.to) continue;
    for (const rule of moveRules.filter((r) => r.id !== 'locks')) {
      const why = rule.violation(ctx, m);
      if (why) conflicts.push({ rules: ['locked_moves', rule.id], message: `人工锁定与“${rule.name}”冲突：${why}`, shortBy: 1 });
    }
  }
  const capOf = (school: string) => floorShare(p.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(school) ?? 0);
  let movable = 0;
  let backboneMovable = 0;
  for (const s of ctx.schools) {
    const movers = ctx.teachers.filter((t) => t.school_id === s.id && ctx.eligibility.get(t.id)?.mayMove && !stay.has(t.id));
    const cap = capOf(s.id);
    movable += Math.min(movers.length, cap);
    backboneMovable += Math.min(movers.filter((t) => t.backbone !== 'none').length, cap);
    const lockedOut = ctx.locks.filter((l) => l.action === 'move' && ctx.teacherById.get(l.teacher_id)?.school_id === s.id).length;
    if (lockedOut > cap)
      conflicts.push({ rules: ['locked_moves', 'outflow_cap'], message: `${s.name}（${s.id}）锁定调出${lockedOut}人，超过流出上限${cap}人（⌊${p.limits.maxOutflowShareOfSchool} × ${ctx.staffBefore.get(s.id)}⌋）`, shortBy: lockedOut - cap });
  }
  const need = ceilShare(p.ratios.minRotatedShareOfEligible, ctx.eligibleCount);
  if (movable < need)
    conflicts.push({ rules: ['rotation_share', 'outflow_cap', 'may_move'], message: `轮岗比例要求至少${need}名教师交流（符合条件${ctx.eligibleCount}人 × ${p.ratios.minRotatedShareOfEligible}），但在各校流出上限内只有${movable}名教师可交流`, shortBy: need - movable });
  const backboneNeed = ceilShare(p.ratios.minBackboneShareOfRotated, need);
  if (backboneMovable < backboneNeed)
    conflicts.push({ rules: ['backbone_share', 'rotation_share', 'may_move'], message: `骨干比例要求至少${backboneNeed}名骨干教师交流（⌈${p.ratios.minBackboneShareOfRotated} × ${need}⌉），但只有${backboneMovable}名骨干教师可交流`, shortBy: backboneNeed - backboneMovable });
  return conflicts;
}

/** Reads the slacks of a solved elastic model: each positive slack is a rule that had to give way. */
export function explainElastic(ctx: CountyContext, built: BuiltModel, x: ArrayLike<number>): Conflict[] {
  const out: Conflict[] = [];
  for (const [key, s] of built.slacks) {
    const lo = s.lo === undefined ? 0 : x[s.lo] ?? 0;
    const hi = s.hi === undefined ? 0 : x[s.hi] ?? 0;
    const short = Math.max(lo, hi);
    if (short < 1e-6) continue;
    const n = Math.ceil(short - 1e-6);
    const [kind, ...rest] = key.split('_');
    const school = ctx.schoolById.get(rest.join('_'));
    const label = school ? `${school.name}（${school.id}）` : '';
    const message =
      kind === 'rotation' ? `轮岗比例要求至少${s.min}名教师交流，在其他规则下还差${n}名`
      : kind === 'backbone' ? `骨干比例（≥${ctx.policy.ratios.minBackboneShareOfRotated}）在其他规则下还差约${n}名骨干教师`
      : kind === 'outflow' ? `${label}需突破流出上限${s.max}人${n}人`
      : kind === 'quota' ? `${label}需超出编制${n}人`
      : `${key}差${n}`;
    out.push({ rules: [kind === 'rotation' ? 'rotation_share' : kind === 'backbone' ? 'backbone_share' : kind === 'outflow' ? 'outflow_cap' : kind ?? key], message, shortBy: n });
  }
  return out;
}
