// Audits: any plan (ours, hand-made, another tool's) checked against a stored dataset and a
// policy, with the same rules and numbers as `lungang audit`. The policy and locks come from a
// scenario when one is named, else from the dataset; an uploaded policy.json overrides both.
// The answer is an AuditDocument (or its workbook), traced to the uploaded bytes by their hash, so
// what an auditor prints or files is the hand plan's audit and never a run's. Nothing is stored
// but the activity log entry. A run's audit document is served here too.
import { z } from 'zod';
import { parsePolicy } from '../../solver/contract/dataset.ts';
import { datasetFiles, getDataset, getScenario, logActivity } from '../db.ts';
import { datasetLocks, datasetPolicy } from './datasets.ts';
import { ApiError, type App, type Deps, authErrors, errorSchema, idParams, invalidInput, notFound, readMultipart } from './http.ts';
import { auditTraceSchema, handAuditDocument, historyFieldsSchema } from '../audit-document.ts';
import { runAuditDocument } from '../run-audit-document.ts';
import { parsePlanCsv } from '../contract-files.ts';
import { sendAttachment, sendWorkbook, workbookNames } from './downloads.ts';
import { runOutputs } from './runs.ts';
import { scenarioLocks, scenarioPolicy } from './scenarios.ts';

const idField = z.coerce.number().int().positive();
const formatField = z.enum(['json', 'xlsx', 'pdf']).default('json');
const langField = z.enum(['zh', 'en']).default('zh');

const ruleSchema = z.object({
  id: z.string(), county: z.string().nullable(), name: z.string(), clause: z.string(), required: z.string(), actual: z.string(), ok: z.boolean(),
  numerator: z.number().optional(), denominator: z.number().optional(), details: z.array(z.string()).optional(),
  // English twins (solver/policy/rules.ts); absent in reports stored before they existed.
  name_en: z.string().optional(), clause_en: z.string().optional(), required_en: z.string().optional(), actual_en: z.string().optional(),
  details_en: z.array(z.string()).optional(),
});

/** The AuditDocument (audit-document.ts) as the API sends it. */
export const auditDocumentSchema = z.object({
  audit_ok: z.boolean(),
  counts: z.record(z.string(), z.unknown()),
  rules: z.array(ruleSchema),
  indicators: z.record(z.string(), z.unknown()),
  // Class and school size caps per school (solver/policy/school-caps.ts); absent in reports stored before them.
  school_caps: z.record(z.string(), z.unknown()).optional(),
  policy: z.record(z.string(), z.unknown()),
  status: z.string().nullable(),
  trace: auditTraceSchema,
}).extend(historyFieldsSchema.shape);

const handAuditSchema = auditDocumentSchema.extend({ dataset_id: z.number().int(), scenario_id: z.number().int().nullable(), plan_rows: z.number().int() });

export function auditRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  app.post('/api/audits', {
    config: { access: 'audit' },
    schema: {
      tags: ['audits'],
      summary: '审核任意方案（multipart：字段 dataset_id、可选 scenario_id、format=json|xlsx|pdf、lang=zh|en；文件 plan=plan.csv、可选 policy=policy.json）',
      description: '返回审核文档（规则、每校流出与编制、交流方式、指标，以及可追溯信息：方案文件校验码、数据集与政策参数校验码、时间、审核人）；'
        + 'format=xlsx / pdf 返回同一文档的 Excel 工作簿 / PDF。方案格式错误返回 422（`plan.csv:行: 列: 问题`）；规则不满足时返回 200 且 audit_ok 为 false。',
      consumes: ['multipart/form-data'],
      response: { 200: handAuditSchema, 400: errorSchema, 404: errorSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema, ...authErrors },
    },
  }, async (req, reply) => {
    const { files, fields } = await readMultipart(req);
    const datasetId = idField.safeParse(fields.dataset_id);
    if (!datasetId.success) throw new ApiError(400, '缺少 dataset_id');
    const format = formatField.safeParse(fields.format || undefined);
    if (!format.success) throw new ApiError(400, 'format 只能是 json、xlsx 或 pdf');
    const lang = langField.safeParse(fields.lang || undefined);
    if (!lang.success) throw new ApiError(400, 'lang 只能是 zh 或 en');
    const d = await getDataset(db, datasetId.data);
    if (!d) throw notFound('数据集');
    const scenarioId = fields.scenario_id ? idField.safeParse(fields.scenario_id) : undefined;
    if (scenarioId && !scenarioId.success) throw new ApiError(400, 'scenario_id 格式不正确');
    const scenario = scenarioId?.success ? (await getScenario(db, scenarioId.data)) : undefined;
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
      files: (await datasetFiles(db, d.id)).map((f) => ({ name: f.name, content: f.content })),
      policy, locks: scenario ? scenarioLocks(scenario) : datasetLocks(d), plan: { name: plan.name, content: plan.content },
    });
    if (!result.ok) throw invalidInput(result.errors, '方案文件');
    const doc = handAuditDocument({ sections: result.result, history: result.history_checks ? { history_checks: result.history_checks } : {}, policy, dataset: d, scenario, plan, user: req.user!, at: new Date() });
    await logActivity(db, {
      userId: req.user!.id, action: 'audit.create', entity: 'dataset', entityId: d.id,
      details: { scenario_id: scenario?.id ?? null, plan_rows: doc.trace.plan_rows, plan_hash: doc.trace.plan_hash, audit_ok: doc.audit_ok, format: format.data },
    });
    if (format.data === 'xlsx') {
      const parsed = parsePlanCsv(plan.name, plan.content);
      const book = await deps.tasks.run('xlsx', { doc, lang: lang.data, planCsv: plan.content, ...await workbookNames(db, d.id, parsed.ok ? parsed.rows : [], req.user) });
      return sendWorkbook(reply, `audit-${doc.trace.plan_hash.slice(0, 12)}.xlsx`, book.content);
    }
    if (format.data === 'pdf') {
      const pdf = await deps.tasks.run('auditPdf', { doc, lang: lang.data });
      return sendAttachment(reply, 'application/pdf', `audit-${doc.trace.plan_hash.slice(0, 12)}-${lang.data}.pdf`, pdf.content);
    }
    return { dataset_id: d.id, scenario_id: scenario?.id ?? null, plan_rows: doc.trace.plan_rows, ...doc };
  });

  app.get('/api/runs/:id/audit', {
    config: { access: 'read' },
    schema: {
      tags: ['audits'], summary: '运行方案的审核文档（与手工方案审核同一结构，含可追溯信息）', params: idParams,
      response: { 200: auditDocumentSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
    },
  }, async (req) => (await runAuditDocument(db, await runOutputs(db, req.params.id), req.user!.username)));
}
