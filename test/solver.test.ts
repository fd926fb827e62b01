// The solver end to end on real data: every plan it returns passes the audit and rotates exactly
// its budget, infeasible counties say why (and the best rule-breaking plan breaks only the rules
// named), and HiGHS agrees with javascript-lp-solver on small full models.
import { describe, expect, it } from 'vitest';
import { auditPlan } from '../solver/report/audit.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { jsLpSolverEngine } from '../solver/model/engine.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { planCounty, planDataset } from '../solver/pipeline.ts';
import { buildReport } from '../solver/report/report.ts';
import { highsEngine } from '../server/engine.ts';
import { loadSample, randomDataset } from './helpers/datasets.ts';

const highs = highsEngine();
const LONG = 300_000;

describe('plan of the small sample county', async () => {
  const ds = await loadSample('small-county');
  const plans = await planDataset(ds, highs);
  const report = buildReport(ds, plans);

  it('is optimal within the gap and passes its own audit', () => {
    expect(report.status).toBe('optimal');
    expect(plans.every((p) => p.gap !== null && p.gap <= ds.policy.solver.mipRelGap + 1e-12)).toBe(true);
    expect(report.audit_ok).toBe(true);
    expect(auditPlan(ds, plans.flatMap((p) => p.rows)).ok).toBe(true);
  });

  it('rotates exactly the minimum (⌈10% × eligible⌉) with at least 20% backbone', () => {
    const { eligible, rotated, backbone_rotated } = report.counts;
    expect(eligible).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p.budget.min).toBe(Math.ceil(0.1 * p.budget.eligible - 1e-9));
      expect(p.budget.lockedMoves).toBeLessThanOrEqual(p.budget.min);
      expect(p.moves.length).toBe(p.budget.min);
      expect(p.rows.length).toBe(p.budget.min);
    }
    expect(rotated).toBe(plans.reduce((a, p) => a + p.budget.min, 0));
    expect(backbone_rotated).toBeGreaterThanOrEqual(Math.ceil(0.2 * rotated - 1e-9));
  });

  it('gives every move a reason and reports every rule with required/actual/ok', () => {
    expect(plans.flatMap((p) => p.rows).every((r) => r.reason.length > 0)).toBe(true);
    const ids = report.rules.map((r) => r.id);
    for (const id of ['rotation_share', 'rotation_budget', 'backbone_share', 'outflow_cap', 'quota', 'may_move', 'stage_match', 'locked_moves', 'plan_integrity'])
      expect(ids).toContain(id);
    expect(report.rules.every((r) => typeof r.ok === 'boolean' && r.required && r.actual)).toBe(true);
  });

  it('reports the CV per stage and indicator before and after; none ends worse, and the 差异系数 term improves', () => {
    expect(report.indicators.cv.length).toBe(6);
    for (const cv of report.indicators.cv) {
      if (cv.before.cv === null) continue;
      expect(cv.after.cv).not.toBeNull();
      expect({ stage: cv.stage, indicator: cv.indicator, worse: cv.after.cv! > cv.before.cv + 1e-9 }).toEqual({ stage: cv.stage, indicator: cv.indicator, worse: false });
    }
    // The term is Σ weight × CV²/CV²_before: the plan must buy a real improvement, not stand still.
    const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
    const weights = buildModel(ctx).pairs.reduce((a, p) => a + p.weight, 0);
    const cvTerm = plans[0]!.terms.find((t) => t.id === 'cv_balance')!.value;
    expect(cvTerm).toBeLessThan(weights);
    // Rotation moves teachers, it does not make new ones: county totals over all schools stay the
    // same (the CV's own totals may change: small 教学点 are outside its scope).
    const total = (side: 'before' | 'after') =>
      report.indicators.schools.reduce((a, s) => a + s[side].backbone + 1000 * s[side].pe_art + 1e6 * s[side].teachers, 0);
    expect(total('after')).toBe(total('before'));
  });
});

describe('property: seeded tiny counties (seeds 1..120) plan within every rule or explain themselves', () => {
  // Rule ids the audit can fail ('never_worse' included: the audit recomputes every CV); a lock
  // that gives way fails 'locked_moves' and may fail the move rule 'locks'.
  const auditIds = (rules: string[]) => new Set([...rules, ...(rules.includes('locked_moves') ? ['locks'] : [])]);
  const knownIds = new Set(['never_worse', 'may_move', 'stage_match', 'other_school', 'same_county', 'commute', 'toward_rural_or_weak', 'locks',
    'rotation_share', 'rotation_budget', 'backbone_share', 'outflow_cap', 'quota', 'locked_moves', 'plan_integrity']);
  const tally = { planned: 0, infeasible: 0, noncompliant: 0, seeds: 0 };

  const checkSeed = async (seed: number) => {
    const ds = randomDataset(seed);
    // Exercise the optional rules too: a commute limit on every third county, flows toward
    // rural/weak schools only on every fifth.
    if (seed % 3 === 1) ds.policy.limits.maxCommuteKm = 25;
    if (seed % 5 === 0) ds.policy.flows.towardRuralOrWeakOnly = true;
    const plans = await planDataset(ds, highs);
    tally.seeds++;
    for (const p of plans) {
      if (p.status !== 'infeasible') {
        tally.planned++;
        const audit = auditPlan(ds, p.rows);
        expect({ seed, ok: audit.ok, bad: audit.counties.flatMap((c) => c.rules.filter((r) => !r.ok).map((r) => r.id)) }).toEqual({ seed, ok: true, bad: [] });
        // The budget is exact: null max share = the minimum, raised to the locked moves.
        expect({ seed, rotated: p.moves.length }).toEqual({ seed, rotated: Math.max(p.budget.min, p.budget.lockedMoves) });
        expect(p.objective).not.toBeNull();
        continue;
      }
      tally.infeasible++;
      // No plan: the report must say which rules conflict, in words.
      expect({ seed, conflicts: p.conflicts.length > 0 }).toEqual({ seed, conflicts: true });
      for (const c of p.conflicts) expect({ seed, message: c.message.trim().length > 0 }).toEqual({ seed, message: true });
      expect(p.rows).toEqual([]);
      if (p.noncompliant) {
        tally.noncompliant++;
        expect(p.noncompliant.rules.length).toBeGreaterThan(0);
        for (const id of p.noncompliant.rules) expect({ seed, id, known: knownIds.has(id) }).toEqual({ seed, id, known: true });
        // The best rule-breaking plan breaks only the rules it names (and keeps the plan's integrity).
        const audit = auditPlan(ds, p.noncompliant.rows);
        const allowed = auditIds(p.noncompliant.rules);
        expect({ seed, integrity: audit.integrity.ok }).toEqual({ seed, integrity: true });
        const unexpected = audit.counties.flatMap((c) => c.rules.filter((r) => !r.ok && !allowed.has(r.id)).map((r) => r.id));
        expect({ seed, rules: p.noncompliant.rules, unexpected }).toEqual({ seed, rules: p.noncompliant.rules, unexpected: [] });
      }
    }
  };

  for (const [from, to] of [[1, 30], [31, 60], [61, 90], [91, 120]] as const) {
    it(`holds for seeds ${from}..${to}`, async () => {
      for (let seed = from; seed <= to; seed++) await checkSeed(seed);
    }, LONG);
  }

  it('plans a good share of them and explains the rest', () => {
    console.log(`tiny counties: ${tally.planned} planned, ${tally.infeasible} infeasible (${tally.noncompliant} with a not-compliant plan)`);
    expect(tally.seeds).toBe(120);
    // Tiny counties are often infeasible under the never-worse switch (a lock can force a CV up):
    // that is intended. Measured: 54 of 120 plan with the commute/rural variations above (66 explained, 33 of them with a not-compliant plan).
    expect(tally.planned).toBeGreaterThanOrEqual(45);
    expect(tally.planned + tally.infeasible).toBe(120);
  });
});

describe('cross-check: HiGHS and javascript-lp-solver agree on small full models', () => {
  // javascript-lp-solver's dense branch and bound only finishes on small models; these seeds'
  // full models (every class × allowed destination) have 110–210 columns.
  const modelOf = (seed: number) => {
    const ds = randomDataset(seed);
    const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
    return { ds, ctx, model: buildModel(ctx).model };
  };
  const exact = { timeLimitSeconds: 60, mipRelGap: 0 };

  it.each([72, 110, 115, 42, 104, 108])('same optimal objective, seed %i', async (seed) => {
    const { ds, ctx, model } = modelOf(seed);
    expect(model.vars.length).toBeLessThanOrEqual(210);
    const [a, b] = [await highs(model, exact), await jsLpSolverEngine(model, exact)];
    expect(a.status).toBe('optimal');
    expect(b.status).toBe('optimal');
    expect(b.objective!).toBeCloseTo(a.objective!, 6);
    // And the plans built from either engine pass the same audit with the same objective (within the default gap).
    const viaJs = await planCounty(ctx, jsLpSolverEngine);
    const viaHighs = await planCounty(ctx, highs);
    expect(viaJs.status).toBe('optimal');
    expect(viaHighs.status).toBe('optimal');
    expect(auditPlan(ds, viaJs.rows).ok).toBe(true);
    expect(Math.abs(viaHighs.objective! - viaJs.objective!)).toBeLessThanOrEqual(ds.policy.solver.mipRelGap * Math.abs(viaJs.objective!) + 1e-6);
  }, LONG);

  // 4, 39, 77, 114: the never-worse switch and locks conflict; 6, 11: the counting precheck already says so.
  it.each([4, 39, 77, 114, 6, 11])('both prove the same model infeasible, seed %i', async (seed) => {
    const { model } = modelOf(seed);
    expect((await highs(model, exact)).status).toBe('infeasible');
    expect((await jsLpSolverEngine(model, exact)).status).toBe('infeasible');
  }, LONG);
});
