// The auditor's record in a real headless Chromium against the real server: a run's audit, then a
// failing hand-made plan uploaded on the audit page, printed (page.pdf, read back with pdftotext)
// and exported (the page's XLSX button, read back with exceljs). What the paper and the workbook
// say is checked against the API: the failing rule with its numbers, the hand plan's own hash on
// every printed page (never a run's result hash), and every school's outflow and quota row.
// Screenshots of both views in both languages, and of the printed pages, go to /tmp/shots-audit/.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditDocument } from '../../web/src/api.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, sampleFiles, startServer } from './harness.ts';

const SHOTS = '/tmp/shots-audit';
const run = promisify(execFile);

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
const ctx = { datasetId: 0, scenarioId: 0, runId: 0, resultHash: '', handPlan: '', handHash: '', runDoc: null as AuditDocument | null, handDoc: null as AuditDocument | null };

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const squash = (s: string) => s.replace(/\s+/g, '');

/** The page printed as the browser prints it; its text page by page (pdftotext), and a PNG of each page to look at. */
async function printed(name: string): Promise<string[]> {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const file = `${SHOTS}/${name}.pdf`;
  await writeFile(file, pdf);
  await run('pdftoppm', ['-png', '-r', '60', file, `${SHOTS}/${name}-page`]);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout.split('\f').filter((p) => p.trim() !== '');
}

/** The whole page, and the first screen (1440×900) as the auditor first sees it. */
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}-top.png` });
}

/** Every row of a per-school table as [school id, …numbers, pass] for comparison with the API. */
async function schoolRows(testid: string): Promise<string[][]> {
  return page.$$eval(`[data-testid="${testid}"] tbody tr`, (trs) => trs.map((tr) =>
    [(tr as HTMLElement).dataset.school!, ...Array.from(tr.querySelectorAll('td.num')).map((td) => td.textContent!.replace(/[,*]/g, '')), (tr as HTMLElement).dataset.ok!]));
}

function expectSchoolTables(rows: { outflow: string[][]; quota: string[][] }, doc: AuditDocument): void {
  const s = doc.counts.per_school;
  expect(rows.outflow).toEqual(s.map((x) => [x.school_id, String(x.teachers_before), String(x.outflow), String(x.outflow_cap), String(x.outflow_ok)]));
  expect(rows.quota).toEqual(s.map((x) => [x.school_id, ...[x.teachers_before, x.outflow, x.inflow, x.teachers_after, x.quota, x.quota_limit, x.quota_excess].map(String), String(x.quota_ok)]));
}

async function sheet(wb: ExcelJS.Workbook, name: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  wb.getWorksheet(name)!.eachRow((row) => { rows.push((row.values as unknown[]).slice(1)); });
  return rows;
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await startServer();
  api = await apiClient(server.url);
  const files = (await sampleFiles('small-county')).map((f) => (f.name === 'policy.json' ? { ...f, content: JSON.stringify({ ...JSON.parse(f.content), solver: { timeLimitSeconds: 20 } }) } : f));
  const ds = await api.upload(files, '鹤川县 2026');
  const scenario = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '基准方案' });
  const r = await api.solve(scenario.id);
  expect(r.status).toBe('done');
  ctx.runId = r.id;
  ctx.resultHash = (await api.call<{ result_hash: string }>('GET', `/runs/${r.id}`)).result_hash;
  ctx.runDoc = await api.call<AuditDocument>('GET', `/runs/${r.id}/audit`);
  ctx.datasetId = ds.id;
  ctx.scenarioId = scenario.id;
  browser = await launchBrowser();
  page = browser.page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the audit page, run view', () => {
  it('shows every school\'s outflow-cap and quota row with the API\'s numbers, moves by kind and both rotation rates', async () => {
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/audit?run=${ctx.runId}`);
    await page.getByTestId('outflow-table').waitFor();
    const doc = ctx.runDoc!;
    expectSchoolTables({ outflow: await schoolRows('outflow-table'), quota: await schoolRows('quota-table') }, doc);
    const modes = await page.$$eval('[data-testid="audit-modes"] tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.mode));
    expect(modes).toEqual(['transfer', 'support', 'itinerant', 'shadow']);
    const rates = await page.$$eval('[data-testid="audit-rates"] tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td.num')).map((td) => td.textContent)));
    expect(rates[0]!.slice(0, 2)).toEqual([String(doc.counts.counted_rotated), String(doc.counts.eligible)]);
    expect(rates[1]!.slice(0, 2)).toEqual([String(doc.counts.transfers), String(doc.counts.on_establishment)]);
    // Per-school rules are no longer “—/—”: failing schools over all schools.
    const outflowRule = await page.locator('[data-testid="rules-table"] tr[data-rule="outflow_cap"] td.num').allTextContents();
    expect(outflowRule).toEqual(['0', String(doc.counts.per_school.length)]);
    await shot('run-zh');
  });

  it('prints the run with its result hash on every page', async () => {
    const pages = await printed('print-run-zh');
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(squash(p)).toContain(ctx.resultHash);
  });
});

describe('a failing hand-made plan, uploaded, printed and exported', () => {
  it('switches the whole view to the hand plan: banner with its hash, no run buttons', async () => {
    const planCsv = await (await page.request.get(`${server.url}/api/runs/${ctx.runId}/plan.csv`)).text();
    ctx.handPlan = `${planCsv.trim().split('\n').slice(0, 3).join('\n')}\n`;
    ctx.handHash = sha256(ctx.handPlan);
    await page.getByTestId('audit-file').setInputFiles({ name: 'hand-plan.csv', mimeType: 'text/csv', buffer: Buffer.from(ctx.handPlan) });
    await page.getByTestId('audit-submit').click();
    await page.getByTestId('hand-banner').waitFor();
    expect(await page.getByTestId('hand-banner').textContent()).toContain(`正在查看：手工方案 hand-plan.csv（校验码 ${ctx.handHash.slice(0, 16)}…）`);
    expect(await page.getByTestId('export-xlsx').count()).toBe(0);
    expect(await page.getByTestId('hand-rules-table').locator('tr[data-rule="rotation_share"]').getAttribute('data-ok')).toBe('false');
    // The same upload through the API: the document the page shows.
    const form = new FormData();
    form.append('dataset_id', String(ctx.datasetId));
    form.append('scenario_id', String(ctx.scenarioId));
    form.append('plan', new Blob([ctx.handPlan]), 'hand-plan.csv');
    ctx.handDoc = await api.call<AuditDocument>('POST', '/audits', form);
    expect(ctx.handDoc.trace.plan_hash).toBe(ctx.handHash);
    expectSchoolTables({ outflow: await schoolRows('outflow-table'), quota: await schoolRows('quota-table') }, ctx.handDoc);
    await shot('hand-zh');
  });

  it('prints the hand plan: the failing rule with its numbers, its hash on every page, never a run\'s result hash, every school', async () => {
    const doc = ctx.handDoc!;
    const pages = await printed('print-hand-zh');
    const all = squash(pages.join('\n'));
    for (const p of pages) expect(squash(p), 'every page states the plan file hash').toContain(ctx.handHash);
    expect(all).not.toContain(ctx.resultHash);
    expect(all).toContain(squash('教师交流轮岗方案审计报告（手工方案）'));
    const rotation = doc.rules.find((r) => r.id === 'rotation_share')!;
    expect(rotation.ok).toBe(false);
    // The rule's row as printed: numerator, denominator, requirement, actual value, verdict.
    expect(all).toContain(squash(`${rotation.numerator}${rotation.denominator}${rotation.required}${rotation.actual}不通过`));
    // Chinese only: no rule ids or policy keys on the Chinese paper (the hashes are hex, the file name is the user's).
    expect(all.replaceAll('hand-plan.csv', '')).not.toMatch(/[a-z]+_[a-z]+|[a-z]+\.[a-z][A-Za-z]+/);
    for (const s of doc.counts.per_school) expect(all.split(s.school_id).length - 1, s.school_id).toBeGreaterThanOrEqual(2);
  });

  it('exports the hand plan\'s workbook from the page: the failing rule with numerator and denominator, its hash, every school', async () => {
    const doc = ctx.handDoc!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx-hand').click()]);
    const path = `${SHOTS}/hand-plan-audit.xlsx`;
    await download.saveAs(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(path)).buffer as ArrayBuffer);
    const rules = await sheet(wb, '规则检查');
    const rotation = rules.find((r) => r[1] === 'rotation_share')!;
    const json = doc.rules.find((r) => r.id === 'rotation_share')!;
    expect(rotation.slice(3, 8)).toEqual([json.numerator, json.denominator, json.required, json.actual, '不通过']);
    const trace = Object.fromEntries((await sheet(wb, '审核信息')).map((r) => [r[0], r[1]]));
    expect(trace['方案文件校验码（SHA-256）']).toBe(ctx.handHash);
    expect(JSON.stringify(await Promise.all(wb.worksheets.map((w) => sheet(wb, w.name))))).not.toContain(ctx.resultHash);
    const outflow = await sheet(wb, '每校流出上限');
    expect(outflow.slice(1).map((r) => [r[1], r[3], r[4], r[5], r[6]])).toEqual(doc.counts.per_school.map((s) => [s.school_id, s.teachers_before, s.outflow, s.outflow_cap, s.outflow_ok ? '通过' : '不通过']));
    const quota = await sheet(wb, '每校编制');
    expect(quota.slice(1).map((r) => [r[1], r[6], r[7], r[9], r[10]])).toEqual(doc.counts.per_school.map((s) => [s.school_id, s.teachers_after, s.quota, s.quota_limit, s.quota_excess]));
  });

  it('in English: the rules read in English with the run\'s thresholds, on screen and on paper', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('hand-banner').textContent()).toContain('Now viewing: hand-made plan hand-plan.csv');
    const rotation = ctx.handDoc!.rules.find((r) => r.id === 'rotation_share')!;
    const row = page.getByTestId('hand-rules-table').locator('tr[data-rule="rotation_share"]');
    expect(await row.textContent()).toContain(rotation.required_en);
    expect(rotation.required_en).toContain('10%');
    await shot('hand-en');
    const pages = await printed('print-hand-en');
    for (const p of pages) expect(squash(p)).toContain(ctx.handHash);
    // The rule's requirement and its actual value on one printed page (text order within a row follows the page layout).
    const rulePage = pages.map(squash).find((p) => p.includes(squash(rotation.required_en)));
    expect(rulePage).toContain(squash(rotation.actual_en));
    await page.getByTestId('back-to-run').click();
    await page.getByTestId('rules-table').waitFor();
    expect(await page.getByTestId('export-xlsx').getAttribute('href')).toBe(`/api/runs/${ctx.runId}/workbook.xlsx?lang=en`);
    expect(await page.getByTestId('notice-plan').getAttribute('href')).toBe(`/api/runs/${ctx.runId}/notice.html?list=plan&lang=en`);
    expect(await page.getByTestId('notice-eligible').getAttribute('href')).toBe(`/api/runs/${ctx.runId}/notice.html?list=eligible&lang=en`);
    await shot('run-en');
    await page.getByTestId('lang-toggle').click();
  });
});

describe('which kinds of move count toward the 10% (the policy editor\'s switch per kind)', () => {
  it('a support move the scenario does not count: shown on the scenario form, counted out on the audit page', async () => {
    await page.goto(`${server.url}/#/scenario?id=${ctx.scenarioId}`);
    const support = page.locator('[data-field="modes.support.countsTowardRotation"]');
    await support.waitFor();
    for (const mode of ['transfer', 'support', 'itinerant']) expect(await page.locator(`[data-field="modes.${mode}.countsTowardRotation"]`).isChecked()).toBe(true);
    expect(await page.locator('[data-field="modes.shadow.countsTowardRotation"]').isChecked()).toBe(false); // 顶岗培养 is training
    await support.uncheck();
    await page.getByTestId('scenario-save').click();
    await expect.poll(async () => (await api.call<{ policy: { modes: { support: { countsTowardRotation: boolean } } } }>('GET', `/scenarios/${ctx.scenarioId}`)).policy.modes.support.countsTowardRotation).toBe(false);
    await support.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/scenario-mode-switches.png` });

    // The hand plan again, its second move now a support move: counted out of the rotation share.
    const [head, first, second] = ctx.handPlan.trim().split('\n');
    const cols = head!.split(',');
    const modeAt = cols.indexOf('mode');
    const supportRow = second!.split(',').map((c, i) => (i === modeAt ? 'support' : c)).join(',');
    await page.goto(`${server.url}/#/audit?run=${ctx.runId}`);
    await page.getByTestId('rules-table').waitFor();
    await page.getByTestId('audit-file').setInputFiles({ name: 'support.csv', mimeType: 'text/csv', buffer: Buffer.from(`${head}\n${first}\n${supportRow}\n`) });
    await page.getByTestId('audit-submit').click();
    await page.getByTestId('hand-banner').waitFor();
    const modes = await page.$$eval('[data-testid="audit-modes"] tbody tr', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.mode, tr.querySelector('td.num')!.textContent, tr.lastElementChild!.textContent]));
    expect(modes).toEqual([['transfer', '1', '计入'], ['support', '1', '不计入'], ['itinerant', '0', '计入'], ['shadow', '0', '不计入']]);
    expect(await page.getByTestId('hand-rules-table').locator('tr[data-rule="rotation_share"] td.num').allTextContents()).toEqual(['1', String(ctx.handDoc!.counts.eligible)]);
    await page.getByTestId('audit-modes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/hand-support-not-counted.png` });
  });
});

describe('a run whose stored report predates the audit record', () => {
  it('still shows its rules and CVs, traced by its result hash, and says what is missing', async () => {
    const db = new Database(join(server.dir, 'lungang.db'));
    const { report_json } = db.prepare('SELECT report_json FROM runs WHERE id = ?').get(ctx.runId) as { report_json: string };
    const old = JSON.parse(report_json) as { counts: Record<string, unknown> };
    delete old.counts.per_school;
    delete old.counts.by_mode;
    db.prepare('UPDATE runs SET report_json = ? WHERE id = ?').run(JSON.stringify(old), ctx.runId);
    db.close();
    await page.goto(`${server.url}/#/data`);
    await page.reload();
    await page.goto(`${server.url}/#/audit?run=${ctx.runId}`);
    await page.getByTestId('rules-table').waitFor();
    expect(await page.locator('main').textContent()).toContain('本运行的报告早于审计记录格式');
    expect(await page.getByTestId('outflow-table').count()).toBe(0);
    const pages = await printed('print-legacy-zh');
    for (const p of pages) expect(squash(p)).toContain(ctx.resultHash);
  });
});

