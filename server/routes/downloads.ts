// A run's files: plan.csv and report.json exactly as stored (the contract's outputs, as the CLI
// writes them), one XLSX workbook of the run's audit document with Chinese (or, with ?lang=en,
// English) sheet and column names, and the audit as a PDF to file. Teacher names appear only in
// the workbook, masked for auditors.
import { z } from 'zod';
import { parsePlanCsv } from '../contract-files.ts';
import type { FastifyReply } from 'fastify';
import { type SessionUser, nameFor } from '../auth.ts';
import { type Db, jsonValues } from '../db.ts';
import type { AuditDocument } from '../audit-document.ts';
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
    const run = await runOutputs(db, req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`run-${run.id}-plan.csv`)).send(run.plan_csv);
  });

  app.get('/api/runs/:id/report.json', {
    config: { access: 'read' },
    schema: { tags: ['runs'], summary: '下载 report.json（方案报告）', params: idParams, response: { 200: z.string(), ...errors } },
  }, async (req, reply) => {
    const run = await runOutputs(db, req.params.id);
    return reply.type('application/json; charset=utf-8').header('content-disposition', attachment(`run-${run.id}-report.json`)).send(run.report_json);
  });

  app.get('/api/runs/:id/workbook.xlsx', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '下载 Excel 工作簿（交流方案、规则检查、每校流出上限、每校编制、交流方式、审核信息、学校指标、差异系数；有交流记录时另有期满返回、交流记录核查）', params: idParams,
      querystring: langQuery,
      produces: [XLSX_TYPE],
      response: { 200: z.custom<Buffer>((v) => Buffer.isBuffer(v)), ...errors },
    },
  }, async (req, reply) => {
    const run = await runOutputs(db, req.params.id);
    const doc = await withBounds(db, run.id, await runAuditDocument(db, run, req.user!.username));
    const plan = parsePlanCsv('plan.csv', run.plan_csv);
    const book = await deps.tasks.run('xlsx', { doc, lang: req.query.lang, planCsv: run.plan_csv, ...await workbookNames(db, run.dataset_id, plan.ok ? plan.rows : [], req.user) });
    return sendWorkbook(reply, `run-${run.id}.xlsx`, book.content);
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
    const run = await runOutputs(db, req.params.id);
    const doc = await runAuditDocument(db, run, req.user!.username);
    const pdf = await deps.tasks.run('auditPdf', { doc, lang: req.query.lang });
    return reply.type('application/pdf')
      .header('content-disposition', attachment(`run-${run.id}-audit-${req.query.lang}.pdf`)).send(Buffer.from(pdf.content));
  });
}

/** The document with the best-achievable columns of the run's CVs, once they are computed (bounds.ts). */
async function withBounds(db: Db, runId: number, doc: AuditDocument): Promise<AuditDocument> {
  const { indicators } = reportWithBounds({ indicators: doc.indicators }, (await boundsView(db, runId))) as Pick<AuditDocument, 'indicators'>;
  return { ...doc, indicators };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const langQuery = z.object({ lang: z.enum(['zh', 'en']).default('zh') });

/** A built file (workbook, PDF) as a download. */
export const sendAttachment = (reply: FastifyReply, type: string, name: string, content: Uint8Array) =>
  reply.type(type).header('content-disposition', attachment(name)).send(Buffer.from(content));
export const sendWorkbook = (reply: FastifyReply, name: string, content: Uint8Array) => sendAttachment(reply, XLSX_TYPE, name, content);

/** The names a workbook shows: the plan's teachers (masked for auditors) and every school of the dataset. */
export async function workbookNames(db: Db, datasetId: number, rows: readonly { teacher_id: string }[], user: SessionUser | null) {
  const ids = JSON.stringify(rows.map((r) => r.teacher_id));
  const name = nameFor(user);
  const teachers = await db.all<{ id: string; name: string }>(
    `SELECT id, name FROM dataset_teachers WHERE dataset_id = ? AND id IN (${jsonValues(db, 'text')})`, datasetId, ids);
  const teacherNames = Object.fromEntries(teachers.map((t) => [t.id, name(t.name)]));
  const schoolNames = Object.fromEntries((await db.all<{ id: string; name: string }>('SELECT id, name FROM dataset_schools WHERE dataset_id = ?', datasetId)).map((s) => [s.id, s.name]));
  return { teacherNames, schoolNames };
}
