// compare.ts on its own: alignment of runs with different rules, each run's own requirements,
// the assumptions that differ (policy keys walked generically, locks), per-school rows, the
// optional best-achievable fields, and per-teacher differences.
import { describe, expect, it } from 'vitest';
import { type Lock, type PlanRow, defaultPolicy } from '../../solver/contract/schemas.ts';
import { type ComparedReport, comparedReportSchema } from '../../server/compare-schools.ts';
import { leafDiffs, lockDiffs } from '../../server/compare-inputs.ts';
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
const side = (peArt: number) => ({
  teachers: 20, above_degree_per100: 5, backbone_per100: 1.2, pe_art_per100: peArt, above_degree_ok: true, backbone_ok: true, pe_art_ok: peArt >= 0.9,
});
const report = (maxRotated: number, extra: object = {}): ComparedReport => comparedReportSchema.parse({
  budget: [{ county: '甲县', eligible: 100, min_rotated: 10, max_rotated: maxRotated, locked_moves: 0 }],
  counts: { per_school: [{ county: '甲县', school_id: 'S1', school_name: '一小', teachers_before: 20, outflow: 2, inflow: 1, teachers_after: 19, outflow_cap: 4, quota: 21 }] },
  indicators: {
    schools: [{ county: '甲县', school_id: 'S1', school_name: '一小', stage: 'primary', students: 800, in_cv_scope: true, before: side(0.8), after: side(maxRotated > 10 ? 1 : 0.8) }],
    cv: [{
      county: '甲县', stage: 'primary', indicator: 'backbone', max: 0.5,
      before: { cv: 0.4, ok: true, mean_per100: 1.1 }, after: { cv: 0.3, ok: true, mean_per100: 1.1 }, ...extra,
    }],
  },
});
const run = (id: number, s: RunSummary, maxShare: number | null = null, locks: Lock[] = [], extra: object = {}): ComparedRun => {
  const policy = defaultPolicy();
  policy.ratios.maxRotatedShareOfEligible = maxShare;
  return {
    run_id: id, scenario_id: id, scenario_name: `方案${id}`, notes: '', dataset_id: 1, status: 'done', adopted: false, summary: s,
    inputs: { policy, locks, baseline_run_id: null }, report: report(maxShare === null ? 10 : Math.ceil(maxShare * 100), extra),
  };
};

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
    expect(c.cv[0]!.runs[0]).toMatchObject({ max: 0.5, before: 0.4, after: 0.3, ok: true, mean_before: 1.1, best_achievable: null, share_of_achievable: null });
  });

  it('holds each run to its own requirement, and lists the parameters and locks that differ', () => {
    const stay: Lock = { teacher_id: 'T1', action: 'stay', reason: '毕业班' };
    const c = compareRuns([run(1, summary(10, [])), run(2, summary(15, []), 0.15, [stay])]);
    expect(c.runs.map((r) => [r.requirements.max_rotated_share, r.requirements.min_rotated, r.requirements.max_rotated])).toEqual([[null, 10, 10], [0.15, 10, 15]]);
    expect(c.assumptions.policy).toEqual([{ path: ['ratios', 'maxRotatedShareOfEligible'], values: [null, 0.15] }]);
    expect(c.assumptions.locks).toEqual([{ teacher_id: 'T1', runs: [null, { action: 'stay', to_school_id: null, reason: '毕业班' }], change: ['same', 'added'] }]);
    expect(c.assumptions.baseline).toBeNull();
    expect(c.schools).toEqual([{ county: '甲县', school_id: 'S1', school_name: '一小', runs: [expect.objectContaining({ outflow: 2, quota: 21 }), expect.objectContaining({ outflow: 2 })] }]);
    expect(c.school_stages[0]!.runs.map((r) => r?.after.pe_art_ok)).toEqual([false, true]);
  });

  it('reads best achievable CV and share of the achievable fall when the report has them, and tolerates other shapes', () => {
    const c = compareRuns([run(1, summary(10, []), null, [], { best_achievable: 0.2, share_of_achievable: 0.5 }), run(2, summary(10, []), null, [], { share_of_achievable: 'n/a' })]);
    expect(c.cv[0]!.runs.map((r) => [r?.best_achievable, r?.share_of_achievable])).toEqual([[0.2, 0.5], [null, null]]);
  });
});

describe('assumptions', () => {
  it('walks every key of the policies, nested or new, and reports leaves that differ', () => {
    const d = leafDiffs([{ a: { b: 1, c: [1, 2] }, d: true }, { a: { b: 1, c: [1, 3] }, d: true, e: { f: 'x' } }, { a: { b: 2, c: [1, 2] }, d: true }]);
    expect(d).toEqual([
      { path: ['a', 'b'], values: [1, 1, 2] },
      { path: ['a', 'c'], values: ['[1,2]', '[1,3]', '[1,2]'] },
      { path: ['e', 'f'], values: [null, 'x', null] },
    ]);
  });

  it('names locks added, removed or changed against the first run', () => {
    const l = (teacher_id: string, reason: string, to?: string): Lock => (to ? { teacher_id, action: 'move', to_school_id: to, reason } : { teacher_id, action: 'stay', reason });
    const d = lockDiffs([[l('T1', '甲'), l('T2', '乙')], [l('T1', '甲'), l('T2', '乙', 'S9'), l('T3', '丙')], [l('T2', '乙')]]);
    expect(d.map((x) => [x.teacher_id, x.change])).toEqual([['T1', ['same', 'same', 'removed']], ['T2', ['same', 'changed', 'same']], ['T3', ['same', 'added', 'same']]]);
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
