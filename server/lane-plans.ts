// What a solve lane (lanes.ts) is sent and returns: one county's planning context with the plan's
// options, and its CountyPlan, each as v8-serialized bytes; and a dataset planned county by county
// through lanes, in county order (what planDataset returns).
import { availableParallelism } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import type { Dataset } from '../solver/contract/dataset.ts';
import { type CountyContext, buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import type { CountyPlan, PlanOptions } from '../solver/pipeline.ts';

/** The options that cross to a lane (the rest are the caller's: onModel stays on the calling thread). */
/** `deadline` (epoch ms, the command's --time-limit) is one clock for every thread. */
export type LaneOptions = Pick<PlanOptions, 'baseline' | 'start' | 'baselineAdditionsFree' | 'deadline'>;
export interface CountyJob { ctx: CountyContext; opts: LaneOptions }

/** Sends one county to a lane and resolves to its plan's bytes: a LanePool, or the server's pool via the run's parent. */
export type Lane = (county: string, job: Uint8Array) => Promise<Uint8Array>;

export function countyJob(ctx: CountyContext, opts: LaneOptions): Uint8Array {
  // Only the county's rows of a baseline or start plan matter (planCounty and the objective filter
  // them by teacher): the others would be copied to every lane for nothing.
  const mine = (rows?: LaneOptions['baseline']) => rows?.filter((r) => ctx.teacherById.has(r.teacher_id));
  const { baseline, start, baselineAdditionsFree, deadline } = opts;
  return serialize({
    ctx,
    opts: {
      ...(baseline ? { baseline: mine(baseline) } : {}), ...(start ? { start: mine(start) } : {}), ...(baselineAdditionsFree !== undefined ? { baselineAdditionsFree } : {}),
      ...(deadline !== undefined ? { deadline } : {}),
    },
  });
}

export const readCountyJob = (bytes: Uint8Array): CountyJob => deserialize(bytes) as CountyJob;
export const planBytes = (plan: CountyPlan): Uint8Array => serialize(plan);
export const readPlan = (bytes: Uint8Array): CountyPlan => deserialize(bytes) as CountyPlan;

/**
 * Every county of `ds` through `lane`, in county order. At most `inFlight` counties are handed over
 * at once (one per lane keeps every lane busy and still gets this plan its turns): a 6,000-teacher
 * county is ≈ 3 MiB of bytes, and a province's 150 queued at once would sit in the pool's thread.
 */
export async function planOnLanes(ds: Dataset, lane: Lane, opts: LaneOptions = {}, inFlight = availableParallelism()): Promise<CountyPlan[]> {
  const counties = countiesOf(ds);
  const plans: CountyPlan[] = new Array(counties.length);
  let next = 0;
  const feed = async () => {
    for (let i = next++; i < counties.length; i = next++) plans[i] = readPlan(await lane(counties[i]!, countyJob(buildCountyContext(counties[i]!, ds), opts)));
  };
  await Promise.all(Array.from({ length: Math.max(1, inFlight) }, feed));
  return plans;
}
