// A finished run's audit as an AuditDocument (audit-document.ts), for the PDF and the XLSX: the
// audit sections as stored in its report.json, and the trace of what was audited — the run, its
// result hash, the sha256 of its stored plan.csv and of its policy, the dataset and its content
// hash, when and by whom it was exported.
import type { AuditDocument } from './audit-document.ts';
import { type Db, type RunRow, getDataset, getScenario } from './db.ts';
import { sha256 } from './hashes.ts';
import { ApiError } from './routes/http.ts';

type Stored = RunRow & { plan_csv: string; report_json: string };

export async function runAuditDocument(db: Db, run: Stored, auditedBy: string, now = new Date()): Promise<AuditDocument> {
  const report = JSON.parse(run.report_json) as AuditDocument & Record<string, unknown>;
  // Reports stored before the per-school and by-mode audit rows existed cannot fill the document.
  if (!Array.isArray(report.counts?.per_school) || !Array.isArray(report.counts?.by_mode)) {
    throw new ApiError(409, `运行 #${run.id} 的报告早于审计报告格式，请重新求解后再导出`);
  }
  const dataset = await getDataset(db, run.dataset_id);
  if (!dataset) throw new ApiError(404, `运行 #${run.id} 的数据集不存在`);
  const scenario = await getScenario(db, run.scenario_id);
  const { audit_ok, counts, rules, indicators, school_caps, policy, status, returns, history_checks } = report;
  return {
    audit_ok, counts, rules, indicators, school_caps, policy, status,
    // Only in reports of datasets with a history.csv.
    ...(history_checks ? { returns, history_checks } : {}),
    trace: {
      subject: 'run',
      run_id: run.id,
      scenario_id: run.scenario_id,
      scenario_name: scenario?.name ?? null,
      result_hash: run.result_hash,
      plan_file: null,
      plan_hash: sha256(run.plan_csv),
      // The integrity rule counts every row of the plan it checked.
      plan_rows: rules.find((r) => r.id === 'plan_integrity')?.denominator ?? 0,
      dataset_id: dataset.id,
      dataset_name: dataset.name,
      dataset_hash: dataset.content_hash,
      policy_hash: sha256(JSON.stringify(policy)),
      audited_at: now.toISOString(),
      audited_by: auditedBy,
    },
  };
}
