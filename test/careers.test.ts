// Career conditions (issue 11 items 6–7, policy/careers.ts): on a hand-made county where one move
// is all the budget buys, the career bonus decides WHO moves; the report counts the teachers who
// gain the condition and the plan reason says so. The audit counts a hand-made plan's gains too.
import { describe, expect, it } from 'vitest';
import { defaultPolicy, schoolSchema, teacherSchema, type Teacher } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { gainsRuralYear, gainsSecondSchool, needsRuralYear, needsSecondSchool } from '../solver/policy/careers.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

const school = (id: string, locale: 'urban' | 'rural') =>
  schoolSchema.parse({ id, name: `${id}校`, stage: 'primary', locale, students_primary: 400, quota: 100 });
const teacher = (id: string, school_id: string, over: Partial<Teacher> = {}) =>
  teacherSchema.parse({ id, name: id, school_id, stage: 'primary', subject: 'math', gender: 'M', birth_year: 1990, years_at_school: 8, title: 'second', schools_worked: 2, ...over });

/**
 * Urban U (10 eligible teachers) and rural R (5 teachers, too few years to rotate): the budget is
 * one move, U → R. Teachers U1–U9 asked for R as their 2nd/3rd choice; U10 did not, but carries the
 * career condition under test, worth a little more than the preference.
 */
function county(u10: Partial<Teacher>, prefRank: number, weights: Partial<ReturnType<typeof defaultPolicy>['weights']> = {}): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0;
  Object.assign(policy.weights, weights);
  const teachers = [
    ...Array.from({ length: 9 }, (_, i) => teacher(`U${i + 1}`, 'U', { rural_weak_years: 3 })),
    teacher('U10', 'U', { rural_weak_years: 3, ...u10 }),
    ...Array.from({ length: 5 }, (_, i) => teacher(`R${i + 1}`, 'R', { years_at_school: 1 })),
  ];
  return {
    schools: [school('U', 'urban'), school('R', 'rural')],
    teachers,
    needs: [{ school_id: 'U', stage: 'primary', subject: 'music', required: 0 }],
    preferences: Array.from({ length: 9 }, (_, i) => ({ teacher_id: `U${i + 1}`, school_id: 'R', rank: prefRank })),
    locks: [],
    policy,
  };
}

const mover = async (ds: Dataset) => {
  const plans = await planDataset(ds, highs);
  expect(plans[0]!.status).toBe('optimal');
  expect(plans[0]!.rows.length).toBe(1);
  return { row: plans[0]!.rows[0]!, report: buildReport(ds, plans) };
};

describe('rural year for the senior title (seed 001 §15, R11)', () => {
  const needy = { title: 'first' as const, rural_weak_years: 0 };

  it('names the 一级 teachers short of the year and the moves that give it', () => {
    const p = defaultPolicy();
    const [u, r] = [school('U', 'urban'), school('R', 'rural')];
    expect(needsRuralYear(teacher('a', 'U', needy), p)).toBe(true);
    expect(needsRuralYear(teacher('a', 'U', { title: 'first', rural_weak_years: 1 }), p)).toBe(false);
    expect(needsRuralYear(teacher('a', 'U', { title: 'second', rural_weak_years: 0 }), p)).toBe(false);
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: r, mode: 'transfer' }, p)).toBe(true);
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: u, mode: 'transfer' }, p)).toBe(false);
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: { ...u, weak: true }, mode: 'transfer' }, p)).toBe(true);
  });

  it('a 支教 term gives the year when it is long enough; a 走教 share never does', () => {
    const p = defaultPolicy();
    const r = school('R', 'rural');
    const two = { ...p, careers: { ...p.careers, seniorTitleRuralYears: 2 } };
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: r, mode: 'support' }, p)).toBe(true);
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: r, mode: 'support' }, two)).toBe(false);
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: r, mode: 'transfer' }, two)).toBe(true);
    expect(gainsRuralYear({ teacher: teacher('a', 'U', needy), to: r, mode: 'itinerant' }, p)).toBe(false);
  });

  it('sends the 一级 teacher who needs the year rather than a teacher who asked for the school (0.3 > 0.5 ÷ 2)', async () => {
    const { row, report } = await mover(county(needy, 2));
    expect(row).toMatchObject({ teacher_id: 'U10', to_school_id: 'R' });
    expect(row.reason).toContain('一级教师取得申报高级职称所需的乡村/薄弱学校任教经历（原0年）');
    expect(report.counts.careers.rural_year).toEqual({ needing: 1, gained: 1, text: '本方案使1名一级教师满足申报高级职称的农村/薄弱学校任教经历' });
    expect(report.objective_terms.find((t) => t.id === 'rural_year')).toMatchObject({ weight: 0.3, value: -0.3 });
    expect(report.audit_ok).toBe(true);
  });

  it('with the bonus at 0 the preference wins and nobody gains the year', async () => {
    const { row, report } = await mover(county(needy, 2, { ruralYearBonus: 0 }));
    expect(row.teacher_id).not.toBe('U10');
    expect(report.counts.careers.rural_year).toMatchObject({ needing: 1, gained: 0 });
  });
});

describe('two schools for principals, senior titles and 名师 (seed 002, R13)', () => {
  const candidate = { title: 'first' as const, schools_worked: 1 };

  it('reads candidates from title, backbone and role, among teachers with one school only', () => {
    const p = defaultPolicy();
    expect(needsSecondSchool(teacher('a', 'U', candidate), p)).toBe(true);
    expect(needsSecondSchool(teacher('a', 'U', { title: 'senior', schools_worked: 1 }), p)).toBe(true);
    expect(needsSecondSchool(teacher('a', 'U', { backbone: 'city', schools_worked: 1 }), p)).toBe(true);
    expect(needsSecondSchool(teacher('a', 'U', { backbone: 'county', schools_worked: 1 }), p)).toBe(false);
    expect(needsSecondSchool(teacher('a', 'U', { role: 'middle_manager', schools_worked: 1 }), p)).toBe(true);
    expect(needsSecondSchool(teacher('a', 'U', { role: 'vice_principal', schools_worked: 1 }), p)).toBe(true);
    expect(needsSecondSchool(teacher('a', 'U', { schools_worked: 1 }), p)).toBe(false);
    expect(needsSecondSchool(teacher('a', 'U', { ...candidate, schools_worked: 2 }), p)).toBe(false);
    // 支教 is work at the other school; a 走教 share keeps the post and most of the timetable at home.
    expect(gainsSecondSchool({ teacher: teacher('a', 'U', candidate), mode: 'support' }, p)).toBe(true);
    expect(gainsSecondSchool({ teacher: teacher('a', 'U', candidate), mode: 'itinerant' }, p)).toBe(false);
    // With 3 schools asked, a one-school teacher still needs them, but one move does not give them.
    p.careers.minSchoolsWorked = 3;
    expect(needsSecondSchool(teacher('a', 'U', candidate), p)).toBe(true);
    expect(gainsSecondSchool({ teacher: teacher('a', 'U', candidate), mode: 'transfer' }, p)).toBe(false);
  });

  it('moves the one-school candidate rather than a teacher who asked for the school (0.2 > 0.5 ÷ 3)', async () => {
    const { row, report } = await mover(county(candidate, 3));
    expect(row.teacher_id).toBe('U10');
    expect(row.reason).toContain('取得第2所学校工作经历（校长、高级职称、名师人选须2所）');
    expect(report.counts.careers.second_school).toEqual({ needing: 1, gained: 1, text: '本方案使1名校长、高级职称、名师人选具有2所学校工作经历' });
    expect(report.audit_ok).toBe(true);
  });

  it('with the bonus at 0 the preference wins', async () => {
    const { row } = await mover(county(candidate, 3, { secondSchoolBonus: 0 }));
    expect(row.teacher_id).not.toBe('U10');
  });
});

describe('audit of a hand-made plan', () => {
  it('counts the career conditions the plan meets, with the teachers who need them', () => {
    const ds = county({ title: 'first', rural_weak_years: 0, schools_worked: 1 }, 2);
    const other = auditPlan(ds, [{ teacher_id: 'U1', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '' }]);
    expect(other.counties[0]!.counts.careers.rural_year).toEqual({ needing: 1, gained: 0, text: '本方案使0名一级教师满足申报高级职称的农村/薄弱学校任教经历' });
    const u10 = auditPlan(ds, [{ teacher_id: 'U10', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '' }]);
    expect(u10.counties[0]!.counts.careers).toMatchObject({ rural_year: { needing: 1, gained: 1 }, second_school: { needing: 1, gained: 1 } });
  });
});
