// Career conditions a rotation can meet for a teacher (issue 11 items 6–7). Neither is a rule a
// plan must keep: both are reasons to prefer one mover over another, priced as objective bonuses
// (weights.ruralYearBonus, weights.secondSchoolBonus) and counted in the report.
//
// - Rural year for 高级 (seed 001 §15 "将到乡村学校或办学条件薄弱学校任教1年以上作为申报高级职称的
//   必要条件"): a 一级 teacher with fewer than `careers.seniorTitleRuralYears` years at rural or weak
//   schools gains them by a move to a rural or weak school (a one-year term at least).
// - Two schools (seed 002 §2 "新聘任的校长和高级职称教师以及名师至少具有两所学校任职或工作经历"):
//   the roster has no "candidate" column, so candidates are read from the career they are on —
//   the next 高级/正高 applicants (title 一级 or 高级), the teachers a 名师 is chosen from (backbone
//   at city level or above) and the pool new principals come from (vice-principals and 中层);
//   one of them who has worked at fewer than `careers.minSchoolsWorked` schools gains the
//   condition when this move brings the count to it.
// By kind of move (policy.modes): a transfer is a posting of a year or more, so it gives both; a 支教
// term is teaching at the destination, so it gives the second school, and the rural years when
// its `termYears` add up to what the teacher lacks; a 走教 share keeps the teacher's post and most
// of the timetable at home, so it gives neither (the texts ask for 任教 or 工作经历 at the school);
// 顶岗培养 is training at an urban school (policy/shadow.ts), not the experience either text asks for.
import type { Policy, Teacher } from '../contract/schemas.ts';
import { isRuralOrWeak } from './county.ts';
import type { MoveView, ObjectiveTerm } from './objective.ts';

const NEXT_SENIOR_TITLES: ReadonlySet<Teacher['title']> = new Set(['first', 'senior']);
const MINGSHI_BACKBONE: ReadonlySet<Teacher['backbone']> = new Set(['city', 'province', 'national']);
const PRINCIPAL_POOL: ReadonlySet<Teacher['role']> = new Set(['vice_principal', 'middle_manager']);

/** A 一级 teacher short of the rural/weak years the 高级 application needs (seed 001 §15). */
export const needsRuralYear = (t: Teacher, p: Policy): boolean => t.title === 'first' && t.rural_weak_years < p.careers.seniorTitleRuralYears;

/** Years at the destination a move gives toward a condition: a transfer stays (enough for any), a 支教 its term, a 走教 share or 顶岗培养 none. */
const yearsThere = (m: Pick<MoveView, 'mode'>, p: Policy): number =>
  m.mode === 'transfer' ? Infinity : m.mode === 'support' ? p.modes.support.termYears : 0;

/** The move gives the teacher the rural/weak year: a 一级 teacher short of it, sent to a rural or weak school for long enough. */
export const gainsRuralYear = (m: Pick<MoveView, 'teacher' | 'to' | 'mode'>, p: Policy): boolean =>
  needsRuralYear(m.teacher, p) && isRuralOrWeak(m.to) && m.teacher.rural_weak_years + yearsThere(m, p) >= p.careers.seniorTitleRuralYears;

/** A candidate for principal, 高级/正高 or 名师 who has worked at fewer schools than the condition asks (seed 002 §2). */
export const needsSecondSchool = (t: Teacher, p: Policy): boolean =>
  t.schools_worked < p.careers.minSchoolsWorked && (NEXT_SENIOR_TITLES.has(t.title) || MINGSHI_BACKBONE.has(t.backbone) || PRINCIPAL_POOL.has(t.role));

/** The move brings such a candidate's schools to the number the condition asks (a transfer or 支教 adds one school). */
export const gainsSecondSchool = (m: Pick<MoveView, 'teacher' | 'mode'>, p: Policy): boolean =>
  yearsThere(m, p) > 0 && needsSecondSchool(m.teacher, p) && m.teacher.schools_worked + 1 >= p.careers.minSchoolsWorked;

/** What the career terms see of a teacher: teachers of one model class must agree on it (R: a 支教 term is enough too). */
export const careerKey = (t: Teacher, p: Policy): string => {
  const rural = !needsRuralYear(t, p) ? '' : t.rural_weak_years + p.modes.support.termYears >= p.careers.seniorTitleRuralYears ? 'R' : 'r';
  return `${rural}${needsSecondSchool(t, p) && t.schools_worked + 1 >= p.careers.minSchoolsWorked ? 's' : ''}`;
};

/** A per-move bonus for the moves that give a teacher a career condition. */
function bonusTerm(t: Pick<ObjectiveTerm, 'id' | 'name' | 'nameEn' | 'reason'>, weight: 'ruralYearBonus' | 'secondSchoolBonus', gains: (m: MoveView, p: Policy) => boolean): ObjectiveTerm {
  const perMove = (o: { ctx: { policy: Policy } }, m: MoveView): number => (gains(m, o.ctx.policy) ? -o.ctx.policy.weights[weight] : 0);
  return { ...t, weight: (p) => p.weights[weight], weightPath: `weights.${weight}`, perMove, value: (o, moves) => moves.reduce((a, m) => a + perMove(o, m), 0) };
}

/** The two career bonuses as objective terms (listed in objective.ts with the others). */
export const careerTerms: ObjectiveTerm[] = [
  bonusTerm({
    id: 'rural_year',
    name: '一级教师取得申报高级职称所需的乡村/薄弱学校任教经历（每人奖励）',
    nameEn: 'A 一级 teacher gains the rural/weak-school year the senior-title application needs (bonus each)',
    reason: '青海省委办公厅、省政府办公厅 关于构建优质均衡的基本公共教育服务体系的实施方案（2024）第15条：到乡村学校或薄弱学校任教1年以上为申报高级职称的必要条件（domain.md R11；careers.seniorTitleRuralYears）',
  }, 'ruralYearBonus', gainsRuralYear),
  bonusTerm({
    id: 'second_school',
    name: '校长、高级职称、名师人选取得两所学校工作经历（每人奖励）',
    nameEn: 'A candidate for principal, senior title or 名师 gains a second school (bonus each)',
    reason: '安政办〔2019〕46号：新聘任的校长和高级职称教师以及名师至少具有两所学校任职或工作经历（domain.md R13；careers.minSchoolsWorked）',
  }, 'secondSchoolBonus', gainsSecondSchool),
];

/** The report's sentence for each career count (seed wording: "本方案使N名一级教师满足…"). */
export const CAREER_TEXT = {
  rural_year: (n: number, _p: Policy) => `本方案使${n}名一级教师满足申报高级职称的农村/薄弱学校任教经历`,
  second_school: (n: number, p: Policy) => `本方案使${n}名校长、高级职称、名师人选具有${p.careers.minSchoolsWorked}所学校工作经历`,
} as const;

export type CareerCounts = Record<keyof typeof CAREER_TEXT, { needing: number; gained: number; text: string }>;

/** How many teachers need each condition, how many this plan gives it, and the sentence saying so. */
export function careerCounts(needing: Record<keyof typeof CAREER_TEXT, number>, gained: Record<keyof typeof CAREER_TEXT, number>, p: Policy): CareerCounts {
  const row = (k: keyof typeof CAREER_TEXT) => ({ needing: needing[k], gained: gained[k], text: CAREER_TEXT[k](gained[k], p) });
  return { rural_year: row('rural_year'), second_school: row('second_school') };
}

/** The career counts of one county's plan. */
export function countyCareerCounts(teachers: readonly Teacher[], moves: readonly MoveView[], p: Policy): CareerCounts {
  return careerCounts(
    { rural_year: teachers.filter((t) => needsRuralYear(t, p)).length, second_school: teachers.filter((t) => needsSecondSchool(t, p)).length },
    { rural_year: moves.filter((m) => gainsRuralYear(m, p)).length, second_school: moves.filter((m) => gainsSecondSchool(m, p)).length },
    p,
  );
}
