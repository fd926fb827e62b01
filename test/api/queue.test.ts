// Production mode (README "Production mode"): the server only enqueues, `lungang worker`
// processes solve. A worker killed mid-solve loses nothing: once its heartbeat is stale another
// worker takes the job back and solves it again, and once the retries are spent the run is marked
// failed; a best-achievable job is taken up again the same way. PostgreSQL only (the `postgres`
// project). The queue's expiry keeps its default of hours, so every recovery within these tests'
// minutes comes from the heartbeat; the lost limit is short (yet many heartbeats, for a busy machine).
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_MESSAGE } from '../../server/solve-queue.ts';
import { repoPath } from '../helpers/datasets.ts';
import { FAST_POLICY, type TestServer, createScenario, removeDir, startRun, startServer, uploadSample, waitForJob, waitForRun } from './helpers.ts';

const QUEUE_ENV = {
  LUNGANG_JOB_EXPIRE_SECONDS: String(6 * 3600), LUNGANG_JOB_RETRIES: '1', LUNGANG_HEARTBEAT_SECONDS: '2', LUNGANG_WORKER_LOST_SECONDS: '15',
};

let s: TestServer;
const workers: ChildProcess[] = [];
const saved = { ...process.env };

/** Starts `lungang worker` on the test server's database (best achievable off unless `env` says); resolves once it takes jobs. */
function startWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [repoPath('bin', 'lungang.mjs'), 'worker'], {
    env: { ...process.env, ...QUEUE_ENV, LUNGANG_DATABASE_URL: s.dbPath, LUNGANG_WORKER_SLOTS: '1', LUNGANG_BEST_ACHIEVABLE: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker started')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before starting: ${out}`)));
  });
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (!alive(child)) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

const activity = async (runId: number): Promise<string[]> =>
  (await s.app.inject({ method: 'GET', url: `/api/activity?entity=run&entity_id=${runId}`, headers: { cookie: s.cookie.auditor } }))
    .json().items.map((i: { action: string }) => i.action);

interface RunWithBounds { status: string; bounds: { status: string; message: string | null; cv: unknown[] } | null }
/** Polls a run until its best-achievable job has reached one of `statuses`. */
const BEST_ACHIEVABLE = { LUNGANG_BEST_ACHIEVABLE: '1' };
const waitForBounds = (runId: number, statuses: string[]) =>
  waitForJob<RunWithBounds>(s, `/api/runs/${runId}`, (r) => statuses.includes(r.bounds?.status ?? ''), 240_000);

describe('production mode: the job queue and `lungang worker`', () => {
  beforeAll(async () => {
    Object.assign(process.env, QUEUE_ENV);
    s = await startServer({ queue: true });
  });
  afterAll(async () => {
    for (const w of workers) await killed(w);
    await s?.close();
    process.env = saved;
    if (s) await removeDir(s.dir);
  });

  it('a worker killed mid-solve: the job is retried by another worker and completes', async () => {
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    const sc = await createScenario(s, d.id);
    const run = await startRun(s, sc.id);
    expect(run.status).toBe('queued');

    const first = await startWorker();
    await waitForRun(s, run.id, (r) => r.status === 'running');
    await killed(first);

    await startWorker();
    const done = await waitForRun(s, run.id, undefined, 240_000);
    expect(done).toMatchObject({ status: 'done', summary: { audit_ok: true } });
    expect(await activity(run.id)).toEqual(expect.arrayContaining(['run.create', 'run.retry', 'run.done']));
  }, 300_000);

  it('a worker stopped (SIGTERM) mid-solve hands its job back at once: another worker completes it', async () => {
    for (const w of workers) await killed(w);
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    const run = await startRun(s, (await createScenario(s, d.id)).id);
    const first = await startWorker();
    await waitForRun(s, run.id, (r) => r.status === 'running', 240_000);
    const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));
    first.kill('SIGTERM');
    expect(await exited).toBe(0);
    // This worker would find the job lost only after 10 minutes: a retry sooner is the hand-back.
    await startWorker({ LUNGANG_WORKER_LOST_SECONDS: '600' });
    expect(await waitForRun(s, run.id, undefined, 240_000)).toMatchObject({ status: 'done', summary: { audit_ok: true } });
    expect(await activity(run.id)).toEqual(expect.arrayContaining(['run.retry', 'run.done']));
  }, 600_000);

  it('a job whose workers keep dying is marked failed with the reason, never left running', async () => {
    for (const w of workers) await killed(w);
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    const sc = await createScenario(s, d.id);
    const run = await startRun(s, sc.id);
    // Killed on its first try and on its one retry.
    for (let attempt = 0; attempt < 2; attempt++) {
      const w = await startWorker();
      await waitForRun(s, run.id, (r) => r.status === 'running', 240_000);
      // The retry: once the first worker's heartbeat was stale, this one took the job and claimed the row again.
      if (attempt === 1) await expect.poll(async () => activity(run.id), { timeout: 240_000, interval: 500 }).toContain('run.retry');
      await killed(w);
    }
    // Any worker handles the dead letters.
    await startWorker();
    const failed = await waitForRun(s, run.id, (r) => r.status === 'failed', 240_000);
    expect(failed.message).toBe(INTERRUPTED_MESSAGE);
    expect(await activity(run.id)).toContain('run.fail');
  }, 600_000);

  it('a worker killed mid best-achievable: another worker takes that job up again and completes it', async () => {
    for (const w of workers) await killed(w);
    const d = await uploadSample(s, 'small-county', FAST_POLICY);
    const run = await startRun(s, (await createScenario(s, d.id)).id);
    const first = await startWorker(BEST_ACHIEVABLE);
    // The run, then its best-achievable job, on the first worker.
    expect((await waitForBounds(run.id, ['running', 'done', 'failed'])).bounds!.status).toBe('running');
    await killed(first);

    await startWorker(BEST_ACHIEVABLE);
    const { bounds } = await waitForBounds(run.id, ['done', 'failed']);
    expect(bounds).toMatchObject({ status: 'done', message: null });
    expect(bounds!.cv.length).toBeGreaterThan(0);
  }, 600_000);
});
