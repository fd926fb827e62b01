// A kind of background solve as the solve pool (solve-pool.ts) sees it, and what every kind
// shares: claiming a queued row, a dataset's files for its worker, the default hard time limit.
import { z } from 'zod';
import { type Db, type RunStatus, datasetFiles, getDataset, now, sqlNow } from './db.ts';

export const RESTART_MESSAGE = '服务器重启，运行中断';

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
  /** The attempt's lease: a write of its own (a frontier's points) checks the row still has it. */
  readonly lease: string;
  /** Stores progress: a new phase at once, the same phase at most once a second (status polls read the row). */
  progress(phase: string, json: string): void;
  end(status: JobStatus, out: JobEnd): Promise<boolean>;
}

/**
 * One kind of background solve (runs, run-queue.ts; frontiers, frontier-queue.ts). Its table is
 * its queue: rows go queued → running → an end status, with `message`, `started_at`,
 * `finished_at`. Every job runs in its own worker from run-worker.mjs.
 */
export interface JobQueue {
  /** The activity log's entity and the pool's key prefix. */
  readonly kind: string;
  readonly table: string;
  /** Claims queued job `id` (→ running, under `lease`): its worker's data and hard limit; null when it does not start (marked failed, or taken). */
  claim(id: number, lease: string): Promise<{ workerData: object; limitSeconds: number } | null>;
  /** A message from the job's worker (the next waits until this one's writes are done). */
  receive(id: number, message: unknown, job: JobControl): Promise<void>;
  /** Writes how the job ended, only while it is still running in the table under `lease`; whether it was. */
  store(id: number, lease: string, status: JobStatus, end: JobEnd): Promise<boolean>;
}

/** Claims queued job `id` of `table` (→ running under `lease`, with its first progress and heartbeat); false when it was no longer queued. */
export async function markRunning(db: Db, table: string, id: number, lease: string, progress: object): Promise<boolean> {
  return await db.run(`UPDATE ${table} SET status = 'running', started_at = ?, progress_json = ?, lease = ?, heartbeat_at = ${sqlNow(db)}
    WHERE id = ? AND status = 'queued'`, now(), JSON.stringify(progress), lease, id) > 0;
}

/** A dataset's stored files for a worker, and its number of counties (hard limits scale with it). */
export async function datasetInput(db: Db, datasetId: number): Promise<{ files: { name: string; content: Uint8Array }[]; counties: number }> {
  const dataset = await getDataset(db, datasetId);
  return {
    files: (await datasetFiles(db, datasetId)).map((f) => ({ name: f.name, content: f.content })),
    counties: dataset ? z.array(z.string()).parse(JSON.parse(dataset.counties_json)).length : 1,
  };
}
