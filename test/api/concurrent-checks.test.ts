// Checks that a write depends on hold when requests race: the per-user solve limit, the last
// admin, a user name, a scenario deleted while a run of it starts. On PostgreSQL (READ COMMITTED) two
// transactions could both pass such a check unless the first locks what it checked (db.ts
// lockRows); SQLite's write transactions run one at a time anyway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, addUser, createScenario, removeDir, startServer, uploadSample } from './helpers.ts';

const LIMIT = 3;
let s: TestServer;
// No pool slots: runs stay queued, so the test solves nothing and every run counts against the limit.
beforeAll(async () => { s = await startServer({ poolSize: 0, maxActiveRunsPerUser: LIMIT }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const inject = (method: 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: object) =>
  s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

describe('concurrent requests', () => {
  it('of one user starting more runs than the limit at once: exactly the limit are accepted, the rest get 429', async () => {
    const d = await uploadSample(s, 'tiny');
    const sc = await createScenario(s, d.id);
    const cookie = await addUser(s.app, s.cookie.admin, 'racer', 'planner');
    const codes = (await Promise.all(Array.from({ length: 10 }, () => inject('POST', '/api/runs', cookie, { scenario_id: sc.id }))))
      .map((r) => r.statusCode);
    expect(codes.filter((c) => c === 202)).toHaveLength(LIMIT);
    expect(codes.filter((c) => c === 429)).toHaveLength(10 - LIMIT);
  });

  it('creating one user name twice at once: one 201, one 409 (the UNIQUE constraint decides, not a lookup)', async () => {
    const create = () => inject('POST', '/api/users', s.cookie.admin, { username: 'twin', role: 'planner', password: 'twin-initial-pw' });
    const codes = (await Promise.all([create(), create()])).map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409]);
  });

  // Last of those using the admin's session: it may be the one demoted (its sessions end).
  it('demoting the last two admins at once: only one is demoted', async () => {
    const second = await addUser(s.app, s.cookie.admin, 'second-admin', 'admin');
    const ids = Object.fromEntries(((await s.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: s.cookie.admin } })).json().items as { id: number; username: string }[])
      .map((u) => [u.username, u.id]));
    const codes = (await Promise.all([
      inject('PATCH', `/api/users/${ids['second-admin']}`, s.cookie.admin, { role: 'planner' }),
      inject('PATCH', `/api/users/${ids.admin}`, second, { role: 'planner' }),
    ])).map((r) => r.statusCode);
    // The other is refused: 409, or 401 when its admin was demoted (sessions ended) before it was read.
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
  });

  it('deleting a scenario while runs of it start: either the delete is refused or no run of it is left', async () => {
    const d = await uploadSample(s, 'tiny');
    const sc = await createScenario(s, d.id);
    const [deleted, started] = await Promise.all([
      inject('DELETE', `/api/scenarios/${sc.id}`, s.cookie.planner),
      inject('POST', '/api/runs', s.cookie.planner, { scenario_id: sc.id }),
    ]);
    if (deleted.statusCode === 204) expect(started.statusCode).toBe(404);
    else expect([deleted.statusCode, started.statusCode]).toEqual([409, 202]);
  });
});
