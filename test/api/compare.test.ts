// compare.ts on its own: alignment of runs with different rules, and per-teacher differences.
import { describe, expect, it } from 'vitest';
import type { PlanRow } from '../../solver/contract/schemas.ts';
import { type ComparedRun, type RunSummary, compareRuns, diffPlans } from '../../server/compare.ts';

const summary = (rotated: number, rules: RunSummary['rules']): RunSummary => ({
  plan_status: 'optimal', objective: rotated, mip_gap: 0, audit_ok: true, eligible: 100, rotated, rotation_rate: rotated / 100,
  backbone_rotated: 2, backbone_share: 2 / rotated, toward_rural_or_weak: 1,
  needs: { required_fte: 50, shortfall_before: 5, shortfall_after: 3, filled: 2 },
  commute: { measured: 1, total_km_before: 3, total_km_after: 5 },
  thresholds: [{ stage: 'primary', indicator: 'all', schools: 4, before: 1, after: rotated > 10 ? 3 : 2 }],
  cv: [{ county: '甲县', stage: 'primary', indicator: 'backbone', max: 0.5, before: 0.4, after: 0.3, ok_before: true, ok_after: true }],
  rules,
});
const rule = (id: string, county: string | null, ok = true) => ({ id, county, name: id, required: '≥ 1', actual: '2', ok });
const run = (id: number, s: RunSummary): ComparedRun => ({ run_id: id, scenario_id: id, scenario_name: `方案${id}`, status: 'done', adopted: false, summary: s });

describe('compareRuns', () => {
  it('aligns rules by county and id, with null where a run lacks the rule', () => {
    const c = compareRuns([
      run(1, summary(10, [rule('plan_integrity', null), rule('rotation_share', '甲县')])),
      run(2, summary(12, [rule('plan_integrity', null), rule('rotation_share', '乙县', false)])),
    ]);
    expect(c.rules.map((r) => [r.id, r.county, r.runs.map((x) => x?.ok ?? null)])).toEqual([
      ['plan_integrity', null, [true, true]],
      ['rotation_share', '甲县', [true, null]],
      ['rotation_share', '乙县', [null, false]],
    ]);
    expect(c.runs.map((r) => r.rotated)).toEqual([10, 12]);
    expect(c.thresholds[0]!.runs.map((r) => r?.after)).toEqual([2, 3]);
    expect(c.cv[0]!.runs[0]).toEqual({ before: 0.4, after: 0.3, ok: true });
  });
});

describe('diffPlans', () => {
  const row = (teacher_id: string, to: string): PlanRow => ({ teacher_id, from_school_id: 'S0', to_school_id: to, mode: 'transfer', reason: '' });
  it('counts teachers moved alike and lists the rest by kind of difference', () => {
    const d = diffPlans([row('T1', 'S1'), row('T2', 'S2'), row('T3', 'S3')], [row('T1', 'S1'), row('T2', 'S9'), row('T4', 'S4')]);
    expect(d.same).toBe(1);
    expect(d.rows).toEqual([
      { teacher_id: 'T2', from_school_id: 'S0', a_to_school_id: 'S2', b_to_school_id: 'S9', change: 'different_destination' },
      { teacher_id: 'T3', from_school_id: 'S0', a_to_school_id: 'S3', b_to_school_id: null, change: 'only_a' },
      { teacher_id: 'T4', from_school_id: 'S0', a_to_school_id: null, b_to_school_id: 'S4', change: 'only_b' },
    ]);
  });
});
