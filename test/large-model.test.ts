// No model size may crash the process (issue 7: the fallback to the full model once died with
// "Maximum call stack size exceeded" on a 6,660-teacher county). A generated county of ~9,000
// teachers has a full model of ~274,000 columns: it is built, exported as LP text, converted to
// the engine's sparse arrays, and planned — or explained — without an exception.
import { describe, expect, it } from 'vitest';
import { generateCounty } from '../data/generate.ts';
import { defaultPolicy } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { buildModel } from '../solver/model/county-model.ts';
import { toLpText, toSparse } from '../solver/model/linear-model.ts';
import { planCounty } from '../solver/pipeline.ts';
import { auditPlan } from '../solver/report/audit.ts';
import { buildReport } from '../solver/report/report.ts';
import { highsEngine } from '../server/engine.ts';

describe('a county whose full model exceeds 100,000 columns', () => {
  it('plans, or explains itself, without crashing', async () => {
    const ds = { ...generateCounty({ teachers: 9000, seed: 1 }), policy: defaultPolicy() };
    const ctx = buildCountyContext(countiesOf(ds)[0]!, ds);
    const built = buildModel(ctx);
    const columns = built.model.vars.length;
    const nonzeros = built.model.rows.reduce((a, r) => a + r.idx.length, 0);
    const widest = Math.max(...built.model.rows.map((r) => r.idx.length));
    expect(columns).toBeGreaterThan(100_000);
    // The conversions that once spread whole rows into argument lists.
    const sparse = toSparse(built.model);
    expect(sparse.numCols).toBe(columns);
    expect(sparse.indices.length).toBe(nonzeros);
    const lp = toLpText(built.model);
    expect(lp.length).toBeGreaterThan(columns);

    const started = performance.now();
    const plan = await planCounty(ctx, highsEngine());
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${ds.teachers.length} teachers: ${columns} columns, ${built.model.rows.length} rows, ${nonzeros} non-zeros (widest row ${widest}); ` +
        `status ${plan.status}${plan.noPlanCause ? ` (${plan.noPlanCause})` : ''}, objective ${plan.objective}, gap ${plan.gap}, ${plan.moves.length} moves of min ${plan.budget.min}, ` +
        `proof ${JSON.stringify(plan.proof)}, ${seconds.toFixed(1)} s (build ${plan.seconds.build.toFixed(1)} s, solve ${plan.seconds.solve.toFixed(1)} s)${plan.message ? `, message ${plan.message}` : ''}`,
    );
    expect(['optimal', 'feasible', 'infeasible']).toContain(plan.status);
    expect(plan.model?.variables ?? columns).toBe(columns);
    const report = buildReport(ds, [plan]);
    expect(JSON.parse(JSON.stringify(report)).status).toBe(plan.status);
    if (plan.status === 'infeasible') {
      expect(plan.noPlanCause).toBeDefined();
      expect(plan.conflicts.length).toBeGreaterThan(0);
      expect(plan.conflicts.every((c) => c.message.length > 0)).toBe(true);
      expect(report.infeasibility.length).toBeGreaterThan(0);
    } else {
      // The proof is missing only when the worker overran its limit and the best plan it streamed was kept.
      if (plan.proof) {
        expect(plan.proof.columns_total).toBe(columns);
        expect(plan.proof.columns_final).toBeLessThanOrEqual(columns);
      } else {
        expect(plan.status).toBe('feasible');
        expect(plan.message ?? '').toMatch(/终止|出错|退出/);
      }
      expect(plan.moves.length).toBe(Math.max(plan.budget.min, plan.budget.lockedMoves));
      expect(auditPlan(ds, plan.rows).ok).toBe(true);
    }
  }, 900_000);
});
