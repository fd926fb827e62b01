// One XLSX workbook → the same raw tables the CSV reader produces, so parsing and checks are
// shared. Sheets are matched by table: `teachers` (the CSV file name without `.csv`) or its
// Chinese name `教师`, case-insensitively and trimmed. Errors name `book.xlsx!sheet` as the
// file and the sheet's row number as the line, e.g. `county.xlsx!teachers:5: stage: …`.
// Sheets matching no table are ignored, like unknown files. The rounds read the same workbook
// again for its `applications` (竞聘志愿) sheet, which is not a contract table.
import ExcelJS from 'exceljs';
import { INPUT_TABLES, headerKey, type TableName, type TableSpec } from './columns.ts';
import { inputError, type InputError } from './input-errors.ts';
import { INPUT_LIMITS, fmtCount } from './input-limits.ts';
import { UNREADABLE, zipProblem } from './zip-guard.ts';
import type { RawRow, RawTable } from './read-csv.ts';

export type SheetTable = { file: string; table: RawTable };
export type WorkbookResult = { tables: Partial<Record<TableName, SheetTable>>; errors: InputError[] };

/** Cell value → text as the planner sees it; undefined when empty. */
export function cellText(v: ExcelJS.CellValue): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // A date where a year or count was expected: show it as a date so the message makes sense.
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return cellText(v.richText.map((t) => t.text).join(''));
  if ('hyperlink' in v) return cellText(v.text);
  if ('error' in v) return v.error;
  if ('result' in v) return v.result === undefined ? undefined : cellText(v.result);
  return undefined;
}

/** The tables a workbook is read for: the contract's, or another list (the rounds' applications). */
type Specs = readonly Pick<TableSpec, 'table' | 'file' | 'zhName'>[];

/** The table a sheet name stands for, if any. */
export function tableForSheet(sheetName: string, specs: Specs = INPUT_TABLES): TableName | undefined {
  const key = headerKey(sheetName);
  const spec = specs.find((t) => headerKey(t.file.replace(/\.csv$/i, '')) === key || headerKey(t.zhName) === key);
  return spec?.table;
}

function readSheet(ws: ExcelJS.Worksheet): RawTable | undefined {
  let header: string[] | undefined;
  let headerLine = 0;
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const width = header ? header.length : row.cellCount;
    const cells: (string | undefined)[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      const t = cellText(cell.value);
      // An id typed as a number but displayed with format `0000` keeps its leading zeros.
      const fmt = typeof cell.value === 'number' && /^0+$/.test(cell.numFmt ?? '') ? cell.numFmt.length : 0;
      cells.push(t !== undefined && fmt > 0 ? t.padStart(fmt, '0') : t);
    }
    if (cells.every((c) => c === undefined)) return;
    if (!header) {
      header = cells.map((c) => (c ?? '').trim());
      // Trailing blank header cells are formatting, not columns.
      while (header.length > 0 && header[header.length - 1] === '') header.pop();
      headerLine = rowNumber;
      return;
    }
    // Cells right of the last header are ignored: unlike CSV, they cannot shift other values.
    rows.push({ line: rowNumber, cells });
  });
  return header ? { header, headerLine, rows } : undefined;
}

export async function readWorkbook(file: string, content: Uint8Array, specs: Specs = INPUT_TABLES): Promise<WorkbookResult> {
  // Sizes first: the workbook reader inflates everything, media included.
  const bomb = zipProblem(content);
  if (bomb) return { tables: {}, errors: [inputError(file, 0, '-', bomb[0], bomb[1])] };
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types `load` with its own ArrayBuffer-like Buffer; hand it a plain ArrayBuffer copy.
    const ab = new ArrayBuffer(content.byteLength);
    new Uint8Array(ab).set(content);
    await wb.xlsx.load(ab);
  } catch {
    return { tables: {}, errors: [inputError(file, 0, '-', ...UNREADABLE)] };
  }
  const tables: Partial<Record<TableName, SheetTable>> = {};
  const errors: InputError[] = [];
  for (const ws of wb.worksheets) {
    const table = tableForSheet(ws.name, specs);
    if (!table) continue;
    const label = `${file}!${ws.name}`;
    const seen = tables[table];
    if (seen) {
      errors.push(inputError(label, 0, '-', `与工作表 ${seen.file} 重复：同一张表只能出现一次`,
        `duplicates sheet ${seen.file}: each table may appear only once`));
      continue;
    }
    if (ws.rowCount > INPUT_LIMITS.rows + 1 || ws.columnCount > INPUT_LIMITS.columns) {
      errors.push(inputError(label, 0, '-', `超出上限：工作表有 ${fmtCount(ws.rowCount)} 行、${ws.columnCount} 列（上限 ${fmtCount(INPUT_LIMITS.rows)} 行数据、${INPUT_LIMITS.columns} 列）`,
        `over a limit: sheet of ${fmtCount(ws.rowCount)} rows and ${ws.columnCount} columns (limit ${fmtCount(INPUT_LIMITS.rows)} data rows, ${INPUT_LIMITS.columns} columns)`));
      continue;
    }
    const raw = readSheet(ws);
    if (!raw) {
      errors.push(inputError(label, 1, '-', '工作表为空，缺少表头行', 'empty sheet, no header row'));
      continue;
    }
    tables[table] = { file: label, table: raw };
  }
  return { tables, errors };
}
