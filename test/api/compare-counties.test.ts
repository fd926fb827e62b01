// A comparison seen from one county: the per-county figures read from report.json
// (server/compare-counties.ts) and the web page's scoping of a whole comparison to one county
// (web/src/pages/compare-county.ts): only that county's rows, its own numbers, thresholds recounted.
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../solver/contract/schemas.ts';
import { countyFigures } from '../../server/compare-counties.ts';
import type { Comparison } from '../../server/compare.ts';
import { scopeComparison } from '../../web/src/pages/compare-county.ts';

const rule = (id: string, county: string | null, numerator: number, denominator: number, ok = true) => ({ id, county, ok, numerator, denominator });
const report = {
  budget: [
    { county: '甲县', eligible: 40, min_rotated: 4, max_rotated: 4, locked_moves: 0 },
    { county: '乙县', eligible: 30, min_rotated: 3, max_rotated: 5, locked_moves: 1 },
  ],
  rules: [
    rule('plan_integrity', null, 0, 0),
    rule('rotation_share', '甲县', 4, 40), rule('backbone_share', '甲县', 1, 4),
    rule('rotation_share', '乙县', 0, 30, false), rule('backbone_share', '乙县', 0, 0),
  ],
  solver: [{ county: '甲县', status: 'optimal' as const }, { county: '乙县', status: 'infeasible' as const }],
};

describe('countyFigures', () => {
  it('each county: its status, its own rules\' audit, rotated and backbone from the rule numbers, its budget', () => {
    const [a, b] = countyFigures(report, defaultPolicy());
    expect(a).toMatchObject({ county: '甲县', plan_status: 'optimal', audit_ok: true, eligible: 40, rotated: 4, rotation_rate: 0.1, backbone_rotated: 1, backbone_share: 0.25 });
    expect(a!.requirements).toMatchObject({ eligible: 40, min_rotated: 4, max_rotated: 4, locked_moves: 0, min_rotated_share: 0.1 });
    expect(b).toMatchObject({ county: '乙县', plan_status: 'infeasible', audit_ok: false, rotated: 0, rotation_rate: 0, backbone_share: null });
    expect(b!.requirements).toMatchObject({ eligible: 30, min_rotated: 3, max_rotated: 5, locked_moves: 1 });
  });
});

const side = (ok: boolean) => ({ teachers: 10, above_degree_per100: 1, backbone_per100: 1, pe_art_per100: 1, above_degree_ok: ok, backbone_ok: true, pe_art_ok: true });
const stage = (county: string, id: string, before: boolean, after: boolean) => ({
  county, school_id: id, school_name: id, stage: 'primary' as const, students: 100, in_cv_scope: true, runs: [{ before: side(before), after: side(after) }],
});
const cvRow = (county: string) => ({ county, stage: 'primary' as const, indicator: 'backbone' as const, runs: [null] });
const comparison = {
  runs: [{ run_id: 1, rotated: 4, plan_status: 'infeasible', counties: countyFigures(report, defaultPolicy()) }],
  rules: [{ id: 'plan_integrity', county: null }, { id: 'rotation_share', county: '甲县' }, { id: 'rotation_share', county: '乙县' }],
  cv: [cvRow('甲县'), cvRow('乙县')],
  thresholds: [{ stage: 'primary', indicator: 'aboveDegree', runs: [{ schools: 3, before: 1, after: 2, min: 1 }] }, { stage: 'primary', indicator: 'all', runs: [{ schools: 3, before: 1, after: 2, min: null }] }],
  schools: [{ county: '甲县', school_id: 'A1' }, { county: '乙县', school_id: 'B1' }, { county: '乙县', school_id: 'B2' }],
  school_stages: [stage('甲县', 'A1', false, true), stage('乙县', 'B1', true, true), stage('乙县', 'B2', false, false)],
} as unknown as Comparison;

describe('scopeComparison', () => {
  it('all counties: the comparison unchanged', () => {
    expect(scopeComparison(comparison, '')).toBe(comparison);
  });

  it('one county: its rows only, its figures, the thresholds counted over its schools', () => {
    const b = scopeComparison(comparison, '乙县');
    expect(b.runs[0]).toMatchObject({ run_id: 1, rotated: 0, plan_status: 'infeasible', eligible: 30 });
    expect(b.cv.map((x) => x.county)).toEqual(['乙县']);
    expect(b.schools.map((x) => x.school_id)).toEqual(['B1', 'B2']);
    expect(b.school_stages.every((x) => x.county === '乙县')).toBe(true);
    expect(b.rules.map((r) => r.county)).toEqual([null, '乙县']);
    expect(b.thresholds.map((t) => t.runs[0])).toEqual([{ schools: 2, before: 1, after: 1, min: 1 }, { schools: 2, before: 1, after: 1, min: null }]);
    const a = scopeComparison(comparison, '甲县');
    expect(a.runs[0]).toMatchObject({ rotated: 4, plan_status: 'optimal', backbone_share: 0.25 });
    expect(a.thresholds[0]!.runs[0]).toEqual({ schools: 1, before: 0, after: 1, min: 1 });
  });
});
