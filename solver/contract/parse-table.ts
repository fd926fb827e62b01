// Raw rows → typed objects through the contract's zod schemas. Every problem becomes an
// InputError; a bad row yields `value: undefined` but keeps its cells, so cross-file checks can
// still see its id (a school row with a bad locale must not make all its teachers "unknown").
import type { z } from 'zod';
import { columnForHeader, columnLabel, parseCell, type ColumnSpec, type TableSpec } from './columns.ts';
import { INPUT_LIMITS, fmtCount } from './input-limits.ts';
import { inputError, type InputError } from './input-errors.ts';
import type { RawTable } from './read-csv.ts';

export type ParsedRow<T> = {
  line: number;
  /** Trimmed cell text by canonical column name; undefined when empty or absent. */
  cells: Readonly<Record<string, string | undefined>>;
  /**
   * Values of the cells that parsed (enum codes, numbers…), even when the row as a whole is bad,
   * so cross-file checks report every independent problem in one pass.
   */
  fields: Readonly<Record<string, unknown>>;
  /** The typed row, or undefined when the row has errors. */
  value: T | undefined;
};

export type ParsedTable<T> = {
  file: string;
  rows: ParsedRow<T>[];
  /** Canonical names of the columns the header holds. */
  columns: ReadonlySet<string>;
  errors: InputError[];
};

type Issue = z.core.$ZodIssue;

/** A row's trimmed cell text (cross-file checks work on cells, so a bad row's id still counts). */
export const cellText = (r: ParsedRow<unknown>, c: string): string | undefined => r.cells[c];
/** A row's parsed code value (enum) of one cell, even when the row as a whole is bad. */
export const cellCode = (r: ParsedRow<unknown>, c: string): string | undefined => {
  const v = r.fields[c];
  return typeof v === 'string' ? v : undefined;
};

/**
 * One zod issue → [zh, en]. `shown` is the offending value as text (empty for personal data).
 * Exported for policy.json, whose values come from JSON rather than cells.
 */
export function issueMessage(issue: Issue, shown: string, value?: unknown): [string, string] {
  const zhV = shown ? `“${shown}”` : '';
  const enV = shown ? `"${shown}" ` : '';
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin !== 'number') return [`${zhV}过短或为空`, `${enV}is too short or empty`];
      if (min === 0 && issue.inclusive !== false) return [`${zhV}不能为负数`, `${enV}must not be negative`];
      return issue.inclusive === false
        ? [`${zhV}必须大于 ${min}`, `${enV}must be greater than ${min}`]
        : [`${zhV}不能小于 ${min}`, `${enV}must be at least ${min}`];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      return issue.inclusive === false
        ? [`${zhV}必须小于 ${max}`, `${enV}must be less than ${max}`]
        : [`${zhV}不能大于 ${max}`, `${enV}must be at most ${max}`];
    }
    case 'invalid_type':
      if (issue.expected === 'int') return [`${zhV}不是整数`, `${enV}is not a whole number`];
      if (value !== undefined) {
        const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
        return [`${zhV}是${typeName(actual)}，应为${typeName(issue.expected)}`, `${enV}is ${actual}, expected ${issue.expected}`];
      }
      return [`${zhV}类型错误，应为${typeName(issue.expected)}`, `${enV}has the wrong type, expected ${issue.expected}`];
    case 'invalid_value':
      return [`${zhV}不是有效取值，可选：${issue.values.map(String).join('、')}`, `${enV}is not allowed; allowed: ${issue.values.map(String).join(', ')}`];
    case 'invalid_union':
      return [`${zhV}取值无效`, `${enV}is invalid`];
    case 'invalid_format': // the only pattern: ids (schemas.ts `code`)
      return [`${zhV}不能以 = + - @ 开头（表格软件会把它当公式执行），也不能含控制字符`, `${enV}must not start with = + - @ (spreadsheets would run it as a formula) nor hold control characters`];
    default:
      return [`${zhV}取值无效（${issue.message}）`, `${enV}is invalid (${issue.message})`];
  }
}

function typeName(t: string): string {
  const names: Record<string, string> = { number: '数字', string: '文本', boolean: '布尔值（true/false）', object: '对象', array: '数组', null: 'null' };
  return names[t] ?? t;
}

export function missingMessage(c: ColumnSpec): [string, string] {
  const [hz, he] = c.missingHint ?? ['', ''];
  return [
    `缺少必填值（${columnLabel(c)}）${hz ? `：${hz}` : ''}`,
    `required value missing${he ? `: ${he}` : ''}`,
  ];
}

/** Maps header cells to columns; reports duplicates and missing required columns on the header line. */
function mapHeader(spec: TableSpec, raw: RawTable, file: string, errors: InputError[]): (ColumnSpec | undefined)[] {
  const firstAt = new Map<string, number>();
  const mapped = raw.header.map((h, i) => {
    const c = columnForHeader(spec, h);
    if (!c) return undefined;
    const prev = firstAt.get(c.name);
    if (prev !== undefined) {
      errors.push(inputError(file, raw.headerLine, c.name,
        `表头重复：第 ${prev + 1} 列“${raw.header[prev]}”与第 ${i + 1} 列“${h}”是同一列`,
        `duplicate header: column ${prev + 1} "${raw.header[prev]}" and column ${i + 1} "${h}" are the same column`));
      return undefined;
    }
    firstAt.set(c.name, i);
    return c;
  });
  for (const c of spec.columns) {
    if (c.required && !firstAt.has(c.name)) {
      const names = [c.name, ...c.aliases].join(' 或 ');
      errors.push(inputError(file, raw.headerLine, c.name, `缺少必需列（表头写作 ${names}）`,
        `required column missing (header ${[c.name, ...c.aliases].join(' or ')})`));
    }
  }
  return mapped;
}

export function parseTable<S extends z.ZodType>(spec: TableSpec<S>, raw: RawTable, file: string): ParsedTable<z.infer<S>> {
  const errors: InputError[] = [];
  const mapped = mapHeader(spec, raw, file, errors);
  const columns = new Set(mapped.flatMap((c) => (c ? [c.name] : [])));
  const byName = new Map(spec.columns.map((c) => [c.name, c]));
  const rows: ParsedRow<z.infer<S>>[] = [];
  for (const row of raw.rows) {
    const cells: Record<string, string | undefined> = {};
    const input: Record<string, unknown> = {};
    const bad = new Set<string>();
    const before = errors.length;
    mapped.forEach((c, i) => {
      if (!c) return;
      const text = row.cells[i]?.trim() || undefined;
      if (text !== undefined && text.length > INPUT_LIMITS.cellChars) {
        bad.add(c.name);
        errors.push(inputError(file, row.line, c.name, `超出上限：单元格 ${fmtCount(text.length)} 个字符，上限 ${fmtCount(INPUT_LIMITS.cellChars)}`,
          `over a limit: cell of ${fmtCount(text.length)} characters; limit ${fmtCount(INPUT_LIMITS.cellChars)}`));
        return;
      }
      cells[c.name] = text;
      const r = parseCell(c, text);
      if (r.ok) {
        if (r.value !== undefined) input[c.name] = r.value;
      } else {
        bad.add(c.name);
        errors.push(inputError(file, row.line, c.name, r.message, r.messageEn));
      }
    });
    const result = spec.schema.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const name = String(issue.path[0] ?? '-');
        // Already reported: the cell did not parse, or the whole column is missing.
        if (bad.has(name) || (byName.get(name)?.required && !columns.has(name))) continue;
        bad.add(name);
        const c = byName.get(name);
        const [zh, en] = c && cells[name] === undefined
          ? missingMessage(c)
          : issueMessage(issue, c?.personal ? '' : (cells[name] ?? ''));
        errors.push(inputError(file, row.line, name, zh, en));
      }
    }
    rows.push({ line: row.line, cells, fields: input, value: result.success && errors.length === before ? result.data : undefined });
  }
  return { file, rows, columns, errors };
}
