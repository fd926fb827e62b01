// Every route checks the role: not logged in → 401, a role that may not → 403, and a role that
// may is let through to the handler (which then answers 2xx, or 4xx for the made-up ids used
// here, but never 401/403). The table is the README's roles table; a route missing from it
// fails the first test, so new routes cannot skip the check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type TestRole, type TestServer, removeDir, startServer } from './helpers.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ALL: TestRole[] = [...ROLES];
const EDIT: TestRole[] = ['admin', 'planner'];
const ADMIN: TestRole[] = ['admin'];

// [method, path, roles allowed] — '*' = public, 'session' = any logged-in user.
const TABLE: [Method, string, TestRole[] | '*' | 'session'][] = [
  ['POST', '/api/session', '*'],
  ['GET', '/api/session', 'session'],
  ['DELETE', '/api/session', 'session'],
  ['PUT', '/api/session/password', 'session'],
  ['GET', '/api/users', ADMIN],
  ['POST', '/api/users', ADMIN],
  ['PATCH', '/api/users/{id}', ADMIN],
  ['DELETE', '/api/users/{id}', ADMIN],
  ['GET', '/api/datasets', ALL],
  ['POST', '/api/datasets', EDIT],
  ['GET', '/api/datasets/{id}', ALL],
  ['GET', '/api/datasets/{id}/schools', ALL],
  ['GET', '/api/datasets/{id}/teachers', ALL],
  ['DELETE', '/api/datasets/{id}', EDIT],
  ['GET', '/api/scenarios', ALL],
  ['POST', '/api/scenarios', EDIT],
  ['GET', '/api/scenarios/{id}', ALL],
  ['GET', '/api/scenarios/{id}/budget', ALL],
  ['GET', '/api/scenarios/{id}/rounds', ALL],
  ['GET', '/api/scenarios/{id}/rounds.csv', ALL],
  ['GET', '/api/scenarios/{id}/rounds/plan.csv', ALL],
  ['GET', '/api/scenarios/{id}/posts', ALL],
  ['GET', '/api/scenarios/{id}/posts.csv', ALL],
  ['PATCH', '/api/scenarios/{id}', EDIT],
  ['POST', '/api/scenarios/{id}/copy', EDIT],
  ['PUT', '/api/scenarios/{id}/notes', ['admin', 'planner', 'leader']],
  ['DELETE', '/api/scenarios/{id}', EDIT],
  ['GET', '/api/runs', ALL],
  ['POST', '/api/runs', EDIT],
  ['GET', '/api/runs/{id}', ALL],
  ['POST', '/api/runs/{id}/cancel', EDIT],
  ['DELETE', '/api/runs/{id}', EDIT],
  ['GET', '/api/runs/{id}/result', ALL],
  ['GET', '/api/runs/{id}/plan.csv', ALL],
  ['GET', '/api/runs/{id}/report.json', ALL],
  ['GET', '/api/runs/{id}/notice.xlsx', ALL],
  ['GET', '/api/runs/{id}/notice.html', ALL],
  ['GET', '/api/runs/{id}/workbook.xlsx', ALL],
  ['GET', '/api/runs/{id}/audit.pdf', ALL],
  ['GET', '/api/runs/{id}/audit', ALL],
  ['POST', '/api/scenarios/{id}/frontier', EDIT],
  ['POST', '/api/scenarios/{id}/rounds', EDIT],
  ['POST', '/api/scenarios/{id}/rounds/edited', EDIT],
  ['POST', '/api/scenarios/{id}/posts/as-needs', EDIT],
  ['GET', '/api/frontiers', ALL],
  ['GET', '/api/frontiers/{id}', ALL],
  ['POST', '/api/frontiers/{id}/cancel', EDIT],
  ['POST', '/api/frontiers/{id}/points/{index}/scenario', EDIT],
  ['POST', '/api/runs/{id}/adopt', ['admin', 'leader']],
  ['GET', '/api/comparisons', ['admin', 'leader']],
  ['GET', '/api/comparisons/teachers', ['admin', 'leader']],
  ['GET', '/api/comparisons.xlsx', ['admin', 'leader']],
  ['POST', '/api/audits', ['admin', 'auditor']],
  ['GET', '/api/activity', ['admin', 'auditor']],
];

// Ids that do not exist, so allowed requests reach the handler without changing anything.
const url = (path: string) => path.replace('{id}', '9999').replace('{index}', '0');
const BODY: Partial<Record<string, object>> = {
  'POST /api/users': { username: 'x', role: 'nope', password: 'short' },
  'PATCH /api/users/{id}': {},
  'POST /api/scenarios': { dataset_id: 9999, name: 'x' },
  'PATCH /api/scenarios/{id}': {},
  'POST /api/scenarios/{id}/copy': {},
  'PUT /api/scenarios/{id}/notes': { notes: 'x' },
  'POST /api/runs': { scenario_id: 9999 },
};

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const call = (method: Method, path: string, cookie?: string) => {
  const body = BODY[`${method} ${path}`];
  return s.app.inject({ method, url: url(path), headers: cookie ? { cookie } : {}, ...(body ? { payload: body } : {}) });
};

describe('role checks', () => {
  it('the table covers every /api route in the OpenAPI document', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).filter((r) => r.includes(' /api/'));
    expect(documented.sort()).toEqual(TABLE.map(([m, p]) => `${m} ${p}`).sort());
  });

  it('answers 401 without a session on every route but login', async () => {
    for (const [method, path, roles] of TABLE) {
      if (roles === '*') continue;
      const res = await call(method, path);
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.json().error).toBe('请先登录');
    }
  });

  for (const role of ROLES) {
    it(`${role}: 403 on every forbidden route, and never 401/403 on an allowed one`, async () => {
      const forbidden: string[] = [];
      for (const [method, path, roles] of TABLE) {
        if (roles === '*' || (method === 'DELETE' && path === '/api/session')) continue; // logging out would end the test's session
        if (method === 'PUT' && path === '/api/session/password') continue; // covered in session.test.ts
        const res = await call(method, path, s.cookie[role]);
        const allowed = roles === 'session' || roles.includes(role);
        if (allowed) expect([401, 403], `${role} ${method} ${path}: ${res.body}`).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, `${role} ${method} ${path}`).toBe(403);
          expect(res.json().error).toMatch(/无权/);
          forbidden.push(`${method} ${path}`);
        }
      }
      // The README's matrix, role by role.
      const expected = TABLE.filter(([m, p, r]) => r !== '*' && r !== 'session' && !r.includes(role)).map(([m, p]) => `${m} ${p}`);
      expect(forbidden).toEqual(expected);
      if (role === 'admin') expect(forbidden).toEqual([]);
    });
  }

  it('a user with a one-time password may only change it (403 elsewhere)', async () => {
    await s.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: s.cookie.admin }, payload: { username: 'newbie', role: 'planner', password: 'newbie-initial-pw' } });
    const login = await s.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'newbie', password: 'newbie-initial-pw' } });
    expect(login.json().user.must_change_password).toBe(true);
    const cookie = `sid=${login.cookies.find((c) => c.name === 'sid')!.value}`;
    const blocked = await s.app.inject({ method: 'GET', url: '/api/datasets', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error).toMatch(/一次性密码/);
    expect((await s.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
  });
});
