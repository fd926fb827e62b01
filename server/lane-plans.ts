// What a solve lane (lanes.ts) is sent and returns, as v8-serialized bytes: one county's planning
// context with the plan's options and its CountyPlan, or one county × stage × indicator's
// best-achievable solve and its answer; and a dataset planned (or bounded) through lanes, in order.
import { availableParallelism } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import type { Dataset } from '../solver/contract/dataset.ts';
import { type CountyContext, buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import type { CountyPlan, PlanOptions } from '../solver/pipeline.ts';
import type { Stage } from '../solver/contract/schemas.ts';
import type { IndicatorKey } from '../solver/policy/indicators.ts';
import { cvPairs } from '../solver/policy/objective.ts';
import type { BestAchievable, BestAchievableOptions } from '../solver/report/best-achievable.ts';

/**
 * The options that cross to a lane (the rest are the caller's: onModel stays on the calling thread);
 * `deadline` (epoch ms, the command's --time-limit) is one clock for every thread.
 */
export type LaneOptions = Pick<PlanOptions, 'baseline' | 'start' | 'baselineAdditionsFree' | 'deadline'>;
export interface CountyJob { kind: 'plan'; ctx: CountyContext; opts: LaneOptions }
/** One best-achievable pair (bestForPair), starting from the county's rows of `plan`. */
export interface PairJob { kind: 'bounds'; ctx: CountyContext; stage: Stage; indicator: IndicatorKey; plan?: BestAchievableOptions['plan']; deadline?: number }
export type LaneJob = CountyJob | PairJob;

/** Sends one job to a lane and resolves to its answer's bytes: a LanePool, or the server's pool via the run's parent. */
export type Lane = (county: string, job: Uint8Array) => Promise<Uint8Array>;

export function countyJob(ctx: CountyContext, opts: LaneOptions): Uint8Array {
  // Only the county's rows of a baseline or start plan matter (planCounty and the objective filter
  // them by teacher): the others would be copied to every lane for nothing.
  const mine = (rows?: LaneOptions['baseline']) => rows?.filter((r) => ctx.teacherById.has(r.teacher_id));
  const { baseline, start, baselineAdditionsFree, deadline } = opts;
  return serialize({
    kind: 'plan',
    ctx,
    opts: {
      ...(baseline ? { baseline: mine(baseline) } : {}), ...(start ? { start: mine(start) } : {}), ...(baselineAdditionsFree !== undefined ? { baselineAdditionsFree } : {}),
      ...(deadline !== undefined ? { deadline } : {}),
    },
  });
}

export const readLaneJob = (bytes: Uint8Array): LaneJob => deserialize(bytes) as LaneJob;
export const planBytes = (plan: CountyPlan): Uint8Array => serialize(plan);
export const readPlan = (bytes: Uint8Array): CountyPlan => deserialize(bytes) as CountyPlan;

/** `count` jobs through the lanes, at most `inFlight` handed over at once; answers in job order. */
async function inOrder<T>(count: number, inFlight: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const feed = async () => {
    for (let i = next++; i < count; i = next++) out[i] = await run(i);
  };
  await Promise.all(Array.from({ length: Math.max(1, inFlight) }, feed));
  return out;
}

/**
 * Every county of `ds` through `lane`, in county order. At most `inFlight` counties are handed over
 * at once (one per lane keeps every lane busy and still gets this plan its turns): a 6,000-teacher
 * county is ≈ 3 MiB of bytes, and a province's 150 queued at once would sit in the pool's thread.
 */
export async function planOnLanes(ds: Dataset, lane: Lane, opts: LaneOptions = {}, inFlight = availableParallelism()): Promise<CountyPlan[]> {
  const counties = countiesOf(ds);
  return inOrder(counties.length, inFlight, async (i) => readPlan(await lane(counties[i]!, countyJob(buildCountyContext(counties[i]!, ds), opts))));
}

/**
 * bestAchievable (solver/report/best-achievable.ts) with every county × stage × indicator its own
 * lane job: the pairs of one county use every core. Same answers, same order.
 */
export async function bestAchievableOnLanes(ds: Dataset, lane: Lane, opts: BestAchievableOptions & { deadline?: number } = {}, inFlight = availableParallelism()): Promise<BestAchievable[]> {
  const contexts = countiesOf(ds).filter((c) => !opts.counties || opts.counties.includes(c)).map((c) => buildCountyContext(c, ds));
  // The county's rows of the plan only, once per county: the others would be copied to every lane for nothing.
  const work = contexts.flatMap((ctx) => {
    const plan = opts.plan?.filter((r) => ctx.teacherById.has(r.teacher_id));
    return cvPairs(ctx).map((pair) => ({ ctx, pair, plan }));
  });
  let done = 0;
  return inOrder(work.length, inFlight, async (i) => {
    const { ctx, pair, plan } = work[i]!;
    const job: PairJob = { kind: 'bounds', ctx, stage: pair.stage, indicator: pair.indicator, ...(plan ? { plan } : {}), ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}) };
    const found = deserialize(await lane(ctx.county, serialize(job))) as BestAchievable;
    opts.onProgress?.({ county: ctx.county, done: ++done, total: work.length });
    return found;
  });
}
