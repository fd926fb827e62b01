// history.csv: reading it (errors like the other tables'), what it does to the plan year (returns,
// minimum-term locks, career counters), and the auditor's paper-rotation checks on hand-made
// histories — planted paper rotations are found, a clean history gives nothing.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadDataset, type DatasetFile } from '../solver/contract/dataset.ts';
import { formatInputError } from '../solver/contract/input-errors.ts';
import { defaultPolicy, type HistoryRow, teacherSchema } from '../solver/contract/schemas.ts';
import { applyHistory, historyLocks, returnsDue, withHistoryCareers } from '../solver/cycle/history.ts';
import { historyChecks } from '../solver/cycle/paper-rotation.ts';
import { loadSample, repoPath } from './helpers/datasets.ts';
import { generateCounty } from '../data/generate.ts';

const policy = defaultPolicy(); // year 2026, minimum term 3, deferral limit 3, window 6
const h = (teacher_id: string, mode: HistoryRow['mode'], from: string, to: string | undefined, start_year: number, end_year?: number, exemption?: HistoryRow['exemption']): HistoryRow =>
  ({ teacher_id, mode, from_school_id: from, start_year, ...(to ? { to_school_id: to } : {}), ...(end_year ? { end_year } : {}), ...(exemption ? { exemption } : {}) });
const teacher = (id: string, extra: Record<string, unknown> = {}) => teacherSchema.parse({
  id, name: '某', school_id: 'A', stage: 'primary', subject: 'math', gender: 'F', birth_year: 1990, years_at_school: 8, ...extra,
});

async function smallFiles(extra: DatasetFile[]): Promise<DatasetFile[]> {
  const names = ['schools.csv', 'teachers.csv', 'policy.json'];
  return [...await Promise.all(names.map(async (n) => ({ name: n, content: await readFile(repoPath('data', 'small-county', n)) }))), ...extra];
}

describe('history.csv is read like the other tables', () => {
  it('loads rows with Chinese headers and kinds', async () => {
    const csv = '教师编号,调出学校代码,调入学校代码,交流方式,开始年份,结束年份,暂缓原因\nT00001,S001,S005,支教,2024,2026,\nT00002,S001,,暂缓,2025,2026,特色项目负责人\n';
    const r = await loadDataset(await smallFiles([{ name: 'history.csv', content: csv }]));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.dataset.history).toEqual([h('T00001', 'support', 'S001', 'S005', 2024, 2026), h('T00002', 'deferral', 'S001', undefined, 2025, 2026, 'program_lead')]);
  });

  it('reports every bad row as file:line: column and loads nothing', async () => {
    const csv = [
      'teacher_id,from_school_id,to_school_id,mode,start_year,end_year',
      'T99999,S001,S005,transfer,2023,', // unknown teacher
      'T00001,S001,,support,2023,', // a move without a destination
      'T00002,S001,S777,transfer,2023,', // unknown school
      'T00003,S001,S005,support,2024,2022', // ends before it starts
      'T00004,S001,S005,transfer,2027,', // after the plan year 2026
      'T00005,S001,S005,walk,2023,', // unknown kind
    ].join('\n');
    const r = await loadDataset(await smallFiles([{ name: 'history.csv', content: csv }]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.errors.map((e) => formatInputError(e, 'en'));
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^history\.csv:2: teacher_id: teacher "T99999" not in teachers\.csv/),
      expect.stringMatching(/^history\.csv:3: to_school_id: required value missing/),
      expect.stringMatching(/^history\.csv:4: to_school_id: school "S777" not in schools\.csv/),
      expect.stringMatching(/^history\.csv:5: end_year: end_year 2022 is before start_year 2024/),
      expect.stringMatching(/^history\.csv:6: start_year: start_year 2027 is after the plan year 2026/),
      expect.stringMatching(/^history\.csv:7: mode: /),
    ]));
    expect(lines).toHaveLength(6);
  });
});

describe('what the history does to the plan year', () => {
  const history = [
    h('T1', 'support', 'A', 'B', 2025), // 1-year term (modes.support.termYears): ends 2026 → returns now
    h('T2', 'support', 'A', 'B', 2024, 2027), // still on its term
    h('T3', 'transfer', 'C', 'A', 2024), // moved 2 years ago: within the minimum term
    h('T4', 'transfer', 'C', 'A', 2019), // long ago
    h('T5', 'support', 'A', 'B', 2022, 2024), // returned two years ago: not again
  ];

  it('lists the returns of terms ending now, back to the home school', () => {
    expect(returnsDue(history, policy)).toEqual([
      { teacher_id: 'T1', from_school_id: 'B', to_school_id: 'A', mode: 'support', start_year: 2025, end_year: 2026, reason: '支教期满返回原校（2025–2026学年）' },
    ]);
  });

  it('locks teachers on a term or moved within the minimum term, and keeps the planner\'s own locks', () => {
    const locks = historyLocks(history, policy, new Set(['T3']));
    expect(locks.map((l) => [l.teacher_id, l.reason])).toEqual([
      ['T1', '最短任期3年：2025年支教，2028学年前不再交流'],
      ['T2', '任期未满：2024年支教，2027学年期满'],
    ]); // T3: the planner's lock; T4 (2019) and T5 (2022) are past the minimum term
  });

  it('fills career counters the roster lacks: schools worked and rural/weak years', () => {
    const schools = [
      { id: 'A', locale: 'urban', weak: false }, { id: 'B', locale: 'rural', weak: false }, { id: 'C', locale: 'town', weak: true },
    ].map((s) => ({ ...s, name: s.id, stage: 'primary' as const, teaching_point: false, locale: s.locale as 'urban' }));
    const [t4, t5, untouched] = withHistoryCareers([teacher('T4'), teacher('T5', { rural_weak_years: 5 }), teacher('T9')], history, schools, policy);
    // T4: C (weak) → A in 2019, still at A: two schools; no rural/weak years from the history (A is urban).
    expect([t4!.schools_worked, t4!.rural_weak_years]).toEqual([2, 0]);
    // T5: 支教 A → B (rural) 2022–2024: 2 rural years, but the roster's 5 is more and stays.
    expect([t5!.schools_worked, t5!.rural_weak_years]).toEqual([2, 5]);
    expect(untouched).toEqual(teacher('T9'));
  });
});

describe('paper-rotation checks', () => {
  const found = (rows: HistoryRow[], plan = [] as Parameters<typeof historyChecks>[3], teachers = [teacher('Z')]) =>
    Object.fromEntries(historyChecks(rows, teachers, policy, plan).map((c) => [c.id, c.teachers.map((t) => t.teacher_id)]));

  it('finds planted paper rotations and lists the teachers', () => {
    const planted = [
      h('P1', 'transfer', 'A', 'B', 2018), h('P1', 'transfer', 'B', 'C', 2021), h('P1', 'transfer', 'C', 'D', 2024), // every 3 years: repeat
      h('P2', 'transfer', 'A', 'B', 2022), h('P2', 'transfer', 'B', 'A', 2023), // there and straight back
      h('P3', 'support', 'A', 'B', 2023, 2023), // a term of no year
      h('P4', 'deferral', 'A', undefined, 2021, 2024, 'program_lead'), // 4 years deferred
      h('P5', 'deferral', 'A', undefined, 2023, 2025, 'other'), // 3 years, + this year's exemption on the roster = 4
      h('P6', 'deferral', 'A', undefined, 2020, 2025, 'near_retirement'), // deferred until retirement by design
    ];
    expect(found(planted, [], [teacher('P5', { exemption: 'other' }), teacher('P6', { exemption: 'near_retirement' })])).toEqual({
      repeat_rotation: ['P1', 'P1', 'P2'],
      short_stay: ['P2', 'P3'],
      immediate_return: ['P2'],
      deferral_limit: ['P4', 'P5'],
    });
  });

  it('reads a plan as the plan year\'s rows: moving back a teacher transferred last year is an immediate return', () => {
    const plan = [{ teacher_id: 'Q1', from_school_id: 'B', to_school_id: 'A', mode: 'transfer' as const, reason: '' }];
    expect(found([h('Q1', 'transfer', 'A', 'B', 2025)], plan).immediate_return).toEqual(['Q1']);
  });

  it('finds nothing in a clean history', () => {
    const clean = [
      h('C1', 'transfer', 'A', 'B', 2014), h('C1', 'transfer', 'B', 'C', 2020), // six years apart
      h('C2', 'support', 'A', 'B', 2023, 2024), // a full 1-year term
      h('C3', 'deferral', 'A', undefined, 2023, 2025, 'program_lead'), // exactly the limit, no exemption this year
      h('C4', 'support', 'A', 'B', 2025), // a 1-year term, returning now
    ];
    const checks = historyChecks(clean, [teacher('C3')], policy);
    expect(checks.map((c) => [c.id, c.ok, c.teachers])).toEqual([
      ['repeat_rotation', true, []], ['short_stay', true, []], ['immediate_return', true, []], ['deferral_limit', true, []],
    ]);
  });
});

describe('the small sample county with a history', () => {
  it('applies the history: the returns, and the locks the plan year must keep', async () => {
    const ds = await loadSample('small-county');
    const movedLastYear = ds.teachers.find((t) => t.years_at_school >= 8)!;
    const { ds: withIt, returns, locks } = applyHistory({ ...ds, history: [h(movedLastYear.id, 'support', movedLastYear.school_id, 'S014', 2025)] });
    expect(returns.map((r) => [r.teacher_id, r.to_school_id])).toEqual([[movedLastYear.id, movedLastYear.school_id]]);
    expect(locks).toHaveLength(1);
    expect(withIt.locks).toHaveLength(ds.locks.length + 1);
  });
});

describe('the generator\'s history.csv', () => {
  const plain = generateCounty({ teachers: 600, seed: 5 });
  const withIt = generateCounty({ teachers: 600, seed: 5, history: true });

  it('is additive: the other tables do not change', () => {
    expect({ ...withIt, history: undefined }).toEqual({ ...plain, history: undefined });
  });

  it('is clean (no history check finds anything) and holds transfers, deferrals and 支教 terms ending now', () => {
    const h = withIt.history!;
    const kinds = new Set(h.map((r) => r.mode));
    expect([...kinds].sort()).toEqual(['deferral', 'support', 'transfer']);
    const checks = historyChecks(h, withIt.teachers, policy);
    expect(checks.filter((c) => !c.ok).map((c) => [c.id, c.teachers.slice(0, 3)])).toEqual([]);
    expect(returnsDue(h, policy).length).toBeGreaterThan(0);
  });
});
