// The audit PDF's pages for what the moves carry (posts, 走教 shares, 学区, careers, leaders,
// schools meeting all three indicators) and the size caps, in the print view's order after the
// per-school tables: the very lines the screen and the workbook show (web/src/audit-carriers-lines.ts).
import { CAPS_STANDARD, capFailureLines, capsSummary, carrierLines, carriersNote, countyBlocks } from '../web/src/audit-carriers-lines.ts';
import type { AuditDocument } from './audit-document.ts';
import type { PdfText } from './audit-pdf-text.ts';
import { type Pdf, heading, paragraph } from './pdf-layout.ts';
import { drawTable } from './pdf-table.ts';

export function carriersSections(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const at = t.lang === 'zh' ? 0 : 1;
  // Reports stored before issue 11's counts and caps have neither.
  if (d.counts.careers) {
    const { blocks, multi } = countyBlocks(d, w.allCounties);
    heading(doc, w.carriers);
    paragraph(doc, carriersNote(d.policy)[at]);
    drawTable(doc, [
      ...(multi ? [{ header: w.county, width: 0.9 }] : []),
      { header: w.item, width: 4 }, { header: w.numerator, width: 0.7, align: 'right' as const }, { header: w.denominator, width: 0.7, align: 'right' as const }, { header: w.value, width: 1.6 },
    ], blocks.flatMap(({ label, c }) => carrierLines(c, d.policy).map((x) => [
      ...(multi ? [label] : []), x.label[at], t.num(x.numerator, Number.isInteger(x.numerator) ? 0 : 2), t.int(x.denominator),
      x.value ? x.value[at] : t.pct(x.denominator > 0 ? x.numerator / x.denominator : null),
    ])));
  }
  if (!d.school_caps) return;
  const rows = d.school_caps.schools;
  const failing = capFailureLines(rows);
  heading(doc, w.caps);
  paragraph(doc, `${CAPS_STANDARD[at]}${at === 0 ? '' : ' '}${capsSummary(rows)[at]}`);
  if (failing.length === 0) { paragraph(doc, w.capsNone); return; }
  const multi = new Set(rows.map((r) => r.county)).size > 1;
  drawTable(doc, [
    ...(multi ? [{ header: w.county, width: 1 }] : []),
    { header: w.schoolId, width: 0.9 }, { header: w.school, width: 2.2 }, { header: w.item, width: 3 },
    { header: w.actual, width: 0.8, align: 'right' as const }, { header: w.limit, width: 0.8, align: 'right' as const },
  ], failing.map((f) => [...(multi ? [f.row.county] : []), f.row.school_id, f.row.school_name ?? '', f.what[at], t.num(f.actual, f.cap === 'school_size' ? 0 : 1), t.int(f.max)]),
  { flag: () => true });
}
