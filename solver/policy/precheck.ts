// Conflicts that counting alone proves, before any model is built: said in policy language with
// numbers, naming every rule (and switch) involved and what would have to change.
import { type CountyContext, ceilShare, floorShare } from './county.ts';
import { type Move, moveRules } from './rules.ts';

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
