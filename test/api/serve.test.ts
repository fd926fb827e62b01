// `lungang serve` as a real process: first start creates the admin and loads the sample county
// with a default scenario; a restart does not load it again; request logs carry no query
// strings (they may hold searched names); SIGTERM stops it cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../helpers/datasets.ts';
import { removeDir, tempDir } from './helpers.ts';

interface Served { child: ChildProcess; url: string; output: () => string }

function serve(dbPath: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [repoPath('bin', 'lungang.mjs'), 'serve'], {
    cwd: repoPath(), env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, LUNGANG_ADMIN_PASSWORD: '', ...env },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /轮岗服务已启动：(http:\/\/[^\s（]+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1]!, output: () => out }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}`)); });
  });
}

async function stop(s: Served): Promise<number | null> {
  s.child.removeAllListeners('exit');
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  return exited;
}

async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: await res.json(), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
}

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await removeDir(d); });

describe('lungang serve', () => {
  it('first start: admin from LUNGANG_ADMIN_PASSWORD, sample county + 默认方案; restart keeps them without re-seeding', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const db = join(dir, 'var', 'lungang.db');
    const first = await serve(db, { LUNGANG_ADMIN_PASSWORD: 'serve-admin-pw' });
    try {
      const { cookie, status } = await login(first.url, 'admin', 'serve-admin-pw');
      expect(status).toBe(200);
      const get = async (path: string) => (await fetch(`${first.url}${path}`, { headers: { cookie } })).json();
      const datasets = (await get('/api/datasets')).items;
      expect(datasets).toHaveLength(1);
      expect(datasets[0].teachers).toBeGreaterThan(4000);
      const scenarios = (await get('/api/scenarios')).items;
      expect(scenarios.map((x: { name: string }) => x.name)).toEqual(['默认方案']);
      const teacher = (await get(`/api/datasets/${datasets[0].id}/teachers?page_size=1`)).items[0];
      expect((await get(`/api/datasets/${datasets[0].id}/teachers?q=${encodeURIComponent(teacher.name)}`)).total).toBeGreaterThan(0);
      const page = await fetch(`${first.url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(first.output()).toContain('"url":"/api/datasets/1/teachers"');
      expect(first.output()).not.toContain(teacher.name);
      expect(first.output()).not.toContain('serve-admin-pw');
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await serve(db, { LUNGANG_ADMIN_PASSWORD: 'ignored-now' });
    try {
      expect((await login(second.url, 'admin', 'ignored-now')).status).toBe(401);
      const { cookie } = await login(second.url, 'admin', 'serve-admin-pw');
      expect((await (await fetch(`${second.url}/api/datasets`, { headers: { cookie } })).json()).items).toHaveLength(1);
    } finally {
      await stop(second);
    }
  });

  it('without LUNGANG_ADMIN_PASSWORD prints a one-time admin password once, which must be changed', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const s = await serve(join(dir, 'x.db'));
    try {
      const m = /一次性密码：(\S+)/.exec(s.output());
      expect(m).not.toBeNull();
      const res = await login(s.url, 'admin', m![1]!);
      expect(res.status).toBe(200);
      expect(res.body.user.must_change_password).toBe(true);
      expect((await fetch(`${s.url}/api/datasets`, { headers: { cookie: res.cookie } })).status).toBe(403);
    } finally {
      await stop(s);
    }
  });
});
