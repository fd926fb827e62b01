// The audit PDF's pages for a dataset with a history.csv (issue 12): the returns at the end of a
// term and the auditor's history checks, the same content as the screen's cards
// (web/src/pages/history-cards.ts), after the plan's own sections. Absent without a history.
import type { AuditDocument } from './audit-document.ts';
import type { PdfText } from './audit-pdf-text.ts';
import { type Pdf, heading, paragraph } from './pdf-layout.ts';
import { drawTable } from './pdf-table.ts';

export function historySections(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const en = t.lang === 'en';
  if (!d.history_checks) return;
  if (d.returns) {
    heading(doc, w.returns);
    paragraph(doc, t.fill(w.returnsNote, { n: t.int(d.returns.length) }));
    if (d.returns.length === 0) paragraph(doc, w.returnsNone);
    else drawTable(doc, [
      { header: w.teacher, width: 1 }, { header: w.hostHome, width: 1.6 }, { header: w.mode, width: 0.8 }, { header: w.term, width: 1 }, { header: w.note, width: 3 },
    ], d.returns.map((r) => [r.teacher_id, `${r.from_school_id} → ${r.to_school_id}`, t.mode(r.mode), `${r.start_year}–${r.end_year}`,
      // returns.csv words the reason in Chinese; the English one is built from the same fields, as on screen.
      en ? `${t.mode(r.mode)} term ${r.start_year}–${r.end_year} ended: back to the home school` : r.reason]));
  }
  const found = d.history_checks.filter((c) => !c.ok).length;
  heading(doc, w.historyChecks);
  paragraph(doc, t.fill(w.historyNote, { n: t.int(d.history_checks.length), found: t.int(found) }));
  for (const c of d.history_checks) {
    heading(doc, `${c.id} ${en ? c.name_en : c.name}${t.paren(c.ok ? w.noneFound : t.int(c.teachers.length))}`, 2);
    paragraph(doc, en ? c.clause_en : c.clause, { size: 8 });
    if (!c.ok) drawTable(doc, [{ header: w.teacher, width: 1 }, { header: w.yearsWhat, width: 5 }], c.teachers.map((f) => [f.teacher_id, en ? f.detail_en : f.detail]), { flag: () => true });
  }
}
