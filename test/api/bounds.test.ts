// The best achievable 差异系数 as a background job after each run: queued when the run is done,
// progress in the run view, then each CV's fields in the run view, the result and the workbook.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LanePool } from '../../server/lanes.ts';
import { type TestServer, createScenario, removeDir, startServer, startRun, uploadSample, waitForRun } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer({ poolSize: 2, bounds: true }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const get = (url: string, cookie = s.cookie.leader) => s.app.inject({ method: 'GET', url, headers: { cookie } });

interface BoundsView { status: string; progress: { done: number; total: number } | null; cv: Record<string, unknown>[] }

async function waitForBounds(id: number, timeoutMs = 240_000): Promise<{ seen: string[]; bounds: BoundsView }> {
  const seen: string[] = [];
  const end = Date.now() + timeoutMs;
  for (;;) {
    const bounds: BoundsView | null = (await get(`/api/runs/${id}`)).json().bounds;
    if (bounds && !seen.includes(bounds.status)) seen.push(bounds.status);
    if (bounds && ['done', 'failed'].includes(bounds.status)) return { seen, bounds };
    if (Date.now() > end) throw new Error(`bounds of run ${id} not done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('best achievable after a run (tiny county, never-worse switch off so it has a plan)', () => {
  let runId: number;
  let bounds: BoundsView;

  // Every owner whose work the shared solve lanes took, in order (the run's county, then the pairs).
  const owners: string[] = [];

  beforeAll(async () => {
    const plan = LanePool.prototype.plan;
    vi.spyOn(LanePool.prototype, 'plan').mockImplementation(function (this: LanePool, owner, job, hooks) {
      owners.push(owner);
      return plan.call(this, owner, job, hooks);
    });
    const d = await uploadSample(s, 'tiny', { year: 2026, indicators: { neverWorse: false }, solver: { timeLimitSeconds: 20 } });
    runId = (await startRun(s, (await createScenario(s, d.id)).id)).id;
    expect((await waitForRun(s, runId)).status).toBe('done');
    const waited = await waitForBounds(runId);
    bounds = waited.bounds;
    expect(waited.seen.at(-1)).toBe('done');
  }, 300_000);

  it('each stage × indicator was a job on the shared solve lanes, as the best-achievable owner', () => {
    expect(owners.filter((o) => o === 'best-achievable')).toHaveLength(6);
    expect(owners.filter((o) => o.startsWith('user:'))).toHaveLength(1);
  });

  it('the run view shows the job done, with every stage × indicator', () => {
    expect(bounds.progress).toEqual({ done: 6, total: 6, county: null });
    expect(bounds.cv).toHaveLength(6);
    for (const c of bounds.cv) {
      expect(Object.keys(c).sort()).toEqual([
        'best_achievable', 'best_achievable_bound', 'best_achievable_note', 'best_achievable_proven', 'county', 'indicator',
        'share_of_achievable', 'stage', 'threshold_reachable',
      ]);
      expect(c.best_achievable).toBeTypeOf('number');
    }
  });

  it('the result report gains the fields on each CV row; the stored report.json stays as hashed', async () => {
    const result = (await get(`/api/runs/${runId}/result`)).json();
    const rows = result.report.indicators.cv as { stage: string; indicator: string; before: { cv: number }; after: { cv: number }; best_achievable: number; share_of_achievable: number | null }[];
    for (const r of rows) {
      const b = bounds.cv.find((c) => c.stage === r.stage && c.indicator === r.indicator)!;
      expect(r.best_achievable).toBe(b.best_achievable);
      expect(r.share_of_achievable).toBe(b.share_of_achievable);
      expect(r.best_achievable).toBeLessThanOrEqual(r.after.cv + 1e-9);
    }
    const junior = rows.find((r) => r.stage === 'junior' && r.indicator === 'peArt') as unknown as { best_achievable_note: string };
    expect(junior.best_achievable_note).toMatch(/^仅靠交流无法降到0\.45：最低可达0\.\d\d$/);
    const stored = (await get(`/api/runs/${runId}/report.json`)).json();
    expect(stored.indicators.cv[0]).not.toHaveProperty('best_achievable');
  });

  it('the workbook 差异系数 sheet has the best achievable, the share and the sentence', async () => {
    const res = await get(`/api/runs/${runId}/workbook.xlsx`);
    const wb = new ExcelJS.Workbook();
    const ab = new ArrayBuffer(res.rawPayload.byteLength);
    new Uint8Array(ab).set(res.rawPayload);
    await wb.xlsx.load(ab);
    const ws = wb.getWorksheet('差异系数')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(-3)).toEqual(['可实现最低差异系数', '达到可实现降幅', '说明']);
    const cells = [...Array(ws.rowCount - 1)].map((_, i) => (ws.getRow(i + 2).values as unknown[]).slice(1));
    expect(cells.every((r) => typeof r[header.length - 3] === 'number')).toBe(true);
    expect(cells.some((r) => String(r[header.length - 1] ?? '').startsWith('仅靠交流无法降到0.45'))).toBe(true);
  });

  it('the comparison\'s CV rows carry each run\'s best achievable and share, as its result does', async () => {
    const datasetId = (await get(`/api/runs/${runId}`)).json().dataset_id as number;
    const other = (await startRun(s, (await createScenario(s, datasetId, { name: '对照方案' })).id)).id;
    expect((await waitForRun(s, other)).status).toBe('done');
    expect((await waitForBounds(other)).bounds.status).toBe('done');
    const res = await get(`/api/comparisons?runs=${runId},${other}`);
    expect(res.statusCode).toBe(200);
    const cmp = res.json() as { cv: { county: string; stage: string; indicator: string; runs: ({ best_achievable: number | null; share_of_achievable: number | null } | null)[] }[] };
    expect(cmp.cv).toHaveLength(6);
    for (const [i, id] of [runId, other].entries()) {
      const rows = (await get(`/api/runs/${id}/result`)).json().report.indicators.cv as { county: string; stage: string; indicator: string; best_achievable: number; share_of_achievable: number | null }[];
      for (const c of cmp.cv) {
        const r = rows.find((x) => x.county === c.county && x.stage === c.stage && x.indicator === c.indicator)!;
        expect(c.runs[i]!.best_achievable).toBe(r.best_achievable);
        expect(c.runs[i]!.best_achievable).toBeTypeOf('number');
        expect(c.runs[i]!.share_of_achievable).toBe(r.share_of_achievable);
      }
    }
    expect(cmp.cv.some((c) => typeof c.runs[0]!.share_of_achievable === 'number')).toBe(true);
  }, 300_000);

  it('deleting the run deletes its job', async () => {
    expect((await s.app.inject({ method: 'DELETE', url: `/api/runs/${runId}`, headers: { cookie: s.cookie.planner } })).statusCode).toBe(204);
    expect((await get(`/api/runs/${runId}`)).statusCode).toBe(404);
  });
});
