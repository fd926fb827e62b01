// plan.csv rows, each move with the reason a planner can act on: what the move buys under the
// same objective terms the optimiser priced (policy/objective.ts) — which 差异系数 it lowers at
// which school, which subject need it fills, direction, commute, preference, lock, baseline — and
// what it costs (a need it opens at the origin is said too).
import { csvText } from '../contract/csv-text.ts';
import type { PlanRow } from '../contract/schemas.ts';
import { LOCALE_ZH, STAGE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import { type CountyContext, quotaOf, sameCluster } from '../policy/county.ts';
import { applyMoves, assignments, indicatorFlags, schoolIndicators, shareOf } from '../policy/indicators.ts';
import { needKey, subjectSupply, supplyAfterMoves } from '../policy/needs.ts';
import {
  type ObjectiveContext, commuteChangeKm, cvPairs, destinationKey, objectiveContext, qCost, qStep, towardRuralOrWeak,
} from '../policy/objective.ts';
import { type Move, isNamedShadow, perServed, rotationBudget, servedSchools } from '../policy/rules.ts';
import { gainsRuralYear, gainsSecondSchool } from '../policy/careers.ts';

const INDICATOR_ZH = { aboveDegree: '高于规定学历教师', backbone: '骨干教师', peArt: '体育艺术教师' } as const;
const per100Key = { aboveDegree: 'aboveDegreePer100', backbone: 'backbonePer100', peArt: 'peArtPer100' } as const;

interface Part {
  /** Cost units the move saves under this term (positive = the move buys it). */
  gain: number;
  text: string;
}

/** The plan.csv rows of a county's moves, each with its reason: a 走教 to several schools has a row per school served, each with its share. */
export function planRows(ctx: CountyContext, moves: Move[], o: ObjectiveContext = objectiveContext(ctx)): PlanRow[] {
  const w = ctx.policy.weights;
  const after = applyMoves(ctx.teachers, assignments(moves));
  const rowsOf = (teachers: typeof after) => new Map(schoolIndicators(ctx.schools, teachers, ctx.policy).map((r) => [`${r.school_id}|${r.stage}`, r]));
  const [before, planned] = [rowsOf(ctx.teachers), rowsOf(after)];
  const pairs = cvPairs(ctx);
  const supplyBefore = subjectSupply(ctx.teachers);
  const supplyAfter = supplyAfterMoves(ctx.teachers, moves);
  const required = new Map(ctx.needs.map((n) => [needKey(n.school_id, n.stage, n.subject), Math.round(n.required)]));
  const budget = rotationBudget(ctx);

  return moves.flatMap((whole) => perServed(whole).map((m): PlanRow => {
    const t = m.teacher;
    const parts: Part[] = [];
    // 差异系数: what undoing this one move would cost, from the plan's counts at both schools.
    const flags = indicatorFlags(t);
    for (const p of pairs) {
      if (p.stage !== t.stage || !flags[p.indicator]) continue;
      const to = p.schools.get(m.to.id);
      const from = p.schools.get(m.from.id);
      const rTo = planned.get(`${m.to.id}|${p.stage}`)?.[p.indicator] ?? 0;
      const rFrom = planned.get(`${m.from.id}|${p.stage}`)?.[p.indicator] ?? 0;
      const dq = (to ? qStep(to.P, rTo - 1) : 0) - (from ? qStep(from.P, rFrom) : 0);
      // Within the scope; a move across its edge is judged by its step at the in-scope end only.
      const gain = -qCost(p) * dq;
      const k = per100Key[p.indicator];
      const x0 = before.get(`${m.to.id}|${p.stage}`)?.[k];
      const x1 = planned.get(`${m.to.id}|${p.stage}`)?.[k];
      const mean = (100 * p.R0) / p.P;
      if (gain > 1e-9 && x0 != null && x1 != null)
        parts.push({ gain, text: `降低${STAGE_ZH[p.stage]}${INDICATOR_ZH[p.indicator]}差异系数：${m.to.name}每百生${x0.toFixed(2)}→${x1.toFixed(2)}（县均${mean.toFixed(2)}）` });
    }
    const fills = m.fills ?? t.subject;
    const key = needKey(m.to.id, t.stage, fills);
    const gapTo = (required.get(key) ?? 0) - (supplyBefore.get(key) ?? 0);
    const needText = `补${m.to.name}${SUBJECT_ZH[fills]}缺口（需${required.get(key)}人，原有${supplyBefore.get(key) ?? 0}人）`;
    // A fill in an extra subject is always said first: it is what the destination receives the teacher for.
    const fillText = m.fills ? `以兼教学科${gapTo > 0 ? needText : `任教${SUBJECT_ZH[fills]}`}` : null;
    if (gapTo > 0 && !m.fills) parts.push({ gain: w.unfilledNeed, text: needText });
    if (towardRuralOrWeak(m))
      parts.push({ gain: w.ruralOrWeakBonus, text: m.to.weak && !m.from.weak ? '流向薄弱学校' : `${LOCALE_ZH[m.from.locale]}→${LOCALE_ZH[m.to.locale]}` });
    const km = commuteChangeKm(t, m.from, m.to);
    if (km < -0.5) parts.push({ gain: -w.commutePerKm * km, text: `离家近${(-km).toFixed(1)}公里` });
    const rank = o.prefRank.get(`${t.id}|${m.to.id}`);
    if (rank) parts.push({ gain: w.preferenceBonus / rank, text: `本人第${rank}志愿` });
    const cluster = ctx.policy.flows.cluster;
    if (cluster === 'prefer' && sameCluster(m.from, m.to)) parts.push({ gain: w.leaveCluster, text: `学区/集团内交流（${m.to.cluster}）` });
    const lead: string[] = fillText ? [fillText] : [];
    if (m.mode === 'support') lead.push(supportText(ctx, m));
    if (m.mode === 'shadow') lead.push(shadowText(ctx, m));
    if (m.mode === 'itinerant') lead.push(`走教：${servedSchools(whole).map((s) => `${shareOf(m)}个岗位在${s.name}`).join('、')}任教${SUBJECT_ZH[t.subject]}，编制和其余课时留在${m.from.name}`);
    if (cluster === 'only') lead.push(`学区/集团内交流（${m.to.cluster}）`);
    const lock = ctx.locks.find((l) => l.teacher_id === t.id && l.action === 'move');
    if (lock) lead.push(`人工锁定：${lock.reason}`);
    if (o.baseline?.get(t.id) === destinationKey(whole)) lead.push('保持基准方案安排');
    const best = parts.sort((a, b) => b.gain - a.gain).slice(0, 3).map((p) => p.text);
    // Career conditions are said whatever their rank: the teacher and the bureau both act on them.
    const career: string[] = [];
    if (gainsRuralYear(m, ctx.policy)) career.push(`一级教师取得申报高级职称所需的乡村/薄弱学校任教经历（原${t.rural_weak_years}年）`);
    if (gainsSecondSchool(m, ctx.policy)) career.push(`取得第${t.schools_worked + 1}所学校工作经历（校长、高级职称、名师人选须${ctx.policy.careers.minSchoolsWorked}所）`);
    const costs: string[] = [];
    const originKey = needKey(m.from.id, t.stage, t.subject);
    const short = (required.get(originKey) ?? 0) - (supplyAfter.get(originKey) ?? 0);
    if (short > 0 && (required.get(originKey) ?? 0) <= (supplyBefore.get(originKey) ?? 0))
      costs.push(`注意：调出后${m.from.name}${SUBJECT_ZH[t.subject]}新增缺口${short}人`);
    if (km > 0.5) costs.push(`通勤增加${km.toFixed(1)}公里`);
    if (cluster === 'prefer' && !sameCluster(m.from, m.to)) costs.push(`跨出学区/集团（${m.from.cluster ?? '未划分'}→${m.to.cluster ?? '未划分'}）`);
    if (lead.length + best.length + career.length === 0) lead.push(`完成本年度交流人数（${budget.min}人）所需；在可选调动中对各项指标影响最小`);
    return {
      teacher_id: t.id, from_school_id: m.from.id, to_school_id: m.to.id, mode: m.mode,
      stage: t.stage, subject: t.subject, backbone: t.backbone, reason: [...lead, ...best, ...career, ...costs].join('；'),
      ...(m.mode === 'itinerant' ? { fte: shareOf(m) } : {}),
      ...(m.fills ? { fills_subject: m.fills } : {}),
    };
  }));
}

/** A 支教 move's term, where its post stays, and why not a transfer when the destination has no post free. */
function supportText(ctx: CountyContext, m: Move): string {
  const before = ctx.staffBefore.get(m.to.id) ?? 0;
  const { quota } = quotaOf(m.to, ctx.policy);
  const full = before >= quota ? `；${m.to.name}编制已满（${before}/${quota}），带编调入会超编` : '';
  return `支教${ctx.policy.modes.support.termYears}年，编制留在${m.from.name}${full}`;
}

/** A 顶岗培养 placement: training at the host, the post kept at home, back after the term; and whether the county named the teacher. */
function shadowText(ctx: CountyContext, m: Move): string {
  const listed = isNamedShadow(ctx, m.teacher.id) ? '（列入顶岗培养名单）' : '';
  return `顶岗培养${ctx.policy.modes.shadow.termYears}年${listed}：在${m.to.name}顶岗任教、培养，编制留在${m.from.name}，期满回原校；不计入交流预算`;
}

/** plan.csv columns, in contract order. */
export const PLAN_COLUMNS = ['teacher_id', 'from_school_id', 'to_school_id', 'mode', 'stage', 'subject', 'backbone', 'reason'] as const;

/**
 * plan.csv text (RFC 4180, header first). The added columns `fte` (走教 rows) and `fills_subject`
 * (extra-subject fills) appear only when a row uses them, so other plans read exactly as before.
 */
export const planCsvText = (rows: PlanRow[]): string =>
  csvText(rows, [
    ...PLAN_COLUMNS,
    ...(rows.some((r) => r.fte !== undefined) ? (['fte'] as const) : []),
    ...(rows.some((r) => r.fills_subject !== undefined) ? (['fills_subject'] as const) : []),
  ]);
