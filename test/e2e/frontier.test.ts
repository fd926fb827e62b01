// The trade-off page in a real headless Chromium against the real server (small county): a
// planner computes a scenario's frontier, the chart and the table show the numbers of the API,
// and a point picked in the chart is saved as a scenario with that rotation cap.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frontier, Scenario } from '../../web/src/api.ts';
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

describe('trade-off page, end to end (small county)', () => {
  let scenarioId = 0;
  let frontier: Frontier;

  it('computes the frontier of a scenario with progress, then draws every CV against the cap with the API\'s numbers', async () => {
    const ds = await api.upload(await Promise.all(FILES.map(async (name) => ({ name, content: await readFile(repo('data', 'small-county', name), 'utf8') }))), '鹤川县 2026');
    scenarioId = (await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '默认方案' })).id;
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/tradeoff?scenario=${scenarioId}`);
    await page.getByTestId('frontier-start').click();
    await page.getByTestId('frontier-progress').or(page.getByTestId('frontier-ended')).first().waitFor();
    await page.getByTestId('frontier-ended').waitFor({ timeout: 300_000 });
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
      expect(await chart.locator(`.commute-pt[data-index="${p.index}"]`).getAttribute('data-value')).toBe(String(row.commute_km_total));
      expect(await chart.locator(`.needs-bar[data-index="${p.index}"]`).getAttribute('data-value')).toBe(String(row.needs_unfilled_before - row.needs_unfilled!));
      // The table's row of the point: rotated / cap and the primary backbone CV as the API has them.
      const cells = await page.getByTestId('frontier-table').locator('tbody tr').nth(p.index).locator('td').allTextContents();
      expect(cells[0]).toBe(`${Number((p.share * 100).toFixed(1))}%`);
      expect(cells[1]).toBe(`${row.rotated} / ${row.max_rotated}`);
      expect(cells[4]).toBe(row.cv_primary_backbone!.toFixed(3));
    }
  });

  it('picks a point in the chart and saves it as a scenario with that cap', async () => {
    const point = frontier.points[2]!;
    await page.locator(`.cv-pt[data-series="junior-backbone"][data-index="2"]`).click();
    const detail = page.getByTestId('point-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-share')).toBe(String(point.share));
    expect(await page.getByTestId('point-cv-junior-backbone').textContent()).toContain(point.counties[0]!.cv_junior_backbone!.toFixed(3));
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
  });
});
