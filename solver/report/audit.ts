// The audit of any plan — ours or one made by hand — against every rule of policy.ts, county by
// county, with the numerators and denominators, and the indicators and 差异系数 recomputed
// before and after. The solver's report is this audit of its own plan.
import { type BACKBONE_LEVELS, MODES, type Mode, type PlanRow, type Stage } from '../contract/schemas.ts';
import { STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import { type CountyContext, buildCountyContext, countiesOf, countyOf, quotaOf, sameCluster } from '../policy/county.ts';
import type { Dataset } from '../contract/dataset.ts';
import { type CvRow, type IndicatorKey, type SchoolIndicatorRow, applyMoves, assignments, cvTable, schoolIndicators, shareOf } from '../policy/indicators.ts';
import { type CareerCounts, countyCareerCounts } from '../policy/careers.ts';
import { type SchoolCapRow, schoolCaps } from '../policy/school-caps.ts';
import { schoolLineCounts } from '../policy/school-lines.ts';
import { leaderCounts } from '../policy/leaders.ts';
import { towardRuralOrWeak } from '../policy/objective.ts';
import { shadowCounts } from '../policy/shadow.ts';
import { type Move, type RuleResult, checkCountyRules, checkMoveRules, countsTowardRotation, countyRules, perServed, servedSchools } from '../policy/rules.ts';

/** One school's row of the outflow-cap and quota rules, with the very limits the model used. */
export interface SchoolFlow {
  school_id: string;
  teachers_before: number;
  outflow: number;
  /** ⌊maxOutflowShareOfSchool × teachers_before⌋ */
  outflow_cap: number;
  outflow_ok: boolean;
  inflow: number;
  /** Teachers teaching at the school after the plan, in FTE (支教 counts at the destination, 走教 for its share at each school). */
  teachers_after: number;
  /** Posts after the plan: teachers_before + transfers in − transfers out (支教 keeps the post at home); the quota rule's count. */
  posts_after: number;
  quota: number;
  quota_computed: boolean;
  /** max(quota, teachers_before): a school already over quota may keep its staff, not add to it. */
  quota_limit: number;
  /** posts_after − quota_limit when positive, else 0. */
  quota_excess: number;
  quota_ok: boolean;
}

/** Moves of one kind (data contract `mode`) and whether they count toward the rotation share. */
export interface ModeCount {
  mode: Mode;
  rotated: number;
  backbone: number;
  counts_toward_rotation: boolean;
}

export interface CvBeforeAfter {
  stage: Stage;
  indicator: IndicatorKey;
  max: number;
  before: CvRow;
  after: CvRow;
}

export interface CountyAudit {
  county: string;
  ok: boolean;
  counts: {
    teachers: number;
    eligible: number;
    may_move: number;
    on_establishment: number;
    /** Every move of the plan, whatever its kind. */
    rotated: number;
    /** Moves whose kind counts toward the rotation share (policy.modes); the 10% rule's numerator. */
    counted_rotated: number;
    backbone_rotated: number;
    /** counted_rotated / eligible. */
    rotation_rate: number | null;
    backbone_share: number | null;
    /** Transfers (the post moves with the teacher) / teachers on establishment: 带编流动率 (SEED4). */
    transfers: number;
    transfer_rate_of_establishment: number | null;
    by_mode: ModeCount[];
    /** Σ FTE shares served by 走教 teachers at other schools (each counts there for its share only). */
    itinerant_fte: number;
    toward_rural_or_weak: number;
    /** Moves within the origin's 学区/集团 and moves leaving it (a school without a cluster shares none). */
    within_cluster: number;
    cross_cluster: number;
    /** Career conditions the plan meets (policy/careers.ts): teachers needing each, and how many this plan gives it. */
    careers: CareerCounts;
    /** The 优质均衡 lines per 100 students (policy/school-lines.ts): met before/after, crossed either way. */
    school_lines: ReturnType<typeof schoolLineCounts>;
    /** Leaders moved, apart from teachers (policy/leaders.ts). */
    leaders: ReturnType<typeof leaderCounts>;
    /** 顶岗培养 placements, apart from rotation (policy/shadow.ts): placed, named on the list and placed, chosen beyond it, its cap. */
    shadow: ReturnType<typeof shadowCounts>;
  };
  /** Class and school size caps (K1–K2): no plan changes them; reported per school. */
  school_caps: SchoolCapRow[];
  schools: SchoolFlow[];
  rules: (RuleResult & { county: string })[];
  indicators: { before: SchoolIndicatorRow[]; after: SchoolIndicatorRow[]; cv: CvBeforeAfter[] };
}

export interface PlanAudit {
  ok: boolean;
  counties: CountyAudit[];
  /** Rows that cannot be checked against any county rule (unknown teacher, wrong origin, repeats). */
  integrity: RuleResult;
}

export function auditCounty(ctx: CountyContext, moves: Move[]): CountyAudit {
  const rules = [...checkMoveRules(ctx, moves), ...checkCountyRules(ctx, moves)].map((r) => ({ ...r, county: ctx.county }));
  const after = applyMoves(ctx.teachers, assignments(moves));
  const before = schoolIndicators(ctx.schools, ctx.teachers, ctx.policy);
  const afterRows = schoolIndicators(ctx.schools, after, ctx.policy);
  const cvAfter = cvTable(afterRows, ctx.policy);
  const cv = cvTable(before, ctx.policy).map((b, i) => ({ stage: b.stage, indicator: b.indicator, max: b.max, before: b, after: cvAfter[i]! }));
  const count = (pred: (m: Move) => boolean) => moves.filter(pred).length;
  const isBackbone = (m: Move) => m.teacher.backbone !== 'none';
  const counted = moves.filter((m) => countsTowardRotation(ctx, m) === 1);
  const backbone = counted.filter(isBackbone).length;
  const onEstablishment = ctx.teachers.filter((t) => t.on_establishment).length;
  const transfers = count((m) => m.mode === 'transfer');
  return {
    county: ctx.county,
    ok: rules.every((r) => r.ok),
    counts: {
      teachers: ctx.teachers.length,
      eligible: ctx.eligibleCount,
      may_move: [...ctx.eligibility.values()].filter((e) => e.mayMove).length,
      on_establishment: onEstablishment,
      rotated: moves.length,
      counted_rotated: counted.length,
      backbone_rotated: backbone,
      rotation_rate: ctx.eligibleCount > 0 ? counted.length / ctx.eligibleCount : null,
      backbone_share: counted.length > 0 ? backbone / counted.length : null,
      transfers,
      transfer_rate_of_establishment: onEstablishment > 0 ? transfers / onEstablishment : null,
      by_mode: MODES.map((mode) => ({
        mode, rotated: count((m) => m.mode === mode), backbone: count((m) => m.mode === mode && isBackbone(m)),
        counts_toward_rotation: ctx.policy.modes[mode].countsTowardRotation,
      })),
      itinerant_fte: moves.reduce((a, m) => a + (m.mode === 'itinerant' ? shareOf(m) * servedSchools(m).length : 0), 0),
      // A teacher counts once: toward rural or weak, or within the cluster, only where every school served is.
      toward_rural_or_weak: count((m) => perServed(m).every(towardRuralOrWeak)),
      within_cluster: count((m) => servedSchools(m).every((s) => sameCluster(m.from, s))),
      cross_cluster: count((m) => !servedSchools(m).every((s) => sameCluster(m.from, s))),
      careers: countyCareerCounts(ctx.teachers, moves, ctx.policy),
      school_lines: schoolLineCounts(ctx.schools, ctx.teachers, moves, ctx.policy),
      leaders: leaderCounts(moves, ctx.policy),
      shadow: shadowCounts(ctx, moves),
    },
    school_caps: schoolCaps(ctx.schools),
    schools: schoolFlows(ctx, moves),
    rules,
    indicators: { before, after: afterRows, cv },
  };
}

/** Per-school rows of the outflow-cap and quota rules: their limits and counts are those rules' own constraints. */
function schoolFlows(ctx: CountyContext, moves: Move[]): SchoolFlow[] {
  const constraints = new Map(countyRules.filter((r) => r.id === 'outflow_cap' || r.id === 'quota').flatMap((r) => r.constraints(ctx)).map((c) => [c.key, c]));
  const count = (pred: (m: Move) => boolean) => moves.filter(pred).length;
  return ctx.schools.map((s) => {
    const before = ctx.staffBefore.get(s.id) ?? 0;
    const out = constraints.get(`outflow_${s.id}`)!;
    const quota = constraints.get(`quota_${s.id}`)!;
    const outflow = moves.reduce((a, m) => a + out.coef(m), 0);
    const serves = (m: Move) => (servedSchools(m).some((x) => x.id === s.id) ? 1 : 0);
    const inflow = count((m) => serves(m) === 1);
    const cap = out.max ?? Infinity;
    const quotaLimit = before + (quota.max ?? Infinity);
    const posts = before + moves.reduce((a, m) => a + quota.coef(m), 0);
    const q = quotaOf(s, ctx.policy);
    return {
      school_id: s.id, teachers_before: before, outflow, outflow_cap: cap, outflow_ok: outflow <= cap, inflow,
      teachers_after: before + moves.reduce((a, m) => a + shareOf(m) * (serves(m) - (m.from.id === s.id ? servedSchools(m).length : 0)), 0), posts_after: posts,
      quota: q.quota, quota_computed: q.computed, quota_limit: quotaLimit, quota_excess: Math.max(0, posts - quotaLimit), quota_ok: posts <= quotaLimit,
    };
  });
}

const BACKBONE_ZH: Record<(typeof BACKBONE_LEVELS)[number], string> = { none: '非骨干', county: '县级', city: '市级', province: '省级', national: '国家级' };

/** One finding about a plan row, in both languages. */
export interface RowProblem { zh: string; en: string }

/** Resolves plan rows to moves per county; rows that name no real move go to `problems`. */
export function resolvePlan(ds: Dataset, rows: (PlanRow & { line?: number })[]): { moves: Map<string, Move[]>; problems: RowProblem[] } {
  const schools = new Map(ds.schools.map((s) => [s.id, s]));
  const teachers = new Map(ds.teachers.map((t) => [t.id, t]));
  const seen = new Map<string, { line: number; move: Move | null }>();
  const moves = new Map(countiesOf(ds).map((c) => [c, [] as Move[]]));
  const problems: RowProblem[] = [];
  rows.forEach((r, i) => {
    const at = `plan.csv:${r.line ?? i + 2}`;
    const add = (zh: string, en: string) => void problems.push({ zh: `${at}: ${zh}`, en: `${at}: ${en}` });
    const t = teachers.get(r.teacher_id);
    const from = schools.get(r.from_school_id);
    const to = schools.get(r.to_school_id);
    const first = seen.get(r.teacher_id);
    if (!t) return add(`教师${r.teacher_id}不在名册中`, `teacher ${r.teacher_id} is not on the roster`);
    // A 走教 teacher has one row per school served: those rows are one move (rule itinerant_schools counts them).
    const joins = first?.move?.mode === 'itinerant' && r.mode === 'itinerant' ? first.move : null;
    if (first !== undefined && !joins) return add(`教师${r.teacher_id}在方案中出现多次（首次在第${first.line}行）`, `teacher ${r.teacher_id} appears more than once (first on line ${first.line})`);
    if (!first) seen.set(r.teacher_id, { line: r.line ?? i + 2, move: null });
    if (!from || r.from_school_id !== t.school_id) return add(`教师${r.teacher_id}现任学校为${t.school_id}，不是${r.from_school_id}`, `teacher ${r.teacher_id} is at ${t.school_id}, not ${r.from_school_id}`);
    if (!to) return add(`调入学校${r.to_school_id}不存在`, `destination school ${r.to_school_id} does not exist`);
    if (r.stage !== undefined && r.stage !== t.stage) add(`学段“${STAGE_ZH[r.stage]}”与名册（${STAGE_ZH[t.stage]}）不符`, `stage ${r.stage} differs from the roster (${t.stage})`);
    if (r.subject !== undefined && r.subject !== t.subject) add(`学科“${SUBJECT_ZH[r.subject]}”与名册（${SUBJECT_ZH[t.subject]}）不符`, `subject ${r.subject} differs from the roster (${t.subject})`);
    if (r.backbone !== undefined && r.backbone !== t.backbone) add(`骨干级别“${BACKBONE_ZH[r.backbone]}”与名册（${BACKBONE_ZH[t.backbone]}）不符`, `backbone level ${r.backbone} differs from the roster (${t.backbone})`);
    if (r.mode !== 'itinerant' && r.fte !== undefined && r.fte !== 1) add(`只有走教行可填份额 fte（本行${r.mode}，fte ${r.fte}）`, `only itinerant (走教) rows take an fte share (this row: ${r.mode}, fte ${r.fte})`);
    // A 走教 row without a share serves the policy's share (rule itinerant_share checks a share given).
    const fte = r.mode === 'itinerant' ? { fte: r.fte ?? ds.policy.modes.itinerant.fte } : {};
    // A fills_subject equal to the main subject is the main subject: only an extra subject is a fill.
    const fills = r.fills_subject !== undefined && r.fills_subject !== t.subject ? { fills: r.fills_subject } : {};
    if (joins) {
      const served = servedSchools(joins).length + 1;
      const share = r.fte ?? ds.policy.modes.itinerant.fte;
      // One move has one share: rows of one teacher at different shares, or shares leaving nothing at home, cannot be one 走教.
      if (share !== joins.fte) return add(`教师${r.teacher_id}走教份额${share}与第${first!.line}行（${joins.fte}）不同`, `teacher ${r.teacher_id} serves a share of ${share}, unlike line ${first!.line} (${joins.fte})`);
      if (served * share >= 1 - 1e-9) return add(`教师${r.teacher_id}走教${served}所学校各${share}，本校不再任教`, `teacher ${r.teacher_id} serves ${served} schools at ${share} each, leaving nothing at home`);
      joins.also = [...(joins.also ?? []), to];
      return;
    }
    const move: Move = { teacher: t, from, to, mode: r.mode, ...fte, ...fills };
    seen.get(r.teacher_id)!.move = move;
    moves.get(countyOf(from))!.push(move);
  });
  return { moves, problems };
}

export function auditPlan(ds: Dataset, rows: (PlanRow & { line?: number })[]): PlanAudit {
  const { moves, problems } = resolvePlan(ds, rows);
  const counties = countiesOf(ds).map((c) => auditCounty(buildCountyContext(c, ds), moves.get(c) ?? []));
  const integrity: RuleResult = {
    id: 'plan_integrity',
    name: '方案每行对应名册中的一名教师、其现任学校和一所存在的学校，每人至多一行（走教每所服务学校一行）',
    name_en: 'Every plan row names a rostered teacher, their current school and an existing school; one row per teacher (an itinerant teacher: one per school served)',
    clause: '数据约定“交流方案”：每名教师在方案中至多出现一次；走教教师每所服务学校一行，各行份额相同',
    clause_en: 'Data contract "plan": each teacher at most once per plan; an itinerant teacher once per school served, at one share',
    required: '0 项问题',
    required_en: 'no problems',
    actual: `${problems.length} 项问题`,
    actual_en: `${problems.length} problem(s)`,
    ok: problems.length === 0,
    numerator: problems.length,
    denominator: rows.length,
    details: problems.map((p) => p.zh),
    details_en: problems.map((p) => p.en),
  };
  return { ok: integrity.ok && counties.every((c) => c.ok), counties, integrity };
}
