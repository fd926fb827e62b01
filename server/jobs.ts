// Background work, all in worker threads (run-worker.mjs → run-job.ts):
//
// - SolvePool: the solve queues (runs; frontiers). The database is the queue (status 'queued',
//   users with fewer jobs running first, then oldest first over every queue); at most `poolSize`
//   jobs solve at once, each in a fresh worker (a run's counties then go to the shared solve lanes),
//   so cancelling or hitting the hard time limit is simply terminating that worker. Outcomes are
//   written only while the job is still 'running' in the database, so a job that was marked failed
//   meanwhile (restart, cancel) is never overwritten. After a run with a plan the pool also computes
//   its best achievable 差异系数 (bounds.ts), in the same kind of worker, when no job of any queue is
//   waiting and leaving one slot for them.
// Request-time CPU work (upload validation, lock validation, audits, XLSX export: 0.1–0.5 s on a
// county of 5,000 teachers, far too long for the event loop) is task-pool.ts.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { lockSchema, policySchema } from '../solver/contract/schemas.ts';
import { type Db, type RunStatus, datasetFiles, getDataset, getRun, logActivity, now } from './db.ts';
import { resultHash } from './hashes.ts';
import type { BoundsMessage, SolveMessage } from './run-job.ts';
import { queueBounds } from './bounds.ts';
import { LanePool } from './lanes.ts';
import { isLaneRequest, relayLane } from './lane-relay.ts';

const WORKER_URL = new URL('./run-worker.mjs', import.meta.url);

export const RESTART_MESSAGE = '服务器重启，运行中断';

/**
 * What a run solves: the scenario's policy and locks as they were when the run started, and the
 * earlier run of the scenario whose plan it re-plans against (null: none). Covered by the result hash.
 */
export const runInputsSchema = z.object({
  policy: policySchema, locks: z.array(lockSchema), baseline_run_id: z.number().int().nullable().default(null),
});
export type RunInputs = z.infer<typeof runInputsSchema>;

export const progressSchema = z.object({
  phase: z.enum(['queued', 'parsing', 'building', 'solving', 'reporting']),
  county: z.string().nullable(),
  objective: z.number().nullable(),
  gap: z.number().nullable(),
});
export type Progress = z.infer<typeof progressSchema>;

export interface Logger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Default hard limit: HiGHS's own limit for each county, plus a margin for the worker's start,
 * parsing, model building, a possible re-solve and the report (and HiGHS overshooting its limit).
 */
export function defaultHardLimitSeconds(policySeconds: number, counties: number): number {
  const solving = policySeconds * Math.max(1, counties);
  return solving + Math.max(60, 0.25 * solving);
}

/** How a job ended: its message and the outputs its table stores (column → text). */
export interface JobEnd { message: string | null; outputs?: Record<string, string> }
export type JobStatus = Exclude<RunStatus, 'queued' | 'running'>;

/** What a queue's job may tell the pool while its worker runs. */
export interface JobControl {
  /** Stores progress: a new phase at once, the same phase at most once a second (status polls read the row). */
  progress(phase: string, json: string): void;
  end(status: JobStatus, out: JobEnd): Promise<boolean>;
}

/**
 * One kind of background solve (runs; frontiers, frontier-queue.ts). Its table is its queue: rows
 * go queued → running → an end status, with `message`, `started_at`, `finished_at`. Every job
 * runs in its own worker from run-worker.mjs.
 */
export interface JobQueue {
  /** The activity log's entity and the pool's key prefix. */
  readonly kind: string;
  readonly table: string;
  /** Claims queued job `id` (→ running): its worker's data and hard limit; null when it does not start (marked failed, or taken). */
  claim(id: number): Promise<{ workerData: object; limitSeconds: number } | null>;
  /** A message from the job's worker (the next waits until this one's writes are done). */
  receive(id: number, message: unknown, job: JobControl): Promise<void>;
  /** Writes how the job ended, only while it is still running in the table; whether it was. */
  store(id: number, status: JobStatus, end: JobEnd): Promise<boolean>;
}

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

/** Solves one best-achievable job may need per county: 6 stage × indicator pairs, up to 4 solves each. */
export const BOUNDS_SOLVES_PER_COUNTY = 24;

/** `messages`: the worker's messages handled so far, one after another (a frontier's last point is stored before its end). */
interface Active { queue: JobQueue; id: number; user: number; worker: Worker; timer: NodeJS.Timeout; phase: string | null; lastWrite: number; messages: Promise<unknown>; abort: AbortController }
interface BoundsJob { worker: Worker; timer: NodeJS.Timeout }

export class SolvePool {
  private readonly active = new Map<string, Active>();
  /**
   * Best-achievable jobs by run id. Kept beside the queues rather than as one more JobQueue: they
   * are not a user's solve (no cancel, no per-user limit), run only when no queued job of any queue
   * waits and never in the last slot, and their table is keyed by run_id with no 'cancelled' status.
   */
  private readonly bounds = new Map<number, BoundsJob>();
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

  /** The jobs solving now. */
  activeJobs(): { kind: string; id: number }[] {
    return [...this.active.values()].map((a) => ({ kind: a.queue.kind, id: a.id }));
  }

  /** Solves queued job `id` of queue `kind` now (a worker of the distributed queue, solve-queue.ts); resolves once it has ended or was not claimed. */
  async runJob(kind: string, id: number): Promise<void> {
    const key = `${kind}:${id}`;
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
      if (this.bounds.size >= Math.max(1, this.opts.poolSize - 1)) return;
      const queued = await this.db.get<{ run_id: number }>("SELECT run_id FROM run_bounds WHERE status = 'queued' ORDER BY run_id LIMIT 1");
      if (!queued) return;
      await this.startBounds(queued.run_id);
    }
  }

  /** Stops the best-achievable job of a run that is being deleted. */
  dropBounds(runId: number): void {
    const b = this.bounds.get(runId);
    if (!b) return;
    this.bounds.delete(runId);
    clearTimeout(b.timer);
    void b.worker.terminate();
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
    const workers = [...this.active.values(), ...this.bounds.values()].map((a) => a.worker);
    await Promise.all([
      ...[...this.active.keys()].map((key) => this.finish(key, 'failed', { message: RESTART_MESSAGE })),
      ...[...this.bounds.keys()].map((id) => this.finishBounds(id, 'failed', { message: RESTART_MESSAGE })),
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
    const job = await queue.claim(id);
    if (!job) return;
    const key = `${queue.kind}:${id}`;
    const worker = new Worker(WORKER_URL, { workerData: job.workerData });
    const timer = setTimeout(() => void this.finish(key, 'failed', { message: `超过硬性时间上限（${Math.round(job.limitSeconds)}秒），运行被终止` }), job.limitSeconds * 1000);
    const abort = new AbortController();
    const active: Active = { queue, id, user, worker, timer, phase: null, lastWrite: 0, messages: Promise.resolve(), abort };
    this.active.set(key, active);
    this.opts.log.info({ [queue.kind]: id, limitSeconds: Math.round(job.limitSeconds) }, `${queue.kind} started`);

    // Events of a worker that was already finished (terminated) are ignored.
    const mine = () => this.active.get(key)?.worker === worker;
    const control: JobControl = { progress: (phase, json) => this.progress(key, phase, json), end: (status, out) => this.finish(key, status, out) };
    // The worker's events are handled in order, each after the previous one's writes: its exit must
    // not overtake the result it posted just before.
    const next = (handle: () => Promise<unknown>) => {
      active.messages = active.messages.then(() => (mine() ? handle() : undefined))
        .catch((err: unknown) => this.opts.log.error({ [queue.kind]: id, err }, `${queue.kind}: storing what its worker said failed`));
    };
    // A run's counties go to the shared lanes; their solve progress is the run's (a SolveMessage).
    const solving = (county: string, p: { objective: number | null; gap: number | null }) =>
      next(() => queue.receive(id, { type: 'progress', phase: 'solving', county, ...p } satisfies SolveMessage, control));
    worker.on('message', (m: unknown) => {
      if (!mine()) return;
      if (isLaneRequest(m)) relayLane(worker, m, this.lanes, `user:${user}`, abort.signal, solving);
      else next(() => queue.receive(id, m, control));
    });
    worker.on('error', (err) => next(() => this.finish(key, 'failed', { message: `求解进程出错：${err.message}` })));
    worker.on('exit', (code) => next(() => this.finish(key, 'failed', { message: `求解进程意外退出（退出码 ${code}）` })));
  }

  private progress(key: string, phase: string, json: string): void {
    const a = this.active.get(key);
    if (!a) return;
    const t = Date.now();
    if (phase === a.phase && t - a.lastWrite < 1000) return;
    a.phase = phase;
    a.lastWrite = t;
    // Not awaited: a lost progress write only delays what a status poll shows.
    this.db.run(`UPDATE ${a.queue.table} SET progress_json = ? WHERE id = ? AND status = 'running'`, json, a.id)
      .catch((err: unknown) => this.opts.log.error({ err }, 'storing progress failed'));
  }

  /** Ends an active job once (later calls are ignored); returns whether it was active. */
  private async finish(key: string, status: JobStatus, out: JobEnd): Promise<boolean> {
    const a = this.active.get(key);
    if (!a) return false;
    this.active.delete(key);
    clearTimeout(a.timer);
    a.abort.abort(); // its counties leave the lanes
    void a.worker.terminate();
    try {
      const stored = await a.queue.store(a.id, status, out);
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

  private async startBounds(runId: number): Promise<void> {
    const claimed = await this.db.run("UPDATE run_bounds SET status = 'running', started_at = ? WHERE run_id = ? AND status = 'queued'", now(), runId);
    const run = await getRun(this.db, runId);
    if (claimed === 0 || !run) return;
    if (run.report_json === null) return void await this.db.run("UPDATE run_bounds SET status = 'failed', message = '运行没有结果' WHERE run_id = ?", runId);
    const inputs = runInputsSchema.parse(JSON.parse(run.inputs_json));
    const { files, counties } = await datasetInput(this.db, run.dataset_id);
    const hard = this.opts.hardLimitSeconds ?? defaultHardLimitSeconds;
    const limit = hard(inputs.policy.solver.timeLimitSeconds * BOUNDS_SOLVES_PER_COUNTY, counties);
    const worker = new Worker(WORKER_URL, { workerData: { mode: 'bounds', files, policy: inputs.policy, locks: inputs.locks, reportJson: run.report_json, planCsv: run.plan_csv ?? '' } });
    const timer = setTimeout(() => void this.finishBounds(runId, 'failed', { message: `超过硬性时间上限（${Math.round(limit)}秒），计算被终止` }), limit * 1000);
    this.bounds.set(runId, { worker, timer });
    const mine = () => this.bounds.get(runId)?.worker === worker;
    worker.on('message', (m: BoundsMessage) => {
      if (!mine()) return;
      if (m.type === 'progress') this.boundsProgress(runId, m);
      else if (m.type === 'error') void this.finishBounds(runId, 'failed', { message: `计算失败：${m.message}` });
      else void this.finishBounds(runId, 'done', { message: null, items: JSON.stringify(m.items) });
    });
    worker.on('error', (err) => { if (mine()) void this.finishBounds(runId, 'failed', { message: `计算进程出错：${err.message}` }); });
    worker.on('exit', (code) => { if (mine()) void this.finishBounds(runId, 'failed', { message: `计算进程意外退出（退出码 ${code}）` }); });
  }

  private boundsProgress(runId: number, m: Extract<BoundsMessage, { type: 'progress' }>): void {
    if (!this.bounds.has(runId)) return;
    const progress = { done: m.done, total: m.total, county: m.county };
    this.db.run("UPDATE run_bounds SET progress_json = ? WHERE run_id = ? AND status = 'running'", JSON.stringify(progress), runId)
      .catch((err: unknown) => this.opts.log.error({ err }, 'storing progress failed'));
  }

  private async finishBounds(runId: number, status: 'done' | 'failed', out: { message: string | null; items?: string }): Promise<void> {
    if (!this.bounds.has(runId)) return;
    this.dropBounds(runId);
    await this.db.run("UPDATE run_bounds SET status = ?, message = ?, bounds_json = ?, finished_at = ? WHERE run_id = ? AND status = 'running'",
      status, out.message, out.items ?? null, now(), runId).catch((err: unknown) => this.opts.log.error({ run: runId, err }, 'storing best achievable failed'));
    this.opts.log.info({ run: runId, status }, 'best achievable finished');
    setImmediate(() => this.pump());
  }
}

/** Claims queued job `id` of `table` (→ running, with its first progress); false when it was no longer queued. */
export async function markRunning(db: Db, table: string, id: number, progress: object): Promise<boolean> {
  return await db.run(`UPDATE ${table} SET status = 'running', started_at = ?, progress_json = ? WHERE id = ? AND status = 'queued'`,
    now(), JSON.stringify(progress), id) > 0;
}

/** A dataset's stored files for a worker, and its number of counties (hard limits scale with it). */
export async function datasetInput(db: Db, datasetId: number): Promise<{ files: { name: string; content: Uint8Array }[]; counties: number }> {
  const dataset = await getDataset(db, datasetId);
  return {
    files: (await datasetFiles(db, datasetId)).map((f) => ({ name: f.name, content: f.content })),
    counties: dataset ? z.array(z.string()).parse(JSON.parse(dataset.counties_json)).length : 1,
  };
}

/** The run queue: one solve of a scenario's snapshot (optionally re-planning against an earlier run). */
export function runQueue(db: Db, hardLimitSeconds = defaultHardLimitSeconds): JobQueue {
  return {
    kind: 'run',
    table: 'runs',
    async claim(id) {
      const run = (await getRun(db, id))!;
      const inputs = runInputsSchema.parse(JSON.parse(run.inputs_json));
      // A run never loses its baseline while it is active (DELETE /api/runs refuses), so this is only a safeguard.
      const baselinePlanCsv = inputs.baseline_run_id === null ? null : (await getRun(db, inputs.baseline_run_id))?.plan_csv ?? null;
      if (inputs.baseline_run_id !== null && baselinePlanCsv === null) {
        await db.run("UPDATE runs SET status = 'failed', message = ?, finished_at = ? WHERE id = ? AND status = 'queued'",
          `基准运行 #${inputs.baseline_run_id} 已不存在`, now(), run.id);
        return null;
      }
      const progress: Progress = { phase: 'parsing', county: null, objective: null, gap: null };
      if (!await markRunning(db, 'runs', run.id, progress)) return null;
      const { files, counties } = await datasetInput(db, run.dataset_id);
      return {
        workerData: { mode: 'solve', files, policy: inputs.policy, locks: inputs.locks, baselinePlanCsv },
        limitSeconds: hardLimitSeconds(inputs.policy.solver.timeLimitSeconds, counties),
      };
    },
    async receive(_id, message, job) {
      const m = message as SolveMessage;
      if (m.type === 'progress') {
        const progress: Progress = { phase: m.phase, county: m.county, objective: m.objective, gap: m.gap };
        job.progress(m.phase, JSON.stringify(progress));
      } else if (m.type === 'error') await job.end('failed', { message: `求解失败：${m.message}` });
      else {
        await job.end(m.status === 'infeasible' ? 'infeasible' : 'done', {
          message: m.message, outputs: { plan_csv: m.planCsv, report_json: m.reportJson, summary_json: m.summaryJson },
        });
      }
    },
    async store(id, status, end) {
      const run = await getRun(db, id);
      const dataset = run ? await getDataset(db, run.dataset_id) : undefined;
      const o = end.outputs ?? {};
      const outputs = { plan_csv: o.plan_csv ?? null, report_json: o.report_json ?? null, summary_json: o.summary_json ?? null };
      const hash = run && dataset && outputs.report_json !== null ? resultHash(dataset.content_hash, { inputs_json: run.inputs_json, ...outputs }) : null;
      return await db.run(`UPDATE runs SET status = ?, message = ?, finished_at = ?, plan_csv = ?, report_json = ?, summary_json = ?, result_hash = ?
        WHERE id = ? AND status = 'running'`, status, end.message, now(), outputs.plan_csv, outputs.report_json, outputs.summary_json, hash, id) > 0;
    },
  };
}
