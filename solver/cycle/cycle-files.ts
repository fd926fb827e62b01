// The rounds' own input files (issue 12), all-or-nothing like the contract tables: applications.csv
// (跨校竞聘 applications) and an edited rounds.csv to go on from. Every bad row is reported as
// `file:line: column: what is wrong`, checked against the dataset already loaded.
import type { z } from 'zod';
import type { Dataset } from '../contract/dataset.ts';
import type { Application } from '../contract/schemas.ts';
import { APPLICATIONS, BACKBONE_KIND, SUBJECT_KIND, STAGE_KIND, type TableSpec, col, enumOf } from '../contract/columns.ts';
import { type InputError, inputError } from '../contract/input-errors.ts';
import { type ParsedRow, parseTable } from '../contract/parse-table.ts';
import { readCsv } from '../contract/read-csv.ts';
import { readWorkbook } from '../contract/workbook.ts';
import { buildCountyContext, countyOf } from '../policy/county.ts';
import { moveAllowed } from '../policy/rules.ts';
import { OUTCOMES, type RoundRow, roundRowSchema } from './round-rows.ts';

type Parsed<T> = { ok: true; rows: T[] } | { ok: false; errors: InputError[] };

const ROUNDS: TableSpec<typeof roundRowSchema> = {
  table: 'rounds', file: 'rounds.csv', zhName: '竞聘轮次', schema: roundRowSchema,
  columns: [
    col('round', ['轮次'], { kind: 'int' }, true),
    col('teacher_id', ['教师编号'], { kind: 'string' }, true),
    col('from_school_id', ['原学校代码'], { kind: 'string' }, true),
    col('to_school_id', ['上岗学校代码', '调入学校代码'], { kind: 'string' }),
    col('outcome', ['结果'], enumOf(OUTCOMES, { placed: ['上岗', '聘用'], unplaced: ['落聘', '未聘'], pool: ['待岗', '培训', '蓄水池'] }), true),
    col('stage', ['任教学段'], STAGE_KIND),
    col('subject', ['任教学科'], SUBJECT_KIND),
    col('backbone', ['骨干级别'], BACKBONE_KIND),
    col('assessment_score', ['考核分数'], { kind: 'number' }),
    col('reason', ['理由', '原因'], { kind: 'string' }),
  ],
};

function read<S extends z.ZodType>(spec: TableSpec<S>, name: string, content: string | Uint8Array): { errors: InputError[]; rows: ParsedRow<z.infer<S>>[] } {
  const raw = readCsv(name, content);
  if (!raw.table) return { errors: raw.errors, rows: [] };
  const t = parseTable(spec, raw.table, name);
  return { errors: [...raw.errors, ...t.errors], rows: t.rows };
}

/** A rounds.csv the cycle wrote (rounds 1–3), read back without the go-on checks: for showing it. */
export function readRoundRows(name: string, content: string | Uint8Array): Parsed<RoundRow> {
  const { errors, rows } = read(ROUNDS, name, content);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows: rows.map((r) => r.value!) };
}

/** applications.csv: teacher and school on the roster, one rank and one row per school for each teacher. */
export function parseApplications(ds: Dataset, name: string, content: string | Uint8Array): Parsed<Application> {
  const { errors, rows } = read(APPLICATIONS, name, content);
  return checkApplications(ds, name, errors, rows);
}

function checkApplications(ds: Dataset, name: string, errors: InputError[], rows: ParsedRow<Application>[]): Parsed<Application> {
  const teachers = new Set(ds.teachers.map((t) => t.id));
  const schools = new Set(ds.schools.map((s) => s.id));
  const seen = new Map<string, number>();
  for (const r of rows) {
    const a = r.value;
    if (!a) continue;
    if (!teachers.has(a.teacher_id)) errors.push(inputError(name, r.line, 'teacher_id', `教师编号“${a.teacher_id}”在 teachers.csv 中不存在`, `teacher "${a.teacher_id}" not in teachers.csv`));
    if (!schools.has(a.school_id)) errors.push(inputError(name, r.line, 'school_id', `学校代码“${a.school_id}”在 schools.csv 中不存在`, `school "${a.school_id}" not in schools.csv`));
    for (const [key, column] of [[`${a.teacher_id}\u0000#${a.rank}`, 'rank'], [`${a.teacher_id}\u0000${a.school_id}`, 'school_id']] as const) {
      const first = seen.get(key);
      if (first !== undefined) errors.push(inputError(name, r.line, column, `同一教师的${column === 'rank' ? '志愿顺序' : '志愿学校'}重复（首次出现在第 ${first} 行）`, `duplicate ${column} for this teacher (first on line ${first})`));
      else seen.set(key, r.line);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows: rows.map((r) => r.value!) };
}

/** applications.csv or 竞聘志愿.csv by file name, as the upload stores it (server/routes/datasets.ts). */
export const isApplicationsFile = (name: string): boolean => {
  const n = (name.split(/[\\/]/).pop() ?? name).normalize('NFKC').trim().toLowerCase();
  return n === APPLICATIONS.file || n === `${APPLICATIONS.zhName}.csv`;
};

/**
 * The applications among a dataset's files, checked against the dataset: a sheet `applications` or
 * `竞聘志愿` in the workbook (errors `county.xlsx!竞聘志愿:5: teacher_id: …`), else applications.csv —
 * the sheet wins, as the contract tables' do (dataset.ts). None: round 2 places nobody.
 */
export async function applicationsOf(ds: Dataset, files: readonly { name: string; content: string | Uint8Array }[]): Promise<Parsed<Application>> {
  const book = files.find((f) => /\.xlsx$/i.test(f.name));
  if (book) {
    const name = book.name.split(/[\\/]/).pop() ?? book.name;
    const wb = await readWorkbook(name, typeof book.content === 'string' ? Buffer.from(book.content, 'binary') : book.content, [APPLICATIONS]);
    if (wb.errors.length > 0) return { ok: false, errors: wb.errors };
    const sheet = wb.tables.applications;
    if (sheet) {
      const t = parseTable(APPLICATIONS, sheet.table, sheet.file);
      return checkApplications(ds, sheet.file, t.errors, t.rows);
    }
  }
  const file = files.find((f) => isApplicationsFile(f.name));
  return file ? parseApplications(ds, file.name, file.content) : { ok: true, rows: [] };
}

/**
 * An edited rounds.csv to go on from: rounds 1 (and 2) only, each teacher once per round, the
 * origin the roster's, a round-1 post at the own school, a round-2 row only for a teacher round 1
 * left unplaced and a round-2 post elsewhere under every move rule; every teacher in round 1.
 */
export function parseRoundsFile(ds: Dataset, name: string, content: string | Uint8Array): Parsed<RoundRow> {
  const { errors, rows } = read(ROUNDS, name, content);
  const byId = new Map(ds.teachers.map((t) => [t.id, t]));
  const school = new Map(ds.schools.map((s) => [s.id, s]));
  const seen = new Map<string, RoundRow & { line: number }>();
  const err = (line: number, c: string, zh: string, en: string) => errors.push(inputError(name, line, c, zh, en));
  for (const { line, value: r } of rows) {
    if (!r) continue;
    const t = byId.get(r.teacher_id);
    if (!t) { err(line, 'teacher_id', `教师编号“${r.teacher_id}”在 teachers.csv 中不存在`, `teacher "${r.teacher_id}" not in teachers.csv`); continue; }
    if (r.round === 3) { err(line, 'round', '第3轮（组织调剂）是最后一轮：只能从第1或第2轮之后继续', 'round 3 is the last: go on only after round 1 or 2'); continue; }
    if (r.from_school_id !== t.school_id) err(line, 'from_school_id', `应为教师现任学校${t.school_id}`, `must be the teacher's school ${t.school_id}`);
    if (r.outcome === 'pool') err(line, 'outcome', '待岗/培训只在第3轮之后', 'pool only after round 3');
    const key = `${r.round}\u0000${r.teacher_id}`;
    const first = seen.get(key);
    if (first) { err(line, 'teacher_id', `同一教师在第${r.round}轮重复（首次出现在第 ${first.line} 行）`, `teacher repeated in round ${r.round} (first on line ${first.line})`); continue; }
    seen.set(key, { ...r, line });
    if (r.outcome !== 'placed') continue;
    const to = school.get(r.to_school_id);
    if (!to) { err(line, 'to_school_id', `上岗学校“${r.to_school_id}”在 schools.csv 中不存在`, `school "${r.to_school_id}" not in schools.csv`); continue; }
    if (r.round === 1 && to.id !== t.school_id) err(line, 'to_school_id', `第1轮（校内竞聘）只能在本校${t.school_id}上岗`, `round 1 places a teacher at the own school ${t.school_id} only`);
    if (r.round === 2) {
      const ctx = buildCountyContext(countyOf(school.get(t.school_id)!), ds);
      if (!moveAllowed(ctx, { teacher: t, from: school.get(t.school_id)!, to, mode: 'transfer' })) err(line, 'to_school_id', `调往${to.id}不符合交流规则（学段、县区、通勤、方向或锁定）`, `a move to ${to.id} breaks a move rule`);
    }
  }
  for (const [key, r] of seen) {
    if (r.round !== 2) continue;
    const r1 = seen.get(`1\u0000${key.split('\u0000')[1]}`);
    if (!r1 || r1.outcome !== 'unplaced') err(r.line, 'round', '只有第1轮落聘的教师才有第2轮记录', 'only a teacher unplaced in round 1 has a round-2 row');
  }
  const missing = ds.teachers.filter((t) => !seen.has(`1\u0000${t.id}`)).map((t) => t.id);
  if (missing.length > 0) err(0, 'teacher_id', `缺少${missing.length}名教师的第1轮记录（${missing.slice(0, 5).join('、')}…）`, `${missing.length} teachers have no round-1 row (${missing.slice(0, 5).join(', ')}…)`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows: [...seen.values()].map(({ line: _line, ...r }) => r) };
}
