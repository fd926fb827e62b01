// The leases and heartbeats behind lost-worker recovery (server/heartbeat.ts), on the database
// alone: a row whose heartbeat is stale is taken back by exactly one caller and its old attempt can
// write nothing more, a row whose worker beats is left alone, and a best-achievable job is queued
// again until its retries are spent. Rows are inserted as a worker would leave them; no solve runs.
// The worker processes themselves: queue.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { now } from '../../server/db.ts';
import { BOUNDS_INTERRUPTED_MESSAGE, beat, holds, takeBack, takeBackLost } from '../../server/heartbeat.ts';
import { runQueue } from '../../server/run-queue.ts';
import { type TestServer, createScenario, removeDir, startServer, uploadSample } from './helpers.ts';

let s: TestServer;
let datasetId: number;
let scenarioId: number;

beforeAll(async () => {
  s = await startServer();
  datasetId = (await uploadSample(s, 'tiny')).id;
  scenarioId = (await createScenario(s, datasetId)).id;
});
afterAll(async () => { await s.close(); await removeDir(s.dir); });

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/** A run row as a worker leaves it: 'running' under `lease`, its last heartbeat `age` seconds ago. */
async function runningRun(lease: string, age: number): Promise<number> {
  return s.app.lungang.db.insert(`INSERT INTO runs (scenario_id, dataset_id, user_id, status, inputs_json, created_at, started_at, lease, heartbeat_at)
    VALUES (?, ?, 1, 'running', '{}', ?, ?, ?, ?)`, scenarioId, datasetId, now(), now(), lease, ago(age));
}

const runRow = (id: number) => s.app.lungang.db.get<{ status: string; lease: string | null }>('SELECT status, lease FROM runs WHERE id = ?', id);
const takenRuns = async (ids: number[]) => (await takeBackLost(s.app.lungang.db, 60, 2)).filter((t) => t.kind === 'run' && ids.includes(t.id));

describe('leases and heartbeats', () => {
  it('a run whose heartbeat is stale is taken back once, and its old attempt can store nothing more', async () => {
    const { db } = s.app.lungang;
    const lost = await runningRun('lost-attempt', 120);
    const alive = await runningRun('live-attempt', 5);
    expect(await takenRuns([lost, alive])).toEqual([{ kind: 'run', id: lost, outcome: 'retry' }]);
    // A second worker looking at the same moment finds nothing left to take.
    expect(await takenRuns([lost, alive])).toEqual([]);
    expect(await runRow(lost)).toEqual({ status: 'running', lease: null });
    expect(await holds(db, { kind: 'run', id: lost, lease: 'lost-attempt' })).toBe(false);
    expect(await runQueue(db).store(lost, 'lost-attempt', 'done', { message: null })).toBe(false);
    expect((await runRow(lost))!.status).toBe('running');
    // The live attempt keeps its row and stores its end.
    expect(await holds(db, { kind: 'run', id: alive, lease: 'live-attempt' })).toBe(true);
    expect(await runQueue(db).store(alive, 'live-attempt', 'done', { message: null })).toBe(true);
  });

  it('a heartbeat keeps the job its worker’s', async () => {
    const id = await runningRun('beating', 120);
    await beat(s.app.lungang.db, [{ kind: 'run', id, lease: 'beating' }]);
    expect(await takenRuns([id])).toEqual([]);
    expect(await runRow(id)).toEqual({ status: 'running', lease: 'beating' });
  });

  it('a stopping worker hands back its own jobs only', async () => {
    const { db } = s.app.lungang;
    const id = await runningRun('mine', 0);
    expect(await takeBack(db, 'run', id, { lease: 'another' }, 2)).toBeNull();
    expect(await takeBack(db, 'run', id, { lease: 'mine' }, 2)).toBe('retry');
    expect(await runRow(id)).toEqual({ status: 'running', lease: null });
  });

  it('a lost best-achievable job is queued again, and failed once its retries are spent', async () => {
    const { db } = s.app.lungang;
    const runId = await runningRun('finished', 0);
    await db.run("UPDATE runs SET status = 'done' WHERE id = ?", runId);
    const lostBounds = async (attempts: number) => {
      await db.run(`INSERT INTO run_bounds (run_id, status, created_at, started_at, lease, heartbeat_at, attempts) VALUES (?, 'running', ?, ?, 'b', ?, ?)
        ON CONFLICT (run_id) DO UPDATE SET status = 'running', lease = 'b', heartbeat_at = excluded.heartbeat_at, attempts = excluded.attempts`,
      runId, now(), now(), ago(120), attempts);
      const taken = (await takeBackLost(db, 60, 1)).filter((t) => t.kind === 'bounds' && t.id === runId);
      return { taken, row: await db.get('SELECT status, lease, message FROM run_bounds WHERE run_id = ?', runId) };
    };
    // Claimed once, one retry allowed: queued again for any worker.
    expect(await lostBounds(1)).toEqual({ taken: [{ kind: 'bounds', id: runId, outcome: 'retry' }], row: { status: 'queued', lease: null, message: null } });
    // Claimed twice: the retry is spent.
    expect(await lostBounds(2)).toEqual({
      taken: [{ kind: 'bounds', id: runId, outcome: 'failed' }], row: { status: 'failed', lease: null, message: BOUNDS_INTERRUPTED_MESSAGE },
    });
  });
});
