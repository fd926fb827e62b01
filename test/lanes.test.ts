// Solve lanes (server/lanes.ts): counties planned on the pool equal counties planned one at a time;
// owners take turns; a lane that dies under a county is replaced and the county still planned.
import { afterAll, describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { generateCity } from '../data/generate.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { planDataset } from '../solver/pipeline.ts';
import { highsEngine } from '../server/engine.ts';
import { LanePool } from '../server/lanes.ts';
import { bestAchievableOnLanes, countyJob, planOnLanes, readPlan } from '../server/lane-plans.ts';
import { bestAchievable } from '../solver/report/best-achievable.ts';

const ds = { ...generateCity({ counties: 4, teachersPerCounty: 250, seed: 11 }), policy: defaultPolicy() };
const counties = countiesOf(ds);
const job = (county: string) => countyJob(buildCountyContext(county, ds), {});
const pools: LanePool[] = [];
const pool = (size: number) => {
  const p = new LanePool(size);
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe('solve lanes', () => {
  it('plan every county as planning them one at a time does', async () => {
    const lanes = pool(2);
    const onLanes = await planOnLanes(ds, (_county, bytes) => lanes.plan('me', bytes));
    const alone = await planDataset(ds, highsEngine());
    expect(onLanes.map((p) => p.county)).toEqual(counties);
    onLanes.forEach((p, i) => {
      expect(p.status).toBe(alone[i]!.status);
      expect(p.status).toBe('optimal');
      expect(p.objective).toBeCloseTo(alone[i]!.objective!, 6);
      expect(p.moves.length).toBe(alone[i]!.moves.length);
    });
  }, 180_000);

  it('best-achievable pairs on lanes equal the same pairs solved one at a time, from the plan', async () => {
    const lanes = pool(2);
    const two = countiesOf(ds).slice(0, 2);
    const plan = (await planDataset(ds, highsEngine())).flatMap((p) => p.rows);
    const progress: number[] = [];
    const onLanes = await bestAchievableOnLanes(ds, (_county, bytes) => lanes.plan('me', bytes), { counties: two, plan, onProgress: (p) => progress.push(p.done) });
    const alone = await bestAchievable(ds, highsEngine(), { counties: two, plan });
    expect(onLanes.length).toBeGreaterThan(2);
    expect(onLanes.map((b) => [b.county, b.stage, b.indicator, b.proven])).toEqual(alone.map((b) => [b.county, b.stage, b.indicator, b.proven]));
    onLanes.forEach((b, i) => {
      expect(b.best_achievable!).toBeCloseTo(alone[i]!.best_achievable!, 9);
      expect(b.bound!).toBeCloseTo(alone[i]!.bound!, 6);
    });
    expect(progress.sort((a, b) => a - b)).toEqual(onLanes.map((_, i) => i + 1));
  }, 300_000);

  it('serve owners in turn: a second owner\'s county does not wait for the first owner\'s queue', async () => {
    const lanes = pool(1);
    const done: string[] = [];
    const track = (owner: string, county: string) => lanes.plan(owner, job(county)).then(() => done.push(`${owner}:${county}`));
    const first = counties.map((c) => track('a', c));
    const second = track('b', counties[0]!);
    await Promise.all([...first, second]);
    // One lane: a's first county is running and a's second was its next turn; then b's comes.
    expect(done.indexOf(`b:${counties[0]}`)).toBeLessThan(done.indexOf(`a:${counties.at(-1)}`));
    expect(done.indexOf(`b:${counties[0]}`)).toBeLessThanOrEqual(2);
  }, 180_000);

  it('run background work (best-achievable pairs) only on all lanes but one and after every waiting foreground county', async () => {
    const lanes = pool(2);
    const submit = (owner: string, county: string, background: boolean) => lanes.plan(owner, job(county), { background });
    // Handed out at once, in the calls: bg1 takes a lane; bg2 and bg3 may not take the second, which fg, queued after them, gets.
    const all = [submit('bg', counties[0]!, true), submit('bg', counties[1]!, true), submit('bg', counties[2]!, true), submit('fg', counties[3]!, false)];
    // Which owner each lane is working for is a private detail, read here only to see the hand-out.
    const running = (lanes as unknown as { lanes: { task: { owner: string } | null }[] }).lanes.map((l) => l.task?.owner ?? null);
    expect(running.sort()).toEqual(['bg', 'fg']);
    expect(lanes.queued).toBe(2);
    const plans = (await Promise.all(all)).map(readPlan);
    expect(plans.map((p) => p.status)).toEqual(['optimal', 'optimal', 'optimal', 'optimal']);
  }, 180_000);

  it('replace a lane that dies under a county, and still plan that county', async () => {
    const lanes = pool(1);
    const expected = readPlan(await lanes.plan('me', job(counties[1]!)));
    const pending = lanes.plan('me', job(counties[1]!));
    // The lane is a private detail: reached here only to kill it mid-county.
    (lanes as unknown as { lanes: { worker: Worker }[] }).lanes[0]!.worker.terminate();
    const plan = readPlan(await pending);
    expect(plan.status).toBe('optimal');
    expect(plan.objective).toBeCloseTo(expected.objective!, 6);
  }, 180_000);

  it('drop a cancelled county, queued or running', async () => {
    const lanes = pool(1);
    const running = new AbortController();
    const queued = new AbortController();
    const a = lanes.plan('me', job(counties[0]!), { signal: running.signal });
    const b = lanes.plan('me', job(counties[1]!), { signal: queued.signal });
    queued.abort();
    running.abort();
    await expect(a).rejects.toThrow('求解已取消');
    await expect(b).rejects.toThrow('求解已取消');
    expect(lanes.queued).toBe(0);
    // A county that ends leaves no listener on its run's signal (a run may have 150 counties).
    const run = new AbortController();
    expect(readPlan(await lanes.plan('me', job(counties[2]!), { signal: run.signal })).status).toBe('optimal');
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  }, 180_000);
});
