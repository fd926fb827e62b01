// One audit as a document an auditor signs or files: the audit sections (counts, rules with their
// numbers, per-school tables, indicators and 差异系数) and the trace that ties a paper copy to the
// exact inputs. The screen, the print view, the XLSX and the PDF all render this one shape, for a
// run's plan and for a hand-made plan alike.
import type { Policy } from '../solver/contract/schemas.ts';
import type { auditSections } from '../solver/report/report.ts';

export type AuditSections = ReturnType<typeof auditSections>;

/** What every printed page states so a paper copy can be traced to what was audited. */
export interface AuditTrace {
  subject: 'run' | 'hand_plan';
  run_id: number | null;
  scenario_id: number | null;
  scenario_name: string | null;
  /** The run's result hash (hashes.ts); null for a hand-made plan. */
  result_hash: string | null;
  /** The uploaded file's name; null for a run. */
  plan_file: string | null;
  /** sha256 of the plan.csv bytes audited (a run's stored plan.csv, or the uploaded file). */
  plan_hash: string;
  plan_rows: number;
  dataset_id: number;
  dataset_name: string;
  dataset_hash: string;
  /** sha256 of the policy JSON the rules were checked with. */
  policy_hash: string;
  /** ISO time of the audit (a hand-made plan) or of the export (a run). */
  audited_at: string;
  audited_by: string;
}

export interface AuditDocument extends AuditSections {
  trace: AuditTrace;
  policy: Policy;
  /** The run's plan status (optimal / feasible / infeasible); null for a hand-made plan. */
  status: string | null;
}
