// Issue 7 acceptance: under the default policy every county — the sample county and 32 generated
// ones (small and medium profiles, the medium shape scaled to 1,000 / 2,000 / 3,000 teachers; every
// third with a 30 km commute limit; all with the generator's preferences and locks) — rotates
// exactly the minimum (or the locked moves when those are more), passes the audit, and no
// 差异系数 ends worse than it started.
import { describe, expect, it } from 'vitest';
import { type CountyTables, generateCounty } from '../data/generate.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { planDataset } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { highsEngine } from '../server/engine.ts';
import { loadSample } from './helpers/datasets.ts';

const highs = highsEngine();
const LONG = 600_000;

interface Spec {
  name: string;
  make: () => Promise<Dataset>;
  commuteKm: number | null;
}

// The list is fixed: profile × seeds in order, and every third county (by position) gets the limit.
const generated: { label: string; make: () => Promise<CountyTables> }[] = [
  ...[1, 2, 3, 4, 5, 6].map((seed) => ({ label: `small profile, seed ${seed}`, make: async () => generateCounty({ profile: 'small', seed }) })),
  // medium seed 1 is the sample county itself (planned below).
  ...[2, 3, 4, 5].map((seed) => ({ label: `medium profile, seed ${seed}`, make: async () => generateCounty({ profile: 'medium', seed }) })),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ label: `1000 teachers, seed ${seed}`, make: async () => generateCounty({ teachers: 1000, seed }) })),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ label: `2000 teachers, seed ${seed}`, make: async () => generateCounty({ teachers: 2000, seed }) })),
  ...[1, 2, 3, 4, 5, 6].map((seed) => ({ label: `3000 teachers, seed ${seed}`, make: async () => generateCounty({ teachers: 3000, seed }) })),
];

const SPECS: Spec[] = [
  { name: 'sample county', make: () => loadSample('sample-county'), commuteKm: null },
  ...generated.map((g, i): Spec => {
    const commuteKm = i % 3 === 2 ? 30 : null;
    return {
      name: `${g.label}${commuteKm ? `, commute ≤ ${commuteKm} km` : ''}`,
      commuteKm,
      make: async () => {
        const tables = await g.make();
        const policy = defaultPolicy();
        policy.limits.maxCommuteKm = commuteKm;
        return { ...tables, policy };
      },
    };
  }),
];

interface Outcome {
  name: string;
  status: string;
  teachers: number;
  locks: number;
  preferences: number;
  rotated: number;
  min: number;
  lockedMoves: number;
  gap: number | null;
  seconds: number;
  conflicts: { rules: string[]; message: string }[];
}
const outcomes: Outcome[] = [];

async function planAndCheck(spec: Spec): Promise<void> {
  const ds = await spec.make();
  expect(ds.policy.ratios.maxRotatedShareOfEligible).toBeNull();
  expect(ds.policy.indicators.neverWorse).toBe(true);
  // What is checked here holds for any returned plan, proven or not: a shorter limit only bounds
  // the suite's time on a busy CI machine (the proof itself is tested in optimality.test.ts).
  ds.policy.solver.timeLimitSeconds = 20;
  const started = performance.now();
  const plans = await planDataset(ds, highs);
  const seconds = (performance.now() - started) / 1000;
  expect(plans.length).toBe(1);
  const p = plans[0]!;
  outcomes.push({
    name: spec.name, status: p.status, teachers: ds.teachers.length, locks: ds.locks.length, preferences: ds.preferences.length,
    rotated: p.moves.length, min: p.budget.min, lockedMoves: p.budget.lockedMoves, gap: p.gap, seconds,
    conflicts: p.conflicts.map((c) => ({ rules: c.rules, message: c.message })),
  });
  if (p.status === 'infeasible') {
    // Not hidden: reported below and explained by the report in words.
    expect(p.conflicts.length).toBeGreaterThan(0);
    expect(p.conflicts.every((c) => c.message.length > 0)).toBe(true);
    return;
  }
  const at = { county: spec.name };
  expect(ds.locks.length).toBeGreaterThan(0); // generated counties carry locks and preferences
  expect(ds.preferences.length).toBeGreaterThan(0);
  expect(p.budget.min).toBe(Math.ceil(Number((0.1 * p.budget.eligible).toFixed(9))));
  expect({ ...at, rotated: p.moves.length }).toEqual({ ...at, rotated: Math.max(p.budget.min, p.budget.lockedMoves) });
  const audit = auditPlan(ds, p.rows);
  expect({ ...at, failed: [audit.integrity, ...audit.counties.flatMap((c) => c.rules)].filter((r) => !r.ok).map((r) => r.id) }).toEqual({ ...at, failed: [] });
  const report = buildReport(ds, plans);
  expect(report.audit_ok).toBe(true);
  expect(report.counts.rotated).toBe(p.moves.length);
  const worse = report.indicators.cv
    .filter((c) => c.before.cv !== null && (c.after.cv === null || c.after.cv > c.before.cv + 1e-9))
    .map((c) => `${c.stage} ${c.indicator}: ${c.before.cv} → ${c.after.cv}`);
  expect({ ...at, worse }).toEqual({ ...at, worse: [] });
}

describe('default policy: exactly the minimum, audited, no 差异系数 worse', () => {
  const chunks: Spec[][] = [];
  for (let i = 0; i < SPECS.length; i += 4) chunks.push(SPECS.slice(i, i + 4));
  for (const chunk of chunks) {
    it(chunk.map((s) => s.name).join(' · '), async () => {
      for (const spec of chunk) await planAndCheck(spec);
    }, LONG);
  }

  it('plans the sample county and at least 30 generated counties; the rest are explained lock × commute conflicts', () => {
    console.table(outcomes.map((o) => ({ ...o, gap: o.gap === null ? null : Number(o.gap.toExponential(2)), seconds: Number(o.seconds.toFixed(1)), conflicts: o.conflicts.map((c) => c.message).join(' | ') })));
    expect(outcomes.length).toBe(SPECS.length);
    const planned = outcomes.filter((o) => o.status !== 'infeasible');
    expect(planned.map((o) => o.name)).toContain('sample county');
    expect(planned.filter((o) => o.name !== 'sample county').length).toBeGreaterThanOrEqual(30);
    expect(planned.filter((o) => SPECS.find((s) => s.name === o.name)!.commuteKm !== null).length).toBeGreaterThanOrEqual(6);
    // A generated county may be infeasible only because one of its generated move locks sends a teacher
    // farther from home than the 30 km limit this test adds (the generator does not know the limit):
    // the precheck must name both rules, and nothing else may be wrong with it.
    for (const o of outcomes.filter((x) => x.status === 'infeasible')) {
      const spec = SPECS.find((s) => s.name === o.name)!;
      expect({ county: o.name, limited: spec.commuteKm !== null }).toEqual({ county: o.name, limited: true });
      for (const c of o.conflicts) expect({ county: o.name, rules: c.rules }).toEqual({ county: o.name, rules: ['locked_moves', 'commute'] });
    }
  });
});
