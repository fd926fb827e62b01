// The 公示 lists of a run (solver/report/notice-lists.ts): the teachers eligible under the run's
// policy and the run's plan, as an XLSX workbook or a printable HTML page. Names are masked for the
// auditor role exactly as in the run's workbook (auth.ts maskName); a plan that is not adopted is
// titled a draft.
import { z } from 'zod';
import type { Teacher, School } from '../../solver/contract/schemas.ts';
import { NOTICE_LISTS, type NoticeTable, noticeTable } from '../../solver/report/notice-lists.ts';
import { parsePlanCsv } from '../contract-files.ts';
import { nameFor } from '../auth.ts';
import { runInputsSchema } from '../run-inputs.ts';
import { noticeHtml } from '../notice-export.ts';
import { type App, type Deps, authErrors, errorSchema, idParams } from './http.ts';
import { runOutputs } from './runs.ts';
import { sendWorkbook } from './downloads.ts';

const noticeQuery = z.object({ list: z.enum(NOTICE_LISTS).default('plan'), lang: z.enum(['zh', 'en']).default('zh') });

export function noticeRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  const errors = { 404: errorSchema, 409: errorSchema, ...authErrors };

  /** The list as a table: the run's policy, the dataset's schools and teachers, the run's plan. */
  async function table(runId: number, query: z.infer<typeof noticeQuery>, user: Parameters<typeof nameFor>[0]): Promise<NoticeTable> {
    const run = await runOutputs(db, runId);
    const rows = async <T>(sql: string) => (await db.all<{ data: string }>(sql, run.dataset_id)).map((r) => JSON.parse(r.data) as T);
    const plan = parsePlanCsv('plan.csv', run.plan_csv);
    const name = nameFor(user);
    return noticeTable({
      list: query.list,
      lang: query.lang,
      policy: runInputsSchema.parse(JSON.parse(run.inputs_json)).policy,
      schools: await rows<School>('SELECT data FROM dataset_schools WHERE dataset_id = ? ORDER BY seq'),
      teachers: await rows<Teacher>('SELECT data FROM dataset_teachers WHERE dataset_id = ? ORDER BY seq'),
      plan: plan.ok ? plan.rows : [],
      name: (t) => name(t.name),
      draft: run.adopted_at === null,
    });
  }

  app.get('/api/runs/:id/notice.xlsx', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '下载公示名单 Excel（list=eligible 符合交流条件教师，list=plan 交流轮岗名单；审计角色姓名脱敏）', params: idParams,
      querystring: noticeQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: { 200: z.custom<Buffer>((v) => Buffer.isBuffer(v)), ...errors },
    },
  }, async (req, reply) => {
    const book = await deps.tasks.run('noticeXlsx', { table: await table(req.params.id, req.query, req.user) });
    return sendWorkbook(reply, `run-${req.params.id}-${req.query.list}-notice.xlsx`, book.content);
  });

  app.get('/api/runs/:id/notice.html', {
    config: { access: 'read' },
    schema: {
      tags: ['runs'], summary: '公示名单打印页（HTML，浏览器打印；参数同 notice.xlsx）', params: idParams,
      querystring: noticeQuery, produces: ['text/html'], response: { 200: z.string(), ...errors },
    },
  }, async (req, reply) => reply.type('text/html; charset=utf-8').send(noticeHtml(await table(req.params.id, req.query, req.user), req.query.lang)));
}
