// One audit as a document an auditor signs or files: the audit sections (counts, rules with their
// numbers, per-school tables, indicators and 差异系数) and the trace that ties a paper copy to the
// exact inputs. The screen, the print view, the XLSX and the PDF all render this one shape, for a
// run's plan and for a hand-made plan alike. A hand-made plan's is built here; a run's in
// run-audit-document.ts, from its stored report.json.
import { z } from 'zod';
import type { Policy } from '../solver/contract/schemas.ts';
import type { auditSections } from '../solver/report/report.ts';
import type { HistoryFields } from '../solver/cycle/paper-rotation.ts';
import type { SessionUser } from './auth.ts';
import type { DatasetRow, ScenarioRow } from './db.ts';
import { sha256 } from './hashes.ts';

export type AuditSections = ReturnType<typeof auditSections>;

/** What every printed page states so a paper copy can be traced to what was audited. */
export const auditTraceSchema = z.object({
  subject: z.enum(['run', 'hand_plan']),
  run_id: z.number().int().nullable(),
  scenario_id: z.number().int().nullable(),
  scenario_name: z.string().nullable(),
  /** The run's result hash (hashes.ts); null for a hand-made plan. */
  result_hash: z.string().nullable(),
  /** The uploaded file's name; null for a run. */
  plan_file: z.string().nullable(),
  /** sha256 of the plan.csv bytes audited (a run's stored plan.csv, or the uploaded file). */
  plan_hash: z.string(),
  plan_rows: z.number().int(),
  dataset_id: z.number().int(),
  dataset_name: z.string(),
  dataset_hash: z.string(),
  /** sha256 of the policy JSON the rules were checked with. */
  policy_hash: z.string(),
  /** ISO time of the audit (a hand-made plan) or of the export (a run). */
  audited_at: z.string(),
  audited_by: z.string(),
});
export type AuditTrace = z.infer<typeof auditTraceSchema>;

/** The returns and the history checks (solver/cycle/paper-rotation.ts historyFields), as the API sends them. */
export const historyFieldsSchema = z.object({
  returns: z.array(z.object({
    teacher_id: z.string(), from_school_id: z.string(), to_school_id: z.string(), mode: z.string(), start_year: z.number(), end_year: z.number(), reason: z.string(),
  })).optional(),
  history_checks: z.array(z.object({
    id: z.string(), name: z.string(), name_en: z.string(), clause: z.string(), clause_en: z.string(), ok: z.boolean(),
    teachers: z.array(z.object({ teacher_id: z.string(), detail: z.string(), detail_en: z.string() })),
  })).optional(),
});

/** Present only when the dataset has a history.csv: a run's returns and checks, a hand-made plan's checks. */
export interface AuditDocument extends AuditSections, HistoryFields {
  trace: AuditTrace;
  policy: Policy;
  /** The run's plan status (optimal / feasible / infeasible); null for a hand-made plan. */
  status: string | null;
}

/** The policy's hash: over its JSON as parsed (every default filled in), as run-audit-document.ts hashes a run's. */
export const policyHash = (policy: Policy): string => sha256(JSON.stringify(policy));

const planRowsOf = (sections: AuditSections) => sections.rules.find((r) => r.id === 'plan_integrity')?.denominator ?? 0;

/** The audit of an uploaded plan: its trace names the file and the hash of its exact bytes. */
export function handAuditDocument(input: {
  sections: AuditSections; history: HistoryFields; policy: Policy; dataset: DatasetRow; scenario: ScenarioRow | undefined;
  plan: { name: string; content: Uint8Array }; user: SessionUser; at: Date;
}): AuditDocument {
  const { sections, policy, dataset, scenario, plan } = input;
  return {
    ...sections,
    ...input.history,
    policy,
    status: null,
    trace: {
      subject: 'hand_plan', run_id: null, scenario_id: scenario?.id ?? null, scenario_name: scenario?.name ?? null, result_hash: null,
      plan_file: plan.name, plan_hash: sha256(plan.content), plan_rows: planRowsOf(sections),
      dataset_id: dataset.id, dataset_name: dataset.name, dataset_hash: dataset.content_hash,
      policy_hash: policyHash(policy), audited_at: input.at.toISOString(), audited_by: input.user.username,
    },
  };
}
