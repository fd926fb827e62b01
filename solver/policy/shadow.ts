// 顶岗培养 (issue 11 item 3; seed 003 裕政〔2024〕53号 §17 "开展农村教师到城区学校顶岗培养，城区教师到农村
// 学校支教"; domain.md R8 "Reverse flows also exist: rural teachers shadow in urban schools"): a
// teacher of a rural or weak school fills a post at a town or urban school for the term, to train
// there. The home post stays (like 支教) and the teacher is away from home for the year, so the
// quota rule ignores the placement and the outflow cap counts it; the host counts the teacher in
// its needs and indicators for the year. It is training, not rotation: outside the rotation
// budget, in the rotation and backbone shares only when modes.shadow.countsTowardRotation says so,
// never "toward rural or weak", no career credit (careers.ts). The county names the teachers it
// trains (modes.shadow.teachers, placed whatever their eligibility, the optimiser picks the host);
// besides them the optimiser may place a capped share of rural teachers where a host needs them.
import { LOCALE_ZH, MODE_ZH } from '../contract/labels.ts';
import { type CountyContext, isRuralOrWeak } from './county.ts';
import { type CountyRule, type Move, type MoveRule, isNamedShadow, moveRule, shadowCap, share } from './rule-kit.ts';

const SHADOW_CLAUSE = '裕政〔2024〕53号（裕安区实施方案）第17条：开展农村教师到城区学校顶岗培养';
const SHADOW_CLAUSE_EN = 'Yuzheng [2024] No. 53 (Yu\'an district plan) §17: rural teachers placed at urban schools for training (顶岗培养)';

/** A host a 顶岗培养 teacher may train at: a town or urban school that is not weak. */
const trainsAt = (s: Move['to']): boolean => s.locale !== 'rural' && !s.weak;

const where = (s: Move['to']): string => `${LOCALE_ZH[s.locale]}${s.weak ? '、薄弱' : ''}`;

export const shadowDirectionRule: MoveRule = moveRule({
  id: 'shadow_direction',
  name: '顶岗培养只从乡村或薄弱学校到城镇非薄弱学校',
  name_en: 'A training placement only from a rural or weak school to a town or urban school that is not weak',
  clause: `${SHADOW_CLAUSE}；R8 反向交流：乡村教师到城区学校跟岗`,
  clause_en: `${SHADOW_CLAUSE_EN}; domain.md R8 reverse flows`,
  check: (_ctx, m) => (m.mode !== 'shadow' || (isRuralOrWeak(m.from) && trainsAt(m.to)) ? null : {
    zh: `教师${m.teacher.id}从${m.from.id}（${where(m.from)}）到${m.to.id}（${where(m.to)}）顶岗培养：须从乡村或薄弱学校到城镇非薄弱学校`,
    en: `teacher ${m.teacher.id} placed for training from ${m.from.id} (${m.from.locale}${m.from.weak ? ', weak' : ''}) to ${m.to.id} (${m.to.locale}${m.to.weak ? ', weak' : ''}): must go from a rural or weak school to a town or urban school that is not weak`,
  }),
});

/** The named teachers of the county (policy order), while 顶岗培养 is allowed. */
const namedOf = (ctx: CountyContext): string[] => [...new Set(ctx.policy.modes.shadow.teachers)].filter((id) => isNamedShadow(ctx, id));

const OFF = { required: '未开启', required_en: 'switched off', actual: '—', actual_en: '—', ok: true } as const;

export const shadowRules: CountyRule[] = [
  {
    id: 'shadow_named',
    name: '顶岗培养名单上的教师全部安排顶岗培养',
    name_en: 'Every teacher on the training list is placed for training',
    clause: `${SHADOW_CLAUSE}；政策参数“顶岗培养教师名单”`,
    clause_en: `${SHADOW_CLAUSE_EN}; policy modes.shadow.teachers`,
    constraints: (ctx) => {
      const named = namedOf(ctx);
      return named.length === 0 ? [] : [{ key: 'shadow_named', coef: (m) => (m.mode === 'shadow' && isNamedShadow(ctx, m.teacher.id) ? 1 : 0), min: named.length }];
    },
    result: (ctx, _sums, moves) => {
      if (!ctx.policy.modes.shadow.allowed) return OFF;
      const named = namedOf(ctx);
      const byId = new Map(moves.map((m) => [m.teacher.id, m]));
      const missing = named.filter((id) => byId.get(id)?.mode !== 'shadow');
      const placed = named.length - missing.length;
      return {
        required: `名单${named.length}人全部顶岗培养`, required_en: `all ${named.length} on the list placed`,
        actual: `${placed}/${named.length}人已安排`, actual_en: `${placed} of ${named.length} placed`,
        ok: missing.length === 0, numerator: placed, denominator: named.length,
        details: missing.map((id) => `教师${id}未安排顶岗培养${byId.has(id) ? `（方案为${MODE_ZH[byId.get(id)!.mode]}）` : ''}`),
        details_en: missing.map((id) => `teacher ${id} is not placed for training${byId.has(id) ? ` (the plan says ${byId.get(id)!.mode})` : ''}`),
      };
    },
  },
  {
    id: 'shadow_share',
    name: '名单外顶岗培养不超过乡村和薄弱学校教师的规定比例',
    name_en: 'Training placements beyond the list within the set share of the teachers at rural and weak schools',
    clause: `${SHADOW_CLAUSE}；政策参数“名单外顶岗培养不超过乡村和薄弱学校教师的”比例`,
    clause_en: `${SHADOW_CLAUSE_EN}; policy modes.shadow.maxShareOfRuralTeachers`,
    constraints: (ctx) =>
      ctx.policy.modes.shadow.allowed
        ? [{ key: 'shadow_share', coef: (m) => (m.mode === 'shadow' && !isNamedShadow(ctx, m.teacher.id) ? 1 : 0), max: shadowCap(ctx).chosen }]
        : [],
    result: (ctx, [chosen = 0]) => {
      if (!ctx.policy.modes.shadow.allowed) return OFF;
      const cap = shadowCap(ctx);
      const s = share(ctx.policy.modes.shadow.maxShareOfRuralTeachers);
      return {
        required: `≤ ${cap.chosen}人（⌊${s} × 乡村和薄弱学校教师${cap.ruralTeachers}人⌋；名单${cap.named}人另计）`,
        required_en: `≤ ${cap.chosen} (⌊${s} × ${cap.ruralTeachers} teachers at rural and weak schools⌋; the ${cap.named} on the list apart)`,
        actual: `${chosen}人`, actual_en: `${chosen}`,
        ok: chosen <= cap.chosen, numerator: chosen, denominator: cap.chosen,
      };
    },
  },
];

/** report.json counts.shadow: 顶岗培养 shown apart from rotation — placed, of them named and chosen, and the caps. */
export function shadowCounts(ctx: CountyContext, moves: readonly Move[]) {
  const placed = moves.filter((m) => m.mode === 'shadow');
  const named = placed.filter((m) => isNamedShadow(ctx, m.teacher.id)).length;
  const cap = shadowCap(ctx);
  return { placed: placed.length, named: cap.named, named_placed: named, chosen: placed.length - named, chosen_cap: cap.chosen };
}
