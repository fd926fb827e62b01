// The rounds of an appointment cycle through the API (issue 12): the upload keeps applications.csv,
// a run stores rounds.csv / rounds.json / the round-3 plan, stopping and going on (from the stored
// table or an edited upload) ends where a straight run ends, bad files store nothing, roles hold.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, createScenario, removeDir, startServer } from './helpers.ts';
import { writeRoundsCounty } from '../helpers/rounds-county.ts';

interface Summary { round: number; entered: number; placed: number; left: number; counted: number; share_of_eligible: number | null; ok: boolean }
interface Row { round: number; teacher_id: string; outcome: string; to_school_id: string; name: string }
interface Rounds { id: number; stop_after: number; from_round: number; rounds: Summary[]; audit_ok: boolean | null; rows: Row[] }

let s: TestServer;
let files: Record<string, string>;
let scenarioId: number;

const form = (entries: Record<string, string>, fields: Record<string, string> = {}) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [name, content] of Object.entries(entries)) f.append('files', new Blob([content]), name);
  return f;
};
const post = (url: string, payload: object | FormData, cookie = s.cookie.planner) => s.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
const get = (url: string, cookie = s.cookie.planner) => s.app.inject({ method: 'GET', url, headers: { cookie } });
const strip = (r: Rounds) => ({ rounds: r.rounds, audit_ok: r.audit_ok, rows: r.rows });

beforeAll(async () => {
  s = await startServer({ poolSize: 2 });
  files = writeRoundsCounty(join(s.dir, 'county'));
  const up = await post('/api/datasets', form(files, { name: 'rounds county' }));
  expect(up.statusCode, up.body).toBe(201);
  scenarioId = (await createScenario(s, up.json().id)).id;
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

describe('upload', () => {
  it('stores applications.csv with the contract files', async () => {
    const list = (await get('/api/datasets')).json().items as { name: string; files: { name: string }[] }[];
    expect(list.find((d) => d.name === 'rounds county')!.files.map((f) => f.name)).toContain('applications.csv');
  });

  it('rejects a bad applications.csv with file:line: column and stores nothing', async () => {
    const before = (await get('/api/datasets')).json().items.length;
    const bad = `${files['applications.csv']!.trimEnd()}\nNOBODY,S001,1\n`;
    const line = bad.trimEnd().split('\n').length;
    const res = await post('/api/datasets', form({ ...files, 'applications.csv': bad }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { text: string }) => e.text)).toContainEqual(expect.stringMatching(new RegExp(`^applications\\.csv:${line}: teacher_id:`)));
    expect((await get('/api/datasets')).json().items.length).toBe(before);
  });
});

describe('running the rounds', () => {
  let straight: Rounds;
  let straightPlan: string;

  beforeAll(async () => {
    const res = await post(`/api/scenarios/${scenarioId}/rounds`, {});
    expect(res.statusCode, res.body).toBe(201);
    straight = res.json();
    straightPlan = (await get(`/api/scenarios/${scenarioId}/rounds/plan.csv`)).body;
  });

  it('stores all three rounds, their counts matching their rows, and the final audit', async () => {
    expect(straight.stop_after).toBe(3);
    expect(straight.rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    for (const r of straight.rounds) {
      const rows = straight.rows.filter((x) => x.round === r.round);
      expect(r.entered).toBe(rows.length);
      expect(r.placed).toBe(rows.filter((x) => x.outcome === 'placed').length);
      expect(r.left).toBe(r.entered - r.placed);
    }
    // Those a round leaves are exactly who enters the next.
    expect(straight.rounds[1]!.entered).toBe(straight.rounds[0]!.left);
    expect(straight.rounds[2]!.entered).toBe(straight.rounds[1]!.left);
    expect(typeof straight.audit_ok).toBe('boolean');
    expect(straightPlan.split('\n')[0]).toContain('teacher_id');
    expect((await get(`/api/scenarios/${scenarioId}/rounds`)).json()).toEqual(straight);
  });

  it('stops after round 1, then goes on from the stored table to the straight result', async () => {
    const one: Rounds = (await post(`/api/scenarios/${scenarioId}/rounds`, { stop_after: 1 })).json();
    expect(one.rounds.map((r) => r.round)).toEqual([1]);
    expect(one.audit_ok).toBeNull();
    expect((await get(`/api/scenarios/${scenarioId}/rounds/plan.csv`)).statusCode).toBe(409);
    const res = await post(`/api/scenarios/${scenarioId}/rounds`, { go_on: true });
    expect(res.statusCode, res.body).toBe(201);
    const on: Rounds = res.json();
    expect(on.from_round).toBe(1);
    expect(strip(on)).toEqual(strip(straight));
    expect((await get(`/api/scenarios/${scenarioId}/rounds/plan.csv`)).body).toBe(straightPlan);
  });

  it('goes on from an uploaded rounds.csv after round 2 to the straight result', async () => {
    await post(`/api/scenarios/${scenarioId}/rounds`, { stop_after: 2 });
    const csv = (await get(`/api/scenarios/${scenarioId}/rounds.csv`)).body;
    const res = await post(`/api/scenarios/${scenarioId}/rounds/edited`, form({ 'rounds.csv': csv }, { stop_after: '3' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().from_round).toBe(2);
    expect(strip(res.json())).toEqual(strip(straight));
  });

  it('refuses a bad edited file with file:line: column and stores nothing', async () => {
    await post(`/api/scenarios/${scenarioId}/rounds`, { stop_after: 1 });
    const stored: Rounds = (await get(`/api/scenarios/${scenarioId}/rounds`)).json();
    const lines = (await get(`/api/scenarios/${scenarioId}/rounds.csv`)).body.split('\n');
    // A round-1 post at another school: round 1 places a teacher at home only.
    const i = lines.findIndex((l, k) => k > 0 && l.includes(',placed,'));
    const cells = lines[i]!.split(',');
    const other = stored.rows.find((r) => r.to_school_id !== '' && r.to_school_id !== cells[4])!.to_school_id;
    cells[4] = other;
    lines[i] = cells.join(',');
    const res = await post(`/api/scenarios/${scenarioId}/rounds/edited`, form({ 'rounds.csv': lines.join('\n') }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { text: string }) => e.text)).toContainEqual(expect.stringMatching(new RegExp(`^rounds\\.csv:${i + 1}: to_school_id:`)));
    expect((await get(`/api/scenarios/${scenarioId}/rounds`)).json().id).toBe(stored.id);
    // Going on to a round the table already has is refused too.
    const again = await post(`/api/scenarios/${scenarioId}/rounds/edited`, form({ 'rounds.csv': (await get(`/api/scenarios/${scenarioId}/rounds.csv`)).body }, { stop_after: '1' }));
    expect(again.statusCode).toBe(400);
    expect((await get(`/api/scenarios/${scenarioId}/rounds`)).json().id).toBe(stored.id);
  });

  it('lets planners run and everyone read; auditors see masked names', async () => {
    for (const role of ['leader', 'auditor'] as const) {
      expect((await post(`/api/scenarios/${scenarioId}/rounds`, {}, s.cookie[role])).statusCode).toBe(403);
      expect((await get(`/api/scenarios/${scenarioId}/rounds.csv`, s.cookie[role])).statusCode).toBe(200);
    }
    const planner: Rounds = (await get(`/api/scenarios/${scenarioId}/rounds`)).json();
    const leader: Rounds = (await get(`/api/scenarios/${scenarioId}/rounds`, s.cookie.leader)).json();
    const auditor: Rounds = (await get(`/api/scenarios/${scenarioId}/rounds`, s.cookie.auditor)).json();
    expect(leader.rows.map((r) => r.name)).toEqual(planner.rows.map((r) => r.name));
    expect(auditor.rows.every((r, k) => r.name !== planner.rows[k]!.name && r.name.includes('*'))).toBe(true);
  });

  it('answers 404 for a scenario without rounds', async () => {
    const other = await createScenario(s, (await get(`/api/scenarios/${scenarioId}`)).json().dataset_id, { name: '另一个' });
    expect((await get(`/api/scenarios/${other.id}/rounds`)).statusCode).toBe(404);
    expect((await post(`/api/scenarios/${other.id}/rounds`, { go_on: true })).statusCode).toBe(400);
  });
});
