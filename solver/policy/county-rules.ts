// County rules: sums over all the plan's moves (Σ coef(move) within [min, max]). The model adds
// each as linear rows; the audit adds up the plan's moves with the same coefficients.
import { STAGE_ZH } from '../contract/labels.ts';
import type { Teacher } from '../contract/schemas.ts';
import { applyMoves, assignments, cvTable, schoolIndicators } from './indicators.ts';
import { ceilShare, floorShare, quotaOf } from './county.ts';
import { leaderRules } from './leaders.ts';
import { mustRotateRule } from './must-rotate.ts';
import { staffFloorRule } from './staff-floor.ts';
import { shadowRules } from './shadow.ts';
import {
  type CountyRule, type Move, STAGE_EN, countsTowardRotation, fmtPct, inBudget, leavesHome, postsChange, rotationBudget, schoolsVerdict, share,
} from './rule-kit.ts';

const isBackbone = (t: Teacher) => t.backbone !== 'none';
const INDICATOR_NAMES: Record<string, [zh: string, en: string]> = {
  aboveDegree: ['高于规定学历教师', 'above-degree teachers'], backbone: ['骨干教师', 'backbone teachers'], peArt: ['体育艺术教师', 'PE & art teachers'],
};

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
    clause: '政策参数“交流人数上限”（空 = 最低人数；锁定交流更多时按锁定人数）；顶岗培养是培养，不占交流预算',
    clause_en: 'Policy "rotated ≤ share of eligible" (empty = the minimum; more when move locks need it); a training placement (顶岗培养) is outside the budget',
    constraints: (ctx) => [{ key: 'budget', coef: inBudget, max: rotationBudget(ctx).max }],
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
    // A 支教 or 顶岗培养 teacher keeps the post but is away from the school all year, so counts; a 走教 teacher stays.
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
    name: '交流后不超编（已超编的学校不再增加超编；只计带编调动，支教、走教、顶岗培养编制留在原校）',
    name_en: 'Within the staffing quota after the plan (a school already over it may not add to it; only transfers move a post)',
    clause: '中央编办发〔2014〕72号 统一城乡编制标准；数据约定“核定编制”；支教、走教、顶岗培养保留原校编制（R17；裕政〔2024〕53号 第17条）',
    clause_en: 'State Commission Office for Public Sector Reform [2014] No. 72 (uniform staffing standard); data contract "quota"; support postings, itinerant teaching and training placements keep the post at home (R17; Yuzheng [2024] No. 53 §17)',
    constraints: (ctx) =>
      ctx.schools.map((s) => {
        const before = ctx.staffBefore.get(s.id) ?? 0;
        return {
          key: `quota_${s.id}`,
          school: s.id,
          coef: postsChange(s.id),
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
  ...leaderRules,
  ...shadowRules,
  mustRotateRule,
  staffFloorRule,
];
