// Extra subjects (issue 11 item 5; data contract teachers.extra_subjects): a teacher may be sent
// to fill a need in a subject they also teach. The move then counts in the destination's need of
// that subject instead of their main one (they still leave the main subject at home), priced by
// weights.extraSubjectFill so an extra-subject fill is worth less than a main-subject one. The
// model has one column per class × destination × kind of move × subject filled, so it stays
// linear and whole. Only a whole move (transfer, 支教, 顶岗培养) fills an extra subject: each teaches
// a whole post at the destination, while a 走教 share serves the shortage subject the policy lists
// for 走教, which is the teacher's main one (rule itinerant_subject).
import { SUBJECT_ZH } from '../contract/labels.ts';
import type { Policy, Subject, Teacher } from '../contract/schemas.ts';
import type { MoveView } from './objective.ts';
import { type MoveRule, moveRule } from './rule-kit.ts';

/** The extra subjects a teacher may be sent to fill (the main subject left out, each once). */
export const fillableExtras = (t: Teacher): Subject[] => [...new Set(t.extra_subjects)].filter((s) => s !== t.subject).sort();

/** The extra subjects as teachers of one model class must share them. */
export const extrasKey = (t: Teacher): string => fillableExtras(t).join('+');

/** The price of a need filled in an extra subject rather than the main one (term extra_subject, policy/objective.ts). */
export const extraCost = (p: Policy, m: Pick<MoveView, 'fills'>): number => (m.fills ? p.weights.extraSubjectFill : 0);

export const fillsOwnSubjectRule: MoveRule = moveRule({
  id: 'fills_own_subject',
  name: '兼教补缺只补本人的兼教学科，且只在整岗交流时（调动、支教、顶岗培养；走教只教主教学科）',
  name_en: 'An extra-subject fill only in the teacher\'s own extra subjects, and only by a whole move (transfer, support, training placement; itinerant teaches the main subject)',
  clause: '数据约定“兼教学科”；方案“补缺学科”列；政策参数“走教学科”（走教按份额补主教学科的缺口）',
  clause_en: 'Data contract teachers.extra_subjects; plan.csv fills_subject; policy modes.itinerant.subjects (itinerant shares fill the main subject)',
  check: (_ctx, m) => {
    if (m.fills === undefined) return null;
    const own = fillableExtras(m.teacher);
    if (!own.includes(m.fills)) {
      return {
        zh: `教师${m.teacher.id}补${SUBJECT_ZH[m.fills]}缺口，但${SUBJECT_ZH[m.fills]}不是其兼教学科（兼教：${own.map((s) => SUBJECT_ZH[s]).join('、') || '无'}）`,
        en: `teacher ${m.teacher.id} fills a need in ${m.fills}, not one of their extra subjects (${own.join(', ') || 'none'})`,
      };
    }
    return m.mode === 'itinerant' ? {
      zh: `教师${m.teacher.id}以走教补${SUBJECT_ZH[m.fills]}缺口：走教只按份额教主教学科（${SUBJECT_ZH[m.teacher.subject]}）`,
      en: `teacher ${m.teacher.id} fills ${m.fills} as itinerant: an itinerant share teaches the main subject (${m.teacher.subject}) only`,
    } : null;
  },
});
