// Comparisons: 2–4 runs side by side (their summaries, inputs and reports, compare.ts, lined up in
// the task worker), the same as an XLSX workbook, and the per-teacher difference of two plans.
import { z } from 'zod';
import { parsePlanCsv } from '../contract-files.ts';
import { nameFor } from '../auth.ts';
import { boundsView } from '../bounds.ts';
import { type Db, getScenario, jsonValues } from '../db.ts';
import { type StoredComparedRun, comparisonSchema, diffPlans, runSummarySchema, teacherDiffSchema } from '../compare.ts';
import { runInputsSchema } from '../run-inputs.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, notFound } from './http.ts';
import { readRun, runOutputs } from './runs.ts';

const runIds = z.string().regex(/^\d+(,\d+)*$/, '格式为逗号分隔的运行编号，如 1,2,3')
  .transform((s) => [...new Set(s.split(',').map(Number))])
  .refine((ids) => ids.length >= 2 && ids.length <= 4, '请选择2–4个不同的运行');

/** The runs to compare as stored, each checked (adopted: hashes re-verified) and finished with a result. */
async function storedRuns(db: Db, ids: readonly number[]): Promise<StoredComparedRun[]> {
  const runs: StoredComparedRun[] = [];
  for (const id of ids) {
    const run = await readRun(db, id);
    if (run.summary_json === null || run.report_json === null) throw new ApiError(409, `运行 #${id} 没有结果（状态：${run.status}），不能比较`);
    const scenario = await getScenario(db, run.scenario_id);
    runs.push({
      run_id: run.id, scenario_id: run.scenario_id, scenario_name: scenario?.name ?? '', notes: scenario?.notes ?? '', dataset_id: run.dataset_id,
      status: run.status, adopted: run.adopted_at !== null,
      summary: runSummarySchema.parse(JSON.parse(run.summary_json)), inputs: runInputsSchema.parse(JSON.parse(run.inputs_json)), report_json: run.report_json,
      bounds: await boundsView(db, run.id),
    });
  }
  return runs;
}

const runsQuery = z.object({ runs: runIds });

/**
 * Names by id over the compared runs' datasets (rows in dataset order). Runs of different
 * datasets may use one id for different people or schools: then every name shows, "A / B",
 * rather than one dataset's name on the other's row.
 */
function namesById(rows: readonly { id: string; name: string }[]): Record<string, string> {
  const seen = new Map<string, string[]>();
  for (const r of rows) {
    const names = seen.get(r.id) ?? [];
    if (!names.includes(r.name)) names.push(r.name);
    seen.set(r.id, names);
  }
  return Object.fromEntries([...seen].map(([id, names]) => [id, names.join(' / ')]));
}
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function comparisonRoutes(app: App, { db, tasks }: Deps): void {
  app.get('/api/comparisons', {
    config: { access: 'compare' },
    schema: {
      tags: ['comparisons'],
      summary: '并排比较2–4个运行：各自的要求与假设差异、规则、交流人数、骨干比例、需求满足、差异系数、达标学校、各校影响、流向、通勤',
      querystring: runsQuery,
      response: { 200: comparisonSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => (await tasks.run('compare', { runs: await storedRuns(db, req.query.runs) })).comparison);

  app.get('/api/comparisons.xlsx', {
    config: { access: 'compare' },
    schema: {
      tags: ['comparisons'], summary: '比较结果导出为 Excel（比较概览、假设对比、学校对比、学校指标、规则检查）',
      querystring: runsQuery, produces: [XLSX_TYPE],
      response: { 200: z.custom<Buffer>((v) => Buffer.isBuffer(v)), 400: errorSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const runs = await storedRuns(db, req.query.runs);
    const datasets = JSON.stringify([...new Set(runs.map((r) => r.dataset_id))]);
    const locked = JSON.stringify([...new Set(runs.flatMap((r) => r.inputs.locks.map((l) => l.teacher_id)))]);
    const name = nameFor(req.user);
    const schools = namesById((await db.all<{ id: string; name: string }>(
      `SELECT id, name FROM dataset_schools WHERE dataset_id IN (${jsonValues(db, 'integer')}) ORDER BY dataset_id, seq`, datasets)));
    const teachers = namesById((await db.all<{ id: string; name: string }>(
      `SELECT id, name FROM dataset_teachers WHERE dataset_id IN (${jsonValues(db, 'integer')}) AND id IN (${jsonValues(db, 'text')}) ORDER BY dataset_id, seq`,
      datasets, locked)).map((t) => ({ id: t.id, name: name(t.name) })));
    const book = await tasks.run('compareXlsx', { runs, names: { schools, teachers } });
    return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="comparison-${req.query.runs.join('-')}.xlsx"`)
      .send(Buffer.from(book.content));
  });

  app.get('/api/comparisons/teachers', {
    config: { access: 'compare' },
    schema: {
      tags: ['comparisons'], summary: '两个运行的逐人差异（只在一个运行中交流，或调入学校不同的教师）',
      querystring: z.object({ a: z.coerce.number().int().positive(), b: z.coerce.number().int().positive() }),
      response: {
        200: z.object({
          a: z.number().int(), b: z.number().int(), same: z.number().int(),
          rows: z.array(teacherDiffSchema.extend({ name: z.string() })),
        }),
        404: errorSchema, 409: errorSchema, ...authErrors,
      },
    },
  }, async (req) => {
    const [a, b] = [await runOutputs(db, req.query.a), await runOutputs(db, req.query.b)];
    const rows = (csv: string) => {
      const p = parsePlanCsv('plan.csv', csv);
      if (!p.ok) throw notFound('方案');
      return p.rows;
    };
    const diff = diffPlans(rows(a.plan_csv), rows(b.plan_csv));
    const lookup = (teacherId: string) => db.all<{ id: string; name: string }>(
      'SELECT id, name FROM dataset_teachers WHERE dataset_id IN (?, ?) AND id = ? ORDER BY dataset_id, seq', a.dataset_id, b.dataset_id, teacherId);
    const name = nameFor(req.user);
    const named = [];
    for (const r of diff.rows) {
      named.push({ ...r, name: namesById((await lookup(r.teacher_id)).map((t) => ({ id: t.id, name: name(t.name) })))[r.teacher_id] ?? '' });
    }
    return { a: a.id, b: b.id, same: diff.same, rows: named };
  });
}
