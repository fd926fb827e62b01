// One county's part of an audit document, for the county picker of a multi-county file: its rules
// (the plan-wide integrity check stays), its own counts (report `counts.per_county`), schools,
// size caps, indicators and 差异系数. The verdict becomes the county's; the trace stays the whole file's,
// since the file is what was audited (the print header names the county shown).
import type { AuditDocument, Report } from '../api.ts';

export function countyView(doc: AuditDocument, county: string): AuditDocument {
  const own = doc.counts.per_county.find((c) => c.county === county);
  if (!county || !own) return doc;
  const rules = doc.rules.filter((r) => r.county === null || r.county === county);
  return {
    ...doc,
    audit_ok: rules.every((r) => r.ok),
    counts: { ...doc.counts, ...own, counties: 1, per_county: [own], per_school: doc.counts.per_school.filter((s) => s.county === county) },
    rules,
    school_caps: doc.school_caps && countyCaps(doc.school_caps, county),
    indicators: {
      schools: doc.indicators.schools.filter((s) => s.county === county),
      cv: doc.indicators.cv.filter((x) => x.county === county),
    },
  };
}

/** The class and school size caps of one county's schools. */
function countyCaps(caps: AuditDocument['school_caps'], county: string): AuditDocument['school_caps'] {
  const schools = caps.schools.filter((s) => s.county === county);
  const ids = new Set(schools.map((s) => s.school_id));
  // Each failing text starts with its school's id (solver/policy/school-caps.ts capFailures).
  const own = (text: string) => ids.has(text.split(/[：（]/)[0]!);
  const unknown = schools.reduce((a, s) => a + s.class_size.filter((c) => c.ok === null).length, 0);
  return { schools, failing: { school_size: caps.failing.school_size.filter(own), class_size: caps.failing.class_size.filter(own), class_size_unknown: unknown } };
}

/** A run's report narrowed the same way, for the run-only cards (budget, objective terms, best achievable). */
export function reportForCounty(report: Report, county: string): Report {
  if (!county) return report;
  const x = report as Report & { budget?: { county: string }[]; objective_terms?: { county: string }[] };
  return {
    ...report,
    ...(x.budget ? { budget: x.budget.filter((b) => b.county === county) } : {}),
    ...(x.objective_terms ? { objective_terms: x.objective_terms.filter((t) => t.county === county) } : {}),
    indicators: { ...report.indicators, cv: report.indicators.cv.filter((c) => c.county === county) },
  };
}
