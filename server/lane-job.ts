// One solve lane's thread (started by lanes.ts through lane-worker.mjs): plans the counties it is
// sent, one at a time — builds the county's model here, solves it in this thread's warm HiGHS
// worker (engine-workers.ts), decodes the plan — and answers with the plan's bytes; or solves one
// best-achievable pair of a county the same way.
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { engineUntil } from '../solver/model/engine.ts';
import { planCounty } from '../solver/pipeline.ts';
import { cvPairs } from '../solver/policy/objective.ts';
import { CV_TOLERANCE, bestForPair } from '../solver/report/best-achievable.ts';
import { highsEngine } from './engine.ts';
import { type LaneJob, planBytes, readLaneJob } from './lane-plans.ts';
import type { LaneMessage } from './lanes.ts';
import { lowerThreadPriority } from './thread-priority.ts';

const port = parentPort!;
if ((workerData as { lowPriority?: boolean }).lowPriority) lowerThreadPriority();
const post = (m: LaneMessage) => port.postMessage(m);
const engine = highsEngine((p) => post({ type: 'progress', objective: p.objective, gap: p.gap }));

async function answer(job: LaneJob): Promise<Uint8Array> {
  if (job.kind === 'plan') return planBytes(await planCounty(job.ctx, engine, job.opts));
  const pair = cvPairs(job.ctx).find((p) => p.stage === job.stage && p.indicator === job.indicator)!;
  const solve = job.deadline === undefined ? engine : engineUntil(engine, job.deadline);
  return serialize(await bestForPair(job.ctx, pair, solve, CV_TOLERANCE, job.plan));
}

port.on('message', (bytes: Uint8Array) => {
  answer(readLaneJob(bytes)).then(
    (bytes) => post({ type: 'answer', bytes }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
