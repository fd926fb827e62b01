// The HiGHS worker never hangs the caller: a time limit or a cancel returns the best plan found
// so far or says clearly that there is none.
import { describe, expect, it } from 'vitest';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { generateCounty } from '../data/generate.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { highsEngine } from '../server/engine.ts';
import { toLpText } from '../solver/model/linear-model.ts';
import highsModule from 'highs';

// highs' types describe its CommonJS build; Node loads the ESM build, whose default is the loader.
const highsLoader = highsModule as unknown as typeof highsModule.default;

const bigModel = () => {
  const ds = { ...generateCounty({ teachers: 8000, seed: 3 }), policy: defaultPolicy() };
  return buildModel(buildCountyContext(countiesOf(ds)[0]!, ds)).model;
};

describe('HiGHS engine limits', () => {
  it('stops at a tiny time limit with either an incumbent or a clear "no plan" message', async () => {
    const r = await highsEngine()(bigModel(), { timeLimitSeconds: 0.05, mipRelGap: 0 });
    expect(['feasible', 'no_solution', 'optimal']).toContain(r.status);
    if (r.status === 'no_solution') expect(r.message).toMatch(/未找到方案|终止/);
    if (r.status === 'feasible') expect(r.x).not.toBeNull();
  });

  it('returns at once when cancelled, with progress reported before', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const pending = highsEngine((p) => progress.push(p.seconds), controller.signal)(bigModel(), { timeLimitSeconds: 600, mipRelGap: 0 });
    setTimeout(() => controller.abort(), 300);
    const r = await pending;
    expect(r.seconds).toBeLessThan(60);
    expect(['feasible', 'no_solution', 'optimal']).toContain(r.status);
    if (r.status !== 'optimal') expect(r.message).toBe('求解已取消');
  });
});

describe('--export-lp text', () => {
  it('is read by HiGHS as the same model (same optimum, up to the constant offset)', async () => {
    // Seed 72: a tiny county that plans under the never-worse switch (seed 16 no longer does).
    const ds = { ...generateCounty({ profile: 'tiny', seed: 72 }), policy: defaultPolicy() };
    const { model } = buildModel(buildCountyContext(countiesOf(ds)[0]!, ds));
    const viaArrays = await highsEngine()(model, { timeLimitSeconds: 30, mipRelGap: 0 });
    const viaText = (await highsLoader()).solve(toLpText(model), { mip_rel_gap: 0 });
    expect(viaArrays.status).toBe('optimal');
    expect(viaText.Status).toBe('Optimal');
    expect(viaText.ObjectiveValue + model.offset).toBeCloseTo(viaArrays.objective!, 6);
  });
});

describe('relaxation only', () => {
  it('returns the whole LP optimum as a bound (priced, equal to the LP of every column) and no plan', async () => {
    const ds = { ...generateCounty({ teachers: 1000, seed: 2 }), policy: defaultPolicy() };
    const built = buildModel(buildCountyContext(countiesOf(ds)[0]!, ds));
    const lp = await highsEngine()(built.model, { timeLimitSeconds: 60, mipRelGap: 1e-4, relaxationOnly: true }, { active: built.initial });
    const mip = await highsEngine()(built.model, { timeLimitSeconds: 60, mipRelGap: 1e-4 }, { active: built.initial });
    // The same model with every column and no integers, solved by HiGHS from the LP text.
    const text = toLpText({ ...built.model, vars: built.model.vars.map((v) => ({ ...v, int: false })) });
    const full = (await highsLoader()).solve(text, {});
    expect(lp.status).toBe('optimal');
    expect(lp.x).toBeNull();
    expect(full.Status).toBe('Optimal');
    expect(lp.bound!).toBeCloseTo(full.ObjectiveValue + built.model.offset, 5);
    expect(lp.bound!).toBeLessThanOrEqual(mip.objective! + 1e-9);
  });
});
