// The audit as a PDF for auditors who file documents rather than print from a browser: A4, the
// same content in the same order as the audit print view (web/src/pages/audit.ts), Noto Sans SC
// embedded, and on every page a header and footer with the trace (dataset, plan and policy
// hashes, time) and page x / y, so any loose page still says what it belongs to. CPU-bound
// (font subsetting, text layout): the server builds it in the task worker (run-job.ts).
import type { AuditDocument } from './audit-document.ts';
import { carriersSections } from './audit-pdf-carriers.ts';
import { historySections } from './audit-pdf-history.ts';
import { cvSummarySection, cvTraceSections, perSchoolSections } from './audit-pdf-schools.ts';
import { countsSection, rulesSection, subjectLine, traceSection } from './audit-pdf-sections.ts';
import { type PdfLang, pdfText } from './audit-pdf-text.ts';
import { COLORS, finish, openDocument, paragraph, stampPages } from './pdf-layout.ts';

export async function auditPdf(d: AuditDocument, lang: PdfLang): Promise<Uint8Array> {
  const t = pdfText(lang);
  const { w } = t;
  const tr = d.trace;
  const doc = openDocument({ title: w.title, subject: subjectLine(d, t), author: tr.audited_by, lang: lang === 'zh' ? 'zh-CN' : 'en' });

  doc.fontSize(18).text(w.title, { align: 'center' });
  doc.moveDown(0.3);
  paragraph(doc, [subjectLine(d, t), tr.result_hash ? `${w.resultHash} ${tr.result_hash.slice(0, 16)}` : null, `${w.auditedAt} ${t.time(tr.audited_at)}`]
    .filter(Boolean).join(' · '), { size: 9 });
  paragraph(doc, t.labelled(w.verdict, d.audit_ok ? w.allPass : w.fails), { size: 12, bold: true, color: d.audit_ok ? COLORS.ok : COLORS.bad });

  traceSection(doc, d, t);
  countsSection(doc, d, t);
  rulesSection(doc, d, t);
  perSchoolSections(doc, d, t);
  carriersSections(doc, d, t);
  cvSummarySection(doc, d, t);
  cvTraceSections(doc, d, t);
  historySections(doc, d, t);

  stampPages(doc, {
    headerLeft: `${w.title} · ${subjectLine(d, t)}`,
    headerRight: (page, pages) => t.fill(w.page, { x: page, y: pages }),
    footer: [
      `${w.datasetHash} ${tr.dataset_hash}`,
      `${w.planHash} ${tr.plan_hash}`,
      `${w.policyHash} ${tr.policy_hash} · ${w.auditedAt} ${t.time(tr.audited_at)}`,
    ],
  });
  return finish(doc);
}
