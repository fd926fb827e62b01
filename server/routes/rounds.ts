// The rounds of an appointment cycle for a scenario (issue 12; README "The rounds of an
// appointment cycle"): planners run them — straight through, stopping after round 1 or 2, going
// on from the stored table, or going on from an edited rounds.csv — in the task pool; everyone
// who reads reads the newest result. A result is stored whole in one INSERT after the cycle ran,
// so a bad file or a failed cycle stores nothing.
import { z } from 'zod';
import { nameFor } from '../auth.ts';
import { type Db, type ScenarioRow, datasetFiles, getScenario, logActivity, now } from '../db.ts';
import type { RoundSummary } from '../../solver/cycle/cycle.ts';
import type { HistoryFields } from '../../solver/cycle/paper-rotation.ts';
import { readRoundRows } from '../../solver/cycle/cycle-files.ts';
import type { RoundNo, RoundRow } from '../../solver/cycle/round-rows.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, idParams, notFound, readMultipart } from './http.ts';
import { scenarioLocks, scenarioPolicy } from './scenarios.ts';

interface StoredRounds {
  id: number; scenario_id: number; user_id: number; stop_after: number; from_round: number;
  rounds_csv: string; rounds_json: string; plan_csv: string | null; created_at: string;
}
/** A type, not an interface: the loose response schema wants an index signature. */
export type RoundsView = {
  id: number; scenario_id: number; created_by: number; created_at: string;
  /** The last round run, and the round the cycle went on after (0: a straight run). */
  stop_after: number; from_round: number;
  rounds: RoundSummary[];
  /** The final plan's audit verdict; null until round 3 ran. */
  audit_ok: boolean | null;
  rows: (RoundRow & { name: string })[];
} & HistoryFields;

const stopAfter = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const viewSchema = z.record(z.string(), z.unknown());
const errors = { 400: errorSchema, 404: errorSchema, ...authErrors };
const attachment = (name: string) => `attachment; filename="${name}"`;

const newest = (db: Db, scenarioId: number) =>
  (db.get<StoredRounds>('SELECT * FROM scenario_rounds WHERE scenario_id = ? ORDER BY id DESC LIMIT 1', scenarioId));

export function roundsRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  const mustGetScenario = async (id: number) => await getScenario(db, id) ?? (() => { throw notFound('方案'); })();
  const mustGetRounds = async (id: number) => await newest(db, id) ?? (() => { throw notFound('竞聘结果'); })();

  async function view(r: StoredRounds, s: ScenarioRow, name: (n: string) => string): Promise<RoundsView> {
    const parsed = readRoundRows('rounds.csv', r.rounds_csv);
    if (!parsed.ok) throw new Error(`stored rounds.csv of scenario ${s.id} does not parse`);
    const names = new Map((await db.all<{ id: string; name: string }>('SELECT id, name FROM dataset_teachers WHERE dataset_id = ?', s.dataset_id)).map((t) => [t.id, t.name]));
    const summary = JSON.parse(r.rounds_json) as { rounds: RoundSummary[]; audit_ok: boolean | null } & HistoryFields;
    return {
      id: r.id, scenario_id: r.scenario_id, created_by: r.user_id, created_at: r.created_at, stop_after: r.stop_after, from_round: r.from_round,
      rounds: summary.rounds, audit_ok: summary.audit_ok, rows: parsed.rows.map((row) => ({ ...row, name: name(names.get(row.teacher_id) ?? '') })),
      // With a history.csv only (cycle-outputs.ts): the returns and the history checks over the history and the final plan.
      ...(summary.history_checks ? { returns: summary.returns, history_checks: summary.history_checks } : {}),
    };
  }

  /** Runs the cycle in the task pool and stores its files; 400 with every `file:line: column` error, nothing stored. */
  async function run(s: ScenarioRow, userId: number, stop: RoundNo, from: { name: string; content: Uint8Array } | null) {
    const files = (await datasetFiles(db, s.dataset_id)).map((f) => ({ name: f.name, content: f.content }));
    const r = await deps.tasks.run('rounds', { files, policy: scenarioPolicy(s), locks: scenarioLocks(s), stopAfter: stop, from });
    if (!r.ok) throw new ApiError(400, `竞聘表有误，共${r.errors.length}处错误，未保存任何内容`, r.errors);
    const fromRound = r.fromRound;
    return db.transaction(async (tx) => {
      const id = await tx.insert(`INSERT INTO scenario_rounds (scenario_id, user_id, stop_after, from_round, rounds_csv, rounds_json, plan_csv, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.id, userId, stop, fromRound, r.files['rounds.csv']!, r.files['rounds.json']!, r.files['plan.csv'] ?? null, now());
      await logActivity(tx, { userId, action: 'rounds.run', entity: 'scenario', entityId: s.id, details: { rounds_id: id, stop_after: stop, from_round: fromRound } });
      return (await newest(tx, s.id))!;
    });
  }

  app.post('/api/scenarios/:id/rounds', {
    config: { access: 'edit' },
    schema: {
      tags: ['rounds'], summary: '运行竞聘轮次（校内竞聘→跨校竞聘→组织调剂）；stop_after 在第1或第2轮后停止；go_on 从本方案已保存的结果继续',
      params: idParams, body: z.object({ stop_after: stopAfter.default(3), go_on: z.boolean().default(false) }),
      response: { 201: viewSchema, ...errors },
    },
  }, async (req, reply) => {
    const s = await mustGetScenario(req.params.id);
    const { stop_after: stop, go_on: goOn } = req.body;
    let from: { name: string; content: Uint8Array } | null = null;
    if (goOn) {
      const last = await newest(db, s.id);
      if (!last || last.stop_after >= 3) throw new ApiError(400, '没有可继续的结果：请先运行并在第1或第2轮后停止');
      from = { name: 'rounds.csv', content: Buffer.from(last.rounds_csv) };
    }
    const stored = await run(s, req.user!.id, stop, from);
    return reply.code(201).send(await view(stored, s, nameFor(req.user)));
  });

  app.post('/api/scenarios/:id/rounds/edited', {
    config: { access: 'edit' },
    schema: {
      tags: ['rounds'], summary: '从修改后的 rounds.csv 继续（multipart：文件 rounds.csv，字段 stop_after 可选）',
      description: '与命令行 `lungang rounds --from` 相同的校验；任一行有误返回 400 和全部 `file:line: column: message`，不保存任何内容。',
      consumes: ['multipart/form-data'], params: idParams, response: { 201: viewSchema, 413: errorSchema, 415: errorSchema, ...errors },
    },
  }, async (req, reply) => {
    const s = await mustGetScenario(req.params.id);
    const { files, fields } = await readMultipart(req);
    if (files.length !== 1) throw new ApiError(400, '请上传一个 rounds.csv 文件');
    const stop = stopAfter.safeParse(Number(fields.stop_after ?? 3));
    if (!stop.success) throw new ApiError(400, 'stop_after 只能是 1、2 或 3');
    const file = files[0]!;
    const stored = await run(s, req.user!.id, stop.data, { name: file.name, content: file.content });
    return reply.code(201).send(await view(stored, s, nameFor(req.user)));
  });

  app.get('/api/scenarios/:id/rounds', {
    config: { access: 'read' },
    schema: { tags: ['rounds'], summary: '本方案最近一次竞聘结果（各轮表格、人数、检查和全周期审核结论；审核员看到的姓名已脱敏）', params: idParams, response: { 200: viewSchema, ...errors } },
  }, async (req) => {
    const s = await mustGetScenario(req.params.id);
    return view(await mustGetRounds(s.id), s, nameFor(req.user));
  });

  app.get('/api/scenarios/:id/rounds.csv', {
    config: { access: 'read' },
    schema: { tags: ['rounds'], summary: '下载 rounds.csv（与命令行输出相同，可修改后上传继续）', params: idParams, produces: ['text/csv'], response: { 200: z.string(), ...errors } },
  }, async (req, reply) => {
    const r = await mustGetRounds((await mustGetScenario(req.params.id)).id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`scenario-${r.scenario_id}-rounds.csv`)).send(r.rounds_csv);
  });

  app.get('/api/scenarios/:id/rounds/plan.csv', {
    config: { access: 'read' },
    schema: { tags: ['rounds'], summary: '下载全周期方案 plan.csv（第3轮运行后才有）', params: idParams, produces: ['text/csv'], response: { 200: z.string(), 409: errorSchema, ...errors } },
  }, async (req, reply) => {
    const r = await mustGetRounds((await mustGetScenario(req.params.id)).id);
    if (r.plan_csv === null) throw new ApiError(409, `竞聘在第${r.stop_after}轮后停止，还没有全周期方案`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`scenario-${r.scenario_id}-rounds-plan.csv`)).send(r.plan_csv);
  });
}
