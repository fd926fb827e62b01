// Scenarios: a dataset + policy parameters + locks (each with a reason) + name and notes. Each
// scenario owns its policy and locks (copied, never shared), so editing one never changes
// another; runs snapshot them when they start. A scenario with an adopted run is frozen.
import { z } from 'zod';
import { lockSchema, policySchema, type Lock, type Policy } from '../../solver/contract/schemas.ts';
import { parsePolicy } from '../../solver/contract/dataset.ts';
import { type Db, type ScenarioRow, datasetFiles, getDataset, getScenario, lockRows, logActivity, now } from '../db.ts';
import { sameJson } from '../compare-inputs.ts';
import { datasetLocks, datasetPolicy } from './datasets.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, idParams, invalidInput, notFound } from './http.ts';

const lockInputSchema = z.object({
  teacher_id: z.string().max(100),
  action: z.string().max(20),
  to_school_id: z.string().max(100).optional(),
  reason: z.string().max(500).optional(),
});
const policyInputSchema = z.record(z.string(), z.unknown());

export const scenarioSchema = z.object({
  id: z.number().int(),
  dataset_id: z.number().int(),
  name: z.string(),
  notes: z.string(),
  /** The notes are still those copied from the scenario this one copies (not edited since). */
  notes_inherited: z.boolean(),
  /** A copied note that no longer fits: cleared when the copy's policy or locks changed, kept here for reference. */
  notes_reference: z.string(),
  policy: policySchema,
  locks: z.array(lockSchema),
  /** A new run re-plans against the scenario's last finished run (and records it as `baseline_run_id`). */
  use_baseline: z.boolean(),
  created_by: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  runs: z.number().int(),
  adopted_run_id: z.number().int().nullable(),
});
const scenarioListItem = scenarioSchema.omit({ policy: true, locks: true }).extend({ locks: z.number().int() });

/** How many teachers each county rotates under the scenario's policy and locks (rotationBudget). */
export const budgetSchema = z.object({
  scenario_id: z.number().int(),
  min_share: z.number(),
  /** null: rotate exactly the minimum (move locks may raise it). */
  max_share: z.number().nullable(),
  counties: z.array(z.object({
    county: z.string(), eligible: z.number().int(), min_rotated: z.number().int(), max_rotated: z.number().int(), locked_moves: z.number().int(),
  })),
});

const adoptedRunOf = async (db: Db, scenarioId: number) =>
  (await db.get<{ id: number }>('SELECT id FROM runs WHERE scenario_id = ? AND adopted_at IS NOT NULL', scenarioId))?.id ?? null;
/**
 * 409 when a run of the scenario was adopted: the adopted plan must stay reproducible from its
 * scenario, so the scenario is frozen — no edits, no deletion, no new runs (copy it to change it).
 */
export async function mustNotBeFrozen(db: Db, scenarioId: number, refused: string): Promise<void> {
  const adopted = await adoptedRunOf(db, scenarioId);
  if (adopted !== null) throw new ApiError(409, `方案的运行 #${adopted} 已被采纳，方案已冻结，${refused}；如需调整请“复制为新方案”`);
}
const runCount = async (db: Db, scenarioId: number) => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs WHERE scenario_id = ?', scenarioId))?.n ?? 0;
export const scenarioPolicy = (s: ScenarioRow): Policy => policySchema.parse(JSON.parse(s.policy_json));
export const scenarioLocks = (s: ScenarioRow): Lock[] => z.array(lockSchema).parse(JSON.parse(s.locks_json));

const notesOf = (s: ScenarioRow) => ({ notes: s.notes, notes_inherited: s.notes_inherited === 1, notes_reference: s.notes_reference });

/**
 * A copy's notes: the source's, marked as copied (复制自「…」：), while the copy solves the same
 * policy and locks; a note already copied unchanged is kept as it is rather than nested.
 */
const copiedNotes = (s: ScenarioRow) => (s.notes === '' || s.notes_inherited === 1 ? s.notes : `复制自「${s.name}」：${s.notes}`).slice(0, 5000);

export async function scenarioView(db: Db, s: ScenarioRow): Promise<z.infer<typeof scenarioSchema>> {
  return {
    id: s.id, dataset_id: s.dataset_id, name: s.name, ...notesOf(s), policy: scenarioPolicy(s), locks: scenarioLocks(s), use_baseline: s.use_baseline === 1,
    created_by: s.created_by, created_at: s.created_at, updated_at: s.updated_at, runs: await runCount(db, s.id), adopted_run_id: await adoptedRunOf(db, s.id),
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON merge of `patch` onto `base`: objects merge key by key, anything else replaces. */
function merge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
  return out;
}

/** Policy parameters merged onto `base`, validated like policy.json (422 with `policy.json:line: key: …`). */
function checkPolicy(base: Policy, patch: Record<string, unknown>): Policy {
  const parsed = parsePolicy('policy.json', JSON.stringify(merge(base, patch), null, 2));
  if ('errors' in parsed) throw invalidInput(parsed.errors, '政策参数');
  return parsed.policy;
}

const storedFiles = async (db: Db, datasetId: number) => (await datasetFiles(db, datasetId)).map((f) => ({ name: f.name, content: f.content }));

/** Locks validated like locks.csv against the dataset, in the task worker (422 with `locks.csv:line: column: …`). */
async function checkLocks(deps: Deps, datasetId: number, locks: z.infer<typeof lockInputSchema>[]): Promise<Lock[]> {
  const checked = await deps.tasks.run('locks', { files: await storedFiles(deps.db, datasetId), locks });
  if (!checked.ok) throw invalidInput(checked.errors, '锁定');
  return checked.locks;
}

export interface ScenarioInput {
  datasetId: number; name: string; notes: string; policy: Policy; locks: Lock[]; useBaseline?: boolean; userId: number | null;
  /** The notes were copied from another scenario. */
  notesInherited?: boolean;
}

/** Stores a scenario whose policy and locks are already valid. Shared with first-start seeding. */
export function insertScenario(db: Db, s: ScenarioInput, action = 'scenario.create', details: Record<string, number> = {}): Promise<number> {
  return db.transaction(async (tx) => {
    // The dataset may have been deleted while the locks were checked (an await): a race, not a
    // server error. Its row locked: a delete of it (datasets.ts) waits, then counts this scenario.
    await lockRows(tx, 'datasets', 'id = ?', s.datasetId);
    if (!await getDataset(tx, s.datasetId)) throw new ApiError(409, '数据集已被删除，无法在其上建立方案');
    const t = now();
    const id = await tx.insert(`INSERT INTO scenarios (dataset_id, name, notes, notes_inherited, policy_json, locks_json, use_baseline, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.datasetId, s.name, s.notes, s.notesInherited ? 1 : 0, JSON.stringify(s.policy), JSON.stringify(s.locks),
      s.useBaseline === false ? 0 : 1, s.userId, t, t);
    await logActivity(tx, { userId: s.userId, action, entity: 'scenario', entityId: id, details: { dataset_id: s.datasetId, locks: s.locks.length, ...details } });
    return id;
  });
}

export function scenarioRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  /** Notes written by a user are the scenario's own from then on. */
  const setNotes = (tx: Db, id: number, notes: string) => tx.run('UPDATE scenarios SET notes = ?, notes_inherited = 0 WHERE id = ?', notes, id);
  const mustGet = async (id: number) => await getScenario(db, id) ?? (() => { throw notFound('方案'); })();
  const mustBeEditable = (s: ScenarioRow, tx = db) => mustNotBeFrozen(tx, s.id, '不可再修改或删除');

  app.get('/api/scenarios', {
    config: { access: 'read' },
    schema: {
      tags: ['scenarios'], summary: '方案列表', querystring: z.object({ dataset_id: z.coerce.number().int().positive().optional() }),
      response: { 200: z.object({ items: z.array(scenarioListItem) }), ...authErrors },
    },
  }, async (req) => {
    const rows = req.query.dataset_id === undefined
      ? await db.all<ScenarioRow>('SELECT * FROM scenarios ORDER BY id DESC')
      : await db.all<ScenarioRow>('SELECT * FROM scenarios WHERE dataset_id = ? ORDER BY id DESC', req.query.dataset_id);
    const items = [];
    for (const s of rows) {
      items.push({
        id: s.id, dataset_id: s.dataset_id, name: s.name, ...notesOf(s), use_baseline: s.use_baseline === 1,
        created_by: s.created_by, created_at: s.created_at, updated_at: s.updated_at,
        runs: await runCount(db, s.id), adopted_run_id: await adoptedRunOf(db, s.id), locks: scenarioLocks(s).length,
      });
    }
    return { items };
  });

  app.post('/api/scenarios', {
    config: { access: 'edit' },
    schema: {
      tags: ['scenarios'],
      summary: '新建方案（policy 合并到数据集自带的政策参数上；locks 省略时沿用数据集的锁定）',
      body: z.object({
        dataset_id: z.number().int().positive(), name: z.string().trim().min(1).max(100), notes: z.string().max(5000).default(''),
        policy: policyInputSchema.optional(), locks: z.array(lockInputSchema).max(5000).optional(), use_baseline: z.boolean().default(true),
      }),
      response: { 201: scenarioSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const d = await getDataset(db, req.body.dataset_id);
    if (!d) throw notFound('数据集');
    const policy = checkPolicy(datasetPolicy(d), req.body.policy ?? {});
    const locks = req.body.locks ? await checkLocks(deps, d.id, req.body.locks) : datasetLocks(d);
    const id = await insertScenario(db, { datasetId: d.id, name: req.body.name, notes: req.body.notes, policy, locks, useBaseline: req.body.use_baseline, userId: req.user!.id });
    return reply.code(201).header('location', `/api/scenarios/${id}`).send(await scenarioView(db, (await getScenario(db, id))!));
  });

  app.get('/api/scenarios/:id', {
    config: { access: 'read' },
    schema: { tags: ['scenarios'], summary: '方案详情', params: idParams, response: { 200: scenarioSchema, 404: errorSchema, ...authErrors } },
  }, async (req) => scenarioView(db, await mustGet(req.params.id)));

  app.get('/api/scenarios/:id/budget', {
    config: { access: 'read' },
    schema: {
      tags: ['scenarios'], summary: '交流人数预算：每县符合条件的教师、最少和最多交流人数、锁定交流人数（按方案当前的政策参数和锁定）',
      params: idParams, response: { 200: budgetSchema, 404: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const s = await mustGet(req.params.id);
    const policy = scenarioPolicy(s);
    const r = await deps.tasks.run('budget', { files: await storedFiles(db, s.dataset_id), policy, locks: scenarioLocks(s) });
    // The files were validated when stored; failing now means the stored bytes changed.
    if (!r.ok) throw new Error(`stored files of dataset ${s.dataset_id} do not parse`);
    return { scenario_id: s.id, min_share: policy.ratios.minRotatedShareOfEligible, max_share: policy.ratios.maxRotatedShareOfEligible, counties: r.counties };
  });

  app.patch('/api/scenarios/:id', {
    config: { access: 'edit' },
    schema: {
      tags: ['scenarios'], summary: '修改方案（policy 为合并补丁；locks 为整体替换；use_baseline：以上次结果为基准）', params: idParams,
      body: z.object({
        name: z.string().trim().min(1).max(100).optional(), notes: z.string().max(5000).optional(),
        policy: policyInputSchema.optional(), locks: z.array(lockInputSchema).max(5000).optional(), use_baseline: z.boolean().optional(),
      }),
      response: { 200: scenarioSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const s = await mustGet(req.params.id);
    await mustBeEditable(s);
    const policy = req.body.policy ? checkPolicy(scenarioPolicy(s), req.body.policy) : undefined;
    const locks = req.body.locks ? await checkLocks(deps, s.dataset_id, req.body.locks) : undefined;
    await db.transaction(async (tx) => {
      // Re-checked inside the transaction, the row locked: a leader may adopt a run at any moment.
      await lockRows(tx, 'scenarios', 'id = ?', s.id);
      await mustBeEditable(s, tx);
      const useBaseline = req.body.use_baseline === undefined ? null : Number(req.body.use_baseline);
      await tx.run(`UPDATE scenarios SET name = COALESCE(?, name), policy_json = COALESCE(?, policy_json),
        locks_json = COALESCE(?, locks_json), use_baseline = COALESCE(?, use_baseline), updated_at = ? WHERE id = ?`, req.body.name ?? null, policy ? JSON.stringify(policy) : null, locks ? JSON.stringify(locks) : null, useBaseline, now(), s.id);
      const changed = (policy !== undefined && !sameJson(policy, scenarioPolicy(s))) || (locks !== undefined && !sameJson(locks, scenarioLocks(s)));
      if (req.body.notes !== undefined) await setNotes(tx, s.id, req.body.notes);
      // A copied note described the source's policy and locks: once they differ it no longer fits.
      // (Checked in SQL: a note written while the locks were validated is the user's own.)
      else if (changed) await tx.run("UPDATE scenarios SET notes = '', notes_inherited = 0, notes_reference = notes WHERE id = ? AND notes_inherited = 1", s.id);
      await logActivity(tx, {
        userId: req.user!.id, action: 'scenario.update', entity: 'scenario', entityId: s.id,
        details: { fields: Object.keys(req.body) },
      });
    });
    return scenarioView(db, await mustGet(s.id));
  });

  app.post('/api/scenarios/:id/copy', {
    config: { access: 'edit' },
    schema: {
      tags: ['scenarios'], summary: '复制方案（独立副本：修改副本不影响原方案；备注以“复制自「原方案」：”开头，副本的政策参数或锁定改动后清空，原备注留作参考）', params: idParams,
      // The body is optional: no body (null) means "copy as is".
      body: z.preprocess((v) => v ?? {}, z.object({ name: z.string().trim().min(1).max(100).optional(), notes: z.string().max(5000).optional() })),
      response: { 201: scenarioSchema, 404: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const s = await mustGet(req.params.id);
    const id = await insertScenario(db, {
      datasetId: s.dataset_id, name: req.body.name ?? `${s.name}（副本）`.slice(0, 100),
      notes: req.body.notes ?? copiedNotes(s), notesInherited: req.body.notes === undefined && s.notes !== '',
      // The flag is copied; a baseline is not: a copy starts with no runs of its own.
      policy: scenarioPolicy(s), locks: scenarioLocks(s), useBaseline: s.use_baseline === 1, userId: req.user!.id,
    }, 'scenario.copy', { source_scenario_id: s.id });
    return reply.code(201).header('location', `/api/scenarios/${id}`).send(await scenarioView(db, (await getScenario(db, id))!));
  });

  app.put('/api/scenarios/:id/notes', {
    config: { access: 'notes' },
    schema: {
      tags: ['scenarios'], summary: '修改方案备注（规划员、领导均可；方案的运行已被采纳后不可再改）', params: idParams,
      body: z.object({ notes: z.string().max(5000) }),
      response: { 200: scenarioSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const s = await mustGet(req.params.id);
    await db.transaction(async (tx) => {
      await lockRows(tx, 'scenarios', 'id = ?', s.id);
      await mustBeEditable(s, tx);
      await setNotes(tx, s.id, req.body.notes);
      await tx.run('UPDATE scenarios SET updated_at = ? WHERE id = ?', now(), s.id);
      await logActivity(tx, { userId: req.user!.id, action: 'scenario.notes', entity: 'scenario', entityId: s.id });
    });
    return scenarioView(db, await mustGet(s.id));
  });

  app.delete('/api/scenarios/:id', {
    config: { access: 'edit' },
    schema: {
      tags: ['scenarios'], summary: '删除方案及其运行和权衡曲线（已采纳或仍在排队/运行时拒绝）', params: idParams,
      response: { 204: z.null(), 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const s = await mustGet(req.params.id);
    await db.transaction(async (tx) => {
      // Checked with the row locked: a run or frontier starting, or an adoption, waits for this.
      await lockRows(tx, 'scenarios', 'id = ?', s.id);
      await mustBeEditable(s, tx);
      const active = (await tx.get<{ n: number }>(`SELECT (SELECT COUNT(*) FROM runs WHERE scenario_id = ? AND status IN ('queued', 'running'))
        + (SELECT COUNT(*) FROM frontiers WHERE scenario_id = ? AND status IN ('queued', 'running')) AS n`, s.id, s.id))?.n ?? 0;
      if (active > 0) throw new ApiError(409, '方案还有排队或运行中的求解，请先取消');
      await tx.run('DELETE FROM frontiers WHERE scenario_id = ?', s.id);
      const runs = await tx.run('DELETE FROM runs WHERE scenario_id = ?', s.id);
      await tx.run('DELETE FROM scenarios WHERE id = ?', s.id);
      await logActivity(tx, { userId: req.user!.id, action: 'scenario.delete', entity: 'scenario', entityId: s.id, details: { runs } });
    });
    return reply.code(204).send(null);
  });
}
