// School thresholds and caps (issue 11 item 9): the 优质均衡 lines per 100 students as an objective
// term (policy/school-lines.ts, model/threshold-lines.ts) decide a hand-made county's one move; the
// report counts lines and "schools meeting all teacher indicators" before/after; the audit of a
// hand-made plan names the line it drops; class and school size caps are reported per school.
import { describe, expect, it } from 'vitest';
import { defaultPolicy, schoolSchema, teacherSchema, type School, type Teacher } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { lineCount } from '../solver/policy/school-lines.ts';
import { type LineVar, lineValues } from '../solver/model/threshold-lines.ts';
import { capFailures, schoolCaps } from '../solver/policy/school-caps.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { auditSections, buildReport } from '../solver/report/report.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

const school = (id: string, locale: 'urban' | 'rural', students: number, over: Partial<School> = {}) =>
  schoolSchema.parse({ id, name: `${id}校`, stage: 'primary', locale, students_primary: students, quota: 100, ...over });
const teacher = (id: string, school_id: string, over: Partial<Teacher> = {}) =>
  teacherSchema.parse({ id, name: id, school_id, stage: 'primary', subject: 'math', gender: 'M', birth_year: 1990, years_at_school: 8, title: 'second', schools_worked: 2, rural_weak_years: 3, ...over });

/**
 * U (400 students, PE line ⌈0.9 × 4⌉ = 4) has `pe` PE teachers and 10 − pe math teachers, all
 * eligible; R (200 students, line 2) has `rPe` PE teachers (not eligible). One move. The teachers
 * of subject `asked` asked for R (0.5 ÷ rank 1); the 差异系数 weight is 0 so only the line and the
 * preference speak.
 */
function county(pe: number, weights: Partial<ReturnType<typeof defaultPolicy>['weights']> = {}, rPe = 1, asked: 'math' | 'pe' = 'math'): Dataset {
  const policy = defaultPolicy();
  policy.ratios.minBackboneShareOfRotated = 0;
  Object.assign(policy.weights, { cvBalance: 0, schoolLine: 1, ...weights });
  const u = Array.from({ length: 10 }, (_, i) => teacher(`U${i + 1}`, 'U', i < pe ? { subject: 'pe' } : {}));
  const r = Array.from({ length: 5 }, (_, i) => teacher(`R${i + 1}`, 'R', { years_at_school: 1, ...(i < rPe ? { subject: 'pe' as const } : {}) }));
  return {
    schools: [school('U', 'urban', 400), school('R', 'rural', 200)],
    teachers: [...u, ...r],
    needs: [{ school_id: 'U', stage: 'primary', subject: 'music', required: 0 }],
    preferences: u.filter((t) => t.subject === asked).map((t) => ({ teacher_id: t.id, school_id: 'R', rank: 1 })),
    locks: [],
    policy,
  };
}

describe('the line of a threshold per 100 students', () => {
  it('is the fewest whole teachers meeting it, exactly as the indicators judge it', () => {
    const p = defaultPolicy();
    expect(lineCount(400, 'peArt', 'primary', p)).toBe(4); // 0.9 × 4 = 3.6
    expect(lineCount(200, 'peArt', 'primary', p)).toBe(2); // 1.8
    expect(lineCount(100, 'backbone', 'junior', p)).toBe(1); // exactly 1.0
    expect(lineCount(500, 'aboveDegree', 'primary', p)).toBe(21); // 4.2 × 5 = 21.0, float noise tolerated
    expect(lineCount(1000, 'aboveDegree', 'junior', p)).toBe(53);
  });
});

describe('school lines as an objective term', () => {
  it('sends a PE teacher to bring R over its line (1 > 0.5) and counts it before/after', async () => {
    const ds = county(6);
    const plans = await planDataset(ds, highs);
    expect(plans[0]!.status).toBe('optimal');
    expect(plans[0]!.rows.map((r) => [r.to_school_id, ds.teachers.find((t) => t.id === r.teacher_id)!.subject])).toEqual([['R', 'pe']]);
    const report = buildReport(ds, plans);
    // Lines: U meets PE (6 ≥ 4) before and after (5 ≥ 4); R meets none before, PE after. Nobody meets all three.
    expect(report.counts.school_lines).toMatchObject({ school_stages: 2, lines: 6, lines_met: { before: 1, after: 2 }, meeting_all: { before: 0, after: 0 }, brought_over: ['R/primary/peArt'], dropped_below: [] });
    expect(report.objective_terms.find((t) => t.id === 'school_line')).toMatchObject({ weight: 1, value: -1 });
    // The model's objective is the report's sum of terms: the line binaries are exact.
    expect(plans[0]!.objective).toBeCloseTo(report.objective_terms.reduce((a, t) => a + t.value, 0), 6);
  });

  it('with the weight at 0 the preference wins', async () => {
    const plans = await planDataset(county(6, { schoolLine: 0 }), highs);
    expect(plans[0]!.rows[0]!.teacher_id).toMatch(/^U(7|8|9|10)$/);
  });

  it('does not drop U below its line for a preference (PE teachers asked for R; U has exactly 4; R stays below with one)', async () => {
    const subjectMoved = async (ds: Dataset) => {
      const plans = await planDataset(ds, highs);
      return { subject: ds.teachers.find((t) => t.id === plans[0]!.rows[0]!.teacher_id)!.subject, lines: buildReport(ds, plans).counts.school_lines.lines_met };
    };
    expect(await subjectMoved(county(4, {}, 0, 'pe'))).toEqual({ subject: 'math', lines: { before: 1, after: 1 } });
    expect(await subjectMoved(county(4, { schoolLine: 0 }, 0, 'pe'))).toEqual({ subject: 'pe', lines: { before: 1, after: 0 } });
  });
});

describe('audit of a hand-made plan', () => {
  it('names the line a plan drops, with the counts before and after', () => {
    const ds = county(4);
    const audit = auditPlan(ds, [{ teacher_id: 'U1', from_school_id: 'U', to_school_id: 'R', mode: 'transfer', reason: '' }]);
    const lines = audit.counties[0]!.counts.school_lines;
    // U: 4 → 3 PE teachers for 400 students (0.75 < 0.9); R: 1 → 2 for 200 (1.0 ≥ 0.9).
    expect(lines).toMatchObject({ lines_met: { before: 1, after: 1 }, brought_over: ['R/primary/peArt'], dropped_below: ['U/primary/peArt'] });
    const per100 = auditSections(ds, audit).indicators.schools.find((s) => s.school_id === 'U')!;
    expect([per100.before.pe_art_per100, per100.after.pe_art_per100, per100.after.pe_art_ok]).toEqual([1, 0.75, false]);
  });
});

describe('class and school size caps (K1–K2)', () => {
  it('reports each school with its numbers and names the ones that fail', () => {
    const rows = schoolCaps([
      school('A', 'urban', 2100, { classes_primary: 40 }), // 52.5 per class, 2100 > 2000
      school('B', 'urban', 900, { classes_primary: 20 }), // 45.0: at the cap
      school('C', 'rural', 300), // classes unknown
      school('D', 'urban', 0, { stage: 'nine_year', students_primary: 1500, students_junior: 900, classes_primary: 34, classes_junior: 17 }), // 2400 ≤ 2500; 44.1; 52.9
    ]);
    expect(rows.map((r) => [r.school_id, r.students, r.max_students, r.school_size_ok])).toEqual([
      ['A', 2100, 2000, false], ['B', 900, 2000, true], ['C', 300, 2000, true], ['D', 2400, 2500, true],
    ]);
    expect(capFailures(rows)).toEqual({
      school_size: ['A：在校生2100人 > 2000'],
      class_size: ['A（小学）：2100人 ÷ 40班 = 平均班额52.5 > 45', 'D（初中）：900人 ÷ 17班 = 平均班额52.9 > 50'],
      class_size_unknown: 1,
    });
  });

  it('are in the audit sections of the report', async () => {
    const ds = county(6);
    const report = buildReport(ds, await planDataset(ds, highs));
    expect(defaultPolicy().weights.schoolLine).toBe(0); // off unless the planner turns it on
    expect(report.school_caps.schools.map((s) => s.school_id)).toEqual(['U', 'R']);
    expect(report.school_caps.failing).toEqual({ school_size: [], class_size: [], class_size_unknown: 2 });
  });
});

describe('school lines with 走教 shares (issue 11 items 2 and 9 together)', () => {
  it('a half-teacher net change counts: gaining needs the whole distance, and half a teacher below the line loses it', () => {
    const gain: LineVar = { v: 0, key: 'S|primary|peArt', kind: 'gain', reach: 1 };
    const lost: LineVar = { v: 1, key: 'S|primary|peArt', kind: 'lost', reach: 1 }; // exactly on the line: any outflow drops it
    const at = (n: number) => {
      const x = new Float64Array(2);
      lineValues([gain, lost], new Map([['S|primary|peArt', n]]), x);
      return [...x];
    };
    expect(at(0.5)).toEqual([0, 0]);
    expect(at(1)).toEqual([1, 0]);
    expect(at(-0.5)).toEqual([0, 1]);
    expect(at(0)).toEqual([0, 0]);
  });
});
