// Login back-off per name and per address, the lockout an admin lifts, and failed logins in the
// activity log. A fake clock drives the back-off; each test logs in from its own address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/db.ts';
import { LOCK_AFTER, unlockByName } from '../../server/login-lockout.ts';
import { FREE_FAILURES, LoginThrottle, MAX_WAIT_MS } from '../../server/login-throttle.ts';
import { type TestServer, removeDir, startServer, tempDir, testDatabase } from './helpers.ts';

let clock = 1_000_000;
let s: TestServer;
beforeAll(async () => { s = await startServer({ loginClock: () => clock }); });
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const tryLogin = (username: string, password: string, ip: string) =>
  s.app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress: ip });
const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  s.app.inject({ method, url, headers: { cookie: s.cookie.admin }, ...(payload ? { payload } : {}) });

async function addUser(username: string): Promise<{ id: number; password: string }> {
  const password = `${username}-right-pw`;
  const res = await admin('POST', '/api/users', { username, role: 'planner', password });
  expect(res.statusCode).toBe(201);
  return { id: res.json().id, password };
}

/** LOCK_AFTER wrong passwords, the clock moved past every back-off in between. */
async function lockOut(username: string, ip: string): Promise<void> {
  for (let i = 0; i < LOCK_AFTER; i++) {
    clock += MAX_WAIT_MS + 1000;
    expect((await tryLogin(username, `wrong-guess-${i}`, ip)).statusCode).toBe(401);
  }
}

const userRow = async (id: number) => (await admin('GET', '/api/users')).json().items.find((u: { id: number }) => u.id === id);

describe('back-off', () => {
  it('after 3 wrong passwords the 4th attempt is refused with 429 and retry-after, even with the right password', async () => {
    const u = await addUser('backoff.user');
    const ip = '10.0.0.1';
    for (let i = 0; i < FREE_FAILURES; i++) expect((await tryLogin('backoff.user', 'wrong-guess', ip)).statusCode).toBe(401);
    const refused = await tryLogin('backoff.user', u.password, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error).toBe('登录失败次数过多，请 1 秒后再试');
    expect(refused.headers['set-cookie']).toBeUndefined();

    // The wait doubles with each further failure.
    clock += 1001;
    expect((await tryLogin('backoff.user', 'wrong-guess', ip)).statusCode).toBe(401);
    expect((await tryLogin('backoff.user', u.password, ip)).headers['retry-after']).toBe('2');

    // Past the back-off the right password works and clears it: 3 more wrong ones are free again.
    clock += 2001;
    expect((await tryLogin('backoff.user', u.password, ip)).statusCode).toBe(200);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await tryLogin('backoff.user', 'wrong-guess', ip)).statusCode).toBe(401);
    expect((await tryLogin('backoff.user', 'wrong-guess', ip)).statusCode).toBe(429);
    expect((await userRow(u.id)).failed_logins).toBe(FREE_FAILURES);
  });

  it('the back-off by name holds from another address, and names differing in case share it', async () => {
    const u = await addUser('case.user');
    for (let i = 0; i < FREE_FAILURES; i++) expect((await tryLogin('case.user', 'wrong-guess', `10.0.1.${i}`)).statusCode).toBe(401);
    expect((await tryLogin('CASE.USER', u.password, '10.0.1.9')).statusCode).toBe(429);
    expect((await tryLogin('case.user', u.password, '10.0.1.9')).statusCode).toBe(429);
    clock += 1001;
    expect((await tryLogin('case.user', u.password, '10.0.1.9')).statusCode).toBe(200);
  });

  it('the back-off by address holds across user names', async () => {
    const u = await addUser('spray.target');
    const ip = '10.0.0.2';
    for (const name of ['ghost-one', 'ghost-two', 'admin']) expect((await tryLogin(name, 'wrong-guess', ip)).statusCode).toBe(401);
    expect((await tryLogin('spray.target', u.password, ip)).statusCode).toBe(429);
    // Another address is not held back, and the refused attempt did not count against the name.
    expect((await tryLogin('spray.target', u.password, '10.0.0.3')).statusCode).toBe(200);
  });

  it('guesses sent at once are throttled too', async () => {
    await addUser('parallel.user');
    const codes = (await Promise.all(Array.from({ length: 8 }, (_, i) => tryLogin('parallel.user', `guess-${i}`, '10.0.0.4')))).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(FREE_FAILURES);
    expect(codes.filter((c) => c === 429)).toHaveLength(8 - FREE_FAILURES);
  });
});

describe('behind a proxy', () => {
  it('with trustProxy the back-off counts per forwarded client address, not per proxy', async () => {
    const proxied = await startServer({ trustProxy: '127.0.0.1' });
    try {
      const via = (client: string, username: string) => proxied.app.inject({
        method: 'POST', url: '/api/session', payload: { username, password: 'wrong-guess' }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client },
      });
      for (const name of ['ghost-a', 'ghost-b', 'ghost-c']) expect((await via('192.0.2.1', name)).statusCode).toBe(401);
      expect((await via('192.0.2.1', 'ghost-d')).statusCode).toBe(429);
      expect((await via('192.0.2.2', 'ghost-d')).statusCode).toBe(401);
    } finally {
      await proxied.close();
      await removeDir(proxied.dir);
    }
  });
});

describe('lockout', () => {
  it(`${LOCK_AFTER} wrong passwords lock the account until an admin unlocks it`, async () => {
    const u = await addUser('lock.user');
    const ip = '10.0.0.5';
    await lockOut('lock.user', ip);
    clock += MAX_WAIT_MS + 1000;
    const locked = await tryLogin('lock.user', u.password, ip);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error).toBe('账号因多次登录失败已锁定，请联系管理员解锁');
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect(await userRow(u.id)).toMatchObject({ locked: true, failed_logins: LOCK_AFTER });

    const patched = await admin('PATCH', `/api/users/${u.id}`, { locked: false });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ locked: false, failed_logins: 0 });
    // At once, from another address: the unlock also ends the back-off of the name.
    expect((await tryLogin('lock.user', u.password, '10.0.0.6')).statusCode).toBe(200);

    const log = (await admin('GET', `/api/activity?entity=user&entity_id=${u.id}`)).json().items;
    expect(log.find((e: { action: string }) => e.action === 'session.lockout')).toMatchObject({ user_id: null, details: { failed_logins: LOCK_AFTER } });
    expect(log.find((e: { action: string }) => e.action === 'user.update')).toMatchObject({ details: { unlocked: true } });
  });

  it('only lifting is accepted: locked: true is a bad request', async () => {
    const u = await addUser('nolock.user');
    expect((await admin('PATCH', `/api/users/${u.id}`, { locked: true })).statusCode).toBe(400);
  });

  it('a password reset by the admin also unlocks', async () => {
    const u = await addUser('reset.user');
    await lockOut('reset.user', '10.0.0.7');
    const reset = await admin('PATCH', `/api/users/${u.id}`, { password: 'reset-user-new-pw' });
    expect(reset.json()).toMatchObject({ locked: false, failed_logins: 0, must_change_password: true });
    const res = await tryLogin('reset.user', 'reset-user-new-pw', '10.0.0.8');
    expect(res.statusCode).toBe(200);
  });

  it('a successful login resets the count of wrong passwords', async () => {
    const u = await addUser('count.user');
    for (let i = 0; i < LOCK_AFTER - 1; i++) {
      clock += MAX_WAIT_MS + 1000;
      await tryLogin('count.user', 'wrong-guess', '10.0.0.9');
    }
    expect((await userRow(u.id)).failed_logins).toBe(LOCK_AFTER - 1);
    clock += MAX_WAIT_MS + 1000;
    expect((await tryLogin('count.user', u.password, '10.0.0.9')).statusCode).toBe(200);
    expect((await userRow(u.id)).failed_logins).toBe(0);
  });

  it('`lungang unlock` lifts a lock without an admin session', async () => {
    const dir = await tempDir();
    const db = await openDb(testDatabase(dir, 'unlock'));
    const id = await db.insert("INSERT INTO users (username, role, password_hash, created_at, failed_logins, locked) VALUES ('admin', 'admin', 'x', 'now', 12, 1)");
    expect(await unlockByName(db, 'nobody')).toBe(false);
    expect(await unlockByName(db, 'admin')).toBe(true);
    expect(await db.get('SELECT failed_logins, locked FROM users WHERE id = ?', id)).toEqual({ failed_logins: 0, locked: 0 });
    expect(await db.get("SELECT user_id, entity_id, details FROM activity WHERE action = 'user.update'"))
      .toEqual({ user_id: null, entity_id: id, details: JSON.stringify({ unlocked: true, command_line: true }) });
    await db.close();
    await removeDir(dir);
  });
});

describe('activity log', () => {
  it('records each failed login with its reason and the user id, never the typed name, password or address', async () => {
    const u = await addUser('gone.user');
    await admin('PATCH', `/api/users/${u.id}`, { disabled: true });
    clock += MAX_WAIT_MS + 1000;
    expect((await tryLogin('gone.user', u.password, '10.0.2.1')).statusCode).toBe(401);

    const res = await admin('GET', '/api/activity?limit=500&entity=user');
    const fails: { entity_id: number | null; user_id: number | null; details: Record<string, unknown> }[] =
      res.json().items.filter((e: { action: string }) => e.action === 'session.fail');
    const reasons = new Set(fails.map((f) => f.details.reason));
    expect([...reasons].sort()).toEqual(['disabled', 'locked', 'password', 'throttled', 'unknown_user']);
    for (const f of fails) {
      expect(Object.keys(f.details)).toEqual(['reason']);
      expect(f.user_id).toBeNull();
      // The user's id when the name exists (a throttled attempt may be on either).
      if (f.details.reason === 'unknown_user') expect(f.entity_id).toBeNull();
      else if (f.details.reason !== 'throttled') expect(f.entity_id).toEqual(expect.any(Number));
    }
    expect(fails.find((f) => f.details.reason === 'disabled')?.entity_id).toBe(u.id);
    // Nothing typed into the login form and no address, anywhere in the log.
    expect(res.body).not.toMatch(/wrong-guess|guess-\d|right-pw|ghost-|lock\.user|CASE|10\.0\./);
  });

  it('a hammered back-off is logged once, not once per refused attempt', async () => {
    const log = async () => (await admin('GET', '/api/activity?limit=500&entity=user')).json().items as { details: { reason: string } }[];
    const before = (await log()).length;
    const ip = '10.0.3.1';
    for (let i = 0; i < FREE_FAILURES; i++) await tryLogin('ghost-three', 'wrong-guess', ip);
    for (let i = 0; i < 5; i++) expect((await tryLogin('ghost-three', 'wrong-guess', ip)).statusCode).toBe(429);
    const after = await log();
    expect(after.slice(0, after.length - before).map((e) => e.details.reason)).toEqual(['throttled', 'unknown_user', 'unknown_user', 'unknown_user']);
  });
});

describe('LoginThrottle', () => {
  it('waits 2^(n−3) s after the n-th failure, at most 15 minutes', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    const waits: number[] = [];
    for (let n = 1; n <= 14; n++) {
      th.fail(['k']);
      waits.push(th.check(['k'])?.retryAfter ?? 0);
      t += MAX_WAIT_MS;
    }
    expect(waits).toEqual([0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  });

  it('reports the first refusal of a back-off only, takes the slowest key, and clears', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    for (let i = 0; i < 4; i++) th.fail(['a']);
    for (let i = 0; i < 3; i++) th.fail(['b']);
    expect(th.check(['a', 'b'])).toEqual({ retryAfter: 2, first: true });
    expect(th.check(['a', 'b'])).toEqual({ retryAfter: 2, first: false });
    t += 1500;
    expect(th.check(['b'])).toBeNull();
    th.clear(['a']);
    expect(th.check(['a', 'b'])).toBeNull();
  });

  it('forgets keys idle for an hour and keeps at most 10,000', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    for (let i = 0; i < 3; i++) th.fail(['old']);
    t += 61 * 60_000;
    expect(th.check(['old'])).toBeNull();
    for (let i = 0; i < 10_050; i++) th.fail([`ip:${i}`]);
    expect(th.size).toBe(10_000);
    th.fail(['ip:0']);
    expect(th.size).toBe(10_000);
  });
});
