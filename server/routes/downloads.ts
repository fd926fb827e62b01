// A run's files: plan.csv and report.json exactly as stored (the contract's outputs, as the CLI
// writes them), one XLSX workbook with Chinese sheet and column names, and the audit as a PDF to
// file. Teacher names appear only in the workbook, masked for auditors.
import { z } from 'zod';
import { parsePlanCsv } from '../contract-files.ts';
import { nameFor } from '../auth.ts';
import { getScenario } from '../db.ts';
import { type App, type Deps, authErrors, errorSchema, idParams } from './http.ts';
import { runOutputs } from './runs.ts';
import { boundsView, reportWithBounds } from '../bounds.ts';
import { runAuditDocument } from '../run-audit-document.ts';

const attachment = (name: string) => `attachment; filename="${name}"`;

export function downloadRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  const errors = { 404: errorSchema, 409: errorSchema, ...authErrors };

  app.get('/api/runs/:id/plan.csv', {
    config: { access: 'read' },
    schema: { tags: ['runs'], summary: '下载 plan.csv（交流方案）', params: idParams, produces: ['text/csv'], response: { 200: z.string(), ...errors } },
  }, async (req, reply) => {
    const run = runOutputs(db, req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`run-${run.id}-plan.csv`)).send(run.plan_csv);
  });

  app.get('/api/runs/:id/report.json', {
    config: { access: 'read' },
    schema: { tags: ['runs'], summary: '下载 report.json（方案报告）', params: idParams, response: { 200: z.string(), ...errors } },
  }, async (req, reply) => {
    const run = runOutputs(db, req.params.id);
    return reply.type('application/json; charset=utf-8').header('content-disposition', attachment(`run-${run.id}-report.json`)).send(run.report_json);
  });

  app.get('/api/runs/:id/workbook.xlsx', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '下载 Excel 工作簿（交流方案、规则检查、学校指标、差异系数）', params: idParams,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: { 200: z.custom<Buffer>((v) => Buffer.isBuffer(v)), ...errors },
    },
  }, async (req, reply) => {
    const run = runOutputs(db, req.params.id);
    const plan = parsePlanCsv('plan.csv', run.plan_csv);
    const ids = JSON.stringify(plan.ok ? plan.rows.map((r) => r.teacher_id) : []);
    const name = nameFor(req.user);
    const teacherNames = Object.fromEntries(db.prepare<[number, string], { id: string; name: string }>(
      'SELECT id, name FROM dataset_teachers WHERE dataset_id = ? AND id IN (SELECT value FROM json_each(?))').all(run.dataset_id, ids)
      .map((t) => [t.id, name(t.name)]));
    const schoolNames = Object.fromEntries(db.prepare<[number], { id: string; name: string }>('SELECT id, name FROM dataset_schools WHERE dataset_id = ?')
      .all(run.dataset_id).map((s) => [s.id, s.name]));
    const book = await deps.tasks.run('xlsx', {
      runId: run.id, scenarioName: getScenario(db, run.scenario_id)?.name ?? '', teacherNames, schoolNames,
      reportJson: JSON.stringify(reportWithBounds(JSON.parse(run.report_json), boundsView(db, run.id))), planCsv: run.plan_csv,
    });
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachment(`run-${run.id}.xlsx`)).send(Buffer.from(book.content));
  });

  app.get('/api/runs/:id/audit.pdf', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '下载审计报告 PDF（规则检查、各校上限与编制、差异系数复算；每页附数据集、方案、政策哈希）', params: idParams,
      querystring: z.object({ lang: z.enum(['zh', 'en']).default('zh') }),
      produces: ['application/pdf'],
      response: { 200: z.custom<Buffer>((v) => Buffer.isBuffer(v)), ...errors },
    },
  }, async (req, reply) => {
    const run = runOutputs(db, req.params.id);
    const doc = runAuditDocument(db, run, req.user!.username);
    const pdf = await deps.tasks.run('auditPdf', { doc, lang: req.query.lang });
    return reply.type('application/pdf')
      .header('content-disposition', attachment(`run-${run.id}-audit-${req.query.lang}.pdf`)).send(Buffer.from(pdf.content));
  });
}
