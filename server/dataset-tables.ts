// A stored dataset's files with some contract tables taken out, as separate files or as sheets of
// a workbook, so a replacement can take their place: a scenario's locks (run-job.ts 'locks') or
// posts.csv as the needs (posts-job.ts). Runs in the task worker: rewriting a workbook is CPU work.
import ExcelJS from 'exceljs';
import type { TableName } from '../solver/contract/columns.ts';
import { tableForFile } from '../solver/contract/dataset.ts';
import { tableForSheet } from '../solver/contract/workbook.ts';

export interface StoredFile { name: string; content: Uint8Array }

export async function withoutTables(files: readonly StoredFile[], tables: readonly TableName[]): Promise<StoredFile[]> {
  const drop = (t: TableName | undefined) => t !== undefined && tables.includes(t);
  const out: StoredFile[] = [];
  for (const f of files) {
    if (drop(tableForFile(f.name)?.table)) continue;
    if (!/\.xlsx$/i.test(f.name)) { out.push(f); continue; }
    const wb = new ExcelJS.Workbook();
    const ab = new ArrayBuffer(f.content.byteLength);
    new Uint8Array(ab).set(f.content);
    await wb.xlsx.load(ab);
    const sheets = wb.worksheets.filter((ws) => drop(tableForSheet(ws.name)));
    if (sheets.length === 0) { out.push(f); continue; }
    for (const ws of sheets) wb.removeWorksheet(ws.id);
    out.push({ name: f.name, content: new Uint8Array(await wb.xlsx.writeBuffer()) });
  }
  return out;
}
