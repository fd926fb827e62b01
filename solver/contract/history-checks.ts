// history.csv's checks across files (the row checks are the schema's): every bad row is one
// `file:line: column: what is wrong`, like the other tables' (dataset.ts).
import type { HistoryRow, Policy } from './schemas.ts';
import { inputError, type InputError } from './input-errors.ts';
import { cellCode, cellText, type ParsedRow, type ParsedTable } from './parse-table.ts';

const text = cellText;
const field = cellCode;

/** history.csv: teacher and schools exist, a move names where it went, a term ends after it starts. */
export function checkHistory(H: ParsedTable<HistoryRow>, T: ParsedTable<unknown> | undefined, S: ParsedTable<unknown> | undefined): InputError[] {
  const errors: InputError[] = [];
  const err = (r: ParsedRow<unknown>, c: string, zh: string, en: string) => errors.push(inputError(H.file, r.line, c, zh, en));
  const ids = (t: ParsedTable<unknown> | undefined) => (t?.columns.has('id') ? new Set(t.rows.map((r) => text(r, 'id'))) : undefined);
  const [teachers, schools] = [ids(T), ids(S)];
  for (const r of H.rows) {
    const tid = text(r, 'teacher_id');
    if (tid !== undefined && teachers && !teachers.has(tid)) err(r, 'teacher_id', `教师编号“${tid}”在 ${T?.file} 中不存在`, `teacher "${tid}" not in ${T?.file}`);
    for (const c of ['from_school_id', 'to_school_id']) {
      const sid = text(r, c);
      if (sid !== undefined && schools && !schools.has(sid)) err(r, c, `学校代码“${sid}”在 ${S?.file} 中不存在`, `school "${sid}" not in ${S?.file}`);
    }
    const mode = field(r, 'mode');
    const to = text(r, 'to_school_id');
    if (mode !== undefined && mode !== 'deferral' && to === undefined) err(r, 'to_school_id', '缺少必填值（调入学校代码）：交流记录须写明调入学校（暂缓记录除外）', 'required value missing: a move names its school (deferral rows excepted)');
    if (mode === 'deferral' && to !== undefined) err(r, 'to_school_id', '暂缓记录不填调入学校', 'a deferral row names no destination');
    if (to !== undefined && to === text(r, 'from_school_id')) err(r, 'to_school_id', '调入学校与调出学校相同', 'to_school_id equals from_school_id');
    const [start, end] = [r.fields.start_year, r.fields.end_year];
    if (typeof start === 'number' && typeof end === 'number' && end < start) err(r, 'end_year', `结束年份${end}早于开始年份${start}`, `end_year ${end} is before start_year ${start}`);
  }
  return errors;
}

/** A history row starting after the plan year is a typo: the future is the plan's. */
export function historyAfterPlanYear(H: ParsedTable<HistoryRow> | undefined, policy: Policy): InputError[] {
  return (H?.rows ?? []).flatMap((r) => {
    const start = r.fields.start_year;
    return typeof start === 'number' && start > policy.year
      ? [inputError(H!.file, r.line, 'start_year', `开始年份${start}晚于方案年度${policy.year}（policy.json year）`, `start_year ${start} is after the plan year ${policy.year}`)]
      : [];
  });
}
