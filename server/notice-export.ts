// A 公示 list (solver/report/notice-lists.ts) as the two files a bureau posts: an XLSX workbook set
// up for printing (A4, title rows, header repeated on every page) and a self-contained HTML page
// to print from the browser. Both render the same NoticeTable, so they never differ.
import ExcelJS from 'exceljs';
import type { NoticeLang, NoticeTable } from '../solver/report/notice-lists.ts';

export async function noticeWorkbook(table: NoticeTable): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lungang 轮岗';
  wb.title = table.title;
  const ws = wb.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '), {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  const width = table.columns.length;
  ws.addRow([table.title]);
  ws.addRow([table.note]);
  ws.mergeCells(1, 1, 1, width);
  ws.mergeCells(2, 1, 2, width);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).alignment = { horizontal: 'center' };
  ws.addRow(table.columns).font = { bold: true };
  ws.addRows(table.rows);
  // Widths from the longest cell, CJK characters counting double (a printed list must not wrap names).
  table.columns.forEach((c, i) => {
    const cells = [c, ...table.rows.map((r) => String(r[i] ?? ''))];
    ws.getColumn(i + 1).width = Math.min(40, Math.max(6, ...cells.map((x) => [...x].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0) + 2)));
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const escape = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function noticeHtml(table: NoticeTable, lang: NoticeLang): string {
  const head = table.columns.map((c) => `<th>${escape(c)}</th>`).join('');
  const body = table.rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escape(table.title)}</title>
<style>
  body { font-family: "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; }
  h1 { font-size: 1.3em; text-align: center; } p { text-align: center; color: #444; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #333; padding: 0.25em 0.5em; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  @page { size: A4; margin: 15mm; } @media print { body { margin: 0; } }
</style></head><body>
<h1>${escape(table.title)}</h1><p>${escape(table.note)}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}
