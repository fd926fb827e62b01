// The parts of report.json a comparison reads beyond the run summary: the rotation budget, each
// school's staff before/after, outflow, inflow and quota (counts.per_school), each school and
// stage's per-100 indicators before/after with their threshold flags (indicators.schools, for
// the drill-down from a KPI to the schools behind it), each rule's numbers and each county's
// solver status (compare-counties.ts), and per CV the county mean and — when the
// bounds job has added them — the best achievable CV and the plan's share of that improvement.
// Parsed, not cast: a report of another shape fails here, except the optional bounds fields,
// which are read only when they are numbers.
import { z } from 'zod';
import { STAGES } from '../solver/contract/schemas.ts';
import { alignBy } from './align.ts';
import { reportBudgetSchema } from './compare-inputs.ts';
import { reportRulesSchema, reportSolverSchema } from './compare-counties.ts';
import { sideSchema } from './xlsx-export.ts';

/** A number the bounds job may or may not have written; anything else reads as null. */
const optionalNumber = z.number().nullable().optional().catch(null).transform((v) => v ?? null);

const perSchool = z.object({
  county: z.string(), school_id: z.string(), school_name: z.string().optional(),
  teachers_before: z.number().int(), outflow: z.number().int(), inflow: z.number().int(), teachers_after: z.number().int(),
  outflow_cap: z.number().int(), quota: z.number(),
});
const schoolStage = z.object({
  county: z.string(), school_id: z.string(), school_name: z.string().optional(), stage: z.enum(STAGES), students: z.number(),
  in_cv_scope: z.boolean(), before: sideSchema, after: sideSchema,
});
const cvEntry = z.object({
  county: z.string(), stage: z.enum(STAGES), indicator: z.enum(['aboveDegree', 'backbone', 'peArt']), max: z.number(),
  before: z.object({ cv: z.number().nullable(), ok: z.boolean().nullable(), mean_per100: z.number() }),
  after: z.object({ cv: z.number().nullable(), ok: z.boolean().nullable(), mean_per100: z.number() }),
  best_achievable: optionalNumber,
  share_of_achievable: optionalNumber,
});

export const comparedReportSchema = z.object({
  /** Reports written before the rotation budget existed have none. */
  budget: reportBudgetSchema.default([]),
  counts: z.object({ per_school: z.array(perSchool) }),
  indicators: z.object({ schools: z.array(schoolStage), cv: z.array(cvEntry) }),
  /** For the per-county figures (compare-counties.ts); absent in hand-made test reports. */
  rules: reportRulesSchema.default([]),
  solver: reportSolverSchema.default([]),
});
export type ComparedReport = z.infer<typeof comparedReportSchema>;

const schoolRun = perSchool.omit({ county: true, school_id: true, school_name: true });
export const schoolRowSchema = z.object({
  county: z.string(), school_id: z.string(), school_name: z.string(), runs: z.array(schoolRun.nullable()),
});
export const schoolStageRowSchema = z.object({
  county: z.string(), school_id: z.string(), school_name: z.string(), stage: z.enum(STAGES), students: z.number(), in_cv_scope: z.boolean(),
  runs: z.array(z.object({ before: sideSchema, after: sideSchema }).nullable()),
});

const schoolKey = (s: { county: string; school_id: string }) => `${s.county}\u0000${s.school_id}`;

/** Each school's staff per run, and each school and stage's indicators per run, side by side. */
export function schoolsSideBySide(reports: readonly ComparedReport[]) {
  return {
    schools: alignBy(reports.map((r) => r.counts.per_school), schoolKey, ({ county: _c, school_id: _s, school_name: _n, ...run }) => run)
      .map(({ head, runs }) => ({ county: head.county, school_id: head.school_id, school_name: head.school_name ?? head.school_id, runs })),
    school_stages: alignBy(reports.map((r) => r.indicators.schools), (s) => `${schoolKey(s)}\u0000${s.stage}`, (s) => ({ before: s.before, after: s.after }))
      .map(({ head, runs }) => ({
        county: head.county, school_id: head.school_id, school_name: head.school_name ?? head.school_id, stage: head.stage,
        students: head.students, in_cv_scope: head.in_cv_scope, runs,
      })),
  };
}
