// The run queue of the solve pool: one solve of a scenario's snapshot (optionally re-planning
// against an earlier run), in a worker running run-job.ts; its outputs and result hash go to `runs`.
import { type Db, getDataset, getRun, now } from './db.ts';
import { resultHash } from './hashes.ts';
import type { SolveMessage } from './run-job.ts';
import { type JobQueue, datasetInput, defaultHardLimitSeconds, markRunning } from './job-queue.ts';
import { type Progress, runInputsSchema } from './run-inputs.ts';

export function runQueue(db: Db, hardLimitSeconds = defaultHardLimitSeconds): JobQueue {
  return {
    kind: 'run',
    table: 'runs',
    async claim(id, lease) {
      const run = (await getRun(db, id))!;
      const inputs = runInputsSchema.parse(JSON.parse(run.inputs_json));
      // A run never loses its baseline while it is active (DELETE /api/runs refuses), so this is only a safeguard.
      const baselinePlanCsv = inputs.baseline_run_id === null ? null : (await getRun(db, inputs.baseline_run_id))?.plan_csv ?? null;
      if (inputs.baseline_run_id !== null && baselinePlanCsv === null) {
        await db.run("UPDATE runs SET status = 'failed', message = ?, finished_at = ? WHERE id = ? AND status = 'queued'",
          `基准运行 #${inputs.baseline_run_id} 已不存在`, now(), run.id);
        return null;
      }
      const progress: Progress = { phase: 'parsing', county: null, objective: null, gap: null };
      if (!await markRunning(db, 'runs', run.id, lease, progress)) return null;
      const { files, counties } = await datasetInput(db, run.dataset_id);
      return {
        workerData: { mode: 'solve', files, policy: inputs.policy, locks: inputs.locks, baselinePlanCsv },
        limitSeconds: hardLimitSeconds(inputs.policy.solver.timeLimitSeconds, counties),
      };
    },
    async receive(_id, message, job) {
      const m = message as SolveMessage;
      if (m.type === 'progress') {
        const progress: Progress = { phase: m.phase, county: m.county, objective: m.objective, gap: m.gap };
        job.progress(m.phase, JSON.stringify(progress));
      } else if (m.type === 'error') await job.end('failed', { message: `求解失败：${m.message}` });
      else {
        await job.end(m.status === 'infeasible' ? 'infeasible' : 'done', {
          message: m.message, outputs: { plan_csv: m.planCsv, report_json: m.reportJson, summary_json: m.summaryJson },
        });
      }
    },
    async store(id, lease, status, end) {
      const run = await getRun(db, id);
      const dataset = run ? await getDataset(db, run.dataset_id) : undefined;
      const o = end.outputs ?? {};
      const outputs = { plan_csv: o.plan_csv ?? null, report_json: o.report_json ?? null, summary_json: o.summary_json ?? null };
      const hash = run && dataset && outputs.report_json !== null ? resultHash(dataset.content_hash, { inputs_json: run.inputs_json, ...outputs }) : null;
      return await db.run(`UPDATE runs SET status = ?, message = ?, finished_at = ?, plan_csv = ?, report_json = ?, summary_json = ?, result_hash = ?
        WHERE id = ? AND status = 'running' AND lease = ?`, status, end.message, now(), outputs.plan_csv, outputs.report_json, outputs.summary_json, hash, id, lease) > 0;
    },
  };
}
