// Background work, all in worker threads (run-worker.mjs → run-job.ts):
//
// - SolvePool: the run queue. The database is the queue (status 'queued', oldest first); at most
//   `poolSize` runs solve at once, each in a fresh worker, so cancelling or hitting the hard time
//   limit is simply terminating that worker. Outcomes are written only while the run is still
//   'running' in the database, so a run that was marked failed meanwhile (restart, cancel) is
//   never overwritten. After a run with a plan the pool also computes its best achievable 差异系数
//   (bounds.ts), in the same kind of worker, when no run is waiting and leaving one slot for runs.
// - TaskWorker: one long-lived worker for request-time CPU work (upload validation, lock
//   validation, audits, XLSX export): each of these takes 0.1–0.5 s on a county of 5,000
//   teachers, far too long to run on the event loop.
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { lockSchema, policySchema } from '../solver/contract/schemas.ts';
import {
  type Db, type RunRow, type RunStatus, datasetFiles, getDataset, getRun, logActivity, now, resultHash,
} from './db.ts';
import type { BoundsMessage, SolveMessage, SolvePhase, TaskKind, TaskReply, Tasks } from './run-job.ts';
import { queueBounds } from './bounds.ts';

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

export interface PoolOptions {
  poolSize: number;
  log: Logger;
  hardLimitSeconds?: (policySeconds: number, counties: number) => number;
  /** Compute the best achievable 差异系数 after each run with a plan (off in most API tests: minutes of CPU). */
  bounds?: boolean;
}

/** Solves one best-achievable job may need per county: 6 stage × indicator pairs, up to 4 solves each. */
const BOUNDS_SOLVES_PER_COUNTY = 24;

interface Active { worker: Worker; timer: NodeJS.Timeout; phase: SolvePhase | null; lastWrite: number }

export class SolvePool {
  private readonly active = new Map<number, Active>();
  /** Best-achievable jobs by run id. */
  private readonly bounds = new Map<number, Active>();
  private closed = false;

  constructor(private readonly db: Db, private readonly opts: PoolOptions) {}

  /** On start: a run that was queued or running when the process died has no worker any more. */
  recoverAfterRestart(): number[] {
    const stale = this.db.prepare<[], { id: number }>("SELECT id FROM runs WHERE status IN ('queued', 'running')").all().map((r) => r.id);
    this.db.transaction(() => {
      for (const id of stale) {
        this.db.prepare("UPDATE runs SET status = 'failed', message = ?, finished_at = ? WHERE id = ?").run(RESTART_MESSAGE, now(), id);
        logActivity(this.db, { userId: null, action: 'run.fail', entity: 'run', entityId: id, details: { reason: 'restart' } });
      }
      this.db.prepare("UPDATE run_bounds SET status = 'failed', message = ?, finished_at = ? WHERE status IN ('queued', 'running')").run(RESTART_MESSAGE, now());
    })();
    return stale;
  }

  get running(): number {
    return this.active.size;
  }

  /** Starts queued runs, oldest first, while a worker slot is free; then best-achievable jobs. */
  pump(): void {
    while (!this.closed && this.active.size + this.bounds.size < this.opts.poolSize) {
      const run = this.db.prepare<[], RunRow>("SELECT * FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1").get();
      if (run) {
        this.start(run);
        continue;
      }
      // Bounds never take the last slot of a pool of several: a new run starts at once.
      if (this.bounds.size >= Math.max(1, this.opts.poolSize - 1)) return;
      const next = this.db.prepare<[], { run_id: number }>("SELECT run_id FROM run_bounds WHERE status = 'queued' ORDER BY run_id LIMIT 1").get();
      if (!next) return;
      this.startBounds(next.run_id);
    }
  }

  /** Stops the best-achievable job of a run that is being deleted. */
  dropBounds(runId: number): void {
    const a = this.bounds.get(runId);
    if (!a) return;
    this.bounds.delete(runId);
    clearTimeout(a.timer);
    void a.worker.terminate();
  }

  /** Cancels a queued or running run; false when it is not active. */
  cancel(runId: number): boolean {
    if (this.active.has(runId)) return this.finish(runId, 'cancelled', { message: '已取消' });
    const r = this.db.prepare("UPDATE runs SET status = 'cancelled', message = '已取消', finished_at = ? WHERE id = ? AND status = 'queued'").run(now(), runId);
    return r.changes > 0;
  }

  /** Stops every worker; their runs are marked failed, as after a restart. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.active.values(), ...this.bounds.values()].map((a) => a.worker);
    for (const id of [...this.active.keys()]) this.finish(id, 'failed', { message: RESTART_MESSAGE });
    for (const id of [...this.bounds.keys()]) this.finishBounds(id, 'failed', { message: RESTART_MESSAGE });
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private start(run: RunRow): void {
    const inputs = runInputsSchema.parse(JSON.parse(run.inputs_json));
    const dataset = getDataset(this.db, run.dataset_id);
    const counties = dataset ? z.array(z.string()).parse(JSON.parse(dataset.counties_json)).length : 1;
    const limit = (this.opts.hardLimitSeconds ?? defaultHardLimitSeconds)(inputs.policy.solver.timeLimitSeconds, counties);
    // A run never loses its baseline while it is active (DELETE /api/runs refuses), so this is only a safeguard.
    const baselinePlanCsv = inputs.baseline_run_id === null ? null : getRun(this.db, inputs.baseline_run_id)?.plan_csv ?? null;
    if (inputs.baseline_run_id !== null && baselinePlanCsv === null) {
      this.db.prepare("UPDATE runs SET status = 'failed', message = ?, finished_at = ? WHERE id = ? AND status = 'queued'")
        .run(`基准运行 #${inputs.baseline_run_id} 已不存在`, now(), run.id);
      return;
    }
    const progress: Progress = { phase: 'parsing', county: null, objective: null, gap: null };
    const claimed = this.db.prepare("UPDATE runs SET status = 'running', started_at = ?, progress_json = ? WHERE id = ? AND status = 'queued'")
      .run(now(), JSON.stringify(progress), run.id);
    if (claimed.changes === 0) return;
    const files = datasetFiles(this.db, run.dataset_id).map((f) => ({ name: f.name, content: f.content }));
    const worker = new Worker(WORKER_URL, { workerData: { mode: 'solve', files, policy: inputs.policy, locks: inputs.locks, baselinePlanCsv } });
    const timer = setTimeout(() => this.finish(run.id, 'failed', { message: `超过硬性时间上限（${Math.round(limit)}秒），运行被终止` }), limit * 1000);
    this.active.set(run.id, { worker, timer, phase: 'parsing', lastWrite: 0 });
    this.opts.log.info({ run: run.id, limitSeconds: Math.round(limit) }, 'run started');

    // Events of a worker that was already finished (terminated) are ignored.
    const mine = () => this.active.get(run.id)?.worker === worker;
    worker.on('message', (m: SolveMessage) => {
      if (!mine()) return;
      if (m.type === 'progress') this.progress(run.id, m);
      else if (m.type === 'error') this.finish(run.id, 'failed', { message: `求解失败：${m.message}` });
      else {
        this.finish(run.id, m.status === 'infeasible' ? 'infeasible' : 'done', {
          message: m.message, plan_csv: m.planCsv, report_json: m.reportJson, summary_json: m.summaryJson,
        });
      }
    });
    worker.on('error', (err) => { if (mine()) this.finish(run.id, 'failed', { message: `求解进程出错：${err.message}` }); });
    worker.on('exit', (code) => { if (mine()) this.finish(run.id, 'failed', { message: `求解进程意外退出（退出码 ${code}）` }); });
  }

  private progress(runId: number, m: Extract<SolveMessage, { type: 'progress' }>): void {
    const a = this.active.get(runId);
    if (!a) return;
    // Phase changes are written at once; incumbents at most once a second (status polls read the row).
    const t = Date.now();
    if (m.phase === a.phase && t - a.lastWrite < 1000) return;
    a.phase = m.phase;
    a.lastWrite = t;
    const progress: Progress = { phase: m.phase, county: m.county, objective: m.objective, gap: m.gap };
    this.db.prepare("UPDATE runs SET progress_json = ? WHERE id = ? AND status = 'running'").run(JSON.stringify(progress), runId);
  }

  /** Ends an active run once (later calls are ignored); returns whether it was active. */
  private finish(runId: number, status: RunStatus, out: { message: string | null; plan_csv?: string; report_json?: string; summary_json?: string }): boolean {
    const a = this.active.get(runId);
    if (!a) return false;
    this.active.delete(runId);
    clearTimeout(a.timer);
    void a.worker.terminate();
    const run = this.db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(runId);
    const dataset = run ? getDataset(this.db, run.dataset_id) : undefined;
    const outputs = { plan_csv: out.plan_csv ?? null, report_json: out.report_json ?? null, summary_json: out.summary_json ?? null };
    const hash = run && dataset && outputs.report_json !== null ? resultHash(dataset.content_hash, { inputs_json: run.inputs_json, ...outputs }) : null;
    const r = this.db.prepare(`UPDATE runs SET status = ?, message = ?, finished_at = ?, plan_csv = ?, report_json = ?, summary_json = ?, result_hash = ?
      WHERE id = ? AND status = 'running'`).run(status, out.message, now(), outputs.plan_csv, outputs.report_json, outputs.summary_json, hash, runId);
    if (r.changes > 0) logActivity(this.db, { userId: null, action: `run.${status}`, entity: 'run', entityId: runId });
    if (r.changes > 0 && status === 'done' && this.opts.bounds) queueBounds(this.db, runId);
    this.opts.log.info({ run: runId, status }, 'run finished');
    setImmediate(() => this.pump());
    return true;
  }

  private startBounds(runId: number): void {
    const claimed = this.db.prepare("UPDATE run_bounds SET status = 'running', started_at = ? WHERE run_id = ? AND status = 'queued'").run(now(), runId);
    const run = getRun(this.db, runId);
    if (claimed.changes === 0 || !run) return;
    if (run.report_json === null) return void this.db.prepare("UPDATE run_bounds SET status = 'failed', message = '运行没有结果' WHERE run_id = ?").run(runId);
    const inputs = runInputsSchema.parse(JSON.parse(run.inputs_json));
    const dataset = getDataset(this.db, run.dataset_id);
    const counties = dataset ? z.array(z.string()).parse(JSON.parse(dataset.counties_json)).length : 1;
    const hard = this.opts.hardLimitSeconds ?? defaultHardLimitSeconds;
    const limit = hard(inputs.policy.solver.timeLimitSeconds * BOUNDS_SOLVES_PER_COUNTY, counties);
    const files = datasetFiles(this.db, run.dataset_id).map((f) => ({ name: f.name, content: f.content }));
    const worker = new Worker(WORKER_URL, { workerData: { mode: 'bounds', files, policy: inputs.policy, locks: inputs.locks, reportJson: run.report_json } });
    const timer = setTimeout(() => this.finishBounds(runId, 'failed', { message: `超过硬性时间上限（${Math.round(limit)}秒），计算被终止` }), limit * 1000);
    this.bounds.set(runId, { worker, timer, phase: null, lastWrite: 0 });
    const mine = () => this.bounds.get(runId)?.worker === worker;
    worker.on('message', (m: BoundsMessage) => {
      if (!mine()) return;
      if (m.type === 'progress') this.boundsProgress(runId, m);
      else if (m.type === 'error') this.finishBounds(runId, 'failed', { message: `计算失败：${m.message}` });
      else this.finishBounds(runId, 'done', { message: null, items: JSON.stringify(m.items) });
    });
    worker.on('error', (err) => { if (mine()) this.finishBounds(runId, 'failed', { message: `计算进程出错：${err.message}` }); });
    worker.on('exit', (code) => { if (mine()) this.finishBounds(runId, 'failed', { message: `计算进程意外退出（退出码 ${code}）` }); });
  }

  private boundsProgress(runId: number, m: Extract<BoundsMessage, { type: 'progress' }>): void {
    if (!this.bounds.has(runId)) return;
    const progress = { done: m.done, total: m.total, county: m.county };
    this.db.prepare("UPDATE run_bounds SET progress_json = ? WHERE run_id = ? AND status = 'running'").run(JSON.stringify(progress), runId);
  }

  private finishBounds(runId: number, status: 'done' | 'failed', out: { message: string | null; items?: string }): void {
    if (!this.bounds.has(runId)) return;
    this.dropBounds(runId);
    this.db.prepare("UPDATE run_bounds SET status = ?, message = ?, bounds_json = ?, finished_at = ? WHERE run_id = ? AND status = 'running'")
      .run(status, out.message, out.items ?? null, now(), runId);
    this.opts.log.info({ run: runId, status }, 'best achievable finished');
    setImmediate(() => this.pump());
  }
}

// ---------------------------------------------------------------------------------------------

interface Pending { resolve: (res: Tasks[TaskKind]['res']) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }

export class TaskWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly timeoutSeconds = 120) {}

  /** Starts the worker ahead of the first request (its TypeScript loader takes about a second). */
  warmUp(): void {
    this.ensure();
  }

  run<K extends TaskKind>(kind: K, req: Tasks[K]['req']): Promise<Tasks[K]['res']> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`后台任务超过${this.timeoutSeconds}秒未完成`)), this.timeoutSeconds * 1000);
      // The worker answers request `id` with the result of that request's kind.
      this.pending.set(id, { resolve: (res) => resolve(res as Tasks[K]['res']), reject, timer });
      worker.postMessage({ id, kind, req });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.fail(new Error('服务器正在关闭'));
    if (w) await w.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_URL, { workerData: { mode: 'tasks' } });
    w.on('message', (m: TaskReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.res);
      else p.reject(new Error(m.message));
    });
    w.on('error', (err) => this.fail(err));
    w.on('exit', () => { if (this.worker === w) this.fail(new Error('后台任务进程意外退出')); });
    // The pool never keeps the process alive on its own; the HTTP server does.
    w.unref();
    this.worker = w;
    return w;
  }

  /** Drops the worker and rejects everything pending; the next request starts a fresh worker. */
  private fail(err: Error): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
