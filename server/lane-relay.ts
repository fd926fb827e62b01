// The server's solve lanes (lanes.ts) live on the main thread, shared by every run; a run's own
// worker (run-job.ts) reaches them through its parent: it posts a LaneRequest per county, and
// job-worker.ts hands the county's bytes to the pool untouched and posts the plan's bytes back.
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Lane } from './lane-plans.ts';
import type { LanePool, LaneProgress } from './lanes.ts';

export interface LaneRequest { type: 'lane'; id: number; county: string; job: Uint8Array }
type LaneReply = { type: 'lane-plan'; id: number; plan: Uint8Array } | { type: 'lane-error'; id: number; message: string };

/** In a run's worker: the lanes of the parent thread. */
export function parentLanes(port: MessagePort): Lane {
  const waiting = new Map<number, { resolve: (plan: Uint8Array) => void; reject: (err: Error) => void }>();
  let next = 0;
  port.on('message', (m: LaneReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.type === 'lane-plan') w.resolve(m.plan);
    else w.reject(new Error(m.message));
  });
  return (county, job) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    port.postMessage({ type: 'lane', id, county, job } satisfies LaneRequest);
  });
}

export const isLaneRequest = (m: unknown): m is LaneRequest => (m as { type?: unknown } | null)?.type === 'lane';

/** On the main thread: one county of a run's worker onto the shared lanes, its answer back to the worker. */
export function relayLane(worker: Worker, req: LaneRequest, lanes: LanePool, owner: string, signal: AbortSignal, onProgress: (county: string, p: LaneProgress) => void,
  background = false): void {
  lanes.plan(owner, req.job, { signal, onProgress: (p) => onProgress(req.county, p), background }).then(
    (plan) => worker.postMessage({ type: 'lane-plan', id: req.id, plan } satisfies LaneReply),
    (err: Error) => { if (!signal.aborted) worker.postMessage({ type: 'lane-error', id: req.id, message: err.message } satisfies LaneReply); },
  );
}
