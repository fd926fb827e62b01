// The elastic solve that explains an infeasible county starts from "nobody moves, every broken
// county rule's slack set to what it is short": a start that keeps every row of the elastic
// model, so even a solve stopped at once names the rules in conflict.
import { describe, expect, it } from 'vitest';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { planCounty } from '../solver/pipeline.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { elasticStart, keepsEveryRow } from '../solver/model/warm-start.ts';
import type { Engine } from '../solver/model/engine.ts';
import { highsEngine } from '../server/engine.ts';
import { randomDataset } from './helpers/datasets.ts';

const highs = highsEngine();

describe('elastic explanation warm start', () => {
  it('the explanation starts from a start that keeps every elastic row, and a solve stopped at once still names the rules', async () => {
    let checked = 0;
    for (let seed = 1; seed <= 60 && checked < 3; seed++) {
      const ds = randomDataset(seed);
      const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
      const calls: { start: Float64Array | null | undefined; vars: number }[] = [];
      // The plan's own solve as usual; the elastic one (the second call) stopped almost at once.
      const spy: Engine = (model, options, hints) => {
        calls.push({ start: hints?.start, vars: model.vars.length });
        return highs(model, calls.length === 2 ? { ...options, timeLimitSeconds: 0.01 } : options, hints);
      };
      const plan = await planCounty(ctx, spy);
      if (calls.length < 2) continue; // planned, or stopped by the pre-check: no elastic solve
      checked++;
      const elastic = buildModel(ctx, { elastic: true });
      const start = calls[1]!.start!;
      expect({ seed, start: start !== null && start !== undefined }).toEqual({ seed, start: true });
      expect(start).toEqual(elasticStart(elastic));
      expect(keepsEveryRow(elastic.model, start)).toBe(true);
      expect(plan.status).toBe('infeasible');
      expect({ seed, named: plan.conflicts.some((c) => c.rules.length > 0) }).toEqual({ seed, named: true });
      expect(plan.noncompliant?.rules.length ?? 0).toBeGreaterThan(0);
    }
    expect(checked).toBe(3);
  }, 300_000);
});
