// The 差异系数 of one county × stage × indicator recomputed school by school from the audit's
// per-school rows, the way the audit screen's trace does (web/src/pages/audit-tables.ts cvTrace):
// X_i = 100·R_i/P_i, X̄ = 100·ΣR_i/ΣP_i, S = √Σ(P_i/P)(X_i − X̄)², CV = S/X̄ — so the printed
// table can be checked by hand against the value the report states. Pure, for the screen and paper alike.
import type { auditSections } from './report.ts';

type SchoolRow = ReturnType<typeof auditSections>['indicators']['schools'][number];
export type Side = 'before' | 'after';
export type IndicatorKey = 'aboveDegree' | 'backbone' | 'peArt';
const R_KEY = { aboveDegree: 'above_degree', backbone: 'backbone', peArt: 'pe_art' } as const;

export interface CvTraceTerm { school: SchoolRow; P: number; R: number; X: number; weight: number; term: number }

export interface CvTrace {
  terms: CvTraceTerm[];
  /** Schools of the stage outside the CV (no students, or small teaching points). */
  leftOut: SchoolRow[];
  P: number;
  sumR: number;
  mean: number | null;
  S: number;
  cv: number | null;
}

export function cvTrace(schools: readonly SchoolRow[], county: string, stage: string, indicator: IndicatorKey, side: Side): CvTrace {
  const rows = schools.filter((s) => s.county === county && s.stage === stage);
  const inScope = rows.filter((s) => s.in_cv_scope);
  const R = (s: SchoolRow) => s[side][R_KEY[indicator]];
  const P = inScope.reduce((a, s) => a + s.students, 0);
  const sumR = inScope.reduce((a, s) => a + R(s), 0);
  const mean = P > 0 ? (100 * sumR) / P : null;
  const terms = inScope.map((s) => {
    const X = (100 * R(s)) / s.students;
    const weight = s.students / P;
    return { school: s, P: s.students, R: R(s), X, weight, term: mean === null ? 0 : weight * (X - mean) ** 2 };
  });
  const S = Math.sqrt(terms.reduce((a, t) => a + t.term, 0));
  return { terms, leftOut: rows.filter((s) => !s.in_cv_scope), P, sumR, mean, S, cv: mean ? S / mean : null };
}
