// Runs: a solve of one scenario. Starting one answers 202 at once; the solve happens in the
// worker pool (solve-pool.ts) and the client polls the status (progress, elapsed, best objective and
// gap so far). A run keeps a snapshot of the scenario's inputs, so editing the scenario later
// never changes what a run solved. Reads of an adopted run re-verify its stored hashes.
import { z } from 'zod';
import { parsePlanCsv } from '../contract-files.ts';
import { type Db, RUN_STATUSES, type RunRow, getRun, getScenario, jsonInteger, lockRows, logActivity, now } from '../db.ts';
import { integrityProblem } from '../hashes.ts';
import { progressSchema, runInputsSchema } from '../run-inputs.ts';
import { runSummarySchema } from '../compare.ts';
import { boundsView, boundsViewSchema, reportWithBounds } from '../bounds.ts';
import { ApiError, type App, type Deps, authErrors, checkSolveAllowance, errorSchema, idParams, notFound } from './http.ts';
import { mustNotBeFrozen, scenarioLocks, scenarioPolicy } from './scenarios.ts';

const summaryLite = runSummarySchema.pick({
  plan_status: true, objective: true, mip_gap: true, audit_ok: true, eligible: true, rotated: true, rotation_rate: true,
  backbone_rotated: true, backbone_share: true, toward_rural_or_weak: true, needs: true,
});
export const runSchema = z.object({
  id: z.number().int(),
  scenario_id: z.number().int(),
  scenario_name: z.string(),
  dataset_id: z.number().int(),
  status: z.enum(RUN_STATUSES),
  message: z.string().nullable(),
  progress: progressSchema.nullable(),
  elapsed_seconds: z.number().nullable(),
  created_by: z.number().int(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  adopted_by: z.number().int().nullable(),
  adopted_at: z.string().nullable(),
  result_hash: z.string().nullable(),
  /** The earlier run of the same scenario this run re-planned against (its plan was the baseline); null: none. */
  baseline_run_id: z.number().int().nullable(),
  summary: summaryLite.nullable(),
});
export const runDetailSchema = runSchema.extend({
  summary: runSummarySchema.nullable(),
  inputs: runInputsSchema,
  /** The best achievable 差异系数 job after the run (null: none): status, progress and, once done, each CV's fields. */
  bounds: boundsViewSchema.nullable(),
});

type RunListRow = Omit<RunRow, 'plan_csv' | 'report_json'> & { scenario_name: string; baseline_run_id: number | null };
const listColumns = (db: Db) => `r.id, r.scenario_id, r.dataset_id, r.user_id, r.status, r.inputs_json, r.progress_json, r.message, r.created_at,
  r.started_at, r.finished_at, r.summary_json, r.result_hash, r.adopted_by, r.adopted_at, s.name AS scenario_name,
  ${jsonInteger(db, 'r.inputs_json', 'baseline_run_id')} AS baseline_run_id`;

const seconds = (from: string | null, to: string | null) => (from === null ? null : ((to === null ? Date.now() : Date.parse(to)) - Date.parse(from)) / 1000);

function baseView(r: RunListRow) {
  return {
    id: r.id, scenario_id: r.scenario_id, scenario_name: r.scenario_name, dataset_id: r.dataset_id, status: r.status, message: r.message,
    progress: r.progress_json === null ? null : progressSchema.parse(JSON.parse(r.progress_json)),
    elapsed_seconds: seconds(r.started_at, r.finished_at),
    created_by: r.user_id, created_at: r.created_at, started_at: r.started_at, finished_at: r.finished_at,
    adopted_by: r.adopted_by, adopted_at: r.adopted_at, result_hash: r.result_hash, baseline_run_id: r.baseline_run_id,
  };
}

export async function runView(db: Db, id: number): Promise<z.infer<typeof runDetailSchema>> {
  const r = await db.get<RunListRow>(`SELECT ${listColumns(db)} FROM runs r JOIN scenarios s ON s.id = r.scenario_id WHERE r.id = ?`, id);
  if (!r) throw notFound('运行');
  return {
    ...baseView(r),
    summary: r.summary_json === null ? null : runSummarySchema.parse(JSON.parse(r.summary_json)),
    inputs: runInputsSchema.parse(JSON.parse(r.inputs_json)),
    bounds: await boundsView(db, id),
  };
}

/** A run, its adopted hashes re-verified (409 when they no longer match what was stored). */
export async function readRun(db: Db, id: number): Promise<RunRow> {
  const run = await getRun(db, id);
  if (!run) throw notFound('运行');
  if (run.adopted_at !== null) {
    const problem = await integrityProblem(db, run);
    if (problem) throw new ApiError(409, `完整性校验失败：${problem}`);
  }
  return run;
}

/** The stored outputs of a run that has them (done or infeasible), else 409. */
export async function runOutputs(db: Db, id: number): Promise<RunRow & { plan_csv: string; report_json: string }> {
  const run = await readRun(db, id);
  const { plan_csv, report_json } = run;
  if (plan_csv === null || report_json === null) throw new ApiError(409, `运行 #${id} 没有结果（状态：${run.status}）`);
  return { ...run, plan_csv, report_json };
}

export function runRoutes(app: App, deps: Deps): void {
  const { db, pool } = deps;

  app.get('/api/runs', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '运行列表（最近200个）',
      querystring: z.object({
        scenario_id: z.coerce.number().int().positive().optional(), dataset_id: z.coerce.number().int().positive().optional(),
        status: z.enum(RUN_STATUSES).optional(), adopted: z.enum(['true', 'false']).optional(),
      }),
      response: { 200: z.object({ items: z.array(runSchema) }), ...authErrors },
    },
  }, async (req) => {
    const q = req.query;
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.scenario_id !== undefined) { where.push('r.scenario_id = ?'); args.push(q.scenario_id); }
    if (q.dataset_id !== undefined) { where.push('r.dataset_id = ?'); args.push(q.dataset_id); }
    if (q.status !== undefined) { where.push('r.status = ?'); args.push(q.status); }
    if (q.adopted !== undefined) where.push(q.adopted === 'true' ? 'r.adopted_at IS NOT NULL' : 'r.adopted_at IS NULL');
    const rows = await db.all<RunListRow>(`SELECT ${listColumns(db)} FROM runs r JOIN scenarios s ON s.id = r.scenario_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT 200`, ...args);
    return {
      items: rows.map((r) => ({ ...baseView(r), summary: r.summary_json === null ? null : summaryLite.parse(JSON.parse(r.summary_json)) })),
    };
  });

  app.post('/api/runs', {
    config: { access: 'edit' },
    schema: {
      tags: ['runs'], summary: '开始求解一个方案（202；轮询 GET /api/runs/{id}）；方案开启 use_baseline 时以其上次完成的运行为基准；方案已有运行被采纳时 409（方案已冻结）',
      body: z.object({ scenario_id: z.number().int().positive() }),
      response: { 202: runDetailSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const user = req.user!;
    const id = await db.transaction(async (tx) => {
      // Read and checked with the scenario's row locked: a leader may adopt a run of it, or it may
      // be deleted, at any moment.
      await lockRows(tx, 'scenarios', 'id = ?', req.body.scenario_id);
      const s = await getScenario(tx, req.body.scenario_id);
      if (!s) throw notFound('方案');
      await mustNotBeFrozen(tx, s.id, '不能再求解');
      await checkSolveAllowance(deps, user.id, tx);
      // Re-plans start from the scenario's last finished plan (copies have no runs, so no baseline).
      const baseline = s.use_baseline === 1
        ? (await tx.get<{ id: number }>("SELECT id FROM runs WHERE scenario_id = ? AND status = 'done' ORDER BY id DESC LIMIT 1", s.id))?.id ?? null
        : null;
      const inputs = JSON.stringify({ policy: scenarioPolicy(s), locks: scenarioLocks(s), baseline_run_id: baseline });
      const progress = JSON.stringify({ phase: 'queued', county: null, objective: null, gap: null });
      const id = await tx.insert(`INSERT INTO runs (scenario_id, dataset_id, user_id, status, inputs_json, progress_json, created_at)
        VALUES (?, ?, ?, 'queued', ?, ?, ?)`, s.id, s.dataset_id, user.id, inputs, progress, now());
      await logActivity(tx, { userId: user.id, action: 'run.create', entity: 'run', entityId: id, details: { scenario_id: s.id, baseline_run_id: baseline } });
      return id;
    });
    pool.pump();
    return reply.code(202).header('location', `/api/runs/${id}`).send(await runView(db, id));
  });

  app.get('/api/runs/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '运行状态、进度和结果摘要', params: idParams,
      response: { 200: runDetailSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => {
    await readRun(db, req.params.id);
    return runView(db, req.params.id);
  });

  app.post('/api/runs/:id/cancel', {
    config: { access: 'edit' },
    schema: { tags: ['runs'], summary: '取消排队或运行中的求解', params: idParams, response: { 200: runDetailSchema, 404: errorSchema, 409: errorSchema, ...authErrors } },
  }, async (req) => {
    const run = await getRun(db, req.params.id);
    if (!run) throw notFound('运行');
    if (!await pool.cancel('run', run.id)) throw new ApiError(409, `运行已结束（状态：${run.status}），无法取消`);
    await logActivity(db, { userId: req.user!.id, action: 'run.cancel', entity: 'run', entityId: run.id });
    return runView(db, run.id);
  });

  app.delete('/api/runs/:id', {
    config: { access: 'edit' },
    schema: { tags: ['runs'], summary: '删除运行（已采纳或未结束时拒绝）', params: idParams, response: { 204: z.null(), 404: errorSchema, 409: errorSchema, ...authErrors } },
  }, async (req, reply) => {
    const found = await getRun(db, req.params.id);
    if (!found) throw notFound('运行');
    await db.transaction(async (tx) => {
      // Checked with its scenario's row locked: an adoption, or a re-plan against it, waits for this.
      await lockRows(tx, 'scenarios', 'id = ?', found.scenario_id);
      const run = await getRun(tx, found.id);
      if (!run) throw notFound('运行');
      if (run.adopted_at !== null) throw new ApiError(409, '已采纳的运行不可删除');
      if (run.status === 'queued' || run.status === 'running') throw new ApiError(409, '运行尚未结束，请先取消');
      const replan = await tx.get<{ id: number }>(`SELECT id FROM runs WHERE status IN ('queued', 'running')
        AND ${jsonInteger(tx, 'inputs_json', 'baseline_run_id')} = ?`, run.id);
      if (replan) throw new ApiError(409, `运行 #${replan.id} 正以本运行为基准求解，请等待其结束或取消后再删除`);
      pool.dropBounds(run.id);
      await tx.run('DELETE FROM runs WHERE id = ?', run.id);
      await logActivity(tx, { userId: req.user!.id, action: 'run.delete', entity: 'run', entityId: run.id });
    });
    return reply.code(204).send(null);
  });

  app.get('/api/runs/:id/result', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '结果：方案（plan.csv 各行）和报告（report.json，与命令行输出相同；后台算出可实现最低差异系数后，indicators.cv 各行增加 best_achievable、share_of_achievable 等）', params: idParams,
      response: {
        200: z.object({ run_id: z.number().int(), plan: z.array(z.record(z.string(), z.unknown())), report: z.record(z.string(), z.unknown()) }),
        404: errorSchema, 409: errorSchema, ...authErrors,
      },
    },
  }, async (req) => {
    const run = await runOutputs(db, req.params.id);
    const plan = parsePlanCsv('plan.csv', run.plan_csv);
    if (!plan.ok) throw new Error(`stored plan.csv of run ${run.id} does not parse`);
    const report = reportWithBounds(JSON.parse(run.report_json), await boundsView(db, run.id));
    return { run_id: run.id, plan: plan.rows.map(({ line: _line, ...row }) => row), report };
  });
}
