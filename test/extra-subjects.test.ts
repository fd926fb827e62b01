// Extra subjects (issue 11 item 5, policy/extra-subjects.ts): a teacher may fill a need in one of
// their extra_subjects, worth weights.unfilledNeed − weights.extraSubjectFill. On a hand-made county
// where the budget buys one move, that fill decides who moves; the plan row names the subject
// filled; the audit refuses a fill in a subject the teacher does not teach.
import { describe, expect, it } from 'vitest';
import { defaultPolicy, schoolSchema, teacherSchema, type Lock, type Teacher } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { needKey, supplyAfterMoves } from '../solver/policy/needs.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { planCsvText } from '../solver/report/plan-rows.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

const school = (id: string, locale: 'urban' | 'rural') =>
  schoolSchema.parse({ id, name: `${id}校`, stage: 'primary', locale, students_primary: 400, quota: 100 });
const teacher = (id: string, school_id: string, over: Partial<Teacher> = {}) =>
  teacherSchema.parse({ id, name: id, school_id, stage: 'primary', subject: 'math', gender: 'M', birth_year: 1990, years_at_school: 8, title: 'second', schools_worked: 2, rural_weak_years: 3, ...over });

/**
 * Urban U (10 eligible math teachers; U10 also teaches music) and rural R, which needs one music
 * teacher and has none: the budget is one move. U1–U9 asked for R as their 2nd choice (0.5 ÷ 2 = 0.25).
 */
function county(weights: Partial<ReturnType<typeof defaultPolicy>['weights']> = {}, locks: Lock[] = []): Dataset {
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

const plan = async (ds: Dataset) => {
  const plans = await planDataset(ds, highs);
  expect(plans[0]!.status).toBe('optimal');
  expect(plans[0]!.rows.length).toBe(1);
  return { row: plans[0]!.rows[0]!, report: buildReport(ds, plans), rows: plans[0]!.rows };
};

describe('a need filled in an extra subject', () => {
  it('counts the mover in the subject filled at the destination and off the main subject at home', () => {
    const t = teacher('a', 'U', { extra_subjects: ['music'] });
    const s = supplyAfterMoves([t], [{ teacher: t, to: { id: 'R' }, mode: 'transfer', fills: 'music' }]);
    expect([s.get(needKey('U', 'primary', 'math')), s.get(needKey('R', 'primary', 'music')), s.get(needKey('R', 'primary', 'math'))]).toEqual([0, 1, undefined]);
  });

  it('sends the teacher who can fill R’s music need (0.5 − 0.2 = 0.3 > 0.25) and says so in the plan row', async () => {
    const { row, report, rows } = await plan(county());
    expect(row).toMatchObject({ teacher_id: 'U10', to_school_id: 'R', subject: 'math', fills_subject: 'music' });
    expect(row.reason.startsWith('以兼教学科补R校音乐缺口（需1人，原有0人）')).toBe(true);
    expect(report.objective_terms.find((t) => t.id === 'unfilled_need')!.value).toBe(0);
    expect(report.objective_terms.find((t) => t.id === 'extra_subject')).toMatchObject({ weight: 0.2, value: 0.2 });
    expect(report.audit_ok).toBe(true);
    expect(planCsvText(rows).split('\n')[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fills_subject');
    expect(planCsvText(rows).split('\n')[1]!.endsWith(',music')).toBe(true);
  });

  it('does not when an extra-subject fill is worth less than the preference (0.5 − 0.3 = 0.2 < 0.25)', async () => {
    const { row, report } = await plan(county({ extraSubjectFill: 0.3 }));
    expect(row.teacher_id).not.toBe('U10');
    expect(row.fills_subject).toBeUndefined();
    expect(report.objective_terms.find((t) => t.id === 'unfilled_need')!.value).toBe(0.5);
  });

  it('keeps a move lock to a school where the teacher could fill either subject, and picks the fill', async () => {
    const lock: Lock = { teacher_id: 'U10', action: 'move', to_school_id: 'R', reason: '测试' };
    const { row } = await plan(county({}, [lock]));
    expect(row).toMatchObject({ teacher_id: 'U10', to_school_id: 'R', fills_subject: 'music' });
  });
});

describe('audit of a hand-made plan', () => {
  it('refuses a fill in a subject the teacher does not teach, with the count and the subjects', () => {
    const ds = county();
    const audit = auditPlan(ds, [{ teacher_id: 'U10', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '', fills_subject: 'art' }]);
    const rule = audit.counties[0]!.rules.find((r) => r.id === 'fills_own_subject')!;
    expect(audit.ok).toBe(false);
    expect(rule).toMatchObject({ ok: false, numerator: 1, denominator: 1, details: ['教师U10补美术缺口，但美术不是其兼教学科（兼教：音乐）'] });
  });

  it('accepts the fill of an extra subject, and reads a fill of the main subject as no fill', () => {
    const ds = county();
    const ok = auditPlan(ds, [
      { teacher_id: 'U10', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '', fills_subject: 'music' },
      { teacher_id: 'U1', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '', fills_subject: 'math' },
    ]);
    expect(ok.counties[0]!.rules.find((r) => r.id === 'fills_own_subject')).toMatchObject({ ok: true, numerator: 0, denominator: 2 });
  });
});
