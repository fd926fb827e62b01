// What the browser tests, the screenshot script and the flows benchmark share: build the web
// app (into a temp dir, so parallel runs never race on web/dist), start the real server on a
// random port with a temp database, drive the API directly for set-up, and launch Debian's
// Chromium headless with a fresh profile.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../../server/app.ts';
import type { App } from '../../server/routes/http.ts';

export const repo = (...p: string[]) => resolve(import.meta.dirname, '..', '..', ...p);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'e2e-admin-password-1';

/** A committed sample county's contract files, as the upload takes them. */
export async function sampleFiles(county: 'small-county' | 'sample-county'): Promise<{ name: string; content: string }[]> {
  const names = ['schools.csv', 'teachers.csv', 'preferences.csv', 'locks.csv', 'policy.json'];
  return Promise.all(names.map(async (name) => ({ name, content: await readFile(repo('data', county, name), 'utf8') })));
}

/**
 * The small county with every kind of move (issue 11): 支教 and 走教 allowed (走教 within 25 km), the
 * 学区 preferred, and an outflow cap of 4.5% — a 走教 teacher keeps the home post and does not leave,
 * so the plan needs 走教 beside 调动 and 支教. No locks.csv (its move lock is outside every 学区).
 */
export async function modesCountyFiles(): Promise<{ name: string; content: string }[]> {
  const files = (await sampleFiles('small-county')).filter((f) => f.name !== 'locks.csv' && f.name !== 'policy.json');
  const policy = {
    year: 2026, modes: { support: { allowed: true }, itinerant: { allowed: true, maxKm: 25 } },
    limits: { maxOutflowShareOfSchool: 0.045 }, flows: { cluster: 'prefer' }, solver: { timeLimitSeconds: 20 },
  };
  return [...files, { name: 'policy.json', content: JSON.stringify(policy) }];
}

export async function buildWeb(outDir: string): Promise<void> {
  await build({ configFile: repo('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export interface Server { app: App; url: string; dir: string; close(): Promise<void> }

/** The real server (buildApp) with a fresh database, serving a freshly built web app. */
export async function startServer(opts: { poolSize?: number } = {}): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'lungang-e2e-'));
  const webDir = join(dir, 'web');
  await buildWeb(webDir);
  const app = await buildApp({ dbPath: join(dir, 'lungang.db'), adminPassword: ADMIN_PASSWORD, webDir, poolSize: opts.poolSize ?? 1 });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app, url, dir,
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A logged-in API client for set-up (datasets, scenarios, runs) without the browser. */
export async function apiClient(url: string, username = 'admin', password = ADMIN_PASSWORD) {
  const login = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, headers: { cookie } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) { init.body = JSON.stringify(body); init.headers = { cookie, 'content-type': 'application/json' }; }
    const res = await fetch(`${url}/api${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    call,
    async upload(files: { name: string; content: string }[], name: string): Promise<{ id: number }> {
      const form = new FormData();
      form.append('name', name);
      for (const f of files) form.append('files', new Blob([f.content]), f.name);
      return call('POST', '/datasets', form);
    },
    /** Starts a run and waits for it to finish. */
    async solve(scenarioId: number, timeoutMs = 180_000): Promise<{ id: number; status: string }> {
      const run = await call<{ id: number }>('POST', '/runs', { scenario_id: scenarioId });
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await call<{ id: number; status: string }>('GET', `/runs/${run.id}`);
        if (!['queued', 'running'].includes(r.status)) return r;
        if (Date.now() > until) throw new Error(`run ${run.id} still ${r.status}`);
        await new Promise((res) => setTimeout(res, 300));
      }
    },
  };
}

export interface Browser { context: BrowserContext; page: Page; close(): Promise<void> }

/** Headless Debian Chromium with a fresh profile and no background network (offline intranet). */
export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'lungang-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function loginUi(page: Page, url: string, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(`${url}/#/login`);
  await page.getByTestId('login-user').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-data').waitFor();
}
