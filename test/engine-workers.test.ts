// Warm HiGHS workers (server/engine-workers.ts): a worker reused across solves answers exactly as a
// fresh one; one that failed, or whose heap passed the limit, is never reused.
import { describe, expect, it } from 'vitest';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { generateCounty } from '../data/generate.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { highsEngine } from '../server/engine.ts';
import { EngineWorkers } from '../server/engine-workers.ts';

const built = () => {
  const ds = { ...generateCounty({ profile: 'tiny', seed: 72 }), policy: defaultPolicy() };
  return buildModel(buildCountyContext(countiesOf(ds)[0]!, ds));
};
const options = { timeLimitSeconds: 60, mipRelGap: 0 };

describe('warm engine workers', () => {
  it('reuses one worker across solves, with the objective of a fresh worker each time', async () => {
    const { model, initial } = built();
    const warm = new EngineWorkers();
    const fresh = new EngineWorkers({ heapLimitBytes: 0 }); // every heap is "too large": never reused
    const solve = (w: EngineWorkers) => highsEngine(undefined, undefined, w)(model, options, { active: initial });
    const reused = [await solve(warm), await solve(warm), await solve(warm)];
    const once = [await solve(fresh), await solve(fresh)];
    expect(warm.started).toBe(1);
    expect(fresh.started).toBe(2);
    for (const r of [...reused, ...once]) {
      expect(r.status).toBe('optimal');
      expect(r.objective).toBeCloseTo(once[0]!.objective!, 9);
    }
  }, 120_000);

  it('replaces a worker whose solve failed, and the next solve succeeds', async () => {
    const { model, initial } = built();
    const w = new EngineWorkers();
    const engine = highsEngine(undefined, undefined, w);
    await engine(model, options, { active: initial });
    // HiGHS rejects a NaN bound: the worker reports an error, as after an Aborted().
    const broken = { ...model, vars: model.vars.map((v, i) => (i === 0 ? { ...v, lb: Number.NaN } : v)) };
    const failed = await engine(broken, options);
    expect(failed.status).toBe('error');
    const startedBefore = w.started;
    const after = await engine(model, options, { active: initial });
    expect(after.status).toBe('optimal');
    expect(w.started).toBe(startedBefore + 1);
  }, 120_000);
});
