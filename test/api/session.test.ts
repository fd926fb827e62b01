// Login, sessions, passwords, user management and the append-only activity log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin, verifyPassword } from '../../server/auth.ts';
import { openDb } from '../../server/db.ts';
import { ADMIN_PASSWORD, type TestServer, login, otherConnection, removeDir, startServer, tempDir, testDatabase } from './helpers.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, cookie?: string, payload?: object) =>
  s.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

describe('sessions', () => {
  it('login sets an HttpOnly, SameSite=Strict session cookie on / and GET /api/session returns the user', async () => {
    const res = await inject('POST', '/api/session', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'admin', role: 'admin', must_change_password: false });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^sid=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;
    const me = await inject('GET', '/api/session', cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('admin');
  });

  it('wrong password and unknown user get the same 401', async () => {
    const wrong = await inject('POST', '/api/session', undefined, { username: 'admin', password: 'not-the-password' });
    const unknown = await inject('POST', '/api/session', undefined, { username: 'nobody', password: 'whatever-pw' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('rejects a malformed login body with 400 and a Chinese message', async () => {
    const res = await inject('POST', '/api/session', undefined, { username: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^请求参数不正确/);
  });

  it('logout ends the session', async () => {
    const cookie = await login(s.app, 'admin', ADMIN_PASSWORD);
    const out = await inject('DELETE', '/api/session', cookie);
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^sid=;/);
    expect((await inject('GET', '/api/session', cookie)).statusCode).toBe(401);
  });

  it('a forged cookie is not a session', async () => {
    expect((await inject('GET', '/api/session', 'sid=forged-token')).statusCode).toBe(401);
  });

  it('changing the password checks the current one, ends other sessions and keeps this one', async () => {
    await inject('POST', '/api/users', s.cookie.admin, { username: 'pwuser', role: 'leader', password: 'pwuser-initial' });
    const a = await login(s.app, 'pwuser', 'pwuser-initial');
    const b = await login(s.app, 'pwuser', 'pwuser-initial');
    expect((await inject('PUT', '/api/session/password', a, { current_password: 'wrong', new_password: 'pwuser-second-pw' })).statusCode).toBe(400);
    const short = await inject('PUT', '/api/session/password', a, { current_password: 'pwuser-initial', new_password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toContain('密码至少10个字符');
    expect((await inject('PUT', '/api/session/password', a, { current_password: 'pwuser-initial', new_password: 'pwuser-second-pw' })).statusCode).toBe(204);
    expect((await inject('GET', '/api/session', a)).json().user.must_change_password).toBe(false);
    expect((await inject('GET', '/api/session', b)).statusCode).toBe(401);
    await login(s.app, 'pwuser', 'pwuser-second-pw');
  });
});

describe('users (admin)', () => {
  it('creates, lists, updates and deletes users; never shows password hashes', async () => {
    const created = await inject('POST', '/api/users', s.cookie.admin, { username: 'wang.li', role: 'planner', password: 'initial-password' });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({ username: 'wang.li', role: 'planner', must_change_password: true, disabled: false });
    expect((await inject('POST', '/api/users', s.cookie.admin, { username: 'wang.li', role: 'planner', password: 'initial-password' })).statusCode).toBe(409);
    expect((await inject('POST', '/api/users', s.cookie.admin, { username: '王', role: 'planner', password: 'initial-password' })).statusCode).toBe(400);

    const list = await inject('GET', '/api/users', s.cookie.admin);
    expect(list.body).not.toContain('scrypt');
    expect(list.json().items.map((u: { username: string }) => u.username)).toContain('wang.li');

    const session = await login(s.app, 'wang.li', 'initial-password');
    const patched = await inject('PATCH', `/api/users/${user.id}`, s.cookie.admin, { role: 'auditor' });
    expect(patched.json().role).toBe('auditor');
    // A role change takes effect at once: the old session is gone.
    expect((await inject('GET', '/api/session', session)).statusCode).toBe(401);

    expect((await inject('PATCH', `/api/users/${user.id}`, s.cookie.admin, { disabled: true })).json().disabled).toBe(true);
    expect((await inject('POST', '/api/session', undefined, { username: 'wang.li', password: 'initial-password' })).statusCode).toBe(401);

    expect((await inject('DELETE', `/api/users/${user.id}`, s.cookie.admin)).statusCode).toBe(204);
    expect((await inject('DELETE', `/api/users/${user.id}`, s.cookie.admin)).statusCode).toBe(404);
    expect((await inject('PATCH', '/api/users/9999', s.cookie.admin, { role: 'leader' })).statusCode).toBe(404);
  });

  it('an admin cannot delete themself or remove the last admin', async () => {
    const me = (await inject('GET', '/api/session', s.cookie.admin)).json().user;
    expect((await inject('DELETE', `/api/users/${me.id}`, s.cookie.admin)).statusCode).toBe(409);
    const demote = await inject('PATCH', `/api/users/${me.id}`, s.cookie.admin, { role: 'planner' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error).toContain('最后一名管理员');
  });
});

describe('activity log', () => {
  it('records writes with user ids and no personal data, and the database refuses to change it', async () => {
    const res = await inject('GET', '/api/activity?limit=500', s.cookie.auditor);
    expect(res.statusCode).toBe(200);
    const items: { action: string; user_id: number | null; details: Record<string, unknown> | null }[] = res.json().items;
    const actions = new Set(items.map((i) => i.action));
    for (const a of ['session.create', 'session.delete', 'user.create', 'user.update', 'user.delete', 'user.password']) expect(actions).toContain(a);
    expect(res.body).not.toMatch(/wang\.li|password-|initial/);
    expect(items.filter((i) => i.action === 'user.create').every((i) => i.user_id !== null || i.details?.first_start === true)).toBe(true);

    const raw = await otherConnection(s);
    await expect(raw.run('UPDATE activity SET action = ?', 'x')).rejects.toThrow(/append-only/);
    await expect(raw.run('DELETE FROM activity')).rejects.toThrow(/append-only/);
    await raw.close();
  });

  it('pages with before= and filters by entity', async () => {
    const first = (await inject('GET', '/api/activity?limit=2', s.cookie.admin)).json().items;
    expect(first).toHaveLength(2);
    const next = (await inject('GET', `/api/activity?limit=2&before=${first[1].id}`, s.cookie.admin)).json().items;
    expect(next[0].id).toBeLessThan(first[1].id);
    const users = (await inject('GET', '/api/activity?entity=user', s.cookie.admin)).json().items;
    expect(users.every((i: { entity: string }) => i.entity === 'user')).toBe(true);
  });
});

describe('first start', () => {
  it('creates an admin with a one-time password when no LUNGANG_ADMIN_PASSWORD is set, and only once', async () => {
    const dir = await tempDir();
    const db = await openDb(testDatabase(dir, 'first'));
    const first = await ensureAdmin(db);
    expect(first.created).toBe(true);
    expect(first.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const row = (await db.get<{ password_hash: string; must_change_password: number }>("SELECT * FROM users WHERE username = 'admin'"))!;
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row.must_change_password).toBe(1);
    expect(await verifyPassword(first.oneTimePassword!, row.password_hash)).toBe(true);
    expect(await ensureAdmin(db)).toEqual({ created: false });
    await db.close();
    await removeDir(dir);
  });
});
