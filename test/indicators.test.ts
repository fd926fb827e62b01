import { describe, expect, it } from 'vitest';
import { defaultPolicy, schoolSchema, teacherSchema, type School, type Teacher } from '../solver/contract/schemas.ts';
import {
  INDICATOR_KEYS, aboveDegree, applyMoves, cvTable, indicatorFlags, isBackbone, isPeArt,
  schoolIndicators, schoolStages, weightedCv,
} from '../solver/policy/indicators.ts';

const policy = defaultPolicy();

function school(over: Partial<School> & { id: string }): School {
  return schoolSchema.parse({ name: `school ${over.id}`, stage: 'primary', locale: 'town', ...over });
}
let seq = 0;
function teacher(over: Partial<Teacher> & { school_id: string }): Teacher {
  seq += 1;
  return teacherSchema.parse({
    id: `T${seq}`, name: 'x', stage: 'primary', subject: 'chinese', gender: 'F',
    birth_year: 1985, years_at_school: 3, ...over,
  });
}
const many = (n: number, over: Partial<Teacher> & { school_id: string }): Teacher[] =>
  Array.from({ length: n }, () => teacher(over));

// Official illustration, books per student (domain.md §C3).
const BOOKS = [
  { P: 45, R: 279 }, { P: 37, R: 137 }, { P: 89, R: 935 }, { P: 76, R: 160 }, { P: 55, R: 402 },
];

describe('weightedCv', () => {
  it('reproduces the official worked example: X̄ 6.334, S 3.264, CV 0.515', () => {
    const w = weightedCv(BOOKS);
    expect(w.P).toBe(302);
    expect(w.R).toBe(1913);
    expect(w.mean).toBeCloseTo(6.334, 3);
    expect(w.sd).toBeCloseTo(3.264, 2);
    expect(w.cv).not.toBeNull();
    expect(Math.abs((w.cv ?? 0) - 0.515)).toBeLessThanOrEqual(0.001);
  });

  it('is not the unweighted CV (0.489 on the same data)', () => {
    const xs = BOOKS.map((b) => b.R / b.P);
    const m = xs.reduce((a, x) => a + x, 0) / xs.length;
    const plain = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length) / m;
    expect(plain).toBeCloseTo(0.489, 3);
    expect(Math.abs((weightedCv(BOOKS).cv ?? 0) - plain)).toBeGreaterThan(0.02);
  });

  it('teacher example: backbone CV 0.559 before, 0.296 after the four moves', () => {
    const P = [1200, 600, 300, 150];
    const before = weightedCv(P.map((p, i) => ({ P: p, R: [24, 5, 1, 0][i] ?? 0 })));
    const after = weightedCv(P.map((p, i) => ({ P: p, R: [20, 5, 4, 1][i] ?? 0 })));
    expect(before.cv).toBeCloseTo(0.559, 3);
    expect(after.cv).toBeCloseTo(0.296, 3);
    expect(100 * before.mean).toBeCloseTo(1.333, 3);
    expect(100 * after.mean).toBeCloseTo(1.333, 3);
  });

  it('is scale invariant (per student vs per 100, and enrolment scale)', () => {
    const base = weightedCv(BOOKS).cv ?? NaN;
    expect(weightedCv(BOOKS.map((b) => ({ P: b.P, R: 100 * b.R }))).cv).toBeCloseTo(base, 12);
    expect(weightedCv(BOOKS.map((b) => ({ P: 7 * b.P, R: 7 * b.R }))).cv).toBeCloseTo(base, 12);
  });

  it('skips points without students and returns null when undefined', () => {
    expect(weightedCv([...BOOKS, { P: 0, R: 50 }]).cv).toBeCloseTo(weightedCv(BOOKS).cv ?? NaN, 12);
    expect(weightedCv([]).cv).toBeNull();
    expect(weightedCv([{ P: 0, R: 3 }]).cv).toBeNull();
    expect(weightedCv([{ P: 10, R: 0 }, { P: 20, R: 0 }]).cv).toBeNull();
    expect(weightedCv([{ P: 10, R: 1 }, { P: 20, R: 2 }]).cv).toBe(0);
  });
});

describe('teacher flags', () => {
  it('above degree depends on the stage taught; unknown degree does not count', () => {
    expect(aboveDegree({ stage: 'primary', degree: 'associate' })).toBe(true);
    expect(aboveDegree({ stage: 'junior', degree: 'associate' })).toBe(false);
    expect(aboveDegree({ stage: 'junior', degree: 'bachelor' })).toBe(true);
    expect(aboveDegree({ stage: 'primary', degree: 'secondary' })).toBe(false);
    expect(aboveDegree({ stage: 'primary', degree: undefined })).toBe(false);
    expect(aboveDegree({ stage: 'junior', degree: 'doctor' })).toBe(true);
  });

  it('backbone is any level but none; PE+art is pe, music, art', () => {
    expect(isBackbone({ backbone: 'county' })).toBe(true);
    expect(isBackbone({ backbone: 'none' })).toBe(false);
    expect((['pe', 'music', 'art'] as const).every((subject) => isPeArt({ subject }))).toBe(true);
    expect(isPeArt({ subject: 'labor' })).toBe(false);
    expect(INDICATOR_KEYS).toEqual(['aboveDegree', 'backbone', 'peArt']);
    expect(indicatorFlags(teacher({ school_id: 'A', stage: 'junior', degree: 'master', backbone: 'city', subject: 'music' })))
      .toEqual({ aboveDegree: true, backbone: true, peArt: true });
    expect(indicatorFlags(teacher({ school_id: 'A', stage: 'junior', degree: 'associate' })))
      .toEqual({ aboveDegree: false, backbone: false, peArt: false });
  });
});

describe('schoolIndicators + cvTable', () => {
  it('splits a nine-year school by the stage teachers teach', () => {
    const s = [school({ id: 'N', stage: 'nine_year', students_primary: 300, students_junior: 200 })];
    expect(schoolStages(s[0] ?? school({ id: 'x' }))).toEqual(['primary', 'junior']);
    const ts = [
      teacher({ school_id: 'N', stage: 'primary', degree: 'associate' }),
      teacher({ school_id: 'N', stage: 'primary', subject: 'pe', backbone: 'county' }),
      teacher({ school_id: 'N', stage: 'junior', degree: 'associate' }),
      teacher({ school_id: 'N', stage: 'junior', degree: 'bachelor', subject: 'art' }),
      teacher({ school_id: 'N', stage: 'junior', degree: 'master', backbone: 'province' }),
    ];
    const rows = schoolIndicators(s, ts, policy);
    expect(rows).toHaveLength(2);
    const [p, j] = rows;
    expect(p).toMatchObject({ school_id: 'N', stage: 'primary', students: 300, teachers: 2, aboveDegree: 1, backbone: 1, peArt: 1 });
    expect(p?.aboveDegreePer100).toBeCloseTo(1 / 3, 12);
    expect(j).toMatchObject({ school_id: 'N', stage: 'junior', students: 200, teachers: 3, aboveDegree: 2, backbone: 1, peArt: 1 });
    expect(j?.backbonePer100).toBeCloseTo(0.5, 12);
    expect(j?.backboneOk).toBe(false);
  });

  it('one row per stage offered; teachers of other schools or stages do not leak in', () => {
    const s = [school({ id: 'P', students_primary: 100 }), school({ id: 'J', stage: 'junior', students_junior: 100 })];
    const ts = [teacher({ school_id: 'P' }), teacher({ school_id: 'P', stage: 'junior' }), teacher({ school_id: 'J', stage: 'junior' })];
    const rows = schoolIndicators(s, ts, policy);
    expect(rows.map((r) => `${r.school_id}:${r.stage}:${r.teachers}`)).toEqual(['P:primary:1', 'J:junior:1']);
  });

  it('pass flags use the stage thresholds (boundary inclusive), null without students', () => {
    const s = [
      school({ id: 'A', students_primary: 100 }),
      school({ id: 'B', stage: 'junior', students_junior: 100 }),
      school({ id: 'Z', students_primary: 0 }),
    ];
    const ts = [
      ...many(5, { school_id: 'A', degree: 'associate' }), // 5.0 ≥ 4.2
      teacher({ school_id: 'A', backbone: 'county', subject: 'pe' }), // 1.0 ≥ 1.0; 1.0 ≥ 0.9
      ...many(5, { school_id: 'B', stage: 'junior', degree: 'bachelor' }), // 5.0 < 5.3
      teacher({ school_id: 'Z', degree: 'bachelor' }),
    ];
    const [a, b, z] = schoolIndicators(s, ts, policy);
    expect(a).toMatchObject({ aboveDegreePer100: 5, aboveDegreeOk: true, backbonePer100: 1, backboneOk: true, peArtOk: true });
    expect(b).toMatchObject({ aboveDegreePer100: 5, aboveDegreeOk: false, backboneOk: false, peArtOk: false });
    expect(z).toMatchObject({ students: 0, teachers: 1, aboveDegreePer100: null, aboveDegreeOk: null, inCvScope: false });
  });

  it('leaves teaching points under 50 students out of the CV', () => {
    const s = [
      school({ id: 'TP49', teaching_point: true, students_primary: 49 }),
      school({ id: 'TP50', teaching_point: true, students_primary: 50 }),
      school({ id: 'V30', students_primary: 30 }),
    ];
    const rows = schoolIndicators(s, [], policy);
    expect(rows.map((r) => r.inCvScope)).toEqual([false, true, true]);
    const cv = cvTable(rows, policy).find((c) => c.stage === 'primary' && c.indicator === 'backbone');
    expect(cv?.schools).toBe(2);
    expect(cv?.P).toBe(80);
  });

  it('runs the teacher example end to end through applyMoves', () => {
    const s = [
      school({ id: 'A', locale: 'urban', students_primary: 1200 }),
      school({ id: 'B', students_primary: 600 }),
      school({ id: 'C', locale: 'rural', students_primary: 300 }),
      school({ id: 'D', locale: 'rural', students_primary: 150 }),
      school({ id: 'TP', locale: 'rural', teaching_point: true, students_primary: 20 }),
    ];
    const ts = [
      ...many(24, { school_id: 'A', backbone: 'county' }),
      ...many(5, { school_id: 'B', backbone: 'city' }),
      teacher({ school_id: 'C', backbone: 'county' }),
      teacher({ school_id: 'D' }),
      teacher({ school_id: 'TP', backbone: 'national' }), // out of scope: must not change the CV
    ];
    const before = cvTable(schoolIndicators(s, ts, policy), policy);
    const b = before.find((c) => c.stage === 'primary' && c.indicator === 'backbone');
    expect(b).toMatchObject({ schools: 4, P: 2250, R: 30, max: 0.5, ok: false });
    expect(b?.cv).toBeCloseTo(0.559, 3);
    expect(b?.mean).toBeCloseTo(1.333, 3);

    const movers = ts.filter((t) => t.school_id === 'A').slice(0, 4).map((t) => t.id);
    const moves = [
      ...movers.slice(0, 3).map((id) => ({ teacher_id: id, to_school_id: 'C' })),
      { teacher_id: movers[3] ?? '', to_school_id: 'D' },
    ];
    const moved = applyMoves(ts, moves);
    const afterRows = schoolIndicators(s, moved, policy);
    expect(afterRows.map((r) => r.backbone)).toEqual([20, 5, 4, 1, 1]);
    const a = cvTable(afterRows, policy).find((c) => c.stage === 'primary' && c.indicator === 'backbone');
    expect(a?.cv).toBeCloseTo(0.296, 3);
    expect(a?.mean).toBeCloseTo(1.333, 3);
    expect(a?.ok).toBe(true);
    expect(afterRows.find((r) => r.school_id === 'B')?.backboneOk).toBe(false);
    expect(afterRows.find((r) => r.school_id === 'D')?.backboneOk).toBe(false);
  });

  it('covers every stage × indicator, with null CV when nothing is in scope', () => {
    const rows = schoolIndicators([school({ id: 'A', students_primary: 100 })], [teacher({ school_id: 'A', degree: 'bachelor' })], policy);
    const table = cvTable(rows, policy);
    expect(table).toHaveLength(6);
    const j = table.filter((c) => c.stage === 'junior');
    expect(j.every((c) => c.schools === 0 && c.cv === null && c.ok === null && c.max === 0.45)).toBe(true);
    const one = table.find((c) => c.stage === 'primary' && c.indicator === 'aboveDegree');
    expect(one).toMatchObject({ schools: 1, cv: 0, ok: true, mean: 1, sd: 0 });
  });
});

describe('applyMoves', () => {
  it('returns copies and leaves the input untouched', () => {
    const ts = [teacher({ school_id: 'A', extra_subjects: ['art'] }), teacher({ school_id: 'B' })];
    const out = applyMoves(ts, [{ teacher_id: ts[0]?.id ?? '', to_school_id: 'C' }]);
    expect(out.map((t) => t.school_id)).toEqual(['C', 'B']);
    expect(ts.map((t) => t.school_id)).toEqual(['A', 'B']);
    expect(out[0]).not.toBe(ts[0]);
    expect(out[1]).not.toBe(ts[1]);
    expect(out[0]?.extra_subjects).not.toBe(ts[0]?.extra_subjects);
  });

  it('rejects unknown and repeated teacher ids', () => {
    const ts = [teacher({ school_id: 'A' })];
    const id = ts[0]?.id ?? '';
    expect(() => applyMoves(ts, [{ teacher_id: 'nobody', to_school_id: 'B' }])).toThrow(/unknown/);
    expect(() => applyMoves(ts, [{ teacher_id: id, to_school_id: 'B' }, { teacher_id: id, to_school_id: 'C' }])).toThrow(/more than once/);
  });
});
