// A claimed job's worker thread: started from run-worker.mjs with the queue's data, stopped at its
// hard time limit, its messages handed to the queue one after another, and its counties' solves
// relayed to the shared lanes (lane-relay.ts).
import { Worker } from 'node:worker_threads';
import type { JobControl, JobQueue } from './job-queue.ts';
import type { SolveMessage } from './run-job.ts';
import type { LanePool } from './lanes.ts';
import { isLaneRequest, relayLane } from './lane-relay.ts';
import type { Logger } from './logger.ts';

const WORKER_URL = new URL('./run-worker.mjs', import.meta.url);

/** A worker running run-job.ts with `workerData` (solve pool jobs and best-achievable jobs alike). */
export const jobWorker = (workerData: object): Worker => new Worker(WORKER_URL, { workerData });

/** A running job's thread: `abort` takes its counties off the lanes. */
export interface JobThread { worker: Worker; timer: NodeJS.Timeout; abort: AbortController }

export interface JobThreadOptions {
  lanes: LanePool;
  log: Logger;
  /** What the queue's handlers tell the pool (its progress, its end). */
  control: JobControl;
  /** Whether `worker` is still the job's: events of a worker that was already finished (terminated) are ignored. */
  current(worker: Worker): boolean;
}

/** Starts job `id` of `queue`, claimed with `job`, for `user` (whose turn its counties take on the lanes). */
export function startJobThread(queue: JobQueue, id: number, user: number, job: { workerData: object; limitSeconds: number },
  o: JobThreadOptions): JobThread {
  const worker = jobWorker(job.workerData);
  const timer = setTimeout(() => void o.control.end('failed', { message: `超过硬性时间上限（${Math.round(job.limitSeconds)}秒），运行被终止` }), job.limitSeconds * 1000);
  const abort = new AbortController();
  const mine = () => o.current(worker);
  // The worker's events are handled in order, each after the previous one's writes: its exit must
  // not overtake the result it posted just before (a frontier's last point is stored before its end).
  let messages: Promise<unknown> = Promise.resolve();
  const next = (handle: () => Promise<unknown>) => {
    messages = messages.then(() => (mine() ? handle() : undefined))
      .catch((err: unknown) => o.log.error({ [queue.kind]: id, err }, `${queue.kind}: storing what its worker said failed`));
  };
  // A run's counties go to the shared lanes; their solve progress is the run's (a SolveMessage).
  const solving = (county: string, p: { objective: number | null; gap: number | null }) =>
    next(() => queue.receive(id, { type: 'progress', phase: 'solving', county, ...p } satisfies SolveMessage, o.control));
  worker.on('message', (m: unknown) => {
    if (!mine()) return;
    if (isLaneRequest(m)) relayLane(worker, m, o.lanes, `user:${user}`, abort.signal, solving);
    else next(() => queue.receive(id, m, o.control));
  });
  worker.on('error', (err) => next(() => o.control.end('failed', { message: `求解进程出错：${err.message}` })));
  worker.on('exit', (code) => next(() => o.control.end('failed', { message: `求解进程意外退出（退出码 ${code}）` })));
  return { worker, timer, abort };
}
