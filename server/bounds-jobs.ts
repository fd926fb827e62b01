// Best-achievable jobs (bounds.ts): after a run with a plan, its best achievable 差异系数, computed
// in the same kind of worker as a solve, each county × stage × indicator a background job on the
// shared solve lanes (lanes.ts: only while no user's county waits, on all lanes but one). The solve pool
// decides when one starts (only while no queued job waits, never in its last slot); this keeps
// their workers and writes their rows.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { type Db, getRun, now, sqlNow } from './db.ts';
import type { BoundsMessage } from './run-job.ts';
import { BOUNDS_SOLVES_PER_COUNTY } from './bounds.ts';
import { datasetInput, defaultHardLimitSeconds } from './job-queue.ts';
import { jobWorker } from './job-worker.ts';
import { isLaneRequest, relayLane } from './lane-relay.ts';
import type { LanePool } from './lanes.ts';
import type { Logger } from './logger.ts';
import { runInputsSchema } from './run-inputs.ts';

/**
 * `lease`: the token its attempt claimed the row with (heartbeat.ts); its writes require it.
 * `progressWrite`: its progress writes, one after another, which the end's write waits for (on
 * PostgreSQL's pool the last could otherwise land after the end and, no longer 'running', be lost).
 */
interface BoundsJob { worker: Worker; timer: NodeJS.Timeout; lease: string; progressWrite: Promise<unknown>; abort: AbortController }

/** The lanes' owner of every best-achievable pair. */
const BOUNDS_OWNER = 'best-achievable';

export interface BoundsJobsOptions {
  log: Logger;
  lanes: LanePool;
  /** Hard limit of a best-achievable job (default: defaultHardLimitSeconds). */
  hardLimitSeconds?: (policySeconds: number, counties: number) => number;
  /** Called after a job ended: its slot is free. */
  ended(): void;
}

/**
 * Best-achievable jobs by run id. Kept beside the pool's queues rather than as one more JobQueue:
 * they are not a user's solve (no cancel, no per-user limit), and their table is keyed by run_id
 * with no 'cancelled' status.
 */
export class BoundsJobs {
  private readonly jobs = new Map<number, BoundsJob>();

  constructor(private readonly db: Db, private readonly opts: BoundsJobsOptions) {}

  get size(): number {
    return this.jobs.size;
  }

  workers(): Worker[] {
    return [...this.jobs.values()].map((b) => b.worker);
  }

  /** The jobs computing now and their leases (kind 'bounds', by run id). */
  held(): { kind: 'bounds'; id: number; lease: string }[] {
    return [...this.jobs].map(([id, b]) => ({ kind: 'bounds', id, lease: b.lease }));
  }

  /** Starts the job of run `runId` when it is still queued (a run without a result fails at once). */
  async start(runId: number): Promise<void> {
    const lease = randomUUID();
    const claimed = await this.db.run(`UPDATE run_bounds SET status = 'running', started_at = ?, lease = ?, heartbeat_at = ${sqlNow(this.db)},
      attempts = attempts + 1 WHERE run_id = ? AND status = 'queued'`, now(), lease, runId);
    const run = await getRun(this.db, runId);
    if (claimed === 0 || !run) return;
    if (run.report_json === null) return void await this.db.run("UPDATE run_bounds SET status = 'failed', message = '运行没有结果' WHERE run_id = ?", runId);
    const inputs = runInputsSchema.parse(JSON.parse(run.inputs_json));
    const { files, counties } = await datasetInput(this.db, run.dataset_id);
    const hard = this.opts.hardLimitSeconds ?? defaultHardLimitSeconds;
    const limit = hard(inputs.policy.solver.timeLimitSeconds * BOUNDS_SOLVES_PER_COUNTY, counties);
    const worker = jobWorker({ mode: 'bounds', files, policy: inputs.policy, locks: inputs.locks, reportJson: run.report_json, planCsv: run.plan_csv ?? '' });
    const timer = setTimeout(() => void this.finish(runId, 'failed', { message: `超过硬性时间上限（${Math.round(limit)}秒），计算被终止` }), limit * 1000);
    const abort = new AbortController();
    this.jobs.set(runId, { worker, timer, lease, progressWrite: Promise.resolve(), abort });
    const mine = () => this.jobs.get(runId)?.worker === worker;
    worker.on('message', (m: BoundsMessage) => {
      if (!mine()) return;
      if (isLaneRequest(m)) relayLane(worker, m, this.opts.lanes, BOUNDS_OWNER, abort.signal, () => undefined, true);
      else if (m.type === 'progress') this.progress(runId, m);
      else if (m.type === 'error') void this.finish(runId, 'failed', { message: `计算失败：${m.message}` });
      else void this.finish(runId, 'done', { message: null, items: JSON.stringify(m.items) });
    });
    worker.on('error', (err) => { if (mine()) void this.finish(runId, 'failed', { message: `计算进程出错：${err.message}` }); });
    worker.on('exit', (code) => { if (mine()) void this.finish(runId, 'failed', { message: `计算进程意外退出（退出码 ${code}）` }); });
  }

  /** Stops the job of a run that is being deleted. */
  drop(runId: number): void {
    const b = this.jobs.get(runId);
    if (!b) return;
    this.jobs.delete(runId);
    clearTimeout(b.timer);
    b.abort.abort();
    void b.worker.terminate();
  }

  /** Ends every job as failed with `message` (the server is closing). */
  async failAll(message: string): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((id) => this.finish(id, 'failed', { message })));
  }

  private progress(runId: number, m: Extract<BoundsMessage, { type: 'progress' }>): void {
    const b = this.jobs.get(runId);
    if (!b) return;
    const progress = { done: m.done, total: m.total, county: m.county };
    b.progressWrite = b.progressWrite.then(() => this.db.run("UPDATE run_bounds SET progress_json = ? WHERE run_id = ? AND status = 'running' AND lease = ?",
      JSON.stringify(progress), runId, b.lease)).catch((err: unknown) => this.opts.log.error({ err }, 'storing progress failed'));
  }

  private async finish(runId: number, status: 'done' | 'failed', out: { message: string | null; items?: string }): Promise<void> {
    const b = this.jobs.get(runId);
    if (!b) return;
    this.drop(runId);
    await b.progressWrite;
    await this.db.run("UPDATE run_bounds SET status = ?, message = ?, bounds_json = ?, finished_at = ? WHERE run_id = ? AND status = 'running' AND lease = ?",
      status, out.message, out.items ?? null, now(), runId, b.lease).catch((err: unknown) => this.opts.log.error({ run: runId, err }, 'storing best achievable failed'));
    this.opts.log.info({ run: runId, status }, 'best achievable finished');
    this.opts.ended();
  }
}
