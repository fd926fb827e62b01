// The planner's input files → one validated Dataset, all-or-nothing (data-contract.md):
// every error in every file is collected, and nothing is returned when any row is bad.
//
// Files are recognised by name, case-insensitively, directories ignored: `schools.csv`,
// `teachers.csv` (required), `needs.csv`, `preferences.csv`, `locks.csv`, `history.csv`, `policy.json`, the
// Chinese table names (`教师.csv`…), or one `*.xlsx` workbook holding the tables as sheets.
// A sheet in the workbook takes precedence over a CSV of the same table; a CSV supplies only
// tables the workbook lacks. Other files are ignored.
import type { z } from 'zod';
import {
  policySchema, type HistoryRow, type Lock, type Need, type Policy, type PostRow, type Preference, type School, type Teacher,
} from './schemas.ts';
import { HISTORY, INPUT_TABLES, LOCKS, NEEDS, POSTS, PREFERENCES, SCHOOLS, TEACHERS, type TableName, type TableSpec } from './columns.ts';
import { inputError, sortInputErrors, type InputError } from './input-errors.ts';
import { cellCode, cellText, issueMessage, parseTable, type ParsedRow, type ParsedTable } from './parse-table.ts';
import { decodeUtf8, readCsv, type RawTable } from './read-csv.ts';
import { readWorkbook } from './workbook.ts';
import { checkHistory, historyAfterPlanYear } from './history-checks.ts';
import { INPUT_LIMITS, fmtCount } from './input-limits.ts';

export type Dataset = {
  schools: School[];
  teachers: Teacher[];
  /** Undefined when needs.csv and posts.csv are absent: needs are then derived from classes (see README). */
  needs?: Need[];
  preferences: Preference[];
  locks: Lock[];
  /** history.csv (past rotations and deferrals, solver/cycle/history.ts); undefined when absent. */
  history?: HistoryRow[];
  policy: Policy;
};
export type DatasetFile = { name: string; content: string | Uint8Array };
export type LoadResult = { ok: true; dataset: Dataset } | { ok: false; errors: InputError[] };

type Source = { file: string; table: RawTable | undefined };
type Parsed = {
  schools: ParsedTable<School> | undefined; teachers: ParsedTable<Teacher> | undefined; needs: ParsedTable<Need> | undefined;
  posts: ParsedTable<PostRow> | undefined; preferences: ParsedTable<Preference> | undefined; locks: ParsedTable<Lock> | undefined; history: ParsedTable<HistoryRow> | undefined;
};

const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;

/** The contract table a file stands for, by its English or Chinese name (locks.csv, 人工锁定.csv). */
export function tableForFile(name: string): TableSpec | undefined {
  const n = baseName(name).normalize('NFKC').trim().toLowerCase();
  return INPUT_TABLES.find((t) => n === t.file || n === `${t.zhName}.csv`);
}

/** errors.push(...more) without spreading: a table of bad rows holds 10⁵ errors (past the call-stack limit). */
function append(errors: InputError[], more: readonly InputError[]): void {
  for (const e of more) errors.push(e);
}

/** The first INPUT_LIMITS.errors errors, and one line counting the rest: a reply stays small. */
function capErrors(errors: InputError[]): InputError[] {
  const max = INPUT_LIMITS.errors;
  if (errors.length <= max) return errors;
  const rest = errors.length - max;
  return [...errors.slice(0, max), inputError('-', 0, '-', `另有 ${fmtCount(rest)} 处错误未列出（只列出前 ${max} 处）`, `${fmtCount(rest)} more errors not listed (first ${max} shown)`)];
}

export async function loadDataset(files: DatasetFile[]): Promise<LoadResult> {
  const errors: InputError[] = [];
  const sources: Partial<Record<TableName, Source>> = {};
  const order: string[] = [];
  let policyFile: DatasetFile | undefined;
  let bookName: string | undefined;

  const books = files.filter((f) => /\.xlsx$/i.test(f.name));
  for (const extra of books.slice(1)) {
    errors.push(inputError(baseName(extra.name), 0, '-', `只能提供一个 Excel 工作簿（已使用 ${baseName(books[0]?.name ?? '')}）`,
      'only one workbook may be given'));
  }
  const book = books[0];
  if (book) {
    bookName = baseName(book.name);
    const content = typeof book.content === 'string' ? Buffer.from(book.content, 'binary') : book.content;
    const wb = await readWorkbook(bookName, content);
    append(errors, wb.errors);
    for (const [name, t] of Object.entries(wb.tables)) {
      const spec = INPUT_TABLES.find((s) => s.table === name);
      if (spec) sources[spec.table] = { file: t.file, table: t.table };
    }
  }
  for (const f of files) {
    const name = baseName(f.name);
    if (/\.xls$/i.test(name)) {
      errors.push(inputError(name, 0, '-', '不支持 .xls 格式：请另存为 .xlsx 或 CSV UTF-8', '.xls is not supported; save as .xlsx or CSV UTF-8'));
    } else if (/^(policy|政策参数)\.json$/i.test(name)) {
      if (policyFile) errors.push(inputError(name, 0, '-', `与 ${baseName(policyFile.name)} 重复`, `duplicates ${baseName(policyFile.name)}`));
      else policyFile = f;
    } else {
      const spec = tableForFile(name);
      if (!spec) continue;
      const prev = sources[spec.table];
      if (prev && bookName && prev.file.startsWith(`${bookName}!`)) continue; // the workbook's sheet wins
      if (prev) {
        errors.push(inputError(name, 0, '-', `与 ${prev.file} 是同一张表，只能提供一个`, `same table as ${prev.file}; give only one`));
        continue;
      }
      const r = readCsv(name, f.content);
      append(errors, r.errors);
      sources[spec.table] = { file: name, table: r.table };
    }
  }

  const load = <S extends z.ZodType>(spec: TableSpec<S>): ParsedTable<z.infer<S>> | undefined => {
    const src = sources[spec.table];
    const sheet = spec.file.replace(/\.csv$/, '');
    const file = src?.file ?? (bookName ? `${bookName}!${sheet}` : spec.file);
    order.push(file);
    if (!src) {
      if (spec.table === 'schools' || spec.table === 'teachers') {
        errors.push(bookName
          ? inputError(file, 0, '-', `缺少必需的工作表（${sheet} 或 ${spec.zhName}）或文件 ${spec.file}`, `required sheet (${sheet}) or file ${spec.file} missing`)
          : inputError(file, 0, '-', '缺少必需文件', 'required file missing'));
      }
      return undefined;
    }
    if (!src.table) return undefined; // unreadable: already reported
    const t = parseTable(spec, src.table, src.file);
    append(errors, t.errors);
    return t;
  };
  const parsed: Parsed = {
    schools: load(SCHOOLS), teachers: load(TEACHERS), needs: load(NEEDS), posts: load(POSTS), preferences: load(PREFERENCES), locks: load(LOCKS), history: load(HISTORY),
  };
  crossCheck(parsed, errors);
  if (parsed.history) append(errors, checkHistory(parsed.history, parsed.teachers, parsed.schools));

  let policy: Policy = policySchema.parse({});
  if (policyFile) {
    const name = baseName(policyFile.name);
    order.push(name);
    const p = parsePolicy(name, policyFile.content);
    if ('errors' in p) append(errors, p.errors);
    else {
      policy = p.policy;
      append(errors, unknownShadowTeachers(name, policyFile.content, policy, parsed.teachers));
    }
  }

  append(errors, historyAfterPlanYear(parsed.history, policy));
  if (errors.length > 0) {
    // Whole-file problems of unlisted files (a corrupt workbook) come first: they explain the rest.
    return { ok: false, errors: capErrors(sortInputErrors(errors, (f) => order.indexOf(f))) };
  }
  const values = <T>(t: ParsedTable<T> | undefined): T[] => (t?.rows ?? []).flatMap((r) => (r.value === undefined ? [] : [r.value]));
  const dataset: Dataset = {
    schools: values(parsed.schools),
    teachers: values(parsed.teachers),
    preferences: values(parsed.preferences),
    locks: values(parsed.locks),
    policy,
  };
  if (parsed.needs) dataset.needs = values(parsed.needs);
  if (parsed.history) dataset.history = values(parsed.history);
  // posts.csv as written by `lungang posts` (and edited by the planner): each row's posts is its need.
  if (parsed.posts) dataset.needs = values(parsed.posts).map((p) => ({ school_id: p.school_id, stage: p.stage, subject: p.subject, required: p.posts }));
  return { ok: true, dataset };
}

// ---------------------------------------------------------------------------------------------
// Cross-file checks. They work on cells and per-cell values, not only on fully valid rows, so a
// row with one bad cell still gets its other problems reported, and an id that exists on a bad
// row is not reported again as "unknown" elsewhere.

const text = cellText;
const field = cellCode;
const STAGE_ZH: Record<string, string> = { primary: '小学', junior: '初中', nine_year: '九年一贯制' };
const offers = (schoolStage: string, stage: string): boolean => schoolStage === 'nine_year' || schoolStage === stage;

/** First line of every key; later rows with the same key get a "duplicate" error. */
function duplicates<T>(t: ParsedTable<T>, key: (r: ParsedRow<T>) => string | undefined, column: string,
  zh: (k: string, first: number) => string, en: (k: string, first: number) => string, errors: InputError[]): Map<string, ParsedRow<T>> {
  const first = new Map<string, ParsedRow<T>>();
  for (const r of t.rows) {
    const k = key(r);
    if (k === undefined) continue;
    const f = first.get(k);
    if (f) errors.push(inputError(t.file, r.line, column, zh(k, f.line), en(k, f.line)));
    else first.set(k, r);
  }
  return first;
}

function crossCheck(p: Parsed, errors: InputError[]): void {
  const err = (t: ParsedTable<unknown>, r: ParsedRow<unknown>, c: string, zh: string, en: string) =>
    errors.push(inputError(t.file, r.line, c, zh, en));
  const dupId = (what: string, whatEn: string) => [
    (k: string, l: number) => `${what}“${k}”重复（首次出现在第 ${l} 行）`,
    (k: string, l: number) => `duplicate ${whatEn} "${k}" (first on line ${l})`,
  ] as const;

  // Schools: ids, enrolment per offered stage, parent school.
  const S = p.schools;
  const schools = S && S.columns.has('id') ? duplicates(S, (r) => text(r, 'id'), 'id', ...dupId('学校代码', 'school id'), errors) : undefined;
  if (S && schools) {
    for (const r of S.rows) {
      const stage = field(r, 'stage');
      for (const st of ['primary', 'junior'] as const) {
        if (stage && offers(stage, st) && r.fields[`students_${st}`] === undefined && text(r, `students_${st}`) === undefined) {
          err(S, r, `students_${st}`, `${STAGE_ZH[stage]}学校必须填写${STAGE_ZH[st]}在校生数`, `a ${stage} school needs students_${st}`);
        }
      }
      const parent = text(r, 'parent_id');
      if (parent === undefined) continue;
      if (parent === text(r, 'id')) err(S, r, 'parent_id', '中心校代码不能是本校', 'parent_id must not be the school itself');
      else if (!schools.has(parent)) err(S, r, 'parent_id', `中心校代码“${parent}”在 ${S.file} 中不存在`, `parent school "${parent}" not in ${S.file}`);
    }
  }
  const schoolStage = (id: string) => { const r = schools?.get(id); return r ? field(r, 'stage') : undefined; };
  const unknownSchool = (t: ParsedTable<unknown>, r: ParsedRow<unknown>, c: string, id: string) =>
    err(t, r, c, `学校代码“${id}”在 ${S?.file ?? 'schools.csv'} 中不存在`, `school "${id}" not in ${S?.file ?? 'schools.csv'}`);

  // Teachers: ids, school exists and offers the teacher's stage.
  const T = p.teachers;
  const teachers = T && T.columns.has('id') ? duplicates(T, (r) => text(r, 'id'), 'id', ...dupId('教师编号', 'teacher id'), errors) : undefined;
  if (T && schools) {
    for (const r of T.rows) {
      const sid = text(r, 'school_id');
      const stage = field(r, 'stage');
      if (sid === undefined) continue;
      if (!schools.has(sid)) unknownSchool(T, r, 'school_id', sid);
      else {
        const ss = schoolStage(sid);
        if (ss && stage && !offers(ss, stage)) {
          err(T, r, 'stage', `学校“${sid}”为${STAGE_ZH[ss]}，没有${STAGE_ZH[stage]}学段`, `school "${sid}" is ${ss} and has no ${stage} stage`);
        }
      }
    }
  }

  // Needs and posts: school exists and offers the stage; one row per school × stage × subject; only one of the two files.
  if (p.needs && p.posts) errors.push(inputError(p.posts.file, 0, '-', `与 ${p.needs.file} 都是学科需求，只能提供一个`, `both this and ${p.needs.file} give the needs; give only one`));
  for (const N of [p.needs, p.posts] as (ParsedTable<unknown> | undefined)[]) {
    if (!N) continue;
    duplicates(N, (r) => {
      const [s, st, sub] = [text(r, 'school_id'), field(r, 'stage'), field(r, 'subject')];
      return s && st && sub ? JSON.stringify([s, st, sub]) : undefined;
    }, 'subject', (_k, l) => `同一学校、学段、学科的需求重复（首次出现在第 ${l} 行）`, (_k, l) => `duplicate need for school, stage and subject (first on line ${l})`, errors);
    for (const r of N.rows) {
      const sid = text(r, 'school_id');
      const stage = field(r, 'stage');
      if (sid === undefined || !schools) continue;
      if (!schools.has(sid)) unknownSchool(N, r, 'school_id', sid);
      else {
        const ss = schoolStage(sid);
        if (ss && stage && !offers(ss, stage)) err(N, r, 'stage', `学校“${sid}”为${STAGE_ZH[ss]}，没有${STAGE_ZH[stage]}学段`, `school "${sid}" has no ${stage} stage`);
      }
    }
  }

  // Preferences: teacher and school exist; ranks and schools unique per teacher.
  const P = p.preferences;
  if (P) {
    duplicates(P, (r) => (text(r, 'teacher_id') && r.fields.rank !== undefined ? `${text(r, 'teacher_id')}\u0000${String(r.fields.rank)}` : undefined),
      'rank', (_k, l) => `同一教师的志愿顺序重复（首次出现在第 ${l} 行）`, (_k, l) => `duplicate rank for this teacher (first on line ${l})`, errors);
    duplicates(P, (r) => (text(r, 'teacher_id') && text(r, 'school_id') ? `${text(r, 'teacher_id')}\u0000${text(r, 'school_id')}` : undefined),
      'school_id', (_k, l) => `同一教师重复填报同一学校（首次出现在第 ${l} 行）`, (_k, l) => `same school listed twice for this teacher (first on line ${l})`, errors);
    for (const r of P.rows) {
      const tid = text(r, 'teacher_id');
      const sid = text(r, 'school_id');
      if (tid !== undefined && teachers && !teachers.has(tid)) err(P, r, 'teacher_id', `教师编号“${tid}”在 ${T?.file} 中不存在`, `teacher "${tid}" not in ${T?.file}`);
      if (sid !== undefined && schools && !schools.has(sid)) unknownSchool(P, r, 'school_id', sid);
    }
  }

  // Locks: teacher and school exist; one lock per teacher; a move must be a legal move.
  const L = p.locks;
  if (L) {
    duplicates(L, (r) => text(r, 'teacher_id'), 'teacher_id',
      (k, l) => `教师“${k}”有多条锁定（首次出现在第 ${l} 行），每名教师只能锁定一次`, (k, l) => `teacher "${k}" is locked more than once (first on line ${l})`, errors);
    for (const r of L.rows) {
      const tid = text(r, 'teacher_id');
      const to = text(r, 'to_school_id');
      const tr = tid !== undefined ? teachers?.get(tid) : undefined;
      if (tid !== undefined && teachers && !tr) err(L, r, 'teacher_id', `教师编号“${tid}”在 ${T?.file} 中不存在`, `teacher "${tid}" not in ${T?.file}`);
      if (to === undefined || !schools) continue;
      if (!schools.has(to)) { unknownSchool(L, r, 'to_school_id', to); continue; }
      if (field(r, 'action') !== 'move' || !tr) continue;
      const from = text(tr, 'school_id');
      const stage = field(tr, 'stage');
      const ss = schoolStage(to);
      const fromRow = from !== undefined ? schools.get(from) : undefined;
      const toRow = schools.get(to);
      if (from === to) err(L, r, 'to_school_id', '调入学校就是该教师的现任学校', 'the teacher is already at this school');
      else if (ss && stage && !offers(ss, stage)) err(L, r, 'to_school_id', `学校“${to}”为${STAGE_ZH[ss]}，没有该教师任教的${STAGE_ZH[stage]}学段`, `school "${to}" has no ${stage} stage for this teacher`);
      else if (fromRow && toRow && (text(fromRow, 'county') ?? '') !== (text(toRow, 'county') ?? '')) {
        err(L, r, 'to_school_id', `不能跨县区交流：现任学校属“${text(fromRow, 'county') ?? '未填'}”，调入学校属“${text(toRow, 'county') ?? '未填'}”`,
          `moves across counties are not allowed (${text(fromRow, 'county') ?? 'none'} → ${text(toRow, 'county') ?? 'none'})`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// policy.json

/** Ids on the 顶岗培养 list (modes.shadow.teachers) on no roster: every county would drop them without a word. */
function unknownShadowTeachers(file: string, content: string | Uint8Array, policy: Policy, teachers: ParsedTable<unknown> | undefined): InputError[] {
  if (!teachers?.columns.has('id')) return [];
  const ids = new Set(teachers.rows.map((r) => text(r, 'id')));
  const decoded = decodeUtf8(file, content);
  const line = 'text' in decoded ? jsonKeyLine(decoded.text, ['modes', 'shadow', 'teachers']) : 1;
  return policy.modes.shadow.teachers.filter((id) => !ids.has(id)).map((id) =>
    inputError(file, line, 'modes.shadow.teachers', `顶岗培养名单中的教师编号“${id}”在 ${teachers.file} 中不存在`, `teacher "${id}" on the training list is not in ${teachers.file}`));
}

type PolicyResult = { policy: Policy } | { errors: InputError[] };

/** 1-based line of character offset `at`. */
const lineOf = (s: string, at: number): number => s.slice(0, Math.max(0, at)).split(/\r\n|\r|\n/).length;

/** Line of the key at `path` (`ratios.minRotatedShareOfEligible`), found key by key; 1 if not found. */
export function jsonKeyLine(json: string, path: readonly PropertyKey[]): number {
  let from = 0;
  let line = 1;
  for (const seg of path) {
    if (typeof seg !== 'string') continue;
    const re = new RegExp(`"${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
    re.lastIndex = from;
    const m = re.exec(json);
    if (!m) break;
    from = m.index + m[0].length;
    line = lineOf(json, m.index);
  }
  return line;
}

function syntaxLine(json: string, message: string): number {
  const lc = /line (\d+) column \d+/.exec(message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineOf(json, Number(pos[1]));
  return lineOf(json, json.length); // "Unexpected end of JSON input"
}

/** The unit of a policy number, for its error message: a bound means little without it. */
function unitOf(path: string[]): [string, string] | undefined {
  const [section, key] = path;
  if (section === 'solver' && key === 'timeLimitSeconds') return ['秒', 'seconds'];
  if (section === 'limits' && key === 'maxCommuteKm') return ['公里', 'km'];
  if (section === 'ratios' || (section === 'limits' && key === 'maxOutflowShareOfSchool')) return ['比例，0–1，如 0.1 = 10%', 'share, 0–1, e.g. 0.1 = 10%'];
  if (section === 'eligibility') return key === 'maxAge' ? ['岁', 'years of age'] : ['年', 'years'];
  if (section === 'weights') return ['目标权重，无量纲', 'objective weight, no unit'];
  if (section === 'indicators' && key === 'cvMax') return ['差异系数', 'coefficient of variation'];
  if (section === 'indicators' && key?.endsWith('Min')) return ['人/百名学生', 'teachers per 100 students'];
  if (section === 'indicators' && key === 'cvMinStudentsTeachingPoint') return ['名学生', 'students'];
  if (section === 'quotaRatio') return ['名学生/名教师', 'students per teacher'];
  if (section === 'teacherLoad') return ['节/周', 'periods a week'];
  return undefined;
}

export function parsePolicy(file: string, content: string | Uint8Array): PolicyResult {
  const decoded = decodeUtf8(file, content);
  if ('error' in decoded) return { errors: [decoded.error] };
  const json = decoded.text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { errors: [inputError(file, syntaxLine(json, msg), '-', `JSON 语法错误：${msg}`, `invalid JSON: ${msg}`)] };
  }
  const r = policySchema.safeParse(data);
  if (r.success) return { policy: r.data };
  return {
    errors: r.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          const path = [...issue.path, key];
          return inputError(file, jsonKeyLine(json, path), path.map(String).join('.'), `未知的参数“${key}”（拼写错误？本项不会生效）`, `unknown key "${key}" (misspelt? it would have no effect)`);
        });
      }
      let v: unknown = data;
      for (const seg of issue.path) v = typeof v === 'object' && v !== null ? Reflect.get(v, seg) : undefined;
      const shown = v === undefined || (typeof v === 'object' && v !== null) ? '' : String(v);
      const [zh, en] = issueMessage(issue, shown, v);
      const unit = unitOf(issue.path.map(String));
      return inputError(file, jsonKeyLine(json, issue.path), issue.path.map(String).join('.') || '-', unit ? `${zh}（单位：${unit[0]}）` : zh, unit ? `${en} (unit: ${unit[1]})` : en);
    }),
  };
}
