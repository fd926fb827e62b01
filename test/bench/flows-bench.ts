// Flows page render benchmark: the large synthetic county (data/generate.ts, profile 'large',
// seed 1: ≈300 schools, 9,000 teachers) is uploaded to the real server and planned, then the
// flows page is opened in headless Chromium N times. The page marks `flows:data` when the plan
// and schools are in hand and `flows:rendered` when the map is in the DOM; we report that
// measure (median and worst), plus the time to switch to each aggregated view.
//   node bin/run-ts.mjs test/bench/flows-bench.ts        (FLOWS_BENCH_RUNS=5 by default)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCounty, writeCountyCsv } from '../../data/generate.ts';
import { apiClient, launchBrowser, loginUi, startServer } from '../e2e/harness.ts';

const RUNS = Number(process.env.FLOWS_BENCH_RUNS ?? 5);
const FILES = ['schools.csv', 'teachers.csv', 'preferences.csv', 'locks.csv', 'policy.json'];
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-flows-bench-'));
  const tables = generateCounty({ profile: 'large', seed: 1 });
  writeCountyCsv(dir, tables);
  const server = await startServer({ poolSize: 1 });
  const browser = await launchBrowser();
  try {
    const api = await apiClient(server.url);
    const ds = await api.upload(await Promise.all(FILES.map(async (name) => ({ name, content: await readFile(join(dir, name), 'utf8') }))), 'large county');
    // A demanding year (≥ 50% of eligible teachers rotate) so the plan has well over 1,000 moves.
    const scenario = await api.call<{ id: number }>('POST', '/scenarios', {
      dataset_id: ds.id, name: 'bench', policy: { ratios: { minRotatedShareOfEligible: 0.5 }, limits: { maxOutflowShareOfSchool: 0.4 } },
    });
    const t0 = Date.now();
    const run = await api.solve(scenario.id, 900_000);
    const { plan } = await api.call<{ plan: unknown[] }>('GET', `/runs/${run.id}/result`);
    process.stdout.write(`large county: ${tables.schools.length} schools, ${tables.teachers.length} teachers; run #${run.id} ${run.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${plan.length} moves\n`);

    const { page } = browser;
    await loginUi(page, server.url);
    const render: number[] = [];
    const views: Record<string, number[]> = { locale: [], cluster: [], chord: [], map: [] };
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${server.url}/#/data`);
      await page.reload();
      await page.getByTestId('nav-flows').waitFor();
      await page.goto(`${server.url}/#/flows?run=${run.id}`);
      await page.locator('.flow-map .school').first().waitFor();
      render.push(await page.evaluate(() => performance.getEntriesByName('flows:render')[0]?.duration ?? NaN));
      for (const view of ['locale', 'cluster', 'chord', 'map'] as const) {
        const ms = await page.evaluate(async (v) => {
          const start = performance.now();
          (document.querySelector(`[data-testid="view-${v}"]`) as HTMLButtonElement).click();
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          return performance.now() - start;
        }, view);
        views[view]!.push(ms);
      }
    }
    // Worst case for the map: every flow drawn strongly (threshold 1), not just the ≈ 60 largest.
    await page.getByTestId('flow-threshold').fill('1');
    const all = await page.evaluate(() => Number((document.querySelector('[data-testid="flow-chart"]') as HTMLElement).dataset.renderMs));
    const arcs = await page.locator('.flow-map .arc').count();
    process.stdout.write(`  redraw with all ${arcs} flows: ${all.toFixed(0)} ms\n`);
    process.stdout.write(`flows page render after data arrives (${RUNS} loads): median ${median(render).toFixed(0)} ms, worst ${Math.max(...render).toFixed(0)} ms (top 60 flows drawn)\n`);
    for (const [v, xs] of Object.entries(views)) process.stdout.write(`  switch to ${v}: median ${median(xs).toFixed(0)} ms, worst ${Math.max(...xs).toFixed(0)} ms\n`);
    if (Math.max(...render) >= 1000) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
