// The 编制岗位 page in a real headless Chromium against the real server (issue 12 item 1): the
// sample county's totals and rows as the API gives them, the filter, posts.csv, 采用为学科需求 as
// computed (a new dataset with posts.csv) and an edited file with errors refused by file, line and
// column with nothing stored; then the whole page in English. With SHOTS_DIR set it leaves
// screenshots of the page in Chinese and English there.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, Posts } from '../../web/src/api.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, sampleFiles, startServer } from './harness.ts';

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
let scenarioId = 0;
let originalDataset = 0;
let posts: Posts;
const SHOTS = process.env.SHOTS_DIR;
const zh = (n: number) => n.toLocaleString('zh-CN');

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
  const ds = await api.upload(await sampleFiles('sample-county'), '鹤川县 2026');
  originalDataset = ds.id;
  scenarioId = (await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '编制方案' })).id;
  posts = await api.call<Posts>('GET', `/scenarios/${scenarioId}/posts`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The rows of the table's current page as shown: school code, stage, subject and the four numbers. */
const shownRows = () => page.getByTestId('posts-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
  const td = Array.from(tr.querySelectorAll('td')).map((c) => (c.textContent ?? '').trim());
  // Counted from the end: a county column comes in after the school when the file has several.
  const [posts, senior, first, second, rule] = td.slice(-5);
  return { school_id: td[0]!.split(' ')[0]!, posts, senior, first, second, rule };
}));
const expectedRows = (rows: Posts['rows']) => rows.map((r) => ({ school_id: r.school_id, posts: zh(r.posts), senior: zh(r.senior), first: zh(r.first), second: zh(r.second), rule: r.rule }));

describe('编制岗位 page, end to end (sample county)', () => {
  it('shows each county\'s totals and the rows as the API gives them; the filter narrows to one school', async () => {
    await loginUi(page, server.url);
    await page.getByTestId('nav-posts').click();
    await page.getByTestId('posts-totals').waitFor();
    for (const c of posts.counties) {
      const row = page.getByTestId('posts-totals').locator(`tr[data-county="${c.county}"]`);
      await expect(row.locator('[data-k="quota"]').textContent()).resolves.toBe(zh(c.quota));
      const g = c.stages.primary;
      await expect(row.locator('[data-k="primary"]').textContent()).resolves.toBe(`${zh(g.posts)}（高级 ${zh(g.senior)} / 一级 ${zh(g.first)} / 二级 ${zh(g.second)}）`);
      await expect(row.locator('[data-k="floored"]').textContent()).resolves.toBe(`${zh(c.floored.schools)} 所 ${zh(c.floored.posts)} 人`);
    }
    // The rows add up to the totals the page shows.
    expect(posts.rows.reduce((a, r) => a + r.posts, 0)).toBe(posts.counties.reduce((a, c) => a + c.quota, 0));
    await expect(page.getByTestId('posts-table').textContent()).resolves.toContain(`共 ${zh(posts.rows.length)} 行`);
    expect(await shownRows()).toEqual(expectedRows(posts.rows.slice(0, 25)));

    const school = posts.rows.find((r) => r.rule.includes('乡村小规模学校保底'))?.school_id ?? posts.rows[0]!.school_id;
    await page.getByTestId('posts-filter').fill(school);
    const mine = posts.rows.filter((r) => r.school_id.includes(school));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="posts-table"] tbody tr').length === n, Math.min(25, mine.length));
    expect(await shownRows()).toEqual(expectedRows(mine.slice(0, 25)));
    await page.getByTestId('posts-filter').fill('');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'posts-zh.png'), fullPage: true });
  }, 120_000);

  it("per school: each school's rows summed, the floored small rural schools marked", async () => {
    await page.getByTestId('posts-view-schools').click();
    const table = page.getByTestId('posts-schools');
    await table.waitFor();
    const ids = [...new Set(posts.rows.map((r) => r.school_id))];
    await expect(table.textContent()).resolves.toContain(`共 ${zh(ids.length)} 行`);
    const floored = posts.rows.find((r) => r.floored)!.school_id;
    await page.getByTestId('posts-filter').fill(floored);
    const row = table.locator('tbody tr').filter({ hasText: `${floored} ` }).first();
    const mine = posts.rows.filter((r) => r.school_id === floored);
    const cells = await row.locator('td').allTextContents();
    expect(cells).toEqual(expect.arrayContaining([zh(mine.reduce((a, r) => a + r.posts, 0)), zh(mine.reduce((a, r) => a + r.senior, 0)), '乡村小规模学校保底']));
    if (SHOTS) {
      await page.getByTestId('posts-filter').fill('');
      await page.screenshot({ path: join(SHOTS, 'posts-schools-zh.png'), fullPage: true });
    }
    await page.getByTestId('posts-view-subjects').click();
    await page.getByTestId('posts-table').waitFor();
  }, 60_000);

  it('downloads the posts.csv the API serves', async () => {
    const href = await page.getByTestId('posts-download').getAttribute('href');
    expect(href).toBe(`/api/scenarios/${scenarioId}/posts.csv`);
    const csv = await page.evaluate((url) => fetch(url).then((r) => r.text()), href!);
    expect(csv.trimEnd().split('\n')).toHaveLength(posts.rows.length + 1);
    expect(csv.split('\n')[0]).toBe('school_id,stage,subject,posts,senior,first,second,rule');
  });

  it('采用为学科需求 as computed: a new dataset with posts.csv and the scenario copied onto it', async () => {
    await page.getByTestId('posts-as-needs').click();
    const done = page.locator('[data-testid="posts-as-needs-result"] [data-dataset]');
    await done.waitFor({ timeout: 120_000 });
    const datasetId = Number(await done.getAttribute('data-dataset'));
    const newScenario = Number(await done.getAttribute('data-scenario'));
    const ds = await api.call<Dataset>('GET', `/datasets/${datasetId}`);
    expect(ds.files.map((f) => f.name)).toContain('posts.csv');
    expect((await api.call<{ dataset_id: number }>('GET', `/scenarios/${newScenario}`)).dataset_id).toBe(datasetId);
    // Its posts.csv is the one the page showed.
    expect(await api.call<Posts>('GET', `/scenarios/${newScenario}/posts`).then((p) => p.rows)).toEqual(posts.rows);

    // 打开新方案 opens the copy on the new dataset, ready to run; then back to the original.
    await page.getByTestId('posts-open-scenario').click();
    await page.getByTestId('policy-form').waitFor();
    expect(await page.getByTestId('dataset-picker').inputValue()).toBe(String(datasetId));
    expect(await page.getByTestId('scenario-picker').inputValue()).toBe(String(newScenario));
    await page.getByTestId('dataset-picker').selectOption(String(originalDataset));
    await page.getByTestId('nav-posts').click();
    await page.locator('[data-testid="posts-scenario"]').waitFor();
    expect(await page.getByTestId('posts-scenario').inputValue()).toBe(String(scenarioId));
  }, 120_000);

  it('refuses an edited posts.csv with errors by file, line and column, and stores nothing', async () => {
    const before = (await api.call<{ items: unknown[] }>('GET', '/datasets')).items.length;
    const csv = await page.evaluate((id) => fetch(`/api/scenarios/${id}/posts.csv`).then((r) => r.text()), scenarioId);
    const lines = csv.trimEnd().split('\n');
    const bad = [lines[0], lines[1]!.replace(/^([^,]*),([^,]*),([^,]*),\d+/, '$1,$2,$3,-1'), ...lines.slice(2)].join('\n');
    await page.getByTestId('posts-file').setInputFiles({ name: 'posts.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByTestId('posts-upload').click();
    const errors = page.getByTestId('upload-errors');
    await errors.waitFor({ timeout: 120_000 });
    expect(await errors.locator('tbody tr').first().locator('td').allTextContents()).toEqual(expect.arrayContaining(['posts.csv', '2', 'posts']));
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'posts-errors-zh.png'), fullPage: false });
    expect((await api.call<{ items: unknown[] }>('GET', '/datasets')).items.length).toBe(before);
  }, 120_000);

  it('reads completely in English', async () => {
    await page.getByTestId('lang-toggle').click();
    await page.locator('h1', { hasText: 'Posts' }).waitFor();
    await page.getByTestId('posts-totals').waitFor();
    const c = posts.counties[0]!;
    await expect(page.getByTestId('posts-totals').locator('[data-k="floored"]').first().textContent())
      .resolves.toBe(`${c.floored.schools.toLocaleString('en-US')} schools, ${c.floored.posts.toLocaleString('en-US')} posts`);
    // Every text of the page but school and county names (from the uploaded files) is English.
    const text = await page.locator('main').evaluate((main) => {
      const clone = main.cloneNode(true) as HTMLElement;
      for (const el of Array.from(clone.querySelectorAll('[data-testid="posts-table"] tbody td:first-child, [data-testid="posts-totals"] tbody td:first-child, select'))) el.remove();
      return clone.textContent ?? '';
    });
    expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    // The longer English tabs (one more with this page) still fit: the page never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expect(page.getByTestId('posts-table').locator('tbody tr').first().locator('td').last().textContent()).resolves.toBe(posts.rows[0]!.rule_en);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'posts-en.png'), fullPage: true });
    await page.getByTestId('lang-toggle').click();
  }, 60_000);
});
