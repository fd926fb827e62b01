// The policy, on one screen: every rule a plan must keep, named as a planner would say it, with
// the clause it comes from and its parameter. The optimisation model and the audit both read
// these definitions, so a plan the solver returns is checked by the very rules it was built from.
//
// Two kinds of rule:
// - move rules judge one move on its own; the model only creates moves that pass them;
// - county rules are sums over all moves (Σ coef(move) within [min, max]); the model adds them as
//   linear constraints and the audit adds up the plan's moves with the same coefficients.
import type { Mode, School, Subject, Teacher } from '../contract/schemas.ts';
import { fillsOwnSubjectRule } from './extra-subjects.ts';
import { leaderRules } from './leaders.ts';
import { applyMoves, cvTable, schoolIndicators } from './indicators.ts';
import {
  type CountyContext, ceilShare, countyOf, floorShare, homeDistanceKm, isRuralOrWeak, offersStage, quotaOf,
} from './county.ts';

export interface Move {
  teacher: Teacher;
  from: School;
  to: School;
  mode: Mode;
  /** The need the move fills when it is one of the teacher's extra subjects (policy/extra-subjects.ts). */
  fills?: Subject;
}

export interface MoveRule {
  id: string;
  name: string;
  clause: string;
  /** null when the move keeps the rule, else why not (Chinese, no personal names). */
  violation(ctx: CountyContext, m: Move): string | null;
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

export interface RuleResult {
  id: string;
  name: string;
  clause: string;
  required: string;
  actual: string;
  ok: boolean;
  numerator?: number;
  denominator?: number;
  details?: string[];
}

export interface CountyRule {
  id: string;
  name: string;
  clause: string;
  constraints(ctx: CountyContext): SumConstraint[];
  /** Presents the sums of `constraints` (same order) as required/actual with integer arithmetic. */
  result(ctx: CountyContext, sums: number[], moves: Move[]): Omit<RuleResult, 'id' | 'name' | 'clause'>;
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

// ── Move rules ────────────────────────────────────────────────────────────────────────────────
export const moveRules: MoveRule[] = [
  {
    id: 'may_move',
    name: '只交流符合条件或自愿的在编教师',
    clause: '教师〔2014〕4号；数据约定 eligible / may move（policy.eligibility）',
    violation: (ctx, m) => {
      const e = ctx.eligibility.get(m.teacher.id);
      return e?.mayMove ? null : `教师${m.teacher.id}不可交流：${e?.reason ?? '未知'}`;
    },
  },
  {
    id: 'stage_match',
    name: '只到任教学段的学校（九年一贯制收两个学段）',
    clause: '数据约定：教师只调往开设其任教学段的学校（九年一贯制学校两个学段均可）',
    violation: (_ctx, m) => (offersStage(m.to, m.teacher.stage) ? null : `教师${m.teacher.id}任教${m.teacher.stage}，${m.to.id}无此学段`),
  },
  {
    id: 'other_school',
    name: '不得“交流”回原校',
    clause: '数据约定：不得调往本校',
    violation: (_ctx, m) => (m.to.id !== m.from.id ? null : `教师${m.teacher.id}调往原校${m.to.id}`),
  },
  {
    id: 'same_county',
    name: '不跨县交流',
    clause: '数据约定 schools.county：不跨县区交流',
    violation: (ctx, m) => (countyOf(m.to) === ctx.county ? null : `教师${m.teacher.id}调往外县学校${m.to.id}`),
  },
  {
    id: 'commute',
    name: '通勤距离不超过上限',
    clause: '政策参数 limits.maxCommuteKm',
    violation: (ctx, m) => {
      const max = ctx.policy.limits.maxCommuteKm;
      const km = max === null ? null : homeDistanceKm(m.teacher, m.to);
      return km === null || max === null || km <= max ? null : `教师${m.teacher.id}到${m.to.id}通勤${km.toFixed(1)}公里>${max}`;
    },
  },
  {
    id: 'toward_rural_or_weak',
    name: '只流向乡村或薄弱学校（开启时）',
    clause: '政策参数 flows.towardRuralOrWeakOnly；教师〔2014〕4号 城镇→乡村、优质→薄弱',
    violation: (ctx, m) =>
      !ctx.policy.flows.towardRuralOrWeakOnly || isRuralOrWeak(m.to) ? null : `教师${m.teacher.id}流向非乡村非薄弱学校${m.to.id}`,
  },
  {
    id: 'locks',
    name: '人工锁定必须执行',
    clause: 'locks.csv（规划员锁定，须注明理由）',
    violation: (ctx, m) => {
      const lock = lockOf(ctx, m.teacher.id);
      if (lock?.action === 'stay') return `教师${m.teacher.id}已锁定留任（${lock.reason}）`;
      if (lock?.action === 'move' && lock.to_school_id !== m.to.id) return `教师${m.teacher.id}锁定调往${lock.to_school_id}，方案为${m.to.id}`;
      return null;
    },
  },
  fillsOwnSubjectRule,
];

// ── County rules ──────────────────────────────────────────────────────────────────────────────
const fmtPct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const countyRules: CountyRule[] = [
  {
    id: 'rotation_share',
    name: '交流人数不低于符合条件教师的规定比例（默认10%）',
    clause: '教师〔2014〕4号；教督〔2017〕6号；安政办〔2019〕46号（ratios.minRotatedShareOfEligible）',
    constraints: (ctx) => [{ key: 'rotation', coef: (m) => countsTowardRotation(ctx, m), min: ceilShare(ctx.policy.ratios.minRotatedShareOfEligible, ctx.eligibleCount) }],
    result: (ctx, [rotated = 0]) => {
      const need = ceilShare(ctx.policy.ratios.minRotatedShareOfEligible, ctx.eligibleCount);
      const rate = ctx.eligibleCount > 0 ? rotated / ctx.eligibleCount : 0;
      return {
        required: `≥ ${need}（⌈${ctx.policy.ratios.minRotatedShareOfEligible} × ${ctx.eligibleCount}⌉）`,
        actual: `${rotated}（${fmtPct(rate)}）`,
        ok: rotated >= need,
        numerator: rotated,
        denominator: ctx.eligibleCount,
      };
    },
  },
  {
    id: 'rotation_budget',
    name: '交流人数不超过本年度交流预算（默认即最低人数）',
    clause: '政策参数 ratios.maxRotatedShareOfEligible（空 = 最低人数；锁定交流更多时按锁定人数）',
    constraints: (ctx) => [{ key: 'budget', coef: () => 1, max: rotationBudget(ctx).max }],
    result: (ctx, [rotated = 0]) => {
      const b = rotationBudget(ctx);
      const share = ctx.policy.ratios.maxRotatedShareOfEligible;
      const why = share === null ? `最低人数${b.min}` : `⌈${share} × ${ctx.eligibleCount}⌉ = ${ceilShare(share, ctx.eligibleCount)}`;
      return {
        required: `≤ ${b.max}（${why}${b.lockedMoves > Math.max(b.min, share === null ? 0 : ceilShare(share, ctx.eligibleCount)) ? `；锁定交流${b.lockedMoves}人` : ''}）`,
        actual: `${rotated}`,
        ok: rotated <= b.max,
        numerator: rotated,
        denominator: b.max,
      };
    },
  },
  {
    id: 'backbone_share',
    name: '交流教师中骨干教师不低于规定比例（默认20%）',
    clause: '教师〔2014〕4号；教督〔2017〕6号；裕政〔2024〕53号（ratios.minBackboneShareOfRotated）',
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
      const need = ceilShare(ctx.policy.ratios.minBackboneShareOfRotated, counted.length);
      return {
        required: `≥ ${need}（⌈${ctx.policy.ratios.minBackboneShareOfRotated} × ${counted.length}⌉）`,
        actual: `${backbone}（${fmtPct(counted.length > 0 ? backbone / counted.length : 0)}）`,
        ok: backbone >= need,
        numerator: backbone,
        denominator: counted.length,
      };
    },
  },
  {
    id: 'outflow_cap',
    name: '每校流出不超过本校教师的规定比例（默认20%）',
    clause: '政策参数 limits.maxOutflowShareOfSchool（数据约定）',
    constraints: (ctx) =>
      ctx.schools.map((s) => ({
        key: `outflow_${s.id}`,
        school: s.id,
        coef: (m: Move) => (m.from.id === s.id ? 1 : 0),
        max: floorShare(ctx.policy.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(s.id) ?? 0),
      })),
    result: (ctx, sums) => {
      const bad = ctx.schools.flatMap((s, i) => {
        const cap = floorShare(ctx.policy.limits.maxOutflowShareOfSchool, ctx.staffBefore.get(s.id) ?? 0);
        return (sums[i] ?? 0) > cap ? [`${s.id}：流出${sums[i]}人 > ⌊${ctx.policy.limits.maxOutflowShareOfSchool} × ${ctx.staffBefore.get(s.id)}⌋ = ${cap}`] : [];
      });
      return { required: `每校 ≤ ⌊${ctx.policy.limits.maxOutflowShareOfSchool} × 本校教师⌋`, actual: bad.length ? `${bad.length}校超限` : '全部符合', ok: bad.length === 0, details: bad };
    },
  },
  {
    id: 'quota',
    name: '交流后不超编（已超编的学校不再增加超编）',
    clause: '中央编办发〔2014〕72号 统一城乡编制标准；数据约定 quota',
    constraints: (ctx) =>
      ctx.schools.map((s) => {
        const before = ctx.staffBefore.get(s.id) ?? 0;
        return {
          key: `quota_${s.id}`,
          school: s.id,
          coef: (m: Move) => (m.to.id === s.id ? 1 : 0) - (m.from.id === s.id ? 1 : 0),
          max: Math.max(quotaOf(s, ctx.policy).quota, before) - before,
        };
      }),
    result: (ctx, sums) => {
      const bad = ctx.schools.flatMap((s, i) => {
        const before = ctx.staffBefore.get(s.id) ?? 0;
        const { quota, computed } = quotaOf(s, ctx.policy);
        const after = before + (sums[i] ?? 0);
        return after > Math.max(quota, before)
          ? [`${s.id}：交流后${after}人 > ${before > quota ? `原有${before}人（已超编）` : `编制${quota}${computed ? '（按生师比测算）' : ''}`}`]
          : [];
      });
      return { required: '每校 交流后人数 ≤ max(编制, 交流前人数)', actual: bad.length ? `${bad.length}校超编` : '全部符合', ok: bad.length === 0, details: bad };
    },
  },
  {
    id: 'never_worse',
    name: '交流后任何差异系数不高于交流前（开启时）',
    clause: '政策参数 indicators.neverWorse；教督〔2017〕6号 第六条（差异系数）',
    constraints: () => [], // the model states it with its CV steps (model/county-model.ts)
    result: (ctx, _sums, moves) => {
      if (!ctx.policy.indicators.neverWorse) return { required: '未开启', actual: '—', ok: true };
      const after = applyMoves(ctx.teachers, moves.map((m) => ({ teacher_id: m.teacher.id, to_school_id: m.to.id })));
      const before = cvTable(schoolIndicators(ctx.schools, ctx.teachers, ctx.policy), ctx.policy);
      const now = cvTable(schoolIndicators(ctx.schools, after, ctx.policy), ctx.policy);
      const worse = before.flatMap((b, i) => {
        const a = now[i]!.cv;
        return b.cv !== null && a !== null && a > b.cv + 1e-12 ? [`${b.stage}/${b.indicator}：${b.cv.toFixed(6)} → ${a.toFixed(6)}`] : [];
      });
      return { required: '每个学段×指标 交流后CV ≤ 交流前CV', actual: worse.length ? `${worse.length}项变差` : '全部不高于交流前', ok: worse.length === 0, details: worse };
    },
  },
  {
    id: 'locked_moves',
    name: '锁定交流的教师按锁定去向交流',
    clause: 'locks.csv action=move',
    constraints: () => [],
    result: (ctx, _sums, moves) => {
      const wanted = ctx.locks.filter((l) => l.action === 'move');
      const missing = wanted.filter((l) => !moves.some((m) => m.teacher.id === l.teacher_id && m.to.id === l.to_school_id));
      return {
        required: `${wanted.length}项锁定交流全部执行`,
        actual: `${wanted.length - missing.length}项已执行`,
        ok: missing.length === 0,
        details: missing.map((l) => `教师${l.teacher_id}应调往${l.to_school_id}`),
      };
    },
  },
  ...leaderRules,
];

/** Every county rule evaluated on a list of moves (the audit's and the report's view). */
export function checkCountyRules(ctx: CountyContext, moves: Move[]): RuleResult[] {
  return countyRules.map((rule) => {
    const sums = rule.constraints(ctx).map((c) => moves.reduce((acc, m) => acc + c.coef(m), 0));
    return { id: rule.id, name: rule.name, clause: rule.clause, ...rule.result(ctx, sums, moves) };
  });
}

/** Every move rule evaluated on each move. */
export function checkMoveRules(ctx: CountyContext, moves: Move[]): RuleResult[] {
  return moveRules.map((rule) => {
    const bad = moves.flatMap((m) => {
      const v = rule.violation(ctx, m);
      return v ? [v] : [];
    });
    return {
      id: rule.id, name: rule.name, clause: rule.clause,
      required: '0 项违反', actual: `${bad.length} 项违反`, ok: bad.length === 0, numerator: bad.length, denominator: moves.length, details: bad,
    };
  });
}

/** True when a teacher may be sent to a school under every move rule (the model's destination filter). */
export function moveAllowed(ctx: CountyContext, m: Move): boolean {
  return moveRules.every((r) => r.violation(ctx, m) === null);
}
