// The scenario form shows each parameter's default; they must be the contract's defaults.
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../solver/contract/schemas.ts';
import { ALL_FIELDS, getPath } from '../../web/src/policy-fields.ts';

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
