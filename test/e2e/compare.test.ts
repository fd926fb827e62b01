// The leader's comparison in a real headless Chromium (issue 8 items 3 and 4), on the small
// county: a planner copies the default scenario and raises the rotation share's upper end to 15%
// on the scenario page (the copied note no longer fits: it is cleared and shown for reference),
// both are solved, and the comparison must show each run's own requirement, the differing share
// in the assumptions block, red (never amber) for a CV above its limit, the schools behind a KPI,
// notes edited as text, an XLSX whose sheets hold the API's numbers, and a one-page print brief.
// (Issue 8's path from a frontier point to this comparison is test/e2e/frontier.test.ts.)
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../web/src/api.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, sampleFiles, startServer } from './harness.ts';

const NOTE = '按政策最低比例交流，骨干不少于20%。';

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
const ctx = { a: 0, b: 0, r1: 0, r2: 0 };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
  const ds = await api.upload(await sampleFiles('small-county'), '鹤川县 2026');
  ctx.a = (await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '默认方案', notes: NOTE })).id;
  ctx.r1 = (await api.solve(ctx.a)).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const cellText = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('compare page a leader can trust (small county)', () => {
  it('copies the scenario, raises the upper share to 15% and solves; the copied note is kept only as reference', async () => {
    await loginUi(page, server.url);
    await page.goto(`${server.url}/#/scenario?id=${ctx.a}`);
    await page.getByTestId('policy-form').waitFor();
    expect(await page.getByTestId('scenario-notes').inputValue()).toBe(NOTE);
    await page.getByTestId('scenario-copy').click();
    await expect.poll(() => page.getByTestId('scenario-notes').inputValue()).toBe(`复制自「默认方案」：${NOTE}`);
    ctx.b = Number(new URLSearchParams(page.url().split('?')[1]).get('id'));
    expect(ctx.b).toBeGreaterThan(ctx.a);
    await page.locator('[data-field="ratios.maxRotatedShareOfEligible"]').fill('15');
    await page.getByTestId('run-start').click();
    const done = page.getByTestId('run-done');
    await done.waitFor({ timeout: 120_000 });
    ctx.r2 = Number(await done.getAttribute('data-run'));
    expect(await page.getByTestId('scenario-notes').inputValue()).toBe('');
    expect(await page.getByTestId('notes-reference').textContent()).toContain(NOTE);
    const b = await api.call<{ policy: { ratios: { maxRotatedShareOfEligible: number | null } } }>('GET', `/scenarios/${ctx.b}`);
    expect(b.policy.ratios.maxRotatedShareOfEligible).toBe(0.15);
  });

  it('compares: the assumptions block lists the differing share; each run is held to its own requirement', async () => {
    await page.goto(`${server.url}/#/compare`);
    await page.getByTestId(`pick-run-${ctx.r1}`).check();
    await page.getByTestId(`pick-run-${ctx.r2}`).check();
    await page.getByTestId('compare-go').click();
    await page.getByTestId('kpi-table').waitFor();
    const share = page.locator('[data-testid="assumptions"] tr[data-path="ratios.maxRotatedShareOfEligible"] td');
    expect((await share.allTextContents()).map((t) => t.trim())).toEqual(['政策参数', '交流人数上限（空 = 只交流最低人数）', '最低人数', '15%']);
    expect(await page.locator('[data-testid="assumptions"] tbody tr').count()).toBe(1);

    const c = await api.call<Comparison>('GET', `/comparisons?runs=${ctx.r1},${ctx.r2}`);
    const [q1, q2] = c.runs.map((r) => r.requirements);
    expect(await cellText(`tr[data-testid="kpi-rotation-rate"] td.req[data-run="${ctx.r1}"]`)).toBe('≥ 10%');
    expect(await cellText(`tr[data-testid="kpi-rotation-rate"] td.req[data-run="${ctx.r2}"]`)).toBe('≥ 10%，≤ 15%');
    expect(await cellText(`tr[data-testid="kpi-rotated"] td.req[data-run="${ctx.r1}"]`)).toBe(`${q1!.min_rotated} 人（最低人数）`);
    expect(await cellText(`tr[data-testid="kpi-rotated"] td.req[data-run="${ctx.r2}"]`)).toBe(`${q2!.min_rotated}–${q2!.max_rotated} 人`);
    expect(q2!.max_rotated).toBe(Math.ceil(0.15 * c.runs[1]!.eligible));
    for (const r of c.runs) {
      expect(await cellText(`tr[data-testid="kpi-rotated"] td.val[data-run="${r.run_id}"] .kpi-cell-value`)).toBe(String(r.rotated));
      expect(r.rotated).toBeLessThanOrEqual(r.requirements.max_rotated);
    }
  });

  it('lights a CV red when above its limit, never amber, with a legend; shows the change against no rotation', async () => {
    const c = await api.call<Comparison>('GET', `/comparisons?runs=${ctx.r1},${ctx.r2}`);
    expect(await page.getByTestId('lights-legend').textContent()).toContain('差异系数高于上限即为红');
    for (const x of c.cv) {
      const row = `tr[data-testid="kpi-cv-${x.stage}-${x.indicator}"]`;
      expect(await cellText(`${row} td.before-col`)).toBe(x.runs[0]!.before!.toFixed(3));
      for (const [i, v] of x.runs.entries()) {
        const td = `${row} td.val[data-run="${c.runs[i]!.run_id}"]`;
        const tone = await page.locator(`${td} .light`).getAttribute('class');
        expect(tone).toContain(v!.after! > v!.max ? 'light-bad' : 'light-ok');
        expect(await cellText(`${td} .kpi-cell-sub`)).toContain('较交流前');
      }
    }
    expect(await page.locator('tr[data-testid^="kpi-cv-"] .light-warn').count()).toBe(0);
  });

  it('drills from a threshold KPI to the schools that still fail it', async () => {
    const c = await api.call<Comparison>('GET', `/comparisons?runs=${ctx.r1},${ctx.r2}`);
    await page.locator('[data-drill="thr:primary:peArt"]').click();
    const table = page.getByTestId('drill-table');
    await table.waitFor();
    const failing = c.school_stages.filter((s) => s.stage === 'primary' && s.students > 0 && s.runs.some((r) => r?.after.pe_art_ok === false));
    expect(await table.locator('tbody tr').count()).toBe(Math.max(1, failing.length));
    const stillFailing = failing.filter((s) => s.runs[0]?.after.pe_art_ok === false).length;
    expect(await page.getByTestId('drill-counts').textContent()).toContain(`#${ctx.r1}：交流后仍有 ${stillFailing} 所未达标`);
    expect(page.url()).toContain('drill=thr');
  });

  it('edits a scenario note on the compare page, as text', async () => {
    const box = page.getByTestId(`notes-${ctx.b}`);
    await box.fill('<b>党组会</b>：倾向 15%');
    await box.blur();
    await expect.poll(async () => (await api.call<{ notes: string }>('GET', `/scenarios/${ctx.b}`)).notes).toBe('<b>党组会</b>：倾向 15%');
    expect(await page.locator('[data-testid="compare-notes"] b').count()).toBe(0);
  });

  it('exports the comparison as XLSX: the sheets hold the numbers of the API', async () => {
    const res = await page.request.get(`${server.url}${await page.getByTestId('compare-xlsx').getAttribute('href')}`);
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.body()).buffer);
    const c = await api.call<Comparison>('GET', `/comparisons?runs=${ctx.r1},${ctx.r2}`);
    const assumptions = wb.getWorksheet('假设对比')!;
    expect((assumptions.getRow(2).values as unknown[]).slice(1)).toEqual(['政策参数', '交流人数上限（空 = 只交流最低人数）', '最低人数', '15%']);
    const overview = wb.getWorksheet('比较概览')!;
    const row = (label: string) => overview.getRows(2, overview.rowCount - 1)!.find((r) => r.getCell(1).value === label)!;
    expect(row('备注').getCell(7).value).toBe('<b>党组会</b>：倾向 15%');
    c.runs.forEach((r, i) => {
      expect(row('交流人数').getCell(4 + 3 * i).value).toBe(r.rotated);
      expect(row('交流比例（占符合条件）').getCell(3 + 3 * i).value).toBe(i === 0 ? '≥ 10%（上限空 = 最低人数）' : '≥ 10%，≤ 15%');
    });
    const cv = c.cv.find((x) => x.stage === 'junior' && x.indicator === 'backbone')!;
    expect(row('初中县级以上骨干教师差异系数').getCell(7).value).toBeCloseTo(cv.runs[1]!.after!, 4);
    expect(row('初中县级以上骨干教师差异系数').getCell(8).value).toBeCloseTo(cv.runs[1]!.after! - cv.runs[1]!.before!, 4);
    const schools = wb.getWorksheet('学校对比')!;
    const s1 = schools.getRows(2, schools.rowCount - 1)!.find((r) => r.getCell(2).value === c.schools[0]!.school_id)!;
    expect([s1.getCell(6).value, s1.getCell(10).value]).toEqual([c.schools[0]!.runs[0]!.outflow, c.schools[0]!.runs[1]!.outflow]);
  });

  it('prints a one-page brief for the 局党组会', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByTestId('kpi-table').isVisible()).toBe(false);
    const brief = page.getByTestId('compare-brief');
    expect(await brief.isVisible()).toBe(true);
    expect(await brief.textContent()).toContain('提请局党组会研究');
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
  });

  it('reads in English too', async () => {
    await page.getByTestId('lang-toggle').click();
    // The page re-renders in English: wait for the new table rather than the one on screen.
    await expect.poll(() => cellText('[data-testid="assumptions"] tr[data-path="ratios.maxRotatedShareOfEligible"] td:nth-child(2)'))
      .toBe('Rotated ≤ share of eligible (empty = the minimum)');
    expect(await page.getByTestId('lights-legend').textContent()).toContain('a CV above its limit is red');
    await page.getByTestId('lang-toggle').click();
  });
});
