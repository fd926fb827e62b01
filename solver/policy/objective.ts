// The objective, on one screen: what the bureau wants from a plan, term by term, each with the
// name a planner would say, why it is there and the weight (policy.json → weights) that prices
// it. The model adds exactly these terms up and the report shows each term's value for the plan,
// so what is optimised and what is explained cannot drift apart.
//
// Order of weight (defaults): the 差异系数 first (100 per stage × indicator, × 3 above its
// threshold), then subject needs (0.5 a teacher: less than a move, so a need alone never buys a
// move), then direction, commute and preferences (fractions of a move).
import type { Mode, Policy, School, Stage, Teacher } from '../contract/schemas.ts';
import { type CountyContext, homeDistanceKm, sameCluster } from './county.ts';
import { INDICATOR_KEYS, type IndicatorKey, applyMoves, assignments, schoolIndicators, servedSchools } from './indicators.ts';
import { type Move, perServed } from './rule-kit.ts';
import { needKey, supplyAfterMoves } from './needs.ts';
import { extraCost } from './extra-subjects.ts';
import { schoolLineTerm } from './school-lines.ts';
import { careerTerms } from './careers.ts';

/** A candidate move as the objective sees it: a move of the rules (the model's teacher classes share every field). */
export type MoveView = Move;

/** What the objective needs to know beyond the county: the baseline plan of a re-plan. */
export interface ObjectiveContext {
  ctx: CountyContext;
  /** teacher id → destination in the baseline plan (only the teachers it moved; a 走教 to several schools: destinationKey). */
  baseline: ReadonlyMap<string, string> | null;
  /**
   * A move the baseline does not have is no change (only dropping or redirecting a baseline move
   * is): the frontier re-plans against a smaller budget's plan, and the larger budget is there to add moves.
   */
  baselineAdditionsFree: boolean;
  prefRank: ReadonlyMap<string, number>;
}

export interface ObjectiveTerm {
  id: string;
  name: string;
  nameEn: string;
  /** Why a bureau wants it (clause or reason). */
  reason: string;
  /** The policy weight that prices it. */
  weight: (p: Policy) => number;
  weightPath: string;
  /** Cost of one move under this term (per-move terms only; already weighted). */
  perMove?: (o: ObjectiveContext, m: MoveView) => number;
  /** perMove judges a 走教 to several schools as one move (its set of schools), not school by school. */
  wholeMove?: boolean;
  /** The term's value for a whole plan (cost units), computed from the plan itself. */
  value: (o: ObjectiveContext, moves: readonly MoveView[]) => number;
}

// ── 差异系数 (student-weighted CV, domain.md §C3) ────────────────────────────────────────────
//   CV² = P·Q/R² − 1 with Q = Σ R_i²/P_i over the schools in scope (R fixed when no counted
//   teacher crosses the scope's edge). Q is a sum of convex functions of each school's whole-
//   teacher count, so a piecewise-linear term with a breakpoint at every whole teacher is exact
//   at every integer plan.

export interface CvPair {
  stage: Stage;
  indicator: IndicatorKey;
  /** The pair's weight (cost units for the whole CV² before the plan). */
  weight: number;
  cvBefore: number;
  P: number;
  R0: number;
  Q0: number;
  /** In-scope schools of the stage: students P_i and counted teachers R_i before. */
  schools: Map<string, { P: number; R: number }>;
}

/**
 * One stage × indicator optimised alone (the best achievable CV): its term weighs `scale`·CV², so
 * the objective reads as the CV² itself; every other pair weighs 0 but keeps its never-worse row.
 */
export interface CvFocus {
  stage: Stage;
  indicator: IndicatorKey;
  scale: number;
}

/** Every stage × indicator with a CV before the plan, weighted as the policy says (or by the focus). */
export function cvPairs(ctx: CountyContext, focus?: CvFocus): CvPair[] {
  const rows = schoolIndicators(ctx.schools, ctx.teachers, ctx.policy).filter((r) => r.inCvScope);
  const w = ctx.policy.weights;
  const out: CvPair[] = [];
  for (const stage of ['primary', 'junior'] as const) {
    const scoped = rows.filter((r) => r.stage === stage);
    for (const indicator of INDICATOR_KEYS) {
      const schools = new Map(scoped.map((r) => [r.school_id, { P: r.students, R: r[indicator] }]));
      const P = sumOf(schools, (s) => s.P);
      const R0 = sumOf(schools, (s) => s.R);
      const Q0 = sumOf(schools, (s) => (s.R * s.R) / s.P);
      const cv2 = P > 0 && R0 > 0 ? (P * Q0) / (R0 * R0) - 1 : 0;
      if (cv2 <= 1e-12) continue; // no CV (nobody counted) or already perfectly even: nothing to buy
      const cvBefore = Math.sqrt(cv2);
      const over = cvBefore > ctx.policy.indicators.cvMax[stage] + 1e-9 ? w.cvOverThreshold : 1;
      const focused = focus?.stage === stage && focus.indicator === indicator;
      const weight = focus ? (focused ? focus.scale * cv2 : 0) : w.cvBalance * w.cvIndicator[indicator] * over;
      out.push({ stage, indicator, weight, cvBefore, P, R0, Q0, schools });
    }
  }
  return out;
}

/** Cost per unit of Q − Q0 in the pair's term (weight × P / (R0² · CV²_before)). */
export const qCost = (p: CvPair): number => (p.weight * p.P) / (p.R0 * p.R0 * p.cvBefore * p.cvBefore);

/**
 * Cost per counted teacher entering the CV's scope (from a 教学点 below the size floor; leaving costs
 * the opposite): the county total R rises, which lowers CV². First order in R at the county's Q
 * before the plan, so exact when nobody crosses; the report's objective is always the exact one.
 */
export const scopeEntryCost = (p: CvPair): number => (-2 * p.weight * p.P * p.Q0) / (p.R0 ** 3 * p.cvBefore * p.cvBefore);

/** Q's change when school i goes from r to r + 1 counted teachers. */
export const qStep = (schoolP: number, r: number): number => (2 * r + 1) / schoolP;

/** Q's change when school i goes from r to r + g counted teachers (g = a 走教 share, or 1). */
export const qSpan = (schoolP: number, r: number, g: number): number => (g * (2 * r + g)) / schoolP;

/** The pair's term as the model states it when nobody crosses the scope's edge (then it is the exact CV² ratio). */
export const cvModelValue = (p: CvPair, Q: number): number => p.weight + qCost(p) * (Q - p.Q0);

/** The pair's CV after a plan, exactly as the report computes it. */
export function cvAfter(p: CvPair, ctx: CountyContext, moves: readonly MoveView[]): { cv: number; Q: number; R: number } {
  const after = applyMoves(ctx.teachers, assignments(moves));
  const rows = schoolIndicators(ctx.schools, after, ctx.policy).filter((r) => r.inCvScope && r.stage === p.stage);
  const R = rows.reduce((a, r) => a + r[p.indicator], 0);
  const Q = rows.reduce((a, r) => a + (r[p.indicator] * r[p.indicator]) / r.students, 0);
  return { cv: R > 0 ? Math.sqrt(Math.max(0, (p.P * Q) / (R * R) - 1)) : 0, Q, R };
}

// ── Subject needs (whole teachers: a school cannot hold 0.3 of one) ──────────────────────────
export function unfilledNeeds(ctx: CountyContext, moves: readonly MoveView[]): number {
  const supply = supplyAfterMoves(ctx.teachers, moves);
  return ctx.needs.reduce((a, n) => a + Math.max(0, Math.round(n.required) - (supply.get(needKey(n.school_id, n.stage, n.subject)) ?? 0)), 0);
}

// ── Per-move terms ───────────────────────────────────────────────────────────────────────────
/** Town/urban → rural, or into a weak school; never a 顶岗培养 placement, which is the reverse flow by design (policy/shadow.ts). */
export const towardRuralOrWeak = ({ from, to, mode }: Pick<MoveView, 'from' | 'to' | 'mode'>): boolean =>
  mode !== 'shadow' && ((to.locale === 'rural' && from.locale !== 'rural') || (to.weak && !from.weak));

/** km the move adds to the teacher's commute from home (0 when a coordinate is missing). */
export function commuteChangeKm(t: Teacher, from: School, to: School): number {
  const a = homeDistanceKm(t, from);
  const b = homeDistanceKm(t, to);
  return a === null || b === null ? 0 : b - a;
}

/** Where a move sends the teacher, as baselines and plan comparisons key it: the school, or the schools a 走教 serves joined by "+" (sorted). */
export const destinationKey = (m: Pick<MoveView, 'to' | 'also'>): string => servedSchools(m).map((s) => s.id).sort().join('+');

/**
 * Where each teacher of plan rows goes (destinationKey): a 走教 teacher serving several schools
 * has a row per school, so two plans serving the same schools agree whatever their row order.
 */
export function destinationsOf(rows: readonly { teacher_id: string; to_school_id: string }[]): Map<string, string> {
  const served = new Map<string, string[]>();
  for (const r of rows) served.set(r.teacher_id, [...(served.get(r.teacher_id) ?? []), r.to_school_id]);
  return new Map([...served].map(([id, to]) => [id, [...to].sort().join('+')]));
}

const changed = (o: ObjectiveContext, m: MoveView): number => {
  if (!o.baseline) return 0;
  const before = o.baseline.get(m.teacher.id);
  return before === destinationKey(m) ? -1 : before === undefined && !o.baselineAdditionsFree ? 1 : 0;
};

/**
 * One term's price of one move. A 走教 to several schools is one teacher, priced once: at the
 * served school where the term is dearest, so a bonus (direction, preference) is earned only where
 * every served school earns it and a cost (commute, leaving the cluster) paid where any school costs it.
 */
const priceOf = (term: Pick<ObjectiveTerm, 'perMove' | 'wholeMove'>, o: ObjectiveContext, m: MoveView): number =>
  m.also?.length && !term.wholeMove ? Math.max(...perServed(m).map((p) => term.perMove!(o, p))) : term.perMove!(o, m);

const sumMoves = (term: Pick<ObjectiveTerm, 'perMove' | 'wholeMove'>) => (o: ObjectiveContext, moves: readonly MoveView[]) =>
  moves.reduce((a, m) => a + priceOf(term, o, m), 0);

const perMoveTerm = (t: Omit<ObjectiveTerm, 'value'>): ObjectiveTerm => ({ ...t, value: sumMoves(t) });

/** The price of one kind of move that keeps the post at home and ends after its term (支教, 顶岗培养), on top of `move`. */
const termPlacement = (mode: Mode, weight: 'supportMove' | 'shadowMove', t: Pick<ObjectiveTerm, 'id' | 'name' | 'nameEn' | 'reason'>): ObjectiveTerm =>
  perMoveTerm({ ...t, weight: (p) => p.weights[weight], weightPath: `weights.${weight}`, perMove: (o, m) => (m.mode === mode ? o.ctx.policy.weights[weight] : 0) });

export const objectiveTerms: ObjectiveTerm[] = [
  {
    id: 'cv_balance',
    name: '差异系数（每个学段×指标：交流后CV²÷交流前CV²）',
    nameEn: 'Coefficient of variation (per stage × indicator: CV² after ÷ CV² before)',
    reason: '教督〔2017〕6号 第六条：小学≤0.50、初中≤0.45；超过阈值的指标权重×cvOverThreshold',
    weight: (p) => p.weights.cvBalance,
    weightPath: 'weights.cvBalance',
    value: (o, moves) => cvPairs(o.ctx).reduce((a, p) => a + (p.weight * cvAfter(p, o.ctx, moves).cv ** 2) / p.cvBefore ** 2, 0),
  },
  {
    id: 'unfilled_need',
    name: '学科缺口（按整人计，未补足的每人）',
    nameEn: 'Subject needs left unfilled (whole teachers)',
    reason: '紧缺学科补足（教师〔2014〕4号；需求按班数×课时÷工作量，或 needs.csv）',
    weight: (p) => p.weights.unfilledNeed,
    weightPath: 'weights.unfilledNeed',
    value: (o, moves) => o.ctx.policy.weights.unfilledNeed * unfilledNeeds(o.ctx, moves),
  },
  schoolLineTerm,
  perMoveTerm({
    id: 'extra_subject',
    name: '以兼教学科补缺（每人，补缺价值 = 学科缺口权重 − 此值）',
    nameEn: 'Need filled in an extra subject (each; worth the unfilled-need weight minus this)',
    reason: '数据约定 teachers.extra_subjects：兼教学科可补缺，但不如主教学科',
    weight: (p) => p.weights.extraSubjectFill,
    weightPath: 'weights.extraSubjectFill',
    perMove: (o, m) => extraCost(o.ctx.policy, m),
  }),
  perMoveTerm({
    id: 'move',
    name: '交流人数（每人）',
    nameEn: 'Teachers moved (each)',
    reason: '每次交流都影响一个家庭和一所学校：只在值得时多交流',
    weight: (p) => p.weights.move,
    weightPath: 'weights.move',
    perMove: (o) => o.ctx.policy.weights.move,
  }),
  termPlacement('support', 'supportMove', {
    id: 'support_move',
    name: '支教（编制留在原校，每人）',
    nameEn: 'Support postings (the post stays at home; each)',
    reason: '支教期满回原校、编制不随人走：两种方式都合规时优先带编调动；调入学校编制已满时支教仍可行（modes.support.allowed）',
  }),
  termPlacement('shadow', 'shadowMove', {
    id: 'shadow_move',
    name: '顶岗培养（期满回原校，每人）',
    nameEn: 'Training placements, 顶岗培养 (returning after the term; each)',
    reason: '裕政〔2024〕53号 第17条 农村教师到城区学校顶岗培养：编制留在原校、期满回原校，接收学校只在期内受益；名单外的顶岗培养只在值得时安排（modes.shadow）',
  }),
  perMoveTerm({
    id: 'leave_cluster',
    name: '跨出学区/集团（每人，flows.cluster = prefer 时）',
    nameEn: 'Moves leaving the cluster (each, when flows.cluster = prefer)',
    reason: '青海省《关于构建优质均衡的基本公共教育服务体系的实施方案》（2024）：以学区或集团化办学为载体；海盐县 学区教育发展联合体',
    weight: (p) => p.weights.leaveCluster,
    weightPath: 'weights.leaveCluster',
    perMove: (o, m) => (o.ctx.policy.flows.cluster === 'prefer' && !sameCluster(m.from, m.to) ? o.ctx.policy.weights.leaveCluster : 0),
  }),
  perMoveTerm({
    id: 'rural_or_weak',
    name: '流向乡村或薄弱学校（每人奖励）',
    nameEn: 'Toward rural or weak schools (bonus each)',
    reason: '教师〔2014〕4号：城镇→乡村、优质→薄弱',
    weight: (p) => p.weights.ruralOrWeakBonus,
    weightPath: 'weights.ruralOrWeakBonus',
    perMove: (o, m) => (towardRuralOrWeak(m) ? -o.ctx.policy.weights.ruralOrWeakBonus : 0),
  }),
  perMoveTerm({
    id: 'commute',
    name: '通勤增加（每公里，离家更近为负）',
    nameEn: 'Added commute from home (per km; closer is negative)',
    reason: '教师住址坐标已知时计入；硬上限见 limits.maxCommuteKm',
    weight: (p) => p.weights.commutePerKm,
    weightPath: 'weights.commutePerKm',
    perMove: (o, m) => o.ctx.policy.weights.commutePerKm * commuteChangeKm(m.teacher, m.from, m.to),
  }),
  perMoveTerm({
    id: 'preference',
    name: '本人志愿（奖励÷志愿序号）',
    nameEn: 'Teacher preference (bonus ÷ rank)',
    reason: 'preferences.csv',
    weight: (p) => p.weights.preferenceBonus,
    weightPath: 'weights.preferenceBonus',
    perMove: (o, m) => {
      const rank = o.prefRank.get(`${m.teacher.id}|${m.to.id}`);
      return rank ? -o.ctx.policy.weights.preferenceBonus / rank : 0;
    },
  }),
  ...careerTerms,
  {
    id: 'baseline_change',
    name: '与基准方案不同的教师（每人）',
    nameEn: 'Teachers assigned differently from the baseline (each)',
    reason: '重新规划时保持已有安排，规划员可以逐步调整',
    weight: (p) => p.weights.changeFromBaseline,
    weightPath: 'weights.changeFromBaseline',
    // A baseline keeps a 走教 teacher's set of schools: kept only when the set is the same.
    perMove: (o, m) => o.ctx.policy.weights.changeFromBaseline * changed(o, m),
    wholeMove: true,
    value: (o, moves) => o.ctx.policy.weights.changeFromBaseline * baselineChanges(o, moves, !o.baselineAdditionsFree),
  },
];

/** The constant part of the baseline term: every baseline move counts as changed until kept. */
export const baselineOffset = (o: ObjectiveContext): number =>
  o.baseline ? o.ctx.policy.weights.changeFromBaseline * [...o.baseline.keys()].filter((id) => o.ctx.teacherById.has(id)).length : 0;

/** Teachers of the county whose destination (or staying) differs from the baseline's; `additions` false: only the baseline's movers. */
export function baselineChanges(o: ObjectiveContext, moves: readonly MoveView[], additions = true): number {
  if (!o.baseline) return 0;
  const plan = new Map(moves.map((m) => [m.teacher.id, destinationKey(m)]));
  const ids = new Set([...(additions ? plan.keys() : []), ...[...o.baseline.keys()].filter((id) => o.ctx.teacherById.has(id))]);
  return [...ids].filter((id) => plan.get(id) !== o.baseline!.get(id)).length;
}

/** Sum of the per-move terms for one candidate move (the model's column cost before the CV part). */
export const moveCost = (o: ObjectiveContext, m: MoveView): number =>
  objectiveTerms.reduce((a, t) => a + (t.perMove ? priceOf(t, o, m) : 0), 0);

/** Each term's value for a plan; their sum is the plan's objective. */
export function objectiveBreakdown(o: ObjectiveContext, moves: readonly MoveView[]) {
  return objectiveTerms.map((t) => ({ id: t.id, name: t.name, name_en: t.nameEn, weight: t.weight(o.ctx.policy), weight_path: t.weightPath, value: t.value(o, moves) }));
}

export function objectiveContext(ctx: CountyContext, baselineRows?: readonly { teacher_id: string; to_school_id: string }[], baselineAdditionsFree = false): ObjectiveContext {
  return {
    ctx,
    baselineAdditionsFree,
    baseline: baselineRows ? destinationsOf(baselineRows.filter((r) => ctx.teacherById.has(r.teacher_id))) : null,
    prefRank: new Map(ctx.preferences.map((p) => [`${p.teacher_id}|${p.school_id}`, p.rank])),
  };
}

function sumOf<T>(m: Map<string, T>, f: (t: T) => number): number {
  let s = 0;
  for (const v of m.values()) s += f(v);
  return s;
}
