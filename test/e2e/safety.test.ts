// What must hold whatever the data and whoever logs in: names from uploaded files render as
// text (never as HTML), the English toggle works and sticks, and roles see only what they may.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, repo, startServer } from './harness.ts';

const EVIL_SCHOOL = '<img src=x onerror=window.__xss=1>';
const EVIL_TEACHER = '<script>window.__xss=2</script>';

let server: Server;
let browser: Browser;
let page: Page;
let runId = 0;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  const api = await apiClient(server.url);
  const read = (f: string) => readFile(repo('data', 'small-county', f), 'utf8');
  const schools = (await read('schools.csv')).replace(/^S001,[^,]*,/m, `S001,${EVIL_SCHOOL},`);
  const teachers = (await read('teachers.csv')).replace(/^(T00001),[^,]*,/m, `$1,${EVIL_TEACHER},`);
  const ds = await api.upload([{ name: 'schools.csv', content: schools }, { name: 'teachers.csv', content: teachers }], EVIL_SCHOOL);
  const scenario = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: EVIL_TEACHER });
  runId = (await api.solve(scenario.id)).id;
  await api.call('POST', '/users', { username: 'planner1', role: 'planner', password: 'planner-once-123' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const xssFired = () => page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);

describe('web app safety', () => {
  it('shows names from uploaded files literally on every page, never as HTML', async () => {
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('schools-table').waitFor();
    expect(await page.getByTestId('school-name').first().textContent()).toBe(EVIL_SCHOOL);
    expect(await page.getByTestId('dataset-picker').locator('option').first().textContent()).toContain(EVIL_SCHOOL);

    await page.goto(`${server.url}/#/data?tab=teachers&q=T00001`);
    await page.getByTestId('teachers-table').waitFor();
    await expect.poll(() => page.getByTestId('teachers-table').locator('tbody tr').first().locator('td').nth(1).textContent()).toBe(EVIL_TEACHER);

    await page.goto(`${server.url}/#/flows?run=${runId}&school=S001`);
    await page.locator('.flow-map').waitFor();
    expect(await page.getByTestId('flow-side').locator('.card-title').first().textContent()).toBe(EVIL_SCHOOL);
    await page.goto(`${server.url}/#/teacher/T00001?run=${runId}`);
    await expect.poll(() => page.locator('.page-header h1').textContent()).toBe(EVIL_TEACHER);
    await page.goto(`${server.url}/#/audit?run=${runId}`);
    await page.getByTestId('trace-table').waitFor();
    expect(await page.getByTestId('trace-table').textContent()).toContain(EVIL_SCHOOL);

    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await xssFired()).toBeNull();
  });

  it('switches to English and keeps the choice after a reload', async () => {
    await page.goto(`${server.url}/#/flows?run=${runId}`);
    await page.locator('.flow-map').waitFor();
    expect(await page.getByTestId('nav-flows').textContent()).toBe('流向');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('nav-flows').textContent()).toBe('Flows');
    expect(await page.locator('.page-header h1').textContent()).toBe('Flows');
    await page.reload();
    await expect.poll(() => page.getByTestId('nav-data').textContent()).toBe('Data');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('nav-data').textContent()).toBe('数据');
  });

  it('cancels a running solve from the scenario page', async () => {
    const api = await apiClient(server.url);
    // The 5,000-teacher sample takes seconds to solve: time enough to press cancel.
    const files = await Promise.all(['schools.csv', 'teachers.csv', 'locks.csv', 'policy.json'].map(async (name) => ({ name, content: await readFile(repo('data', 'sample-county', name), 'utf8') })));
    const ds = await api.upload(files, '澜川县');
    const scenario = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '取消测试' });
    await page.reload();
    await page.getByTestId('dataset-picker').selectOption(String(ds.id));
    await page.goto(`${server.url}/#/scenario?id=${scenario.id}`);
    await page.getByTestId('policy-form').waitFor();
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-cancel').click();
    const ended = page.getByTestId('run-ended');
    await ended.waitFor();
    expect(await ended.getAttribute('data-status')).toBe('cancelled');
    const runs = await api.call<{ items: { status: string }[] }>('GET', `/runs?scenario_id=${scenario.id}`);
    expect(runs.items.map((r) => r.status)).toEqual(['cancelled']);
  });

  it('makes a new planner change the one-time password, then hides what planners may not do', async () => {
    await page.context().clearCookies();
    await page.goto(`${server.url}/#/login`);
    await page.getByTestId('login-user').fill('planner1');
    await page.getByTestId('login-password').fill('planner-once-123');
    await page.getByTestId('login-submit').click();
    await page.locator('input[autocomplete="new-password"]').waitFor();
    await page.locator('input[autocomplete="current-password"]').fill('planner-once-123');
    await page.locator('input[autocomplete="new-password"]').fill('planner-new-4567');
    await page.locator('form button[type="submit"]').click();
    await page.getByTestId('schools-table').waitFor();
    await page.goto(`${server.url}/#/compare`);
    await expect.poll(() => page.locator('main .notice').textContent()).toContain('领导');
    await page.goto(`${server.url}/#/audit?run=${runId}`);
    await page.getByTestId('rules-table').waitFor();
    expect(await page.getByTestId('audit-file').count()).toBe(0);
  });
});
