// How `lungang plan` plans a dataset's counties (and, with --bounds, their best achievable CVs),
// here so the bench (test/bench/bench.ts) times the very path users get: several counties on the
// solve lanes, one county (or a model wanted on this thread) in-process.
import { availableParallelism } from 'node:os';
import type { Dataset } from '../solver/contract/dataset.ts';
import { type Engine, engineUntil, jsLpSolverEngine } from '../solver/model/engine.ts';
import { type CountyPlan, type PlanOptions, planDataset } from '../solver/pipeline.ts';
import { countiesOf } from '../solver/policy/county.ts';
import { LanePool } from './lanes.ts';
import { type Lane, type LaneOptions, bestAchievableOnLanes, planOnLanes } from './lane-plans.ts';
import { type BestAchievable, type BestAchievableOptions, bestAchievable } from '../solver/report/best-achievable.ts';

/** `work` on a pool of solve lanes of this command's own, closed when it is done (idle lanes never keep the process alive). */
async function onLanes<T>(work: (lane: Lane) => Promise<T>): Promise<T> {
  const lanes = new LanePool();
  try {
    return await work((_county, job) => lanes.plan('cli', job));
  } finally {
    await lanes.close();
  }
}

/**
 * Counties are independent: with HiGHS each is built and solved on a solve lane, one per core
 * (lanes.ts). One county has nothing to run beside it, and a lane would only add its start: it is
 * planned here. So are the counties of --export-lp and javascript-lp-solver, which need the models
 * on this thread (one county per core).
 */
export async function planCounties(ds: Dataset, engine: Engine, onModel: PlanOptions['onModel'] | null, opts: LaneOptions): Promise<CountyPlan[]> {
  if (engine !== jsLpSolverEngine && !onModel && countiesOf(ds).length > 1) return onLanes((lane) => planOnLanes(ds, lane, opts));
  return planDataset(ds, engine, { concurrency: availableParallelism(), ...opts, ...(onModel ? { onModel } : {}) });
}

/** --bounds: with HiGHS every county × stage × indicator is a lane job, so one county's pairs use every core. */
export async function boundCounties(ds: Dataset, engine: Engine, opts: BestAchievableOptions & { deadline?: number }): Promise<BestAchievable[]> {
  if (engine !== jsLpSolverEngine) return onLanes((lane) => bestAchievableOnLanes(ds, lane, opts));
  return bestAchievable(ds, opts.deadline === undefined ? engine : engineUntil(engine, opts.deadline), opts);
}
