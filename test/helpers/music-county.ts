// The hand-made county of the extra-subject tests (test/extra-subjects.test.ts,
// test/modes-extra-subjects.test.ts): one move's budget, and a music need only an extra subject fills.
import { defaultPolicy, schoolSchema, teacherSchema, type Lock, type Teacher } from '../../solver/contract/schemas.ts';
import type { Dataset } from '../../solver/contract/dataset.ts';

export const school = (id: string, locale: 'urban' | 'rural') =>
  schoolSchema.parse({ id, name: `${id}校`, stage: 'primary', locale, students_primary: 400, quota: 100 });
export const teacher = (id: string, school_id: string, over: Partial<Teacher> = {}) =>
  teacherSchema.parse({ id, name: id, school_id, stage: 'primary', subject: 'math', gender: 'M', birth_year: 1990, years_at_school: 8, title: 'second', schools_worked: 2, rural_weak_years: 3, ...over });

/**
 * Urban U (10 eligible math teachers; U10 also teaches music) and rural R, which needs one music
 * teacher and has none: the budget is one move. U1–U9 asked for R as their 2nd choice (0.5 ÷ 2 = 0.25).
 */
export function musicCounty(weights: Partial<ReturnType<typeof defaultPolicy>['weights']> = {}, locks: Lock[] = []): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0;
  Object.assign(policy.weights, weights);
  return {
    schools: [school('U', 'urban'), school('R', 'rural')],
    teachers: [
      ...Array.from({ length: 9 }, (_, i) => teacher(`U${i + 1}`, 'U')),
      teacher('U10', 'U', { extra_subjects: ['music'] }),
      ...Array.from({ length: 5 }, (_, i) => teacher(`R${i + 1}`, 'R', { years_at_school: 1 })),
    ],
    needs: [{ school_id: 'R', stage: 'primary', subject: 'music', required: 1 }],
    preferences: Array.from({ length: 9 }, (_, i) => ({ teacher_id: `U${i + 1}`, school_id: 'R', rank: 2 })),
    locks,
    policy,
  };
}
