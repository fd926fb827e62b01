// Issue 8's path in a real headless Chromium against the real server (small county): a planner
// computes a scenario's frontier, the chart and the table show the numbers of the API, a point
// picked in the chart is saved as a scenario with that rotation cap and solved; the leader then
// compares it with the default scenario (the assumptions block lists the differing upper share)
// and exports the comparison as XLSX, whose sheets hold the numbers of the API.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, Frontier, Scenario } from '../../web/src/api.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, repo, startServer } from './harness.ts';

const FILES = ['schools.csv', 'teachers.csv', 'preferences.csv', 'locks.csv', 'policy.json'];
const PAIRS = ['primary', 'junior'].flatMap((stage) => ['aboveDegree', 'backbone', 'peArt'].map((indicator) => `${stage}-${indicator}`));

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// Generous limits: the frontier (5 plans) and two solves share one worker on a loaded 2-core machine.
const SOLVE_MS = 900_000;

const cellText = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('trade-off page, end to end (small county)', () => {
  let scenarioId = 0;
  let savedId = 0;
  let frontier: Frontier;
  const runs = { base: 0, saved: 0 };

  it('computes the frontier of a scenario with progress, then draws every CV against the cap with the API\'s numbers', async () => {
    const ds = await api.upload(await Promise.all(FILES.map(async (name) => ({ name, content: await readFile(repo('data', 'small-county', name), 'utf8') }))), '鹤川县 2026');
    scenarioId = (await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '默认方案' })).id;
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/tradeoff?scenario=${scenarioId}`);
    await page.getByTestId('frontier-start').click();
    await page.getByTestId('frontier-progress').or(page.getByTestId('frontier-ended')).first().waitFor();
    await page.getByTestId('frontier-ended').waitFor({ timeout: SOLVE_MS });
    const [latest] = (await api.call<{ items: Frontier[] }>('GET', `/frontiers?scenario_id=${scenarioId}`)).items;
    frontier = latest!;
    expect(frontier.status).toBe('done');
    expect(frontier.points).toHaveLength(5);

    const chart = page.getByTestId('frontier-chart');
    // The thresholds: 0.50 primary, 0.45 junior, as dashed lines with their labels.
    expect(await chart.locator('.threshold').count()).toBe(2);
    expect(await chart.locator('.threshold-label').allTextContents()).toEqual(['阈值 0.50', '阈值 0.45']);
    for (const p of frontier.points) {
      const row = p.counties[0]!;
      for (const key of PAIRS) {
        const [stage, indicator] = key.split('-');
        const value = row[`cv_${stage}_${indicator}` as keyof typeof row];
        expect(await chart.locator(`.cv-pt[data-series="${key}"][data-index="${p.index}"]`).getAttribute('data-value'), `${key} @ ${p.share}`).toBe(String(value));
      }
      // The dotted best-achievable line: one point per stage × indicator, the API's value (the bounds phase ran).
      expect(p.best, `best @ ${p.share}`).toHaveLength(6);
      for (const b of p.best!) {
        const dot = chart.locator(`.best-pt[data-series="${b.stage}-${b.indicator}"][data-index="${p.index}"]`);
        expect(await dot.getAttribute('data-value')).toBe(String(b.best_achievable));
      }
      expect(await chart.locator(`.commute-pt[data-index="${p.index}"]`).getAttribute('data-value')).toBe(String(row.commute_km_total));
      expect(await chart.locator(`.needs-bar[data-index="${p.index}"]`).getAttribute('data-value')).toBe(String(row.needs_unfilled_before - row.needs_unfilled!));
      // The table's row of the point: rotated / cap and the primary backbone CV as the API has them.
      const cells = await page.getByTestId('frontier-table').locator('tbody tr').nth(p.index).locator('td').allTextContents();
      expect(cells[0]).toBe(`${Number((p.share * 100).toFixed(1))}%`);
      expect(cells[1]).toBe(`${row.rotated} / ${row.max_rotated}`);
      expect(cells[4]).toBe(row.cv_primary_backbone!.toFixed(3));
    }
  }, SOLVE_MS + 60_000);

  it('picks a point in the chart and saves it as a scenario with that cap', async () => {
    const point = frontier.points[2]!;
    await page.locator(`.cv-pt[data-series="junior-backbone"][data-index="2"]`).click();
    const detail = page.getByTestId('point-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-share')).toBe(String(point.share));
    expect(await page.getByTestId('point-cv-junior-backbone').textContent()).toContain(point.counties[0]!.cv_junior_backbone!.toFixed(3));
    // Under the CV: the lowest any plan could reach at this cap, and the plan's share of that reduction.
    const best = point.best!.find((b) => b.stage === 'junior' && b.indicator === 'backbone')!;
    const note = page.getByTestId('point-best-junior-backbone');
    expect(await note.getAttribute('data-value')).toBe(String(best.best_achievable));
    expect(await note.textContent()).toContain(`最低 ${best.best_achievable!.toFixed(3)}`);
    expect(await note.getAttribute('title')).toContain(`最低可达 ${best.best_achievable!.toFixed(3)}`);
    await page.getByTestId('save-point').click();
    const link = page.getByTestId('saved-scenario');
    await link.waitFor();
    const saved = await api.call<Scenario>('GET', `/scenarios/${await link.getAttribute('data-id')}`);
    expect(saved.name).toBe('交流上限15%');
    expect(saved.policy.ratios.maxRotatedShareOfEligible).toBe(point.share);
    // The saved scenario opens on the scenario page, its budget the point's cap.
    await link.click();
    const line = page.getByTestId('budget-line').first();
    await line.waitFor();
    expect(await line.getAttribute('data-max')).toBe(String(point.counties[0]!.max_rotated));
    savedId = saved.id;
  });

  it('solves the default scenario and the saved point; the leader compares them and sees the differing upper share', async () => {
    expect(savedId).toBeGreaterThan(0);
    // The default scenario through the API first (the lower run id: the comparison's first column) …
    runs.base = (await api.solve(scenarioId, SOLVE_MS)).id;
    expect((await api.call<{ status: string }>('GET', `/runs/${runs.base}`)).status).toBe('done');
    // … then the saved point on its scenario page, where the last step left the browser.
    await page.getByTestId('policy-form').waitFor();
    await page.getByTestId('run-start').click();
    const done = page.getByTestId('run-done');
    await done.waitFor({ timeout: SOLVE_MS });
    runs.saved = Number(await done.getAttribute('data-run'));
    expect(runs.saved).toBeGreaterThan(runs.base);
    expect((await api.call<{ status: string; scenario_id: number }>('GET', `/runs/${runs.saved}`))).toMatchObject({ status: 'done', scenario_id: savedId });

    await page.goto(`${server.url}/#/compare`);
    await page.getByTestId(`pick-run-${runs.base}`).check();
    await page.getByTestId(`pick-run-${runs.saved}`).check();
    await page.getByTestId('compare-go').click();
    await page.getByTestId('kpi-table').waitFor();
    const share = page.locator('[data-testid="assumptions"] tr[data-path="ratios.maxRotatedShareOfEligible"] td');
    await share.first().waitFor();
    expect((await share.allTextContents()).map((t) => t.trim())).toEqual(['政策参数', '交流人数上限（空 = 只交流最低人数）', '最低人数', '15%']);
    expect(await page.locator('[data-testid="assumptions"] tbody tr').count()).toBe(1);

    // Each run is held to its own requirement: the saved point to the frontier point's cap.
    const point = frontier.points[2]!.counties[0]!;
    const c = await api.call<Comparison>('GET', `/comparisons?runs=${runs.base},${runs.saved}`);
    expect(c.runs.map((r) => r.run_id)).toEqual([runs.base, runs.saved]);
    expect(c.runs[1]!.requirements.max_rotated).toBe(point.max_rotated);
    expect(await cellText(`tr[data-testid="kpi-rotation-rate"] td.req[data-run="${runs.saved}"]`)).toBe('≥ 10%，≤ 15%');
    for (const r of c.runs) {
      expect(await cellText(`tr[data-testid="kpi-rotated"] td.val[data-run="${r.run_id}"] .kpi-cell-value`)).toBe(String(r.rotated));
      expect(r.rotated).toBeLessThanOrEqual(r.requirements.max_rotated);
    }
  }, 2 * SOLVE_MS + 60_000);

  it('exports the comparison as XLSX: the sheets hold the numbers of the API', async () => {
    const xlsx = page.getByTestId('compare-xlsx');
    await xlsx.waitFor();
    const res = await page.request.get(`${server.url}${await xlsx.getAttribute('href')}`, { timeout: 120_000 });
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.body()).buffer);
    const c = await api.call<Comparison>('GET', `/comparisons?runs=${runs.base},${runs.saved}`);
    const assumptions = wb.getWorksheet('假设对比')!;
    expect((assumptions.getRow(2).values as unknown[]).slice(1)).toEqual(['政策参数', '交流人数上限（空 = 只交流最低人数）', '最低人数', '15%']);
    const overview = wb.getWorksheet('比较概览')!;
    const row = (label: string) => overview.getRows(2, overview.rowCount - 1)!.find((r) => r.getCell(1).value === label)!;
    c.runs.forEach((r, i) => {
      expect(row('交流人数').getCell(4 + 3 * i).value).toBe(r.rotated);
      expect(row('交流比例（占符合条件）').getCell(3 + 3 * i).value).toBe(i === 0 ? '≥ 10%（上限空 = 最低人数）' : '≥ 10%，≤ 15%');
    });
    for (const [label, stage] of [['小学县级以上骨干教师差异系数', 'primary'], ['初中县级以上骨干教师差异系数', 'junior']] as const) {
      const cv = c.cv.find((x) => x.stage === stage && x.indicator === 'backbone')!;
      c.runs.forEach((_, i) => {
        expect(row(label).getCell(4 + 3 * i).value).toBeCloseTo(cv.runs[i]!.after!, 4);
        expect(row(label).getCell(5 + 3 * i).value).toBeCloseTo(cv.runs[i]!.after! - cv.runs[i]!.before!, 4);
      });
    }
  }, 180_000);
});
