// report.json (data contract "Output"): status, objective, every rule as {id, required, actual,
// ok} with its numbers, the counts behind them, indicators per school before/after and the
// student-weighted 差异系数 per stage. The audit of a hand-made plan uses the same sections.
import type { Policy } from '../contract/schemas.ts';
import { type CountyAudit, type PlanAudit, auditPlan } from './audit.ts';
import { careerCounts } from '../policy/careers.ts';
import { capFailures } from '../policy/school-caps.ts';
import type { Dataset } from '../contract/dataset.ts';
import type { SchoolIndicatorRow } from '../policy/indicators.ts';
import type { CountyPlan, PlanStatus } from '../pipeline.ts';

const pick = (r: SchoolIndicatorRow) => ({
  teachers: r.teachers,
  above_degree: r.aboveDegree,
  backbone: r.backbone,
  pe_art: r.peArt,
  above_degree_per100: r.aboveDegreePer100,
  backbone_per100: r.backbonePer100,
  pe_art_per100: r.peArtPer100,
  above_degree_ok: r.aboveDegreeOk,
  backbone_ok: r.backboneOk,
  pe_art_ok: r.peArtOk,
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** A count block of every county added up field by field (all zero when there is no county). */
const sumBlocks = <K extends string>(blocks: Record<K, number>[], keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, sum(blocks.map((b) => b[k]))])) as Record<K, number>;
const SHADOW_KEYS = ['placed', 'named', 'named_placed', 'chosen', 'chosen_cap'] as const;

/** The career counts of every county added up. */
const careersTotal = (c: CountyAudit['counts']['careers'][], p: Policy) =>
  careerCounts(
    { rural_year: sum(c.map((x) => x.rural_year.needing)), second_school: sum(c.map((x) => x.second_school.needing)) },
    { rural_year: sum(c.map((x) => x.rural_year.gained)), second_school: sum(c.map((x) => x.second_school.gained)) },
    p,
  );

/** The audit sections shared by report.json and `lungang audit`. */
export function auditSections(ds: Dataset, audit: PlanAudit) {
  const names = new Map(ds.schools.map((s) => [s.id, s.name]));
  const c = audit.counties.map((a) => a.counts);
  const eligible = sum(c.map((x) => x.eligible));
  const counted = sum(c.map((x) => x.counted_rotated));
  const backbone = sum(c.map((x) => x.backbone_rotated));
  const onEstablishment = sum(c.map((x) => x.on_establishment));
  const transfers = sum(c.map((x) => x.transfers));
  return {
    audit_ok: audit.ok,
    counts: {
      counties: audit.counties.length,
      teachers: sum(c.map((x) => x.teachers)),
      eligible,
      may_move: sum(c.map((x) => x.may_move)),
      on_establishment: onEstablishment,
      rotated: sum(c.map((x) => x.rotated)),
      counted_rotated: counted,
      backbone_rotated: backbone,
      rotation_rate: eligible > 0 ? counted / eligible : null,
      backbone_share: counted > 0 ? backbone / counted : null,
      transfers,
      transfer_rate_of_establishment: onEstablishment > 0 ? transfers / onEstablishment : null,
      by_mode: c[0]?.by_mode.map((m, i) => ({ ...m, rotated: sum(c.map((x) => x.by_mode[i]!.rotated)), backbone: sum(c.map((x) => x.by_mode[i]!.backbone)) })) ?? [],
      per_county: audit.counties.map((a) => ({ county: a.county, ...a.counts })),
      itinerant_fte: sum(c.map((x) => x.itinerant_fte)),
      toward_rural_or_weak: sum(c.map((x) => x.toward_rural_or_weak)),
      within_cluster: sum(c.map((x) => x.within_cluster)),
      cross_cluster: sum(c.map((x) => x.cross_cluster)),
      careers: careersTotal(c.map((x) => x.careers), ds.policy),
      /** 顶岗培养, shown apart from rotation (policy/shadow.ts). */
      shadow: sumBlocks(c.map((x) => x.shadow), SHADOW_KEYS),
      leaders: {
        principal: sum(c.map((x) => x.leaders.principal)),
        vice_principal: sum(c.map((x) => x.leaders.vice_principal)),
        middle_manager: sum(c.map((x) => x.leaders.middle_manager)),
        leaders: sum(c.map((x) => x.leaders.leaders)),
        teachers: sum(c.map((x) => x.leaders.teachers)),
      },
      school_lines: {
        school_stages: sum(c.map((x) => x.school_lines.school_stages)),
        lines: sum(c.map((x) => x.school_lines.lines)),
        lines_met: { before: sum(c.map((x) => x.school_lines.lines_met.before)), after: sum(c.map((x) => x.school_lines.lines_met.after)) },
        /** "Schools meeting all teacher indicators": school × stage rows meeting all three lines. */
        meeting_all: { before: sum(c.map((x) => x.school_lines.meeting_all.before)), after: sum(c.map((x) => x.school_lines.meeting_all.after)) },
        brought_over: c.flatMap((x) => x.school_lines.brought_over),
        dropped_below: c.flatMap((x) => x.school_lines.dropped_below),
      },
      per_school: audit.counties.flatMap((a) => a.schools.map((s) => ({ county: a.county, school_name: names.get(s.school_id), ...s }))),
    },
    rules: [{ ...audit.integrity, county: null }, ...audit.counties.flatMap((a) => a.rules)],
    school_caps: (() => {
      const rows = audit.counties.flatMap((a) => a.school_caps.map((s) => ({ county: a.county, school_name: names.get(s.school_id), ...s })));
      return { schools: rows, failing: capFailures(rows) };
    })(),
    indicators: {
      schools: audit.counties.flatMap((a) =>
        a.indicators.before.map((b, i) => ({
          county: a.county, school_id: b.school_id, school_name: names.get(b.school_id), stage: b.stage, students: b.students,
          in_cv_scope: b.inCvScope, before: pick(b), after: pick(a.indicators.after[i]!),
        })),
      ),
      cv: audit.counties.flatMap((a) =>
        a.indicators.cv.map((x) => ({
          county: a.county, stage: x.stage, indicator: x.indicator, max: x.max,
          schools: x.before.schools, students: x.before.P,
          before: { teachers: x.before.R, mean_per100: x.before.mean, sd_per100: x.before.sd, cv: x.before.cv, ok: x.before.ok },
          after: { teachers: x.after.R, mean_per100: x.after.mean, sd_per100: x.after.sd, cv: x.after.cv, ok: x.after.ok },
        })),
      ),
    },
  };
}

export function overallStatus(plans: CountyPlan[]): PlanStatus {
  if (plans.some((p) => p.status === 'infeasible')) return 'infeasible';
  return plans.some((p) => p.status === 'feasible') ? 'feasible' : 'optimal';
}

export function buildReport(ds: Dataset, plans: CountyPlan[]) {
  const audit = auditPlan(ds, plans.flatMap((p) => p.rows));
  const status = overallStatus(plans);
  const objectives = plans.map((p) => p.objective);
  const gaps = plans.flatMap((p) => (p.gap === null ? [] : [p.gap]));
  return {
    contract_version: 1,
    status,
    objective: objectives.every((o) => o !== null) ? sum(objectives as number[]) : null,
    mip_gap: gaps.length > 0 ? Math.max(...gaps) : null,
    ...auditSections(ds, audit),
    infeasibility:
      status === 'infeasible'
        ? plans.flatMap((p) => p.conflicts.map((k) => ({ county: p.county, cause: p.noPlanCause, rules: k.rules, message: k.message, short_by: k.shortBy })))
        : [],
    budget: plans.map((p) => ({
      county: p.county, eligible: p.budget.eligible, min_rotated: p.budget.min, max_rotated: p.budget.max, locked_moves: p.budget.lockedMoves,
    })),
    objective_terms: plans.flatMap((p) => p.terms.map((t) => ({ county: p.county, ...t }))),
    baseline: plans.some((p) => p.baselineChanges !== null)
      ? { teachers_changed: sum(plans.map((p) => p.baselineChanges ?? 0)), per_county: plans.map((p) => ({ county: p.county, teachers_changed: p.baselineChanges })) }
      : null,
    noncompliant_plan: plans.flatMap((p) =>
      p.noncompliant ? [{ county: p.county, compliant: false, breaks: p.noncompliant.rules, rotated: p.noncompliant.rows.length }] : [],
    ),
    solver: plans.map((p) => ({
      county: p.county, status: p.status, engine: p.engine, objective: p.objective, mip_gap: p.gap, bound: p.bound,
      build_seconds: p.seconds.build, solve_seconds: p.seconds.solve, model: p.model, proof: p.proof, message: p.message ?? null,
    })),
    policy: ds.policy satisfies Policy,
  };
}

export type Report = ReturnType<typeof buildReport>;
