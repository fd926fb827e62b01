import { describe, expect, it } from 'vitest';
import { SUBJECTS, defaultPolicy, policySchema, schoolSchema, teacherSchema, type School, type Subject } from '../solver/contract/schemas.ts';
import {
  LOCAL_PERIODS_BY_GRADE, PERIODS_BY_GRADE, PERIODS_PER_GRADE, WEEKLY_PERIODS, deriveNeeds, needKey,
  needsOrDerived, stageClasses, subjectSupply, teacherLoad,
} from '../solver/policy/needs.ts';

const policy = defaultPolicy();
const school = (over: Partial<School> & { id: string }): School =>
  schoolSchema.parse({ name: over.id, stage: 'primary', locale: 'urban', ...over });

describe('periods table (2022 curriculum)', () => {
  it('every grade adds up to 26 / 30 / 34 with local courses', () => {
    for (const stage of ['primary', 'junior'] as const) {
      PERIODS_PER_GRADE[stage].forEach((total, g) => {
        const subjects = Object.values(PERIODS_BY_GRADE[stage]).reduce((a, row) => a + (row?.[g] ?? 0), 0);
        expect(subjects + (LOCAL_PERIODS_BY_GRADE[stage][g] ?? NaN)).toBe(total);
      });
    }
  });

  it('stage averages: primary 28.67 periods in all, junior 34; english averaged over grades 1–6', () => {
    const sum = (o: Partial<Record<Subject, number>>) => Object.values(o).reduce((a, x) => a + (x ?? 0), 0);
    const local = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    expect(sum(WEEKLY_PERIODS.primary) + local(LOCAL_PERIODS_BY_GRADE.primary)).toBeCloseTo(172 / 6, 10);
    expect(sum(WEEKLY_PERIODS.junior) + local(LOCAL_PERIODS_BY_GRADE.junior)).toBeCloseTo(34, 10);
    expect(WEEKLY_PERIODS.primary.english).toBeCloseTo(8 / 6, 10);
    expect(WEEKLY_PERIODS.junior.chemistry).toBeCloseTo(1, 10);
  });

  it('gives a number to each subject of the stage, and only to those', () => {
    const primary = Object.keys(WEEKLY_PERIODS.primary).sort();
    const junior = Object.keys(WEEKLY_PERIODS.junior).sort();
    expect(primary).not.toContain('physics');
    expect(primary).not.toContain('chemistry');
    expect(primary).not.toContain('biology');
    expect(primary).not.toContain('history');
    expect(junior).not.toContain('science');
    const all = new Set([...primary, ...junior]);
    expect([...all].sort()).toEqual([...SUBJECTS].sort());
    for (const v of [...Object.values(WEEKLY_PERIODS.primary), ...Object.values(WEEKLY_PERIODS.junior)]) expect(v).toBeGreaterThan(0);
  });

  it('nine-year shares fall in the curriculum bands', () => {
    const total = (s: Subject) =>
      (PERIODS_BY_GRADE.primary[s] ?? []).reduce((a, x) => a + x, 0) + (PERIODS_BY_GRADE.junior[s] ?? []).reduce((a, x) => a + x, 0);
    const all = 6 * (172 / 6) + 3 * 34;
    const share = (...ss: Subject[]) => ss.reduce((a, s) => a + total(s), 0) / all;
    const bands: [Subject[], number, number][] = [
      [['chinese'], 0.2, 0.22], [['math'], 0.13, 0.15], [['english'], 0.06, 0.08], [['ethics_law'], 0.06, 0.08],
      [['science', 'physics', 'chemistry', 'biology'], 0.08, 0.1], [['history', 'geography'], 0.03, 0.04],
      [['info_tech'], 0.01, 0.03], [['music', 'art'], 0.09, 0.11], [['pe'], 0.1, 0.11],
    ];
    for (const [ss, lo, hi] of bands) {
      expect(share(...ss)).toBeGreaterThanOrEqual(lo);
      expect(share(...ss)).toBeLessThanOrEqual(hi);
    }
  });
});

describe('deriveNeeds', () => {
  it('classes × periods ÷ load, urban load 16 (primary)', () => {
    const needs = deriveNeeds([school({ id: 'U', students_primary: 500, classes_primary: 12 })], policy);
    expect(needs).toHaveLength(Object.keys(WEEKLY_PERIODS.primary).length);
    const math = needs.find((n) => n.subject === 'math');
    expect(math).toEqual({ school_id: 'U', stage: 'primary', subject: 'math', required: 3 }); // 12 × 4 / 16
    expect(needs.find((n) => n.subject === 'chinese')?.required).toBe(5.25); // 12 × 7 / 16
    expect(needs.find((n) => n.subject === 'english')?.required).toBe(1); // 12 × 8/6 / 16
  });

  it('rural schools use the rural loads 18 / 14', () => {
    const s = school({ id: 'R', stage: 'junior', locale: 'rural', students_junior: 300, classes_junior: 7 });
    expect(teacherLoad(s, 'junior', policy)).toBe(14);
    expect(teacherLoad(s, 'primary', policy)).toBe(18);
    expect(teacherLoad(school({ id: 'T', locale: 'town' }), 'junior', policy)).toBe(12);
    const needs = deriveNeeds([s], policy);
    expect(needs.find((n) => n.subject === 'chinese')?.required).toBe(2.5); // 7 × 5 / 14
    expect(needs.find((n) => n.subject === 'physics')?.required).toBe(1); // 7 × 2 / 14
    expect(needs.some((n) => n.subject === 'science')).toBe(false);
  });

  it('follows policy.teacherLoad', () => {
    const p = policySchema.parse({ teacherLoad: { primary: 20 } });
    const needs = deriveNeeds([school({ id: 'U', classes_primary: 10, students_primary: 400 })], p);
    expect(needs.find((n) => n.subject === 'math')?.required).toBe(2); // 10 × 4 / 20
  });

  it('estimates classes from students (45 primary, 50 junior) when classes are missing', () => {
    expect(stageClasses(school({ id: 'A', students_primary: 451 }), 'primary')).toBe(11);
    expect(stageClasses(school({ id: 'B', students_primary: 450 }), 'primary')).toBe(10);
    expect(stageClasses(school({ id: 'C', stage: 'junior', students_junior: 101 }), 'junior')).toBe(3);
    expect(stageClasses(school({ id: 'D', students_primary: 450, classes_primary: 14 }), 'primary')).toBe(14);
    expect(stageClasses(school({ id: 'E', students_primary: 0 }), 'primary')).toBe(0);
  });

  it('nine-year schools get both stages; stages without classes get no rows', () => {
    const needs = deriveNeeds([
      school({ id: 'N', stage: 'nine_year', students_primary: 90, students_junior: 100 }),
      school({ id: 'Z', students_primary: 0 }),
    ], policy);
    expect(new Set(needs.map((n) => `${n.school_id}:${n.stage}`))).toEqual(new Set(['N:primary', 'N:junior']));
    // 2 primary classes × 4 math / 16 and 2 junior classes × 5 / 12
    expect(needs.find((n) => n.stage === 'primary' && n.subject === 'math')?.required).toBe(0.5);
    expect(needs.find((n) => n.stage === 'junior' && n.subject === 'math')?.required).toBe(0.83);
  });
});

describe('needsOrDerived', () => {
  const schools = [school({ id: 'U', students_primary: 90 })];
  it('uses needs.csv when given', () => {
    const given = [{ school_id: 'U', stage: 'primary' as const, subject: 'pe' as const, required: 1.5 }];
    expect(needsOrDerived({ schools, needs: given }, policy)).toEqual(given);
  });
  it('derives when needs are absent or empty', () => {
    const derived = deriveNeeds(schools, policy);
    expect(needsOrDerived({ schools }, policy)).toEqual(derived);
    expect(needsOrDerived({ schools, needs: [] }, policy)).toEqual(derived);
    expect(derived.length).toBeGreaterThan(0);
  });
});

describe('subjectSupply', () => {
  it('counts teachers by school, stage and main subject only', () => {
    const t = (id: string, school_id: string, stage: 'primary' | 'junior', subject: Subject, extra: Subject[] = []) =>
      teacherSchema.parse({ id, name: 'x', school_id, stage, subject, extra_subjects: extra, gender: 'M', birth_year: 1990, years_at_school: 1 });
    const m = subjectSupply([
      t('1', 'N', 'primary', 'math', ['pe']), t('2', 'N', 'primary', 'math'), t('3', 'N', 'junior', 'math'), t('4', 'M', 'primary', 'pe'),
    ]);
    expect(m.get(needKey('N', 'primary', 'math'))).toBe(2);
    expect(m.get('N|junior|math')).toBe(1);
    expect(m.get('M|primary|pe')).toBe(1);
    expect(m.has('N|primary|pe')).toBe(false);
    expect(m.size).toBe(3);
  });
});
