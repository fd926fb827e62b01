// The trade-off frontier on generated counties: the reported objective never gets worse as the
// share rises, no point rotates more than ⌈share × eligible⌉, every point's plan passes the audit
// of its own policy, and the warm start is the previous plan at exactly its reported objective.
import { describe, expect, it } from 'vitest';
import { buildCountyContext, ceilShare, countiesOf } from '../solver/policy/county.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { objectiveOf } from '../solver/model/linear-model.ts';
import { startFromPlan } from '../solver/model/warm-start.ts';
import { atShare, frontierCsvText, frontierShares, planFrontier } from '../solver/frontier.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { highsEngine } from '../server/engine.ts';
import { randomDataset } from './helpers/datasets.ts';

const highs = highsEngine();
const SHARES = [0.1, 0.15, 0.2, 0.3, 0.4];
// Counties that have a plan at the minimum (some tiny seeds have none under the never-worse switch).
const SEEDS = [1, 3, 5, 7, 8, 10];

describe('frontier on generated counties', () => {
  it.each(SEEDS)('seed %i: objective never worse as the share rises; rotated ≤ ⌈share × eligible⌉; every plan passes its audit', async (seed) => {
    const ds = randomDataset(seed);
    const points = await planFrontier(ds, highs, SHARES);
    expect(points.map((p) => p.share)).toEqual(SHARES);
    expect(points.map((p) => p.rows[0]!.status).filter((s) => s === 'infeasible')).toEqual([]);
    let previous = Infinity;
    for (const p of points) {
      const row = p.rows[0]!;
      const ctx = buildCountyContext(countiesOf(ds)[0]!, p.ds);
      expect(row.rotated!).toBeLessThanOrEqual(Math.max(ceilShare(p.share, ctx.eligibleCount), ctx.locks.filter((l) => l.action === 'move').length));
      expect(row.rotated).toBe(p.plans[0]!.moves.length);
      expect(auditPlan(p.ds, p.plans[0]!.rows).ok).toBe(true);
      expect(row.audit_ok).toBe(true);
      expect(row.objective!).toBeLessThanOrEqual(previous + 1e-6);
      previous = row.objective!;
    }
  });

  it('each point starts from the previous plan, whose objective in the new model (stability term aside) is the one reported', async () => {
    const ds = randomDataset(5);
    const [first, second] = await planFrontier(ds, highs, [0.1, 0.2]);
    const prev = first!.plans[0]!;
    expect(prev.status).toBe('optimal');
    const ctx = buildCountyContext(countiesOf(ds)[0]!, atShare(ds, 0.2));
    const built = buildModel(ctx, { baseline: prev.rows });
    const start = startFromPlan(built, prev.rows);
    expect(start).not.toBeNull();
    // The previous plan keeps every baseline move: its stability term is 0.
    expect(objectiveOf(built.model, start!)).toBeCloseTo(first!.rows[0]!.objective!, 5);
    expect(second!.rows[0]!.objective!).toBeLessThanOrEqual(first!.rows[0]!.objective! + 1e-6);
    // Stability: only a previous move dropped or redirected costs changeFromBaseline; added moves are free,
    // yet every difference is reported as a change.
    const next = new Map(second!.plans[0]!.rows.map((r) => [r.teacher_id, r.to_school_id]));
    const lost = prev.rows.filter((r) => next.get(r.teacher_id) !== r.to_school_id).length;
    const added = [...next.keys()].filter((id) => !prev.rows.some((r) => r.teacher_id === id)).length;
    expect(added).toBeGreaterThan(0);
    expect(second!.plans[0]!.terms.find((x) => x.id === 'baseline_change')!.value).toBeCloseTo(ds.policy.weights.changeFromBaseline * lost, 9);
    expect(second!.rows[0]!.changed_from_previous).toBe(lost + added);
    // A move that has no column in the model (to a school of another stage) is no start at all.
    const t = ctx.teachers.find((x) => prev.rows.some((r) => r.teacher_id === x.id))!;
    const elsewhere = ctx.schools.find((s) => s.stage !== 'nine_year' && s.stage !== t.stage)!;
    expect(startFromPlan(built, prev.rows.map((r) => (r.teacher_id === t.id ? { ...r, to_school_id: elsewhere.id } : r)))).toBeNull();
  });

  it('shares: the policy minimum first by default, sorted, none below the minimum or outside (0, 1]', () => {
    const p = defaultPolicy();
    expect(frontierShares(p)).toEqual({ shares: [0.1, 0.12, 0.15, 0.2, 0.25] });
    expect(frontierShares({ ...p, ratios: { ...p.ratios, minRotatedShareOfEligible: 0.13 } })).toEqual({ shares: [0.13, 0.15, 0.2, 0.25] });
    expect(frontierShares(p, [0.2, 0.1, 0.2])).toEqual({ shares: [0.1, 0.2] });
    expect(frontierShares(p, [0.05, 0.2])).toMatchObject({ problem: '交流比例 0.05 低于政策的最低交流比例 0.1' });
    expect(frontierShares(p, [0.2, 1.5])).toMatchObject({ problemEn: 'share 1.5 must be within 0–1 (e.g. 0.15)' });
  });

  it('frontier.csv has exactly the contract columns; a point with no plan leaves its numbers empty', async () => {
    const ds = randomDataset(5, { ratios: { ...defaultPolicy().ratios, minBackboneShareOfRotated: 1, minRotatedShareOfEligible: 0.9 } });
    const [point] = await planFrontier(ds, highs, [0.9]);
    const [header, line] = frontierCsvText(point!.rows).trim().split('\n');
    expect(header).toBe('county,share,rotated,backbone_rotated,cv_primary_aboveDegree,cv_primary_backbone,cv_primary_peArt,cv_junior_aboveDegree,'
      + 'cv_junior_backbone,cv_junior_peArt,indicators_meeting_threshold,needs_unfilled,toward_rural_or_weak,commute_km_total,objective,status,gap');
    expect(line).toBe(`${point!.rows[0]!.county},0.90,,,,,,,,,,,,,,infeasible,`);
  });
});
