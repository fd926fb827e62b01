// The whole planner → leader → auditor path in a real headless Chromium against the real
// server: import → scenario (with a lock) → run → flows → compare → audit → teacher. Every
// check compares what the page shows with what the API (or the solver's own code) says.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessEligibility } from '../../solver/policy/eligibility.ts';
import type { PlanRow, Report } from '../../web/src/api.ts';
import { loadDatasetFrom } from '../../server/contract-files.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, repo, startServer } from './harness.ts';

const FILES = ['schools.csv', 'teachers.csv', 'preferences.csv', 'locks.csv', 'policy.json'];
const LOCK_REASON = '参加省级骨干教师培训';

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
const ctx = { datasetId: 0, eligibleShown: 0, locked: '', r1: 0, r2: 0 };

const text = async (testid: string) => ((await page.getByTestId(testid).first().textContent()) ?? '').trim();
const kpiValue = async (testid: string) => ((await page.getByTestId(testid).locator('.kpi-value').textContent()) ?? '').trim();
const result = (run: number) => api.call<{ plan: PlanRow[]; report: Report }>('GET', `/runs/${run}/result`);

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

describe('web app, end to end (small county)', () => {
  it('imports the county and shows its schools and teachers as counted by the server', async () => {
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('upload-files').setInputFiles(FILES.map((f) => repo('data', 'small-county', f)));
    await page.getByTestId('upload-name').fill('鹤川县 2026');
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('dataset-schools').waitFor();
    const [ds] = (await api.call<{ items: { id: number; schools: number; teachers: number }[] }>('GET', '/datasets')).items;
    ctx.datasetId = ds!.id;
    expect(await text('dataset-schools')).toBe(String(ds!.schools));
    expect(await text('dataset-teachers')).toBe(String(ds!.teachers));
    await page.getByTestId('schools-table').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('schools-table').locator('tbody tr').count()).toBe(ds!.schools);
  });

  it('lists every bad row of an upload by file, line and column, and imports nothing', async () => {
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('schools-table').waitFor();
    const schools = await readFile(repo('data', 'small-county', 'schools.csv'), 'utf8');
    const teachers = await readFile(repo('data', 'small-county', 'teachers.csv'));
    const bad = schools.replace(/^(S001,[^,]*,primary,)urban,/m, '$1city,');
    await page.getByTestId('upload-files').setInputFiles([
      { name: 'schools.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) }, { name: 'teachers.csv', mimeType: 'text/csv', buffer: teachers }]);
    await page.getByTestId('upload-submit').click();
    const errors = page.getByTestId('upload-errors');
    await errors.waitFor({ timeout: 15_000 });
    const first = await errors.locator('tbody tr').first().locator('td').allTextContents();
    expect(first.slice(0, 3)).toEqual(['schools.csv', '2', 'locale']);
    expect(first[3]).toContain('city');
    expect((await api.call<{ items: unknown[] }>('GET', '/datasets')).items).toHaveLength(1);
  });

  it('lists teachers with the eligibility reason of the solver\'s own rule', async () => {
    await page.goto(`${server.url}/#/data?tab=teachers&elig=eligible`);
    await page.getByTestId('teachers-table').waitFor();
    const loaded = await loadDatasetFrom(repo('data', 'small-county'));
    if (!loaded.ok) throw new Error('small county does not load');
    const { teachers, policy } = loaded.dataset;
    const eligible = teachers.filter((t) => assessEligibility(t, policy).eligible);
    await expect.poll(() => text('teachers-table')).toContain(eligible[0]!.id);
    const count = await page.locator('.filter-count').textContent();
    ctx.eligibleShown = Number(/其中符合交流条件 (\d+) 人/.exec(count ?? '')?.[1]);
    expect(ctx.eligibleShown).toBe(eligible.length);
    const row = page.getByTestId('teachers-table').locator('tbody tr').first();
    expect(await row.locator('td').last().textContent()).toBe(assessEligibility(eligible[0]!, policy).reason);
    // A teacher locked by locks.csv stays; we lock one more eligible teacher on the scenario page.
    const lockedAlready = new Set(loaded.dataset.locks.map((l) => l.teacher_id));
    ctx.locked = eligible.find((t) => !lockedAlready.has(t.id))!.id;
  });

  it('edits the scenario: a lock needs a reason; then solves with a progress bar to a plan', async () => {
    await page.goto(`${server.url}/#/scenario`);
    await page.getByTestId('policy-form').waitFor();
    // The rotation budget in teachers is the server's (the solver's rotationBudget) for this scenario.
    const [scenario] = (await api.call<{ items: { id: number; use_baseline: boolean }[] }>('GET', `/scenarios?dataset_id=${ctx.datasetId}`)).items;
    const budget = await api.call<{ counties: { eligible: number; min_rotated: number; max_rotated: number }[] }>('GET', `/scenarios/${scenario!.id}/budget`);
    const line = page.getByTestId('budget-line').first();
    await line.waitFor();
    const [county] = budget.counties;
    expect([await line.getAttribute('data-min'), await line.getAttribute('data-max')]).toEqual([String(county!.min_rotated), String(county!.max_rotated)]);
    const n = (x: number) => x.toLocaleString('zh-CN');
    expect(await line.textContent()).toContain(`本年度交流 ${n(county!.min_rotated)}–${n(county!.max_rotated)} 人（符合条件 ${n(county!.eligible)} 人 × 10%`);
    expect(county!.eligible).toBe(ctx.eligibleShown);
    expect(await page.getByTestId('use-baseline').isChecked()).toBe(scenario!.use_baseline);
    const rows = await page.locator('[data-testid^="lock-teacher-"]').count();
    expect(rows).toBe(5);
    await page.getByTestId('lock-add').click();
    await page.getByTestId(`lock-teacher-${rows}`).fill(ctx.locked);
    await page.getByTestId(`lock-teacher-${rows}`).press('Tab');
    await page.getByTestId('run-start').click();
    await expect.poll(() => page.locator('.notice-bad').textContent()).toContain('须填写理由');
    await page.getByTestId(`lock-reason-${rows}`).fill(LOCK_REASON);
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-progress').or(page.getByTestId('run-done')).first().waitFor();
    const done = page.getByTestId('run-done');
    await done.waitFor({ timeout: 120_000 });
    ctx.r1 = Number(await done.getAttribute('data-run'));
    const run = await api.call<{ status: string; summary: { rotated: number; eligible: number }; inputs: { locks: { teacher_id: string; reason: string }[] } }>('GET', `/runs/${ctx.r1}`);
    expect(run.status).toBe('done');
    expect(await kpiValue('done-rotated')).toBe(String(run.summary.rotated));
    expect(run.summary.eligible).toBe(ctx.eligibleShown);
    expect(run.inputs.locks).toContainEqual(expect.objectContaining({ teacher_id: ctx.locked, reason: LOCK_REASON }));
  });

  it('draws the flows: totals, top arcs, a school\'s in/out teachers, filters and aggregated views', async () => {
    await page.getByTestId('goto-flows').click();
    await page.locator('.flow-map .school').first().waitFor();
    const { plan } = await result(ctx.r1);
    expect(plan.some((r) => r.teacher_id === ctx.locked)).toBe(false);
    expect(await kpiValue('kpi-moved')).toBe(String(plan.length));
    // Every move is drawn: on an arc between map nodes (schools that overlap merge into one), or inside a node.
    const nodeOf = new Map((await page.locator('.flow-map .school').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id')!, e.getAttribute('data-ids')!] as const)))
      .flatMap(([id, ids]) => ids.split(' ').map((s) => [s, id] as const)));
    const drawn = await page.locator('.flow-map .arc').evaluateAll((els) => els.reduce((a, e) => a + Number(e.getAttribute('data-count')), 0));
    expect(drawn + plan.filter((r) => nodeOf.get(r.from_school_id) === nodeOf.get(r.to_school_id)).length).toBe(plan.length);

    const inflow = new Map<string, number>();
    for (const r of plan) inflow.set(r.to_school_id, (inflow.get(r.to_school_id) ?? 0) + 1);
    const [busiest, n] = [...inflow].sort((a, b) => b[1] - a[1])[0]!;
    // The school's node; a merged node lists its schools first.
    const node = page.locator(`.flow-map .school[data-ids~="${busiest}"]`);
    await node.dispatchEvent('click');
    if (await node.evaluate((e) => e.classList.contains('merged'))) await page.getByTestId('node-schools').locator(`tr[data-id="${busiest}"]`).click();
    await page.getByTestId('school-in').waitFor();
    expect(await text('school-in')).toBe(String(n));
    expect(await page.getByTestId('school-incoming').locator('tbody tr').count()).toBe(n);
    await page.getByTestId('panel-close').click();

    await page.getByTestId('flow-backbone').selectOption('1');
    expect(await kpiValue('kpi-moved')).toBe(String(plan.filter((r) => r.backbone !== 'none').length));
    await page.getByTestId('flow-backbone').selectOption('');

    await page.getByTestId('view-locale').click();
    await page.locator('.sankey').waitFor();
    const labels = await page.locator('.sankey .node-label').allTextContents();
    const total = labels.map((l) => Number(l.split(/\s+/).pop())).reduce((a, b) => a + b, 0);
    expect(total).toBe(2 * plan.length); // every move leaves one locale and enters one
    await page.getByTestId('view-chord').click();
    await page.locator('.chord').waitFor();
  });

  it('compares two runs: KPI lights against the thresholds, CVs and the teachers who differ', async () => {
    await page.goto(`${server.url}/#/scenario`);
    await page.getByTestId('scenario-new').click();
    await page.locator('[data-field="flows.towardRuralOrWeakOnly"]').check();
    await page.getByTestId('run-start').click();
    const done = page.getByTestId('run-done');
    await done.waitFor({ timeout: 120_000 });
    ctx.r2 = Number(await done.getAttribute('data-run'));

    await page.goto(`${server.url}/#/compare`);
    await page.getByTestId(`pick-run-${ctx.r1}`).check();
    await page.getByTestId(`pick-run-${ctx.r2}`).check();
    await page.getByTestId('compare-go').click();
    await page.getByTestId('kpi-table').waitFor();
    for (const id of [ctx.r1, ctx.r2]) {
      const { report } = await result(id);
      const cell = (row: string) => page.locator(`tr[data-testid="${row}"] td[data-run="${id}"] .kpi-cell-value`).textContent();
      expect(await cell('kpi-rotated')).toBe(String(report.counts.rotated));
      expect(await cell('kpi-rotation-rate')).toBe(`${(report.counts.rotation_rate! * 100).toFixed(1)}%`);
      const cv = report.indicators.cv.find((x) => x.stage === 'primary' && x.indicator === 'backbone')!;
      expect(await cell('kpi-cv-primary-backbone')).toBe(cv.after.cv!.toFixed(3));
      const light = await page.locator(`tr[data-testid="kpi-rotation-rate"] td[data-run="${id}"] .light`).getAttribute('class');
      expect(light?.includes('light-ok')).toBe(report.counts.rotation_rate! >= 0.1);
    }
    const diff = await api.call<{ same: number; rows: unknown[] }>('GET', `/comparisons/teachers?a=${ctx.r1}&b=${ctx.r2}`);
    await page.getByTestId('diff-summary').waitFor();
    expect(await text('diff-summary')).toContain(`${diff.same}`);
    expect(await text('diff-summary')).toContain(`${diff.rows.length}`);
    expect(await page.locator('[data-testid="cv-charts"] svg').count()).toBe(2);

    // The leader adopts the first run: confirmed in a dialog, then frozen.
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId(`adopt-${ctx.r1}`).click();
    await expect.poll(() => page.locator('main').textContent()).toContain(`已采纳运行 #${ctx.r1}`);
    expect((await api.call<{ adopted_at: string | null }>('GET', `/runs/${ctx.r1}`)).adopted_at).not.toBeNull();
  });

  it('audits: rule flags and the CV trace match the report; a hand-made plan is checked; XLSX and print', async () => {
    await page.goto(`${server.url}/#/audit?run=${ctx.r1}`);
    await page.getByTestId('rules-table').waitFor();
    const { report } = await result(ctx.r1);
    const shown = await page.$$eval('[data-testid="rules-table"] tbody tr', (trs) => trs.map((t) => [(t as HTMLElement).dataset.rule, (t as HTMLElement).dataset.ok]));
    expect(shown).toEqual(report.rules.map((r) => [r.id, String(r.ok)]));
    await page.getByTestId('trace-stage').selectOption('junior');
    await page.getByTestId('trace-indicator').selectOption('peArt');
    await page.getByTestId('trace-side').selectOption('before');
    const cv = report.indicators.cv.find((x) => x.stage === 'junior' && x.indicator === 'peArt')!;
    expect(await text('trace-cv')).toBe(cv.before.cv!.toFixed(3));

    const planCsv = await (await page.request.get(`${server.url}/api/runs/${ctx.r1}/plan.csv`)).text();
    const handMade = planCsv.trim().split('\n').slice(0, 3).join('\n');
    await page.getByTestId('audit-file').setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(handMade) });
    await page.getByTestId('audit-submit').click();
    const hand = page.getByTestId('hand-rules-table');
    await hand.waitFor();
    expect(await hand.locator('tr[data-rule="rotation_share"]').getAttribute('data-ok')).toBe('false');
    expect(await hand.locator('tr[data-rule="plan_integrity"]').getAttribute('data-ok')).toBe('true');
    expect(await text('audit-upload-result')).toContain('未通过');
    // The hand plan's view has no run buttons (test/e2e/audit.test.ts); back to the run for its own.
    await page.getByTestId('back-to-run').click();
    await page.getByTestId('rules-table').waitFor();

    const xlsx = await page.request.get(`${server.url}${await page.getByTestId('export-xlsx').getAttribute('href')}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.locator('.print-head').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('explains one teacher: where the plan sends them and why, or why they stay', async () => {
    const { plan } = await result(ctx.r1);
    const moved = plan[0]!;
    await page.goto(`${server.url}/#/teacher/${moved.teacher_id}?run=${ctx.r1}`);
    await page.getByTestId('teacher-move').waitFor();
    expect(await text('teacher-reason')).toBe(moved.reason);
    await page.goto(`${server.url}/#/teacher/${ctx.locked}?run=${ctx.r1}`);
    await page.getByTestId('teacher-stays').waitFor();
    expect(await text('teacher-stay-reason')).toBe(`锁定留任：${LOCK_REASON}`);
    expect(await text('teacher-eligibility')).toMatch(/^本校任教\d+年≥6；/);
  });
});
