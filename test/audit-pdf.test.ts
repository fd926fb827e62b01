// The audit PDF of a failing hand-made plan for the small county, read back with Poppler: every
// page renders, Noto Sans SC is embedded as a subset, the trace is on every page, and the text
// holds every rule with its figures, every school of the per-school tables, the failing numbers
// and the 差异系数 recomputed to the report's value. The English PDF has English headings.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlanRow } from '../solver/contract/schemas.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { auditSections } from '../solver/report/report.ts';
import type { AuditDocument } from '../server/audit-document.ts';
import { auditPdf } from '../server/audit-pdf.ts';
import { pdfText } from '../server/audit-pdf-text.ts';
import { printable } from '../server/pdf-layout.ts';
import { loadSample } from './helpers/datasets.ts';
import { readPdf, squash } from './helpers/pdf.ts';

const ds = await loadSample('small-county');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Every teacher of the largest school moved out (over its outflow cap), and a row naming nobody. */
function badPlan(): PlanRow[] {
  const staff = new Map<string, number>();
  for (const t of ds.teachers) staff.set(t.school_id, (staff.get(t.school_id) ?? 0) + 1);
  const [big, size] = [...staff].sort((a, b) => b[1] - a[1])[0]!;
  const bigSchool = ds.schools.find((s) => s.id === big)!;
  const other = ds.schools.find((s) => s.id !== big && s.stage === bigSchool.stage)!;
  const rows: PlanRow[] = ds.teachers.filter((t) => t.school_id === big).slice(0, Math.floor(ds.policy.limits.maxOutflowShareOfSchool * size) + 2)
    .map((t) => ({ teacher_id: t.id, from_school_id: big, to_school_id: other.id, mode: 'transfer', reason: '手工' }));
  rows.push({ teacher_id: 'T-NOBODY', from_school_id: big, to_school_id: other.id, mode: 'support', reason: '手工' });
  return rows;
}

const rows = badPlan();
const doc: AuditDocument = {
  ...auditSections(ds, auditPlan(ds, rows)),
  policy: ds.policy,
  status: null,
  trace: {
    subject: 'hand_plan', run_id: null, scenario_id: 4, scenario_name: '手工核查', result_hash: null, plan_file: '手工方案.csv',
    plan_hash: sha('plan'), plan_rows: rows.length, dataset_id: 9, dataset_name: 'small-county', dataset_hash: sha('dataset'),
    policy_hash: sha(JSON.stringify(ds.policy)), audited_at: '2026-11-29T08:30:00.000Z', audited_by: 'auditor',
  },
};

describe('audit PDF (Chinese) of a failing hand-made plan', async () => {
  const pdf = await readPdf(await auditPdf(doc, 'zh'));
  const all = squash(pdf.pages.join('\n'));
  const t = pdfText('zh');

  it('renders every page and embeds Noto Sans SC as a subset', () => {
    expect(pdf.pages.length).toBeGreaterThan(3);
    expect(pdf.rendered).toBe(pdf.pages.length);
    expect(pdf.renderErrors).toBe('');
    const rows = pdf.fonts.split('\n').filter((l) => /NotoSansSC/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    // "+" after six letters marks a subset; the emb and sub columns both say yes.
    for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-\w+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('states the trace and page x / y on every page', () => {
    pdf.pages.forEach((page, i) => {
      const text = squash(page);
      for (const hash of [doc.trace.dataset_hash, doc.trace.plan_hash, doc.trace.policy_hash]) expect(text).toContain(hash);
      expect(text).toContain(`第${i + 1}/${pdf.pages.length}页`);
    });
  });

  it('has the title, the failing verdict and every rule with its figures and clause', () => {
    expect(all).toContain('教师交流轮岗方案审计报告');
    expect(all).toContain('审核结论：未通过');
    for (const r of doc.rules) {
      expect(all).toContain(squash(r.name));
      for (const text of [r.required, r.actual, r.clause]) expect(all).toContain(squash(printable(text)));
    }
    const failing = doc.rules.filter((r) => !r.ok);
    expect(failing.map((r) => r.id)).toEqual(expect.arrayContaining(['plan_integrity', 'outflow_cap']));
    // Each failing rule's row reads: name, id, numerator, denominator, required, actual, 不通过.
    for (const r of failing) {
      const figures = [r.numerator, r.denominator].map((n) => (n === undefined ? '—' : t.int(n))).join('');
      expect(all).toContain(squash(`${r.id}${figures}${printable(r.required)}${printable(r.actual)}不通过`));
    }
    expect(all).toContain('教师T-NOBODY不在名册中');
  });

  it('lists every school against its outflow cap and quota, with the failing school marked', () => {
    const raw = pdf.pages.join('\n');
    for (const s of doc.counts.per_school) {
      expect(raw.split(s.school_id).length - 1).toBeGreaterThanOrEqual(2);
    }
    const over = doc.counts.per_school.find((s) => !s.outflow_ok)!;
    expect(all).toContain(squash(`${over.school_id}${over.school_name}${over.teachers_before}${over.outflow}${over.outflow_cap}不通过`));
  });

  it('repeats the table header on every page a school table continues on', async () => {
    // A county of 80 school rows (the small county's, eight times over): its school tables must run
    // over pages whatever the length of the rules table before them.
    const long: AuditDocument = { ...doc, counts: { ...doc.counts, per_school: Array.from({ length: 8 }, () => doc.counts.per_school).flat() } };
    const longPdf = await readPdf(await auditPdf(long, 'zh'));
    let continued = 0;
    for (const page of longPdf.pages.slice(1)) {
      const lines = page.split('\n');
      const firstRow = lines.findIndex((l) => /^S\d{3} /.test(l));
      if (firstRow < 0) continue;
      expect(lines.slice(0, firstRow).some((l) => l.startsWith('学校代码'))).toBe(true);
      // The page opens with the header and a school row right under it: a table carried over.
      if (firstRow === 1) continued++;
    }
    expect(continued).toBeGreaterThan(0);
  });

  it('recomputes every 差异系数 school by school to the value in the report', () => {
    const agreed = all.split('与报告一致').length - 1;
    expect(agreed).toBe(doc.indicators.cv.length);
    for (const x of doc.indicators.cv) expect(all).toContain(`CV=${t.cv(x.after.cv)}`);
  });
});

describe('audit PDF (English)', async () => {
  const pdf = await readPdf(await auditPdf(doc, 'en'));
  const all = pdf.pages.join('\n');

  it('has English headings, page numbers and pass/fail words', () => {
    for (const h of ['Teacher rotation plan — audit report', 'What was audited', 'Verdict and counts', 'Rule checks', 'Outflow cap per school',
      'Staffing quota per school', 'CV summary', 'CV recomputation (after the plan)']) expect(all).toContain(h);
    expect(all).toContain(`Page 1 / ${pdf.pages.length}`);
    expect(all).toMatch(/\bFail\b/);
    expect(pdf.renderErrors).toBe('');
  });

  it('lists a failing rule\'s details in English', () => {
    expect(all).toContain('teacher T-NOBODY is not on the roster');
    expect(all).not.toContain('不在名册中');
  });

  it('uses a rule\'s English wording when it has one, else its Chinese text', async () => {
    const [first, ...rest] = doc.rules;
    // Rules carry their English twins now (rules.ts); a report stored before them has none: rest[0] plays one.
    const [second, ...others] = rest;
    const { name_en: _dropped, ...chineseOnly } = second!;
    const english = { ...doc, rules: [{ ...first!, name_en: 'Every row names a rostered teacher', actual_en: `${first!.numerator} problem(s)` }, chineseOnly, ...others] } as typeof doc;
    const text = squash((await readPdf(await auditPdf(english, 'en'))).pages.join('\n'));
    expect(text).toContain(squash('Every row names a rostered teacher'));
    expect(text).toContain(squash(`${first!.numerator} problem(s)`));
    expect(text).toContain(squash(rest[0]!.name));
  });
});
