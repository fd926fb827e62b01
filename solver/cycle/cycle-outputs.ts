// The files a cycle writes (issue 12), built once for the CLI (`lungang rounds`) and the server
// (POST /api/scenarios/:id/rounds), so what a planner downloads is what the command writes.
import { csvText } from '../contract/csv-text.ts';
import { buildReport } from '../report/report.ts';
import { planCsvText } from '../report/plan-rows.ts';
import type { CycleResult } from './cycle.ts';
import { RETURN_COLUMNS, type ReturnRow } from './history.ts';
import { historyFields } from './paper-rotation.ts';
import { ROUND_COLUMNS, ROUND_NAMES, type RoundRow } from './round-rows.ts';

export const roundsCsvText = (rows: readonly RoundRow[]): string =>
  csvText(rows.map((r) => ({ ...r, round_name: ROUND_NAMES[r.round][0] })), ROUND_COLUMNS);

/**
 * rounds.csv and rounds.json; after round 3 also plan.csv, report.json and policy.json (the cycle's
 * policy). With a history (`returns` from applyHistory): returns.csv, and the returns and history
 * checks in rounds.json and report.json — over the history alone until round 3 gives a plan. They go
 * into rounds.json too because the server keeps rounds.json, not report.json.
 */
export function cycleOutputs(cycle: CycleResult, returns: readonly ReturnRow[]): Record<string, string> {
  const history = historyFields(cycle.dataset, cycle.plan, returns);
  const files: Record<string, string> = {
    'rounds.csv': roundsCsvText(cycle.rows),
    'rounds.json': `${JSON.stringify({ rounds: cycle.rounds, audit_ok: cycle.audit?.ok ?? null, ...history }, null, 2)}\n`,
    ...(history.returns ? { 'returns.csv': csvText(history.returns, RETURN_COLUMNS) } : {}),
  };
  if (cycle.audit) {
    files['plan.csv'] = planCsvText(cycle.plan);
    files['report.json'] = `${JSON.stringify({ ...buildReport(cycle.dataset, cycle.organised.map((o) => o.plan)), reopened: cycle.organised.filter((o) => o.reopened).map((o) => o.county), ...history }, null, 2)}\n`;
    files['policy.json'] = `${JSON.stringify(cycle.dataset.policy, null, 2)}\n`;
  }
  return files;
}
