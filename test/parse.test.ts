// Unit tests of the input layer below loadDataset: column specs, CSV reading, table parsing,
// workbook reading and error formatting.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { LOCKS, NEEDS, SCHOOLS, TEACHERS, columnForHeader, parseCell, type ColumnSpec } from '../solver/contract/columns.ts';
import { formatInputError, inputError } from '../solver/contract/input-errors.ts';
import { parseTable } from '../solver/contract/parse-table.ts';
import { readCsv } from '../solver/contract/read-csv.ts';
import { readWorkbook, tableForSheet } from '../solver/contract/workbook.ts';

const column = (spec: { columns: readonly ColumnSpec[] }, name: string): ColumnSpec => {
  const c = spec.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};
const value = (spec: { columns: readonly ColumnSpec[] }, name: string, text: string | undefined): unknown => {
  const r = parseCell(column(spec, name), text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const rejects = (spec: { columns: readonly ColumnSpec[] }, name: string, text: string): string => {
  const r = parseCell(column(spec, name), text);
  if (r.ok) throw new Error(`accepted ${text}`);
  return r.message;
};

describe('columns', () => {
  it('matches headers case-insensitively, trimmed, and by Chinese alias', () => {
    expect(columnForHeader(SCHOOLS, ' ID ')?.name).toBe('id');
    expect(columnForHeader(SCHOOLS, '学校代码')?.name).toBe('id');
    expect(columnForHeader(SCHOOLS, '县（区）')?.name).toBe('county');
    expect(columnForHeader(SCHOOLS, '学区/集团')?.name).toBe('cluster');
    expect(columnForHeader(TEACHERS, '学校代码')?.name).toBe('school_id');
    expect(columnForHeader(TEACHERS, '居住地经度')?.name).toBe('home_lon');
    expect(columnForHeader(TEACHERS, 'Years_At_School')?.name).toBe('years_at_school');
    expect(columnForHeader(TEACHERS, '备注')).toBeUndefined();
  });

  it('reads booleans as 1/0, true/false, 是/否', () => {
    for (const t of ['1', 'true', 'TRUE', '是', ' 是 ']) expect(value(SCHOOLS, 'weak', t)).toBe(true);
    for (const t of ['0', 'false', 'False', '否']) expect(value(SCHOOLS, 'weak', t)).toBe(false);
    expect(rejects(SCHOOLS, 'weak', '是的')).toContain('是/否');
  });

  it('reads Chinese enum values', () => {
    expect(value(SCHOOLS, 'stage', '九年一贯制')).toBe('nine_year');
    expect(value(SCHOOLS, 'stage', 'Primary')).toBe('primary');
    expect(value(SCHOOLS, 'locale', '乡村')).toBe('rural');
    expect(value(TEACHERS, 'stage', '初中')).toBe('junior');
    expect(value(TEACHERS, 'gender', '女')).toBe('F');
    expect(value(TEACHERS, 'subject', '心理健康')).toBe('mental_health');
    expect(value(TEACHERS, 'subject', '道德与法治')).toBe('ethics_law');
    expect(value(TEACHERS, 'backbone', '省级')).toBe('province');
    expect(value(TEACHERS, 'title', '正高级')).toBe('full_senior');
    expect(value(TEACHERS, 'degree', '专科')).toBe('associate');
    expect(value(TEACHERS, 'exemption', '哺乳期')).toBe('nursing');
    expect(value(TEACHERS, 'role', '副校长')).toBe('vice_principal');
    expect(value(LOCKS, 'action', '留任')).toBe('stay');
    expect(rejects(TEACHERS, 'stage', '高中')).toBe('“高中”不是有效取值，可选：primary（小学）、junior（初中）');
  });

  it('reads ;-separated lists, also with the full-width ；', () => {
    expect(value(TEACHERS, 'extra_subjects', '语文；math; 美术')).toEqual(['chinese', 'math', 'art']);
    expect(value(TEACHERS, 'extra_subjects', 'math;math')).toEqual(['math']);
    expect(rejects(TEACHERS, 'extra_subjects', '语文;书法')).toContain('“书法”');
  });

  it('reads numbers and integers; empty means not given', () => {
    expect(value(SCHOOLS, 'lat', '28.5')).toBe(28.5);
    expect(value(SCHOOLS, 'quota', '１２')).toBe(12); // full-width digits from a Chinese IME
    expect(value(NEEDS, 'required', '1.5')).toBe(1.5);
    expect(value(SCHOOLS, 'quota', '  ')).toBeUndefined();
    expect(value(SCHOOLS, 'quota', undefined)).toBeUndefined();
    expect(rejects(SCHOOLS, 'quota', '6.5')).toBe('“6.5”不是整数');
    expect(rejects(SCHOOLS, 'quota', '十二')).toBe('“十二”不是数字');
    expect(rejects(SCHOOLS, 'lat', '0x10')).toContain('不是数字');
  });

  it('keeps ids as text, leading zeros included', () => {
    expect(value(SCHOOLS, 'id', ' 0012 ')).toBe('0012');
    expect(value(SCHOOLS, 'id', '0012')).not.toBe(value(SCHOOLS, 'id', '12'));
  });
});

describe('readCsv', () => {
  it('accepts a BOM, bytes or string alike', () => {
    const text = '\uFEFFid,name\n0012,一小\n';
    for (const input of [text, new TextEncoder().encode(text)]) {
      const r = readCsv('schools.csv', input);
      expect(r.errors).toEqual([]);
      expect(r.table?.header).toEqual(['id', 'name']);
      expect(r.table?.rows).toEqual([{ line: 2, cells: ['0012', '一小'] }]);
    }
  });

  it('reports the line a quoted multi-line record starts on (LF and CRLF)', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = ['id,reason', 'a,"one, two', 'three"', '', 'b,"x ""quoted"""', 'c,plain'].join(nl);
      const r = readCsv('locks.csv', text);
      expect(r.errors).toEqual([]);
      expect(r.table?.rows.map((x) => [x.line, x.cells[0], x.cells[1]])).toEqual([
        [2, 'a', `one, two${nl}three`],
        [5, 'b', 'x "quoted"'],
        [6, 'c', 'plain'],
      ]);
    }
  });

  it('skips rows of empty cells and turns empty cells into undefined', () => {
    const r = readCsv('t.csv', 'a,b,c\n1,,3\n,,\n4, ,6\n');
    expect(r.table?.rows).toEqual([{ line: 2, cells: ['1', undefined, '3'] }, { line: 4, cells: ['4', undefined, '6'] }]);
  });

  it('reports rows whose cell count differs from the header, every one of them', () => {
    const r = readCsv('t.csv', 'a,b\n1,2\n3,4,5\n6\n');
    expect(r.errors.map((e) => formatInputError(e))).toEqual([
      't.csv:3: -: CSV 格式错误：本行有 3 个单元格，表头有 2 列（含逗号的内容须用双引号括起）',
      't.csv:4: -: CSV 格式错误：本行有 1 个单元格，表头有 2 列（含逗号的内容须用双引号括起）',
    ]);
    expect(r.table?.rows).toHaveLength(1);
  });

  it('reports an unterminated quote on the line its record starts', () => {
    const r = readCsv('t.csv', 'a,b\n1,2\n3,"x\n4,5\n6,7\n');
    expect(r.table).toBeUndefined();
    expect(formatInputError(r.errors[0]!)).toMatch(/^t\.csv:3: -: CSV 格式错误：引号未闭合/);
  });

  it('reports a stray quote and a semicolon-delimited file', () => {
    expect(formatInputError(readCsv('t.csv', 'a,b\n1,2\n3,x"y\n').errors[0]!)).toMatch(/^t\.csv:3: -: CSV 格式错误/);
    expect(formatInputError(readCsv('t.csv', 'a;b;c\n1;2;3\n').errors[0]!)).toMatch(/^t\.csv:1: -: CSV 格式错误：表头只有一列，似乎用分号分隔/);
  });

  it('rejects non-UTF-8 bytes with the line of the first bad byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('id,name\n0001,'), 0xd5, 0xc5, 0xce, 0xb0, 0x0a]); // 张伟 in GBK
    const r = readCsv('teachers.csv', bytes);
    expect(r.table).toBeUndefined();
    expect(formatInputError(r.errors[0]!)).toMatch(/^teachers\.csv:2: -: 文件不是 UTF-8 编码/);
  });

  it('never throws, whatever the bytes', () => {
    let seed = 7;
    for (let i = 0; i < 300; i++) {
      const bytes = new Uint8Array(1 + (i % 97)).map(() => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return '",\n\r;a1'.charCodeAt(seed % 8) || seed % 256;
      });
      const r = readCsv('x.csv', bytes);
      expect(r.table !== undefined || r.errors.length > 0).toBe(true);
      for (const e of r.errors) expect(e.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('parseTable', () => {
  const csv = (text: string) => {
    const r = readCsv('teachers.csv', text);
    if (!r.table) throw new Error('unreadable');
    return r.table;
  };

  it('types rows with Chinese headers and applies contract defaults', () => {
    const t = parseTable(TEACHERS, csv(
      '教师编号,姓名,学校代码,任教学段,任教学科,兼任学科,性别,出生年份,本校任教年限,骨干级别,自愿交流,备注\n' +
      '0012,张伟,0101,小学,语文,数学；美术,男,1985,7,县级,是,随便写\n'), 'teachers.csv');
    expect(t.errors).toEqual([]);
    expect(t.columns.has('id')).toBe(true);
    expect(t.rows[0]?.value).toEqual({
      id: '0012', name: '张伟', school_id: '0101', stage: 'primary', subject: 'chinese', extra_subjects: ['math', 'art'],
      gender: 'M', birth_year: 1985, role: 'teacher', on_establishment: true, years_at_school: 7, backbone: 'county',
      title: 'none', rural_weak_years: 0, schools_worked: 1, volunteer: true,
    });
  });

  it('collects every error of every row, naming rows by line only', () => {
    const t = parseTable(TEACHERS, csv(
      'id,name,school_id,stage,subject,gender,birth_year,years_at_school\n' +
      '0001,李秀英,0101,高中,math,F,1980,-2\n' +
      '0002,王建国,0101,primary,编程,M,一九八零,6\n' +
      '0003,,0101,junior,math,X,1990,\n'), 'teachers.csv');
    expect(t.errors.map((e) => formatInputError(e))).toEqual([
      'teachers.csv:2: stage: “高中”不是有效取值，可选：primary（小学）、junior（初中）',
      'teachers.csv:2: years_at_school: “-2”不能为负数',
      'teachers.csv:3: subject: “编程”不是有效取值，可选：chinese（语文）、math（数学）、english（英语）、ethics_law（道德与法治）、science（科学）、physics（物理）、chemistry（化学）、biology（生物）、history（历史）、geography（地理）、info_tech（信息科技）、pe（体育与健康）、music（音乐）、art（美术）、labor（劳动）、practice（综合实践）、mental_health（心理健康）',
      'teachers.csv:3: birth_year: “一九八零”不是数字',
      'teachers.csv:4: gender: “X”不是有效取值，可选：M（男）、F（女）',
      'teachers.csv:4: name: 缺少必填值（姓名）',
      'teachers.csv:4: years_at_school: 缺少必填值（本校任教年限）',
    ]);
    expect(t.rows.every((r) => r.value === undefined)).toBe(true);
    // Cells that parsed stay usable for cross-file checks.
    expect(t.rows[1]?.fields.stage).toBe('primary');
    const all = t.errors.map((e) => `${e.message} ${e.messageEn}`).join('\n');
    for (const name of ['李秀英', '王建国']) expect(all).not.toContain(name);
  });

  it('reports a missing required column once, on the header line', () => {
    const t = parseTable(TEACHERS, csv('id,name,school_id,stage,subject,birth_year,years_at_school\n1,a,s,primary,math,1980,6\n2,b,s,primary,math,1980,6\n'), 'teachers.csv');
    expect(t.errors.map((e) => formatInputError(e))).toEqual(['teachers.csv:1: gender: 缺少必需列（表头写作 gender 或 性别）']);
  });

  it('reports two headers naming the same column', () => {
    const t = parseTable(NEEDS, csv('school_id,学校代码,stage,subject,required\n1,1,primary,math,1\n'), 'needs.csv');
    expect(formatInputError(t.errors[0]!)).toBe('needs.csv:1: school_id: 表头重复：第 1 列“school_id”与第 2 列“学校代码”是同一列');
  });

  it('explains lock-specific required values', () => {
    const t = parseTable(LOCKS, csv('teacher_id,action,to_school_id,reason\n0001,move,,帮扶\n0002,stay,,\n0003,move,0105,帮扶\n'), 'locks.csv');
    expect(t.errors.map((e) => formatInputError(e, 'en'))).toEqual([
      'locks.csv:2: to_school_id: required value missing: required when action is move',
      'locks.csv:3: reason: required value missing: a lock must say why the optimizer is overridden',
    ]);
    expect(t.rows[2]?.value).toEqual({ teacher_id: '0003', action: 'move', to_school_id: '0105', reason: '帮扶' });
  });
});

describe('readWorkbook', () => {
  it('reads sheets by English or Chinese name, with typed cells turned into text', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('学校');
    s.addRow(['学校代码', '学校名称', '学段', '城乡类型', '小学在校生', '薄弱学校']);
    s.addRow(['0101', { richText: [{ text: '城关' }, { text: '一小' }] }, '小学', '城区', 300, true]);
    const idCell = s.addRow([12, '二小', 'primary', 'town', { formula: '100+20', result: 120 }, false]).getCell(1);
    idCell.numFmt = '0000';
    wb.addWorksheet('notes').addRow(['ignored']);
    const t = wb.addWorksheet(' Teachers ');
    t.addRow(['id']);
    const buf = new Uint8Array(await wb.xlsx.writeBuffer());
    const r = await readWorkbook('county.xlsx', buf);
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.tables).sort()).toEqual(['schools', 'teachers']);
    expect(r.tables.schools?.file).toBe('county.xlsx!学校');
    expect(r.tables.schools?.table.rows).toEqual([
      { line: 2, cells: ['0101', '城关一小', '小学', '城区', '300', 'true'] },
      { line: 3, cells: ['0012', '二小', 'primary', 'town', '120', 'false'] },
    ]);
    expect(r.tables.teachers?.table.rows).toEqual([]);
  });

  it('maps sheet names to tables', () => {
    expect(tableForSheet('人工锁定')).toBe('locks');
    expect(tableForSheet('NEEDS')).toBe('needs');
    expect(tableForSheet('Sheet1')).toBeUndefined();
  });

  it('reports an unreadable workbook on line 0 instead of throwing', async () => {
    const r = await readWorkbook('county.xlsx', new TextEncoder().encode('PK not a zip'));
    expect(r.errors.map((e) => formatInputError(e))).toEqual([
      'county.xlsx:0: -: 无法读取 Excel 工作簿：文件损坏或不是 .xlsx 格式（.xls 请另存为 .xlsx）',
    ]);
  });
});

describe('formatInputError', () => {
  it('produces file:line: column: message in either language', () => {
    const e = inputError('teachers.csv', 5, 'stage', '缺少必填值（任教学段）', 'required value missing');
    expect(formatInputError(e)).toBe('teachers.csv:5: stage: 缺少必填值（任教学段）');
    expect(formatInputError(e, 'en')).toBe('teachers.csv:5: stage: required value missing');
  });
});
