// The 公示 lists of a run (GET /api/runs/:id/notice.xlsx|html): the eligible teachers under the
// run's policy and the plan, names masked for the auditor role, a draft until the run is adopted.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_POLICY, type TestServer, createScenario, removeDir, startServer, uploadSample, waitForRun } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer({ poolSize: 2 }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const get = (url: string, cookie = s.cookie.planner) => s.app.inject({ method: 'GET', url, headers: { cookie } });

async function sheet(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  await wb.xlsx.load(ab);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => { rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))); });
  return rows;
}

describe('公示 lists of a run on the small county', () => {
  let runId: number;
  let datasetId: number;
  let plan: { teacher_id: string; from_school_id: string; mode: string }[];
  let eligible: number;

  beforeAll(async () => {
    datasetId = (await uploadSample(s, 'small-county', FAST_POLICY)).id;
    const scenario = await createScenario(s, datasetId);
    runId = (await s.app.inject({ method: 'POST', url: '/api/runs', headers: { cookie: s.cookie.planner }, payload: { scenario_id: scenario.id } })).json().id;
    const run = await waitForRun(s, runId);
    expect(run.status).toBe('done');
    const result = (await get(`/api/runs/${runId}/result`)).json();
    plan = result.plan;
    eligible = (await get(`/api/runs/${runId}`)).json().summary.eligible;
  });

  const teacher = async (id: string) => (await get(`/api/datasets/${datasetId}/teachers?q=${id}`)).json().items[0] as { id: string; name: string };

  it('the plan list: school, name, subject, destination, mode, term; a draft before adoption', async () => {
    const res = await get(`/api/runs/${runId}/notice.xlsx?list=plan`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`run-${runId}-plan-notice.xlsx`);
    const rows = await sheet(res.rawPayload);
    expect(rows[0]![0]).toBe('2026 年义务教育学校教师交流轮岗名单（草案，未采纳）');
    expect(rows[2]).toEqual(['序号', '学校', '姓名', '学段', '学科', '交流去向', '交流方式', '期限']);
    expect(rows.length - 3).toBe(plan.length);
    expect(rows[1]![0]).toContain(`共 ${new Set(plan.map((r) => r.teacher_id)).size} 人`);
    // Every planned teacher appears by full name for the planner.
    const first = await teacher(plan[0]!.teacher_id);
    expect(rows.slice(3).some((r) => r[2] === first.name)).toBe(true);
    expect(rows.slice(3).every((r) => ['调动', '支教', '走教', '顶岗培养'].includes(r[6]!))).toBe(true);
    expect(rows.slice(3).filter((r) => r[6] === '调动').every((r) => r[7] === '人事关系随调')).toBe(true);
  });

  it('the eligible list holds the run\'s eligible teachers, with years at school and no age', async () => {
    const rows = await sheet((await get(`/api/runs/${runId}/notice.xlsx?list=eligible`)).rawPayload);
    expect(rows[0]![0]).toBe('2026 年义务教育学校符合交流条件教师名单（公示）');
    expect(rows[2]).toEqual(['序号', '学校', '姓名', '学段', '学科', '本校任教年限']);
    expect(rows.length - 3).toBe(eligible);
    expect(rows.slice(3).every((r) => Number(r[5]) >= 6)).toBe(true);
  });

  it('masks every name for the auditor, in the workbook and the printable page', async () => {
    const first = await teacher(plan[0]!.teacher_id);
    for (const list of ['plan', 'eligible']) {
      const rows = await sheet((await get(`/api/runs/${runId}/notice.xlsx?list=${list}`, s.cookie.auditor)).rawPayload);
      expect(rows.slice(3).every((r) => /^.\*\*$/u.test(r[2]!)), list).toBe(true);
    }
    const page = await get(`/api/runs/${runId}/notice.html?list=plan`, s.cookie.auditor);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(`<td>${[...first.name][0]}**</td>`);
    expect(page.body).not.toContain(first.name);
    expect((await get(`/api/runs/${runId}/notice.html?list=plan`)).body).toContain(`<td>${first.name}</td>`);
  });

  it('English on request, with no Chinese in the headers', async () => {
    const rows = await sheet((await get(`/api/runs/${runId}/notice.xlsx?list=plan&lang=en`)).rawPayload);
    expect(rows[0]![0]).toBe('2026: teacher rotation list (draft, not adopted)');
    expect(rows[2]).toEqual(['No.', 'School', 'Name', 'Stage', 'Subject', 'Destination', 'Mode', 'Term']);
    expect(rows.slice(3).every((r) => ['Transfer', 'Support', 'Itinerant', 'Training placement'].includes(r[6]!))).toBe(true);
  });

  it('is titled a public notice once the run is adopted; unknown list → 400, unknown run → 404', async () => {
    expect((await s.app.inject({ method: 'POST', url: `/api/runs/${runId}/adopt`, headers: { cookie: s.cookie.leader } })).statusCode).toBe(200);
    const page = await get(`/api/runs/${runId}/notice.html?list=plan`, s.cookie.leader);
    expect(page.body).toContain('<h1>2026 年义务教育学校教师交流轮岗名单（公示）</h1>');
    expect((await get(`/api/runs/${runId}/notice.xlsx?list=nobody`)).statusCode).toBe(400);
    expect((await get('/api/runs/9999/notice.html')).statusCode).toBe(404);
  });
});
