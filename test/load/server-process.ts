// A real `lungang serve` (or `lungang worker`) child process for the load scripts: started on a
// free loopback port and awaited until it says it is ready.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export const freePort = () => new Promise<number>((done, fail) => {
  const srv = createServer();
  srv.once('error', fail);
  srv.listen(0, '127.0.0.1', () => {
    const address = srv.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    srv.close(() => done(port));
  });
});

/** Starts `lungang <command>` with `env` added; resolves once its output contains `ready`. */
export function startLungang(command: 'serve' | 'worker', env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'lungang.mjs'), command], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((done, fail) => {
    const onData = (b: Buffer) => {
      // Only the start is kept: the rest of the output (request logs) is read and dropped.
      if (out.length < 100_000) out += b.toString();
      if (out.includes(ready)) done(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`lungang ${command} exited (${code}):\n${out}`)));
  });
}

/** The server with its own database: `DATABASE_PATH` (SQLite) or `LUNGANG_DATABASE_URL` in `env`. */
export const startServer = (port: number, password: string, env: Record<string, string>): Promise<ChildProcess> =>
  // Request logs go to a pipe nobody reads; warn keeps them from flooding it.
  startLungang('serve', { PORT: String(port), HOST: '127.0.0.1', LUNGANG_ADMIN_PASSWORD: password, LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'warn', ...env }, '轮岗服务已启动');

/** Stops a child and waits for it to exit. */
export async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** The session cookie a login response sets. */
export const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

/** JSON requests to the API as the user of `cookie`: `send` gives the response, `api` the body or throws. */
export function apiClient(base: string) {
  const send = (path: string, init: RequestInit = {}, as = '') =>
    fetch(`${base}${path}`, { ...init, headers: { cookie: as, ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  const api = async (path: string, init: RequestInit = {}, as = '') => {
    const res = await send(path, init, as);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  const login = async (username: string, password: string) => {
    const res = await send('/api/session', { method: 'POST', body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return cookieOf(res);
  };
  /** A new user of `role`, logged in with the one-time password changed. */
  const addUser = async (admin: string, username: string, role: string) => {
    const initial = `${username}-initial-pw`;
    await api('/api/users', { method: 'POST', body: JSON.stringify({ username, role, password: initial }) }, admin);
    const cookie = await login(username, initial);
    await api('/api/session/password', { method: 'PUT', body: JSON.stringify({ current_password: initial, new_password: `${username}-final-pw` }) }, cookie);
    return cookie;
  };
  return { send, api, login, addUser };
}
