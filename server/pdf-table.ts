// A ruled table for pdfkit that breaks across pages and repeats its header row on every page it
// continues on. pdfkit's own doc.table() (0.20) breaks pages but never repeats the header, and a
// filed audit table read on page 7 must still say which column is which.
import { COLORS, FONT, type Pdf, printable } from './pdf-layout.ts';

export type Tone = 'ok' | 'bad' | 'muted';
export type Cell = string | { text: string; tone?: Tone; bold?: boolean };

export interface Column {
  header: string;
  /** Share of the table's width, relative to the other columns. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableOptions {
  fontSize?: number;
  /** Rows to shade as failing (a failing rule, a school over its cap). */
  flag?: (row: number) => boolean;
  /** A closing row (totals) drawn in bold after the last row. */
  foot?: Cell[];
}

const PAD_X = 3;
const PAD_Y = 2.5;

const textOf = (c: Cell) => printable(typeof c === 'string' ? c : c.text);
const toneOf = (c: Cell) => (typeof c === 'string' ? undefined : c.tone);
const boldOf = (c: Cell) => typeof c !== 'string' && c.bold === true;

export function drawTable(doc: Pdf, columns: Column[], rows: Cell[][], opts: TableOptions = {}): void {
  const size = opts.fontSize ?? 8;
  const left = doc.page.margins.left;
  const full = doc.page.width - left - doc.page.margins.right;
  const weight = columns.reduce((a, c) => a + c.width, 0);
  const widths = columns.map((c) => (full * c.width) / weight);
  const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const header: Cell[] = columns.map((c) => ({ text: c.header, bold: true }));
  // A row taller than a page would push pdfkit into a page break of its own mid-cell; clip instead.
  const tallest = doc.page.maxY() - doc.page.margins.top - 40;

  const heightOf = (cells: Cell[], bold = false) => Math.min(tallest, PAD_Y * 2 + Math.max(...cells.map((c, i) =>
    doc.font(bold || boldOf(c) ? FONT.bold : FONT.regular).fontSize(size).heightOfString(textOf(c) || ' ', { width: widths[i]! - PAD_X * 2 }))));

  const drawRow = (cells: Cell[], y: number, h: number, fill: string | null, bold = false) => {
    if (fill) doc.rect(left, y, full, h).fill(fill);
    cells.forEach((c, i) => {
      const tone = toneOf(c);
      doc.font(bold || boldOf(c) ? FONT.bold : FONT.regular).fontSize(size).fillColor(tone ? COLORS[tone] : COLORS.text)
        .text(textOf(c), xs[i]! + PAD_X, y + PAD_Y, { width: widths[i]! - PAD_X * 2, height: h - PAD_Y * 2, align: columns[i]!.align ?? 'left', ellipsis: true });
    });
    doc.lineWidth(0.4).strokeColor(COLORS.rule);
    for (const x of [...xs, left + full]) doc.moveTo(x, y).lineTo(x, y + h);
    doc.moveTo(left, y).lineTo(left + full, y).moveTo(left, y + h).lineTo(left + full, y + h).stroke();
  };

  const headH = heightOf(header, true);
  let y = doc.y;
  const startPage = () => {
    drawRow(header, y, headH, COLORS.head, true);
    y += headH;
  };
  const breakIfShort = (h: number, withHeader: boolean) => {
    if (y + h <= doc.page.maxY()) return;
    doc.addPage();
    y = doc.page.margins.top;
    if (withHeader) startPage();
  };

  // Never leave a header alone at the foot of a page.
  breakIfShort(headH + (rows[0] ? heightOf(rows[0]) : 0), false);
  startPage();
  rows.forEach((r, i) => {
    const h = heightOf(r);
    breakIfShort(h, true);
    drawRow(r, y, h, opts.flag?.(i) ? COLORS.flag : null);
    y += h;
  });
  if (opts.foot) {
    const h = heightOf(opts.foot, true);
    breakIfShort(h, true);
    drawRow(opts.foot, y, h, COLORS.head, true);
    y += h;
  }
  doc.fillColor(COLORS.text);
  doc.x = left;
  doc.y = y + size;
}
