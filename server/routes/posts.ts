// 编制 and 岗位 per school (issue 12 item 1; README "Posts"): the dataset's posts shared out under a
// scenario's policy (policy.posts.*), as rows with the rule behind each number and the county
// totals, or as the posts.csv `lungang posts` writes; and "use as the needs": a new dataset — the
// same stored files, with posts.csv (computed, or the planner's edited upload) in place of any
// needs — plus a copy of the scenario on it, ready to run. Datasets are immutable, so the needs
// change by a new dataset; the upload check is the dataset upload's own (all-or-nothing).
import { z } from 'zod';
import { STAGES, SUBJECTS } from '../../solver/contract/schemas.ts';
import { datasetFiles, getDataset, getScenario } from '../db.ts';
import { createDataset, datasetSchema } from './datasets.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, idParams, invalidInput, notFound, readMultipart } from './http.ts';
import { insertScenario, scenarioLocks, scenarioPolicy, scenarioSchema, scenarioView } from './scenarios.ts';

const gradesSchema = z.object({ posts: z.number().int(), senior: z.number().int(), first: z.number().int(), second: z.number().int() });
export const postsSchema = z.object({
  scenario_id: z.number().int(),
  dataset_id: z.number().int(),
  /**
   * One row per school × stage offered × subject of the stage, as in posts.csv; `rule_en` is the rule
   * in English, `floored` whether the school's posts are its small-rural-school floor.
   */
  rows: z.array(z.object({
    school_id: z.string(), stage: z.enum(STAGES), subject: z.enum(SUBJECTS),
    posts: z.number().int(), senior: z.number().int(), first: z.number().int(), second: z.number().int(), rule: z.string(), rule_en: z.string(),
    floored: z.boolean(),
  })),
  /** Per county the totals the rows add up to: 编制总量, 岗位 per stage by grade, and the small-rural-school floors. */
  counties: z.array(z.object({
    county: z.string(), quota: z.number().int(), stages: z.object({ primary: gradesSchema, junior: gradesSchema }),
    floored: z.object({ schools: z.number().int(), posts: z.number().int() }),
  })),
});

const errors = { 404: errorSchema, 422: errorSchema, ...authErrors };

export function postsRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  const mustGetScenario = async (id: number) => await getScenario(db, id) ?? (() => { throw notFound('方案'); })();
  const storedFiles = async (datasetId: number) => (await datasetFiles(db, datasetId)).map((f) => ({ name: f.name, content: f.content }));

  /** The share-out under the scenario's policy; 422 with the numbers when the small-school floors exceed a county's total. */
  async function postsOf(scenarioId: number) {
    const s = await mustGetScenario(scenarioId);
    const r = await deps.tasks.run('posts', { files: await storedFiles(s.dataset_id), policy: scenarioPolicy(s) });
    if (!r.ok) throw invalidInput(r.errors, '编制岗位分配');
    return { s, r };
  }

  app.get('/api/scenarios/:id/posts', {
    config: { access: 'read' },
    schema: {
      tags: ['posts'], summary: '编制与岗位分配：按方案的政策参数（posts.*）把各县编制总量、岗位总量分到学校、学段、学科，每个数字附依据',
      params: idParams, response: { 200: postsSchema, ...errors },
    },
  }, async (req) => {
    const { s, r } = await postsOf(req.params.id);
    return { scenario_id: s.id, dataset_id: s.dataset_id, rows: r.rows, counties: r.counties };
  });

  app.get('/api/scenarios/:id/posts.csv', {
    config: { access: 'read' },
    schema: {
      tags: ['posts'], summary: '下载 posts.csv（与命令行 `lungang posts` 输出相同；可修改后上传作为学科需求）',
      params: idParams, produces: ['text/csv'], response: { 200: z.string(), ...errors },
    },
  }, async (req, reply) => {
    const { s, r } = await postsOf(req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="scenario-${s.id}-posts.csv"`).send(r.csv);
  });

  app.post('/api/scenarios/:id/posts/as-needs', {
    config: { access: 'edit' },
    schema: {
      tags: ['posts'],
      summary: '采用为学科需求：新建数据集（原数据集的文件，posts.csv 代替 needs.csv）和其上的方案副本；multipart 可选文件 posts.csv（修改后的表，不传则按计算结果）和字段 name',
      description: '修改后的 posts.csv 与上传数据集同样整体校验：任一行有误返回 422 和全部 `posts.csv:line: column: message`，不保存任何内容。',
      consumes: ['multipart/form-data'], params: idParams,
      response: { 201: z.object({ dataset: datasetSchema, scenario: scenarioSchema }), 400: errorSchema, 409: errorSchema, 413: errorSchema, ...errors },
    },
  }, async (req, reply) => {
    const s = await mustGetScenario(req.params.id);
    const d = await getDataset(db, s.dataset_id);
    if (!d) throw notFound('数据集');
    // No form at all is the computed posts with default names.
    const { files, fields } = req.isMultipart() ? await readMultipart(req) : { files: [], fields: {} as Record<string, string> };
    if (files.length > 1) throw new ApiError(400, '请只上传一个 posts.csv 文件');
    const edited = files[0];
    if (edited && /\.xlsx?$/i.test(edited.name)) throw new ApiError(400, '请上传 CSV 格式的 posts.csv（可在表格软件中“另存为 CSV UTF-8”）');
    const policy = scenarioPolicy(s);
    const made = await deps.tasks.run('postsAdopt', { files: await storedFiles(d.id), policy, edited: edited ? { name: 'posts.csv', content: edited.content } : null });
    if (!made.ok) throw invalidInput(made.errors, '编制岗位分配');
    const name = (fields.name ?? '').trim().slice(0, 100) || `${d.name}（编制岗位${edited ? '·修改' : ''}）`.slice(0, 100);
    const dataset = await createDataset(deps, { name, files: made.files, userId: req.user!.id });
    const id = await insertScenario(db, {
      datasetId: dataset.id, name: `${s.name}（编制岗位）`.slice(0, 100), notes: '', policy, locks: scenarioLocks(s), useBaseline: s.use_baseline === 1, userId: req.user!.id,
    }, 'posts.as_needs', { source_scenario_id: s.id, source_dataset_id: d.id, edited: edited ? 1 : 0 });
    return reply.code(201).header('location', `/api/scenarios/${id}`).send({ dataset, scenario: (await scenarioView(db, (await getScenario(db, id))!)) });
  });
}
