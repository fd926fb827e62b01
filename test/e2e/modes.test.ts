// Every kind of move on every page (issue 11), in a real headless Chromium against the real
// server: the small county planned with 支教 and 走教 allowed and the 学区 preferred
// (harness.ts modesCountyFiles). The audit page's carriers and size caps, the flows page's dashed
// 走教 arcs, kinds in the tooltip and the list, and within/across-学区 counts, the data page's
// size caps, the workbook's 走教份额 and 补缺学科 columns and carriers sheet, and the PDF are each
// checked against the run's own audit document and plan. Screenshots in both languages go to
// /tmp/shots-modes/.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECT_ZH } from '../../solver/contract/labels.ts';
import type { AuditDocument, PlanRow } from '../../web/src/api.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, modesCountyFiles, startServer } from './harness.ts';

const SHOTS = '/tmp/shots-modes';
const run = promisify(execFile);

let server: Server;
let browser: Browser;
let page: Page;
const ctx = { runId: 0, doc: null as unknown as AuditDocument, plan: [] as PlanRow[] };

const squash = (s: string) => s.replace(/\s+/g, '');
const rowsOf = (testid: string) => page.$$eval(`[data-testid="${testid}"] tbody tr`, (trs) =>
  trs.map((tr) => [(tr as HTMLElement).dataset.row ?? '', ...Array.from(tr.querySelectorAll('td.num')).map((td) => td.textContent!)]));

async function shot(name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** The schools failing a size cap, as [school id, cap] pairs from the audit document. */
const failingCaps = (doc: AuditDocument) => doc.school_caps.schools.flatMap((s) => [
  ...(s.school_size_ok ? [] : [[s.school_id, 'school_size']]),
  ...s.class_size.filter((c) => c.ok === false).map((c) => [s.school_id, `class_size_${c.stage}`]),
]);

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await startServer();
  const api = await apiClient(server.url);
  const ds = await api.upload(await modesCountyFiles(), '鹤川县 2026（支教、走教）');
  const scenario = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '三种交流方式' });
  const r = await api.solve(scenario.id);
  expect(r.status).toBe('done');
  ctx.runId = r.id;
  ctx.doc = await api.call<AuditDocument>('GET', `/runs/${r.id}/audit`);
  ctx.plan = (await api.call<{ plan: PlanRow[] }>('GET', `/runs/${r.id}/result`)).plan;
  browser = await launchBrowser();
  page = browser.page;
  await loginUi(page, server.url);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the plan uses every kind of move', () => {
  it('has transfers, 支教 and 走教 with a share, and an extra-subject fill', () => {
    const kinds = new Set(ctx.plan.map((r) => r.mode));
    expect([...kinds].sort()).toEqual(['itinerant', 'support', 'transfer']);
    expect(ctx.plan.filter((r) => r.mode === 'itinerant').every((r) => r.fte !== undefined && r.fte > 0 && r.fte < 1)).toBe(true);
    expect(ctx.plan.some((r) => r.fills_subject !== undefined)).toBe(true);
  });
});

describe('audit page', () => {
  it('lists what the moves carry with the audit document\'s numerators and denominators', async () => {
    await page.goto(`${server.url}/#/audit?run=${ctx.runId}`);
    await page.getByTestId('audit-carriers').waitFor();
    const c = ctx.doc.counts;
    const itinerant = c.by_mode.find((m) => m.mode === 'itinerant')!.rotated;
    const lines = c.school_lines;
    expect(await rowsOf('audit-carriers')).toEqual([
      ['posts', String(c.transfers), String(c.rotated)],
      ['itinerant_fte', String(c.itinerant_fte), String(itinerant)],
      ['within_cluster', String(c.within_cluster), String(c.rotated)],
      ['cross_cluster', String(c.cross_cluster), String(c.rotated)],
      ['rural_year', String(c.careers.rural_year.gained), String(c.careers.rural_year.needing)],
      ['second_school', String(c.careers.second_school.gained), String(c.careers.second_school.needing)],
      ['leaders', String(c.leaders.leaders), String(c.rotated)],
      ['teachers', String(c.leaders.teachers), String(c.rotated)],
      ['meeting_all_before', String(lines.meeting_all.before), String(lines.school_stages)],
      ['meeting_all_after', String(lines.meeting_all.after), String(lines.school_stages)],
    ]);
    expect(c.itinerant_fte).toBe(ctx.plan.reduce((a, r) => a + (r.fte ?? 0), 0));
    expect(c.within_cluster + c.cross_cluster).toBe(ctx.plan.length);
  });

  it('names each school failing a size cap with its numbers, and counts them', async () => {
    const failing = failingCaps(ctx.doc);
    expect(failing.length).toBeGreaterThan(0);
    const shown = await page.$$eval('[data-testid="caps-failing"] tbody tr', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.school, (tr as HTMLElement).dataset.cap]));
    expect(shown).toEqual(failing);
    const schools = ctx.doc.school_caps.schools;
    const classFailing = schools.filter((s) => s.class_size.some((x) => x.ok === false));
    expect(await page.getByTestId('caps-summary').textContent()).toContain(`班额超标 ${classFailing.length}/${schools.length} 校`);
    // The report's own sentence for each failing class, number for number.
    for (const text of ctx.doc.school_caps.failing.class_size) {
      const [, students, classes, average] = text.match(/(\d+)人 ÷ (\d+)班 = 平均班额([\d.]+)/)!;
      expect(squash((await page.getByTestId('caps-failing').textContent())!)).toContain(squash(`${students}人÷${classes}班）${average}`));
    }
    await shot('audit-modes-zh');
    await page.getByTestId('audit-carriers').scrollIntoViewIfNeeded();
    await shot('audit-modes-carriers-zh', false);
  });

  it('prints both sections with their numbers', async () => {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFile(`${SHOTS}/print-modes-zh.pdf`, pdf);
    await run('pdftoppm', ['-png', '-r', '60', `${SHOTS}/print-modes-zh.pdf`, `${SHOTS}/print-modes-zh-page`]);
    const text = squash((await run('pdftotext', ['-enc', 'UTF-8', `${SHOTS}/print-modes-zh.pdf`, '-'])).stdout);
    const c = ctx.doc.counts;
    expect(text).toContain('交流方式、载体与成效');
    expect(text).toContain(squash(`跨学区/集团交流 ÷ 交流人数${c.cross_cluster}${c.rotated}`));
    expect(text).toContain('班额与学校规模');
    for (const [id] of failingCaps(ctx.doc)) expect(text).toContain(id);
  });

  it('in English', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('audit-carriers').locator('tr[data-row="within_cluster"]').textContent()).toContain('Moves within a cluster (学区/集团) ÷ moves');
    expect(await page.getByTestId('caps-summary').textContent()).toContain('over the class-size cap');
    await page.getByTestId('audit-carriers').scrollIntoViewIfNeeded();
    await shot('audit-modes-carriers-en', false);
    await page.getByTestId('lang-toggle').click();
  });
});

describe('flows page', () => {
  const arcs = () => page.locator('.flow-map .arc').evaluateAll((els) => els.map((g) => ({
    from: g.getAttribute('data-from')!, to: g.getAttribute('data-to')!, dashed: g.classList.contains('itinerant') && g.querySelector('.arc-line')!.hasAttribute('stroke-dasharray'),
  })));

  it('counts moves within and across 学区 as the audit does, dashes the 走教 flows and tells their posts', async () => {
    await page.goto(`${server.url}/#/flows?run=${ctx.runId}`);
    await page.locator('.flow-map .arc').first().waitFor();
    expect(await page.getByTestId('kpi-within').locator('.kpi-value').textContent()).toBe(String(ctx.doc.counts.within_cluster));
    expect(await page.getByTestId('kpi-cross').locator('.kpi-value').textContent()).toBe(String(ctx.doc.counts.cross_cluster));
    // Every arc is dashed exactly when most of its teachers are 走教 (an end may be a merged dot
    // 'm:S003,S004' of schools at one place: the arc carries the moves of all its schools).
    const drawn = await arcs();
    expect(drawn.length).toBeGreaterThan(0);
    const on = (end: string, school: string) => (end.startsWith('m:') ? end.slice(2).split(',') : [end]).includes(school);
    const rowsOf = (a: { from: string; to: string }) => ctx.plan.filter((r) => on(a.from, r.from_school_id) && on(a.to, r.to_school_id));
    for (const a of drawn) {
      const rows = rowsOf(a);
      expect(a.dashed, `${a.from}→${a.to}`).toBe(2 * rows.filter((r) => r.mode === 'itinerant').length > rows.length);
    }
    const dashed = drawn.find((a) => a.dashed)!;
    expect(dashed).toBeDefined();
    expect(await page.getByTestId('flow-legend').textContent()).toContain('虚线：多数为走教');
    await shot('flows-modes-zh', false);
    // Its tooltip: the kinds of move, and the posts its 走教 shares add up to.
    const itinerant = rowsOf(dashed).filter((r) => r.mode === 'itinerant');
    const arc = page.locator(`.flow-map .arc[data-from="${dashed.from}"][data-to="${dashed.to}"] .arc-hit`);
    await arc.dispatchEvent('mousemove', { clientX: 500, clientY: 400 });
    await page.getByTestId('flow-tip').waitFor();
    expect(await page.getByTestId('tip-modes').textContent()).toContain(`走教 ${itinerant.length}（共 ${itinerant.reduce((a, r) => a + r.fte!, 0)} 个岗位）`);
    await shot('flows-modes-tip-zh', false);
    await arc.dispatchEvent('mouseleave');
  });

  it('a school receiving a 走教 teacher lists each teacher\'s kind of move and share', async () => {
    const itinerant = ctx.plan.find((r) => r.mode === 'itinerant')!;
    // The receiving school picked: its panel lists every teacher coming in.
    await page.goto(`${server.url}/#/flows?run=${ctx.runId}&school=${itinerant.to_school_id}`);
    const incoming = page.getByTestId('school-incoming').locator(`tbody tr[data-from="${itinerant.from_school_id}"]`);
    await incoming.first().waitFor();
    const rows = ctx.plan.filter((r) => r.to_school_id === itinerant.to_school_id && r.from_school_id === itinerant.from_school_id);
    expect(await incoming.locator('td[data-mode]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-mode')))).toEqual(rows.map((r) => r.mode));
    expect(squash((await incoming.locator('td[data-mode="itinerant"]').first().textContent())!)).toBe(squash(`走教 ${itinerant.fte}岗`));
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => incoming.locator('td[data-mode="itinerant"]').first().textContent()).toContain(`Itinerant ${itinerant.fte} post`);
    await shot('flows-modes-school-en', false);
    await page.getByTestId('lang-toggle').click();
  });
});

describe('data page', () => {
  it('marks each school failing a size cap and counts them', async () => {
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('schools-table').waitFor();
    const schools = ctx.doc.school_caps.schools;
    const failing = new Set(failingCaps(ctx.doc).map(([id]) => id));
    const marked = await page.$$eval('[data-testid="schools-table"] tbody tr', (trs) => trs.filter((tr) => tr.classList.contains('row-fail')).map((tr) => tr.querySelector('td')!.textContent!.trim()));
    expect(new Set(marked)).toEqual(failing);
    const sizeFailing = schools.filter((s) => !s.school_size_ok).length;
    expect(await page.getByTestId('caps-summary').textContent()).toContain(`学校规模超标 ${sizeFailing}/${schools.length} 校`);
    await shot('data-caps-zh', false);
    await page.getByTestId('filter-caps').selectOption('1');
    await expect.poll(() => page.locator('[data-testid="schools-table"] tbody tr').count()).toBe(failing.size);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('caps-summary').textContent()).toContain('Over the school-size cap');
    await shot('data-caps-en', false);
    await page.getByTestId('lang-toggle').click();
  });
});

describe('the run\'s workbook and PDF', () => {
  it('has 走教份额 and 补缺学科 on every plan row, as plan.csv has fte and fills_subject', async () => {
    const res = await page.request.get(`${server.url}/api/runs/${ctx.runId}/workbook.xlsx`);
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.body()).buffer as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet('交流方案')!.eachRow((row) => { rows.push((row.values as unknown[]).slice(1)); });
    const head = rows[0] as string[];
    const [fte, fills] = [head.indexOf('走教份额'), head.indexOf('补缺学科')];
    expect(fte).toBe(head.indexOf('交流方式') + 1);
    expect(fills).toBe(head.indexOf('学科') + 1);
    expect(rows.slice(1).map((r) => [r[0], r[fte] ?? null, r[fills] ?? ''])).toEqual(
      ctx.plan.map((p) => [p.teacher_id, p.fte ?? null, p.fills_subject ? SUBJECT_ZH[p.fills_subject] : '']));
    // The carriers sheet: the page's lines, numbers as numbers.
    const carriers: unknown[][] = [];
    wb.getWorksheet('交流载体与成效')!.eachRow((row) => { carriers.push((row.values as unknown[]).slice(1)); });
    const c = ctx.doc.counts;
    expect(carriers.find((r) => String(r[1]).startsWith('跨学区/集团交流'))!.slice(2, 4)).toEqual([c.cross_cluster, c.rotated]);
    expect(carriers.find((r) => String(r[1]).startsWith('一级教师'))!.slice(2, 4)).toEqual([c.careers.rural_year.gained, c.careers.rural_year.needing]);
    const caps: unknown[][] = [];
    wb.getWorksheet('班额与规模')!.eachRow((row) => { caps.push((row.values as unknown[]).slice(1)); });
    expect(caps.filter((r) => r[8] === '不通过').map((r) => r[1])).toEqual(failingCaps(ctx.doc).filter(([, cap]) => cap !== 'school_size').map(([id]) => id));
  });

  it('the English audit PDF has both sections with the same numbers', async () => {
    const res = await page.request.get(`${server.url}/api/runs/${ctx.runId}/audit.pdf?lang=en`);
    expect(res.status()).toBe(200);
    await writeFile(`${SHOTS}/audit-modes-en.pdf`, await res.body());
    const text = squash((await run('pdftotext', ['-enc', 'UTF-8', `${SHOTS}/audit-modes-en.pdf`, '-'])).stdout);
    const c = ctx.doc.counts;
    expect(text).toContain(squash('Kinds of move, carriers and what they bring'));
    expect(text).toContain(squash(`Moves across clusters (学区/集团) ÷ moves${c.cross_cluster}${c.rotated}`));
    expect(text).toContain(squash('Class size and school size'));
    for (const [id] of failingCaps(ctx.doc)) expect(text).toContain(id);
  });
});
