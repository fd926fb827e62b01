// Lost-worker recovery in production mode (README "Production mode"). Every solve a worker runs
// holds a lease on its row (runs, frontiers, run_bounds): the token its attempt claimed the row
// with, which every write of that attempt requires (solve-pool.ts, the queues, bounds-jobs.ts), and
// a heartbeat, `heartbeat_at`, the worker renews every LUNGANG_HEARTBEAT_SECONDS from its main
// thread. The solves run in worker threads, so a long solve never delays the heartbeat; a worker
// that stops beating is gone or hung.
//
// A row still 'running' whose heartbeat is older than LUNGANG_WORKER_LOST_SECONDS has lost its
// worker: any worker takes it back with one conditional UPDATE (of several that see it, exactly one
// succeeds) that also clears the lease. Should the lost worker still be alive (a frozen machine, a
// cut network), nothing it writes lands any more, and it stops that solve once it sees the row
// (solve-queue.ts). Heartbeats are on the database's clock (sqlNow): the machines' clocks need not agree.
import { type Db, now, sqlNow } from './db.ts';

/** The tables whose rows hold leases, by job kind; best-achievable jobs ('bounds') are keyed by their run. */
const LEASED: Record<string, { table: string; key: string }> = {
  run: { table: 'runs', key: 'id' },
  frontier: { table: 'frontiers', key: 'id' },
  bounds: { table: 'run_bounds', key: 'run_id' },
};

export const BOUNDS_INTERRUPTED_MESSAGE = '计算进程多次中断，计算失败';

/** A job solving on this worker, under its lease. */
export interface Held { kind: string; id: number; lease: string }

/** Which row to take back: one whose heartbeat is older than `lostBefore`, or one under `lease` (a stopping worker's own). */
export type Whose = { lostBefore: string } | { lease: string };

/** Renews the heartbeat of each job solving here (a row no longer held is left alone: the watch stops its job). */
export async function beat(db: Db, jobs: Held[]): Promise<void> {
  for (const j of jobs) {
    const { table, key } = LEASED[j.kind]!;
    await db.run(`UPDATE ${table} SET heartbeat_at = ${sqlNow(db)} WHERE ${key} = ? AND status = 'running' AND lease = ?`, j.id, j.lease);
  }
}

/** Whether the job's row is still running under its lease (not cancelled, taken back or deleted). */
export async function holds(db: Db, j: Held): Promise<boolean> {
  const { table, key } = LEASED[j.kind]!;
  const row = await db.get<{ status: string; lease: string | null }>(`SELECT status, lease FROM ${table} WHERE ${key} = ?`, j.id);
  return row?.status === 'running' && row.lease === j.lease;
}

/**
 * Takes a running job's row back from its worker; null when another caller did first, or the row
 * was no longer that worker's. A run or frontier stays 'running' without a lease, for the queue's
 * next attempt to start over; its heartbeat is renewed, so that if handing its job back fails, it
 * is found again once that is stale. A best-achievable job, which has no queue job, is queued again,
 * or failed once its claims exceed `retries` + 1.
 */
export async function takeBack(db: Db, kind: string, id: number, whose: Whose, retries: number): Promise<'retry' | 'failed' | null> {
  const [cond, param] = 'lease' in whose ? ['lease = ?', whose.lease] : ['heartbeat_at < ?', whose.lostBefore];
  const taken = (n: number) => (n > 0 ? 'retry' : null);
  if (kind !== 'bounds') {
    return taken(await db.run(`UPDATE ${LEASED[kind]!.table} SET lease = NULL, heartbeat_at = ${sqlNow(db)} WHERE id = ? AND status = 'running' AND ${cond}`,
      id, param));
  }
  if (await db.run(`UPDATE run_bounds SET status = 'failed', message = ?, finished_at = ?, lease = NULL
    WHERE run_id = ? AND status = 'running' AND ${cond} AND attempts > ?`, BOUNDS_INTERRUPTED_MESSAGE, now(), id, param, retries) > 0) return 'failed';
  return taken(await db.run(`UPDATE run_bounds SET status = 'queued', lease = NULL, heartbeat_at = NULL, progress_json = NULL, started_at = NULL
    WHERE run_id = ? AND status = 'running' AND ${cond}`, id, param));
}

/** Takes back every job whose worker is lost (no heartbeat for `lostSeconds`); what this call took. */
export async function takeBackLost(db: Db, lostSeconds: number, retries: number): Promise<{ kind: string; id: number; outcome: 'retry' | 'failed' }[]> {
  const clock = (await db.get<{ t: string }>(`SELECT ${sqlNow(db)} AS t`))!.t;
  const lostBefore = new Date(Date.parse(clock) - lostSeconds * 1000).toISOString();
  const taken: { kind: string; id: number; outcome: 'retry' | 'failed' }[] = [];
  for (const [kind, { table, key }] of Object.entries(LEASED)) {
    // Rows claimed before heartbeats existed (heartbeat_at NULL) are left to the queue's expiry.
    for (const { id } of await db.all<{ id: number }>(`SELECT ${key} AS id FROM ${table} WHERE status = 'running' AND heartbeat_at < ?`, lostBefore)) {
      const outcome = await takeBack(db, kind, id, { lostBefore }, retries);
      if (outcome) taken.push({ kind, id, outcome });
    }
  }
  return taken;
}
