// `npm run screenshots`: every page of the web app at 1440×900, from a real server with the
// sample county (115 schools, 5,000 teachers) and two solved scenarios, written to
// screenshots/*.png for review. Needs /usr/bin/chromium (test/ensure-system-tools.sh).
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCounty, writeCountyCsv } from '../data/generate.ts';
import type { Page } from 'playwright-core';
import { apiClient, launchBrowser, loginUi, modesCountyFiles, repo, sampleFiles, startServer } from './e2e/harness.ts';

const OUT = repo('screenshots');
const SAMPLE = ['schools.csv', 'teachers.csv', 'preferences.csv', 'locks.csv', 'policy.json'];

async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  // Charts and tables settle after the last response; fonts must be loaded before capture.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: opts.fullPage ?? false });
  process.stdout.write(`  ${name}.png\n`);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  process.stdout.write('building the web app and starting the server…\n');
  const server = await startServer({ poolSize: 1 });
  const browser = await launchBrowser();
  try {
    const api = await apiClient(server.url);
    const files = await sampleFiles('sample-county');
    const ds = await api.upload(files, '澜川县 2026 年度');
    const base = await api.call<{ id: number }>('POST', '/scenarios', {
      dataset_id: ds.id, name: '默认方案（10% / 20%）', notes: '按政策最低比例交流，骨干教师不少于交流人数的20%；优先补齐乡村学校体育艺术教师。',
    });
    const strict = await api.call<{ id: number }>('POST', '/scenarios', {
      dataset_id: ds.id, name: '只向乡村/薄弱学校交流', policy: { flows: { towardRuralOrWeakOnly: true } },
    });
    const more = await api.call<{ id: number }>('POST', '/scenarios', {
      dataset_id: ds.id, name: '多交流（上限15%）', notes: '上限放宽到15%，看多交流能否把小学骨干教师差异系数降到0.50以下。',
      policy: { ratios: { maxRotatedShareOfEligible: 0.15 } },
    });
    process.stdout.write('solving three scenarios…\n');
    const r1 = await api.solve(base.id);
    const r2 = await api.solve(strict.id);
    const r3 = await api.solve(more.id);
    const t = await api.call<{ rows: { teacher_id: string }[] }>('GET', `/comparisons/teachers?a=${r1.id}&b=${r2.id}`);
    const plan = await api.call<{ plan: { teacher_id: string; to_school_id: string }[] }>('GET', `/runs/${r1.id}/result`);
    const moved = plan.plan[0]!;
    const busiest = [...plan.plan.reduce((m, r) => m.set(r.to_school_id, (m.get(r.to_school_id) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0]![0];

    const { page } = browser;
    await page.goto(`${server.url}/#/login`);
    await shot(page, '01-login');
    await loginUi(page, server.url);

    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('schools-table').waitFor();
    await shot(page, '02-data-schools');
    await page.goto(`${server.url}/#/data?tab=teachers&elig=eligible`);
    await page.getByTestId('teachers-table').waitFor();
    await shot(page, '03-data-teachers');

    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('schools-table').waitFor();
    const bad = 'id,name,stage,locale,students_primary\nS1,一小,primary,urban,-5\nS2,二小,high,city,300\n,三小,primary,rural,abc\n';
    await page.getByTestId('upload-files').setInputFiles([{ name: 'schools.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) }]);
    await page.getByTestId('upload-submit').click();
    // Not fatal: a server-side problem here should not cost the reviewer every other screenshot.
    await page.getByTestId('upload-errors').waitFor({ timeout: 15_000 }).catch(() => process.stdout.write('  ! the upload did not list row errors (see 04-data-upload-errors.png)\n'));
    await shot(page, '04-data-upload-errors');

    await page.goto(`${server.url}/#/posts?scenario=${base.id}`);
    await page.getByTestId('posts-totals').waitFor();
    await shot(page, '04b-posts');
    await page.goto(`${server.url}/#/posts?scenario=${base.id}&view=schools`);
    await page.getByTestId('posts-schools').waitFor();
    await shot(page, '04c-posts-schools', { fullPage: true });

    await page.goto(`${server.url}/#/scenario?id=${base.id}`);
    await page.getByTestId('policy-form').waitFor();
    await page.getByTestId('budget-line').waitFor();
    await shot(page, '05a-scenario-full', { fullPage: true });
    // Edited and solved again: a re-plan against run r1 (the scenario's last result is its baseline).
    await page.locator('[data-field="eligibility.maxAge.M"]').fill('49');
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-progress').waitFor();
    await shot(page, '05-scenario-running');
    await page.getByTestId('run-done').waitFor({ timeout: 120_000 });
    await shot(page, '06-scenario-done');
    const replan = Number(await page.getByTestId('run-done').getAttribute('data-run'));

    // The trade-off frontier of the default scenario (5 caps), with the 20 % point picked.
    process.stdout.write('computing the trade-off frontier…\n');
    const frontier = await api.call<{ id: number }>('POST', `/scenarios/${base.id}/frontier`, {});
    await page.goto(`${server.url}/#/tradeoff?scenario=${base.id}&frontier=${frontier.id}`);
    await page.getByTestId('frontier-ended').waitFor({ timeout: 600_000 });
    await page.locator('.cv-pt[data-series="primary-backbone"][data-index="3"]').click();
    await page.getByTestId('point-detail').waitFor();
    await shot(page, '06c-tradeoff-frontier');
    await shot(page, '06d-tradeoff-frontier-full', { fullPage: true });

    await page.goto(`${server.url}/#/flows?run=${r1.id}`);
    await page.locator('.flow-map').waitFor();
    await shot(page, '07-flows-map');
    // Semantic zoom into the town centre, where most flows start.
    const core = await page.locator('.flow-map .school[data-ids~="S001"]').boundingBox();
    if (core) {
      await page.mouse.move(core.x + core.width / 2, core.y + core.height / 2);
      for (let i = 0; i < 4; i++) { await page.mouse.wheel(0, -400); await page.waitForTimeout(120); }
      await shot(page, '07b-flows-map-zoomed');
    }
    await page.goto(`${server.url}/#/flows?run=${r1.id}&school=${busiest}`);
    await page.getByTestId('school-incoming').waitFor();
    await shot(page, '08-flows-school');
    for (const [view, name] of [['locale', '09-flows-locale-sankey'], ['cluster', '10-flows-cluster-sankey'], ['chord', '11-flows-cluster-chord']] as const) {
      await page.goto(`${server.url}/#/flows?run=${r1.id}&view=${view}`);
      await page.locator(view === 'chord' ? '.chord' : '.sankey').waitFor();
      await shot(page, name);
    }

    // The comparison of three scenarios: assumptions, each run's requirements, drill-down, print.
    await page.goto(`${server.url}/#/compare?runs=${r1.id},${r3.id},${r2.id}`);
    await page.getByTestId('diff-table').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '12-compare');
    await shot(page, '12-compare-full', { fullPage: true });
    const below = async (testid: string) => page.getByTestId(testid).evaluate((el) => { el.closest('.card')?.scrollIntoView({ block: 'start' }); window.scrollBy(0, -72); });
    await below('kpi-table');
    await shot(page, '12c-compare-kpis');
    await page.locator('[data-drill="thr:primary:peArt"]').click();
    await page.getByTestId('drill-table').evaluate((el) => { el.closest('.drill')?.scrollIntoView({ block: 'start' }); window.scrollBy(0, -72); });
    await shot(page, '12d-compare-drill');
    await below('impact');
    await shot(page, '12e-compare-schools');
    // The brief as printed: an A4 landscape page is 1123 × 794 CSS pixels.
    await page.setViewportSize({ width: 1123, height: 794 });
    await page.emulateMedia({ media: 'print' });
    await shot(page, '12f-compare-print', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${server.url}/#/compare?runs=${r1.id},${replan}`);
    await page.getByTestId('diff-summary').waitFor();
    // The teacher-by-teacher card at the top, below the sticky header.
    await page.getByTestId('diff-section').evaluate((el) => { el.closest('.card')?.scrollIntoView({ block: 'start' }); window.scrollBy(0, -72); });
    await shot(page, '12b-compare-baseline');

    await page.goto(`${server.url}/#/audit?run=${r1.id}`);
    await page.getByTestId('rules-table').waitFor();
    await shot(page, '13-audit');
    await shot(page, '13-audit-full', { fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await shot(page, '14-audit-print', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${server.url}/#/teacher/${encodeURIComponent(moved.teacher_id)}?run=${r1.id}`);
    await page.getByTestId('teacher-move').waitFor();
    await shot(page, '15-teacher-moves');
    const stays = t.rows.find((r) => !plan.plan.some((p) => p.teacher_id === r.teacher_id));
    if (stays) {
      await page.goto(`${server.url}/#/teacher/${encodeURIComponent(stays.teacher_id)}?run=${r1.id}`);
      await page.getByTestId('teacher-stays').waitFor();
      await shot(page, '16-teacher-stays');
    }

    await page.goto(`${server.url}/#/flows?run=${r1.id}`);
    await page.locator('.flow-map').waitFor();
    await page.getByTestId('lang-toggle').click();
    await page.locator('.flow-map').waitFor();
    await shot(page, '17-flows-map-en');
    await page.getByTestId('lang-toggle').click();

    // Every kind of move (issue 11): the small county with 支教, 走教 and the 学区 preferred.
    process.stdout.write('modes county: uploading, solving…\n');
    const modes = await api.upload(await modesCountyFiles(), '鹤川县 2026（支教、走教）');
    const ms = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: modes.id, name: '三种交流方式' });
    const mr = await api.solve(ms.id);
    const modesPlan = await api.call<{ plan: { mode: string; to_school_id: string }[] }>('GET', `/runs/${mr.id}/result`);
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('dataset-picker').selectOption(String(modes.id));
    await page.getByTestId('schools-table').waitFor();
    await shot(page, '21-modes-data-caps');
    for (const lang of ['', '-en']) {
      if (lang) await page.getByTestId('lang-toggle').click();
      await page.goto(`${server.url}/#/audit?run=${mr.id}`);
      await page.getByTestId('audit-carriers').scrollIntoViewIfNeeded();
      await shot(page, `22-modes-audit-carriers${lang}`);
      const itinerant = modesPlan.plan.find((r) => r.mode === 'itinerant');
      await page.goto(`${server.url}/#/flows?run=${mr.id}${itinerant ? `&school=${itinerant.to_school_id}` : ''}`);
      await page.locator('.flow-map').waitFor();
      await shot(page, `23-modes-flows${lang}`);
      if (lang) await page.getByTestId('lang-toggle').click();
    }

    // The large synthetic county (305 schools): the map and the aggregated views at scale.
    process.stdout.write('large county: generating, uploading, solving…\n');
    const dir = await mkdtemp(join(tmpdir(), 'lungang-shots-'));
    writeCountyCsv(dir, generateCounty({ profile: 'large', seed: 1 }));
    const large = await api.upload(await Promise.all(SAMPLE.map(async (name) => ({ name, content: await readFile(join(dir, name), 'utf8') }))), '大型县（合成数据）');
    await rm(dir, { recursive: true, force: true });
    const ls = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: large.id, name: '默认方案' });
    const lr = await api.solve(ls.id, 600_000);
    await page.goto(`${server.url}/#/data`);
    await page.getByTestId('dataset-picker').selectOption(String(large.id));
    for (const [view, name, sel] of [['', '18-large-flows-map', '.flow-map'], ['cluster', '19-large-cluster-sankey', '.sankey'], ['chord', '20-large-cluster-chord', '.chord']] as const) {
      await page.goto(`${server.url}/#/flows?run=${lr.id}${view ? `&view=${view}` : ''}`);
      await page.locator(sel).waitFor();
      await shot(page, name);
    }
    process.stdout.write(`screenshots written to ${OUT}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
