// Each compared run's key figures county by county, for the compare page's county picker: a
// file may hold several counties and each is planned on its own, so a leader looking at one
// county wants its status, its rule audit, its rotation against its own budget and its
// backbone share — not the city's sums. Read from report.json (each rule's numerator and
// denominator, the per-county solver status and budget), so runs stored before this existed
// are compared the same way. Needs filled, commute and moves toward rural/weak schools are
// city-wide in the run summary and have no per-county figure here.
import { z } from 'zod';
import type { Policy } from '../solver/contract/schemas.ts';
import { type reportBudgetSchema, requirementsOf, requirementsSchema } from './compare-inputs.ts';

export const reportRulesSchema = z.array(z.object({
  id: z.string(), county: z.string().nullable(), ok: z.boolean(), numerator: z.number().optional(), denominator: z.number().optional(),
}));
export const reportSolverSchema = z.array(z.object({ county: z.string(), status: z.enum(['optimal', 'feasible', 'infeasible']) }));

/** The figures a run summary (compare.ts) holds for the whole file and this file holds per county. */
export const keyFiguresSchema = z.object({
  plan_status: z.enum(['optimal', 'feasible', 'infeasible']),
  audit_ok: z.boolean(),
  eligible: z.number().int(),
  rotated: z.number().int(),
  rotation_rate: z.number().nullable(),
  backbone_rotated: z.number().int(),
  backbone_share: z.number().nullable(),
});

/** `audit_ok`: every rule of this county holds (and the plan-wide integrity rule, which names no county). */
export const countyFiguresSchema = keyFiguresSchema.extend({ county: z.string(), requirements: requirementsSchema });
export type CountyFigures = z.infer<typeof countyFiguresSchema>;

interface CountyReport {
  budget: z.infer<typeof reportBudgetSchema>;
  rules: z.infer<typeof reportRulesSchema>;
  solver: z.infer<typeof reportSolverSchema>;
}

export function countyFigures(report: CountyReport, policy: Policy): CountyFigures[] {
  const planWideOk = report.rules.filter((r) => r.county === null).every((r) => r.ok);
  return report.solver.map(({ county, status }) => {
    const rules = report.rules.filter((r) => r.county === county);
    const rule = (id: string) => rules.find((r) => r.id === id);
    // rotation_share: rotated / eligible; backbone_share: backbone rotated / rotated (solver/policy/rules.ts).
    const eligible = rule('rotation_share')?.denominator ?? 0;
    const rotated = rule('rotation_share')?.numerator ?? 0;
    const backbone = rule('backbone_share')?.numerator ?? 0;
    return {
      county, plan_status: status, audit_ok: planWideOk && rules.every((r) => r.ok),
      eligible, rotated, rotation_rate: eligible > 0 ? rotated / eligible : null,
      backbone_rotated: backbone, backbone_share: rotated > 0 ? backbone / rotated : null,
      requirements: requirementsOf(policy, report.budget.filter((b) => b.county === county)),
    };
  });
}
