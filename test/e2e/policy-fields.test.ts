// The scenario form shows each parameter's default; they must be the contract's defaults. The
// comparison names parameters and shows their values as the form does.
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../solver/contract/schemas.ts';
import { ALL_FIELDS, getPath, policyLabel, policyValueText } from '../../web/src/policy-fields.ts';

describe('scenario form parameters', () => {
  it('shows the defaults of solver/contract/schemas.ts for every field', () => {
    const policy = defaultPolicy();
    for (const f of ALL_FIELDS) expect({ path: f.path.join('.'), def: getPath(policy, f.path) }).toEqual({ path: f.path.join('.'), def: f.def });
  });

  it('names a source clause for every field', () => {
    for (const f of ALL_FIELDS) expect(f.clause.length, f.path.join('.')).toBeGreaterThan(4);
  });

  it('offers every objective weight, each with its meaning in English too', () => {
    const leaves = (o: object, at: string[] = []): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? leaves(v, [...at, k]) : [[...at, k].join('.')]));
    const weights = ALL_FIELDS.filter((f) => f.path[0] === 'weights');
    expect(weights.map((f) => f.path.join('.')).sort()).toEqual(leaves(defaultPolicy().weights, ['weights']).sort());
    for (const f of weights) expect(f.clauseEn?.length, f.path.join('.')).toBeGreaterThan(10);
  });
});

describe('policy labels and values (compare page, comparison workbook)', () => {
  it('names a parameter as the form does, and a parameter the form lacks by its key path', () => {
    expect(policyLabel(['ratios', 'maxRotatedShareOfEligible'], 'zh')).toBe('交流人数上限（空 = 只交流最低人数）');
    expect(policyLabel(['solver', 'mipRelGap'], 'en')).toBe('solver.mipRelGap');
  });

  it('shows shares in %, an empty box by its meaning, switches as yes/no and units', () => {
    expect(policyValueText(['ratios', 'maxRotatedShareOfEligible'], 0.15, 'zh')).toBe('15%');
    expect(policyValueText(['ratios', 'maxRotatedShareOfEligible'], null, 'zh')).toBe('最低人数');
    expect(policyValueText(['limits', 'maxCommuteKm'], null, 'en')).toBe('None');
    expect(policyValueText(['flows', 'towardRuralOrWeakOnly'], true, 'zh')).toBe('是');
    expect(policyValueText(['eligibility', 'maxAge', 'M'], 49, 'en')).toBe('49 yrs');
    expect(policyValueText(['solver', 'presolve'], 'off', 'zh')).toBe('off');
  });
});
