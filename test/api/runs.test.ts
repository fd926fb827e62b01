// Runs: start (202), progress, result, downloads, cancel, the per-user queue limit, the hard
// time limit, infeasible scenarios, and snapshots of the scenario's inputs.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAST_POLICY, type TestServer, createScenario, removeDir, startRun, startServer, uploadSample, waitForRun,
} from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer({ poolSize: 2 }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const req = (method: Method, url: string, cookie = s.cookie.planner, payload?: object) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

async function sheetRows(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  await wb.xlsx.load(ab);
  return Object.fromEntries(wb.worksheets.map((ws) => {
    const rows: string[][] = [];
    ws.eachRow((row) => { rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))); });
    return [ws.name, rows];
  }));
}

describe('a run on the small county', () => {
  let runId: number;
  let scenarioId: number;

  beforeAll(async () => {
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    scenarioId = (await createScenario(s, d.id)).id;
    const started = await req('POST', '/api/runs', s.cookie.planner, { scenario_id: scenarioId });
    expect(started.statusCode).toBe(202);
    expect(started.headers.location).toBe(`/api/runs/${started.json().id}`);
    expect(['queued', 'running']).toContain(started.json().status);
    runId = started.json().id;
    // Edited while the run is under way: the run keeps the inputs it started with.
    await req('PATCH', `/api/scenarios/${scenarioId}`, s.cookie.planner, { policy: { ratios: { minRotatedShareOfEligible: 0.3 } } });
  });

  it('reaches done with a plan whose audit passes', async () => {
    const run = await waitForRun(s, runId);
    expect(run.status).toBe('done');
    expect(run.summary?.audit_ok).toBe(true);
    expect(run.summary!.rotated).toBeGreaterThan(0);
    expect(run.elapsed_seconds).toBeGreaterThan(0);
    const detail = (await req('GET', `/api/runs/${runId}`)).json();
    expect(detail.progress.phase).toBe('reporting');
    expect(detail.progress.objective).toBeTypeOf('number');
    expect(detail.result_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.inputs.policy.ratios.minRotatedShareOfEligible).toBe(0.1);
    expect(detail.summary.rules.length).toBeGreaterThan(5);
    expect(detail.summary.needs.shortfall_before).toBeGreaterThanOrEqual(0);
  });

  it('serves the result, plan.csv and report.json as the contract stores them', async () => {
    const result = (await req('GET', `/api/runs/${runId}/result`)).json();
    expect(result.run_id).toBe(runId);
    expect(result.report.audit_ok).toBe(true);
    expect(result.report.status).toMatch(/optimal|feasible/);
    expect(result.plan).toHaveLength(result.report.counts.rotated);
    // fills_subject (issue 11) is there only for a move that fills a need in an extra subject.
    expect(Object.keys(result.plan[0])).toEqual(['teacher_id', 'from_school_id', 'to_school_id', 'mode', 'stage', 'subject', 'backbone', 'reason', ...(result.plan[0].fills_subject ? ['fills_subject'] : [])]);

    const csv = await req('GET', `/api/runs/${runId}/plan.csv`, s.cookie.auditor);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="run-${runId}-plan.csv"`);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('teacher_id,from_school_id,to_school_id,mode,stage,subject,backbone,reason,fills_subject');
    expect(lines).toHaveLength(result.plan.length + 1);

    const report = await req('GET', `/api/runs/${runId}/report.json`, s.cookie.leader);
    expect(report.headers['content-disposition']).toContain('report.json');
    expect(report.json()).toEqual(result.report);
  });

  it('builds the XLSX workbook with Chinese sheets and columns; names masked for auditors', async () => {
    const planner = await req('GET', `/api/runs/${runId}/workbook.xlsx`);
    expect(planner.statusCode).toBe(200);
    expect(planner.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = await sheetRows(planner.rawPayload);
    expect(Object.keys(book)).toEqual(['交流方案', '规则检查', '每校流出上限', '每校编制', '交流方式', '交流载体与成效', '班额与规模', '审核信息', '学校指标', '差异系数']);
    expect(book['交流方案']![0]!.slice(0, 4)).toEqual(['教师编号', '姓名', '调出学校代码', '调出学校']);
    expect(book['规则检查']![0]).toContain('是否满足');
    expect(book['差异系数']![0]).toContain('差异系数（后）');
    const firstId = book['交流方案']![1]![0]!;
    const t = (await req('GET', `/api/datasets/${(await req('GET', `/api/runs/${runId}`)).json().dataset_id}/teachers?q=${firstId}`)).json().items[0];
    expect(book['交流方案']![1]![1]).toBe(t.name);
    expect(book['交流方案']!.length - 1).toBe((await req('GET', `/api/runs/${runId}/result`)).json().plan.length);

    const auditor = await sheetRows((await req('GET', `/api/runs/${runId}/workbook.xlsx`, s.cookie.auditor)).rawPayload);
    const names = auditor['交流方案']!.slice(1).map((r) => r[1]!);
    expect(names.every((n) => /^.\*\*$/u.test(n))).toBe(true);
    expect(auditor['交流方案']![1]![1]).toBe(`${[...t.name][0]}**`);
  });

  it('a finished run cannot be cancelled (409) but can be deleted (204)', async () => {
    expect((await req('POST', `/api/runs/${runId}/cancel`)).statusCode).toBe(409);
    const again = await startRun(s, scenarioId);
    await waitForRun(s, again.id);
    expect((await req('DELETE', `/api/runs/${again.id}`)).statusCode).toBe(204);
    expect((await req('GET', `/api/runs/${again.id}`)).statusCode).toBe(404);
  });

  it('lists runs with filters; logs create and finish', async () => {
    const items = (await req('GET', `/api/runs?scenario_id=${scenarioId}&status=done`)).json().items;
    expect(items.map((r: { id: number }) => r.id)).toContain(runId);
    expect(items[0].summary.audit_ok).toBe(true);
    expect((await req('GET', '/api/runs?status=bogus')).statusCode).toBe(400);
    const log = (await req('GET', '/api/activity?entity=run', s.cookie.admin)).json().items;
    expect(log.filter((l: { entity_id: number }) => l.entity_id === runId).map((l: { action: string }) => l.action).sort()).toEqual(['run.create', 'run.done']);
  });
});

describe('cancel, queue limit, missing results', () => {
  it('cancels a running run (its worker is terminated) and a queued one; 429 past 3 active runs per user', async () => {
    const d = await uploadSample(s, 'small-county');
    const sc = await createScenario(s, d.id);
    const [a, b, c] = [await startRun(s, sc.id), await startRun(s, sc.id), await startRun(s, sc.id)];
    const fourth = await req('POST', '/api/runs', s.cookie.planner, { scenario_id: sc.id });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error).toContain('最多同时排队或运行3个');
    // Another user has their own allowance.
    const adminRun = await startRun(s, sc.id, s.cookie.admin);
    expect((await req('POST', `/api/runs/${adminRun.id}/cancel`, s.cookie.admin)).json().status).toBe('cancelled');

    await waitForRun(s, a.id, (r) => r.status === 'running');
    expect((await req('GET', `/api/runs/${c.id}`)).json().status).toBe('queued');
    const cancelled = (await req('POST', `/api/runs/${a.id}/cancel`)).json();
    expect(cancelled).toMatchObject({ status: 'cancelled', message: '已取消' });
    expect((await req('POST', `/api/runs/${c.id}/cancel`)).json().status).toBe('cancelled');
    expect((await req('POST', `/api/runs/${b.id}/cancel`)).json().status).toBe('cancelled');
    expect(s.app.lungang.pool.running).toBe(0);
    expect((await req('POST', `/api/runs/${a.id}/cancel`)).statusCode).toBe(409);
    const noResult = await req('GET', `/api/runs/${a.id}/result`);
    expect(noResult.statusCode).toBe(409);
    expect(noResult.json().error).toContain('没有结果');
    expect((await req('GET', `/api/runs/${a.id}/plan.csv`)).statusCode).toBe(409);
    expect((await req('POST', '/api/runs', s.cookie.planner, { scenario_id: 9999 })).statusCode).toBe(404);
    expect((await req('GET', '/api/runs/9999')).statusCode).toBe(404);
  });

  it('refuses to delete a scenario with active runs; deletes one with finished runs and its runs', async () => {
    const d = await uploadSample(s, 'tiny');
    const sc = await createScenario(s, d.id);
    const run = await startRun(s, sc.id);
    expect((await req('DELETE', `/api/scenarios/${sc.id}`)).statusCode).toBe(409);
    expect((await req('DELETE', `/api/runs/${run.id}`)).statusCode).toBe(409);
    await waitForRun(s, run.id);
    expect((await req('DELETE', `/api/scenarios/${sc.id}`)).statusCode).toBe(204);
    expect((await req('GET', `/api/runs/${run.id}`)).statusCode).toBe(404);
  });
});

describe('outcomes other than done', () => {
  it('an infeasible scenario ends infeasible with the conflict named, and its report stored', async () => {
    const d = await uploadSample(s, 'tiny');
    const sc = await createScenario(s, d.id, { policy: { ratios: { minRotatedShareOfEligible: 1, minBackboneShareOfRotated: 1 } } });
    const run = await waitForRun(s, (await startRun(s, sc.id)).id);
    expect(run.status, run.message ?? '').toBe('infeasible');
    expect(run.message).toBeTruthy();
    const report = (await req('GET', `/api/runs/${run.id}/report.json`)).json();
    expect(report.status).toBe('infeasible');
    expect(report.infeasibility.length).toBeGreaterThan(0);
  });

  it('a run past its hard time limit is terminated and marked failed', async () => {
    const t = await startServer({ hardLimitSeconds: () => 0.2 });
    try {
      const d = await uploadSample(t, 'tiny');
      const sc = await createScenario(t, d.id);
      const run = await waitForRun(t, (await startRun(t, sc.id)).id);
      expect(run.status).toBe('failed');
      expect(run.message).toBe('超过硬性时间上限（0秒），运行被终止');
      expect(t.app.lungang.pool.running).toBe(0);
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  });
});
