// Runs of two users share the server's solve lanes (server/lanes.ts), taking turns: with ONE lane,
// a second user's single-county run ends while the first user's many-county run is still going,
// and both plans are complete and pass their audit.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity, writeCountyCsv } from '../../data/generate.ts';
import {
  ADMIN_PASSWORD, FAST_POLICY, type TestServer, addUser, createScenario, login, removeDir, startRun, startServer, uploadSample, waitForRun,
} from './helpers.ts';

let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startServer({ poolSize: 2, lanes: 1 });
  dir = await mkdtemp(join(tmpdir(), 'lungang-lanes-'));
});
afterAll(async () => { await s.close(); await removeDir(s.dir); await removeDir(dir); });

async function uploadCity(): Promise<number> {
  writeCountyCsv(dir, generateCity({ counties: 6, teachersPerCounty: 200, seed: 21 }));
  const form = new FormData();
  form.append('name', 'six counties');
  for (const f of (await readdir(dir)).filter((name) => name !== 'policy.json')) form.append('files', new Blob([new Uint8Array(await readFile(join(dir, f)))]), f);
  // Small generated counties may not keep every CV from worsening: a plan, not a conflict, is the point here.
  form.append('files', new Blob([JSON.stringify({ ...FAST_POLICY, indicators: { neverWorse: false } })]), 'policy.json');
  const res = await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: form });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('two users on one solve lane', () => {
  it('the single county of the second user does not wait for the first user\'s six', async () => {
    const other = await addUser(s.app, await login(s.app, 'admin', ADMIN_PASSWORD), 'planner2', 'planner');
    const city = (await createScenario(s, await uploadCity())).id;
    const tiny = (await createScenario(s, (await uploadSample(s, 'small-county', FAST_POLICY)).id)).id;
    const many = await startRun(s, city);
    const one = await startRun(s, tiny, other);
    const oneDone = await waitForRun(s, one.id, undefined, 300_000);
    const manyThen = await waitForRun(s, many.id, () => true);
    expect(oneDone.status, oneDone.message ?? '').toBe('done');
    expect(manyThen.status).toBe('running');
    const manyDone = await waitForRun(s, many.id, undefined, 300_000);
    expect(manyDone.status, manyDone.message ?? '').toBe('done');
    expect(manyDone.summary?.audit_ok).toBe(true);
    expect(oneDone.summary?.audit_ok).toBe(true);
  }, 600_000);
});

describe('job slots between users', () => {
  it('start a user\'s first run before another user\'s second, older one', async () => {
    const t = await startServer({ poolSize: 1, lanes: 1 });
    try {
      const other = await addUser(t.app, await login(t.app, 'admin', ADMIN_PASSWORD), 'planner3', 'planner');
      const small = (await createScenario(t, (await uploadSample(t, 'small-county', FAST_POLICY)).id)).id;
      const first = await startRun(t, small);
      const second = await startRun(t, small);
      const theirs = await startRun(t, small, other);
      type Times = { status: string; started_at: string; finished_at: string };
      const [a, b, c] = [
        await waitForRun(t, first.id, undefined, 300_000), await waitForRun(t, second.id, undefined, 300_000), await waitForRun(t, theirs.id, undefined, 300_000),
      ] as unknown as Times[];
      for (const r of [a, b, c]) expect(r!.status).toBe('done');
      // One slot: the first run, then the other user's, and only then this user's second (older) run.
      expect(c!.started_at >= a!.finished_at).toBe(true);
      expect(b!.started_at >= c!.finished_at).toBe(true);
    } finally {
      await t.close();
      await removeDir(t.dir);
    }
  }, 600_000);
});
