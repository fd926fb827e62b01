// A re-plan starts from its baseline when the baseline keeps every rule of the new model (and is
// lower than the greedy plan): the engine is handed exactly the baseline's column vector.
import { describe, expect, it } from 'vitest';
import { generateCounty } from '../data/generate.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { planCounty } from '../solver/pipeline.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { greedyStart } from '../solver/model/greedy-start.ts';
import { startFromPlan } from '../solver/model/warm-start.ts';
import { objectiveOf } from '../solver/model/linear-model.ts';
import type { Engine } from '../solver/model/engine.ts';
import { highsEngine } from '../server/engine.ts';

const highs = highsEngine();

describe('re-plan warm start', () => {
  it('hands the engine the baseline plan as its start, and still proves the optimum', async () => {
    const ds = { ...generateCounty({ teachers: 400, seed: 4 }), policy: defaultPolicy() };
    const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
    const first = await planCounty(ctx, highs);
    expect(first.status).toBe('optimal');
    const starts: (Float64Array | null | undefined)[] = [];
    const spy: Engine = (model, options, hints) => {
      starts.push(hints?.start);
      return highs(model, options, hints);
    };
    const replan = await planCounty(ctx, spy, { baseline: first.rows });
    const built = buildModel(ctx, { baseline: first.rows, baselineAdditionsFree: false });
    const fromBaseline = startFromPlan(built, first.rows)!;
    expect(fromBaseline).not.toBeNull();
    expect(objectiveOf(built.model, fromBaseline)).toBeLessThan(objectiveOf(built.model, greedyStart(ctx, built)!));
    expect(starts[0]).toEqual(fromBaseline);
    expect(replan.status).toBe('optimal');
  }, 120_000);
});
