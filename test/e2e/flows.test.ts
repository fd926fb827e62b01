// The flows page (issue 10) in a real headless Chromium against the real server: on the sample
// county, overlapping schools merge into clickable nodes, every flow is drawn (strong above the
// threshold slider, faded below), hovering shows a flow's teachers and subjects, and clicking an
// arc lists its moves; on a generated three-county city, the county picker filters everything
// and the chord keeps each county's clusters apart (no cluster sums two counties' 城东学区).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rgb } from 'd3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity, writeCountyCsv } from '../../data/generate.ts';
import type { PlanRow, School } from '../../web/src/api.ts';
import { type Browser, type Server, apiClient, launchBrowser, loginUi, sampleFiles, startServer } from './harness.ts';

const FILES = ['schools.csv', 'teachers.csv', 'preferences.csv', 'locks.csv', 'policy.json'];
const SOLVE_MS = 600_000;

let server: Server;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiClient>>;
const runs = { one: { ds: 0, run: 0 }, city: { ds: 0, run: 0 } };

const plan = async (run: number) => (await api.call<{ plan: PlanRow[] }>('GET', `/runs/${run}/result`)).plan;
async function schoolsOf(ds: number): Promise<School[]> {
  const out: School[] = [];
  for (let p = 1; ; p++) {
    const { items, total } = await api.call<{ items: School[]; total: number }>('GET', `/datasets/${ds}/schools?page=${p}&page_size=200`);
    out.push(...items);
    if (out.length >= total || items.length === 0) return out;
  }
}

async function solve(files: { name: string; content: string }[], name: string): Promise<{ ds: number; run: number }> {
  const ds = await api.upload(files, name);
  const scenario = await api.call<{ id: number }>('POST', '/scenarios', { dataset_id: ds.id, name: '默认方案' });
  const run = await api.solve(scenario.id, SOLVE_MS);
  expect(run.status).toBe('done');
  return { ds: ds.id, run: run.id };
}

/** Opens the flows page of a dataset's run (the dataset must be the open one in the app). */
async function openFlows(ds: number, query: string, wait = '.flow-map .school'): Promise<void> {
  await page.evaluate((id) => localStorage.setItem('lungang.dataset', String(id)), ds);
  await page.goto(`${server.url}/#/data`);
  await page.reload();
  await page.getByTestId('nav-flows').waitFor();
  await page.goto(`${server.url}/#/flows?${query}`);
  await page.locator(wait).first().waitFor();
}

/** Every map node as drawn: centre and radius from its dot's box, and the schools it holds. */
const mapNodes = () => page.locator('.flow-map .school').evaluateAll((els) => els.map((g) => {
  const b = g.querySelector('.dot')!.getBoundingClientRect();
  return { id: g.getAttribute('data-id')!, ids: g.getAttribute('data-ids')!.split(' '), x: b.x + b.width / 2, y: b.y + b.height / 2, r: b.width / 2 };
}));
const arcs = () => page.locator('.flow-map .arc').evaluateAll((els) => els.map((g) => ({
  from: g.getAttribute('data-from')!, to: g.getAttribute('data-to')!, count: Number(g.getAttribute('data-count')), strong: g.classList.contains('strong'),
})));

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = browser.page;
  api = await apiClient(server.url);
  runs.one = await solve(await sampleFiles('sample-county'), '澜川县');
  const dir = await mkdtemp(join(tmpdir(), 'lungang-city-'));
  try {
    writeCountyCsv(dir, generateCity({ counties: 3, teachersPerCounty: 1200, seed: 3 }));
    runs.city = await solve(await Promise.all(FILES.map(async (name) => ({ name, content: await readFile(join(dir, name), 'utf8') }))), '三县');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await loginUi(page, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('flows map (sample county)', () => {
  it('merges overlapping schools: no two visible nodes overlap, each school is in exactly one node', async () => {
    await openFlows(runs.one.ds, `run=${runs.one.run}`);
    const nodes = await mapNodes();
    const placed = (await schoolsOf(runs.one.ds)).filter((s) => s.lat !== undefined);
    expect(nodes.flatMap((n) => n.ids).sort()).toEqual(placed.map((s) => s.id).sort());
    expect(nodes.some((n) => n.ids.length > 1)).toBe(true);
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      expect(Math.hypot(a.x - b.x, a.y - b.y), `${a.id} and ${b.id}`).toBeGreaterThanOrEqual(a.r + b.r - 0.5);
    }
    // Every move is drawn: on an arc between nodes, or inside a merged node.
    const moves = await plan(runs.one.run);
    const nodeOf = new Map(nodes.flatMap((n) => n.ids.map((id) => [id, n.id] as const)));
    const within = moves.filter((m) => nodeOf.get(m.from_school_id) === nodeOf.get(m.to_school_id)).length;
    expect((await arcs()).reduce((a, f) => a + f.count, 0) + within).toBe(moves.length);
  });

  it('lists a merged node\'s schools in the side panel, and a listed school\'s teachers', async () => {
    const merged = (await mapNodes()).filter((n) => n.ids.length > 1).sort((a, b) => b.ids.length - a.ids.length)[0]!;
    await page.locator(`.flow-map .school[data-id="${merged.id}"]`).dispatchEvent('click');
    const rows = page.getByTestId('node-schools').locator('tbody tr');
    await rows.first().waitFor();
    expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).sort()).toEqual([...merged.ids].sort());
    // Zooming in on them splits the node, and the nodes still never overlap.
    await page.getByTestId('node-zoom').click();
    await page.waitForFunction((id) => !document.querySelector(`.flow-map .school[data-id="${id}"]`), merged.id);
    const zoomed = await mapNodes();
    expect(zoomed.filter((n) => n.ids.some((id) => merged.ids.includes(id))).length).toBeGreaterThan(1);
    for (let i = 0; i < zoomed.length; i++) for (let j = i + 1; j < zoomed.length; j++) {
      expect(Math.hypot(zoomed[i]!.x - zoomed[j]!.x, zoomed[i]!.y - zoomed[j]!.y)).toBeGreaterThanOrEqual(zoomed[i]!.r + zoomed[j]!.r - 0.5);
    }
    const moves = await plan(runs.one.run);
    const busiest = merged.ids.map((id) => ({ id, n: moves.filter((m) => m.to_school_id === id).length })).sort((a, b) => b.n - a.n)[0]!;
    await page.getByTestId('node-schools').locator(`tr[data-id="${busiest.id}"]`).click();
    await page.getByTestId('school-in').waitFor();
    expect(await page.getByTestId('school-in').textContent()).toBe(String(busiest.n));
    await page.getByTestId('panel-close').click();
    await page.getByRole('button', { name: '复位' }).click();
    await page.locator(`.flow-map .school[data-id="${merged.id}"]`).waitFor();
  });

  it('draws strong flows at or above the threshold and fades the rest; the slider moves the line', async () => {
    const slider = page.getByTestId('flow-threshold');
    const total = (await arcs()).length;
    for (const t of [1, 2, 3]) {
      await slider.fill(String(t));
      const now = await arcs();
      expect(now).toHaveLength(total);
      expect(now.filter((f) => f.strong).every((f) => f.count >= t)).toBe(true);
      expect(now.filter((f) => !f.strong).every((f) => f.count < t)).toBe(true);
      expect(now.filter((f) => f.strong).length).toBe(now.filter((f) => f.count >= t).length);
      expect(await page.getByTestId('flow-threshold-value').textContent()).toBe(`${t} 人`);
      expect(page.url()).toContain(`min=${t}`);
    }
    expect((await arcs()).some((f) => !f.strong)).toBe(true);
    await slider.fill('1');
    expect((await arcs()).every((f) => f.strong)).toBe(true);
  });

  it('hovering an arc shows its teachers, backbone and subjects; clicking it lists its moves', async () => {
    const moves = await plan(runs.one.run);
    const single = (await arcs()).filter((f) => !f.from.startsWith('m:') && !f.to.startsWith('m:')).sort((a, b) => b.count - a.count)[0]!;
    const rows = moves.filter((m) => m.from_school_id === single.from && m.to_school_id === single.to);
    expect(rows).toHaveLength(single.count);
    const arc = page.locator(`.flow-map .arc[data-from="${single.from}"][data-to="${single.to}"] .arc-hit`);
    await arc.dispatchEvent('mousemove', { clientX: 500, clientY: 400 });
    const tip = page.getByTestId('flow-tip');
    await tip.waitFor();
    const backbone = rows.filter((m) => m.backbone !== 'none').length;
    expect(await tip.getByTestId('tip-teachers').textContent()).toContain(`教师 ${rows.length} 人 · 骨干 ${backbone} 人`);
    expect(await tip.getByTestId('tip-subjects').textContent()).toMatch(/[\u4e00-\u9fff]+ \d+/);
    expect(await page.locator('.flow-map.hovering .arc.hi').count()).toBe(1);
    await arc.dispatchEvent('mouseleave');
    expect(await tip.isHidden()).toBe(true);

    await arc.dispatchEvent('click');
    const listed = page.getByTestId('flow-moves').locator('tbody tr');
    await listed.first().waitFor();
    expect(await listed.count()).toBe(single.count);
    expect(new Set(await listed.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`)))).toEqual(new Set([`${single.from}>${single.to}`]));
    expect(await page.getByTestId('kpi-moved').locator('.kpi-value').textContent()).toBe(String(moves.length));
    await page.getByTestId('panel-close').click();
  });

  it('hovering a school lights its flows and tells its in, out and net; dots can show net change', async () => {
    const moves = await plan(runs.one.run);
    const nodes = await mapNodes();
    const school = nodes.filter((n) => n.ids.length === 1).map((n) => ({ id: n.id, in: moves.filter((m) => m.to_school_id === n.id).length, out: moves.filter((m) => m.from_school_id === n.id).length }))
      .sort((a, b) => b.in + b.out - (a.in + a.out))[0]!;
    await page.locator(`.flow-map .school[data-id="${school.id}"]`).dispatchEvent('mousemove', { clientX: 400, clientY: 300 });
    const net = school.in - school.out;
    expect(await page.getByTestId('tip-net').textContent()).toContain(`调入 ${school.in}`);
    expect(await page.getByTestId('tip-net').textContent()).toContain(`净 ${net > 0 ? `+${net}` : net < 0 ? `−${-net}` : '0'}`);
    const lit = await page.locator('.flow-map .arc.hi').evaluateAll((els) => els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to')]));
    expect(lit.length).toBeGreaterThan(0);
    expect(lit.every(([f, t]) => f === school.id || t === school.id)).toBe(true);
    await page.locator(`.flow-map .school[data-id="${school.id}"]`).dispatchEvent('mouseleave');

    await page.getByTestId('flow-size').selectOption('net');
    await page.locator('.flow-map .school').first().waitFor();
    expect(await page.getByTestId('flow-legend').textContent()).toContain('净调入');
    // The node holding the school (net sizes may merge it with others): its colour says its net change.
    const node = page.locator(`.flow-map .school[data-ids~="${school.id}"]`);
    const ids = new Set((await node.getAttribute('data-ids'))!.split(' '));
    const nodeNet = moves.filter((m) => ids.has(m.to_school_id) && !ids.has(m.from_school_id)).length - moves.filter((m) => ids.has(m.from_school_id) && !ids.has(m.to_school_id)).length;
    // Gain blue, loss red: the red channel tells them apart.
    const red = rgb((await node.locator('.dot').getAttribute('fill'))!).r;
    expect(nodeNet > 0 ? red < 0x90 : nodeNet < 0 ? red > 0x90 : true).toBe(true);
    await page.getByTestId('flow-size').selectOption('students');
  });

  it('clicking a sankey band lists the moves between the two locales', async () => {
    const moves = await plan(runs.one.run);
    const locale = new Map((await schoolsOf(runs.one.ds)).map((s) => [s.id, s.locale]));
    await page.getByTestId('view-locale').click();
    const band = page.locator('.sankey .link[data-from="urban"][data-to="rural"]');
    await band.dispatchEvent('click');
    const n = moves.filter((m) => locale.get(m.from_school_id) === 'urban' && locale.get(m.to_school_id) === 'rural').length;
    expect(await band.getAttribute('data-count')).toBe(String(n));
    await page.getByTestId('flow-moves').waitFor();
    expect(await page.getByTestId('flow-moves').locator('tbody tr').count()).toBe(n);
  });
});

describe('flows of a three-county city', () => {
  it('the chord keeps each county\'s clusters apart: no ribbon or arc sums two counties', async () => {
    await openFlows(runs.city.ds, `run=${runs.city.run}&view=chord`, '.chord');
    const schools = new Map((await schoolsOf(runs.city.ds)).map((s) => [s.id, s]));
    const moves = await plan(runs.city.run);
    const ribbons = await page.locator('.chord .ribbons path').evaluateAll((els) => els.map((e) => [e.getAttribute('data-from-county'), e.getAttribute('data-to-county')]));
    expect(ribbons.length).toBeGreaterThan(0);
    expect(ribbons.every(([a, b]) => a && a === b)).toBe(true);
    const groups = await page.locator('.chord .groups path').evaluateAll((els) => els.map((e) => ({ key: e.getAttribute('data-key')!, county: e.getAttribute('data-county')! })));
    expect(new Set(groups.map((g) => g.county)).size).toBe(3);
    // Each county's 城东学区 is its own group, labelled with its county.
    const labels = await page.locator('.chord .chord-labels text').allTextContents();
    const east = labels.filter((l) => l.includes('·城东学区'));
    expect(new Set(east.map((l) => l.split('·')[0])).size).toBe(3);
    // A cluster's sent/received numbers are its own county's: compare with the plan.
    for (const label of east) {
      const county = label.split('·')[0]!;
      const inEast = (id: string) => schools.get(id)!.county === county && schools.get(id)!.cluster === '城东学区';
      const sent = moves.filter((m) => inEast(m.from_school_id) && !inEast(m.to_school_id)).length;
      const got = moves.filter((m) => inEast(m.to_school_id) && !inEast(m.from_school_id)).length;
      expect(label).toContain(`↑${sent} ↓${got}`);
    }
    // Clicking a group lists its moves, all inside that group's county.
    const group = groups.find((g) => g.key.endsWith('城东学区'))!;
    await page.locator('.chord .groups path').nth(groups.indexOf(group)).dispatchEvent('click');
    const rows = page.getByTestId('flow-moves').locator('tbody tr');
    await rows.first().waitFor();
    expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-county'))))).toEqual(new Set([group.county]));
  });

  it('the county picker filters the KPIs, the map and the cluster filter to one county', async () => {
    const schools = await schoolsOf(runs.city.ds);
    const moves = await plan(runs.city.run);
    const county = [...new Set(schools.map((s) => s.county!))].sort()[1]!;
    await page.getByTestId('view-map').click();
    await page.getByTestId('county-picker').selectOption(county);
    // The page re-renders for the county: its subtitle names it.
    await page.locator('.page-sub', { hasText: county }).waitFor();
    await page.locator('.flow-map .school').first().waitFor();
    expect(page.url()).toContain(`county=${encodeURIComponent(county)}`);
    const mine = new Set(schools.filter((s) => s.county === county).map((s) => s.id));
    expect(await page.getByTestId('kpi-moved').locator('.kpi-value').textContent()).toBe(String(moves.filter((m) => mine.has(m.from_school_id)).length));
    const ids = (await mapNodes()).flatMap((n) => n.ids);
    expect(ids.sort()).toEqual(schools.filter((s) => s.county === county && s.lat !== undefined).map((s) => s.id).sort());
    const options = await page.getByTestId('flow-cluster').locator('option').allTextContents();
    expect(options.slice(1).sort()).toEqual([...new Set(schools.filter((s) => s.county === county).map((s) => s.cluster!))].sort());
    await page.getByTestId('view-cluster').click();
    await page.locator('.sankey').waitFor();
    const keys = await page.locator('.sankey .link').evaluateAll((els) => els.map((e) => e.getAttribute('data-from')!));
    expect(keys.every((k) => k.replace(/^\u001e/, '').startsWith(`${county}\u001f`))).toBe(true);
  });
});
