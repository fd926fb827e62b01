// The shapes every rule shares (policy/rules.ts lists the rules): a move, a move rule, a county
// rule's linear sums and its verdict in Chinese with English twins, and the helpers that keep the
// twins from drifting apart (one check gives both findings, one verdict both texts). Also the
// arithmetic of the kinds of move (R10, R17) that the rules, the model and the report share.
import { MODES, type Mode, type School, type Stage, type Subject, type Teacher } from '../contract/schemas.ts';
import { type CountyContext, ceilShare, floorShare, isRuralOrWeak } from './county.ts';
import { servedSchools } from './indicators.ts';

export { servedSchools };

export interface Move {
  teacher: Teacher;
  from: School;
  to: School;
  mode: Mode;
  /** 走教 only: the share of a post served at `to` and at each school of `also` (the rest stays at home). */
  fte?: number;
  /** 走教 to several schools (policy.modes.itinerant.maxSchools): the schools served besides `to`. */
  also?: School[];
  /** The need the move fills when it is one of the teacher's extra subjects (policy/extra-subjects.ts). */
  fills?: Subject;
}

export interface MoveRule {
  id: string;
  /** The rule judges only the teacher and the two schools, never the kind of move (placeAllowed). */
  anyMode?: boolean;
  name: string;
  name_en: string;
  clause: string;
  clause_en: string;
  /** null when the move keeps the rule, else why not (Chinese, no personal names). */
  violation(ctx: CountyContext, m: Move): string | null;
  /** The same finding in English (null exactly when `violation` is). */
  violationEn(ctx: CountyContext, m: Move): string | null;
  /** True exactly when `violation` is null, without its words: the model asks this of millions of candidate moves. */
  allows(ctx: CountyContext, m: Move): boolean;
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

export type Verdict = Omit<RuleResult, 'id' | 'name' | 'name_en' | 'clause' | 'clause_en'>;

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
/** Whether a move's kind is allowed at all (policy.modes.*.allowed). */
export const modeAllowed = (ctx: CountyContext, mode: Mode): boolean => ctx.policy.modes[mode].allowed;

/** 1 when the move takes the post with the teacher (a transfer): only then does the quota of either school change. */
export const movesPost = (m: Pick<Move, 'mode'>): number => (m.mode === 'transfer' ? 1 : 0);

/** A move's change to school `id`'s posts: +1 a transfer in, −1 a transfer out (quota, staff_floor). */
export const postsChange = (id: string) => (m: Move): number => ((m.to.id === id ? 1 : 0) - (m.from.id === id ? 1 : 0)) * movesPost(m);

/** 1 when the teacher leaves the home school for the year (transfer, 支教, 顶岗培养); a 走教 teacher stays. */
export const leavesHome = (m: Pick<Move, 'mode'>): number => (m.mode === 'itinerant' ? 0 : 1);

/** True when some allowed kind keeps the post at home: a school's inflow is then not bounded by its quota room. */
export const postMayStay = (ctx: CountyContext): boolean => MODES.some((mode) => modeAllowed(ctx, mode) && movesPost({ mode }) === 0);

/** 1 when the move counts in the rotation budget (rule rotation_budget): every kind but 顶岗培养, which is training. */
export const inBudget = (m: Pick<Move, 'mode'>): number => (m.mode === 'shadow' ? 0 : 1);

/** True when the teacher is on the county's 顶岗培养 list (policy.modes.shadow.teachers) and 顶岗培养 is allowed. */
export const isNamedShadow = (ctx: CountyContext, teacherId: string): boolean =>
  ctx.policy.modes.shadow.allowed && ctx.policy.modes.shadow.teachers.includes(teacherId) && ctx.teacherById.has(teacherId);

/** The county's teachers on the year's must-rotate list (policy.cycle.mustRotate), in list order; other counties' ids dropped. */
export const mustRotateOf = (ctx: CountyContext): string[] => [...new Set(ctx.policy.cycle.mustRotate)].filter((id) => ctx.teacherById.has(id));

// The model asks once per column (10⁵–10⁶ of them): the list as a set, made once per policy.
const listSets = new WeakMap<readonly string[], Set<string>>();
const setOf = (ids: readonly string[]): Set<string> => listSets.get(ids) ?? listSets.set(ids, new Set(ids)).get(ids)!;

/** True when the teacher is on the year's must-rotate list and on this county's roster. */
export const isMustRotate = (ctx: CountyContext, teacherId: string): boolean => setOf(ctx.policy.cycle.mustRotate).has(teacherId) && ctx.teacherById.has(teacherId);

/**
 * The 顶岗培养 placements a plan may make, all outside the rotation budget: every named teacher of
 * the county, and besides them at most ⌊maxShareOfRuralTeachers × teachers at its rural or weak
 * schools⌋ the optimiser chooses. All 0 while 顶岗培养 is off.
 */
export function shadowCap(ctx: CountyContext): { named: number; ruralTeachers: number; chosen: number; max: number } {
  const p = ctx.policy.modes.shadow;
  if (!p.allowed) return { named: 0, ruralTeachers: 0, chosen: 0, max: 0 };
  const named = new Set(p.teachers.filter((id) => ctx.teacherById.has(id))).size;
  const ruralTeachers = ctx.teachers.filter((t) => isRuralOrWeak(ctx.schoolById.get(t.school_id)!)).length;
  const chosen = floorShare(p.maxShareOfRuralTeachers, ruralTeachers);
  return { named, ruralTeachers, chosen, max: named + chosen };
}

/** The most moves of any kind a plan may make: the rotation budget and the 顶岗培养 placements outside it. Bounds on moves read this. */
export const movesMax = (ctx: CountyContext): number => rotationBudget(ctx).max + shadowCap(ctx).max;

type Finding = { zh: string; en: string } | null;
export type { Finding };
/** A move as one single-school move per school it serves: how a rule about one destination judges a 走教 to several. */
export const perServed = <M extends Pick<Move, 'to' | 'also'>>(m: M): M[] =>
  m.also?.length ? servedSchools(m).map((to) => ({ ...m, to, also: [] })) : [m];

/**
 * A move rule from one check, so its Chinese and English findings cannot disagree. The check sees
 * one destination at a time: a 走教 to several schools keeps the rule only where every served school
 * does, and the findings name each school that does not. `whole` rules judge the move as one (itinerant_schools).
 */
export const moveRule = (r: Omit<MoveRule, 'violation' | 'violationEn' | 'allows'> & { check(ctx: CountyContext, m: Move): Finding; whole?: boolean }): MoveRule => {
  const { check, whole, ...rest } = r;
  // A check only builds its words for a finding, so asking it is cheap; perServed's copies are made only for a 走教 to several schools.
  const allows = (ctx: CountyContext, m: Move) => (whole || !m.also?.length ? check(ctx, m) === null : perServed(m).every((p) => check(ctx, p) === null));
  const findings = (ctx: CountyContext, m: Move) => (whole ? [check(ctx, m)] : perServed(m).map((p) => check(ctx, p))).filter((f) => f !== null);
  const joined = (ctx: CountyContext, m: Move, lang: 'zh' | 'en', sep: string) => {
    const f = findings(ctx, m);
    return f.length === 0 ? null : f.map((x) => x[lang]).join(sep);
  };
  return { ...rest, violation: (ctx, m) => joined(ctx, m, 'zh', '；'), violationEn: (ctx, m) => joined(ctx, m, 'en', '; '), allows };
};
export const STAGE_EN: Record<Stage, string> = { primary: 'primary', junior: 'junior' };

export const fmtPct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A policy share as people write it: 0.15 → 15%, 0.125 → 12.5%. */
export const share = (x: number) => `${Number((x * 100).toFixed(2))}%`;
/** Per-school rules count schools: numerator the schools failing, denominator the schools checked. */
export const schoolsVerdict = (bad: { zh: string; en: string }[], schools: number, required: [string, string], failWord: [string, string]): Verdict => ({
  required: required[0], required_en: required[1],
  actual: bad.length ? `${bad.length}/${schools}校${failWord[0]}` : `${schools}校全部符合`,
  actual_en: bad.length ? `${bad.length} of ${schools} schools ${failWord[1]}` : `all ${schools} schools comply`,
  ok: bad.length === 0, numerator: bad.length, denominator: schools, details: bad.map((b) => b.zh), details_en: bad.map((b) => b.en),
});
