// Audits: any plan (ours, hand-made, another tool's) checked against a stored dataset and a
// policy, with the same rules and numbers as `lungang audit`. The policy and locks come from a
// scenario when one is named, else from the dataset; an uploaded policy.json overrides both.
// Nothing is stored but the activity log entry.
import { z } from 'zod';
import { parsePolicy } from '../../solver/contract/dataset.ts';
import { datasetFiles, getDataset, getScenario, logActivity } from '../db.ts';
import { datasetLocks, datasetPolicy } from './datasets.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, invalidInput, notFound, readMultipart } from './http.ts';
import { scenarioLocks, scenarioPolicy } from './scenarios.ts';

const idField = z.coerce.number().int().positive();

const auditSchema = z.object({
  dataset_id: z.number().int(),
  scenario_id: z.number().int().nullable(),
  plan_rows: z.number().int(),
  audit_ok: z.boolean(),
  counts: z.record(z.string(), z.unknown()),
  rules: z.array(z.object({
    id: z.string(), county: z.string().nullable(), name: z.string(), clause: z.string(), required: z.string(), actual: z.string(), ok: z.boolean(),
    numerator: z.number().optional(), denominator: z.number().optional(), details: z.array(z.string()).optional(),
  })),
  indicators: z.record(z.string(), z.unknown()),
});

export function auditRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  app.post('/api/audits', {
    config: { access: 'audit' },
    schema: {
      tags: ['audits'],
      summary: '审核任意方案（multipart：字段 dataset_id、可选 scenario_id；文件 plan=plan.csv、可选 policy=policy.json）',
      description: '方案格式错误返回 422（`plan.csv:行: 列: 问题`）；规则不满足时返回 200 且 audit_ok 为 false。',
      consumes: ['multipart/form-data'],
      response: { 200: auditSchema, 400: errorSchema, 404: errorSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema, ...authErrors },
    },
  }, async (req) => {
    const { files, fields } = await readMultipart(req);
    const datasetId = idField.safeParse(fields.dataset_id);
    if (!datasetId.success) throw new ApiError(400, '缺少 dataset_id');
    const d = getDataset(db, datasetId.data);
    if (!d) throw notFound('数据集');
    const scenarioId = fields.scenario_id ? idField.safeParse(fields.scenario_id) : undefined;
    if (scenarioId && !scenarioId.success) throw new ApiError(400, 'scenario_id 格式不正确');
    const scenario = scenarioId?.success ? getScenario(db, scenarioId.data) : undefined;
    if (scenarioId && !scenario) throw notFound('方案');
    if (scenario && scenario.dataset_id !== d.id) throw new ApiError(400, `方案 #${scenario.id} 不属于数据集 #${d.id}`);
    const plan = files.find((f) => f.field === 'plan');
    if (!plan) throw new ApiError(400, '缺少方案文件（字段 plan，plan.csv）');
    const policyFile = files.find((f) => f.field === 'policy');
    let policy = scenario ? scenarioPolicy(scenario) : datasetPolicy(d);
    if (policyFile) {
      const parsed = parsePolicy(policyFile.name, policyFile.content);
      if ('errors' in parsed) throw invalidInput(parsed.errors, '政策参数');
      policy = parsed.policy;
    }
    const result = await deps.tasks.run('audit', {
      files: datasetFiles(db, d.id).map((f) => ({ name: f.name, content: f.content })),
      policy, locks: scenario ? scenarioLocks(scenario) : datasetLocks(d), plan: { name: plan.name, content: plan.content },
    });
    if (!result.ok) throw invalidInput(result.errors, '方案文件');
    const planRows = result.result.rules.find((r) => r.id === 'plan_integrity')?.denominator ?? 0;
    logActivity(db, {
      userId: req.user!.id, action: 'audit.create', entity: 'dataset', entityId: d.id,
      details: { scenario_id: scenario?.id ?? null, plan_rows: planRows, audit_ok: result.result.audit_ok },
    });
    return { dataset_id: d.id, scenario_id: scenario?.id ?? null, plan_rows: planRows, ...result.result };
  });
}
