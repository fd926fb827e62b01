// 编制 and 岗位 through the API (issue 12 item 1): a scenario's posts add up to each county's totals,
// posts.csv is byte for byte what `lungang posts` writes for the same files and policy, "use as the
// needs" makes a new dataset whose needs are the posts (a run on it plans against them), and an
// edited posts.csv with errors is refused by file, line and column with nothing stored.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity, writeCountyCsv } from '../../data/generate.ts';
import { lungang } from '../helpers/lungang.ts';
import { FAST_POLICY, type TestServer, createScenario, removeDir, sampleDir, sampleForm, startRun, startServer, uploadSample, waitForRun } from './helpers.ts';

interface Row { school_id: string; stage: 'primary' | 'junior'; subject: string; posts: number; senior: number; first: number; second: number; rule: string; rule_en: string; floored: boolean }
type Grades = { posts: number; senior: number; first: number; second: number };
interface County { county: string; quota: number; stages: { primary: Grades; junior: Grades }; floored: { schools: number; posts: number } }
interface Posts { scenario_id: number; dataset_id: number; rows: Row[]; counties: County[] }
interface Dataset { id: number; name: string; files: { name: string; sha256: string }[] }

let s: TestServer;
const get = (url: string, cookie = s.cookie.planner) => s.app.inject({ method: 'GET', url, headers: { cookie } });
const asNeeds = (scenarioId: number, file?: { name: string; content: string }) => {
  const form = new FormData();
  if (file) form.append('posts', new Blob([file.content]), file.name);
  return s.app.inject({ method: 'POST', url: `/api/scenarios/${scenarioId}/posts/as-needs`, headers: { cookie: s.cookie.planner }, payload: form as unknown as object });
};
const datasetCount = async () => ((await get('/api/datasets')).json().items as unknown[]).length;
const scenarioCount = async () => ((await get('/api/scenarios')).json().items as unknown[]).length;
const sum = (rows: readonly Row[], k: keyof Grades) => rows.reduce((a, r) => a + r[k], 0);

beforeAll(async () => { s = await startServer({ poolSize: 2 }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

describe('the posts of a scenario', () => {
  let sample: Posts;
  let sampleScenario: number;

  beforeAll(async () => {
    const ds = await uploadSample(s, 'sample-county');
    sampleScenario = (await createScenario(s, ds.id)).id;
    const res = await get(`/api/scenarios/${sampleScenario}/posts`, s.cookie.leader);
    expect(res.statusCode, res.body).toBe(200);
    sample = res.json();
  });

  it('adds up to every county total: posts to 编制总量, each stage and grade to its total, grades within each row', () => {
    expect(sample.counties.length).toBeGreaterThan(0);
    expect(sum(sample.rows, 'posts')).toBe(sample.counties.reduce((a, c) => a + c.quota, 0));
    for (const c of sample.counties) {
      expect(c.stages.primary.posts + c.stages.junior.posts).toBe(c.quota);
      for (const st of ['primary', 'junior'] as const) {
        const rows = sample.rows.filter((r) => r.stage === st);
        const g = c.stages[st];
        expect([sum(rows, 'posts'), sum(rows, 'senior'), sum(rows, 'first'), sum(rows, 'second')]).toEqual([g.posts, g.senior, g.first, g.second]);
        expect(g.senior + g.first + g.second).toBe(g.posts);
      }
    }
    for (const r of sample.rows) expect(r.senior + r.first + r.second).toBe(r.posts);
  });

  it('gives every number its rule, in Chinese and in English; the floored rows hold the county\'s floors', () => {
    for (const c of sample.counties) expect(c.floored.posts).toBeGreaterThan(0);
    expect(sum(sample.rows.filter((r) => r.floored), 'posts')).toBe(sample.counties.reduce((a, c) => a + c.floored.posts, 0));
    expect(new Set(sample.rows.filter((r) => r.floored).map((r) => r.school_id)).size).toBe(sample.counties.reduce((a, c) => a + c.floored.schools, 0));
    for (const r of sample.rows) {
      expect(r.rule.startsWith('乡村小规模学校保底')).toBe(r.floored);
      expect(r.rule).toMatch(/(县编制总量|乡村小规模学校保底).*岗位结构/);
      expect(r.rule_en).toMatch(/(county quota|small rural school floor).*post structure/);
      expect(r.rule_en).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('posts.csv is byte for byte what `lungang posts` writes for the same files and policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lungang-posts-'));
    try {
      const cli = await lungang('posts', sampleDir('sample-county'), '--out', join(dir, 'posts.csv'));
      expect(cli.code, cli.stderr).toBe(0);
      const res = await get(`/api/scenarios/${sampleScenario}/posts.csv`, s.cookie.auditor);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.body).toBe(await readFile(join(dir, 'posts.csv'), 'utf8'));
      expect(res.body.trimEnd().split('\n')).toHaveLength(sample.rows.length + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('follows the scenario\'s policy.posts: a floor of 2 teachers per class puts more posts in the small rural schools', async () => {
    const ds = await uploadSample(s, 'small-county');
    const one = (await createScenario(s, ds.id)).id;
    const two = (await createScenario(s, ds.id, { policy: { posts: { teachersPerClass: 2 } } })).id;
    const [a, b] = await Promise.all([get(`/api/scenarios/${one}/posts`), get(`/api/scenarios/${two}/posts`)]);
    const [pa, pb] = [a.json() as Posts, b.json() as Posts];
    expect(pb.counties[0]!.quota).toBe(pa.counties[0]!.quota);
    expect(pb.counties[0]!.floored.posts).toBeGreaterThan(pa.counties[0]!.floored.posts);
    expect(pb.rows.find((r) => r.rule.includes('乡村小规模学校保底'))?.rule).toContain('× 2 人/班');
  });

  it('refuses a floor the county cannot pay for with the numbers, against schools.csv', async () => {
    // The tiny county with an approved quota of 1 per school (6 in all); its two rural schools have 3 classes each.
    const schools = (await readFile(join(sampleDir('tiny'), 'schools.csv'), 'utf8')).replace(/,\d+$/gm, ',1');
    const up = await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: await sampleForm('tiny', { 'schools.csv': schools }) });
    expect(up.statusCode, up.body).toBe(201);
    const sc = (await createScenario(s, up.json().id, { policy: { posts: { teachersPerClass: 2 } } })).id;
    const res = await get(`/api/scenarios/${sc}/posts`);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].text).toBe('schools.csv:0: -: [示范县] 乡村小规模学校保底共需 12 个编制，超过县编制总量 6：请降低每班保底人数（posts.teachersPerClass）或核增编制');
  });

  it('a file of three counties: each county\'s rows add up to its own totals, and posts.csv is still the CLI\'s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lungang-posts-city-'));
    try {
      writeCountyCsv(dir, generateCity({ counties: 3, teachersPerCounty: 300, seed: 7 }));
      const form = new FormData();
      for (const f of await readdir(dir)) form.append('files', new Blob([await readFile(join(dir, f))]), f);
      const up = await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: form as unknown as object });
      expect(up.statusCode, up.body).toBe(201);
      const schools = new Map(((await get(`/api/datasets/${up.json().id}/schools?page_size=200`)).json().items as { id: string; county: string }[]).map((x) => [x.id, x.county]));
      const sc = (await createScenario(s, up.json().id)).id;
      const city = (await get(`/api/scenarios/${sc}/posts`)).json() as Posts;
      expect(city.counties.map((c) => c.county)).toHaveLength(3);
      for (const c of city.counties) {
        const rows = city.rows.filter((r) => schools.get(r.school_id) === c.county);
        expect(sum(rows, 'posts')).toBe(c.quota);
        for (const st of ['primary', 'junior'] as const) {
          const g = c.stages[st];
          const ofStage = rows.filter((r) => r.stage === st);
          expect([sum(ofStage, 'posts'), sum(ofStage, 'senior'), sum(ofStage, 'first'), sum(ofStage, 'second')]).toEqual([g.posts, g.senior, g.first, g.second]);
        }
      }
      const cli = await lungang('posts', dir, '--out', join(dir, 'out', 'posts.csv'));
      expect(cli.code, cli.stderr).toBe(0);
      expect((await get(`/api/scenarios/${sc}/posts.csv`)).body).toBe(await readFile(join(dir, 'out', 'posts.csv'), 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers 404 for a scenario that does not exist', async () => {
    expect((await get('/api/scenarios/9999/posts')).statusCode).toBe(404);
  });
});

describe('use the posts as the needs', () => {
  let scenarioId: number;
  let posts: Posts;
  let csv: string;

  beforeAll(async () => {
    const ds = await uploadSample(s, 'small-county', { year: 2026, solver: FAST_POLICY.solver });
    scenarioId = (await createScenario(s, ds.id)).id;
    posts = (await get(`/api/scenarios/${scenarioId}/posts`)).json();
    csv = (await get(`/api/scenarios/${scenarioId}/posts.csv`)).body;
  });

  it('as computed: a new dataset of the same files plus posts.csv, and a copy of the scenario a run plans against them', async () => {
    const res = await asNeeds(scenarioId);
    expect(res.statusCode, res.body).toBe(201);
    const { dataset, scenario } = res.json() as { dataset: Dataset; scenario: { id: number; dataset_id: number; policy: unknown } };
    expect(scenario.dataset_id).toBe(dataset.id);
    expect(scenario.policy).toEqual((await get(`/api/scenarios/${scenarioId}`)).json().policy);
    const original = (await get(`/api/datasets/${posts.dataset_id}`)).json() as Dataset;
    expect(dataset.files.map((f) => f.name)).toEqual([...original.files.map((f) => f.name), 'posts.csv'].sort());
    expect(dataset.files.find((f) => f.name === 'posts.csv')?.sha256).toBe(createHash('sha256').update(csv).digest('hex'));
    // The same posts under the same policy: the share-out does not read the needs.
    expect((await get(`/api/scenarios/${scenario.id}/posts.csv`)).body).toBe(csv);

    const run = await waitForRun(s, (await startRun(s, scenario.id)).id, undefined, 120_000);
    const detail = (await get(`/api/runs/${run.id}`)).json() as { status: string; summary: { needs: { required_fte: number } } };
    expect(detail.status).toBe('done');
    expect(detail.summary.needs.required_fte).toBe(sum(posts.rows, 'posts'));
  }, 180_000);

  it('an edited posts.csv becomes the needs as uploaded', async () => {
    const lines = csv.trimEnd().split('\n');
    // The first row's posts up by 3 (its grades still within the posts).
    const cells = lines[1]!.split(',');
    cells[3] = String(Number(cells[3]) + 3);
    const edited = [lines[0], cells.join(','), ...lines.slice(2)].join('\n');
    const res = await asNeeds(scenarioId, { name: 'posts-edited.csv', content: edited });
    expect(res.statusCode, res.body).toBe(201);
    const { dataset, scenario } = res.json() as { dataset: Dataset; scenario: { id: number } };
    expect(dataset.files.find((f) => f.name === 'posts.csv')?.sha256).toBe(createHash('sha256').update(edited).digest('hex'));
    const run = await waitForRun(s, (await startRun(s, scenario.id)).id, undefined, 120_000);
    const detail = (await get(`/api/runs/${run.id}`)).json() as { summary: { needs: { required_fte: number } } };
    expect(detail.summary.needs.required_fte).toBe(sum(posts.rows, 'posts') + 3);
  }, 180_000);

  it('an edited posts.csv with errors is refused by posts.csv:line: column, and nothing is stored', async () => {
    const [datasets, scenarios] = [await datasetCount(), await scenarioCount()];
    const lines = csv.trimEnd().split('\n');
    const bad = [lines[0], lines[1]!.replace(/^([^,]*),([^,]*),([^,]*),\d+/, '$1,$2,$3,2.5'), ...lines.slice(2), 'NOSCHOOL,primary,art,1,0,0,1,'].join('\n');
    const res = await asNeeds(scenarioId, { name: 'posts.csv', content: bad });
    expect(res.statusCode).toBe(422);
    const texts = (res.json().errors as { text: string }[]).map((e) => e.text);
    expect(texts).toContainEqual(expect.stringMatching(/^posts\.csv:2: posts: /));
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^posts\\.csv:${lines.length + 1}: school_id: .*NOSCHOOL`)));
    expect([await datasetCount(), await scenarioCount()]).toEqual([datasets, scenarios]);
  });

  it('takes an edited posts.csv only as CSV, one file at a time (400, nothing stored)', async () => {
    const [datasets, scenarios] = [await datasetCount(), await scenarioCount()];
    expect((await asNeeds(scenarioId, { name: 'posts.xlsx', content: csv })).statusCode).toBe(400);
    const two = new FormData();
    for (const n of ['a.csv', 'b.csv']) two.append('posts', new Blob([csv]), n);
    expect((await s.app.inject({ method: 'POST', url: `/api/scenarios/${scenarioId}/posts/as-needs`, headers: { cookie: s.cookie.planner }, payload: two as unknown as object })).statusCode).toBe(400);
    expect([await datasetCount(), await scenarioCount()]).toEqual([datasets, scenarios]);
  });

  it('planners only: a leader may read the posts but not make a dataset of them', async () => {
    const res = await s.app.inject({ method: 'POST', url: `/api/scenarios/${scenarioId}/posts/as-needs`, headers: { cookie: s.cookie.leader } });
    expect(res.statusCode).toBe(403);
    expect((await get(`/api/scenarios/${scenarioId}/posts`, s.cookie.leader)).statusCode).toBe(200);
  });
});
