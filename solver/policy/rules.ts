// The policy, on one screen: every rule a plan must keep, named as a planner would say it, with
// the clause it comes from and its parameter. The optimisation model and the audit both read
// these definitions, so a plan the solver returns is checked by the very rules it was built from.
//
// Two kinds of rule:
// - move rules judge one move on its own; the model only creates moves that pass them;
// - county rules are sums over all moves (Σ coef(move) within [min, max]); the model adds them as
//   linear constraints and the audit adds up the plan's moves with the same coefficients.
import type { Mode, School, Stage, Teacher } from '../contract/schemas.ts';
import { STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import { applyMoves, assignments, cvTable, schoolIndicators, shareOf } from './indicators.ts';
import {
  type CountyContext, ceilShare, countyOf, distanceKm, floorShare, homeDistanceKm, isRuralOrWeak, offersStage, quotaOf, sameCluster,
} from './county.ts';

export interface Move {
  teacher: Teacher;
  from: School;
  to: School;
  mode: Mode;
  /** 走教 only: the share of a post served at `to` (the rest stays at home). */
  fte?: number;
}

export interface MoveRule {
  id: string;
  name: string;
  name_en: string;
  clause: string;
  clause_en: string;
  /** null when the move keeps the rule, else why not (Chinese, no personal names). */
  violation(ctx: CountyContext, m: Move): string | null;
  /** The same finding in English (null exactly when `violation` is). */
  violationEn(ctx: CountyContext, m: Move): string | null;
}

/** One linear constraint Σ coef(move) ∈ [min, max] over the plan's moves. */
export interface SumConstraint {
  key: string;
  coef(m: Move): number;
  min?: number;
  max?: number;
  /** Only moves from or to this school can have a non-zero coefficient (lets the model skip the rest). */
  school?: string;
}

/**
 * One rule's verdict with its numbers. The Chinese fields are report.json's since v1; the `_en`
 * twins are written by the same code from the same numbers, so an English reader sees the run's
 * own thresholds (a 15% policy reads 15%), never a translation table's defaults.
 */
export interface RuleResult {
  id: string;
  name: string;
  name_en: string;
  clause: string;
  clause_en: string;
  required: string;
  required_en: string;
  actual: string;
  actual_en: string;
  ok: boolean;
  numerator?: number;
  denominator?: number;
  details?: string[];
  details_en?: string[];
}

type Verdict = Omit<RuleResult, 'id' | 'name' | 'name_en' | 'clause' | 'clause_en'>;

export interface CountyRule {
  id: string;
  name: string;
  name_en: string;
  clause: string;
  clause_en: string;
  constraints(ctx: CountyContext): SumConstraint[];
  /** Presents the sums of `constraints` (same order) as required/actual with integer arithmetic. */
  result(ctx: CountyContext, sums: number[], moves: Move[]): Verdict;
}

const isBackbone = (t: Teacher) => t.backbone !== 'none';
/** 1 when the move's kind counts toward the rotation share (policy.modes, R10), else 0. */
export const countsTowardRotation = (ctx: CountyContext, m: Move): number => (ctx.policy.modes[m.mode].countsTowardRotation ? 1 : 0);

/**
 * This year's rotation budget in teachers: at least ⌈min × eligible⌉, at most ⌈max × eligible⌉
 * (max null = exactly the minimum), raised to the number of move locks when those are more.
 */
export function rotationBudget(ctx: CountyContext): { min: number; max: number; eligible: number; lockedMoves: number } {
  const r = ctx.policy.ratios;
  const min = ceilShare(r.minRotatedShareOfEligible, ctx.eligibleCount);
  const lockedMoves = ctx.locks.filter((l) => l.action === 'move').length;
  const max = Math.max(min, r.maxRotatedShareOfEligible === null ? 0 : ceilShare(r.maxRotatedShareOfEligible, ctx.eligibleCount), lockedMoves);
  return { min, max, eligible: ctx.eligibleCount, lockedMoves };
}
const lockOf = (ctx: CountyContext, id: string) => ctx.locks.find((l) => l.teacher_id === id);

const MODE_ZH: Record<Mode, string> = { transfer: '调动', support: '支教', itinerant: '走教' };
/** Whether a move's kind is allowed at all (policy.modes.*.allowed). */
export const modeAllowed = (ctx: CountyContext, mode: Mode): boolean => ctx.policy.modes[mode].allowed;

/** 1 when the move takes the post with the teacher (a transfer): only then does the quota of either school change. */
export const movesPost = (m: Pick<Move, 'mode'>): number => (m.mode === 'transfer' ? 1 : 0);

/** 1 when the teacher leaves the home school for the year (transfer, 支教); a 走教 teacher stays. */
export const leavesHome = (m: Pick<Move, 'mode'>): number => (m.mode === 'itinerant' ? 0 : 1);

const itinerant = (m: Move, why: () => Finding): Finding => (m.mode === 'itinerant' ? why() : null);

// ── Move rules ────────────────────────────────────────────────────────────────────────────────
type Finding = { zh: string; en: string } | null;
/** A move rule from one check, so its Chinese and English findings cannot disagree. */
const moveRule = (r: Omit<MoveRule, 'violation' | 'violationEn'> & { check(ctx: CountyContext, m: Move): Finding }): MoveRule => {
  const { check, ...rest } = r;
  return { ...rest, violation: (ctx, m) => check(ctx, m)?.zh ?? null, violationEn: (ctx, m) => check(ctx, m)?.en ?? null };
};
const STAGE_EN: Record<Stage, string> = { primary: 'primary', junior: 'junior' };

export const moveRules: MoveRule[] = [
  moveRule({
    id: 'may_move',
    name: '只交流符合条件或自愿的在编教师',
    name_en: 'Only eligible or volunteering teachers on establishment move',
    clause: '教师〔2014〕4号；数据约定“符合交流条件”“可交流”（政策参数：本校任教年限、年龄上限）',
    clause_en: 'MoE Teachers [2014] No. 4; data contract "eligible" / "may move" (policy: years at school, age limits)',
    check: (ctx, m) => {
      const e = ctx.eligibility.get(m.teacher.id);
      return e?.mayMove ? null : { zh: `教师${m.teacher.id}不可交流：${e?.reason ?? '未知'}`, en: `teacher ${m.teacher.id} may not move: ${e?.reasonEn ?? 'unknown'}` };
    },
  }),
  moveRule({
    id: 'stage_match',
    name: '只到任教学段的学校（九年一贯制收两个学段）',
    name_en: 'Only to schools of the stage taught (nine-year schools take both)',
    clause: '数据约定：教师只调往开设其任教学段的学校（九年一贯制学校两个学段均可）',
    clause_en: 'Data contract: a teacher moves only to a school of the stage they teach (nine-year schools take both stages)',
    check: (_ctx, m) => (offersStage(m.to, m.teacher.stage) ? null : {
      zh: `教师${m.teacher.id}任教${STAGE_ZH[m.teacher.stage]}，${m.to.id}无此学段`,
      en: `teacher ${m.teacher.id} teaches ${STAGE_EN[m.teacher.stage]}; ${m.to.id} has no such stage`,
    }),
  }),
  moveRule({
    id: 'other_school',
    name: '不得“交流”回原校',
    name_en: 'Never back to the own school',
    clause: '数据约定：不得调往本校',
    clause_en: 'Data contract: never to the school the teacher is at',
    check: (_ctx, m) => (m.to.id !== m.from.id ? null : { zh: `教师${m.teacher.id}调往原校${m.to.id}`, en: `teacher ${m.teacher.id} sent to own school ${m.to.id}` }),
  }),
  moveRule({
    id: 'same_county',
    name: '不跨县交流',
    name_en: 'No moves across counties',
    clause: '数据约定“县区”：不跨县区交流',
    clause_en: 'Data contract "county": no moves across counties',
    check: (ctx, m) => (countyOf(m.to) === ctx.county ? null : { zh: `教师${m.teacher.id}调往外县学校${m.to.id}`, en: `teacher ${m.teacher.id} sent to ${m.to.id} in another county` }),
  }),
  moveRule({
    id: 'commute',
    name: '通勤距离不超过上限',
    name_en: 'Commute within the limit',
    clause: '政策参数“通勤距离上限”',
    clause_en: 'Policy "commute limit"',
    check: (ctx, m) => {
      const max = ctx.policy.limits.maxCommuteKm;
      const km = max === null ? null : homeDistanceKm(m.teacher, m.to);
      return km === null || max === null || km <= max ? null : {
        zh: `教师${m.teacher.id}到${m.to.id}通勤${km.toFixed(1)}公里>${max}`,
        en: `teacher ${m.teacher.id} to ${m.to.id}: ${km.toFixed(1)} km > ${max} km`,
      };
    },
  }),
  moveRule({
    id: 'toward_rural_or_weak',
    name: '只流向乡村或薄弱学校（开启时）',
    name_en: 'Only toward rural or weak schools (when on)',
    clause: '政策参数“只向乡村或薄弱学校交流”；教师〔2014〕4号 城镇→乡村、优质→薄弱',
    clause_en: 'Policy "only toward rural or weak schools"; MoE Teachers [2014] No. 4: town → rural, strong → weak',
    check: (ctx, m) => (!ctx.policy.flows.towardRuralOrWeakOnly || isRuralOrWeak(m.to) ? null : {
      zh: `教师${m.teacher.id}流向非乡村非薄弱学校${m.to.id}`, en: `teacher ${m.teacher.id} sent to ${m.to.id}, neither rural nor weak`,
    }),
  }),
  moveRule({
    id: 'mode_allowed',
    name: '只采用政策允许的交流方式',
    name_en: 'Only the kinds of move the policy allows',
    clause: '政策参数“允许带编调动”“允许支教”“允许走教”（R17：调动、支教、走教）',
    clause_en: 'Policy modes.*.allowed (R17: transfer, support posting 支教, itinerant teaching 走教)',
    check: (ctx, m) => (modeAllowed(ctx, m.mode) ? null : {
      zh: `教师${m.teacher.id}以${MODE_ZH[m.mode]}方式交流，政策未允许`, en: `teacher ${m.teacher.id} moves as ${m.mode}, which the policy does not allow`,
    }),
  }),
  moveRule({
    id: 'same_cluster',
    name: '只在学区/集团内交流（“以学区/集团为载体”选“只在学区内”时）',
    name_en: 'Only within the cluster (学区/集团) (when flows.cluster = only)',
    clause: '政策参数“以学区/集团为载体”；青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）：以学区或集团化办学为载体促进交流轮岗；海盐县 学区教育发展联合体',
    clause_en: 'Policy flows.cluster; Qinghai, Implementation plan for a high-quality balanced basic public education service system (2024): clusters and school groups as the carrier of rotation; Haiyan county cluster alliances',
    check: (ctx, m) => (ctx.policy.flows.cluster !== 'only' || sameCluster(m.from, m.to) ? null : {
      zh: `教师${m.teacher.id}从${m.from.id}（学区${m.from.cluster ?? '未划分'}）到${m.to.id}（学区${m.to.cluster ?? '未划分'}），跨出学区`,
      en: `teacher ${m.teacher.id} from ${m.from.id} (cluster ${m.from.cluster ?? 'none'}) to ${m.to.id} (cluster ${m.to.cluster ?? 'none'}) leaves the cluster`,
    }),
  }),
  moveRule({
    id: 'itinerant_subject',
    name: '走教只限紧缺学科（思政、科学、体育、艺术、心理健康）',
    name_en: 'Itinerant teaching only in shortage subjects (ethics, science, PE, arts, mental health)',
    clause: '青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）：紧缺学科教师巡回教学（思政、科学、体育、艺术、心理健康）；政策参数“走教学科”',
    clause_en: 'Qinghai, Implementation plan for a high-quality balanced basic public education service system (2024): itinerant teaching of shortage subjects; policy modes.itinerant.subjects',
    check: (ctx, m) => itinerant(m, () => {
      const subjects = ctx.policy.modes.itinerant.subjects;
      return subjects.includes(m.teacher.subject) ? null : {
        zh: `教师${m.teacher.id}任教${SUBJECT_ZH[m.teacher.subject]}，不在走教学科（${subjects.map((x) => SUBJECT_ZH[x]).join('、')}）之内`,
        en: `teacher ${m.teacher.id} teaches ${m.teacher.subject}, not an itinerant subject (${subjects.join(', ')})`,
      };
    }),
  }),
  moveRule({
    id: 'itinerant_distance',
    name: '走教学校与本校距离不超过上限',
    name_en: 'Itinerant school within the distance limit of the home school',
    clause: '政策参数“走教学校间距离上限”（按两校坐标的直线距离；缺坐标时不判）',
    clause_en: 'Policy modes.itinerant.maxKm (school lat/lon; not judged when a coordinate is missing)',
    check: (ctx, m) => itinerant(m, () => {
      const km = distanceKm(m.from, m.to);
      const max = ctx.policy.modes.itinerant.maxKm;
      return km === null || km <= max ? null : {
        zh: `教师${m.teacher.id}从${m.from.id}走教到${m.to.id}相距${km.toFixed(1)}公里>${max}`,
        en: `teacher ${m.teacher.id} from ${m.from.id} to ${m.to.id}: ${km.toFixed(1)} km > ${max} km`,
      };
    }),
  }),
  moveRule({
    id: 'itinerant_cluster',
    name: '走教限本学区/集团内（开启时）',
    name_en: 'Itinerant teaching within the cluster (when on)',
    clause: '政策参数“走教限本学区/集团内”；裕安区实施方案：乡镇学区内教师走教',
    clause_en: 'Policy modes.itinerant.withinCluster; Yu\'an district plan: itinerant teaching within the township cluster',
    check: (ctx, m) => itinerant(m, () => (!ctx.policy.modes.itinerant.withinCluster || sameCluster(m.from, m.to) ? null : {
      zh: `教师${m.teacher.id}从${m.from.id}（学区${m.from.cluster ?? '未划分'}）走教到学区外的${m.to.id}`,
      en: `teacher ${m.teacher.id} from ${m.from.id} (cluster ${m.from.cluster ?? 'none'}) serves ${m.to.id} outside the cluster`,
    })),
  }),
  moveRule({
    id: 'itinerant_share',
    name: '走教份额为政策规定的份额',
    name_en: 'Itinerant share as the policy sets it',
    clause: '政策参数“走教份额”（方案的走教份额列）',
    clause_en: 'Policy modes.itinerant.fte (plan.csv column fte)',
    check: (ctx, m) => itinerant(m, () => (Math.abs(shareOf(m) - ctx.policy.modes.itinerant.fte) < 1e-9 ? null : {
      zh: `教师${m.teacher.id}走教份额${shareOf(m)}，政策为${ctx.policy.modes.itinerant.fte}`,
      en: `teacher ${m.teacher.id} serves a share of ${shareOf(m)}; the policy's is ${ctx.policy.modes.itinerant.fte}`,
    })),
  }),
  moveRule({
    id: 'locks',
    name: '人工锁定必须执行',
    name_en: 'Manual locks are kept',
    clause: '人工锁定（规划员锁定，须注明理由）',
    clause_en: 'Manual locks (set by planners, each with a reason)',
    check: (ctx, m) => {
      const lock = lockOf(ctx, m.teacher.id);
      if (lock?.action === 'stay') return { zh: `教师${m.teacher.id}已锁定留任（${lock.reason}）`, en: `teacher ${m.teacher.id} is locked to stay (${lock.reason})` };
      if (lock?.action === 'move' && lock.to_school_id !== m.to.id) {
        return { zh: `教师${m.teacher.id}锁定调往${lock.to_school_id}，方案为${m.to.id}`, en: `teacher ${m.teacher.id} is locked to ${lock.to_school_id}, the plan says ${m.to.id}` };
      }
      return null;
    },
  }),
];

// ── County rules ──────────────────────────────────────────────────────────────────────────────
const fmtPct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A policy share as people write it: 0.15 → 15%, 0.125 → 12.5%. */
const share = (x: number) => `${Number((x * 100).toFixed(2))}%`;
const INDICATOR_NAMES: Record<string, [zh: string, en: string]> = {
  aboveDegree: ['高于规定学历教师', 'above-degree teachers'], backbone: ['骨干教师', 'backbone teachers'], peArt: ['体育艺术教师', 'PE & art teachers'],
};
/** Per-school rules count schools: numerator the schools failing, denominator the schools checked. */
const schoolsVerdict = (bad: { zh: string; en: string }[], schools: number, required: [string, string], failWord: [string, string]): Verdict => ({
  required: required[0], required_en: required[1],
  actual: bad.length ? `${bad.length}/${schools}校${failWord[0]}` : `${schools}校全部符合`,
  actual_en: bad.length ? `${bad.length} of ${schools} schools ${failWord[1]}` : `all ${schools} schools comply`,
  ok: bad.length === 0, numerator: bad.length, denominator: schools, details: bad.map((b) => b.zh), details_en: bad.map((b) => b.en),
});

export const countyRules: CountyRule[] = [
  {
    id: 'rotation_share',
    name: '交流人数不低于符合条件教师的规定比例',
    name_en: 'Rotated teachers at least the required share of the eligible',
    clause: '教师〔2014〕4号；教督〔2017〕6号；安政办〔2019〕46号（政策参数“交流人数不低于符合条件教师的”比例）',
    clause_en: 'MoE Teachers [2014] No. 4; Edu. Supervision [2017] No. 6; Anhui [2019] No. 46 (policy "rotated ≥ share of eligible")',
    constraints: (ctx) => [{ key: 'rotation', coef: (m) => countsTowardRotation(ctx, m), min: ceilShare(ctx.policy.ratios.minRotatedShareOfEligible, ctx.eligibleCount) }],
    result: (ctx, [rotated = 0]) => {
      const s = ctx.policy.ratios.minRotatedShareOfEligible;
      const need = ceilShare(s, ctx.eligibleCount);
      const rate = fmtPct(ctx.eligibleCount > 0 ? rotated / ctx.eligibleCount : 0);
      return {
        required: `≥ ${need}人（⌈${share(s)} × 符合条件${ctx.eligibleCount}人⌉）`,
        required_en: `≥ ${need} (⌈${share(s)} × ${ctx.eligibleCount} eligible⌉)`,
        actual: `${rotated}人（${rate}）`,
        actual_en: `${rotated} (${rate})`,
        ok: rotated >= need,
        numerator: rotated,
        denominator: ctx.eligibleCount,
      };
    },
  },
  {
    id: 'rotation_budget',
    name: '交流人数不超过本年度交流预算（默认即最低人数）',
    name_en: 'Rotated teachers within this year\'s budget (by default the minimum)',
    clause: '政策参数“交流人数上限”（空 = 最低人数；锁定交流更多时按锁定人数）',
    clause_en: 'Policy "rotated ≤ share of eligible" (empty = the minimum; more when move locks need it)',
    constraints: (ctx) => [{ key: 'budget', coef: () => 1, max: rotationBudget(ctx).max }],
    result: (ctx, [rotated = 0]) => {
      const b = rotationBudget(ctx);
      const s = ctx.policy.ratios.maxRotatedShareOfEligible;
      const fromShare = s === null ? 0 : ceilShare(s, ctx.eligibleCount);
      const locked = b.lockedMoves > Math.max(b.min, fromShare);
      const why = s === null ? [`最低人数${b.min}`, `the minimum, ${b.min}`] : [`⌈${share(s)} × ${ctx.eligibleCount}⌉ = ${fromShare}`, `⌈${share(s)} × ${ctx.eligibleCount}⌉ = ${fromShare}`];
      return {
        required: `≤ ${b.max}人（${why[0]}${locked ? `；锁定交流${b.lockedMoves}人` : ''}）`,
        required_en: `≤ ${b.max} (${why[1]}${locked ? `; ${b.lockedMoves} locked moves` : ''})`,
        actual: `${rotated}人`,
        actual_en: `${rotated}`,
        ok: rotated <= b.max,
        numerator: rotated,
        denominator: b.max,
      };
    },
  },
  {
    id: 'backbone_share',
    name: '交流教师中骨干教师不低于规定比例',
    name_en: 'Backbone teachers at least the required share of the rotated',
    clause: '教师〔2014〕4号；教督〔2017〕6号；裕政〔2024〕53号（政策参数“骨干教师不低于交流人数的”比例）',
    clause_en: 'MoE Teachers [2014] No. 4; Edu. Supervision [2017] No. 6; Yuzheng [2024] No. 53 (policy "backbone ≥ share of rotated")',
    // backbone ≥ share × rotated  ⇔  Σ (isBackbone − share) ≥ 0; for whole numbers that is ⌈share × rotated⌉.
    constraints: (ctx) => {
      const s = ctx.policy.ratios.minBackboneShareOfRotated;
      return [
        { key: 'backbone', coef: (m) => ((isBackbone(m.teacher) ? 1 : 0) - s) * countsTowardRotation(ctx, m), min: 0 },
        // Implied for whole teachers (rotated ≥ the minimum); stated so the LP cannot use 5.6 backbone teachers.
        { key: 'backbone_min', coef: (m) => (isBackbone(m.teacher) ? countsTowardRotation(ctx, m) : 0), min: ceilShare(s, rotationBudget(ctx).min) },
      ];
    },
    result: (ctx, _sums, moves) => {
      const counted = moves.filter((m) => countsTowardRotation(ctx, m));
      const backbone = counted.filter((m) => isBackbone(m.teacher)).length;
      const s = ctx.policy.ratios.minBackboneShareOfRotated;
      const need = ceilShare(s, counted.length);
      const rate = fmtPct(counted.length > 0 ? backbone / counted.length : 0);
      return {
        required: `≥ ${need}人（⌈${share(s)} × 交流${counted.length}人⌉）`,
        required_en: `≥ ${need} (⌈${share(s)} × ${counted.length} rotated⌉)`,
        actual: `${backbone}人（${rate}）`,
        actual_en: `${backbone} (${rate})`,
        ok: backbone >= need,
        numerator: backbone,
        denominator: counted.length,
      };
    },
  },
  {
    id: 'outflow_cap',
    name: '每校流出不超过本校教师的规定比例',
    name_en: 'No school loses more than the allowed share of its teachers',
    clause: '政策参数“每校流出不超过本校教师的”比例（数据约定，保持学校稳定）',
    clause_en: 'Policy "school outflow ≤ share of its teachers" (data contract, keeps schools stable)',
    // A 支教 teacher keeps the post but is away from the school all year, so counts; a 走教 teacher stays.
    constraints: (ctx) =>
      ctx.schools.map((s) => ({
        key: `outflow_${s.id}`,
        school: s.id,
        coef: (m: Move) => (m.from.id === s.id ? leavesHome(m) : 0),
        max: floorShare(ctx.policy.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(s.id) ?? 0),
      })),
    result: (ctx, sums) => {
      const s = share(ctx.policy.limits.maxOutflowShareOfSchool);
      const bad = ctx.schools.flatMap((school, i) => {
        const before = ctx.staffBefore.get(school.id) ?? 0;
        const cap = floorShare(ctx.policy.limits.maxOutflowShareOfSchool, before);
        const out = sums[i] ?? 0;
        return out > cap ? [{ zh: `${school.id}：流出${out}人 > ⌊${s} × ${before}⌋ = ${cap}`, en: `${school.id}: ${out} leave > ⌊${s} × ${before}⌋ = ${cap}` }] : [];
      });
      return schoolsVerdict(bad, ctx.schools.length, [`每校流出 ≤ ⌊${s} × 本校教师数⌋`, `each school: leaving ≤ ⌊${s} × its teachers⌋`], ['超限', 'over the cap']);
    },
  },
  {
    id: 'quota',
    name: '交流后不超编（已超编的学校不再增加超编；只计带编调动，支教、走教编制留在原校）',
    name_en: 'Within the staffing quota after the plan (a school already over it may not add to it; only transfers move a post)',
    clause: '中央编办发〔2014〕72号 统一城乡编制标准；数据约定“核定编制”；支教、走教保留原校编制（R17）',
    clause_en: 'State Commission Office for Public Sector Reform [2014] No. 72 (uniform staffing standard); data contract "quota"; support postings and itinerant teaching keep the post at home (R17)',
    constraints: (ctx) =>
      ctx.schools.map((s) => {
        const before = ctx.staffBefore.get(s.id) ?? 0;
        return {
          key: `quota_${s.id}`,
          school: s.id,
          coef: (m: Move) => ((m.to.id === s.id ? 1 : 0) - (m.from.id === s.id ? 1 : 0)) * movesPost(m),
          max: Math.max(quotaOf(s, ctx.policy).quota, before) - before,
        };
      }),
    result: (ctx, sums) => {
      const bad = ctx.schools.flatMap((s, i) => {
        const before = ctx.staffBefore.get(s.id) ?? 0;
        const { quota, computed } = quotaOf(s, ctx.policy);
        const after = before + (sums[i] ?? 0);
        if (after <= Math.max(quota, before)) return [];
        return [before > quota
          ? { zh: `${s.id}：带编调动后${after}人 > 原有${before}人（已超编）`, en: `${s.id}: ${after} posts after transfers > ${before} before (already over quota)` }
          : { zh: `${s.id}：带编调动后${after}人 > 编制${quota}${computed ? '（按生师比测算）' : ''}`, en: `${s.id}: ${after} posts after transfers > quota ${quota}${computed ? ' (computed from enrolment)' : ''}` }];
      });
      return schoolsVerdict(bad, ctx.schools.length, ['每校 交流前人数 + 带编调入 − 带编调出 ≤ max(编制, 交流前人数)', 'each school: staff before + transfers in − transfers out ≤ max(quota, staff before)'], ['超编', 'over quota']);
    },
  },
  {
    id: 'never_worse',
    name: '交流后任何差异系数不高于交流前（开启时）',
    name_en: 'No coefficient of variation (CV) ends higher than before (when on)',
    clause: '政策参数“任何差异系数不得比交流前变差”；教督〔2017〕6号 第六条（差异系数）',
    clause_en: 'Policy "no CV may end worse than before"; Edu. Supervision [2017] No. 6, art. 6 (CV)',
    constraints: () => [], // the model states it with its CV steps (model/county-model.ts)
    result: (ctx, _sums, moves) => {
      if (!ctx.policy.indicators.neverWorse) return { required: '未开启', required_en: 'switched off', actual: '—', actual_en: '—', ok: true };
      const after = applyMoves(ctx.teachers, assignments(moves));
      const before = cvTable(schoolIndicators(ctx.schools, ctx.teachers, ctx.policy), ctx.policy);
      const now = cvTable(schoolIndicators(ctx.schools, after, ctx.policy), ctx.policy);
      const worse = before.flatMap((b, i) => {
        const a = now[i]!.cv;
        const [zh, en] = INDICATOR_NAMES[b.indicator] ?? [b.indicator, b.indicator];
        return b.cv !== null && a !== null && a > b.cv + 1e-12
          ? [{ zh: `${STAGE_ZH[b.stage]}${zh}：${b.cv.toFixed(6)} → ${a.toFixed(6)}`, en: `${STAGE_EN[b.stage]} ${en}: ${b.cv.toFixed(6)} → ${a.toFixed(6)}` }] : [];
      });
      const n = before.length;
      return {
        required: `每个学段×指标 交流后差异系数 ≤ 交流前`, required_en: 'every stage × indicator: CV after ≤ CV before',
        actual: worse.length ? `${worse.length}/${n}项变差` : `${n}项均不高于交流前`, actual_en: worse.length ? `${worse.length} of ${n} got worse` : `none of ${n} got worse`,
        ok: worse.length === 0, numerator: worse.length, denominator: n, details: worse.map((w) => w.zh), details_en: worse.map((w) => w.en),
      };
    },
  },
  {
    id: 'locked_moves',
    name: '锁定交流的教师按锁定去向交流',
    name_en: 'Locked moves go where the lock says',
    clause: '人工锁定中“必须交流”的锁定（须注明理由）',
    clause_en: 'Manual "must move" locks (each with a reason)',
    constraints: () => [],
    result: (ctx, _sums, moves) => {
      const wanted = ctx.locks.filter((l) => l.action === 'move');
      const missing = wanted.filter((l) => !moves.some((m) => m.teacher.id === l.teacher_id && m.to.id === l.to_school_id));
      const done = wanted.length - missing.length;
      return {
        required: `${wanted.length}项锁定交流全部执行`, required_en: `all ${wanted.length} locked moves carried out`,
        actual: `${done}项已执行`, actual_en: `${done} carried out`,
        ok: missing.length === 0, numerator: done, denominator: wanted.length,
        details: missing.map((l) => `教师${l.teacher_id}应调往${l.to_school_id}`),
        details_en: missing.map((l) => `teacher ${l.teacher_id} should go to ${l.to_school_id}`),
      };
    },
  },
];

/** Every county rule evaluated on a list of moves (the audit's and the report's view). */
export function checkCountyRules(ctx: CountyContext, moves: Move[]): RuleResult[] {
  return countyRules.map((rule) => {
    const sums = rule.constraints(ctx).map((c) => moves.reduce((acc, m) => acc + c.coef(m), 0));
    return { id: rule.id, name: rule.name, name_en: rule.name_en, clause: rule.clause, clause_en: rule.clause_en, ...rule.result(ctx, sums, moves) };
  });
}

/** Every move rule evaluated on each move. */
export function checkMoveRules(ctx: CountyContext, moves: Move[]): RuleResult[] {
  return moveRules.map((rule) => {
    const bad = moves.filter((m) => rule.violation(ctx, m) !== null);
    return {
      id: rule.id, name: rule.name, name_en: rule.name_en, clause: rule.clause, clause_en: rule.clause_en,
      required: '0 项违反', required_en: 'no violations', actual: `${bad.length}/${moves.length} 项违反`, actual_en: `${bad.length} of ${moves.length} moves violate`,
      ok: bad.length === 0, numerator: bad.length, denominator: moves.length,
      details: bad.map((m) => rule.violation(ctx, m)!), details_en: bad.map((m) => rule.violationEn(ctx, m)!),
    };
  });
}

/** True when a teacher may be sent to a school under every move rule (the model's destination filter). */
export function moveAllowed(ctx: CountyContext, m: Move): boolean {
  return moveRules.every((r) => r.violation(ctx, m) === null);
}
