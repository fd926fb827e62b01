// Extra subjects (issue 11 item 5; data contract teachers.extra_subjects): a teacher may be sent
// to fill a need in a subject they also teach. The move then counts in the destination's need of
// that subject instead of their main one (they still leave the main subject at home), priced by
// weights.extraSubjectFill so an extra-subject fill is worth less than a main-subject one. The
// model has one column per class × destination × subject filled, so it stays linear and whole.
import { SUBJECT_ZH } from '../contract/labels.ts';
import type { Policy, Subject, Teacher } from '../contract/schemas.ts';
import type { MoveView, ObjectiveTerm } from './objective.ts';
import type { MoveRule } from './rules.ts';

/** The extra subjects a teacher may be sent to fill (the main subject left out, each once). */
export const fillableExtras = (t: Teacher): Subject[] => [...new Set(t.extra_subjects)].filter((s) => s !== t.subject).sort();

/** The extra subjects as teachers of one model class must share them. */
export const extrasKey = (t: Teacher): string => fillableExtras(t).join('+');

const extraCost = (p: Policy, m: Pick<MoveView, 'fills'>): number => (m.fills ? p.weights.extraSubjectFill : 0);

export const extraSubjectTerm: ObjectiveTerm = {
  id: 'extra_subject',
  name: '以兼教学科补缺（每人，补缺价值 = 学科缺口权重 − 此值）',
  nameEn: 'Need filled in an extra subject (each; worth the unfilled-need weight minus this)',
  reason: '数据约定 teachers.extra_subjects：兼教学科可补缺，但不如主教学科',
  weight: (p) => p.weights.extraSubjectFill,
  weightPath: 'weights.extraSubjectFill',
  perMove: (o, m) => extraCost(o.ctx.policy, m),
  value: (o, moves) => moves.reduce((a, m) => a + extraCost(o.ctx.policy, m), 0),
};

export const fillsOwnSubjectRule: MoveRule = {
  id: 'fills_own_subject',
  name: '兼教补缺只补本人的兼教学科',
  clause: '数据约定 teachers.extra_subjects；plan.csv fills_subject（补缺学科）',
  violation: (_ctx, m) =>
    m.fills === undefined || fillableExtras(m.teacher).includes(m.fills)
      ? null
      : `教师${m.teacher.id}补${SUBJECT_ZH[m.fills]}缺口，但${SUBJECT_ZH[m.fills]}不是其兼教学科（兼教：${fillableExtras(m.teacher).map((s) => SUBJECT_ZH[s]).join('、') || '无'}）`,
};
