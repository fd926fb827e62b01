// The second half of the audit PDF: every school against its outflow cap and its staffing quota,
// the 差异系数 summary, and per county × stage × indicator the CV recomputed school by school.
import type { AuditDocument } from './audit-document.ts';
import type { PdfText } from './audit-pdf-text.ts';
import { type IndicatorKey, cvTrace } from '../solver/report/cv-trace.ts';
import { COLORS, type Pdf, heading, paragraph } from './pdf-layout.ts';
import { type Cell, type Column, drawTable } from './pdf-table.ts';

const okCell = (t: PdfText, ok: boolean): Cell => ({ text: t.passFail(ok), tone: ok ? 'ok' : 'bad', bold: !ok });

/** County, code and name columns, the county only when the audit spans several. */
function schoolColumns(t: PdfText, multiCounty: boolean): Column[] {
  return [
    ...(multiCounty ? [{ header: t.w.county, width: 1.1 }] : []),
    { header: t.w.schoolId, width: 0.9 },
    { header: t.w.school, width: 2.4 },
  ];
}

export function perSchoolSections(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const rows = d.counts.per_school;
  const multi = d.counts.counties > 1;
  const school = (s: (typeof rows)[number]): Cell[] => [...(multi ? [s.county] : []), s.school_id, s.school_name ?? ''];
  const right = (header: string, width = 0.8): Column => ({ header, width, align: 'right' });

  heading(doc, w.outflow);
  paragraph(doc, w.outflowNote);
  drawTable(doc, [...schoolColumns(t, multi), right(w.before), right(w.out), right(w.cap), { header: w.result, width: 0.75 }],
    rows.map((s) => [...school(s), t.int(s.teachers_before), t.int(s.outflow), t.int(s.outflow_cap), okCell(t, s.outflow_ok)]),
    { flag: (i) => !rows[i]!.outflow_ok });

  heading(doc, w.quota);
  paragraph(doc, w.quotaNote);
  drawTable(doc, [...schoolColumns(t, multi), right(w.before, 0.7), right(w.out, 0.6), right(w.in, 0.6), right(w.after, 0.7),
    right(w.quotaCol, 0.7), right(w.limit, 0.7), right(w.excess, 0.6), { header: w.result, width: 0.75 }],
  rows.map((s) => [...school(s), t.int(s.teachers_before), t.int(s.outflow), t.int(s.inflow), t.int(s.teachers_after),
    `${t.int(s.quota)}${s.quota_computed ? '*' : ''}`, t.int(s.quota_limit), t.int(s.quota_excess), okCell(t, s.quota_ok)]),
  { flag: (i) => !rows[i]!.quota_ok });
}

export function cvSummarySection(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const cvs = d.indicators.cv;
  const multi = new Set(cvs.map((x) => x.county)).size > 1;
  const right = (header: string, width = 0.8): Column => ({ header, width, align: 'right' });
  heading(doc, w.cvSummary);
  paragraph(doc, w.cvSummaryNote);
  drawTable(doc, [
    ...(multi ? [{ header: w.county, width: 1 }] : []),
    { header: w.stage, width: 0.85 }, { header: w.indicator, width: 1.5 }, right(w.schools, 0.8), right('P', 0.8), right('R', 0.7), right('X̄', 0.7),
    right(w.sBefore), right(w.sAfter), right(w.cvBefore), right(w.cvAfter), right(w.limit, 0.6), { header: w.after, width: 0.75 },
  ], cvs.map((x) => [
    ...(multi ? [x.county] : []),
    t.stage(x.stage), t.indicator(x.indicator), t.int(x.schools), t.int(x.students), t.int(x.after.teachers), t.num(x.after.mean_per100, 3),
    t.num(x.before.sd_per100, 3), t.num(x.after.sd_per100, 3), t.cv(x.before.cv), { text: t.cv(x.after.cv), bold: true }, t.num(x.max, 2),
    x.after.ok === null ? '—' : { text: x.after.ok ? w.met : w.notMet, tone: x.after.ok ? 'ok' : 'bad', bold: !x.after.ok },
  ]), { fontSize: 7.5, flag: (i) => cvs[i]!.after.ok === false });
}

/** Per county × stage × indicator (the CV summary's rows), the after-plan CV school by school. */
export function cvTraceSections(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const cvs = d.indicators.cv;
  const multi = new Set(cvs.map((x) => x.county)).size > 1;
  heading(doc, w.cvTrace);
  paragraph(doc, 'X_i = 100·R_i / P_i    X̄ = 100·ΣR_i / ΣP_i    S = √Σ (P_i/P)(X_i − X̄)²    CV = S / X̄', { size: 9, color: COLORS.text });
  paragraph(doc, w.cvTraceNote);
  for (const x of cvs) {
    const tr = cvTrace(d.indicators.schools, x.county, x.stage, x.indicator as IndicatorKey, 'after');
    const reported = x.after.cv;
    const agree = tr.cv !== null && reported !== null && Math.abs(tr.cv - reported) < 5e-4;
    const ok = tr.cv !== null && tr.cv <= x.max + 1e-9;
    heading(doc, `${multi ? `${x.county} · ` : ''}${t.stage(x.stage)} · ${t.indicator(x.indicator)}`, 2);
    paragraph(doc, t.fill(w.cvLine, {
      n: t.int(tr.terms.length), P: t.int(tr.P), mean: t.num(tr.mean, 3), S: t.num(tr.S, 3), cv: t.cv(tr.cv), max: t.num(x.max, 2),
      ok: ok ? w.met : w.notMet, agree: agree ? t.fill(w.agrees, { cv: t.cv(reported) }) : t.fill(w.reportSays, { cv: t.cv(reported) }),
    }), { color: ok && agree ? COLORS.text : COLORS.bad });
    drawTable(doc, [
      { header: w.schoolId, width: 0.8 }, { header: w.school, width: 2.2 },
      { header: 'P_i', width: 0.8, align: 'right' }, { header: 'R_i', width: 0.7, align: 'right' }, { header: 'X_i', width: 1.1, align: 'right' },
      { header: 'P_i/P', width: 0.8, align: 'right' }, { header: '(P_i/P)(X_i − X̄)²', width: 1.4, align: 'right' },
    ], tr.terms.map((s) => [s.school.school_id, s.school.school_name ?? '', t.int(s.P), t.int(s.R), t.num(s.X, 3), t.num(s.weight, 4), t.num(s.term, 4)]),
    { fontSize: 7.5, foot: [w.total, '', t.int(tr.P), t.int(tr.sumR), `X̄ = ${t.num(tr.mean, 3)}`, '1.0000', `S² = ${t.num(tr.S * tr.S, 4)}`] });
    if (tr.leftOut.length > 0) {
      paragraph(doc, t.fill(w.leftOut, { n: tr.leftOut.length }) + t.list(tr.leftOut.map((s) => `${s.school_id} ${s.school_name ?? ''}`.trim())));
    }
  }
}
