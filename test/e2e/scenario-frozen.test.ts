// Issue 10 items 11 and 12 in a real headless Chromium on the small county: a rename shows in
// the scenario picker at once; an adopted scenario offers no solve and no save, only 复制为新方案
// (and the copy solves); the teacher page shows the commute to the current and the new school as
// the commute rule measures it, and the run's stay reason in Chinese and in English.
// With SHOTS_DIR set, it also leaves 1440×900 screenshots of the pages there.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanRow, Report } from '../../web/src/api.ts';
import { homeDistanceKm } from '../../solver/policy/county.ts';
import { loadDatasetFrom } from '../../server/contract-files.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, repo, sampleFiles, startServer } from './harness.ts';

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
const ctx = { scenario: 0, run: 0 };

const shot = async (name: string) => { if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png`, fullPage: false }); };
const pickerText = (id: number) => page.getByTestId('scenario-picker').locator(`option[value="${id}"]`).textContent();

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
  const ds = await api.upload(await sampleFiles('small-county'), '鹤川县 2026');
  ctx.scenario = (await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '默认方案' })).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('scenarios: rename and frozen adoption', () => {
  it('a saved rename shows in the scenario picker at once, and on the next visit', async () => {
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/scenario?id=${ctx.scenario}`);
    await page.getByTestId('policy-form').waitFor();
    expect(await pickerText(ctx.scenario)).toBe(`#${ctx.scenario} 默认方案`);
    await page.getByTestId('scenario-name').fill('城乡均衡方案');
    await page.getByTestId('scenario-save').click();
    await expect.poll(() => pickerText(ctx.scenario), { timeout: 60_000 }).toBe(`#${ctx.scenario} 城乡均衡方案`);
    await page.goto(`${server.url}/#/data`);
    await page.goto(`${server.url}/#/scenario?id=${ctx.scenario}`);
    await page.getByTestId('policy-form').waitFor();
    expect(await pickerText(ctx.scenario)).toBe(`#${ctx.scenario} 城乡均衡方案`);
  });

  it('an adopted scenario shows no solve or save button, only 复制为新方案, whose copy can be edited and solved', async () => {
    ctx.run = (await api.solve(ctx.scenario)).id;
    await api.call('POST', `/runs/${ctx.run}/adopt`, {});
    await page.goto(`${server.url}/#/data`);
    await page.goto(`${server.url}/#/scenario?id=${ctx.scenario}`);
    await page.getByTestId('scenario-frozen').waitFor();
    expect(await page.getByTestId('scenario-frozen').textContent()).toContain(`运行 #${ctx.run} 已被采纳，方案已冻结`);
    expect(await page.getByTestId('run-start').count()).toBe(0);
    expect(await page.getByTestId('scenario-save').count()).toBe(0);
    expect(await page.getByTestId('scenario-name').isDisabled()).toBe(true);
    expect(await pickerText(ctx.scenario)).toBe(`#${ctx.scenario} 城乡均衡方案 ★已采纳`);
    await shot('scenario-adopted');
    await page.getByTestId('scenario-copy-new').click();
    await expect.poll(() => new URLSearchParams(page.url().split('?')[1]).get('id'), { timeout: 60_000 }).not.toBe(String(ctx.scenario));
    await page.getByTestId('run-start').waitFor();
    expect(await page.getByTestId('scenario-name').inputValue()).toBe('城乡均衡方案（副本）');
    expect(await page.getByTestId('scenario-frozen').count()).toBe(0);
  });
});

describe('teacher page: commute and stay reason', () => {
  const load = async () => {
    const loaded = await loadDatasetFrom(repo('data', 'small-county'));
    if (!loaded.ok) throw new Error('small county does not load');
    return loaded.dataset;
  };

  it('a teacher who moves: county, and home → current and → new school in km, by the commute rule\'s own distance', async () => {
    const ds = await load();
    const { plan } = await api.call<{ plan: PlanRow[] }>('GET', `/runs/${ctx.run}/result`);
    const row = plan[0]!;
    const t = ds.teachers.find((x) => x.id === row.teacher_id)!;
    const school = (id: string) => ds.schools.find((s) => s.id === id)!;
    await page.goto(`${server.url}/#/teacher/${t.id}?run=${ctx.run}`);
    await page.getByTestId('teacher-move').waitFor();
    expect(await page.getByTestId('teacher-county').textContent()).toBe('鹤川县');
    for (const [testid, to] of [['commute-before', row.from_school_id], ['commute-after', row.to_school_id]] as const) {
      const km = homeDistanceKm(t, school(to))!;
      const cell = page.getByTestId(testid);
      expect(Number(await cell.getAttribute('data-km'))).toBeCloseTo(km, 3);
      expect(await cell.textContent()).toBe(`${km.toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 公里`);
    }
    await shot('teacher-moves');
  });

  it('a teacher who stays: the run\'s stay reason, in Chinese and then in English with the same numbers', async () => {
    const { report } = await api.call<{ report: Report & { stay_reasons: Record<string, string> } }>('GET', `/runs/${ctx.run}/result`);
    // A reason the solver worded (not a planner's lock text), so the English is all the translation's.
    const [id, zh] = Object.entries(report.stay_reasons).find(([, r]) => !r.startsWith('锁定留任'))!;
    await page.goto(`${server.url}/#/teacher/${id}?run=${ctx.run}`);
    const reason = page.getByTestId('teacher-stay-reason');
    await reason.waitFor();
    expect(await reason.textContent()).toBe(zh);
    await page.getByTestId('teacher-commute').waitFor();
    expect(await page.getByTestId('commute-after').count()).toBe(0);
    await shot('teacher-stays');
    await page.getByTestId('lang-toggle').click();
    // The page re-renders in English: wait for the new text rather than read the old one.
    await expect.poll(() => page.getByTestId('teacher-stay-reason').textContent(), { timeout: 60_000 }).not.toBe(zh);
    const english = (await page.getByTestId('teacher-stay-reason').textContent())!;
    expect(english).not.toMatch(/[\u4e00-\u9fff]/);
    expect(english.match(/\d+/g)).toEqual(zh.match(/\d+/g));
    expect(await page.getByTestId('teacher-stay-reason').getAttribute('data-zh')).toBe(zh);
    await shot('teacher-stays-en');
    await page.getByTestId('lang-toggle').click();
  });
});
