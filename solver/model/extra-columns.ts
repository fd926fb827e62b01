// Which needs an extra-subject column can matter for (policy/extra-subjects.ts). A need whose gap
// stays ≤ 0 even if every teacher of the subject who may leave the school does leave (up to the
// bound on leavers there) never costs anything; there an extra-subject column only costs more than
// the main-subject column to the same school, so leaving it out of the model changes no optimum.
import { needKey, subjectSupply } from '../policy/needs.ts';
import type { CountyContext } from '../policy/county.ts';
import type { TeacherClass } from './county-model.ts';

/** Need keys (needKey) that may still be short after the plan; `leavers(school)` bounds the teachers a plan takes from it. */
export function needsStillShort(ctx: CountyContext, classes: readonly TeacherClass[], leavers: (school: string) => number): Set<string> {
  const supply = subjectSupply(ctx.teachers);
  const mayLeave = new Map<string, number>();
  for (const cls of classes) {
    const k = needKey(cls.origin.id, cls.stage, cls.subject);
    mayLeave.set(k, (mayLeave.get(k) ?? 0) + cls.members.length);
  }
  const short = new Set<string>();
  for (const n of ctx.needs) {
    const k = needKey(n.school_id, n.stage, n.subject);
    const leave = Math.min(mayLeave.get(k) ?? 0, leavers(n.school_id));
    if (Math.round(n.required) - (supply.get(k) ?? 0) + leave > 0) short.add(k);
  }
  return short;
}
