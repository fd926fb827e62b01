// Issue 12's acceptance in a real headless Chromium against the real server: a generated county
// with history, assessment scores and applications runs the three rounds from the 竞聘 page —
// stopping after round 1, then going on — and every count the page shows is the API's, the returns
// and history checks (a paper rotation planted in history.csv) among them, on the 竞聘 page and on a
// run's audit page. With SHOTS_DIR set it leaves screenshots of the pages in Chinese and English there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditDocument, RoundsView } from '../../web/src/api.ts';
import { pct } from '../../web/src/format.ts';
import { type Planted, plantHistory, writeRoundsCounty } from '../helpers/rounds-county.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, startServer } from './harness.ts';

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
let dataDir: string;
const SHOTS = process.env.SHOTS_DIR;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
  dataDir = await mkdtemp(join(tmpdir(), 'lungang-rounds-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The summary table as the page shows it, row by row. */
async function shown(): Promise<{ round: string; entered: string; placed: string; left: string; counted: string; share: string }[]> {
  return page.getByTestId('rounds-summary').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cell = (k: string) => (tr.querySelector(`[data-k="${k}"]`)?.textContent ?? '').trim();
    return { round: (tr as HTMLElement).dataset.round ?? '', entered: cell('entered'), placed: cell('placed'), left: cell('left').split(' ')[0]!, counted: cell('counted'), share: cell('share') };
  }));
}
const expected = (r: RoundsView) => r.rounds.map((s) => ({
  round: String(s.round), entered: s.entered.toLocaleString('zh-CN'), placed: s.placed.toLocaleString('zh-CN'), left: s.left.toLocaleString('zh-CN'),
  counted: s.counted.toLocaleString('zh-CN'), share: pct(s.share_of_eligible),
}));

/** The history cards as the page shows them: returns counted, and per check how many findings. */
async function historyShown(): Promise<{ returns: string | null; checks: Record<string, string | null> }> {
  const checks = await page.locator('[data-testid^="history-check-"]').evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.testid!.slice('history-check-'.length), (e as HTMLElement).dataset.count ?? null])));
  return { returns: await page.getByTestId('returns-card').getAttribute('data-count'), checks };
}
const historyExpected = (f: { returns?: unknown[]; history_checks?: { id: string; teachers: unknown[] }[] }) => ({
  returns: String(f.returns!.length), checks: Object.fromEntries(f.history_checks!.map((c) => [c.id, String(c.teachers.length)])),
});

describe('rounds page, end to end (generated county with history, scores and applications)', () => {
  let scenarioId = 0;
  let planted: Planted;

  it('stops after round 1, then goes on to round 3, showing the API\'s counts and the audit verdict', async () => {
    const files = writeRoundsCounty(dataDir);
    planted = await plantHistory(files);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['applications.csv', 'history.csv']));
    const ds = await api.upload(Object.entries(files).map(([name, content]) => ({ name, content })), '生成县 2026');
    scenarioId = (await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '竞聘方案' })).id;
    await loginUi(page, server.url);
    await page.getByTestId('nav-rounds').click();
    await page.getByTestId('rounds-run').waitFor();

    await page.getByTestId('rounds-stop').selectOption('1');
    await page.getByTestId('rounds-run').click();
    await page.locator('[data-testid="rounds-result"][data-stop="1"]').waitFor({ timeout: 120_000 });
    const one = await api.call<RoundsView>('GET', `/scenarios/${scenarioId}/rounds`);
    expect(one.stop_after).toBe(1);
    expect(await shown()).toEqual(expected(one));
    expect(await page.getByTestId('rounds-verdict').getAttribute('data-audit')).toBe('null');
    expect(await page.getByTestId('round-table-2').count()).toBe(0);

    await page.getByTestId('rounds-stop').selectOption('3');
    await page.getByTestId('rounds-go-on').click();
    await page.locator('[data-testid="rounds-result"][data-stop="3"]').waitFor({ timeout: 300_000 });
    const all = await api.call<RoundsView>('GET', `/scenarios/${scenarioId}/rounds`);
    expect(all.from_round).toBe(1);
    // Nothing is left to go on to.
    expect(await page.getByTestId('rounds-go-on').isVisible()).toBe(false);
    expect(all.rounds.map((s) => s.round)).toEqual([1, 2, 3]);
    expect(await shown()).toEqual(expected(all));
    expect(await page.getByTestId('rounds-verdict').getAttribute('data-audit')).toBe(String(all.audit_ok));
    // Each round's table holds the API's rows of that round (the pager counts them).
    for (const n of [1, 2, 3]) {
      const rows = all.rows.filter((r) => r.round === n).length;
      await expect(page.getByTestId(`round-table-${n}`).textContent()).resolves.toContain(`共 ${rows.toLocaleString('zh-CN')} 行`);
    }
    // The history: the returns and the checks over the history and the final plan, the API's numbers.
    expect(await historyShown()).toEqual(historyExpected(all));
    expect(all.returns!.map((r) => r.teacher_id)).toContain(planted.returning);
    const immediate = page.getByTestId('history-check-immediate_return');
    await expect(immediate.textContent()).resolves.toContain(planted.id);
    await expect(page.getByTestId('history-check-deferral_limit').textContent()).resolves.toContain('未发现');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'rounds-zh.png'), fullPage: true });
  }, 400_000);

  it('shows a run\'s returns and history checks on the audit page', async () => {
    const run = await api.solve(scenarioId);
    expect(run.status).toBe('done');
    const doc = await api.call<AuditDocument>('GET', `/runs/${run.id}/audit`);
    await page.goto(`${server.url}/#/audit?run=${run.id}`);
    // The rounds page shows history cards too: wait for the audit page's own rules table first.
    await page.getByTestId('rules-table').waitFor();
    await page.getByTestId('history-checks').waitFor();
    expect(await historyShown()).toEqual(historyExpected(doc));
    await expect(page.getByTestId('history-check-immediate_return').textContent()).resolves.toContain(planted.id);
    await expect(page.getByTestId('returns-table').textContent()).resolves.toContain(planted.returning);
    if (SHOTS) await page.getByTestId('returns-card').screenshot({ path: join(SHOTS, 'audit-history-zh.png') });
    if (SHOTS) await page.getByTestId('history-checks').screenshot({ path: join(SHOTS, 'audit-history-checks-zh.png') });
    await page.getByTestId('nav-rounds').click();
    await page.getByTestId('rounds-result').waitFor();
  }, 300_000);

  it('refuses an uploaded table with errors by file, line and column, and keeps the stored result', async () => {
    const before = await api.call<RoundsView>('GET', `/scenarios/${scenarioId}/rounds`);
    // The finished table has round-3 rows: one cannot go on from round 3.
    const csv = await page.evaluate((id) => fetch(`/api/scenarios/${id}/rounds.csv`).then((r) => r.text()), scenarioId);
    const firstRound3 = csv.split('\n').findIndex((l) => l.startsWith('3,')) + 1;
    await page.getByTestId('rounds-file').setInputFiles({ name: 'rounds.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('rounds-upload').click();
    const errors = page.getByTestId('upload-errors');
    await errors.waitFor({ timeout: 120_000 });
    const first = errors.locator('tbody tr').first().locator('td');
    expect(await first.allTextContents()).toEqual(expect.arrayContaining(['rounds.csv', String(firstRound3), 'round']));
    expect((await api.call<RoundsView>('GET', `/scenarios/${scenarioId}/rounds`)).id).toBe(before.id);
  });

  it('reads completely in English', async () => {
    await page.getByTestId('lang-toggle').click();
    // The page re-renders after the toggle: wait for the English one, not the Chinese still there.
    await page.locator('h1', { hasText: 'Rounds' }).waitFor();
    await page.getByTestId('rounds-summary').waitFor();
    await expect(page.getByTestId('rounds-summary').textContent()).resolves.toContain('Round 3: Organised assignment');
    await expect(page.getByTestId('rounds-summary').locator('thead').textContent()).resolves.not.toMatch(/[\u4e00-\u9fff]/);
    // The history cards too: the checks in English throughout (findings name ids and years), the returns table's headings.
    await expect(page.getByTestId('history-checks').textContent()).resolves.not.toMatch(/[\u4e00-\u9fff]/);
    await expect(page.getByTestId('returns-table').locator('thead').textContent()).resolves.not.toMatch(/[\u4e00-\u9fff]/);
    await expect(page.getByTestId('returns-table').locator('tbody').textContent()).resolves.toContain('term');
    if (SHOTS) await page.getByTestId('returns-card').screenshot({ path: join(SHOTS, 'rounds-returns-en.png') });
    if (SHOTS) await page.getByTestId('history-checks').screenshot({ path: join(SHOTS, 'rounds-history-checks-en.png') });
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'rounds-en.png'), fullPage: true });
    await page.getByTestId('lang-toggle').click();
  });
});
