// loadDataset: file routing, all-or-nothing validation, cross-file checks, policy.json, XLSX.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { loadDataset, parsePolicy, type DatasetFile, type LoadResult } from '../solver/contract/dataset.ts';
import { formatInputError } from '../solver/contract/input-errors.ts';
import { readCsv } from '../solver/contract/read-csv.ts';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny');
const tinyText = (name: string): string => readFileSync(join(TINY, name), 'utf8');
const tinyFiles = (): DatasetFile[] =>
  readdirSync(TINY).map((name) => ({ name, content: new Uint8Array(readFileSync(join(TINY, name))) }));
/** The tiny county with some files replaced (content) or removed (null). */
const withFiles = (over: Record<string, string | Uint8Array | null>): DatasetFile[] => [
  ...tinyFiles().filter((f) => !(f.name in over)),
  ...Object.entries(over).flatMap(([name, content]) => (content === null ? [] : [{ name, content }])),
];
const errorsOf = (r: LoadResult): string[] => (r.ok ? [] : r.errors.map((e) => formatInputError(e)));
const appendLines = (name: string, ...rows: string[]): string => tinyText(name) + rows.map((r) => `${r}\n`).join('');

describe('loadDataset on the tiny county', () => {
  it('loads every table', async () => {
    const r = await loadDataset(tinyFiles());
    expect(errorsOf(r)).toEqual([]);
    if (!r.ok) return;
    const d = r.dataset;
    expect(d.schools).toHaveLength(6);
    expect(d.teachers).toHaveLength(60);
    expect(d.needs).toHaveLength(12);
    expect(d.preferences).toHaveLength(8);
    expect(d.locks).toEqual([
      { teacher_id: '0017', action: 'stay', reason: '承担本年度中考英语教研任务，留任一年' },
      { teacher_id: '0013', action: 'move', to_school_id: '0105', reason: '对口帮扶石门村小学数学教学（教育局 2026 年第 3 次党组会议定）' },
    ]);
    expect(d.policy).toEqual(defaultPolicy());
    expect(d.schools.find((s) => s.id === '0105')).toMatchObject({ stage: 'primary', locale: 'rural', weak: true, teaching_point: true, parent_id: '0104', quota: 6 });
    expect(d.teachers.every((t) => /^\d{4}$/.test(t.id))).toBe(true);
  });

  it('makes a ≥10% rotation with ≥20% backbone plausible', async () => {
    const r = await loadDataset(tinyFiles());
    if (!r.ok) throw new Error('tiny county must load');
    const { teachers, policy } = r.dataset;
    const eligible = teachers.filter((t) => t.on_establishment && !t.exemption
      && policy.year - t.birth_year < policy.eligibility.maxAge[t.gender]
      && t.years_at_school >= policy.eligibility.teacherYearsAtSchool);
    expect(eligible.length).toBeGreaterThanOrEqual(20);
    const needed = Math.ceil(policy.ratios.minRotatedShareOfEligible * eligible.length);
    expect(eligible.filter((t) => t.backbone !== 'none').length).toBeGreaterThanOrEqual(Math.ceil(needed * policy.ratios.minBackboneShareOfRotated) + 2);
    expect(new Set(teachers.map((t) => t.school_id)).size).toBe(6);
  });

  it('treats optional files as optional and header-only files as empty tables', async () => {
    const r = await loadDataset(withFiles({ 'needs.csv': null, 'policy.json': null, 'locks.csv': null, 'preferences.csv': 'teacher_id,school_id,rank\n' }));
    expect(errorsOf(r)).toEqual([]);
    if (!r.ok) return;
    expect(r.dataset.needs).toBeUndefined();
    expect(r.dataset.locks).toEqual([]);
    expect(r.dataset.preferences).toEqual([]);
    expect(r.dataset.policy.ratios.minRotatedShareOfEligible).toBe(0.1);
  });

  it('recognises files by base name, case and Chinese table name; ignores unknown files', async () => {
    const files = tinyFiles().map((f) => ({
      ...f,
      name: f.name === 'teachers.csv' ? 'export/教师.csv' : f.name === 'schools.csv' ? 'C:\\hr\\Schools.CSV' : f.name,
    }));
    const r = await loadDataset([...files, { name: 'README.txt', content: 'notes' }]);
    expect(errorsOf(r)).toEqual([]);
  });
});

describe('loadDataset errors', () => {
  it('requires teachers.csv and schools.csv', async () => {
    expect(errorsOf(await loadDataset(withFiles({ 'teachers.csv': null })))).toEqual(['teachers.csv:0: -: 缺少必需文件']);
    expect(errorsOf(await loadDataset([]))).toEqual(['schools.csv:0: -: 缺少必需文件', 'teachers.csv:0: -: 缺少必需文件']);
  });

  it('collects every error of every file, ordered by file then line', async () => {
    const r = await loadDataset(withFiles({
      'schools.csv': tinyText('schools.csv').replace('0104,青山镇中心小学,primary,town', '0104,青山镇中心小学,primary,山区'),
      'teachers.csv': tinyText('teachers.csv').replace(/^0005,([^,]*),0101,primary/m, '0005,$1,0101,高中').replace(/^0007,([^,]*),0101,/m, '0007,$1,0999,'),
      'locks.csv': 'teacher_id,action,to_school_id,reason\n0017,stay,,\n0013,move,0101,帮扶\n',
      'policy.json': '{\n  "ratios": { "minBackboneShareOfRotated": 2 }\n}\n',
    }));
    expect(errorsOf(r)).toEqual([
      'schools.csv:5: locale: “山区”不是有效取值，可选：urban（城区）、town（镇区）、rural（乡村）',
      'teachers.csv:6: stage: “高中”不是有效取值，可选：primary（小学）、junior（初中）',
      'teachers.csv:8: school_id: 学校代码“0999”在 schools.csv 中不存在',
      'locks.csv:2: reason: 缺少必填值（原因）：人工锁定必须说明理由',
      'locks.csv:3: to_school_id: 调入学校就是该教师的现任学校',
      'policy.json:2: ratios.minBackboneShareOfRotated: “2”不能大于 1（单位：比例，0–1，如 0.1 = 10%）',
    ]);
  });

  it('does not cascade: teachers of a school with a bad row are not "unknown school"', async () => {
    const r = await loadDataset(withFiles({ 'schools.csv': tinyText('schools.csv').replace(',town,0,0,,青山学区', ',town,可能,0,,青山学区') }));
    expect(errorsOf(r)).toEqual(['schools.csv:4: weak: “可能”不是有效的是/否值，可填：1/0、true/false、是/否']);
  });

  it('never coerces ids: 0101 ≠ 101', async () => {
    const r = await loadDataset(withFiles({ 'preferences.csv': 'teacher_id,school_id,rank\n0002,104,1\n2,0104,2\n' }));
    expect(errorsOf(r)).toEqual([
      'preferences.csv:2: school_id: 学校代码“104”在 schools.csv 中不存在',
      'preferences.csv:3: teacher_id: 教师编号“2”在 teachers.csv 中不存在',
    ]);
  });

  it('checks stages offered by schools, for teachers, needs and locks', async () => {
    const r = await loadDataset(withFiles({
      'teachers.csv': tinyText('teachers.csv').replace(/^0006,([^,]*),0101,primary/m, '0006,$1,0101,junior'),
      'needs.csv': appendLines('needs.csv', '0102,primary,math,1', '0103,primary,math,1', '0103,junior,pe,1'),
      'locks.csv': 'teacher_id,action,to_school_id,reason\n0013,move,0106,帮扶\n0029,move,0101,帮扶\n',
    }));
    expect(errorsOf(r)).toEqual([
      'teachers.csv:7: stage: 学校“0101”为小学，没有初中学段',
      'needs.csv:14: stage: 学校“0102”为初中，没有小学学段',
      'locks.csv:2: to_school_id: 学校“0106”为初中，没有该教师任教的小学学段',
    ]);
  });

  it('requires enrolment for each stage a school offers', async () => {
    const r = await loadDataset(withFiles({ 'schools.csv': tinyText('schools.csv').replace(',160,90,6,3,17', ',,,6,3,17') }));
    expect(errorsOf(r)).toEqual([
      'schools.csv:4: students_primary: 九年一贯制学校必须填写小学在校生数',
      'schools.csv:4: students_junior: 九年一贯制学校必须填写初中在校生数',
    ]);
  });

  it('rejects lock moves across counties and double locks', async () => {
    const r = await loadDataset(withFiles({
      'schools.csv': appendLines('schools.csv', '0201,邻县一小,primary,urban,0,0,,,邻县,28.8,116.1,200,,8,,12'),
      'locks.csv': 'teacher_id,action,to_school_id,reason\n0013,move,0201,支援\n0013,stay,,留任\n',
    }));
    expect(errorsOf(r)).toEqual([
      'locks.csv:2: to_school_id: 不能跨县区交流：现任学校属“示范县”，调入学校属“邻县”',
      'locks.csv:3: teacher_id: 教师“0013”有多条锁定（首次出现在第 2 行），每名教师只能锁定一次',
    ]);
  });

  it('never puts teacher names into messages', async () => {
    const names = tinyText('teachers.csv').trim().split('\n').slice(1).map((l) => l.split(',')[1] ?? '');
    const broken = tinyText('teachers.csv').replace(/,(F|M),/g, ',?,').replace(/,primary,/g, ',小学部,');
    const r = await loadDataset(withFiles({ 'teachers.csv': broken, 'locks.csv': 'teacher_id,action,to_school_id,reason\n0013,move,,x\n' }));
    expect(r.ok).toBe(false);
    const all = r.ok ? '' : r.errors.map((e) => `${formatInputError(e)} ${e.messageEn}`).join('\n');
    for (const n of names) expect(all).not.toContain(n);
  });
});

describe('policy.json', () => {
  it('fills defaults around the given keys', () => {
    const r = parsePolicy('policy.json', '{ "year": 2027, "limits": { "maxCommuteKm": 25 } }');
    expect('policy' in r && r.policy.year).toBe(2027);
    expect('policy' in r && r.policy.limits).toEqual({ maxOutflowShareOfSchool: 0.2, maxCommuteKm: 25 });
    expect('policy' in r && r.policy.eligibility.maxAge).toEqual({ M: 50, F: 45 });
  });

  it('reports the line of the offending key, by dotted path', () => {
    const r = parsePolicy('policy.json', tinyText('policy.json').replace('"F": 45', '"F": -45').replace('"minRotatedShareOfEligible": 0.10', '"minRotatedShareOfEligible": 1.5'));
    expect('errors' in r ? r.errors.map((e) => formatInputError(e)) : []).toEqual([
      'policy.json:6: eligibility.maxAge.F: “-45”必须大于 0（单位：岁）',
      'policy.json:9: ratios.minRotatedShareOfEligible: “1.5”不能大于 1（单位：比例，0–1，如 0.1 = 10%）',
    ]);
  });

  it('reports invalid JSON on the line of the syntax error', () => {
    const r = parsePolicy('policy.json', '{\n  "year": 2026,\n  "ratios": { "minRotatedShareOfEligible": 0.1 ]\n}\n');
    expect('errors' in r ? formatInputError(r.errors[0]!) : '').toMatch(/^policy\.json:3: -: JSON 语法错误/);
    const arr = parsePolicy('policy.json', '[1, 2]');
    expect('errors' in arr ? formatInputError(arr.errors[0]!) : '').toBe('policy.json:1: -: 是数组，应为对象');
  });
});

describe('XLSX workbooks', () => {
  /** The tiny county as a workbook: ids as text, numbers as numbers, like a planner's sheet. */
  async function tinyBook(sheetName: (table: string) => string, edit: (table: string, rows: string[][]) => void = () => {}): Promise<Uint8Array> {
    const wb = new ExcelJS.Workbook();
    for (const table of ['schools', 'teachers', 'needs', 'preferences', 'locks']) {
      const raw = readCsv(`${table}.csv`, tinyText(`${table}.csv`)).table;
      if (!raw) throw new Error(`tiny ${table}.csv unreadable`);
      const rows = [raw.header, ...raw.rows.map((r) => r.cells.map((c) => c ?? ''))];
      edit(table, rows);
      const ws = wb.addWorksheet(sheetName(table));
      const header = rows[0] ?? [];
      rows.forEach((cells, i) => ws.addRow(cells.map((v, c) => {
        if (v === '') return null;
        const isId = /(^|_)id$/.test(header[c] ?? '');
        return i > 0 && !isId && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      })));
    }
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it('round-trips the tiny county: the workbook loads to the same dataset as the CSVs', async () => {
    const fromCsv = await loadDataset(tinyFiles());
    const book = await tinyBook((t) => t);
    const fromXlsx = await loadDataset([{ name: 'county.xlsx', content: book }, { name: 'policy.json', content: tinyText('policy.json') }]);
    expect(errorsOf(fromXlsx)).toEqual([]);
    expect(fromXlsx).toEqual(fromCsv);
  });

  it('accepts Chinese sheet names and reports errors as book!sheet:row', async () => {
    const zh: Record<string, string> = { schools: '学校', teachers: '教师', needs: '学科需求', preferences: '意愿', locks: '人工锁定' };
    const book = await tinyBook((t) => zh[t] ?? t, (table, rows) => {
      if (table === 'teachers' && rows[5]) rows[5][3] = '高中';
    });
    expect(errorsOf(await loadDataset([{ name: 'county.xlsx', content: book }]))).toEqual([
      'county.xlsx!教师:6: stage: “高中”不是有效取值，可选：primary（小学）、junior（初中）',
    ]);
  });

  it('lets workbook sheets win over CSVs, and CSVs fill the tables it lacks', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('locks');
    ws.addRow(['teacher_id', 'action', 'to_school_id', 'reason']);
    ws.addRow(['0013', 'stay', null, '留任']);
    const r = await loadDataset(withFiles({ 'county.xlsx': new Uint8Array(await wb.xlsx.writeBuffer()) }));
    expect(r.ok && r.dataset.locks).toEqual([{ teacher_id: '0013', action: 'stay', reason: '留任' }]);
    expect(r.ok && r.dataset.teachers.length).toBe(60);
  });

  it('names a missing required sheet and rejects a second workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('schools').addRow(['id', 'name', 'stage', 'locale']);
    const content = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(errorsOf(await loadDataset([{ name: 'a.xlsx', content }, { name: 'b.xlsx', content }]))).toEqual([
      'b.xlsx:0: -: 只能提供一个 Excel 工作簿（已使用 a.xlsx）',
      'a.xlsx!teachers:0: -: 缺少必需的工作表（teachers 或 教师）或文件 teachers.csv',
    ]);
  });
});
