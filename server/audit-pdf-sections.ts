// The first half of the audit PDF, in the print view's order: what was audited (the trace),
// the verdict and counts with moves by mode and both rates, and every rule with its numbers,
// clause and, for a failing rule, what failed.
import type { AuditDocument } from './audit-document.ts';
import type { PdfText } from './audit-pdf-text.ts';
import { COLORS, type Pdf, heading, paragraph } from './pdf-layout.ts';
import { type Cell, drawTable } from './pdf-table.ts';

/** Optional English wording a rule may carry; the Chinese text stands in where it has none. */
type Rule = AuditDocument['rules'][number] & { name_en?: string; clause_en?: string; required_en?: string; actual_en?: string; details_en?: string[] };

/** The web lists at most this many items of a failing rule; so does the paper. */
const MAX_DETAILS = 100;

const okCell = (t: PdfText, ok: boolean): Cell => ({ text: t.passFail(ok), tone: ok ? 'ok' : 'bad', bold: !ok });

/** The line under the title: which plan of which dataset, as the print view's head says it. */
export function subjectLine(d: AuditDocument, t: PdfText): string {
  const tr = d.trace;
  const what = tr.subject === 'run'
    ? `${t.w.run} #${tr.run_id ?? '—'} ${tr.scenario_name ?? ''}`.trim()
    : `${t.w.handPlan} ${tr.plan_file ?? 'plan.csv'}`;
  return `${tr.dataset_name} · ${what}`;
}

export function traceSection(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const tr = d.trace;
  const { w } = t;
  heading(doc, w.trace);
  const rows: Cell[][] = [
    [w.subject, subjectLine(d, t)],
    [w.dataset, `#${tr.dataset_id} ${tr.dataset_name}`],
    [w.datasetHash, tr.dataset_hash],
    [w.planHash, tr.plan_hash],
    [w.planRows, t.int(tr.plan_rows)],
    [w.policyHash, tr.policy_hash],
    ...(tr.result_hash ? [[w.resultHash, tr.result_hash]] : []),
    ...(d.status ? [[w.status, t.status(d.status)]] : []),
    [w.auditedAt, t.time(tr.audited_at)],
    [w.auditedBy, tr.audited_by],
  ];
  drawTable(doc, [{ header: w.item, width: 1 }, { header: w.value, width: 3.2 }], rows);
  paragraph(doc, w.hashNote);
}

export function countsSection(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const c = d.counts;
  const need = (share: number) => `${w.required} ≥ ${t.pct(share, 0)}`;
  heading(doc, w.counts);
  drawTable(doc, [{ header: w.item, width: 2.2 }, { header: w.value, width: 1.2, align: 'right' }, { header: w.note, width: 2.2 }], [
    [w.verdict, { text: d.audit_ok ? w.allPass : w.fails, tone: d.audit_ok ? 'ok' : 'bad', bold: true }, ''],
    [w.teachers, t.int(c.teachers), ''],
    [w.eligible, t.int(c.eligible), ''],
    [w.rotated, t.int(c.rotated), ''],
    [w.counted, t.int(c.counted_rotated), ''],
    [w.rotationRate, t.pct(c.rotation_rate), need(d.policy.ratios.minRotatedShareOfEligible)],
    [w.backbone, t.int(c.backbone_rotated), ''],
    [w.backboneShare, t.pct(c.backbone_share), need(d.policy.ratios.minBackboneShareOfRotated)],
    [w.toward, t.int(c.toward_rural_or_weak), t.pct(c.rotated ? c.toward_rural_or_weak / c.rotated : null)],
    [w.transfers, t.int(c.transfers), ''],
    [w.transferRate, t.pct(c.transfer_rate_of_establishment, 2), `${t.int(c.transfers)} / ${t.int(c.on_establishment)}`],
  ]);
  heading(doc, w.byMode, 2);
  drawTable(doc, [{ header: w.mode, width: 1.5 }, { header: w.people, width: 1, align: 'right' }, { header: w.modeBackbone, width: 1.4, align: 'right' }, { header: w.countsTowardShare, width: 1.4 }],
    c.by_mode.map((m) => [t.mode(m.mode), t.int(m.rotated), t.int(m.backbone), m.counts_toward_rotation ? w.yes : w.no]));
}

export function rulesSection(doc: Pdf, d: AuditDocument, t: PdfText): void {
  const { w } = t;
  const rules: Rule[] = d.rules;
  const en = t.lang === 'en';
  const pick = (zh: string, english: string | undefined) => (en && english ? english : zh);
  const multiCounty = new Set(rules.map((r) => r.county).filter(Boolean)).size > 1;
  heading(doc, w.rules);
  paragraph(doc, w.rulesNote);
  drawTable(doc, [
    { header: w.rule, width: 3 },
    ...(multiCounty ? [{ header: w.county, width: 0.9 }] : []),
    { header: w.numerator, width: 0.8, align: 'right' as const },
    { header: w.denominator, width: 0.8, align: 'right' as const },
    { header: w.required, width: 1.4 },
    { header: w.actual, width: 1.4 },
    { header: w.result, width: 0.75 },
    { header: w.clause, width: 2.6 },
  ], rules.map((r) => [
    `${pick(r.name, r.name_en)}\n${r.id}`,
    ...(multiCounty ? [r.county ?? w.allCounties] : []),
    r.numerator === undefined ? '—' : t.int(r.numerator),
    r.denominator === undefined ? '—' : t.int(r.denominator),
    pick(r.required, r.required_en),
    pick(r.actual, r.actual_en),
    okCell(t, r.ok),
    pick(r.clause, r.clause_en),
  ]), { fontSize: 7.5, flag: (i) => !rules[i]!.ok });

  const failing = rules.filter((r) => !r.ok && (r.details?.length ?? 0) > 0);
  if (failing.length === 0) return;
  heading(doc, w.failDetails, 2);
  for (const r of failing) {
    const details = (en ? r.details_en : undefined) ?? r.details ?? [];
    paragraph(doc, t.labelled(pick(r.name, r.name_en) + t.paren(`${r.id}${r.county ? ` · ${r.county}` : ''}`), pick(r.actual, r.actual_en)), { bold: true, color: COLORS.bad });
    paragraph(doc, details.slice(0, MAX_DETAILS).map((x) => `• ${x}`).join('\n'), { size: 7.5, color: COLORS.text });
    if (details.length > MAX_DETAILS) paragraph(doc, t.fill(w.moreDetails, { n: details.length - MAX_DETAILS }));
  }
}
