// Leaders (issue 11 item 8, policy/leaders.ts): at most one leader leaves a school a year, no
// school is left without its principal (principals swap or rotate in chains), 中层 count as
// leaders when the policy says so, leaders have their own age caps; each rule decides a hand-made
// county's plan, and the audit of a hand-made plan that breaks it says where, with the numbers.
import { describe, expect, it } from 'vitest';
import { defaultPolicy, schoolSchema, teacherSchema, type Preference, type Teacher } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { assessEligibility } from '../solver/policy/eligibility.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

const school = (id: string, locale: 'urban' | 'rural') =>
  schoolSchema.parse({ id, name: `${id}校`, stage: 'primary', locale, students_primary: 400, quota: 100 });
const teacher = (id: string, school_id: string, over: Partial<Teacher> = {}) =>
  teacherSchema.parse({ id, name: id, school_id, stage: 'primary', subject: 'math', gender: 'M', birth_year: 1990, years_at_school: 8, title: 'second', schools_worked: 2, rural_weak_years: 3, ...over });

/** U: `lead` (leaders, all asking for R) then teachers up to 20, all eligible; R: 10 teachers not eligible, plus `rLead`. Two moves. */
function county(lead: Teacher[], rLead: Teacher[] = [], prefs: Preference[] = [], setup: (p: ReturnType<typeof defaultPolicy>) => void = () => {}): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0;
  setup(policy);
  return {
    schools: [school('U', 'urban'), school('R', 'rural')],
    teachers: [
      ...lead,
      ...Array.from({ length: 20 - lead.length }, (_, i) => teacher(`U${i + 1}`, 'U')),
      ...rLead,
      ...Array.from({ length: 10 }, (_, i) => teacher(`R${i + 1}`, 'R', { years_at_school: 1 })),
    ],
    needs: [{ school_id: 'U', stage: 'primary', subject: 'music', required: 0 }],
    preferences: [...lead.map((t) => ({ teacher_id: t.id, school_id: 'R', rank: 1 })), ...prefs],
    locks: [],
    policy,
  };
}

const moved = async (ds: Dataset) => {
  const plans = await planDataset(ds, highs);
  expect(plans[0]!.status).toBe('optimal');
  const report = buildReport(ds, plans);
  expect(report.audit_ok).toBe(true);
  return { ids: plans[0]!.rows.map((r) => r.teacher_id).sort(), report };
};

const row = (teacher_id: string, from: string, to: string) => ({ teacher_id, from_school_id: from, to_school_id: to, mode: 'transfer' as const, reason: '' });

describe('at most one leader leaves a school a year', () => {
  const vices = [teacher('V1', 'U', { role: 'vice_principal' }), teacher('V2', 'U', { role: 'vice_principal' })];

  it('sends one of the two vice-principals who asked for R, not both', async () => {
    const { ids, report } = await moved(county(vices));
    expect(ids.filter((id) => id.startsWith('V'))).toHaveLength(1);
    expect(report.counts.leaders).toEqual({ principal: 0, vice_principal: 1, middle_manager: 0, leaders: 1, teachers: 1 });
    expect(report.rules.find((r) => r.id === 'leaders_per_school')).toMatchObject({ ok: true, actual: '2校全部符合（共调出1人）', actual_en: 'all 2 schools comply (1 leaders leave)' });
  });

  it('sends both when the county allows two', async () => {
    expect((await moved(county(vices, [], [], (p) => { p.leaders.maxLeavingPerSchool = 2; }))).ids).toEqual(['V1', 'V2']);
  });

  it('counts 中层 as leaders only when the policy says so (seed 004 中层轮岗)', async () => {
    const mm = [teacher('M1', 'U', { role: 'middle_manager' }), teacher('M2', 'U', { role: 'middle_manager' })];
    expect((await moved(county(mm))).ids).toEqual(['M1', 'M2']);
    const { ids, report } = await moved(county(mm, [], [], (p) => { p.leaders.middleManagersAsLeaders = true; }));
    expect(ids.filter((id) => id.startsWith('M'))).toHaveLength(1);
    expect(report.counts.leaders).toMatchObject({ middle_manager: 1, leaders: 1, teachers: 1 });
  });

  it('audit: a hand-made plan sending both vice-principals breaks it, naming the school and the numbers', () => {
    const audit = auditPlan(county(vices), [row('V1', 'U', 'R'), row('V2', 'U', 'R')]);
    expect(audit.ok).toBe(false);
    expect(audit.counties[0]!.rules.find((r) => r.id === 'leaders_per_school')).toMatchObject({ ok: false, numerator: 1, denominator: 2, details: ['U：调出学校领导2人 > 1'], details_en: ['U: 2 leaders leave > 1'] });
  });
});

describe('no school is left without its principal', () => {
  const pu = teacher('PU', 'U', { role: 'principal' });

  it('keeps U’s principal home when R’s principal cannot leave', async () => {
    const { ids } = await moved(county([pu], [teacher('PR', 'R', { role: 'principal', years_at_school: 1 })]));
    expect(ids).not.toContain('PU');
  });

  it('swaps the two principals when both may move and both asked for it', async () => {
    const pr = teacher('PR', 'R', { role: 'principal' });
    const { ids, report } = await moved(county([pu], [pr], [{ teacher_id: 'PR', school_id: 'U', rank: 1 }]));
    // 21 eligible (20 at U, R's principal): three moves.
    expect(ids).toEqual(['PR', 'PU', 'U1']);
    expect(report.counts.leaders).toMatchObject({ principal: 2, leaders: 2, teachers: 1 });
    expect(report.rules.find((r) => r.id === 'principal_kept')).toMatchObject({ ok: true, actual: '2校全部符合（交流校长2人）', actual_en: 'all 2 schools comply (2 principals rotate)' });
  });

  it('audit: a hand-made plan moving one principal breaks it at both schools', () => {
    const ds = county([pu], [teacher('PR', 'R', { role: 'principal' })]);
    const audit = auditPlan(ds, [row('PU', 'U', 'R'), row('U1', 'U', 'R')]);
    expect(audit.counties[0]!.rules.find((r) => r.id === 'principal_kept')).toMatchObject({
      ok: false, numerator: 2, denominator: 2, details: ['U：调出校长1人，调入0人', 'R：调出校长0人，调入1人'],
      details_en: ['U: 1 principals leave, 0 come in', 'R: 0 principals leave, 1 come in'],
    });
  });
});

describe('leaders’ own age caps', () => {
  it('apply to principals and vice-principals (and 中层 when switched on), not to teachers', () => {
    const p = defaultPolicy();
    p.leaders.maxAge = { M: 55, F: 50 };
    const at52 = (role: Teacher['role']) => assessEligibility(teacher('x', 'U', { role, birth_year: p.year - 52 }), p);
    expect(at52('principal')).toMatchObject({ eligible: true, reason: '本校任职8年≥6（校长）；男52岁<55' });
    expect(at52('vice_principal').eligible).toBe(true);
    expect(at52('teacher')).toMatchObject({ eligible: false, status: 'too_old' });
    expect(at52('middle_manager').eligible).toBe(false);
    p.leaders.middleManagersAsLeaders = true;
    expect(at52('middle_manager')).toMatchObject({ eligible: true, reason: '本校任职8年≥6（中层）；男52岁<55' });
  });
});
