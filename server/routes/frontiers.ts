// Frontiers: a scenario planned at several rotation shares (solver/frontier.ts), queued and run
// by the same solve pool as runs (202 at once, then poll). Points appear as they are planned;
// a frontier can be cancelled (its points so far are kept), and any point saved as a scenario.
import { z } from 'zod';
import { frontierShares } from '../../solver/frontier.ts';
import { type Db, FRONTIER_STATUSES, type FrontierRow, getFrontier, getScenario, lockRows, logActivity, now } from '../db.ts';
import { frontierInputsSchema, frontierPointSchema, frontierProgressSchema, storedPoints } from '../frontier-queue.ts';
import { ApiError, type App, type Deps, authErrors, checkSolveAllowance, errorSchema, idParams, notFound } from './http.ts';
import { insertScenario, scenarioLocks, scenarioPolicy, scenarioSchema, scenarioView } from './scenarios.ts';

export const frontierSchema = z.object({
  id: z.number().int(),
  scenario_id: z.number().int(),
  scenario_name: z.string(),
  dataset_id: z.number().int(),
  status: z.enum(FRONTIER_STATUSES),
  message: z.string().nullable(),
  /** The upper rotation shares planned, ascending (one point each). */
  shares: z.array(z.number()),
  /** The policy's minimum share: every point rotates at least this. */
  min_share: z.number(),
  /** The stages' CV thresholds of the policy (0.50 primary, 0.45 junior by default). */
  thresholds: z.object({ primary: z.number(), junior: z.number() }),
  progress: frontierProgressSchema.nullable(),
  elapsed_seconds: z.number().nullable(),
  created_by: z.number().int(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  /** The points planned so far, in share order: per county the frontier.csv fields. */
  points: z.array(frontierPointSchema),
});
export type FrontierView = z.infer<typeof frontierSchema>;

type ListRow = FrontierRow & { scenario_name: string };
const SELECT = 'SELECT f.*, s.name AS scenario_name FROM frontiers f JOIN scenarios s ON s.id = f.scenario_id';
const seconds = (from: string | null, to: string | null) => (from === null ? null : ((to === null ? Date.now() : Date.parse(to)) - Date.parse(from)) / 1000);
/** "15%", "12.5%": a share as a scenario name shows it. */
const percent = (share: number) => `${Number((share * 100).toFixed(2))}%`;

function view(f: ListRow): FrontierView {
  const inputs = frontierInputsSchema.parse(JSON.parse(f.inputs_json));
  return {
    id: f.id, scenario_id: f.scenario_id, scenario_name: f.scenario_name, dataset_id: f.dataset_id, status: f.status, message: f.message,
    shares: inputs.shares, min_share: inputs.policy.ratios.minRotatedShareOfEligible, thresholds: inputs.policy.indicators.cvMax,
    progress: f.progress_json === null ? null : frontierProgressSchema.parse(JSON.parse(f.progress_json)),
    elapsed_seconds: seconds(f.started_at, f.finished_at),
    created_by: f.user_id, created_at: f.created_at, started_at: f.started_at, finished_at: f.finished_at,
    points: storedPoints(f.points_json),
  };
}

async function frontierView(db: Db, id: number): Promise<FrontierView> {
  const f = await db.get<ListRow>(`${SELECT} WHERE f.id = ?`, id);
  if (!f) throw notFound('权衡曲线');
  return view(f);
}

export function frontierRoutes(app: App, deps: Deps): void {
  const { db, pool } = deps;

  app.post('/api/scenarios/:id/frontier', {
    config: { access: 'edit' },
    schema: {
      tags: ['frontiers'], summary: '计算权衡曲线：按多个交流比例上限（默认为政策最低比例及12%、15%、20%、25%）逐点求解本方案，然后（bounds，默认开启）逐点计算各指标可实现的最低差异系数（202；轮询 GET /api/frontiers/{id}）',
      params: idParams,
      body: z.preprocess((v) => v ?? {}, z.object({
        shares: z.array(z.number()).min(1).max(10).optional(),
        /** Also the best achievable CVs at every point, after the plans (default true; 6+ solves per county and point). */
        bounds: z.boolean().default(true),
      })),
      response: { 202: frontierSchema, 404: errorSchema, 422: errorSchema, 429: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const s = await getScenario(db, req.params.id);
    if (!s) throw notFound('方案');
    const policy = scenarioPolicy(s);
    const picked = frontierShares(policy, req.body.shares);
    if ('problem' in picked) throw new ApiError(422, picked.problem);
    const user = req.user!;
    const id = await db.transaction(async (tx) => {
      // The scenario's row locked: deleting it (scenarios.ts) counts this frontier, or it is gone.
      await lockRows(tx, 'scenarios', 'id = ?', s.id);
      if (!await getScenario(tx, s.id)) throw notFound('方案');
      await checkSolveAllowance(deps, user.id, tx);
      const inputs = JSON.stringify({ policy, locks: scenarioLocks(s), shares: picked.shares, bounds: req.body.bounds });
      const id = await tx.insert(`INSERT INTO frontiers (scenario_id, dataset_id, user_id, status, inputs_json, created_at)
        VALUES (?, ?, ?, 'queued', ?, ?)`, s.id, s.dataset_id, user.id, inputs, now());
      await logActivity(tx, { userId: user.id, action: 'frontier.create', entity: 'frontier', entityId: id, details: { scenario_id: s.id, points: picked.shares.length } });
      return id;
    });
    pool.pump();
    return reply.code(202).header('location', `/api/frontiers/${id}`).send(await frontierView(db, id));
  });

  app.get('/api/frontiers', {
    config: { access: 'read' },
    schema: {
      tags: ['frontiers'], summary: '权衡曲线列表（新的在前，最近50个）',
      querystring: z.object({ scenario_id: z.coerce.number().int().positive().optional(), dataset_id: z.coerce.number().int().positive().optional() }),
      response: { 200: z.object({ items: z.array(frontierSchema) }), ...authErrors },
    },
  }, async (req) => {
    const where: string[] = [];
    const args: number[] = [];
    if (req.query.scenario_id !== undefined) { where.push('f.scenario_id = ?'); args.push(req.query.scenario_id); }
    if (req.query.dataset_id !== undefined) { where.push('f.dataset_id = ?'); args.push(req.query.dataset_id); }
    const rows = await db.all<ListRow>(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id DESC LIMIT 50`, ...args);
    return { items: rows.map(view) };
  });

  app.get('/api/frontiers/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['frontiers'], summary: '权衡曲线：状态、当前进度（第几个点、哪个县、当前最好目标值）和已完成的各点', params: idParams,
      response: { 200: frontierSchema, 404: errorSchema, ...authErrors },
    },
  }, async (req) => frontierView(db, req.params.id));

  app.post('/api/frontiers/:id/cancel', {
    config: { access: 'edit' },
    schema: {
      tags: ['frontiers'], summary: '取消排队或计算中的权衡曲线（已完成的点保留）', params: idParams,
      response: { 200: frontierSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const f = await getFrontier(db, req.params.id);
    if (!f) throw notFound('权衡曲线');
    if (!await pool.cancel('frontier', f.id)) throw new ApiError(409, `权衡曲线已结束（状态：${f.status}），无法取消`);
    await logActivity(db, { userId: req.user!.id, action: 'frontier.cancel', entity: 'frontier', entityId: f.id });
    return frontierView(db, f.id);
  });

  app.post('/api/frontiers/:id/points/:index/scenario', {
    config: { access: 'edit' },
    schema: {
      tags: ['frontiers'], summary: '把权衡曲线上的一个点另存为方案（原方案的政策参数和锁定，交流比例上限取该点的值）',
      params: z.object({ id: z.coerce.number().int().positive(), index: z.coerce.number().int().min(0) }),
      body: z.preprocess((v) => v ?? {}, z.object({ name: z.string().trim().min(1).max(100).optional() })),
      response: { 201: scenarioSchema, 404: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const f = await getFrontier(db, req.params.id);
    if (!f) throw notFound('权衡曲线');
    const point = storedPoints(f.points_json).find((p) => p.index === req.params.index);
    if (!point) throw notFound(`权衡曲线 #${f.id} 的第${req.params.index + 1}个点`);
    const source = (await getScenario(db, f.scenario_id))!;
    // The point's own inputs: the snapshot the frontier planned, at the point's upper share.
    const inputs = frontierInputsSchema.parse(JSON.parse(f.inputs_json));
    const policy = { ...inputs.policy, ratios: { ...inputs.policy.ratios, maxRotatedShareOfEligible: point.share } };
    const id = await insertScenario(db, {
      datasetId: f.dataset_id, name: req.body.name ?? `交流上限${percent(point.share)}`,
      notes: `由权衡曲线 #${f.id}（方案 #${source.id} ${source.name}）交流上限${percent(point.share)}的点保存`,
      policy, locks: inputs.locks, useBaseline: source.use_baseline === 1, userId: req.user!.id,
    }, 'scenario.from_frontier', { source_scenario_id: source.id, frontier_id: f.id, point: point.index });
    return reply.code(201).header('location', `/api/scenarios/${id}`).send(await scenarioView(db, (await getScenario(db, id))!));
  });
}
