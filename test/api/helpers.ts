// Shared set-up for the API tests: a server on a temp database, users of every role, uploads
// of the committed sample data, and polling a run until it ends. The same tests run on both back
// ends (vitest.config.ts): SQLite files, or databases on the throwaway PostgreSQL server that
// test/postgres-setup.ts provides to the `postgres` project.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../../server/app.ts';
import { type Db, openDb } from '../../server/db.ts';
import type { App } from '../../server/routes/http.ts';
import { repoPath } from '../helpers/datasets.ts';

export const ADMIN_PASSWORD = 'admin-password-123';
export const ROLES = ['admin', 'planner', 'leader', 'auditor'] as const;
export type TestRole = (typeof ROLES)[number];

export interface TestServer {
  app: App;
  dir: string;
  /** The server's database: a SQLite file or a postgres:// URL. */
  dbPath: string;
  /** Session cookie header per role (each role's user is created and has changed its one-time password). */
  cookie: Record<TestRole, string>;
  close(): Promise<void>;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lungang-api-'));
}

export async function login(app: App, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const sid = res.cookies.find((c) => c.name === 'sid');
  if (!sid) throw new Error('no sid cookie');
  return `sid=${sid.value}`;
}

/** Creates a user with `role` through the API and logs in (changing the one-time password first). */
export async function addUser(app: App, adminCookie: string, username: string, role: TestRole): Promise<string> {
  const initial = `${username}-initial-pw`;
  const created = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: adminCookie }, payload: { username, role, password: initial } });
  if (created.statusCode !== 201) throw new Error(`create ${username}: ${created.statusCode} ${created.body}`);
  const first = await login(app, username, initial);
  const changed = await app.inject({
    method: 'PUT', url: '/api/session/password', headers: { cookie: first },
    payload: { current_password: initial, new_password: `${username}-final-pw` },
  });
  if (changed.statusCode !== 204) throw new Error(`password ${username}: ${changed.statusCode} ${changed.body}`);
  return first;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server of the `postgres` project; '' (not provided) elsewhere. */
    postgresUrl: string;
  }
}

export const postgresUrl = (): string => inject('postgresUrl') ?? '';

/**
 * The database `name` of a test directory: a SQLite file in it, or on PostgreSQL a database named
 * after the directory (created on first open), so a second server on the same directory sees the same data.
 */
export function testDatabase(dir: string, name = 'lungang'): string {
  const server = postgresUrl();
  if (!server) return join(dir, `${name}.db`);
  const url = new URL(server);
  url.pathname = `/${`${basename(dir)}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  return url.toString();
}

/**
 * A second connection to a server's database, as another program would open it (an edit behind
 * the server's back: the tamper tests).
 */
export const otherConnection = (s: Pick<TestServer, 'dbPath'>): Promise<Db> => openDb(s.dbPath);

export async function startServer(opts: Partial<AppOptions> = {}, dir?: string): Promise<TestServer> {
  const d = dir ?? (await tempDir());
  const dbPath = testDatabase(d);
  const app = await buildApp({ dbPath, adminPassword: ADMIN_PASSWORD, webDir: join(d, 'no-web'), ...opts });
  const admin = await login(app, 'admin', ADMIN_PASSWORD);
  const existing = await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin } });
  const names = new Set((existing.json().items as { username: string }[]).map((u) => u.username));
  const cookie: Record<TestRole, string> = { admin, planner: '', leader: '', auditor: '' };
  for (const role of ['planner', 'leader', 'auditor'] as const) {
    cookie[role] = names.has(role) ? await login(app, role, `${role}-final-pw`) : await addUser(app, admin, role, role);
  }
  return {
    app, dir: d, dbPath, cookie,
    close: async () => { await app.close(); },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export type SampleName = 'sample-county' | 'small-county' | 'tiny';
export const sampleDir = (name: SampleName) => (name === 'tiny' ? repoPath('test', 'fixtures', 'tiny') : repoPath('data', name));

/** The sample's files as a multipart form, optionally with some files replaced or added. */
export async function sampleForm(name: SampleName, replace: Record<string, string | Buffer> = {}, datasetName?: string): Promise<FormData> {
  const dir = sampleDir(name);
  const form = new FormData();
  if (datasetName) form.append('name', datasetName);
  const files = new Map<string, string | Buffer>();
  for (const f of await readdir(dir)) files.set(f, await readFile(join(dir, f)));
  for (const [f, content] of Object.entries(replace)) files.set(f, content);
  for (const [f, content] of files) form.append('files', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), f);
  return form;
}

export async function uploadSample(s: TestServer, name: SampleName, policy?: object): Promise<{ id: number }> {
  const replace: Record<string, string> = policy ? { 'policy.json': JSON.stringify(policy) } : {};
  const res = await s.app.inject({ method: 'POST', url: '/api/datasets', headers: { cookie: s.cookie.planner }, payload: await sampleForm(name, replace, name) });
  if (res.statusCode !== 201) throw new Error(`upload ${name}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function createScenario(s: TestServer, datasetId: number, body: object = {}): Promise<{ id: number }> {
  const res = await s.app.inject({
    method: 'POST', url: '/api/scenarios', headers: { cookie: s.cookie.planner }, payload: { dataset_id: datasetId, name: '测试方案', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`scenario: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function startRun(s: TestServer, scenarioId: number, cookie = s.cookie.planner): Promise<{ id: number; status: string }> {
  const res = await s.app.inject({ method: 'POST', url: '/api/runs', headers: { cookie }, payload: { scenario_id: scenarioId } });
  if (res.statusCode !== 202) throw new Error(`run: ${res.statusCode} ${res.body}`);
  return res.json();
}

export interface RunStatus { id: number; status: string; message: string | null; progress: { phase: string } | null; elapsed_seconds: number | null; summary: { audit_ok: boolean; rotated: number } | null }

const ended = (r: { status: string }) => !['queued', 'running'].includes(r.status);

/** Polls a job (`/api/runs/7`, `/api/frontiers/3`) until `until` holds (default: it has ended). */
export async function waitForJob<T extends { status: string }>(s: TestServer, url: string, until: (r: T) => boolean = ended, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await s.app.inject({ method: 'GET', url, headers: { cookie: s.cookie.planner } });
    const job: T = res.json();
    if (until(job)) return job;
    if (Date.now() > end) throw new Error(`${url} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls a run until `until` holds (default: it has ended). */
export const waitForRun = (s: TestServer, id: number, until: (r: RunStatus) => boolean = ended, timeoutMs = 90_000): Promise<RunStatus> =>
  waitForJob(s, `/api/runs/${id}`, until, timeoutMs);

/** A policy with a short solver time limit, so test solves stay fast. */
export const FAST_POLICY = { solver: { timeLimitSeconds: 20 } };
