// One solve lane's thread (started by lanes.ts through lane-worker.mjs): plans the counties it is
// sent, one at a time — builds the county's model here, solves it in this thread's warm HiGHS
// worker (engine-workers.ts), decodes the plan — and answers with the plan's bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { planCounty } from '../solver/pipeline.ts';
import { highsEngine } from './engine.ts';
import { planBytes, readCountyJob } from './lane-plans.ts';
import type { LaneMessage } from './lanes.ts';
import { lowerThreadPriority } from './thread-priority.ts';

const port = parentPort!;
if ((workerData as { lowPriority?: boolean }).lowPriority) lowerThreadPriority();
const post = (m: LaneMessage) => port.postMessage(m);
const engine = highsEngine((p) => post({ type: 'progress', objective: p.objective, gap: p.gap }));

port.on('message', (job: Uint8Array) => {
  const { ctx, opts } = readCountyJob(job);
  planCounty(ctx, engine, opts).then(
    (plan) => post({ type: 'plan', plan: planBytes(plan) }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
