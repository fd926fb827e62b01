// Comparisons: 2–4 runs side by side (from their stored summaries, compare.ts), and the
// per-teacher difference between two runs' plans.
import { z } from 'zod';
import { parsePlanCsv } from '../contract-files.ts';
import { nameFor } from '../auth.ts';
import { getScenario } from '../db.ts';
import { comparisonSchema, compareRuns, diffPlans, runSummarySchema, teacherDiffSchema } from '../compare.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, notFound } from './http.ts';
import { readRun, runOutputs } from './runs.ts';

const runIds = z.string().regex(/^\d+(,\d+)*$/, '格式为逗号分隔的运行编号，如 1,2,3')
  .transform((s) => [...new Set(s.split(',').map(Number))])
  .refine((ids) => ids.length >= 2 && ids.length <= 4, '请选择2–4个不同的运行');

export function comparisonRoutes(app: App, { db }: Deps): void {
  app.get('/api/comparisons', {
    config: { access: 'compare' },
    schema: {
      tags: ['comparisons'], summary: '并排比较2–4个运行：规则、交流人数、骨干比例、需求满足、差异系数、达标学校、流向、通勤',
      querystring: z.object({ runs: runIds }),
      response: { 200: comparisonSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => compareRuns(req.query.runs.map((id) => {
    const run = readRun(db, id);
    if (run.summary_json === null) throw new ApiError(409, `运行 #${id} 没有结果（状态：${run.status}），不能比较`);
    return {
      run_id: run.id, scenario_id: run.scenario_id, scenario_name: getScenario(db, run.scenario_id)?.name ?? '', status: run.status,
      adopted: run.adopted_at !== null, summary: runSummarySchema.parse(JSON.parse(run.summary_json)),
    };
  })));

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
    const [a, b] = [runOutputs(db, req.query.a), runOutputs(db, req.query.b)];
    const rows = (csv: string) => {
      const p = parsePlanCsv('plan.csv', csv);
      if (!p.ok) throw notFound('方案');
      return p.rows;
    };
    const diff = diffPlans(rows(a.plan_csv), rows(b.plan_csv));
    const lookup = db.prepare<[number, number, string], { name: string }>(
      'SELECT name FROM dataset_teachers WHERE dataset_id IN (?, ?) AND id = ? LIMIT 1');
    const name = nameFor(req.user);
    return {
      a: a.id, b: b.id, same: diff.same,
      rows: diff.rows.map((r) => ({ ...r, name: name(lookup.get(a.dataset_id, b.dataset_id, r.teacher_id)?.name ?? '') })),
    };
  });
}
