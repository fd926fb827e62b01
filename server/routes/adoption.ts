// Adoption: a leader adopts a finished run as the county's plan. From then on the run, its
// scenario and its dataset are immutable (edits and deletes answer 409), and every read of the
// run re-verifies the stored hashes (runs.ts readRun). One adopted run per dataset: a county
// adopts one plan for the year.
import { adoptedRunOfDataset, getRun, lockRows, logActivity, now } from '../db.ts';
import { integrityProblem } from '../hashes.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, idParams, notFound } from './http.ts';
import { runDetailSchema, runView } from './runs.ts';

export function adoptionRoutes(app: App, { db }: Deps): void {
  app.post('/api/runs/:id/adopt', {
    config: { access: 'adopt' },
    schema: {
      tags: ['adoption'], summary: '采纳运行（此后运行及其方案、数据集不可修改或删除）', params: idParams,
      response: { 200: runDetailSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const id = await db.transaction(async (tx) => {
      const found = await getRun(tx, req.params.id);
      if (!found) throw notFound('运行');
      // Checked with the dataset's and the scenario's rows locked: a second adoption on the dataset,
      // and a new run, an edit or a delete of the scenario (or of this run), wait for this one.
      await lockRows(tx, 'datasets', 'id = ?', found.dataset_id);
      await lockRows(tx, 'scenarios', 'id = ?', found.scenario_id);
      const run = await getRun(tx, found.id);
      if (!run) throw notFound('运行');
      if (run.adopted_at !== null) throw new ApiError(409, `运行 #${run.id} 已被采纳`);
      if (run.status !== 'done') throw new ApiError(409, `只能采纳已完成且有可行方案的运行（当前状态：${run.status}）`);
      const other = await adoptedRunOfDataset(tx, run.dataset_id);
      if (other !== undefined) throw new ApiError(409, `该数据集已采纳运行 #${other}，每个数据集只能采纳一个运行`);
      const problem = await integrityProblem(tx, run);
      if (problem) throw new ApiError(409, `完整性校验失败：${problem}`);
      await tx.run('UPDATE runs SET adopted_by = ?, adopted_at = ? WHERE id = ?', req.user!.id, now(), run.id);
      await logActivity(tx, {
        userId: req.user!.id, action: 'run.adopt', entity: 'run', entityId: run.id,
        details: { scenario_id: run.scenario_id, dataset_id: run.dataset_id, result_hash: run.result_hash },
      });
      return run.id;
    });
    return runView(db, id);
  });
}
