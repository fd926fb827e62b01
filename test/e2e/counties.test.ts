// Issue 10 item 6 in a real headless Chromium: one file with three counties (a generated city).
// The county picker on the data page and the compare page narrows every table to the picked
// county — each visible row's county cell is checked — the pick is remembered from one page to
// the next, and the compare page's key figures are the county's own (the API's per-county figures).
// With SHOTS_DIR set, it also leaves 1440×900 screenshots of both pages there.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditDocument, Comparison, Frontier } from '../../web/src/api.ts';
import { generateCity, writeCountyCsv } from '../../data/generate.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, startServer } from './harness.ts';

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
const city = generateCity({ counties: 3, teachersPerCounty: 300, seed: 3 });
const counties = [...new Set(city.schools.map((s) => s.county!))];
const schoolsOf = (county: string) => city.schools.filter((s) => s.county === county);
const ctx = { runs: [] as number[], scenario: 0 };

const shot = async (name: string, scrollTo?: string) => {
  if (!process.env.SHOTS_DIR) return;
  if (scrollTo) await page.getByTestId(scrollTo).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png` });
};
/** The county cell of every row the table shows (its current page). */
const rowCounties = (table: string) => page.getByTestId(table).getByTestId('row-county').allTextContents();

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
  const dir = await mkdtemp(join(tmpdir(), 'lungang-city-'));
  writeCountyCsv(dir, city);
  // A plan in every county: the never-worse switch would leave small generated counties without one.
  const files = await Promise.all((await readdir(dir)).map(async (name) => ({ name, content: await readFile(join(dir, name), 'utf8') })));
  await rm(dir, { recursive: true, force: true });
  const policy = files.find((f) => f.name === 'policy.json')!;
  policy.content = JSON.stringify({ ...JSON.parse(policy.content), indicators: { neverWorse: false } });
  const ds = await api.upload(files, '三县 2026');
  for (const [name, ratios] of [['最低比例', {}], ['上限15%', { maxRotatedShareOfEligible: 0.15 }]] as const) {
    const sc = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name, policy: { ratios } });
    const run = await api.solve(sc.id);
    expect(run.status).toBe('done');
    ctx.runs.push(run.id);
    ctx.scenario = sc.id;
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('several counties in one file', () => {
  it('data page: the picker narrows schools, teachers and counts to the county; a county column shows', async () => {
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('schools-table').locator('tbody tr').first().waitFor();
    // All counties first: every county appears in the county column.
    expect(new Set(await rowCounties('schools-table'))).toEqual(new Set(counties));
    const pick = counties[1]!;
    await page.getByTestId('county-picker').selectOption(pick);
    await expect.poll(() => page.getByTestId('dataset-schools').textContent()).toBe(`${schoolsOf(pick).length}（${pick}）`);
    const shown = await rowCounties('schools-table');
    expect(shown).toHaveLength(Math.min(50, schoolsOf(pick).length));
    expect(shown.every((c) => c === pick)).toBe(true);
    expect(new URLSearchParams(page.url().split('?')[1]).get('county')).toBe(pick);
    await shot('data-3-counties');

    await page.getByTestId('tab-teachers').click();
    await page.getByTestId('teachers-table').locator('tbody tr').first().waitFor();
    const ids = new Set(schoolsOf(pick).map((s) => s.id));
    const teachers = city.teachers.filter((t) => ids.has(t.school_id)).length;
    expect(await page.getByTestId('dataset-teachers').textContent()).toBe(`${teachers}（${pick}）`);
    const teacherRows = await rowCounties('teachers-table');
    expect(teacherRows).toHaveLength(50);
    expect(teacherRows.every((c) => c === pick)).toBe(true);
    await shot('data-3-counties-teachers');
  });

  it('compare page: the remembered county; key figures, CV panels and schools are that county\'s; another pick redraws', async () => {
    const c = await api.call<Comparison>('GET', `/comparisons?runs=${ctx.runs.join(',')}`);
    await page.goto(`${server.url}/#/compare?runs=${ctx.runs.join(',')}`);
    await page.getByTestId('kpi-table').waitFor();
    for (const county of [counties[1]!, counties[2]!]) {
      if (county !== counties[1]) await page.getByTestId('county-picker').selectOption(county);
      // The data page's pick carries over (store.county), then each new pick redraws in place.
      await expect.poll(() => page.getByTestId('county-picker').inputValue()).toBe(county);
      for (const run of c.runs) {
        const own = run.counties.find((x) => x.county === county)!;
        await expect.poll(() => page.locator(`[data-testid="kpi-rotated"] td.val[data-run="${run.run_id}"] .kpi-cell-value`).textContent()).toBe(String(own.rotated));
      }
      const schools = await rowCounties('impact-table');
      expect(schools.length).toBeGreaterThan(0);
      expect(schools.every((x) => x === county)).toBe(true);
      // One panel per stage of the county (not one per county × stage).
      expect(await page.getByTestId('cv-charts').locator('svg.cv-bars').count()).toBe(new Set(c.cv.filter((x) => x.county === county).map((x) => x.stage)).size);
      expect(await page.getByTestId('kpi-needs').count()).toBe(0);
      // The teachers the two runs treat differently: only this county's (their current school is one of its schools).
      const names = new Set(schoolsOf(county).map((s) => s.name));
      await page.getByTestId('diff-table').waitFor();
      await expect.poll(() => page.getByTestId('diff-summary').textContent()).toContain(county);
      const current = await page.getByTestId('diff-table').locator('tbody tr td:nth-child(3)').allTextContents();
      expect(current.every((n) => names.has(n))).toBe(true);
      if (county === counties[1]) {
        for (const [name, at] of [['compare-3-counties', undefined], ['compare-3-counties-kpis', 'kpi-table'], ['compare-3-counties-cv', 'cv-charts'], ['compare-3-counties-schools', 'impact']] as const) await shot(name, at);
      }
    }
    // A drill-down from a CV row lists that county's schools only.
    await page.locator('[data-testid="kpi-table"] [data-drill^="cv:"]').first().click();
    const drilled = await page.getByTestId('drill-table').locator('tbody tr').allTextContents();
    const ids = new Set(schoolsOf(counties[2]!).map((s) => s.id));
    expect(drilled.length).toBeGreaterThan(0);
    for (const row of drilled) expect([...ids].some((id) => row.includes(id))).toBe(true);

    await page.getByTestId('county-picker').selectOption('');
    await expect.poll(async () => new Set(await rowCounties('impact-table')).size).toBeGreaterThan(1);
    expect(await page.getByTestId('kpi-needs').count()).toBe(1);
    expect(await page.locator(`[data-testid="kpi-rotated"] td.val[data-run="${c.runs[0]!.run_id}"] .kpi-cell-value`).textContent()).toBe(String(c.runs[0]!.rotated));
  });

  it('audit page: the picker narrows rules, counts, per-school tables and CVs to the county; the print header names it', async () => {
    const doc = await api.call<AuditDocument>('GET', `/runs/${ctx.runs[0]}/audit`);
    await page.goto(`${server.url}/#/audit?run=${ctx.runs[0]}`);
    await page.getByTestId('outflow-table').waitFor();
    for (const county of [counties[0]!, counties[2]!]) {
      await page.getByTestId('county-picker').selectOption(county);
      await expect.poll(() => page.getByTestId('county-picker').inputValue()).toBe(county);
      const ids = new Set(schoolsOf(county).map((s) => s.id));
      // The page re-renders after the pick (it re-reads the run): wait for the county's trace line.
      await expect.poll(() => page.getByTestId('trace-county').first().textContent()).toContain(county);
      for (const table of ['outflow-table', 'quota-table']) {
        const shown = await page.getByTestId(table).locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-school')!));
        expect(shown.sort()).toEqual([...ids].sort());
      }
      // The county's rules and the plan-wide integrity check, with the API's numbers.
      if (county === counties[0]) { await shot('audit-3-counties'); await shot('audit-3-counties-schools', 'outflow-table'); }
      const rules = doc.rules.filter((r) => r.county === county || r.county === null);
      expect(await page.getByTestId('rules-table').locator('tbody tr').count()).toBe(rules.length);
      const own = doc.counts.per_county.find((c) => c.county === county)!;
      expect(await page.locator('[data-testid="audit-rates"] tr[data-rate="rotation"] td.num').first().textContent()).toBe(String(own.counted_rotated));
      expect(await page.getByTestId('cv-summary').locator('tbody tr').count()).toBe(doc.indicators.cv.filter((x) => x.county === county).length);
    }
    await page.getByTestId('county-picker').selectOption('');
    await expect.poll(() => page.getByTestId('trace-county').count()).toBe(0);
    expect(await page.getByTestId('outflow-table').locator('tbody tr').count()).toBe(city.schools.length);
  });

  it('trade-off page: the curve and table of one county at a time (no "all"), from the shared picker', async () => {
    const started = await api.call<Frontier>('POST', `/scenarios/${ctx.scenario}/frontier`, { shares: [0.15, 0.2], bounds: false });
    let f = started;
    for (const until = Date.now() + 180_000; ['queued', 'running'].includes(f.status) && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 500));
      f = await api.call<Frontier>('GET', `/frontiers/${started.id}`);
    }
    expect(f.status).toBe('done');
    await page.goto(`${server.url}/#/tradeoff?scenario=${ctx.scenario}&frontier=${f.id}`);
    await page.getByTestId('frontier-table').waitFor();
    const picker = page.getByTestId('county-picker');
    // "All counties" was the last pick (compare page): the trade-off shows one county, so the first.
    const order = f.points[0]!.counties.map((c) => c.county);
    expect(await picker.locator('option').allTextContents()).toEqual(order);
    expect(await picker.inputValue()).toBe(order[0]);
    for (const county of [order[0]!, order[2]!]) {
      if (county !== order[0]) await picker.selectOption(county);
      const expected = f.points.map((p) => { const r = p.counties.find((x) => x.county === county)!; return `${r.rotated} / ${r.max_rotated}`; });
      await expect.poll(() => page.getByTestId('frontier-table').locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(expected);
    }
    expect(new URLSearchParams(page.url().split('?')[1]).get('county')).toBe(order[2]);
    await shot('tradeoff-3-counties');
  });
});
