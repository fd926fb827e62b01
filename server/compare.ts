// Comparing runs, purely. A finished run stores a small summary (the facts a leader weighs:
// every rule, rotation and backbone share, needs filled, CV per indicator and stage, schools
// meeting the thresholds, moves toward rural/weak schools, commute), computed in the worker
// from the dataset, the plan and its report. Comparisons line summaries up side by side with
// what each run was asked to do (its inputs snapshot: compare-inputs.ts) and the per-school
// parts of its report (compare-schools.ts); the per-teacher difference of two runs only needs
// their plan rows.
import { z } from 'zod';
import { STAGES, type PlanRow } from '../solver/contract/schemas.ts';
import { buildCountyContext, countiesOf, homeDistanceKm } from '../solver/policy/county.ts';
import type { Dataset } from '../solver/contract/dataset.ts';
import { needKey, subjectSupply, supplyAfterMoves } from '../solver/policy/needs.ts';
import type { CountyPlan } from '../solver/pipeline.ts';
import type { Report } from '../solver/report/report.ts';
import { alignBy } from './align.ts';
import { type BoundsView, reportWithBounds } from './bounds.ts';
import { assumptionsOf, assumptionsSchema, requirementsOf, requirementsSchema } from './compare-inputs.ts';
import { countyFigures, countyFiguresSchema, keyFiguresSchema } from './compare-counties.ts';
import { type ComparedReport, comparedReportSchema, schoolRowSchema, schoolStageRowSchema, schoolsSideBySide } from './compare-schools.ts';
import type { RunInputs } from './run-inputs.ts';
import { destinationsOf } from '../solver/policy/objective.ts';

const INDICATORS = ['aboveDegree', 'backbone', 'peArt'] as const;

export const ruleFactSchema = z.object({
  id: z.string(), county: z.string().nullable(), name: z.string(), required: z.string(), actual: z.string(), ok: z.boolean(),
});
export const cvFactSchema = z.object({
  county: z.string(), stage: z.enum(STAGES), indicator: z.enum(INDICATORS), max: z.number(),
  before: z.number().nullable(), after: z.number().nullable(), ok_before: z.boolean().nullable(), ok_after: z.boolean().nullable(),
});
export const thresholdFactSchema = z.object({
  stage: z.enum(STAGES),
  /** `all`: the school meets all three thresholds at once. */
  indicator: z.enum([...INDICATORS, 'all']),
  /** School-stage rows with students (the thresholds are per 100 students). */
  schools: z.number().int(),
  before: z.number().int(),
  after: z.number().int(),
});
export const runSummarySchema = keyFiguresSchema.extend({
  objective: z.number().nullable(),
  mip_gap: z.number().nullable(),
  toward_rural_or_weak: z.number().int(),
  needs: z.object({
    /** Σ required FTE over every school × stage × subject. */
    required_fte: z.number(),
    /** Σ max(0, required − teachers of that main subject), before and after the plan. */
    shortfall_before: z.number(),
    shortfall_after: z.number(),
    /** shortfall_before − shortfall_after: posts the plan fills, net of gaps it opens. */
    filled: z.number(),
  }),
  commute: z.object({
    /** Moved teachers with known home and school coordinates (the only ones measured). */
    measured: z.number().int(),
    total_km_before: z.number(),
    total_km_after: z.number(),
  }),
  thresholds: z.array(thresholdFactSchema),
  cv: z.array(cvFactSchema),
  rules: z.array(ruleFactSchema),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const shortfall = (required: Map<string, number>, supply: Map<string, number>) => {
  let s = 0;
  for (const [k, r] of required) s += Math.max(0, r - (supply.get(k) ?? 0));
  return s;
};

/** Needs and commute of a plan: the two facts report.json does not already hold. */
function needsAndCommute(ds: Dataset, rows: readonly PlanRow[]) {
  let required = 0;
  let before = 0;
  let after = 0;
  for (const county of countiesOf(ds)) {
    const ctx = buildCountyContext(county, ds);
    const need = new Map(ctx.needs.map((n) => [needKey(n.school_id, n.stage, n.subject), n.required]));
    for (const r of need.values()) required += r;
    // Each row by its share (走教 fte) and in the subject it fills (an extra subject, or the main one).
    const moved = rows.flatMap((r) => {
      const t = ctx.teacherById.get(r.teacher_id);
      return t ? [{ teacher: t, to: { id: r.to_school_id }, mode: r.mode, fte: r.fte, fills: r.fills_subject }] : [];
    });
    before += shortfall(need, subjectSupply(ctx.teachers));
    after += shortfall(need, supplyAfterMoves(ctx.teachers, moved));
  }
  const teachers = new Map(ds.teachers.map((t) => [t.id, t]));
  const schools = new Map(ds.schools.map((s) => [s.id, s]));
  const commute = { measured: 0, total_km_before: 0, total_km_after: 0 };
  for (const r of rows) {
    const t = teachers.get(r.teacher_id);
    const from = schools.get(r.from_school_id);
    const to = schools.get(r.to_school_id);
    const kmBefore = t && from ? homeDistanceKm(t, from) : null;
    const kmAfter = t && to ? homeDistanceKm(t, to) : null;
    if (kmBefore === null || kmAfter === null) continue;
    commute.measured += 1;
    commute.total_km_before += kmBefore;
    commute.total_km_after += kmAfter;
  }
  return {
    needs: { required_fte: round(required), shortfall_before: round(before), shortfall_after: round(after), filled: round(before - after) },
    commute: { ...commute, total_km_before: round(commute.total_km_before, 1), total_km_after: round(commute.total_km_after, 1) },
  };
}

const OK_KEY = { aboveDegree: 'above_degree_ok', backbone: 'backbone_ok', peArt: 'pe_art_ok' } as const;

/** The summary stored with a finished run (computed in the worker, where the dataset is parsed). */
export function summarizeRun(ds: Dataset, plans: readonly CountyPlan[], report: Report): RunSummary {
  const c = report.counts;
  const schools = report.indicators.schools.filter((s) => s.students > 0);
  const thresholds = STAGES.flatMap((stage) => {
    const rows = schools.filter((s) => s.stage === stage);
    const meets = (side: 'before' | 'after', k: (typeof INDICATORS)[number] | 'all') =>
      rows.filter((r) => (k === 'all' ? INDICATORS.every((i) => r[side][OK_KEY[i]] === true) : r[side][OK_KEY[k]] === true)).length;
    return ([...INDICATORS, 'all'] as const).map((indicator) => ({
      stage, indicator, schools: rows.length, before: meets('before', indicator), after: meets('after', indicator),
    }));
  });
  return {
    plan_status: report.status,
    objective: report.objective,
    mip_gap: report.mip_gap,
    audit_ok: report.audit_ok,
    eligible: c.eligible,
    rotated: c.rotated,
    rotation_rate: c.rotation_rate,
    backbone_rotated: c.backbone_rotated,
    backbone_share: c.backbone_share,
    toward_rural_or_weak: c.toward_rural_or_weak,
    ...needsAndCommute(ds, plans.flatMap((p) => p.rows)),
    thresholds,
    cv: report.indicators.cv.map((x) => ({
      county: x.county, stage: x.stage, indicator: x.indicator, max: x.max,
      before: x.before.cv, after: x.after.cv, ok_before: x.before.ok, ok_after: x.after.ok,
    })),
    rules: report.rules.map((r) => ({ id: r.id, county: r.county, name: r.name, required: r.required, actual: r.actual, ok: r.ok })),
  };
}

// ---------------------------------------------------------------------------------------------

/** A finished run as the comparison reads it: its summary, the inputs it solved and its report. */
export interface ComparedRun {
  run_id: number;
  scenario_id: number;
  scenario_name: string;
  /** The scenario's notes as they are now (notes are not part of a run's inputs). */
  notes: string;
  dataset_id: number;
  status: string;
  adopted: boolean;
  summary: RunSummary;
  inputs: RunInputs;
  report: ComparedReport;
}

/**
 * A run with its report still as stored: report.json is large, so it is parsed in the task worker.
 * `bounds` is the run's best-achievable job (run_bounds); once done, its fields join the report's
 * CV rows exactly as in GET /api/runs/{id}/result.
 */
export type StoredComparedRun = Omit<ComparedRun, 'report'> & { report_json: string; bounds: BoundsView | null };

export const parseComparedRun = ({ report_json, bounds, ...run }: StoredComparedRun): ComparedRun => ({
  ...run, report: comparedReportSchema.parse(reportWithBounds(JSON.parse(report_json), bounds)),
});

const cell = z.object({ required: z.string(), actual: z.string(), ok: z.boolean() }).nullable();
export const comparisonSchema = z.object({
  runs: z.array(z.object({
    run_id: z.number().int(), scenario_id: z.number().int(), scenario_name: z.string(), notes: z.string(), dataset_id: z.number().int(),
    status: z.string(), adopted: z.boolean(), baseline_run_id: z.number().int().nullable(),
    plan_status: z.string(), objective: z.number().nullable(), audit_ok: z.boolean(),
    eligible: z.number().int(), rotated: z.number().int(), rotation_rate: z.number().nullable(),
    backbone_rotated: z.number().int(), backbone_share: z.number().nullable(), toward_rural_or_weak: z.number().int(),
    needs: runSummarySchema.shape.needs, commute: runSummarySchema.shape.commute,
    /** What this run was held to: its own policy's shares and its own rotation budget in teachers. */
    requirements: requirementsSchema,
    /** The same figures county by county (the compare page's county picker). */
    counties: z.array(countyFiguresSchema),
  })),
  /** Every policy parameter, lock, baseline or dataset that is not the same in all runs. */
  assumptions: assumptionsSchema,
  /** One row per rule (and county); `runs[i]` is null when run i has no such rule. */
  rules: z.array(z.object({ id: z.string(), county: z.string().nullable(), name: z.string(), runs: z.array(cell) })),
  cv: z.array(z.object({
    county: z.string(), stage: z.enum(STAGES), indicator: z.enum(INDICATORS),
    runs: z.array(z.object({
      /** The run's own threshold (its policy's cvMax). */
      max: z.number(),
      before: z.number().nullable(), after: z.number().nullable(), ok: z.boolean().nullable(),
      /** Student-weighted county mean per 100 students (X̄), before and after. */
      mean_before: z.number(), mean_after: z.number(),
      /** When the bounds job has run: the lowest CV any plan at this budget reaches, and this plan's share of that fall. */
      best_achievable: z.number().nullable(), share_of_achievable: z.number().nullable(),
    }).nullable()),
  })),
  thresholds: z.array(z.object({
    stage: z.enum(STAGES), indicator: thresholdFactSchema.shape.indicator,
    runs: z.array(z.object({
      schools: z.number().int(), before: z.number().int(), after: z.number().int(),
      /** The run's own per-100 threshold; null for `all`. */
      min: z.number().nullable(),
    }).nullable()),
  })),
  schools: z.array(schoolRowSchema),
  school_stages: z.array(schoolStageRowSchema),
});
export type Comparison = z.infer<typeof comparisonSchema>;

const MIN_KEY = { aboveDegree: 'aboveDegreeMin', backbone: 'backboneMin', peArt: 'peArtMin' } as const;

export function compareRuns(list: readonly ComparedRun[]): Comparison {
  const s = list.map((r) => r.summary);
  return {
    runs: list.map((r) => ({
      run_id: r.run_id, scenario_id: r.scenario_id, scenario_name: r.scenario_name, notes: r.notes, dataset_id: r.dataset_id,
      status: r.status, adopted: r.adopted, baseline_run_id: r.inputs.baseline_run_id,
      plan_status: r.summary.plan_status, objective: r.summary.objective, audit_ok: r.summary.audit_ok,
      eligible: r.summary.eligible, rotated: r.summary.rotated, rotation_rate: r.summary.rotation_rate,
      backbone_rotated: r.summary.backbone_rotated, backbone_share: r.summary.backbone_share,
      toward_rural_or_weak: r.summary.toward_rural_or_weak, needs: r.summary.needs, commute: r.summary.commute,
      requirements: requirementsOf(r.inputs.policy, r.report.budget),
      counties: countyFigures(r.report, r.inputs.policy),
    })),
    assumptions: assumptionsOf(list.map((r) => ({ dataset_id: r.dataset_id, ...r.inputs }))),
    rules: alignBy(s.map((x) => x.rules), (f) => `${f.county ?? ''}\u0000${f.id}`, (f) => ({ required: f.required, actual: f.actual, ok: f.ok }))
      .map(({ head, runs }) => ({ id: head.id, county: head.county, name: head.name, runs })),
    cv: alignBy(list.map((r) => r.report.indicators.cv), (f) => `${f.county}\u0000${f.stage}\u0000${f.indicator}`, (f) => ({
      max: f.max, before: f.before.cv, after: f.after.cv, ok: f.after.ok, mean_before: f.before.mean_per100, mean_after: f.after.mean_per100,
      best_achievable: f.best_achievable, share_of_achievable: f.share_of_achievable,
    })).map(({ head, runs }) => ({ county: head.county, stage: head.stage, indicator: head.indicator, runs })),
    thresholds: alignBy(s.map((x, i) => x.thresholds.map((f) => ({ ...f, policy: list[i]!.inputs.policy }))), (f) => `${f.stage}\u0000${f.indicator}`, (f) => ({
      schools: f.schools, before: f.before, after: f.after, min: f.indicator === 'all' ? null : f.policy.indicators[MIN_KEY[f.indicator]][f.stage],
    })).map(({ head, runs }) => ({ stage: head.stage, indicator: head.indicator, runs })),
    ...schoolsSideBySide(list.map((r) => r.report)),
  };
}

// ---------------------------------------------------------------------------------------------

export const teacherDiffSchema = z.object({
  teacher_id: z.string(),
  from_school_id: z.string(),
  /** Destination in run a / run b; null when that run leaves the teacher in place. */
  a_to_school_id: z.string().nullable(),
  b_to_school_id: z.string().nullable(),
  change: z.enum(['only_a', 'only_b', 'different_destination']),
});
export type TeacherDiff = z.infer<typeof teacherDiffSchema>;

/** Teachers the two plans treat differently, by teacher id; teachers both plans move alike are only counted. */
export function diffPlans(a: readonly PlanRow[], b: readonly PlanRow[]): { same: number; rows: TeacherDiff[] } {
  // A 走教 teacher serving several schools has a row each: compared by the set of schools ("B+D").
  const [toA, toB] = [destinationsOf(a), destinationsOf(b)];
  const from = new Map([...a, ...b].map((r) => [r.teacher_id, r.from_school_id]));
  const ids = [...new Set([...toA.keys(), ...toB.keys()])].sort();
  let same = 0;
  const rows: TeacherDiff[] = [];
  for (const id of ids) {
    const ra = toA.get(id);
    const rb = toB.get(id);
    if (ra !== undefined && ra === rb) { same += 1; continue; }
    rows.push({
      teacher_id: id,
      from_school_id: from.get(id)!,
      a_to_school_id: ra ?? null,
      b_to_school_id: rb ?? null,
      change: ra !== undefined && rb !== undefined ? 'different_destination' : ra !== undefined ? 'only_a' : 'only_b',
    });
  }
  return { same, rows };
}
