// CSV text → header + rows, each row tagged with the FILE line its record starts on.
// Never throws: malformed input becomes an InputError (`file:line: -: CSV 格式错误…`).
import { parse } from 'csv-parse/sync';
import { inputError, type InputError } from './input-errors.ts';
import { INPUT_LIMITS, fmtCount } from './input-limits.ts';

export type RawRow = { line: number; cells: (string | undefined)[] };
/** One table as read from a CSV file or a worksheet, before any typing. */
export type RawTable = { header: string[]; headerLine: number; rows: RawRow[] };
export type ReadResult = { table: RawTable | undefined; errors: InputError[] };

type Parsed = { record: string[]; info: { bytes: number } };

const fmt = (file: string, line: number, zh: string, en: string): InputError =>
  inputError(file, line, '-', `CSV 格式错误：${zh}`, `CSV format error: ${en}`);

/**
 * Decodes bytes as UTF-8, strictly: Excel on Chinese Windows saves "CSV" as GBK, and a lossy
 * decode would import mojibake silently. Reports the line of the first undecodable byte.
 */
export function decodeUtf8(file: string, content: string | Uint8Array): { text: string } | { error: InputError } {
  if (typeof content === 'string') return { text: content };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content) };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(content);
    const at = lossy.indexOf('\uFFFD');
    const line = at < 0 ? 1 : lineStarts(Buffer.from(lossy.slice(0, at), 'utf8')).length;
    return {
      error: inputError(file, line, '-',
        '文件不是 UTF-8 编码（可能是 GBK）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”',
        'file is not UTF-8 (GBK?); save it as "CSV UTF-8 (comma delimited)"'),
    };
  }
}

/**
 * Byte offsets where each line starts; `\r\n`, `\n` and a lone `\r` each end a line.
 * Bytes, not characters, because csv-parse reports positions in bytes (UTF-8 never uses
 * 0x0a/0x0d inside a multi-byte character, so this is safe).
 */
function lineStarts(buf: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a || (b === 0x0d && buf[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line holding byte offset `at`; skips the blank lines csv-parse skips. */
function lineAt(buf: Buffer, starts: number[], at: number): number {
  let pos = at;
  while (pos < buf.length && (buf[pos] === 0x0a || buf[pos] === 0x0d)) pos++;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function isParsed(x: unknown): x is Parsed {
  if (typeof x !== 'object' || x === null || !('record' in x) || !('info' in x)) return false;
  const { record, info } = x;
  return Array.isArray(record) && typeof info === 'object' && info !== null && 'bytes' in info && typeof info.bytes === 'number';
}

function isCsvError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

const CSV_ERRORS: Record<string, [string, string]> = {
  CSV_QUOTE_NOT_CLOSED: ['引号未闭合（从本行开始的单元格缺少结束的双引号）', 'quote not closed (a cell starting on this line has no closing quote)'],
  INVALID_OPENING_QUOTE: ['单元格中间出现双引号，含引号的单元格须整体用双引号括起并将引号写成 ""', 'quote inside an unquoted cell; quote the cell and double the quote ("")'],
  CSV_INVALID_CLOSING_QUOTE: ['结束引号后还有其他字符', 'characters after a closing quote'],
};

const limitError = (file: string, line: number, zh: string, en: string): InputError => inputError(file, line, '-', `超出上限：${zh}`, `over a limit: ${en}`);

/** Too many lines, or a line too long, found from the line starts alone: before csv-parse runs. */
function sizeProblem(file: string, buf: Buffer, starts: number[]): InputError | undefined {
  // Blank lines count too: a file of a million empty lines is refused as quickly as a million rows.
  if (starts.length > INPUT_LIMITS.rows + 2) {
    return limitError(file, INPUT_LIMITS.rows + 2, `超过 ${fmtCount(INPUT_LIMITS.rows)} 行数据`, `more than ${fmtCount(INPUT_LIMITS.rows)} data rows`);
  }
  for (let i = 0; i < starts.length; i++) {
    const bytes = (starts[i + 1] ?? buf.length) - starts[i]!;
    if (bytes > INPUT_LIMITS.lineBytes) {
      return limitError(file, i + 1, `本行 ${fmtCount(bytes)} 字节，单行上限 ${INPUT_LIMITS.lineBytes / 1024} KB`, `line of ${fmtCount(bytes)} bytes; limit ${INPUT_LIMITS.lineBytes / 1024} KB`);
    }
  }
  return undefined;
}

/**
 * Parses one CSV file. Line numbers are computed from csv-parse's byte offsets rather than its
 * `lines` counter, which miscounts quoted cells holding `\r\n`.
 */
export function readCsv(file: string, content: string | Uint8Array): ReadResult {
  const decoded = decodeUtf8(file, content);
  if ('error' in decoded) return { table: undefined, errors: [decoded.error] };
  const text = decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text;
  const buf = Buffer.from(text, 'utf8');
  const starts = lineStarts(buf);
  const tooBig = sizeProblem(file, buf, starts);
  if (tooBig) return { table: undefined, errors: [tooBig] };
  let parsed: Parsed[];
  let syntax: { code: string; records: number } | undefined;
  try {
    const out: unknown[] = parse(buf, {
      info: true, bom: true, relax_column_count: true, skip_empty_lines: true,
      // Skipping (instead of throwing) keeps the records before the bad one with their byte
      // offsets, which is how the bad record's first line is found.
      skip_records_with_error: true,
      on_skip: (err) => {
        syntax ??= { code: err?.code ?? 'UNKNOWN', records: typeof err?.records === 'number' ? err.records : 0 };
        return undefined;
      },
    });
    // With `info: true` csv-parse yields { record, info } objects, which its typings do not model.
    parsed = out.filter(isParsed);
  } catch (e) {
    syntax = { code: isCsvError(e) ? e.code : 'UNKNOWN', records: 0 };
    parsed = [];
  }
  if (syntax) {
    // Only the first syntax error is reported: after it, csv-parse's recovery guesses where
    // records restart, and what follows is not trustworthy.
    const at = syntax.records > 0 ? (parsed[syntax.records - 1]?.info.bytes ?? 0) : 0;
    const known = CSV_ERRORS[syntax.code];
    const [zh, en] = known ?? [`无法解析（${syntax.code}）`, `unparsable (${syntax.code})`];
    return { table: undefined, errors: [fmt(file, lineAt(buf, starts, at), zh, en)] };
  }
  const errors: InputError[] = [];
  let prevEnd = 0;
  const records: RawRow[] = [];
  for (const p of parsed) {
    const line = lineAt(buf, starts, prevEnd);
    prevEnd = p.info.bytes;
    records.push({ line, cells: p.record });
  }
  const first = records.shift();
  if (!first) return { table: undefined, errors: [fmt(file, 1, '文件为空，缺少表头行', 'empty file, no header row')] };
  const header = first.cells.map((h) => (h ?? '').trim());
  if (header.length === 1) {
    const sep = [[';', '分号'], ['\t', '制表符'], ['，', '中文逗号'], ['|', '竖线']].find(([s]) => header[0]?.includes(s ?? ','));
    if (sep) {
      return {
        table: undefined,
        errors: [fmt(file, first.line, `表头只有一列，似乎用${sep[1]}分隔；请使用英文逗号分隔`, `header has a single column; looks ${JSON.stringify(sep[0])}-delimited, use commas`)],
      };
    }
  }
  if (header.length > INPUT_LIMITS.columns) {
    return { table: undefined, errors: [limitError(file, first.line, `表头有 ${header.length} 列，超过上限 ${INPUT_LIMITS.columns} 列`, `header has ${header.length} columns; limit ${INPUT_LIMITS.columns}`)] };
  }
  const rows: RawRow[] = [];
  for (const r of records) {
    // A row of empty cells (`,,,` from a spreadsheet's formatted blank rows) is a blank line.
    if (r.cells.every((c) => (c ?? '').trim() === '')) continue;
    if (r.cells.length !== header.length) {
      errors.push(fmt(file, r.line,
        `本行有 ${r.cells.length} 个单元格，表头有 ${header.length} 列（含逗号的内容须用双引号括起）`,
        `row has ${r.cells.length} cells, header has ${header.length} (quote cells containing commas)`));
      continue;
    }
    rows.push({ line: r.line, cells: r.cells.map((c) => (c === undefined || c.trim() === '' ? undefined : c)) });
  }
  return { table: { header, headerLine: first.line, rows }, errors };
}
