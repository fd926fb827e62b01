// Background solves, all in worker threads (run-worker.mjs → run-job.ts):
//
// SolvePool serves the solve queues (runs, run-queue.ts; frontiers, frontier-queue.ts). The
// database is the queue (status 'queued', users with fewer jobs running first, then oldest first
// over every queue); at most `poolSize` jobs solve at once, each in a fresh worker (job-worker.ts;
// a run's counties then go to the shared solve lanes), so cancelling or hitting the hard time limit
// is simply terminating that worker. Each attempt claims its row with a lease (a random token):
// progress and outcomes are written only while the row is still 'running' under that lease, so a
// job that was marked failed meanwhile (restart, cancel) or handed to another worker (heartbeat.ts)
// is never overwritten. After a run with a plan the pool also computes its best achievable 差异系数
// (bounds-jobs.ts), in the same kind of worker, when no job of any queue is waiting and leaving one
// slot for them.
// Request-time CPU work (upload validation, lock validation, audits, XLSX export: 0.1–0.5 s on a
// county of 5,000 teachers, far too long for the event loop) is task-pool.ts.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { type Db, logActivity, now } from './db.ts';
import { queueBounds } from './bounds.ts';
import { BoundsJobs } from './bounds-jobs.ts';
import { type JobControl, type JobEnd, type JobQueue, type JobStatus, RESTART_MESSAGE } from './job-queue.ts';
import { type JobThread, startJobThread } from './job-worker.ts';
import { LanePool } from './lanes.ts';
import type { Logger } from './logger.ts';

export interface PoolOptions {
  poolSize: number;
  log: Logger;
  /** Every queue the pool serves; its slots are shared, the oldest queued job of any queue first. */
  queues: JobQueue[];
  /** Hard limit of a best-achievable job (the queues have their own). */
  hardLimitSeconds?: (policySeconds: number, counties: number) => number;
  /** Compute the best achievable 差异系数 after each run with a plan (off in most API tests: minutes of CPU). */
  bounds?: boolean;
  /** Solve lanes shared by every run (lanes.ts); default one per core. */
  lanes?: number;
  /** Jobs come from the distributed queue (solve-queue.ts) through runJob; the pool does not take queued rows itself. */
  external?: boolean;
}

interface Active { queue: JobQueue; id: number; lease: string; user: number; thread: JobThread; phase: string | null; lastWrite: number }

export class SolvePool {
  private readonly active = new Map<string, Active>();
  /** Run only when no queued job of any queue waits, and never in the last slot. */
  private readonly bounds: BoundsJobs;
  private closed = false;
  /** pump() is running; `pumpAgain`: called meanwhile, so look again (its awaits must not start two jobs for one slot). */
  private pumping = false;
  private pumpAgain = false;
  /** Jobs whose claim is under way (between the queued row and the running worker), by key. */
  private readonly starting = new Map<string, Promise<void>>();
  /** runJob's callers, by job key: told when the job has ended. */
  private readonly ended = new Map<string, () => void>();
  /** When each user's last job started (a counter): users take turns for the slots. */
  private readonly lastServed = new Map<number, number>();
  private served = 0;
  /** Where runs' counties are built and solved, fair between users (lane-relay.ts brings them here). */
  private readonly lanes: LanePool;

  constructor(private readonly db: Db, private readonly opts: PoolOptions) {
    this.lanes = new LanePool(opts.lanes ?? availableParallelism(), true);
    this.bounds = new BoundsJobs(db, { log: opts.log, lanes: this.lanes, hardLimitSeconds: opts.hardLimitSeconds, ended: () => setImmediate(() => this.pump()) });
  }

  /** On start: a job that was queued or running when the process died has no worker any more. */
  async recoverAfterRestart(): Promise<string[]> {
    const stale: string[] = [];
    await this.db.transaction(async (tx) => {
      for (const q of this.opts.queues) {
        for (const { id } of await tx.all<{ id: number }>(`SELECT id FROM ${q.table} WHERE status IN ('queued', 'running')`)) {
          await tx.run(`UPDATE ${q.table} SET status = 'failed', message = ?, finished_at = ? WHERE id = ?`, RESTART_MESSAGE, now(), id);
          await logActivity(tx, { userId: null, action: `${q.kind}.fail`, entity: q.kind, entityId: id, details: { reason: 'restart' } });
          stale.push(`${q.kind}:${id}`);
        }
      }
      await tx.run("UPDATE run_bounds SET status = 'failed', message = ?, finished_at = ? WHERE status IN ('queued', 'running')", RESTART_MESSAGE, now());
    });
    return stale;
  }

  get running(): number {
    return this.active.size;
  }

  /** The jobs solving now and their leases; best-achievable ones are kind 'bounds', by run id. */
  activeJobs(): { kind: string; id: number; lease: string }[] {
    return [...[...this.active.values()].map((a) => ({ kind: a.queue.kind, id: a.id, lease: a.lease })), ...this.bounds.held()];
  }

  /** Solves queued job `id` of queue `kind` now (a worker of the distributed queue, solve-queue.ts); resolves once it has ended or was not claimed. */
  async runJob(kind: string, id: number): Promise<void> {
    const key = `${kind}:${id}`;
    // Still solving here: an earlier attempt, taken back from this worker and handed to it again. It
    // ends first (its lease is gone, so it stores nothing), or its timers would end the new one.
    if (this.active.has(key) || this.starting.has(key)) await this.cancel(kind, id);
    const ended = new Promise<void>((resolve) => this.ended.set(key, resolve));
    const queue = this.opts.queues.find((q) => q.kind === kind)!;
    const owner = await this.db.get<{ user_id: number }>(`SELECT user_id FROM ${queue.table} WHERE id = ?`, id);
    await this.start(queue, id, owner?.user_id ?? 0);
    if (!this.active.has(key)) {
      this.ended.get(key)?.();
      this.ended.delete(key);
    }
    return ended;
  }

  /**
   * Starts queued jobs while a worker slot is free, users in turn: first those of users with the
   * fewest jobs running, then of the user served longest ago (so one user's queue of runs never
   * holds another user's run back for more than one of theirs), then oldest first over every
   * queue; then best-achievable jobs.
   */
  pump(): void {
    this.pumpAgain = true;
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      try {
        while (this.pumpAgain) {
          this.pumpAgain = false;
          await this.fill();
        }
      } catch (err) {
        this.opts.log.error({ err }, 'starting queued jobs failed');
      } finally {
        this.pumping = false;
      }
    })();
  }

  private async fill(): Promise<void> {
    while (!this.closed && this.active.size + this.bounds.size < this.opts.poolSize) {
      const running = new Map<number, number>();
      for (const a of this.active.values()) running.set(a.user, (running.get(a.user) ?? 0) + 1);
      const load = (c: { row: { user_id: number } }) => running.get(c.row.user_id) ?? 0;
      const served = (c: { row: { user_id: number } }) => this.lastServed.get(c.row.user_id) ?? -1;
      // A user has at most a few queued jobs (maxActiveRunsPerUser): reading all of them is cheap.
      const candidates = this.opts.external ? [] : (await Promise.all(this.opts.queues.map(async (queue) =>
        (await this.db.all<{ id: number; created_at: string; user_id: number }>(`SELECT id, created_at, user_id FROM ${queue.table} WHERE status = 'queued' ORDER BY id`)).map((row) => ({ queue, row }))))).flat();
      const next = candidates
        .sort((a, b) => load(a) - load(b) || served(a) - served(b) || (a.row.created_at < b.row.created_at ? -1 : a.row.created_at > b.row.created_at ? 1 : 0))[0];
      if (next) {
        this.lastServed.set(next.row.user_id, this.served++);
        await this.start(next.queue, next.row.id, next.row.user_id);
        continue;
      }
      // Bounds never take the last slot of a pool of several: a new run or frontier starts at once.
      // A pool that computes none takes none queued by others either (a worker with them off).
      if (!this.opts.bounds || this.bounds.size >= Math.max(1, this.opts.poolSize - 1)) return;
      const queued = await this.db.get<{ run_id: number }>("SELECT run_id FROM run_bounds WHERE status = 'queued' ORDER BY run_id LIMIT 1");
      if (!queued) return;
      await this.bounds.start(queued.run_id);
    }
  }

  /** Stops the best-achievable job of a run that is being deleted. */
  dropBounds(runId: number): void {
    this.bounds.drop(runId);
  }

  /** Cancels a queued or running job; false when it is not active. */
  async cancel(kind: string, id: number): Promise<boolean> {
    const key = `${kind}:${id}`;
    const q = this.opts.queues.find((x) => x.kind === kind)!;
    if (!this.active.has(key) && !this.starting.has(key)
      && await this.db.run(`UPDATE ${q.table} SET status = 'cancelled', message = '已取消', finished_at = ? WHERE id = ? AND status = 'queued'`, now(), id) > 0) return true;
    // Running, or claimed meanwhile: once its worker is up it is stopped like any running job.
    await this.starting.get(key)?.catch(() => undefined);
    return this.finish(key, 'cancelled', { message: '已取消' });
  }

  /** Stops every worker; their jobs are marked failed, as after a restart. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.active.values()].map((a) => a.thread.worker).concat(this.bounds.workers());
    await Promise.all([
      ...[...this.active.keys()].map((key) => this.finish(key, 'failed', { message: RESTART_MESSAGE })),
      this.bounds.failAll(RESTART_MESSAGE),
    ]);
    await Promise.all([...workers.map((w) => w.terminate()), this.lanes.close()]);
  }

  private start(queue: JobQueue, id: number, user: number): Promise<void> {
    const key = `${queue.kind}:${id}`;
    const started = this.launch(queue, id, user).finally(() => this.starting.delete(key));
    this.starting.set(key, started);
    return started;
  }

  private async launch(queue: JobQueue, id: number, user: number): Promise<void> {
    const lease = randomUUID();
    const job = await queue.claim(id, lease);
    if (!job) return;
    const key = `${queue.kind}:${id}`;
    const control: JobControl = { lease, progress: (phase, json) => this.progress(key, phase, json), end: (status, out) => this.finish(key, status, out) };
    const thread = startJobThread(queue, id, user, job, {
      lanes: this.lanes, log: this.opts.log, control, current: (worker) => this.active.get(key)?.thread.worker === worker,
    });
    this.active.set(key, { queue, id, lease, user, thread, phase: null, lastWrite: 0 });
    this.opts.log.info({ [queue.kind]: id, limitSeconds: Math.round(job.limitSeconds) }, `${queue.kind} started`);
  }

  private progress(key: string, phase: string, json: string): void {
    const a = this.active.get(key);
    if (!a) return;
    const t = Date.now();
    if (phase === a.phase && t - a.lastWrite < 1000) return;
    a.phase = phase;
    a.lastWrite = t;
    // Not awaited: a lost progress write only delays what a status poll shows.
    this.db.run(`UPDATE ${a.queue.table} SET progress_json = ? WHERE id = ? AND status = 'running' AND lease = ?`, json, a.id, a.lease)
      .catch((err: unknown) => this.opts.log.error({ err }, 'storing progress failed'));
  }

  /** Ends an active job once (later calls are ignored); returns whether it was active. */
  private async finish(key: string, status: JobStatus, out: JobEnd): Promise<boolean> {
    const a = this.active.get(key);
    if (!a) return false;
    this.active.delete(key);
    clearTimeout(a.thread.timer);
    a.thread.abort.abort(); // its counties leave the lanes
    void a.thread.worker.terminate();
    try {
      const stored = await a.queue.store(a.id, a.lease, status, out);
      if (stored) await logActivity(this.db, { userId: null, action: `${a.queue.kind}.${status}`, entity: a.queue.kind, entityId: a.id });
      if (stored && status === 'done' && a.queue.kind === 'run' && this.opts.bounds) await queueBounds(this.db, a.id);
      this.opts.log.info({ [a.queue.kind]: a.id, status }, `${a.queue.kind} finished`);
    } catch (err) {
      // The database went away (closing, or PostgreSQL down): the next start marks the job failed.
      this.opts.log.error({ [a.queue.kind]: a.id, err }, `${a.queue.kind}: storing its end failed`);
    }
    this.ended.get(key)?.();
    this.ended.delete(key);
    setImmediate(() => this.pump());
    return true;
  }
}
