// From the engine's flows to named teachers: within a class the members are interchangeable for
// every rule, so the k teachers a flow needs are picked by preference, commute, then id; each
// move gets a reason a planner can read.
import { stringify } from 'csv-stringify/sync';
import type { PlanRow, Teacher } from '../contract/schemas.ts';
import { pushTo } from '../contract/collections.ts';
import { type CountyContext, homeDistanceKm, isRuralOrWeak } from '../policy/county.ts';
import { LOCALE_ZH, SUBJECT_ZH } from '../contract/labels.ts';
import type { BuiltModel, Flow } from '../model/county-model.ts';
import { needKey, subjectSupply } from '../policy/needs.ts';
import type { Move } from '../policy/rules.ts';
import { schoolIndicators } from '../policy/indicators.ts';

/** The plan.csv rows of a county's moves, each with its reason. */
export function planRows(ctx: CountyContext, moves: Move[]): PlanRow[] {
  const supply = subjectSupply(ctx.teachers);
  const required = new Map(ctx.needs.map((n) => [needKey(n.school_id, n.stage, n.subject), n.required]));
  const indicators = new Map(schoolIndicators(ctx.schools, ctx.teachers, ctx.policy).map((r) => [`${r.school_id}|${r.stage}`, r]));
  const rank = new Map(ctx.preferences.map((p) => [`${p.teacher_id}|${p.school_id}`, p.rank]));
  return moves.map((m) => {
    const t = m.teacher;
    const reasons: string[] = [];
    const lock = ctx.locks.find((l) => l.teacher_id === t.id && l.action === 'move');
    if (lock) reasons.push(`人工锁定：${lock.reason}`);
    const r = rank.get(`${t.id}|${m.to.id}`);
    if (r) reasons.push(`本人第${r}志愿`);
    const key = needKey(m.to.id, t.stage, t.subject);
    const need = required.get(key) ?? 0;
    const have = supply.get(key) ?? 0;
    if (need - have > 0.5) reasons.push(`补${m.to.name}${SUBJECT_ZH[t.subject]}缺口（需${need.toFixed(1)}人，现有${have}人）`);
    const ind = indicators.get(`${m.to.id}|${t.stage}`);
    if (t.backbone !== 'none' && ind?.backbonePer100 !== null && ind !== undefined && ind.backbonePer100 < ctx.policy.indicators.backboneMin[t.stage])
      reasons.push(`骨干教师补充（该校每百名学生骨干${ind.backbonePer100.toFixed(2)}人<${ctx.policy.indicators.backboneMin[t.stage]}）`);
    if (['pe', 'music', 'art'].includes(t.subject) && ind?.peArtPer100 != null && ind.peArtPer100 < ctx.policy.indicators.peArtMin[t.stage])
      reasons.push(`补充体育艺术教师（每百名学生${ind.peArtPer100.toFixed(2)}人<${ctx.policy.indicators.peArtMin[t.stage]}）`);
    if (isRuralOrWeak(m.to) && !isRuralOrWeak(m.from))
      reasons.push(m.to.weak ? '流向薄弱学校' : `${LOCALE_ZH[m.from.locale]}→${LOCALE_ZH[m.to.locale]}交流`);
    if (reasons.length === 0) reasons.push('满足交流比例要求');
    return {
      teacher_id: t.id, from_school_id: m.from.id, to_school_id: m.to.id, mode: m.mode,
      stage: t.stage, subject: t.subject, backbone: t.backbone, reason: reasons.join('；'),
    };
  });
}

/** plan.csv columns, in contract order. */
export const PLAN_COLUMNS = ['teacher_id', 'from_school_id', 'to_school_id', 'mode', 'stage', 'subject', 'backbone', 'reason'] as const;

/** plan.csv text (RFC 4180, header first). */
export const planCsvText = (rows: PlanRow[]): string => stringify(rows, { header: true, columns: [...PLAN_COLUMNS] });
